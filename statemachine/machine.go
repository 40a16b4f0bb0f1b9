package statemachine

import (
	"context"
	"errors"
	"fmt"

	"github.com/looplab/fsm"
	"github.com/paysync/paysync"
)

// Transition is one row of a machine's table: Event moves an order in any of
// the From states to To. Values handed out by this package are copies.
type Transition struct {
	Event string
	From  []string
	To    string
}

// machine is one table and its looplab/fsm form. It is built once at package
// initialisation and never written afterwards, so it is safe to share.
type machine struct {
	op     string   // the paysync.Error op, e.g. "statemachine.Pay"
	noun   string   // what moves, for messages, e.g. "pay order"
	states []string // every known state, in the order diagrams list them
	table  []Transition
	// events is the table as looplab wants it, row for row, built once so
	// that applying a change does not rebuild it. fsm.NewFSM only reads it
	// into maps of its own, and nothing in this package writes it after
	// newMachine, so sharing it between goroutines is safe.
	events fsm.Events
}

// newMachine copies table into a machine, so the literal it was given and the
// fsm events share no slices with each other.
func newMachine(op, noun string, states []string, table []Transition) *machine {
	m := &machine{op: op, noun: noun, states: states, table: copyTransitions(table)}
	m.events = make(fsm.Events, len(table))
	for i, t := range table {
		m.events[i] = fsm.EventDesc{Name: t.Event, Src: append([]string(nil), t.From...), Dst: t.To}
	}
	return m
}

// transitions returns a deep copy of the table.
func (m *machine) transitions() []Transition { return copyTransitions(m.table) }

func copyTransitions(table []Transition) []Transition {
	out := make([]Transition, len(table))
	for i, t := range table {
		out[i] = Transition{Event: t.Event, From: append([]string(nil), t.From...), To: t.To}
	}
	return out
}

// target returns the state ev leads to from from and the table row saying
// so, and false when the table has no such move.
func (m *machine) target(from, ev string) (string, int, bool) {
	for i, t := range m.table {
		if t.Event != ev {
			continue
		}
		for _, src := range t.From {
			if src == from {
				return t.To, i, true
			}
		}
	}
	return "", 0, false
}

// eventFor returns the event that moves from to to, and false when none does.
func (m *machine) eventFor(from, to string) (string, bool) {
	for _, t := range m.table {
		if t.To != to {
			continue
		}
		for _, src := range t.From {
			if src == from {
				return t.Event, true
			}
		}
	}
	return "", false
}

// apply moves from by ev. On any error the returned state is from.
func (m *machine) apply(ctx context.Context, from, ev string) (string, bool, error) {
	to, row, ok := m.target(from, ev)
	if !ok {
		return from, false, m.refuse(from, ev, nil)
	}
	if to == from {
		// A self-transition changes nothing: answer without building an fsm.
		return from, false, nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	// The fsm gets only ev's row: the other rows cannot take part in this
	// move, and leaving them out halves the cost of building it.
	f := fsm.NewFSM(from, m.events[row:row+1], nil)
	// A cancelled ctx would leave the fsm half-way through the transition for
	// good; the caller's deadline belongs to its I/O, not to this in-memory step.
	if ctx.Done() != nil {
		ctx = context.WithoutCancel(ctx)
	}
	if err := f.Event(ctx, ev); err != nil {
		return from, false, m.fsmError(from, ev, err)
	}
	if got := f.Current(); got != to {
		// The fsm and the table disagree: a bug here, not a bad request.
		return from, false, paysync.Ef(m.op, paysync.ErrInternal,
			fmt.Sprintf("%s %q: event %q led to %q, table says %q", m.noun, from, ev, got, to), nil)
	}
	return to, true, nil
}

// fsmError maps an error of fsm.Event: a self-transition is no change (nil),
// a refused event is ErrInvalidTransition, anything else is a bug. It lives
// apart from apply so that the success path does not pay for the errors.As
// targets escaping to the heap.
func (m *machine) fsmError(from, ev string, err error) error {
	var none fsm.NoTransitionError
	var invalid fsm.InvalidEventError
	var unknown fsm.UnknownEventError
	switch {
	case errors.As(err, &none) && none.Err == nil:
		return nil
	case errors.As(err, &invalid), errors.As(err, &unknown):
		return m.refuse(from, ev, err)
	}
	return paysync.Ef(m.op, paysync.ErrInternal, fmt.Sprintf("%s %q: event %q failed", m.noun, from, ev), err)
}

// refuse builds the ErrInvalidTransition error for from and ev, saying which
// of the two was wrong.
func (m *machine) refuse(from, ev string, cause error) error {
	var msg string
	switch {
	case !m.known(from):
		msg = fmt.Sprintf("unknown %s status %q", m.noun, from)
	case !m.hasEvent(ev):
		msg = fmt.Sprintf("unknown %s event %q", m.noun, ev)
	default:
		msg = fmt.Sprintf("%s in status %q cannot take event %q", m.noun, from, ev)
	}
	return paysync.Ef(m.op, paysync.ErrInvalidTransition, msg, cause)
}

func (m *machine) known(state string) bool {
	for _, s := range m.states {
		if s == state {
			return true
		}
	}
	return false
}

func (m *machine) hasEvent(ev string) bool {
	for _, t := range m.table {
		if t.Event == ev {
			return true
		}
	}
	return false
}
