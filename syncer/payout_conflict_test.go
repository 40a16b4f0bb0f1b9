package syncer

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// losingStore is a memstore whose refund and transfer commits lose the
// version race the next n times: another host committed first. Each lost
// commit also bumps the order as that other host would have (a commit that
// changed nothing but the schedule), so the engine must read again.
type losingStore struct {
	*memstore.Store
	lose atomic.Int64
}

func (s *losingStore) CommitRefundOrder(ctx context.Context, r paysync.RefundOrder, pay *repository.PayRefundChange,
	e repository.Entries) error {
	if s.lose.Add(-1) >= 0 {
		cur, err := s.GetRefundOrder(ctx, r.RefundNo)
		if err != nil {
			return err
		}
		if err := s.Store.CommitRefundOrder(ctx, cur, nil, repository.Entries{}); err != nil {
			return err
		}
		return paysync.E("losingStore", paysync.ErrVersionConflict, nil)
	}
	return s.Store.CommitRefundOrder(ctx, r, pay, e)
}

func (s *losingStore) CommitTransferOrder(ctx context.Context, t paysync.TransferOrder, e repository.Entries) error {
	if s.lose.Add(-1) >= 0 {
		cur, err := s.GetTransferOrder(ctx, t.TransferNo)
		if err != nil {
			return err
		}
		if err := s.Store.CommitTransferOrder(ctx, cur, repository.Entries{}); err != nil {
			return err
		}
		return paysync.E("losingStore", paysync.ErrVersionConflict, nil)
	}
	return s.Store.CommitTransferOrder(ctx, t, e)
}

func newLosingEnv(t *testing.T) (*env, *losingStore) {
	e := newEnv(t)
	ls := &losingStore{Store: e.store}
	e.s = e.syncer(func(c *Config) { c.Store = ls })
	return e, ls
}

// TestPayoutConflictDecidesAgain: a commit that loses a version race reads
// again and decides again with the channel answer it holds — no second
// channel call — and the move is recorded once.
func TestPayoutConflictDecidesAgain(t *testing.T) {
	e, ls := newLosingEnv(t)
	e.paid("O1")
	r := e.createRefund("R1", "O1", "3.00")
	tr := e.newTransfer("T1", paysync.TransferProgress, e.clock.Now())
	e.ch.SetRefund("R1", channeltest.RefundAnswer(r, channel.RefundSuccess))
	e.ch.SetTransfer("T1", channeltest.TransferAnswer(tr, channel.TransferSuccess))

	ls.lose.Store(3)
	res, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	require.NoError(t, err)
	assert.Equal(t, paysync.RefundSuccess, res.Status)
	assert.True(t, res.Adjusted)
	assert.Equal(t, 1, e.ch.RefundQueries("R1"), "the same answer, not a second call")
	assert.Len(t, e.adjusts(paysync.TradeRefund, "R1"), 1)
	assert.Len(t, e.syncs(paysync.TradeRefund, "R1"), 1)
	checkMoney(t, e, "O1", payMoney{"3.00", "0", paysync.PayRefundPartial}, "booked once")

	ls.lose.Store(3)
	tres, err := e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "T1"})
	require.NoError(t, err)
	assert.Equal(t, paysync.TransferSuccess, tres.Status)
	assert.Equal(t, 1, e.ch.TransferQueries("T1"))
	assert.Len(t, e.adjusts(paysync.TradeTransfer, "T1"), 1)
}

// TestPayoutConflictRunsOut: when the retries run out the call returns
// ErrVersionConflict, writes its SyncRecord, changes nothing, and the
// attempt does not count: the due time and Attempts stay.
func TestPayoutConflictRunsOut(t *testing.T) {
	e, ls := newLosingEnv(t)
	e.paid("O1")
	r := e.createRefund("R1", "O1", "3.00")
	e.clock.Add(time.Minute)
	e.ch.SetRefund("R1", channeltest.RefundAnswer(r, channel.RefundSuccess))
	ls.lose.Store(1000)
	_, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	require.ErrorIs(t, err, paysync.ErrVersionConflict)
	got := e.getRefund("R1")
	assert.Equal(t, paysync.RefundProgress, got.Status)
	assert.Equal(t, r.Schedule.Attempts, got.Schedule.Attempts, "a lost race does not count")
	assert.Equal(t, r.Schedule.NextSyncAt, got.Schedule.NextSyncAt, "keeps its due time")
	checkMoney(t, e, "O1", payMoney{"0", "3.00", paysync.PayRefunding}, "nothing booked")
	assert.Empty(t, e.adjusts(paysync.TradeRefund, "R1"))
	syncs := e.syncs(paysync.TradeRefund, "R1")
	require.Len(t, syncs, 1, "the SyncRecord is written")
	assert.Equal(t, string(paysync.CodeConflict), string(syncs[0].ErrorCode))
	assert.False(t, syncs[0].Adjusted)
	assert.Equal(t, []paysync.EventType{paysync.EventRefundCreated}, eventTypes(e.events(paysync.TradeRefund, "R1")))
}
