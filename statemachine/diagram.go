package statemachine

import "strings"

// diagram renders m's table as a Mermaid stateDiagram-v2, and the rows of
// manual (when not nil) that m lacks, labelled "(repair)". Edges are listed
// by source state in the machine's state order, then in table order, so the
// text only changes when a table does; states with no edge are listed bare so
// they still appear.
func diagram(m, manual *machine) string {
	type edge struct{ from, to, label string }
	var edges []edge
	has := map[[2]string]bool{}
	for _, t := range m.table {
		for _, src := range t.From {
			edges = append(edges, edge{src, t.To, t.Event})
			has[[2]string{src, t.Event}] = true
		}
	}
	if manual != nil {
		for _, t := range manual.table {
			for _, src := range t.From {
				if !has[[2]string{src, t.Event}] {
					edges = append(edges, edge{src, t.To, t.Event + " (repair)"})
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	linked := make(map[string]bool, len(m.states))
	for _, e := range edges {
		linked[e.from], linked[e.to] = true, true
	}
	for _, s := range m.states {
		if !linked[s] {
			b.WriteString("    " + s + "\n")
		}
	}
	for _, s := range m.states {
		for _, e := range edges {
			if e.from == s {
				b.WriteString("    " + s + " --> " + e.to + ": " + e.label + "\n")
			}
		}
	}
	return b.String()
}
