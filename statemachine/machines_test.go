package statemachine_test

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/statemachine"
)

// spec is one machine as docs/state-machines.md states it, written out independently of
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
	eventTo     func(to string) (string, bool)
	transitions func() []statemachine.Transition
	diagram     func() string
}

func specs() []spec {
	return []spec{paySpec(), payManualSpec(), allocationSpec(), receiverSpec(),
		refundSpec(), refundManualSpec(), transferSpec(), transferManualSpec()}
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
		eventTo: func(to string) (string, bool) {
			ev, ok := statemachine.PayEventTo(paysync.PayStatus(to))
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
		eventTo: func(to string) (string, bool) {
			ev, ok := statemachine.AllocationEventTo(paysync.AllocationStatus(to))
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
		eventTo: func(to string) (string, bool) {
			ev, ok := statemachine.ReceiverEventTo(paysync.ReceiverResult(to))
			return string(ev), ok
		},
		transitions: statemachine.ReceiverTransitions,
		diagram:     statemachine.ReceiverDiagram,
	}
}

// payManualSpec is the pay table plus what only a person may do: close a
// paid order whose money never moved.
func payManualSpec() spec {
	m := paySpec()
	m.name = "pay manual"
	m.want = clone(m.want)
	m.want[[2]string{"success", "close"}] = "close"
	m.exits = map[string][]string{"success": {"close"}, "close": {"succeed"}, "cancel": {"succeed"}}
	m.apply = func(ctx context.Context, from, ev string) (string, bool, error) {
		to, changed, err := statemachine.PayManual(ctx, paysync.PayStatus(from), statemachine.PayEvent(ev))
		return string(to), changed, err
	}
	m.transitions = statemachine.PayManualTransitions
	m.diagram = nil // drawn with the pay table
	return m
}

// refundLike is the refund and transfer table as docs/state-machines.md states it.
func refundLike() map[[2]string]string {
	const progress, success, closed, fail = "progress", "success", "close", "fail"
	return map[[2]string]string{
		{progress, "succeed"}: success,
		{progress, "close"}:   closed,
		{progress, "fail"}:    fail,
		{fail, "succeed"}:     success,
		{fail, "close"}:       closed,
		{fail, "restart"}:     progress,
		{closed, "succeed"}:   success, // success after close
		{closed, "restart"}:   progress,
	}
}

func refundSpec() spec {
	return spec{
		name:   "refund",
		states: []string{"progress", "success", "close", "fail"},
		events: []string{"succeed", "close", "fail", "restart"},
		want:   refundLike(),
		exits:  map[string][]string{"success": nil, "close": {"succeed", "restart"}},
		known:  func(st string) bool { return paysync.RefundOrderStatus(st).Valid() },
		apply: func(ctx context.Context, from, ev string) (string, bool, error) {
			to, changed, err := statemachine.Refund(ctx, paysync.RefundOrderStatus(from), statemachine.RefundEvent(ev))
			return string(to), changed, err
		},
		eventTo: func(to string) (string, bool) {
			ev, ok := statemachine.RefundEventTo(paysync.RefundOrderStatus(to))
			return string(ev), ok
		},
		transitions: statemachine.RefundTransitions,
		diagram:     statemachine.RefundDiagram,
	}
}

func refundManualSpec() spec {
	m := refundSpec()
	m.name = "refund manual"
	m.want[[2]string{"success", "close"}] = "close"
	m.exits = map[string][]string{"success": {"close"}, "close": {"succeed", "restart"}}
	m.apply = func(ctx context.Context, from, ev string) (string, bool, error) {
		to, changed, err := statemachine.RefundManual(ctx, paysync.RefundOrderStatus(from), statemachine.RefundEvent(ev))
		return string(to), changed, err
	}
	m.transitions = statemachine.RefundManualTransitions
	m.diagram = nil
	return m
}

func transferSpec() spec {
	return spec{
		name:   "transfer",
		states: []string{"progress", "success", "close", "fail"},
		events: []string{"succeed", "close", "fail", "restart"},
		want:   refundLike(),
		exits:  map[string][]string{"success": nil, "close": {"succeed", "restart"}},
		known:  func(st string) bool { return paysync.TransferStatus(st).Valid() },
		apply: func(ctx context.Context, from, ev string) (string, bool, error) {
			to, changed, err := statemachine.Transfer(ctx, paysync.TransferStatus(from), statemachine.TransferEvent(ev))
			return string(to), changed, err
		},
		eventTo: func(to string) (string, bool) {
			ev, ok := statemachine.TransferEventTo(paysync.TransferStatus(to))
			return string(ev), ok
		},
		transitions: statemachine.TransferTransitions,
		diagram:     statemachine.TransferDiagram,
	}
}

func transferManualSpec() spec {
	m := transferSpec()
	m.name = "transfer manual"
	m.want[[2]string{"success", "close"}] = "close"
	m.exits = map[string][]string{"success": {"close"}, "close": {"succeed", "restart"}}
	m.apply = func(ctx context.Context, from, ev string) (string, bool, error) {
		to, changed, err := statemachine.TransferManual(ctx, paysync.TransferStatus(from), statemachine.TransferEvent(ev))
		return string(to), changed, err
	}
	m.transitions = statemachine.TransferManualTransitions
	m.diagram = nil
	return m
}

func clone(m map[[2]string]string) map[[2]string]string {
	out := make(map[[2]string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
