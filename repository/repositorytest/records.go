package repositorytest

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

func recordTests() []test {
	return []test{
		{"SaveSyncRecord", testSaveSyncRecord},
		{"SaveSyncRecordDuplicate", testSaveSyncRecordDuplicate},
		{"AdjustRecordFields", testAdjustRecordFields},
		{"ListSyncRecords", testListSyncRecords},
		{"ListAdjustRecords", testListAdjustRecords},
	}
}

// history is a store's trail after writeHistory, in store order.
type history struct {
	syncs   []paysync.SyncRecord
	adjusts []paysync.AdjustRecord
	events  []paysync.Event
}

// writeHistory stores records and events of pay orders p-1 and p-2 and
// allocation order a-1, interleaved, some saved alone and some committed.
func writeHistory(t *testing.T, st repository.Store) history {
	t.Helper()
	ctx, t0 := t.Context(), base()
	p, a := payKind(), allocationKind()
	created(t, st, p, "p-1", t0)
	created(t, st, p, "p-2", t0)
	created(t, st, a, "a-1", t0)
	var h history
	save := func(r paysync.SyncRecord) {
		must(t, st.SaveSyncRecord(ctx, r))
		h.syncs = append(h.syncs, r)
	}
	commit := func(e repository.Entries, do func() error) {
		must(t, do())
		h.syncs = append(h.syncs, e.Sync)
		h.adjusts = append(h.adjusts, e.Adjusts...)
		h.events = append(h.events, e.Events...)
	}

	save(NewSyncRecord(paysync.TradePay, "p-1", t0))
	e := NewEntries(paysync.TradePay, "p-1", t0.Add(time.Second))
	e.Adjusts = append(e.Adjusts, NewAdjustRecord(paysync.TradePay, "p-1", t0.Add(time.Second)))
	e.Events = append(e.Events, NewEvent(paysync.EventPayAnomaly, paysync.TradePay, "p-1", t0.Add(time.Second)))
	commit(e, func() error { return st.CommitPayOrder(ctx, stored(t, st, p, "p-1"), e) })
	save(NewSyncRecord(paysync.TradeAllocation, "a-1", t0.Add(2*time.Second)))
	ea := NewEntries(paysync.TradeAllocation, "a-1", t0.Add(3*time.Second))
	commit(ea, func() error { return st.CommitAllocationOrder(ctx, stored(t, st, a, "a-1"), ea) })
	ep := NewEntries(paysync.TradePay, "p-2", t0.Add(4*time.Second))
	commit(ep, func() error { return st.CommitPayOrder(ctx, stored(t, st, p, "p-2"), ep) })
	save(NewSyncRecord(paysync.TradePay, "p-1", t0.Add(5*time.Second)))
	return h
}

// pick returns the ids of the items at positions at.
func pick(ids []string, at ...int) []string {
	out := []string{}
	for _, i := range at {
		out = append(out, ids[i])
	}
	return out
}

func testSaveSyncRecord(t *testing.T, st repository.Store, _ Options) {
	r := NewSyncRecord(paysync.TradePay, "p-1", zoned(0))
	r.ChannelState, r.Adjusted, r.AdjustNo = "", false, ""
	r.Anomalies = []paysync.AnomalyCode{paysync.AnomalyAmountMismatch, paysync.AnomalyTradeMismatch}
	r.ErrorCode, r.ErrorMsg = string(paysync.CodeUnavailable), "渠道超时"
	r.ClientIP, r.Source = "2001:db8::1", paysync.SourceAPI
	must(t, st.SaveSyncRecord(t.Context(), r))

	got, err := st.ListSyncRecords(t.Context(), repository.RecordFilter{})
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("listed %d sync records, want 1", len(got))
	}
	want := r
	want.CreatedAt = utc(r.CreatedAt)
	same(t, "sync record", syncFields(got[0]), syncFields(want))
}

func testSaveSyncRecordDuplicate(t *testing.T, st repository.Store, _ Options) {
	first := NewSyncRecord(paysync.TradePay, "p-1", base())
	must(t, st.SaveSyncRecord(t.Context(), first))
	again := NewSyncRecord(paysync.TradePay, "p-2", base())
	again.ID = first.ID
	wantErr(t, "save a taken id", st.SaveSyncRecord(t.Context(), again), paysync.ErrDuplicate)

	p := payKind()
	created(t, st, p, "p-3", base())
	e := NewEntries(paysync.TradePay, "p-3", base())
	must(t, st.CommitPayOrder(t.Context(), stored(t, st, p, "p-3"), e))
	again.ID = e.Sync.ID
	wantErr(t, "save the id of a commit's record", st.SaveSyncRecord(t.Context(), again), paysync.ErrDuplicate)
	sameTrail(t, "after the duplicates", trailOf(t, st, ""), trail{syncs: []string{first.ID.String()}}.plus(entriesTrail(e)))
}

