package statemachine

import (
	"context"

	"github.com/paysync/paysync"
)

// TransferEvent names a move of a transfer order. The values are also the
// fsm event names; each leads to one status.
type TransferEvent string

// Transfer order events: a transfer moves as a refund does.
const (
	TransferSucceed TransferEvent = "succeed" // progress|fail|close → success
	TransferClose   TransferEvent = "close"   // progress|fail → close (and success → close by a person)
	TransferFail    TransferEvent = "fail"    // progress → fail
	TransferRestart TransferEvent = "restart" // fail|close → progress
)

var (
	transferMachine       = newMachine("statemachine.Transfer", "transfer order", transferStates(), refundTable())
	transferManualMachine = newMachine("statemachine.TransferManual", "transfer order", transferStates(),
		withManual(refundTable(), refundManual()))
)

func transferStates() []string {
	var out []string
	for _, st := range paysync.TransferStatuses() {
		out = append(out, string(st))
	}
	return out
}

// Transfer applies ev to a transfer order in status from, as a sync may. Its
// answers are those of Pay.
func Transfer(ctx context.Context, from paysync.TransferStatus, ev TransferEvent) (paysync.TransferStatus, bool, error) {
	return apply(transferMachine, ctx, from, ev)
}

// TransferManual is Transfer over the manual table: every sync move, plus
// success → close.
func TransferManual(ctx context.Context, from paysync.TransferStatus, ev TransferEvent) (paysync.TransferStatus, bool, error) {
	return apply(transferManualMachine, ctx, from, ev)
}

// TransferEventTo returns the event that leads a transfer to status to, and
// false when none does.
func TransferEventTo(to paysync.TransferStatus) (TransferEvent, bool) {
	return eventTo[TransferEvent](transferManualMachine, to)
}

// TransferTransitions returns a copy of the transfer order table.
func TransferTransitions() []Transition { return transferMachine.transitions() }

// TransferManualTransitions returns a copy of the manual transfer order table.
func TransferManualTransitions() []Transition { return transferManualMachine.transitions() }

// TransferDiagram returns the transfer order table as a Mermaid
// stateDiagram-v2, the moves only a person may make labelled "(repair)".
func TransferDiagram() string { return diagram(transferMachine, transferManualMachine) }
