// Package statemachine holds the state machines of pay orders, allocation
// orders and allocation receivers: which event may move an order from which
// status to which.
//
// The tables are package-level and immutable; callers get copies. A change is
// applied by a fresh github.com/looplab/fsm instance built for that one call
// and then dropped, so no fsm state is ever shared between goroutines or
// survives a failed call. A call that changes nothing builds no fsm at all,
// which keeps the common "order already consistent" path of a sync cheap.
//
// Every refused move is a *paysync.Error wrapping paysync.ErrInvalidTransition.
package statemachine
