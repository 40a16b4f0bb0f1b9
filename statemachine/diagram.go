package statemachine

import "strings"

// diagram renders the table as a Mermaid stateDiagram-v2. Edges are listed by
// source state in the machine's state order, then in table order, so the text
// only changes when the table does; states with no edge are listed bare so
// they still appear.
func (m *machine) diagram() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	linked := make(map[string]bool, len(m.states))
	for _, t := range m.table {
		linked[t.To] = true
		for _, src := range t.From {
			linked[src] = true
		}
	}
	for _, s := range m.states {
		if !linked[s] {
			b.WriteString("    " + s + "\n")
		}
	}
	for _, s := range m.states {
		for _, t := range m.table {
			for _, src := range t.From {
				if src == s {
					b.WriteString("    " + s + " --> " + t.To + ": " + t.Event + "\n")
				}
			}
		}
	}
	return b.String()
}
