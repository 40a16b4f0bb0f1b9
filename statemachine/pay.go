package statemachine

import (
	"context"

	"github.com/paysync/paysync"
)

// PayEvent names a move of a pay order. The values are also the fsm event
// names; each leads to one status.
type PayEvent string

// Pay order events.
const (
	PayStart   PayEvent = "start"   // wait → progress
	PaySucceed PayEvent = "succeed" // wait|progress|fail|close|cancel → success
	PayClose   PayEvent = "close"   // wait|progress|fail → close (and success → close by a person)
	PayCancel  PayEvent = "cancel"  // wait|progress|fail → cancel
	PayFail    PayEvent = "fail"    // wait|progress → fail
)

var payTable = []Transition{
	{Event: string(PayStart), From: []string{str(paysync.PayWait)}, To: str(paysync.PayProgress)},
	// close and cancel → success is "paid after close": money that arrived
	// after the order was closed must still be recorded, never ignored.
	{Event: string(PaySucceed), From: []string{str(paysync.PayWait), str(paysync.PayProgress), str(paysync.PayFail),
		str(paysync.PayClose), str(paysync.PayCancel)}, To: str(paysync.PaySuccess)},
	{Event: string(PayClose), From: []string{str(paysync.PayWait), str(paysync.PayProgress), str(paysync.PayFail)},
		To: str(paysync.PayClose)},
	{Event: string(PayCancel), From: []string{str(paysync.PayWait), str(paysync.PayProgress), str(paysync.PayFail)},
		To: str(paysync.PayCancel)},
	{Event: string(PayFail), From: []string{str(paysync.PayWait), str(paysync.PayProgress)}, To: str(paysync.PayFail)},
	// Nothing leaves success through sync: refunds live in RefundStatus.
}

var (
	payMachine = newMachine("statemachine.Pay", "pay order", payStates(), payTable)
	// A person may close a paid order whose money never moved.
	payManualMachine = newMachine("statemachine.PayManual", "pay order", payStates(), withManual(payTable, []Transition{
		{Event: string(PayClose), From: []string{str(paysync.PaySuccess)}, To: str(paysync.PayClose)},
	}))
)

func payStates() []string {
	var out []string
	for _, st := range paysync.PayStatuses() {
		out = append(out, string(st))
	}
	return out
}

// str shortens the table literals.
func str[T ~string](v T) string { return string(v) }

// Pay applies ev to a pay order in status from, as a sync may. It returns
// the new status and changed=true when the status moves, and (from, false,
// nil) when ev leads from from to itself. It returns (from, false, err) with
// err wrapping paysync.ErrInvalidTransition when from is not a known status,
// ev is not a known event, or the table has no such move; and wrapping
// paysync.ErrInternal when looplab/fsm fails otherwise (a bug). A cancelled
// ctx does not stop the transition.
func Pay(ctx context.Context, from paysync.PayStatus, ev PayEvent) (to paysync.PayStatus, changed bool, err error) {
	return apply(payMachine, ctx, from, ev)
}

// PayManual is Pay over the manual table: every sync move, plus the moves
// only a person may make through a repair (success → close).
func PayManual(ctx context.Context, from paysync.PayStatus, ev PayEvent) (to paysync.PayStatus, changed bool, err error) {
	return apply(payManualMachine, ctx, from, ev)
}

// PayEventTo returns the event that leads a pay order to status to, and
// false when none does (wait). Whether an order may take it, Pay answers.
func PayEventTo(to paysync.PayStatus) (PayEvent, bool) {
	return eventTo[PayEvent](payManualMachine, to)
}

// PayTransitions returns a copy of the pay order table; changing it changes
// nothing in the package.
func PayTransitions() []Transition { return payMachine.transitions() }

// PayManualTransitions returns a copy of the manual pay order table.
func PayManualTransitions() []Transition { return payManualMachine.transitions() }

// PayDiagram returns the pay order table as a Mermaid stateDiagram-v2, the
// moves only a person may make labelled "(repair)".
func PayDiagram() string { return diagram(payMachine, payManualMachine) }
