package repositorytest

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

func outboxTests() []test {
	return []test{
		{"EventFields", testEventFields},
		{"ListEvents", testListEvents},
		{"MarkDelivered", testMarkDelivered},
		{"MarkDeliveredZeroTime", testMarkDeliveredZeroTime},
	}
}

func testEventFields(t *testing.T, st repository.Store, _ Options) {
	p := payKind()
	created(t, st, p, "p-1", base())
	ev := NewEvent(paysync.EventPayPaidAfterClose, paysync.TradePay, "p-1", zoned(0))
	e := NewEntries(paysync.TradePay, "p-1", zoned(0))
	e.Events = []paysync.Event{ev}
	must(t, st.CommitPayOrder(t.Context(), stored(t, st, p, "p-1"), e))

	got, err := st.ListEvents(t.Context(), repository.EventFilter{})
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("listed %d events, want 1", len(got))
	}
	want := ev
	want.CreatedAt = utc(ev.CreatedAt)
	same(t, "event", eventFields(got[0]), eventFields(want))
}

func testListEvents(t *testing.T, st repository.Store, _ Options) {
	h := writeHistory(t, st)
	ids := eventIDs(h.events) // 0, 1 p-1 (one commit, in the order given), 2 a-1, 3 p-2
	tests := []struct {
		name string
		f    repository.EventFilter
		want []string
	}{
		{"all", repository.EventFilter{}, ids},
		{"pay", repository.EventFilter{TradeType: paysync.TradePay}, pick(ids, 0, 1, 3)},
		{"allocation", repository.EventFilter{TradeType: paysync.TradeAllocation}, pick(ids, 2)},
		{"trade", repository.EventFilter{TradeNo: "p-1"}, pick(ids, 0, 1)},
		{"type and trade", repository.EventFilter{TradeType: paysync.TradePay, TradeNo: "p-2"}, pick(ids, 3)},
		{"trade of another type", repository.EventFilter{TradeType: paysync.TradeAllocation, TradeNo: "p-1"}, []string{}},
		{"unknown trade", repository.EventFilter{TradeNo: "p-9"}, []string{}},
		{"limit", repository.EventFilter{Limit: 3}, pick(ids, 0, 1, 2)},
		{"trade and limit", repository.EventFilter{TradeNo: "p-1", Limit: 1}, pick(ids, 0)},
		{"undelivered", repository.EventFilter{UndeliveredOnly: true}, ids},
	}
	for _, tc := range tests {
		got, err := st.ListEvents(t.Context(), tc.f)
		must(t, err)
		if got == nil {
			t.Errorf("%s: nil, want an empty slice when nothing matches", tc.name)
		}
		sameList(t, tc.name, eventIDs(got), tc.want)
	}
}

func testMarkDelivered(t *testing.T, st repository.Store, _ Options) {
	h := writeHistory(t, st)
	ids := eventIDs(h.events)
	ctx := t.Context()
	at := zoned(time.Hour)
	must(t, st.MarkDelivered(ctx, at, h.events[0].ID, h.events[2].ID, uuid.New()))
	must(t, st.MarkDelivered(ctx, at))

	tests := []struct {
		name string
		f    repository.EventFilter
		want []string
	}{
		{"all", repository.EventFilter{}, ids},
		{"undelivered", repository.EventFilter{UndeliveredOnly: true}, pick(ids, 1, 3)},
		{"undelivered of a trade", repository.EventFilter{UndeliveredOnly: true, TradeNo: "p-1"}, pick(ids, 1)},
		{"undelivered allocation", repository.EventFilter{UndeliveredOnly: true, TradeType: paysync.TradeAllocation}, []string{}},
		{"undelivered, limit", repository.EventFilter{UndeliveredOnly: true, Limit: 1}, pick(ids, 1)},
	}
	check := func(stage string) {
		t.Helper()
		for _, tc := range tests {
			got, err := st.ListEvents(ctx, tc.f)
			must(t, err)
			sameList(t, stage+": "+tc.name, eventIDs(got), tc.want)
		}
		all, err := st.ListEvents(ctx, repository.EventFilter{})
		must(t, err)
		for i, e := range all {
			want := h.events[i]
			want.CreatedAt = utc(want.CreatedAt)
			if i == 0 || i == 2 {
				want.DeliveredAt = utc(at)
			}
			same(t, stage+": event "+ids[i], eventFields(e), eventFields(want))
		}
	}
	check("marked")

	// Marking again is harmless and keeps the first delivery time.
	must(t, st.MarkDelivered(ctx, at.Add(time.Hour), h.events[0].ID, h.events[2].ID))
	check("marked again")
}

// testMarkDeliveredZeroTime: a zero delivery time is refused, since a zero
// DeliveredAt means "not delivered", and nothing is marked.
func testMarkDeliveredZeroTime(t *testing.T, st repository.Store, _ Options) {
	h := writeHistory(t, st)
	err := st.MarkDelivered(t.Context(), time.Time{}, h.events[0].ID)
	wantErr(t, "MarkDelivered at the zero time", err, paysync.ErrInvalidRequest)
	got, err := st.ListEvents(t.Context(), repository.EventFilter{UndeliveredOnly: true})
	must(t, err)
	sameList(t, "undelivered after the refused mark", eventIDs(got), eventIDs(h.events))
}
