package repositorytest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// Every method honours ctx: when ctx has ended it returns an error wrapping
// paysync.ErrCanceled and ctx's error, and a write stores nothing.

// runContext calls every method of the store with a ctx cancelled and with
// one past its deadline, each on a store of its own; and, to show that the
// calls would have done something, with a live ctx on a third.
func runContext(t *testing.T, s suite) {
	w := newContextWorld()
	ended := []struct {
		name string
		ctx  func(t *testing.T) context.Context
	}{
		{"Canceled", func(t *testing.T) context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return ctx
		}},
		{"DeadlineExceeded", func(t *testing.T) context.Context {
			ctx, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
			t.Cleanup(cancel)
			return ctx
		}},
	}
	for _, e := range ended {
		t.Run(e.name, func(t *testing.T) {
			st := s.newStore(t)
			w.setup(t, st)
			before := snapshot(t, st, w.looks()...)
			ctx := e.ctx(t)
			for _, c := range w.calls(st) {
				err := c.call(ctx)
				var pe *paysync.Error
				switch {
				case !errors.Is(err, paysync.ErrCanceled):
					t.Errorf("%s: got error %v, want one wrapping paysync.ErrCanceled", c.name, err)
				case !errors.Is(err, ctx.Err()):
					t.Errorf("%s: error %q does not wrap %v, ctx's error", c.name, err, ctx.Err())
				case !errors.As(err, &pe):
					t.Errorf("%s: error %q is not a *paysync.Error", c.name, err)
				}
			}
			same(t, "store after the calls", snapshot(t, st, w.looks()...), before)
		})
	}
	t.Run("EveryMethod", func(t *testing.T) {
		var names []string
		for _, c := range w.calls(nil) {
			names = append(names, c.name)
		}
		store := reflect.TypeFor[repository.Store]()
		for i := range store.NumMethod() {
			if m := store.Method(i).Name; !slices.Contains(names, m) {
				t.Errorf("the context tests do not call %s: add it to contextWorld.calls", m)
			}
		}
	})
	t.Run("LiveContext", func(t *testing.T) {
		st := s.newStore(t)
		w.setup(t, st)
		for _, c := range w.calls(st) {
			before := snapshot(t, st, w.looks()...)
			if err := c.call(t.Context()); err != nil {
				t.Errorf("%s with a live ctx: %v", c.name, err)
			}
			after := snapshot(t, st, w.looks()...)
			if writes(c.name) && len(diff(after, before)) == 0 {
				t.Errorf("%s with a live ctx stored nothing: that it stores nothing with an ended one proves nothing", c.name)
			}
		}
	})
}

