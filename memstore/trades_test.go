package memstore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/repository/repositorytest"
)

// TestTradeChains stores rows about one number "X" before any order has it,
// then from a pay order "X", then from an allocation order "X", and rows
// about "Y" from X's commit before an order "Y" exists: whoever holds a
// number's rows, listing by the number finds them all, in the order stored.
func TestTradeChains(t *testing.T) {
	ctx := t.Context()
	at := time.Date(2024, 5, 12, 8, 0, 0, 0, time.UTC)
	s := memstore.New()
	var want []uuid.UUID // sync record ids about X, in the order stored
	save := func(typ paysync.TradeType, no string) {
		t.Helper()
		r := repositorytest.NewSyncRecord(typ, no, at)
		if err := s.SaveSyncRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
		if no == "X" {
			want = append(want, r.ID)
		}
	}
	save(paysync.TradePay, "X") // an orphan, adopted by the pay order
	save(paysync.TradePay, "Y")

	if err := s.CreatePayOrder(ctx, repositorytest.NewPayOrder("X", at)); err != nil {
		t.Fatal(err)
	}
	e := repositorytest.NewEntries(paysync.TradePay, "X", at)
	// A commit may carry rows about another trade: Y has no order yet.
	e.Events = append(e.Events, repositorytest.NewEvent(paysync.EventPayAnomaly, paysync.TradePay, "Y", at))
	o := repositorytest.NewPayOrder("X", at)
	o.Version = 1
	if err := s.CommitPayOrder(ctx, o, e); err != nil {
		t.Fatal(err)
	}
	want = append(want, e.Sync.ID)
	save(paysync.TradeAllocation, "X") // the pay order holds it

	if err := s.CreateAllocationOrder(ctx, repositorytest.NewAllocationOrder("X", at)); err != nil {
		t.Fatal(err)
	}
	a := repositorytest.NewAllocationOrder("X", at)
	a.Version = 1
	ae := repositorytest.NewEntries(paysync.TradeAllocation, "X", at)
	if err := s.CommitAllocationOrder(ctx, a, ae); err != nil {
		t.Fatal(err)
	}
	want = append(want, ae.Sync.ID)
	save(paysync.TradePay, "X")

	if err := s.CreateAllocationOrder(ctx, repositorytest.NewAllocationOrder("Y", at)); err != nil {
		t.Fatal(err)
	}
	save(paysync.TradeAllocation, "Y")

	tests := []struct {
		name   string
		filter repository.RecordFilter
		want   []uuid.UUID
	}{
		{"number", repository.RecordFilter{TradeNo: "X"}, want},
		{"pay", repository.RecordFilter{TradeNo: "X", TradeType: paysync.TradePay}, []uuid.UUID{want[0], want[1], want[4]}},
		{"allocation", repository.RecordFilter{TradeNo: "X", TradeType: paysync.TradeAllocation}, []uuid.UUID{want[2], want[3]}},
		{"limit", repository.RecordFilter{TradeNo: "X", Limit: 2}, want[:2]},
		{"nothing stored", repository.RecordFilter{TradeNo: "Z"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListSyncRecords(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]uuid.UUID, 0, len(got))
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Fatalf("listed %v, want %v", ids, tc.want)
			}
		})
	}

	// Y's rows: the orphan sync record, X's anomaly event, and the record
	// saved once the allocation order Y held them.
	if got, err := s.ListSyncRecords(ctx, repository.RecordFilter{TradeNo: "Y"}); err != nil || len(got) != 2 {
		t.Fatalf("listed %d sync records about Y (%v), want 2", len(got), err)
	}
	if got, err := s.ListEvents(ctx, repository.EventFilter{TradeNo: "Y"}); err != nil || len(got) != 1 || got[0].ID != e.Events[1].ID {
		t.Fatalf("listed %v about Y (%v), want the anomaly event", got, err)
	}
	if got, err := s.ListAdjustRecords(ctx, repository.RecordFilter{TradeNo: "X"}); err != nil || len(got) != 2 ||
		got[0].AdjustNo != e.Adjusts[0].AdjustNo || got[1].AdjustNo != ae.Adjusts[0].AdjustNo {
		t.Fatalf("listed %v about X (%v), want the pay and then the allocation adjust record", got, err)
	}
}
