package statemachine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/statemachine"
)

// TestApply tries every (state, event) pair of every machine: the allowed
// ones must move to the designed state, all others must be refused.
func TestApply(t *testing.T) {
	for _, m := range specs() {
		for _, from := range m.states {
			for _, ev := range m.events {
				t.Run(m.name+"/"+from+"/"+ev, func(t *testing.T) {
					to, changed, err := m.apply(context.Background(), from, ev)
					want, allowed := m.want[[2]string{from, ev}]
					if allowed {
						if err != nil || !changed || to != want {
							t.Fatalf("got (%q, %v, %v), want (%q, true, nil)", to, changed, err, want)
						}
						return
					}
					assertRefused(t, from, to, changed, err)
				})
			}
		}
	}
}

// TestApplyUnknown refuses statuses and events that are not in the machine.
func TestApplyUnknown(t *testing.T) {
	for _, m := range specs() {
		cases := []struct{ name, from, ev string }{
			{"unknown status", "paid", m.events[0]},
			{"empty status", "", m.events[0]},
			{"unknown event", m.states[0], "refund"},
			{"empty event", m.states[0], ""},
			{"both unknown", "paid", "refund"},
		}
		for _, c := range cases {
			t.Run(m.name+"/"+c.name, func(t *testing.T) {
				to, changed, err := m.apply(context.Background(), c.from, c.ev)
				assertRefused(t, c.from, to, changed, err)
			})
		}
	}
}

func assertRefused(t *testing.T, from, to string, changed bool, err error) {
	t.Helper()
	if !errors.Is(err, paysync.ErrInvalidTransition) {
		t.Fatalf("err = %v, want ErrInvalidTransition", err)
	}
	if paysync.ErrorCode(err) != paysync.CodeState {
		t.Fatalf("code = %q, want %q", paysync.ErrorCode(err), paysync.CodeState)
	}
	if changed || to != from {
		t.Fatalf("refused move returned (%q, %v), want (%q, false)", to, changed, from)
	}
}

// TestErrorOp checks that refusals name the operation that refused.
func TestErrorOp(t *testing.T) {
	cases := []struct {
		op  string
		err error
	}{
		{"statemachine.Pay", second(statemachine.Pay(context.Background(), paysync.PaySuccess, statemachine.PayClose))},
		{"statemachine.Allocation", second(statemachine.Allocation(context.Background(), paysync.AllocIgnore, statemachine.AllocEnd))},
		{"statemachine.Receiver", second(statemachine.Receiver(context.Background(), paysync.ReceiverSuccess, statemachine.ReceiverFail))},
		{"statemachine.PayManual", second(statemachine.PayManual(context.Background(), paysync.PaySuccess, statemachine.PayFail))},
		{"statemachine.Refund", second(statemachine.Refund(context.Background(), paysync.RefundSuccess, statemachine.RefundClose))},
		{"statemachine.RefundManual", second(statemachine.RefundManual(context.Background(), paysync.RefundSuccess, statemachine.RefundFail))},
		{"statemachine.Transfer", second(statemachine.Transfer(context.Background(), paysync.TransferSuccess, statemachine.TransferClose))},
		{"statemachine.TransferManual", second(statemachine.TransferManual(context.Background(), paysync.TransferSuccess, statemachine.TransferRestart))},
	}
	for _, c := range cases {
		var e *paysync.Error
		if !errors.As(c.err, &e) || e.Op != c.op {
			t.Errorf("err = %#v, want a *paysync.Error with op %q", c.err, c.op)
		}
	}
}

func second[A, B any](_ A, _ B, err error) error { return err }

// TestCancelledContext: a transition is in-memory work that must not be lost
// because the caller's deadline for its I/O has passed.
func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, m := range specs() {
		for key, want := range m.want {
			to, changed, err := m.apply(ctx, key[0], key[1])
			if err != nil || !changed || to != want {
				t.Errorf("%s %v with cancelled ctx: got (%q, %v, %v), want (%q, true, nil)",
					m.name, key, to, changed, err, want)
			}
		}
	}
}

// TestNilContext: a nil ctx is a caller's bug, but must not panic.
func TestNilContext(t *testing.T) {
	var ctx context.Context
	to, changed, err := statemachine.Pay(ctx, paysync.PayProgress, statemachine.PaySucceed)
	if err != nil || !changed || to != paysync.PaySuccess {
		t.Fatalf("got (%q, %v, %v), want (success, true, nil)", to, changed, err)
	}
}

// TestEventTo: each status a move leads to is named by exactly one event,
// and that event takes an order there from every status the table allows —
// and from no other, whatever the caller asks.
func TestEventTo(t *testing.T) {
	for _, m := range specs() {
		byTarget := map[string]string{}
		for key, to := range m.want {
			if ev, seen := byTarget[to]; seen && ev != key[1] {
				t.Fatalf("%s: %q is reached by %q and %q", m.name, to, ev, key[1])
			}
			byTarget[to] = key[1]
		}
		for _, to := range append(m.states, "unknown") {
			ev, ok := m.eventTo(to)
			want, wantOK := byTarget[to]
			if ev != want || ok != wantOK {
				t.Errorf("%s EventTo(%q) = (%q, %v), want (%q, %v)", m.name, to, ev, ok, want, wantOK)
			}
			for _, from := range m.states {
				got, changed, err := m.apply(context.Background(), from, ev)
				_, allowed := m.want[[2]string{from, ev}]
				if allowed != (err == nil && changed && got == to) {
					t.Errorf("%s: %q by %q (to %q): got (%q, %v, %v), allowed=%v", m.name, from, ev, to, got, changed, err, allowed)
				}
			}
		}
	}
}

// TestTransitionsAreCopies: what callers get cannot change the machines.
func TestTransitionsAreCopies(t *testing.T) {
	for _, m := range specs() {
		t.Run(m.name, func(t *testing.T) {
			first := m.transitions()
			for i := range first {
				first[i].Event = "tampered"
				first[i].To = "tampered"
				for j := range first[i].From {
					first[i].From[j] = "tampered"
				}
			}
			for _, tr := range m.transitions() {
				if tr.Event == "tampered" || tr.To == "tampered" {
					t.Fatalf("table changed through a returned copy: %+v", tr)
				}
				for _, src := range tr.From {
					if src == "tampered" {
						t.Fatalf("table changed through a returned copy: %+v", tr)
					}
				}
			}
			for key, want := range m.want {
				if to, _, err := m.apply(context.Background(), key[0], key[1]); err != nil || to != want {
					t.Fatalf("%v after tampering: (%q, %v), want %q", key, to, err, want)
				}
			}
		})
	}
}
