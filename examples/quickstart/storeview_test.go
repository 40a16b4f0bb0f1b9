package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// storeView is the test's own reading of the store, through its port: the
// counts the demo's printed figures are held to. It walks orders by the
// numbers the script gives them rather than by the listings the demo uses,
// so a listing the demo misreads shows as a difference.
type storeView struct {
	t     *testing.T
	ctx   context.Context
	store repository.Store
	now   time.Time
}

// numberPrefix is the first digit of each kind's order numbers (seed.go).
var numberPrefix = map[paysync.TradeType]string{
	paysync.TradePay: "1", paysync.TradeAllocation: "2", paysync.TradeRefund: "3", paysync.TradeTransfer: "4",
}

func (v *storeView) counts(tt paysync.TradeType) repository.OrderCounts {
	c, err := v.store.CountOrders(v.ctx, tt, v.now)
	require.NoError(v.t, err)
	return c
}

func (v *storeView) census() map[paysync.TradeType]repository.OrderCounts {
	m := make(map[paysync.TradeType]repository.OrderCounts)
	for _, tt := range paysync.TradeTypes() {
		m[tt] = v.counts(tt)
	}
	return m
}

// orders returns how many orders of kind tt the store holds.
func (v *storeView) orders(tt paysync.TradeType) int {
	n := 0
	for _, c := range v.counts(tt).ByStatus {
		n += c
	}
	return n
}

// numbers returns the numbers of every order of kind tt.
func (v *storeView) numbers(tt paysync.TradeType) []string {
	var nos []string
	for i := range v.orders(tt) {
		nos = append(nos, fmt.Sprintf("%s%06d", numberPrefix[tt], i+1))
	}
	return nos
}

// createdAt returns when order no of kind tt was created.
func (v *storeView) createdAt(tt paysync.TradeType, no string) time.Time {
	var at time.Time
	var err error
	switch tt {
	case paysync.TradePay:
		var o paysync.PayOrder
		o, err = v.store.GetPayOrder(v.ctx, no)
		at = o.CreatedAt
	case paysync.TradeAllocation:
		var o paysync.AllocationOrder
		o, err = v.store.GetAllocationOrder(v.ctx, no)
		at = o.CreatedAt
	case paysync.TradeRefund:
		at = v.refund(no).CreatedAt
	case paysync.TradeTransfer:
		var o paysync.TransferOrder
		o, err = v.store.GetTransferOrder(v.ctx, no)
		at = o.CreatedAt
	}
	require.NoError(v.t, err, no)
	return at
}

// createdSince counts the orders of each kind created at or after since.
func (v *storeView) createdSince(since time.Time) map[paysync.TradeType]int {
	m := make(map[paysync.TradeType]int)
	for _, tt := range paysync.TradeTypes() {
		for _, no := range v.numbers(tt) {
			if !v.createdAt(tt, no).Before(since) {
				m[tt]++
			}
		}
	}
	return m
}

func (v *storeView) payOrder(no string) paysync.PayOrder {
	o, err := v.store.GetPayOrder(v.ctx, no)
	require.NoError(v.t, err)
	return o
}

func (v *storeView) payOrders() []paysync.PayOrder {
	var out []paysync.PayOrder
	for _, no := range v.numbers(paysync.TradePay) {
		out = append(out, v.payOrder(no))
	}
	return out
}

func (v *storeView) refund(no string) paysync.RefundOrder {
	r, err := v.store.GetRefundOrder(v.ctx, no)
	require.NoError(v.t, err)
	return r
}

func (v *storeView) refunds(orderNo string) []paysync.RefundOrder {
	rs, err := v.store.ListRefundOrders(v.ctx, orderNo)
	require.NoError(v.t, err)
	return rs
}

func (v *storeView) syncs() []paysync.SyncRecord { return v.syncsOf("", "") }

func (v *storeView) syncsOf(tt paysync.TradeType, no string) []paysync.SyncRecord {
	recs, err := v.store.ListSyncRecords(v.ctx, repository.RecordFilter{TradeType: tt, TradeNo: no})
	require.NoError(v.t, err)
	return recs
}

func (v *storeView) adjusts() []paysync.AdjustRecord { return v.adjustsOf("", "") }

func (v *storeView) adjustsOf(tt paysync.TradeType, no string) []paysync.AdjustRecord {
	as, err := v.store.ListAdjustRecords(v.ctx, repository.RecordFilter{TradeType: tt, TradeNo: no})
	require.NoError(v.t, err)
	return as
}

func (v *storeView) events() []paysync.Event {
	es, err := v.store.ListEvents(v.ctx, repository.EventFilter{})
	require.NoError(v.t, err)
	return es
}

// openAnomalies returns every open anomaly, a page of one at a time, so the
// paging is exercised too.
func (v *storeView) openAnomalies() []paysync.Anomaly {
	var out []paysync.Anomaly
	q := repository.AnomalyQuery{Limit: 1}
	for {
		page, err := v.store.ListOpenAnomalies(v.ctx, q)
		require.NoError(v.t, err)
		out = append(out, page.Anomalies...)
		if page.Next == "" {
			return out
		}
		q.Cursor = page.Next
	}
}

// withOpenAnomaly returns the orders of kind tt with an open anomaly.
func (v *storeView) withOpenAnomaly(tt paysync.TradeType) []string {
	var nos []string
	for _, no := range v.numbers(tt) {
		as, err := v.store.OrderAnomalies(v.ctx, tt, no)
		require.NoError(v.t, err)
		for _, a := range as {
			if a.Open() {
				nos = append(nos, no)
				break
			}
		}
	}
	return nos
}

// lastSyncFailed returns the orders of kind tt without an open anomaly
// whose last sync got no answer.
func (v *storeView) lastSyncFailed(tt paysync.TradeType) []string {
	person := map[string]bool{}
	for _, no := range v.withOpenAnomaly(tt) {
		person[no] = true
	}
	last := map[string]paysync.SyncRecord{}
	var order []string
	for _, r := range v.syncsOf(tt, "") {
		if _, ok := last[r.TradeNo]; !ok {
			order = append(order, r.TradeNo)
		}
		last[r.TradeNo] = r
	}
	var nos []string
	for _, no := range order {
		if last[no].ErrorCode != "" && !person[no] {
			nos = append(nos, no)
		}
	}
	return nos
}

// moneyOf returns the money adjust record a concerns: its order's amount,
// or its receiver's share.
func (v *storeView) moneyOf(a paysync.AdjustRecord) decimal.Decimal {
	switch a.TradeType {
	case paysync.TradePay:
		return v.payOrder(a.TradeNo).Amount
	case paysync.TradeAllocation:
		o, err := v.store.GetAllocationOrder(v.ctx, a.TradeNo)
		require.NoError(v.t, err)
		for _, r := range o.Receivers {
			if a.ReceiverNo != "" && r.ReceiverNo == a.ReceiverNo {
				return r.Amount
			}
		}
		return o.Amount
	case paysync.TradeRefund:
		return v.refund(a.TradeNo).Amount
	case paysync.TradeTransfer:
		o, err := v.store.GetTransferOrder(v.ctx, a.TradeNo)
		require.NoError(v.t, err)
		return o.Amount
	}
	v.t.Fatalf("adjust record of unknown kind %q", a.TradeType)
	return decimal.Zero
}
