package repositorytest

import (
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

func valueTests() []test {
	return []test{
		{"RecordCopies", testRecordCopies},
		{"Decimals", testDecimals},
	}
}

// scribbleBytes overwrites b in place.
func scribbleBytes(b []byte) {
	for i := range b {
		b[i] = '#'
	}
}

func scribbleSync(r *paysync.SyncRecord) {
	scribbleBytes(r.Raw)
	for i := range r.Anomalies {
		r.Anomalies[i] = "scribbled"
	}
}

func testRecordCopies(t *testing.T, st repository.Store, _ Options) {
	ctx := t.Context()
	p := payKind()
	created(t, st, p, "p-1", base())
	saved := NewSyncRecord(paysync.TradePay, "p-1", base())
	saved.Anomalies = []paysync.AnomalyCode{paysync.AnomalyAmountMismatch}
	e := NewEntries(paysync.TradePay, "p-1", base())
	e.Sync.Anomalies = []paysync.AnomalyCode{paysync.AnomalyCurrencyMismatch}
	// Deep copies of what the store must keep, before anything scribbles.
	wantSyncs := []fields{syncFields(saved), syncFields(e.Sync)}
	wantAdjust := adjustFields(e.Adjusts[0])
	wantEvent := eventFields(e.Events[0])

	must(t, st.SaveEntries(ctx, repository.Entries{Sync: saved}))
	must(t, st.CommitPayOrder(ctx, stored(t, st, p, "p-1"), e))
	// What was passed in.
	scribbleSync(&saved)
	scribbleSync(&e.Sync)
	scribbleBytes(e.Events[0].Payload)
	e.Adjusts[0] = paysync.AdjustRecord{AdjustNo: "scribbled"}
	e.Events[0].ID = newID()

	check := func(stage string) {
		t.Helper()
		syncs, err := st.ListSyncRecords(ctx, repository.RecordFilter{})
		must(t, err)
		adjusts, err := st.ListAdjustRecords(ctx, repository.RecordFilter{})
		must(t, err)
		events, err := st.ListEvents(ctx, repository.EventFilter{})
		must(t, err)
		if len(syncs) != 2 || len(adjusts) != 1 || len(events) != 1 {
			t.Fatalf("%s: %d sync records, %d adjust records, %d events; want 2, 1, 1", stage, len(syncs), len(adjusts), len(events))
		}
		for i := range syncs {
			same(t, stage+": sync record", syncFields(syncs[i]), wantSyncs[i])
		}
		same(t, stage+": adjust record", adjustFields(adjusts[0]), wantAdjust)
		same(t, stage+": event", eventFields(events[0]), wantEvent)
		// What was got back.
		for i := range syncs {
			scribbleSync(&syncs[i])
		}
		adjusts[0].AdjustNo = "scribbled"
		scribbleBytes(events[0].Payload)
	}
	check("after the caller scribbled on its input")
	check("after the caller scribbled on what it listed")
}

// testDecimals: amounts compare by value, whatever their scale, in every
// kind and in a refund's change of its pay order.
func testDecimals(t *testing.T, st repository.Store, _ Options) {
	ctx := t.Context()
	p, a, r, tr := payKind(), allocationKind(), refundKind(), transferKind()
	wantAmount := func(what string, got, want decimal.Decimal) {
		t.Helper()
		if !got.Equal(want) {
			t.Errorf("%s: got %s, want %s", what, got, want)
		}
	}
	created(t, st, p, "p-1", base(), func(o *paysync.PayOrder) {
		o.Amount, o.RefundedAmount, o.ReservedAmount = decimal.New(105, -1), decimal.New(1, 0), decimal.New(25, -1)
	})
	created(t, st, a, "a-1", base(), func(o *paysync.AllocationOrder) {
		o.Amount = decimal.New(105, -1)
		o.Receivers[0].Amount, o.Receivers[1].Amount = decimal.New(65, -1), decimal.New(4, 0)
	})
	created(t, st, tr, "t-1", base(), func(o *paysync.TransferOrder) { o.Amount = decimal.New(25, 0) })
	po := stored(t, st, p, "p-1")
	wantAmount("pay order amount", po.Amount, decimal.New(1050, -2))
	wantAmount("pay order refunded", po.RefundedAmount, decimal.New(100, -2))
	wantAmount("pay order reserved", po.ReservedAmount, decimal.New(250, -2))
	ao := stored(t, st, a, "a-1")
	wantAmount("allocation amount", ao.Amount, decimal.New(1050, -2))
	wantAmount("receiver 0 amount", ao.Receivers[0].Amount, decimal.New(650, -2))
	wantAmount("receiver 1 amount", ao.Receivers[1].Amount, decimal.New(400, -2))
	wantAmount("transfer amount", stored(t, st, tr, "t-1").Amount, decimal.New(2500, -2))

	refund := NewRefundOrder("r-1", base())
	refund.OrderNo, refund.Amount = "p-1", decimal.New(3, 0)
	change := ReserveRefund(po, refund)
	change.ReservedAmount = decimal.New(55, -1)
	must(t, st.CreateRefundOrder(ctx, refund, change, repository.Entries{}))
	wantAmount("refund amount", stored(t, st, r, "r-1").Amount, decimal.New(300, -2))
	wantAmount("reserved by the refund", stored(t, st, p, "p-1").ReservedAmount, decimal.New(550, -2))

	po = stored(t, st, p, "p-1")
	po.Amount, po.RefundedAmount = decimal.New(1, -2), decimal.New(40, -1)
	must(t, st.CommitPayOrder(ctx, po, NewEntries(paysync.TradePay, "p-1", base())))
	po = stored(t, st, p, "p-1")
	wantAmount("committed amount", po.Amount, decimal.New(1, -2))
	wantAmount("committed refunded", po.RefundedAmount, decimal.New(4, 0))
}
