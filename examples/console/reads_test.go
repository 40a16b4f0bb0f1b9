package console_test

import (
	"context"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/console"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingStore counts the console's reads of orders and of what an order
// page shows, as round trips to a database would be counted.
type countingStore struct {
	repository.Store
	reads atomic.Int64
}

func (s *countingStore) GetPayOrder(ctx context.Context, no string) (paysync.PayOrder, error) {
	s.reads.Add(1)
	return s.Store.GetPayOrder(ctx, no)
}

func (s *countingStore) GetAllocationOrder(ctx context.Context, no string) (paysync.AllocationOrder, error) {
	s.reads.Add(1)
	return s.Store.GetAllocationOrder(ctx, no)
}

func (s *countingStore) GetRefundOrder(ctx context.Context, no string) (paysync.RefundOrder, error) {
	s.reads.Add(1)
	return s.Store.GetRefundOrder(ctx, no)
}

func (s *countingStore) GetTransferOrder(ctx context.Context, no string) (paysync.TransferOrder, error) {
	s.reads.Add(1)
	return s.Store.GetTransferOrder(ctx, no)
}

func (s *countingStore) ListRefundOrders(ctx context.Context, no string) ([]paysync.RefundOrder, error) {
	s.reads.Add(1)
	return s.Store.ListRefundOrders(ctx, no)
}

func (s *countingStore) ListAllocationOrders(ctx context.Context, no string) ([]paysync.AllocationOrder, error) {
	s.reads.Add(1)
	return s.Store.ListAllocationOrders(ctx, no)
}

func (s *countingStore) OrderAnomalies(ctx context.Context, k paysync.TradeType, no string) ([]paysync.Anomaly, error) {
	s.reads.Add(1)
	return s.Store.OrderAnomalies(ctx, k, no)
}

func (s *countingStore) ListOpenAnomalies(ctx context.Context, q repository.AnomalyQuery) (repository.AnomalyPage, error) {
	s.reads.Add(1)
	return s.Store.ListOpenAnomalies(ctx, q)
}

func (s *countingStore) ListSyncRecords(ctx context.Context, f repository.RecordFilter) ([]paysync.SyncRecord, error) {
	s.reads.Add(1)
	return s.Store.ListSyncRecords(ctx, f)
}

func (s *countingStore) ListAdjustRecords(ctx context.Context, f repository.RecordFilter) ([]paysync.AdjustRecord, error) {
	s.reads.Add(1)
	return s.Store.ListAdjustRecords(ctx, f)
}

func (s *countingStore) ListEvents(ctx context.Context, f repository.EventFilter) ([]paysync.Event, error) {
	s.reads.Add(1)
	return s.Store.ListEvents(ctx, f)
}

// newCountingEnv is newEnv with the console reading through a countingStore.
func newCountingEnv(t *testing.T) (*env, *countingStore) {
	var st *countingStore
	e := newEnv(t, func(c *console.Config) {
		st = &countingStore{Store: c.Store}
		c.Store = st
	})
	return e, st
}

// reads returns how many reads serving f took.
func (s *countingStore) during(f func()) int64 {
	before := s.reads.Load()
	f()
	return s.reads.Load() - before
}

// TestPreviewRefusedReadsOnce: a preview refused for its form shows the
// order page from the one read the preview made, not from a second.
func TestPreviewRefusedReadsOnce(t *testing.T) {
	e, st := newCountingEnv(t)
	e.pay("P1", paysync.PaySuccess)
	path := orderPath(paysync.TradePay, "P1")
	csrf := e.token()
	page := st.during(func() { e.getOK(path) })
	require.Positive(t, page)
	for name, form := range map[string]url.Values{
		"no reason":               {"to": {"close"}},
		"a move not in the table": {"to": {"wait"}, "reason": {reason}},
	} {
		form.Set("csrf", csrf)
		n := st.during(func() { e.post(path+"/preview", form) })
		assert.Equal(t, page, n, "%s: reads of a refused preview", name)
	}
}

// TestInboxReadsEachOrderOnce: an order with several open anomalies is read
// once for the inbox page, not once per anomaly.
func TestInboxReadsEachOrderOnce(t *testing.T) {
	e, st := newCountingEnv(t)
	o := e.pay("P1", paysync.PayProgress)
	rep := channeltest.Paid(o)
	rep.Amount, rep.Currency = decimal.RequireFromString("1.00"), "USD"
	e.ch.SetPay("P1", rep)
	out, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "P1"})
	require.NoError(t, err)
	require.Len(t, out.Anomalies, 2)

	n := st.during(func() {
		contains(t, e.getOK(prefix+"anomalies"), "amount_mismatch", "currency_mismatch")
	})
	assert.Equal(t, int64(2), n, "the page of anomalies, then the order")
}
