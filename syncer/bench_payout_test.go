package syncer

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
)

// The refund and transfer figures beside BenchmarkSyncPayAdjust. Run:
// go test -run '^$' -bench 'Refund|Transfer' -benchmem ./syncer

// BenchmarkSyncRefundAdjust: b.N refunds in progress, each on its own paid
// order and created through CreateRefund before the timer, each synced once
// to success — a refund commit with its pay order's refund fields.
func BenchmarkSyncRefundAdjust(b *testing.B) {
	e := newEnv(b)
	reqs := make([]RefundRequest, 0, b.N)
	for i := range b.N {
		n := strconv.Itoa(i)
		e.paid("O" + n)
		r := e.createRefund("R"+n, "O"+n, "3.00")
		e.ch.SetRefund(r.RefundNo, channeltest.RefundAnswer(r, channel.RefundSuccess))
		reqs = append(reqs, RefundRequest{RefundNo: r.RefundNo})
	}
	runtime.GC() // the setup's garbage is not the sync's cost
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		res, err := e.s.SyncRefund(e.ctx, reqs[i])
		if err != nil || res.Status != paysync.RefundSuccess {
			b.Fatal(res.Status, err)
		}
	}
	b.StopTimer()
	adj, err := e.store.ListAdjustRecords(e.ctx, repository.RecordFilter{TradeType: paysync.TradeRefund})
	if err != nil || len(adj) != b.N {
		b.Fatalf("want %d AdjustRecords, have %d (%v)", b.N, len(adj), err)
	}
}

// BenchmarkSyncTransferAdjust: b.N transfers in progress, created before
// the timer, each synced once to success.
func BenchmarkSyncTransferAdjust(b *testing.B) {
	e := newEnv(b)
	reqs := make([]TransferRequest, 0, b.N)
	for i := range b.N {
		t := e.newTransfer("T"+strconv.Itoa(i), paysync.TransferProgress, e.clock.Now())
		e.ch.SetTransfer(t.TransferNo, channeltest.TransferAnswer(t, channel.TransferSuccess))
		reqs = append(reqs, TransferRequest{TransferNo: t.TransferNo})
	}
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		res, err := e.s.SyncTransfer(e.ctx, reqs[i])
		if err != nil || res.Status != paysync.TransferSuccess {
			b.Fatal(res.Status, err)
		}
	}
	b.StopTimer()
	adj, err := e.store.ListAdjustRecords(e.ctx, repository.RecordFilter{TradeType: paysync.TradeTransfer})
	if err != nil || len(adj) != b.N {
		b.Fatalf("want %d AdjustRecords, have %d (%v)", b.N, len(adj), err)
	}
}
