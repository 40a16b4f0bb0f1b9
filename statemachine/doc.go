// Package statemachine holds the state machines of pay orders, allocation
// orders and their receivers, refunds and transfers: which event may move an
// order from which status to which (docs/state-machines.md).
//
// Each machine's whole table is one package-level value, never written after
// initialisation; callers get copies. A change is applied by an fsm built
// from that whole table (github.com/looplab/fsm), taken from a pool, set to
// the status the order is in, and sent the event: the fsm's answer is the
// guard, and a move the table lacks is refused by the fsm itself. An fsm
// whose answer is anything but a move or a refusal is dropped, never pooled.
//
// Pay, refund and transfer orders have a second, manual table: every sync
// move plus the moves only a person may make through a repair (success →
// close). Sync code never calls the manual functions.
//
// Every refused move is a *paysync.Error wrapping paysync.ErrInvalidTransition.
package statemachine
