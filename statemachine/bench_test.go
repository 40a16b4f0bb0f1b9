package statemachine_test

import (
	"context"
	"testing"

	"github.com/looplab/fsm"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/statemachine"
)

// BenchmarkPay applies progress → success, the change a sync makes most.
func BenchmarkPay(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		to, _, err := statemachine.Pay(ctx, paysync.PayProgress, statemachine.PaySucceed)
		if err != nil || to != paysync.PaySuccess {
			b.Fatalf("got (%q, %v)", to, err)
		}
	}
}

// BenchmarkFSMBaseline is docs/performance.md#the-baseline: looplab/fsm on the pay table,
// the table built outside the loop.
func BenchmarkFSMBaseline(b *testing.B) {
	var events fsm.Events
	for _, t := range statemachine.PayTransitions() {
		events = append(events, fsm.EventDesc{Name: t.Event, Src: t.From, Dst: t.To})
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		f := fsm.NewFSM("progress", events, nil)
		if err := f.Event(ctx, string(statemachine.PaySucceed)); err != nil {
			b.Fatal(err)
		}
	}
}
