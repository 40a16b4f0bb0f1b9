package statemachine

import (
	"context"

	"github.com/paysync/paysync"
)

// RefundEvent names a move of a refund order. The values are also the fsm
// event names; each leads to one status.
type RefundEvent string

// Refund order events.
const (
	RefundSucceed RefundEvent = "succeed" // progress|fail|close → success
	RefundClose   RefundEvent = "close"   // progress|fail → close (and success → close by a person)
	RefundFail    RefundEvent = "fail"    // progress → fail
	RefundRestart RefundEvent = "restart" // fail|close → progress
)

// refundTable is the refund and transfer table: a transfer moves as a refund
// does (docs/state-machines.md).
func refundTable() []Transition {
	const progress, success, closed, fail = "progress", "success", "close", "fail"
	return []Transition{
		// close → success is "success after close": money that left after
		// the refund was closed here is still money that left.
		{Event: string(RefundSucceed), From: []string{progress, fail, closed}, To: success},
		{Event: string(RefundClose), From: []string{progress, fail}, To: closed},
		{Event: string(RefundFail), From: []string{progress}, To: fail},
		// fail → progress: the host sent the refund again; close →
		// progress: the channel has it in flight after all.
		{Event: string(RefundRestart), From: []string{fail, closed}, To: progress},
		// Nothing leaves success through sync.
	}
}

// refundManual is what only a person may do: close a refund whose money
// never moved.
func refundManual() []Transition {
	return []Transition{{Event: string(RefundClose), From: []string{"success"}, To: "close"}}
}

var (
	refundMachine       = newMachine("statemachine.Refund", "refund order", refundStates(), refundTable())
	refundManualMachine = newMachine("statemachine.RefundManual", "refund order", refundStates(),
		withManual(refundTable(), refundManual()))
)

func refundStates() []string {
	var out []string
	for _, st := range paysync.RefundOrderStatuses() {
		out = append(out, string(st))
	}
	return out
}

// Refund applies ev to a refund order in status from, as a sync may. Its
// answers are those of Pay.
func Refund(ctx context.Context, from paysync.RefundOrderStatus, ev RefundEvent) (paysync.RefundOrderStatus, bool, error) {
	return apply(refundMachine, ctx, from, ev)
}

// RefundManual is Refund over the manual table: every sync move, plus
// success → close.
func RefundManual(ctx context.Context, from paysync.RefundOrderStatus, ev RefundEvent) (paysync.RefundOrderStatus, bool, error) {
	return apply(refundManualMachine, ctx, from, ev)
}

// RefundEventTo returns the event that leads a refund to status to, and
// false when none does.
func RefundEventTo(to paysync.RefundOrderStatus) (RefundEvent, bool) {
	return eventTo[RefundEvent](refundManualMachine, to)
}

// RefundTransitions returns a copy of the refund order table.
func RefundTransitions() []Transition { return refundMachine.transitions() }

// RefundManualTransitions returns a copy of the manual refund order table.
func RefundManualTransitions() []Transition { return refundManualMachine.transitions() }

// RefundDiagram returns the refund order table as a Mermaid stateDiagram-v2,
// the moves only a person may make labelled "(repair)".
func RefundDiagram() string { return diagram(refundMachine, refundManualMachine) }
