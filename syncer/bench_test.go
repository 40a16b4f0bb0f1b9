package syncer

import (
	"context"
	"runtime"
	"strconv"
	"testing"

	"github.com/looplab/fsm"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
)

// The figures of docs/performance.md#engine-benchmarks. Run: go test -run '^$' -bench . -benchmem ./syncer

// BenchmarkFSMBaseline is the yardstick: a looplab/fsm built on the whole pay
// table, then one progress → success event.
func BenchmarkFSMBaseline(b *testing.B) {
	table := fsm.Events{
		{Name: "start", Src: []string{"wait"}, Dst: "progress"},
		{Name: "succeed", Src: []string{"wait", "progress", "fail", "close", "cancel"}, Dst: "success"},
		{Name: "close", Src: []string{"wait", "progress", "fail"}, Dst: "close"},
		{Name: "cancel", Src: []string{"wait", "progress", "fail"}, Dst: "cancel"},
		{Name: "fail", Src: []string{"wait", "progress"}, Dst: "fail"},
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		f := fsm.NewFSM("progress", table, nil)
		if err := f.Event(ctx, "succeed"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSyncPayConsistent: an order in progress that the channel reports
// in progress, not expired, synced again and again.
func BenchmarkSyncPayConsistent(b *testing.B) {
	e := newEnv(b)
	o := e.pay("O1", paysync.PayProgress)
	e.ch.SetPay("O1", channeltest.Report(o, channel.PayProgress))
	req := PayRequest{OrderNo: "O1"}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := e.s.SyncPay(e.ctx, req); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.StopTimer()
	recs, err := e.store.ListSyncRecords(e.ctx, repository.RecordFilter{TradeNo: "O1"})
	if err != nil || len(recs) != n {
		b.Fatalf("want %d SyncRecords, have %d (%v)", n, len(recs), err)
	}
}

// BenchmarkSyncPayAdjust: b.N orders in progress, each synced once to
// success.
func BenchmarkSyncPayAdjust(b *testing.B) {
	e := newEnv(b)
	reqs := make([]PayRequest, 0, b.N)
	for i := range b.N {
		no := "O" + strconv.Itoa(i)
		o := e.pay(no, paysync.PayProgress)
		e.ch.SetPay(no, channeltest.Paid(o))
		reqs = append(reqs, PayRequest{OrderNo: no})
	}
	runtime.GC() // the setup's garbage is not the sync's cost
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := e.s.SyncPay(e.ctx, reqs[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	adj, err := e.store.ListAdjustRecords(e.ctx, repository.RecordFilter{TradeType: paysync.TradePay})
	if err != nil || len(adj) != b.N {
		b.Fatalf("want %d AdjustRecords, have %d (%v)", b.N, len(adj), err)
	}
}

// BenchmarkSyncAllocation: b.N allocation orders of 10 pending receivers,
// each synced once while the channel reports all 10 successful.
func BenchmarkSyncAllocation(b *testing.B) {
	e := newEnv(b)
	reqs := make([]AllocationRequest, 0, b.N)
	for i := range b.N {
		no := "A" + strconv.Itoa(i)
		rs := make([]paysync.AllocationReceiver, 10)
		for j := range rs {
			rs[j] = recv("r"+strconv.Itoa(j), "acct"+strconv.Itoa(j), "1", paysync.ReceiverPending)
		}
		o := e.alloc(no, paysync.AllocProcessing, rs...)
		e.ch.SetAllocation(no, channeltest.Allocated(o, channel.ReceiverSuccess))
		reqs = append(reqs, AllocationRequest{AllocationNo: no})
	}
	runtime.GC() // the setup's garbage is not the sync's cost
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		res, err := e.s.SyncAllocation(e.ctx, reqs[i])
		if err != nil || res.Status != paysync.AllocEnd {
			b.Fatal(res.Status, err)
		}
	}
	b.StopTimer()
	adj, err := e.store.ListAdjustRecords(e.ctx, repository.RecordFilter{TradeType: paysync.TradeAllocation})
	if err != nil || len(adj) != 11*b.N {
		b.Fatalf("want %d AdjustRecords, have %d (%v)", 11*b.N, len(adj), err)
	}
}
