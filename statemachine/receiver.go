package statemachine

import (
	"context"

	"github.com/paysync/paysync"
)

// ReceiverEvent names a move of an allocation receiver's result. The values
// are also the fsm event names.
type ReceiverEvent string

// Receiver events.
const (
	ReceiverSucceed ReceiverEvent = "succeed" // pending → success
	ReceiverFail    ReceiverEvent = "fail"    // pending → fail
)

// Only pending moves: a final result never changes (a contradicting channel
// answer is an anomaly for a person), and an ignored receiver is never paid.
var receiverMachine = newMachine("statemachine.Receiver", "allocation receiver",
	[]string{str(paysync.ReceiverPending), str(paysync.ReceiverSuccess), str(paysync.ReceiverFail), str(paysync.ReceiverIgnore)},
	[]Transition{
		{Event: string(ReceiverSucceed), From: []string{str(paysync.ReceiverPending)}, To: str(paysync.ReceiverSuccess)},
		{Event: string(ReceiverFail), From: []string{str(paysync.ReceiverPending)}, To: str(paysync.ReceiverFail)},
	})

// Receiver applies ev to a receiver whose result is from. It returns the new
// result and true when the result moves, and (from, false, nil) when ev leads
// from from to itself. It returns (from, false, err) with err wrapping
// paysync.ErrInvalidTransition when from is not a known result, ev is not a
// known event, or the table has no such move; and wrapping paysync.ErrInternal
// when looplab/fsm fails otherwise (a bug). A cancelled ctx does not stop the
// transition.
func Receiver(ctx context.Context, from paysync.ReceiverResult, ev ReceiverEvent) (paysync.ReceiverResult, bool, error) {
	return apply(receiverMachine, ctx, from, ev)
}

// ReceiverEventTo returns the event that leads a receiver to result to, and
// false when none does.
func ReceiverEventTo(to paysync.ReceiverResult) (ReceiverEvent, bool) {
	return eventTo[ReceiverEvent](receiverMachine, to)
}

// ReceiverTransitions returns a copy of the receiver table; changing it
// changes nothing in the package.
func ReceiverTransitions() []Transition { return receiverMachine.transitions() }

// ReceiverDiagram returns the receiver table as a Mermaid stateDiagram-v2.
func ReceiverDiagram() string { return diagram(receiverMachine, nil) }
