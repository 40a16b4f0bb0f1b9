package statemachine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

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

// machine is one table and the fsms that guard it. The table and its fsm
// form are built once at package initialisation and never written again, so
// they are safe to share; the fsms themselves are not, so each call takes one
// from the pool for itself.
type machine struct {
	op     string   // the paysync.Error op, e.g. "statemachine.Pay"
	noun   string   // what moves, for messages, e.g. "pay order"
	states []string // every known state, in the order diagrams list them
	table  []Transition
	// events is the whole table as looplab wants it. fsm.NewFSM only reads
	// it into maps of its own.
	events fsm.Events
	// fsms holds *fsm.FSM values built over events. Building one costs
	// several maps; a call sets the state it starts from, so an fsm carries
	// nothing from one call into the next.
	fsms sync.Pool
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

// eventTo returns the event that leads to state to. Every table here has one
// event per target (TestTables holds it), so naming the event for a target
// decides nothing: whether the order may take it from where it is, the fsm
// answers in apply.
func (m *machine) eventTo(to string) (string, bool) {
	for _, t := range m.table {
		if t.To == to {
			return t.Event, true
		}
	}
	return "", false
}

// apply moves from by ev and returns the new state and true; (from, false,
// nil) for a move from a state to itself; on any error, from and false. The
// fsm's answer decides: a move the table lacks is refused by the fsm.
func (m *machine) apply(ctx context.Context, from, ev string) (string, bool, error) {
	f, _ := m.fsms.Get().(*fsm.FSM)
	if f == nil {
		f = fsm.NewFSM(from, m.events, nil)
	}
	f.SetState(from)
	if ctx == nil {
		ctx = context.Background()
	}
	// A cancelled ctx would stop the fsm half-way through the transition;
	// the caller's deadline belongs to its I/O, not to this in-memory step.
	err := f.Event(context.WithoutCancel(ctx), ev)
	if err == nil {
		to := f.Current()
		m.fsms.Put(f)
		return to, true, nil
	}
	var (
		none    fsm.NoTransitionError
		invalid fsm.InvalidEventError
		unknown fsm.UnknownEventError
	)
	switch {
	case errors.As(err, &none) && none.Err == nil:
		m.fsms.Put(f)
		return from, false, nil
	case errors.As(err, &invalid), errors.As(err, &unknown):
		m.fsms.Put(f)
		return from, false, m.refuse(from, ev, err)
	}
	// Any other answer (a transition left in flight, say) leaves the fsm in a
	// state no later call should inherit: it is dropped, not pooled.
	return from, false, paysync.Ef(m.op, paysync.ErrInternal, fmt.Sprintf("%s %q: event %q failed", m.noun, from, ev), err)
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

func (m *machine) known(state string) bool { return slices.Contains(m.states, state) }

func (m *machine) hasEvent(ev string) bool {
	return slices.ContainsFunc(m.table, func(t Transition) bool { return t.Event == ev })
}

// withManual returns the table followed by the rows only a person may take
// (docs/state-machines.md): a second table, so a sync can never take them.
func withManual(table, manual []Transition) []Transition {
	return append(copyTransitions(table), manual...)
}

// apply is the typed form every machine's exported functions share.
func apply[S, E ~string](m *machine, ctx context.Context, from S, ev E) (S, bool, error) {
	to, changed, err := m.apply(ctx, string(from), string(ev))
	return S(to), changed, err
}

// eventTo is the typed form of machine.eventTo.
func eventTo[E, S ~string](m *machine, to S) (E, bool) {
	ev, ok := m.eventTo(string(to))
	return E(ev), ok
}
