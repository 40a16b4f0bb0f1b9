package statemachine

import (
	"context"
	"errors"
	"testing"

	"github.com/looplab/fsm"
	"github.com/paysync/paysync"
)

// The real tables have no self-transition, so the no-op path is tested on a
// small machine that has one.
func testMachine() *machine {
	return newMachine("statemachine.Test", "test order", []string{"a", "b"}, []Transition{
		{Event: "stay", From: []string{"a"}, To: "a"},
		{Event: "go", From: []string{"a"}, To: "b"},
	})
}

func TestSelfTransitionIsNoOp(t *testing.T) {
	m := testMachine()
	to, changed, err := m.apply(context.Background(), "a", "stay")
	if err != nil || changed || to != "a" {
		t.Fatalf("got (%q, %v, %v), want (a, false, nil)", to, changed, err)
	}
}

// TestPooledFSMCarriesNoState: an fsm comes back to the pool in the state its
// last call left it in; the next call must start from its own status anyway.
// The test puts fsms left in the wrong state into the pool itself: a
// sync.Pool may drop what it is given (a GC, or at random under the race
// detector), so relying on one fsm coming back would let the test pass
// having checked nothing. Many tries make sure the pool hands some back.
func TestPooledFSMCarriesNoState(t *testing.T) {
	m := testMachine()
	ctx := context.Background()
	for i := range 200 {
		// Left in b: from a, "go" must still be taken.
		m.fsms.Put(fsm.NewFSM("b", m.events, nil))
		if to, changed, err := m.apply(ctx, "a", "go"); err != nil || !changed || to != "b" {
			t.Fatalf("try %d, a by go with an fsm left in b: (%q, %v, %v), want (b, true, nil)", i, to, changed, err)
		}
		// Left in a: from b, "go" must still be refused.
		m.fsms.Put(fsm.NewFSM("a", m.events, nil))
		if to, changed, err := m.apply(ctx, "b", "go"); !errors.Is(err, paysync.ErrInvalidTransition) || changed || to != "b" {
			t.Fatalf("try %d, b by go with an fsm left in a: (%q, %v, %v), want a refusal", i, to, changed, err)
		}
	}
}

// The fsm, not only the table, decides: these tests break the fsm's copy of
// the table to reach the branches that map its answers.
func TestFSMAnswers(t *testing.T) {
	cases := []struct {
		name     string
		mutate   func(m *machine)
		sentinel *paysync.Error   // nil: no error expected
		wraps    func(error) bool // whether the error wraps the fsm's answer
	}{
		{
			name:   "fsm reports no transition",
			mutate: func(m *machine) { m.events[1].Dst = "a" },
		},
		{
			// The table says a → b; the fsm's copy says otherwise. The fsm is
			// the guard, and it is what apply obeys.
			name:     "fsm refuses what the table allows",
			mutate:   func(m *machine) { m.events[1].Src = nil },
			sentinel: paysync.ErrInvalidTransition,
		},
		{
			name:     "fsm does not know the event",
			mutate:   func(m *machine) { m.events[1].Name = "other" },
			sentinel: paysync.ErrInvalidTransition,
			wraps:    func(err error) bool { var e fsm.UnknownEventError; return errors.As(err, &e) },
		},
		{
			name:     "fsm refuses the source",
			mutate:   func(m *machine) { m.events[1].Src = []string{"b"} },
			sentinel: paysync.ErrInvalidTransition,
			wraps:    func(err error) bool { var e fsm.InvalidEventError; return errors.As(err, &e) },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := testMachine()
			c.mutate(m)
			to, changed, err := m.apply(context.Background(), "a", "go")
			if changed || to != "a" {
				t.Fatalf("got (%q, %v), want (a, false)", to, changed)
			}
			if c.sentinel == nil {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, c.sentinel) {
				t.Fatalf("err = %v, want %v", err, c.sentinel)
			}
			if c.wraps != nil && !c.wraps(err) {
				t.Fatalf("err = %v does not wrap the fsm's error", err)
			}
		})
	}
}

// TestEventsIndependentOfTable: the fsm events and the table share no slices,
// so neither can change the other.
func TestEventsIndependentOfTable(t *testing.T) {
	for _, m := range []*machine{payMachine, payManualMachine, allocationMachine, receiverMachine,
		refundMachine, refundManualMachine, transferMachine, transferManualMachine} {
		for i := range m.table {
			if &m.table[i].From[0] == &m.events[i].Src[0] {
				t.Fatalf("%s: table row %d shares its From slice with the fsm events", m.op, i)
			}
			if m.table[i].Event != m.events[i].Name || m.table[i].To != m.events[i].Dst {
				t.Fatalf("%s: row %d differs: %+v vs %+v", m.op, i, m.table[i], m.events[i])
			}
		}
	}
}

// TestFSMInFlightIsDropped: an fsm whose Event answers anything but a move,
// a self-transition or a refusal — here, one left with a transition in
// flight — makes the call fail with ErrInternal and is dropped, not pooled.
// The package's own fsms have no callbacks, so the test builds such fsms and
// puts them in the pool, one before every five calls: each may fail one
// call at most, while one put back would fail every call after it.
func TestFSMInFlightIsDropped(t *testing.T) {
	m := testMachine()
	ctx := context.Background()
	const tries, calls = 200, 5
	failed := 0
	for range tries {
		f := fsm.NewFSM("a", m.events, fsm.Callbacks{"leave_a": func(_ context.Context, e *fsm.Event) { e.Async() }})
		var async fsm.AsyncError
		if err := f.Event(ctx, "go"); !errors.As(err, &async) {
			t.Fatalf("could not leave a transition in flight: %v", err)
		}
		m.fsms.Put(f)
		for range calls {
			to, changed, err := m.apply(ctx, "a", "go")
			switch {
			case err == nil && changed && to == "b":
			case errors.Is(err, paysync.ErrInternal) && !changed && to == "a":
				failed++
			default:
				t.Fatalf("(%q, %v, %v), want (b, true, nil) or (a, false, ErrInternal)", to, changed, err)
			}
		}
	}
	if failed == 0 || failed > tries {
		t.Fatalf("%d of %d calls met an fsm in flight; want 1 to %d: each is dropped after the call it fails", failed,
			tries*calls, tries)
	}
}