// writes reports whether method name writes.
func writes(name string) bool {
	for _, p := range []string{"Create", "Commit", "Claim", "Release", "Save", "Mark", "Load"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// contextWorld is the data of the context tests, made once so that every
// store gets the same.
type contextWorld struct {
	record   repository.Entries // saved at setup
	entries  map[paysync.TradeType]repository.Entries
	saved    repository.Entries // saved by the call
	newPay   paysync.PayOrder
	newAlloc paysync.AllocationOrder
	newRef   paysync.RefundOrder
	newTrans paysync.TransferOrder
	load     []paysync.PayOrder
}

func newContextWorld() contextWorld {
	at := base().Add(time.Minute)
	w := contextWorld{
		record: repository.Entries{
			Sync:   NewSyncRecord(paysync.TradePay, "x-1", base()),
			Events: []paysync.Event{NewEvent(paysync.EventPayProgress, paysync.TradePay, "x-1", base())},
		},
		entries:  map[paysync.TradeType]repository.Entries{},
		newPay:   NewPayOrder("new", base()),
		newAlloc: NewAllocationOrder("new", base()),
		newRef:   NewRefundOrder("new", base()),
		newTrans: NewTransferOrder("new", base()),
		load:     []paysync.PayOrder{NewPayOrder("load-1", base()), NewPayOrder("load-2", base())},
	}
	w.newRef.OrderNo = "pay-x-2"
	for _, tt := range paysync.TradeTypes() {
		e := NewEntries(tt, "x-1", at)
		e.Sightings = []repository.AnomalySighting{NewSighting(tt, "x-1", paysync.AnomalyTradeMismatch, at)}
		w.entries[tt] = e
	}
	w.saved = NewEntries(paysync.TradePay, "x-2", at)
	w.saved.Sightings = []repository.AnomalySighting{NewSighting(paysync.TradePay, "x-2", paysync.AnomalyAmountMismatch, at)}
	return w
}

// setup creates orders x-1 (leased to a) and x-2 (due) of every kind, and
// saves a record and an event.
func (w contextWorld) setup(t *testing.T, st repository.Store) {
	t.Helper()
	claim := repository.Claim{Now: base(), Owner: "a", Until: base().Add(time.Hour), Limit: 1}
	setupKind(t, st, payKind(), claim)
	setupKind(t, st, allocationKind(), claim)
	setupKind(t, st, refundKind(), claim)
	setupKind(t, st, transferKind(), claim)
	must(t, st.SaveEntries(t.Context(), w.record))
}

func setupKind[O any](t *testing.T, st repository.Store, k kind[O], c repository.Claim) {
	t.Helper()
	created(t, st, k, "x-1", base())
	created(t, st, k, "x-2", base())
	sameList(t, "claim", claimed(t, st, k, c.Owner, c.Now, c.Until, c.Limit), []string{"x-1"})
}

func (w contextWorld) looks() []look {
	var looks []look
	for _, no := range []string{"x-1", "x-2", "new", "load-1", "load-2", "pay-x-1", "pay-x-2"} {
		looks = append(looks, lookOrder(payKind(), no, ""))
	}
	for _, no := range []string{"x-1", "x-2", "new"} {
		looks = append(looks, lookOrder(allocationKind(), no, ""), lookOrder(refundKind(), no, ""), lookOrder(transferKind(), no, ""))
	}
	return looks
}

type contextCall struct {
	name string
	call func(ctx context.Context) error
}

// calls returns a call of every method of st, each of which, with a live
// ctx on a store w.setup made, succeeds and (for a write) stores something.
// st may be nil to list the names only.
func (w contextWorld) calls(st repository.Store) []contextCall {
	var (
		pay          paysync.PayOrder
		alloc        paysync.AllocationOrder
		ref          paysync.RefundOrder
		trans        paysync.TransferOrder
		payX1, payX2 paysync.PayOrder
	)
	if st != nil { // read what the commits start from; a failed read fails the calls
		bg := context.Background()
		pay, _ = st.GetPayOrder(bg, "x-1")
		alloc, _ = st.GetAllocationOrder(bg, "x-1")
		ref, _ = st.GetRefundOrder(bg, "x-1")
		trans, _ = st.GetTransferOrder(bg, "x-1")
		payX1, _ = st.GetPayOrder(bg, "pay-x-1")
		payX2, _ = st.GetPayOrder(bg, "pay-x-2")
	}
	at := base().Add(time.Minute)
	pay.UpdatedAt, alloc.UpdatedAt, ref.UpdatedAt, trans.UpdatedAt = at, at, at, at
	refChange := repository.PayRefundChange{OrderNo: "pay-x-1", Version: payX1.Version, RefundedAmount: ref.Amount,
		RefundStatus: paysync.PayRefundFull, UpdatedAt: at}
	claim := repository.Claim{Now: base().Add(time.Minute), Owner: "b", Until: base().Add(time.Hour), Limit: 10}
	reserved := repository.Entries{Events: []paysync.Event{NewEvent(paysync.EventRefundCreated, paysync.TradeRefund, "new", base())}}
	page := repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByDue}

	calls := []contextCall{
		{"CreatePayOrder", func(ctx context.Context) error { return st.CreatePayOrder(ctx, w.newPay) }},
		{"GetPayOrder", func(ctx context.Context) error { _, err := st.GetPayOrder(ctx, "x-1"); return err }},
		{"GetPayOrderByBizNo", func(ctx context.Context) error { _, err := st.GetPayOrderByBizNo(ctx, "biz-x-1"); return err }},
		{"CommitPayOrder", func(ctx context.Context) error { return st.CommitPayOrder(ctx, pay, w.entries[paysync.TradePay]) }},
		{"ClaimPayOrders", func(ctx context.Context) error { _, err := st.ClaimPayOrders(ctx, claim); return err }},
		{"ReleasePayOrders", func(ctx context.Context) error { return st.ReleasePayOrders(ctx, "a", "x-1") }},

		{"CreateAllocationOrder", func(ctx context.Context) error { return st.CreateAllocationOrder(ctx, w.newAlloc) }},
		{"GetAllocationOrder", func(ctx context.Context) error { _, err := st.GetAllocationOrder(ctx, "x-1"); return err }},
		{"GetAllocationOrderByBizNo", func(ctx context.Context) error {
			_, err := st.GetAllocationOrderByBizNo(ctx, "biz-x-1")
			return err
		}},
		{"ListAllocationOrders", func(ctx context.Context) error { _, err := st.ListAllocationOrders(ctx, "pay-x-1"); return err }},
		{"CommitAllocationOrder", func(ctx context.Context) error {
			return st.CommitAllocationOrder(ctx, alloc, w.entries[paysync.TradeAllocation])
		}},
		{"ClaimAllocationOrders", func(ctx context.Context) error { _, err := st.ClaimAllocationOrders(ctx, claim); return err }},
		{"ReleaseAllocationOrders", func(ctx context.Context) error { return st.ReleaseAllocationOrders(ctx, "a", "x-1") }},

		{"CreateRefundOrder", func(ctx context.Context) error {
			return st.CreateRefundOrder(ctx, w.newRef, ReserveRefund(payX2, w.newRef), reserved)
		}},
		{"GetRefundOrder", func(ctx context.Context) error { _, err := st.GetRefundOrder(ctx, "x-1"); return err }},
		{"GetRefundOrderByBizNo", func(ctx context.Context) error { _, err := st.GetRefundOrderByBizNo(ctx, "biz-x-1"); return err }},
		{"ListRefundOrders", func(ctx context.Context) error { _, err := st.ListRefundOrders(ctx, "pay-x-1"); return err }},
		{"CommitRefundOrder", func(ctx context.Context) error {
			return st.CommitRefundOrder(ctx, ref, &refChange, w.entries[paysync.TradeRefund])
		}},
		{"ClaimRefundOrders", func(ctx context.Context) error { _, err := st.ClaimRefundOrders(ctx, claim); return err }},
		{"ReleaseRefundOrders", func(ctx context.Context) error { return st.ReleaseRefundOrders(ctx, "a", "x-1") }},

		{"CreateTransferOrder", func(ctx context.Context) error { return st.CreateTransferOrder(ctx, w.newTrans) }},
		{"GetTransferOrder", func(ctx context.Context) error { _, err := st.GetTransferOrder(ctx, "x-1"); return err }},
		{"GetTransferOrderByBizNo", func(ctx context.Context) error {
			_, err := st.GetTransferOrderByBizNo(ctx, "biz-x-1")
			return err
		}},
		{"CommitTransferOrder", func(ctx context.Context) error {
			return st.CommitTransferOrder(ctx, trans, w.entries[paysync.TradeTransfer])
		}},
		{"ClaimTransferOrders", func(ctx context.Context) error { _, err := st.ClaimTransferOrders(ctx, claim); return err }},
		{"ReleaseTransferOrders", func(ctx context.Context) error { return st.ReleaseTransferOrders(ctx, "a", "x-1") }},

		{"SaveEntries", func(ctx context.Context) error { return st.SaveEntries(ctx, w.saved) }},
		{"GetSyncRecord", func(ctx context.Context) error { _, err := st.GetSyncRecord(ctx, w.record.Sync.ID); return err }},
		{"ListSyncRecords", func(ctx context.Context) error {
			_, err := st.ListSyncRecords(ctx, repository.RecordFilter{})
			return err
		}},
		{"ListAdjustRecords", func(ctx context.Context) error {
			_, err := st.ListAdjustRecords(ctx, repository.RecordFilter{})
			return err
		}},
		{"ListEvents", func(ctx context.Context) error { _, err := st.ListEvents(ctx, repository.EventFilter{}); return err }},
		{"MarkDelivered", func(ctx context.Context) error { return st.MarkDelivered(ctx, at, w.record.Events[0].ID) }},
		{"OrderAnomalies", func(ctx context.Context) error {
			_, err := st.OrderAnomalies(ctx, paysync.TradePay, "x-1")
			return err
		}},
		{"ListOpenAnomalies", func(ctx context.Context) error {
			_, err := st.ListOpenAnomalies(ctx, repository.AnomalyQuery{})
			return err
		}},
		{"ListOrders", func(ctx context.Context) error { _, err := st.ListOrders(ctx, page); return err }},
		{"CountOrders", func(ctx context.Context) error { _, err := st.CountOrders(ctx, paysync.TradePay, at); return err }},
	}
	if l, ok := st.(repository.PayOrderLoader); ok {
		calls = append(calls, contextCall{"LoadPayOrders", func(ctx context.Context) error { return l.LoadPayOrders(ctx, w.load) }})
	}
	return calls
}
