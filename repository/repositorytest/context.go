package repositorytest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

func contextTests() []test {
	return []test{{"Cancelled", testCancelled}}
}

// testCancelled calls every method with a context already cancelled: each
// returns an error wrapping context.Canceled, and writes nothing.
func testCancelled(t *testing.T, st repository.Store, _ Options) {
	p, a := payKind(), allocationKind()
	created(t, st, p, "p-1", base())
	created(t, st, a, "a-1", base())
	po, ao := stored(t, st, p, "p-1"), stored(t, st, a, "a-1")
	claim := repository.Claim{Now: base(), Owner: "a", Until: base().Add(time.Minute), Limit: 10}
	ev := NewEntries(paysync.TradePay, "p-1", base())

	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"CreatePayOrder", func(ctx context.Context) error {
			return st.CreatePayOrder(ctx, NewPayOrder("p-2", base()))
		}},
		{"GetPayOrder", func(ctx context.Context) error { _, err := st.GetPayOrder(ctx, "p-1"); return err }},
		{"GetPayOrderByBizNo", func(ctx context.Context) error { _, err := st.GetPayOrderByBizNo(ctx, "biz-p-1"); return err }},
		{"CommitPayOrder", func(ctx context.Context) error { return st.CommitPayOrder(ctx, po, ev) }},
		{"ClaimPayOrders", func(ctx context.Context) error { _, err := st.ClaimPayOrders(ctx, claim); return err }},
		{"ReleasePayOrders", func(ctx context.Context) error { return st.ReleasePayOrders(ctx, "a", "p-1") }},
		{"CreateAllocationOrder", func(ctx context.Context) error {
			return st.CreateAllocationOrder(ctx, NewAllocationOrder("a-2", base()))
		}},
		{"GetAllocationOrder", func(ctx context.Context) error { _, err := st.GetAllocationOrder(ctx, "a-1"); return err }},
		{"GetAllocationOrderByBizNo", func(ctx context.Context) error {
			_, err := st.GetAllocationOrderByBizNo(ctx, "biz-a-1")
			return err
		}},
		{"CommitAllocationOrder", func(ctx context.Context) error {
			return st.CommitAllocationOrder(ctx, ao, NewEntries(paysync.TradeAllocation, "a-1", base()))
		}},
		{"ClaimAllocationOrders", func(ctx context.Context) error { _, err := st.ClaimAllocationOrders(ctx, claim); return err }},
		{"ReleaseAllocationOrders", func(ctx context.Context) error { return st.ReleaseAllocationOrders(ctx, "a", "a-1") }},
		{"SaveSyncRecord", func(ctx context.Context) error {
			return st.SaveSyncRecord(ctx, NewSyncRecord(paysync.TradePay, "p-1", base()))
		}},
		{"ListSyncRecords", func(ctx context.Context) error {
			_, err := st.ListSyncRecords(ctx, repository.RecordFilter{})
			return err
		}},
		{"ListAdjustRecords", func(ctx context.Context) error {
			_, err := st.ListAdjustRecords(ctx, repository.RecordFilter{})
			return err
		}},
		{"ListEvents", func(ctx context.Context) error { _, err := st.ListEvents(ctx, repository.EventFilter{}); return err }},
		{"MarkDelivered", func(ctx context.Context) error { return st.MarkDelivered(ctx, base(), ev.Events[0].ID) }},
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, c := range calls {
		err := c.call(ctx)
		var pe *paysync.Error
		switch {
		case !errors.Is(err, context.Canceled):
			t.Errorf("%s: got error %v, want one wrapping context.Canceled", c.name, err)
		case !errors.As(err, &pe):
			t.Errorf("%s: error %q is not a *paysync.Error", c.name, err)
		}
	}

	// Nothing was written: no order, no record, no event, no lease, no
	// new version.
	_, err := st.GetPayOrder(t.Context(), "p-2")
	wantErr(t, "get the pay order created", err, paysync.ErrOrderNotFound)
	_, err = st.GetAllocationOrder(t.Context(), "a-2")
	wantErr(t, "get the allocation order created", err, paysync.ErrAllocationNotFound)
	same(t, "pay order", p.fields(stored(t, st, p, "p-1")), p.fields(po))
	same(t, "allocation order", a.fields(stored(t, st, a, "a-1")), a.fields(ao))
	sameTrail(t, "after the calls", trailOf(t, st, ""), trail{})
}
