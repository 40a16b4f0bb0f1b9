package statemachine_test

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/statemachine"
)

// spec is one machine as DESIGN §3 states it, written out independently of
// the package's tables so that the tests check the tables against the design
// rather than against themselves.
type spec struct {
	name   string
	states []string
	events []string
	// want maps (from, event) to the state the move leads to.
	want map[[2]string]string
	// exits maps a terminal state to the only events that may leave it (none
	// for most; close and cancel may still turn into success).
	exits map[string][]string

	known       func(state string) bool
	apply       func(ctx context.Context, from, ev string) (string, bool, error)
	eventFor    func(from, to string) (string, bool)
	transitions func() []statemachine.Transition
	diagram     func() string
}

func specs() []spec {
	return []spec{paySpec(), allocationSpec(), receiverSpec()}
}

func paySpec() spec {
	const (
		wait, progress, success = "wait", "progress", "success"
		closed, cancel, fail    = "close", "cancel", "fail"
	)
	return spec{
		name:   "pay",
		states: []string{wait, progress, success, closed, cancel, fail},
		events: []string{"start", "succeed", "close", "cancel", "fail"},
		want: map[[2]string]string{
			{wait, "start"}:       progress,
			{wait, "succeed"}:     success,
			{wait, "close"}:       closed,
			{wait, "cancel"}:      cancel,
			{wait, "fail"}:        fail,
			{progress, "succeed"}: success,
			{progress, "close"}:   closed,
			{progress, "cancel"}:  cancel,
			{progress, "fail"}:    fail,
			{fail, "succeed"}:     success,
			{fail, "close"}:       closed,
			{fail, "cancel"}:      cancel,
			{closed, "succeed"}:   success, // paid after close
			{cancel, "succeed"}:   success, // paid after cancel
		},
		exits: map[string][]string{success: nil, closed: {"succeed"}, cancel: {"succeed"}},
		known: func(st string) bool { return paysync.PayStatus(st).Valid() },
		apply: func(ctx context.Context, from, ev string) (string, bool, error) {
			to, changed, err := statemachine.Pay(ctx, paysync.PayStatus(from), statemachine.PayEvent(ev))
			return string(to), changed, err
		},
		eventFor: func(from, to string) (string, bool) {
			ev, ok := statemachine.PayEventFor(paysync.PayStatus(from), paysync.PayStatus(to))
			return string(ev), ok
		},
		transitions: statemachine.PayTransitions,
		diagram:     statemachine.PayDiagram,
	}
}

func allocationSpec() spec {
	const (
		processing, end, failed = "allocation_processing", "allocation_end", "allocation_failed"
		finish, finishFailed    = "finish", "finish_failed"
		ignore                  = "ignore"
	)
	return spec{
		name:   "allocation",
		states: []string{processing, end, failed, finish, finishFailed, ignore},
		events: []string{"end", "fail", "restart", "finish", "finish_fail"},
		want: map[[2]string]string{
			{processing, "end"}:      end,
			{processing, "fail"}:     failed,
			{failed, "restart"}:      processing,
			{failed, "end"}:          end,
			{end, "finish"}:          finish,
			{end, "finish_fail"}:     finishFailed,
			{finishFailed, "finish"}: finish,
		},
		exits: map[string][]string{finish: nil, ignore: nil},
		known: func(st string) bool { return paysync.AllocationStatus(st).Valid() },
		apply: func(ctx context.Context, from, ev string) (string, bool, error) {
			to, changed, err := statemachine.Allocation(ctx, paysync.AllocationStatus(from), statemachine.AllocationEvent(ev))
			return string(to), changed, err
		},
		eventFor: func(from, to string) (string, bool) {
			ev, ok := statemachine.AllocationEventFor(paysync.AllocationStatus(from), paysync.AllocationStatus(to))
			return string(ev), ok
		},
		transitions: statemachine.AllocationTransitions,
		diagram:     statemachine.AllocationDiagram,
	}
}

func receiverSpec() spec {
	const pending, success, fail, ignore = "pending", "success", "fail", "ignore"
	return spec{
		name:   "receiver",
		states: []string{pending, success, fail, ignore},
		events: []string{"succeed", "fail"},
		want: map[[2]string]string{
			{pending, "succeed"}: success,
			{pending, "fail"}:    fail,
		},
		exits: map[string][]string{success: nil, fail: nil, ignore: nil},
		known: func(st string) bool { return paysync.ReceiverResult(st).Valid() },
		apply: func(ctx context.Context, from, ev string) (string, bool, error) {
			to, changed, err := statemachine.Receiver(ctx, paysync.ReceiverResult(from), statemachine.ReceiverEvent(ev))
			return string(to), changed, err
		},
		eventFor: func(from, to string) (string, bool) {
			ev, ok := statemachine.ReceiverEventFor(paysync.ReceiverResult(from), paysync.ReceiverResult(to))
			return string(ev), ok
		},
		transitions: statemachine.ReceiverTransitions,
		diagram:     statemachine.ReceiverDiagram,
	}
}