func testAdjustRecordFields(t *testing.T, st repository.Store, _ Options) {
	a := allocationKind()
	created(t, st, a, "a-1", base())
	r := NewAdjustRecord(paysync.TradeAllocation, "a-1", zoned(0))
	r.Source, r.Way = paysync.SourceCallback, paysync.WayAllocReceiver
	r.Before, r.After = string(paysync.ReceiverPending), string(paysync.ReceiverSuccess)
	e := NewEntries(paysync.TradeAllocation, "a-1", zoned(0))
	e.Adjusts = []paysync.AdjustRecord{r}
	must(t, st.CommitAllocationOrder(t.Context(), stored(t, st, a, "a-1"), e))

	got, err := st.ListAdjustRecords(t.Context(), repository.RecordFilter{})
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("listed %d adjust records, want 1", len(got))
	}
	want := r
	want.CreatedAt = utc(r.CreatedAt)
	same(t, "adjust record", adjustFields(got[0]), adjustFields(want))
}

func testListSyncRecords(t *testing.T, st repository.Store, _ Options) {
	h := writeHistory(t, st)
	ids := syncIDs(h.syncs) // 0 p-1 saved, 1 p-1, 2 a-1 saved, 3 a-1, 4 p-2, 5 p-1 saved
	tests := []struct {
		name string
		f    repository.RecordFilter
		want []string
	}{
		{"all", repository.RecordFilter{}, ids},
		{"pay", repository.RecordFilter{TradeType: paysync.TradePay}, pick(ids, 0, 1, 4, 5)},
		{"allocation", repository.RecordFilter{TradeType: paysync.TradeAllocation}, pick(ids, 2, 3)},
		{"trade", repository.RecordFilter{TradeNo: "p-1"}, pick(ids, 0, 1, 5)},
		{"type and trade", repository.RecordFilter{TradeType: paysync.TradeAllocation, TradeNo: "a-1"}, pick(ids, 2, 3)},
		{"trade of another type", repository.RecordFilter{TradeType: paysync.TradeAllocation, TradeNo: "p-1"}, []string{}},
		{"unknown trade", repository.RecordFilter{TradeNo: "p-9"}, []string{}},
		{"limit", repository.RecordFilter{Limit: 2}, pick(ids, 0, 1)},
		{"trade and limit", repository.RecordFilter{TradeNo: "p-1", Limit: 2}, pick(ids, 0, 1)},
		{"type and limit", repository.RecordFilter{TradeType: paysync.TradeAllocation, Limit: 1}, pick(ids, 2)},
		{"limit above count", repository.RecordFilter{TradeNo: "a-1", Limit: 10}, pick(ids, 2, 3)},
	}
	for _, tc := range tests {
		got, err := st.ListSyncRecords(t.Context(), tc.f)
		must(t, err)
		if got == nil {
			t.Errorf("%s: nil, want an empty slice when nothing matches", tc.name)
		}
		sameList(t, tc.name, syncIDs(got), tc.want)
	}
}

func testListAdjustRecords(t *testing.T, st repository.Store, _ Options) {
	h := writeHistory(t, st)
	nos := adjustNos(h.adjusts) // 0, 1 p-1 (one commit, in the order given), 2 a-1, 3 p-2
	tests := []struct {
		name string
		f    repository.RecordFilter
		want []string
	}{
		{"all", repository.RecordFilter{}, nos},
		{"pay", repository.RecordFilter{TradeType: paysync.TradePay}, pick(nos, 0, 1, 3)},
		{"allocation", repository.RecordFilter{TradeType: paysync.TradeAllocation}, pick(nos, 2)},
		{"trade", repository.RecordFilter{TradeNo: "p-1"}, pick(nos, 0, 1)},
		{"type and trade", repository.RecordFilter{TradeType: paysync.TradePay, TradeNo: "p-2"}, pick(nos, 3)},
		{"trade of another type", repository.RecordFilter{TradeType: paysync.TradePay, TradeNo: "a-1"}, []string{}},
		{"unknown trade", repository.RecordFilter{TradeNo: "p-9"}, []string{}},
		{"limit", repository.RecordFilter{Limit: 3}, pick(nos, 0, 1, 2)},
		{"trade and limit", repository.RecordFilter{TradeNo: "p-1", Limit: 1}, pick(nos, 0)},
	}
	for _, tc := range tests {
		got, err := st.ListAdjustRecords(t.Context(), tc.f)
		must(t, err)
		if got == nil {
			t.Errorf("%s: nil, want an empty slice when nothing matches", tc.name)
		}
		sameList(t, tc.name, adjustNos(got), tc.want)
	}
}
