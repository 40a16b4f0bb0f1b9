package syncer

import (
	"context"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// raceStore lets another writer win the first commit of a sync: just before
// that commit, it runs win, so the commit meets a fresh Version and the sync
// decides again — with the answer it had, which is now older than the order.
type raceStore struct {
	repository.Store
	win  func()
	done bool
}

func (s *raceStore) first() {
	if !s.done {
		s.done = true
		s.win()
	}
}

func (s *raceStore) CommitRefundOrder(ctx context.Context, r paysync.RefundOrder, pay *repository.PayRefundChange, e repository.Entries) error {
	s.first()
	return s.Store.CommitRefundOrder(ctx, r, pay, e)
}

func (s *raceStore) CommitTransferOrder(ctx context.Context, o paysync.TransferOrder, e repository.Entries) error {
	s.first()
	return s.Store.CommitTransferOrder(ctx, o, e)
}

func (s *raceStore) CommitPayOrder(ctx context.Context, o paysync.PayOrder, e repository.Entries) error {
	s.first()
	return s.Store.CommitPayOrder(ctx, o, e)
}

func (s *raceStore) SaveEntries(ctx context.Context, e repository.Entries) error {
	s.first()
	return s.Store.SaveEntries(ctx, e)
}

// TestStaleAnswerDeniesNothing: a sync whose answer (progress) was overtaken
// by another host's commit (success, from a callback) decides again on the
// order as it now is, and must not read its older answer as the channel
// denying the success: no refund_not_at_channel, no
// paid_order_not_paid_at_channel, for a question nobody needs to answer.
func TestStaleAnswerDeniesNothing(t *testing.T) {
	t.Run("refund", func(t *testing.T) {
		e := newEnv(t)
		e.paid("P1")
		r := e.seedRefund("R1", "P1", paysync.RefundProgress, "4.00", e.clock.Now().Add(-time.Minute))
		other := e.syncer()
		rs := &raceStore{Store: e.store, win: func() {
			_, err := other.ApplyRefundNotification(e.ctx, "R1", channeltest.RefundAnswer(r, channel.RefundSuccess), "")
			require.NoError(t, err)
		}}
		s := e.syncer(func(c *Config) { c.Store = rs })
		e.ch.SetRefund("R1", channeltest.RefundAnswer(r, channel.RefundProgress))
		out, err := s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
		require.NoError(t, err)
		assert.Equal(t, paysync.RefundSuccess, out.Status)
		assert.Empty(t, out.Anomalies, "an answer older than the order denies nothing")
		assert.Empty(t, openAnomalies(t, e.store, paysync.TradeRefund, "R1"))
		assert.True(t, e.order("P1").RefundedAmount.Equal(r.Amount), "the amount moved once")
	})
	t.Run("transfer", func(t *testing.T) {
		e := newEnv(t)
		tr := e.newTransfer("T1", paysync.TransferProgress, e.clock.Now().Add(-time.Minute))
		other := e.syncer()
		rs := &raceStore{Store: e.store, win: func() {
			_, err := other.ApplyTransferNotification(e.ctx, "T1", channeltest.TransferAnswer(tr, channel.TransferSuccess), "")
			require.NoError(t, err)
		}}
		s := e.syncer(func(c *Config) { c.Store = rs })
		e.ch.SetTransfer("T1", channeltest.TransferAnswer(tr, channel.TransferProgress))
		out, err := s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "T1"})
		require.NoError(t, err)
		assert.Equal(t, paysync.TransferSuccess, out.Status)
		assert.Empty(t, out.Anomalies, "an answer older than the order denies nothing")
		assert.Empty(t, openAnomalies(t, e.store, paysync.TradeTransfer, "T1"))
		assert.Len(t, e.adjusts(paysync.TradeTransfer, "T1"), 1, "moved once, by the callback")
	})
	t.Run("pay", func(t *testing.T) {
		e := newEnv(t)
		o := e.pay("P1", paysync.PayProgress)
		other := e.syncer()
		rs := &raceStore{Store: e.store, win: func() {
			_, err := other.ApplyPayNotification(e.ctx, "P1", channeltest.Paid(o), "")
			require.NoError(t, err)
		}}
		s := e.syncer(func(c *Config) { c.Store = rs })
		e.ch.SetPay("P1", channeltest.Report(o, channel.PayProgress))
		out, err := s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
		require.NoError(t, err)
		assert.Equal(t, paysync.PaySuccess, out.OrderStatus)
		assert.Empty(t, out.Anomalies)
		assert.Empty(t, openAnomalies(t, e.store, paysync.TradePay, "P1"))
	})
}

// TestCallbackNeedsNoQuery: a verified callback about a refund or a transfer
// is applied even through a channel that cannot be asked about either.
func TestCallbackNeedsNoQuery(t *testing.T) {
	e := newEnv(t)
	e.reg = channel.NewRegistry(channeltest.Without(e.ch, channeltest.CanQueryRefund, channeltest.CanQueryTransfer))
	e.s = e.syncer()
	e.paid("P1")
	r := e.seedRefund("R1", "P1", paysync.RefundProgress, "4.00", e.clock.Now().Add(-time.Minute))
	out, err := e.s.ApplyRefundNotification(e.ctx, "R1", channeltest.RefundAnswer(r, channel.RefundSuccess), "")
	require.NoError(t, err)
	assert.Equal(t, paysync.RefundSuccess, out.Status)
	_, err = e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	assert.ErrorIs(t, err, paysync.ErrUnsupported, "a sync still needs to ask")

	tr := e.newTransfer("T1", paysync.TransferProgress, e.clock.Now().Add(-time.Minute))
	tout, err := e.s.ApplyTransferNotification(e.ctx, "T1", channeltest.TransferAnswer(tr, channel.TransferSuccess), "")
	require.NoError(t, err)
	assert.Equal(t, paysync.TransferSuccess, tout.Status)
}
