package statemachine

import (
	"context"

	"github.com/paysync/paysync"
)

// AllocationEvent names a move of an allocation order. The values are also
// the fsm event names; each leads to one status.
type AllocationEvent string

// Allocation order events.
const (
	AllocEnd        AllocationEvent = "end"         // processing|failed → allocation_end
	AllocFail       AllocationEvent = "fail"        // processing → allocation_failed
	AllocRestart    AllocationEvent = "restart"     // failed → processing
	AllocFinish     AllocationEvent = "finish"      // allocation_end|finish_failed → finish
	AllocFinishFail AllocationEvent = "finish_fail" // allocation_end → finish_failed
)

// ignore is deliberately absent from every row: an ignored allocation never
// moves. A person has no moves of their own here: the manual table is this
// one.
var allocationMachine = newMachine("statemachine.Allocation", "allocation order", allocationStates(), []Transition{
	{Event: string(AllocEnd), From: []string{str(paysync.AllocProcessing), str(paysync.AllocFailed)}, To: str(paysync.AllocEnd)},
	{Event: string(AllocFail), From: []string{str(paysync.AllocProcessing)}, To: str(paysync.AllocFailed)},
	{Event: string(AllocRestart), From: []string{str(paysync.AllocFailed)}, To: str(paysync.AllocProcessing)},
	{Event: string(AllocFinish), From: []string{str(paysync.AllocEnd), str(paysync.AllocFinishFailed)}, To: str(paysync.AllocFinish)},
	{Event: string(AllocFinishFail), From: []string{str(paysync.AllocEnd)}, To: str(paysync.AllocFinishFailed)},
})

func allocationStates() []string {
	var out []string
	for _, st := range paysync.AllocationStatuses() {
		out = append(out, string(st))
	}
	return out
}

// Allocation applies ev to an allocation order in status from. It returns the
// new status and true when the status moves, and (from, false, nil) when ev
// leads from from to itself. It returns (from, false, err) with err wrapping
// paysync.ErrInvalidTransition when from is not a known status, ev is not a
// known event, or the table has no such move; and wrapping paysync.ErrInternal
// when looplab/fsm fails otherwise (a bug). A cancelled ctx does not stop the
// transition.
func Allocation(ctx context.Context, from paysync.AllocationStatus, ev AllocationEvent) (paysync.AllocationStatus, bool, error) {
	return apply(allocationMachine, ctx, from, ev)
}

// AllocationEventTo returns the event that leads an allocation order to
// status to, and false when none does. Whether an order may take it,
// Allocation answers.
func AllocationEventTo(to paysync.AllocationStatus) (AllocationEvent, bool) {
	return eventTo[AllocationEvent](allocationMachine, to)
}

// AllocationTransitions returns a copy of the allocation order table; changing
// it changes nothing in the package.
func AllocationTransitions() []Transition { return allocationMachine.transitions() }

// AllocationDiagram returns the allocation order table as a Mermaid
// stateDiagram-v2.
func AllocationDiagram() string { return diagram(allocationMachine, nil) }
