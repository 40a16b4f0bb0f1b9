package statemachine_test

import (
	"slices"
	"testing"
)

// TestTables validates the exported tables themselves: every state is a
// known paysync status, no (event, source) pair is listed twice, no
// (source, target) pair is reached by two events (EventTo would be
// ambiguous), the table is exactly the design's, and terminal states have no
// way out but their listed late-payment edge.
func TestTables(t *testing.T) {
	for _, m := range specs() {
		t.Run(m.name, func(t *testing.T) {
			table := m.transitions()
			if len(table) == 0 {
				t.Fatal("empty table")
			}
			seenMove := map[[2]string]bool{}
			seenPair := map[[2]string]string{}
			got := map[[2]string]string{}
			for _, tr := range table {
				if !m.known(tr.To) {
					t.Errorf("event %q leads to unknown state %q", tr.Event, tr.To)
				}
				if !slices.Contains(m.events, tr.Event) {
					t.Errorf("event %q is not one of %v", tr.Event, m.events)
				}
				if len(tr.From) == 0 {
					t.Errorf("event %q has no source state", tr.Event)
				}
				for _, src := range tr.From {
					if !m.known(src) {
						t.Errorf("event %q leaves unknown state %q", tr.Event, src)
					}
					move := [2]string{tr.Event, src}
					if seenMove[move] {
						t.Errorf("(event %q, source %q) listed twice", tr.Event, src)
					}
					seenMove[move] = true
					pair := [2]string{src, tr.To}
					if ev, dup := seenPair[pair]; dup {
						t.Errorf("%q → %q reached by both %q and %q", src, tr.To, ev, tr.Event)
					}
					seenPair[pair] = tr.Event
					got[[2]string{src, tr.Event}] = tr.To

					if exits, terminal := m.exits[src]; terminal && !slices.Contains(exits, tr.Event) {
						t.Errorf("terminal state %q has a way out: %q → %q", src, tr.Event, tr.To)
					}
				}
			}
			for key, to := range m.want {
				if got[key] != to {
					t.Errorf("table: %q by %q leads to %q, design says %q", key[0], key[1], got[key], to)
				}
			}
			for key, to := range got {
				if _, ok := m.want[key]; !ok {
					t.Errorf("table has %q by %q → %q, which the design does not", key[0], key[1], to)
				}
			}
		})
	}
}
