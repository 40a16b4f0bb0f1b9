package statemachine

import (
	"context"

	"github.com/paysync/paysync"
)

// PayEvent names a move of a pay order. The values are also the fsm event names.
type PayEvent string

// Pay order events.
const (
	PayStart   PayEvent = "start"   // wait → progress
	PaySucceed PayEvent = "succeed" // wait|progress|fail|close|cancel → success
	PayClose   PayEvent = "close"   // wait|progress|fail → close
	PayCancel  PayEvent = "cancel"  // wait|progress|fail → cancel
	PayFail    PayEvent = "fail"    // wait|progress → fail
)

var payMachine = newMachine("statemachine.Pay", "pay order", payStates(), []Transition{
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
	// Nothing leaves success: refunds live in RefundStatus, not here.
})

func payStates() []string {
	var out []string
	for _, st := range paysync.PayStatuses() {
		out = append(out, string(st))
	}
	return out
}

// str shortens the table literals.
func str[T ~string](v T) string { return string(v) }

// Pay applies ev to a pay order in status from. It returns the new status and
// changed=true when the status moves, and (from, false, nil) when ev leads
// from from to itself. It returns (from, false, err) with err wrapping
// paysync.ErrInvalidTransition when from is not a known status, ev is not a
// known event, or the table has no such move; and wrapping paysync.ErrInternal
// if looplab/fsm disagrees with the table (a bug). A cancelled ctx does not
// stop the transition.
func Pay(ctx context.Context, from paysync.PayStatus, ev PayEvent) (to paysync.PayStatus, changed bool, err error) {
	t, changed, err := payMachine.apply(ctx, string(from), string(ev))
	return paysync.PayStatus(t), changed, err
}

// PayEventFor returns the event that moves a pay order from from to to, and
// false when the table has no such move (including from == to).
func PayEventFor(from, to paysync.PayStatus) (PayEvent, bool) {
	ev, ok := payMachine.eventFor(string(from), string(to))
	return PayEvent(ev), ok
}

// PayTransitions returns a copy of the pay order table; changing it changes
// nothing in the package.
func PayTransitions() []Transition { return payMachine.transitions() }

// PayDiagram returns the pay order table as a Mermaid stateDiagram-v2.
func PayDiagram() string { return payMachine.diagram() }
