package repositorytest

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

func recordTests() []test {
	return []test{
		{"SaveEntries", testSaveEntries},
		{"SaveEntriesDuplicate", testSaveEntriesDuplicate},
		{"SaveEntriesEmpty", testSaveEntriesEmpty},
		{"GetSyncRecord", testGetSyncRecord},
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
		must(t, st.SaveEntries(ctx, repository.Entries{Sync: r}))
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

// testSaveEntries: SaveEntries stores a record, its adjusts, sightings and
// events, field for field, without touching any order.
func testSaveEntries(t *testing.T, st repository.Store, _ Options) {
	p := payKind()
	created(t, st, p, "p-1", base())
	before := p.fields(stored(t, st, p, "p-1"))
	r := NewSyncRecord(paysync.TradePay, "p-1", zoned(0))
	r.ChannelState, r.Adjusted, r.AdjustNo = "", false, ""
	r.Anomalies = []paysync.AnomalyCode{paysync.AnomalyAmountMismatch, paysync.AnomalyTradeMismatch}
	r.ErrorCode, r.ErrorMsg = string(paysync.CodeUnavailable), "渠道超时"
	r.ClientIP, r.Source = "2001:db8::1", paysync.SourceAPI
	adjust := NewAdjustRecord(paysync.TradePay, "p-1", zoned(0))
	adjust.Source, adjust.Way, adjust.Operator, adjust.Reason = paysync.SourceManual, paysync.WayManual, "ops@example.com", "复核"
	e := repository.Entries{
		Sync:      r,
		Adjusts:   []paysync.AdjustRecord{adjust},
		Sightings: []repository.AnomalySighting{NewSighting(paysync.TradePay, "p-1", paysync.AnomalyAmountMismatch, zoned(0))},
		Events: []paysync.Event{anomalyEvent(paysync.TradePay, "p-1", zoned(0)),
			NewEvent(paysync.EventSyncExhausted, paysync.TradePay, "p-1", zoned(0))},
	}
	must(t, st.SaveEntries(t.Context(), e))

	syncs, err := st.ListSyncRecords(t.Context(), repository.RecordFilter{})
	must(t, err)
	r.CreatedAt = utc(r.CreatedAt)
	same(t, "sync records", listFields(syncFields, syncs), listFields(syncFields, []paysync.SyncRecord{r}))
	adjusts, err := st.ListAdjustRecords(t.Context(), repository.RecordFilter{})
	must(t, err)
	adjust.CreatedAt = utc(adjust.CreatedAt)
	same(t, "adjust records", listFields(adjustFields, adjusts), listFields(adjustFields, []paysync.AdjustRecord{adjust}))
	events, err := st.ListEvents(t.Context(), repository.EventFilter{})
	must(t, err)
	for i := range e.Events {
		e.Events[i].CreatedAt = utc(e.Events[i].CreatedAt)
	}
	same(t, "events", listFields(eventFields, events), listFields(eventFields, e.Events))
	as, err := st.OrderAnomalies(t.Context(), paysync.TradePay, "p-1")
	must(t, err)
	same(t, "anomalies", listFields(anomalyFields, as),
		listFields(anomalyFields, []paysync.Anomaly{opened(paysync.TradePay, "p-1", paysync.AnomalyAmountMismatch, zoned(0))}))
	same(t, "the order", p.fields(stored(t, st, p, "p-1")), before)
}

// testSaveEntriesDuplicate: a taken id refuses all of the entries.
func testSaveEntriesDuplicate(t *testing.T, st repository.Store, _ Options) {
	p := payKind()
	created(t, st, p, "p-1", base())
	first := repository.Entries{Sync: NewSyncRecord(paysync.TradePay, "p-1", base())}
	must(t, st.SaveEntries(t.Context(), first))
	committed := NewEntries(paysync.TradePay, "p-1", base())
	must(t, st.CommitPayOrder(t.Context(), stored(t, st, p, "p-1"), committed))

	tests := []struct {
		name  string
		clash func(e *repository.Entries)
	}{
		{"sync id of a saved record", func(e *repository.Entries) { e.Sync.ID = first.Sync.ID }},
		{"sync id of a commit's record", func(e *repository.Entries) { e.Sync.ID = committed.Sync.ID }},
		{"adjust number of a commit", func(e *repository.Entries) { e.Adjusts[0].AdjustNo = committed.Adjusts[0].AdjustNo }},
		{"event id of a commit", func(e *repository.Entries) { e.Events[0].ID = committed.Events[0].ID }},
		{"event id twice", func(e *repository.Entries) { e.Events = append(e.Events, e.Events[0]) }},
		{"adjust number twice", func(e *repository.Entries) { e.Adjusts = append(e.Adjusts, e.Adjusts[0]) }},
	}
	looks := looksFor(p, stored(t, st, p, "p-1"))
	before := snapshot(t, st, looks...)
	for _, tc := range tests {
		e := NewEntries(paysync.TradePay, "p-1", base().Add(time.Minute))
		e.Sightings = []repository.AnomalySighting{NewSighting(paysync.TradePay, "p-1", paysync.AnomalyAmountMismatch, base())}
		tc.clash(&e)
		wantErr(t, tc.name, st.SaveEntries(t.Context(), e), paysync.ErrDuplicate)
		same(t, "store after "+tc.name, snapshot(t, st, looks...), before)
	}
}

// testSaveEntriesEmpty: empty entries store nothing and return nil.
func testSaveEntriesEmpty(t *testing.T, st repository.Store, _ Options) {
	p := payKind()
	created(t, st, p, "p-1", base())
	looks := looksFor(p, stored(t, st, p, "p-1"))
	before := snapshot(t, st, looks...)
	for _, e := range []repository.Entries{{}, {Adjusts: []paysync.AdjustRecord{}, Events: []paysync.Event{},
		Sightings: []repository.AnomalySighting{}, Resolutions: []repository.AnomalyResolution{}}} {
		must(t, st.SaveEntries(t.Context(), e))
	}
	same(t, "store after empty entries", snapshot(t, st, looks...), before)
}

// testGetSyncRecord reads back, field for field, what a commit and
// SaveEntries stored; a record nobody stored is not found.
func testGetSyncRecord(t *testing.T, st repository.Store, _ Options) {
	p := payKind()
	created(t, st, p, "p-1", base())
	saved := NewSyncRecord(paysync.TradePay, "p-1", zoned(0))
	saved.Anomalies = []paysync.AnomalyCode{paysync.AnomalyTradeMismatch}
	saved.ErrorCode, saved.ErrorMsg, saved.ClientIP = string(paysync.CodeUnavailable), "timeout", "10.0.0.1"
	must(t, st.SaveEntries(t.Context(), repository.Entries{Sync: saved}))
	committed := NewEntries(paysync.TradePay, "p-1", zoned(time.Second))
	committed.Sync.Source = paysync.SourceCallback
	must(t, st.CommitPayOrder(t.Context(), stored(t, st, p, "p-1"), committed))

	for _, want := range []paysync.SyncRecord{saved, committed.Sync} {
		want.CreatedAt = utc(want.CreatedAt)
		got, err := st.GetSyncRecord(t.Context(), want.ID)
		must(t, err)
		same(t, "sync record "+want.ID.String(), syncFields(got), syncFields(want))
		// What was got back is the caller's.
		scribbleSync(&got)
		again, err := st.GetSyncRecord(t.Context(), want.ID)
		must(t, err)
		same(t, "sync record after the caller scribbled on it", syncFields(again), syncFields(want))
	}
	for _, id := range []uuid.UUID{newID(), {}} {
		_, err := st.GetSyncRecord(t.Context(), id)
		wantErr(t, "get sync record "+id.String(), err, paysync.ErrRecordNotFound)
	}
}

func testAdjustRecordFields(t *testing.T, st repository.Store, _ Options) {
	a := allocationKind()
	created(t, st, a, "a-1", base())
	r := NewAdjustRecord(paysync.TradeAllocation, "a-1", zoned(0))
	r.Source, r.Way = paysync.SourceCallback, paysync.WayAllocReceiver
	r.ReceiverNo = "a-1-2"
	r.Before, r.After = string(paysync.ReceiverPending), string(paysync.ReceiverSuccess)
	manual := NewAdjustRecord(paysync.TradeAllocation, "a-1", zoned(time.Second))
	manual.Source, manual.Way, manual.Operator, manual.Reason = paysync.SourceManual, paysync.WayManual, "ops@example.com", "渠道已确认"
	e := NewEntries(paysync.TradeAllocation, "a-1", zoned(0))
	e.Adjusts = []paysync.AdjustRecord{r, manual}
	must(t, st.CommitAllocationOrder(t.Context(), stored(t, st, a, "a-1"), e))

	got, err := st.ListAdjustRecords(t.Context(), repository.RecordFilter{})
	must(t, err)
	r.CreatedAt, manual.CreatedAt = utc(r.CreatedAt), utc(manual.CreatedAt)
	same(t, "adjust records", listFields(adjustFields, got), listFields(adjustFields, []paysync.AdjustRecord{r, manual}))
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
