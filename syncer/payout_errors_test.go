//go:build go1.25

package syncer

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// payoutFixture is a world with one refund R1 (3.00 of paid O1) and one
// transfer T1 (5.00), both in progress and due, for the error tests.
type payoutFixture struct {
	e        *env
	refund   paysync.RefundOrder
	pay      paysync.PayOrder
	transfer paysync.TransferOrder
}

func newPayoutFixture(t *testing.T, tune ...func(*Config)) *payoutFixture {
	e := newEnv(t, tune...)
	e.paid("O1")
	f := &payoutFixture{e: e}
	f.refund = e.createRefund("R1", "O1", "3.00")
	f.pay = e.order("O1")
	f.transfer = e.newTransfer("T1", paysync.TransferProgress, e.clock.Now())
	return f
}

// unchanged checks that nothing about R1, O1 and T1 changed and that no
// record or event was written beyond the creates.
func (f *payoutFixture) unchanged(t *testing.T, msg string) {
	t.Helper()
	e := f.e
	assert.Equal(t, f.refund, e.getRefund("R1"), "%s: refund written", msg)
	assert.Equal(t, f.pay, e.order("O1"), "%s: pay order written", msg)
	assert.Equal(t, f.transfer, e.getTransfer("T1"), "%s: transfer written", msg)
	assert.Empty(t, e.syncs(paysync.TradeRefund, "R1"), "%s: refund SyncRecord", msg)
	assert.Empty(t, e.syncs(paysync.TradeTransfer, "T1"), "%s: transfer SyncRecord", msg)
	assert.Equal(t, []paysync.EventType{paysync.EventRefundCreated}, eventTypes(e.events(paysync.TradeRefund, "R1")), msg)
	assert.Empty(t, e.events(paysync.TradeTransfer, "T1"), msg)
	assert.Empty(t, e.events(paysync.TradePay, "O1"), msg)
}

// TestPayoutUnsupported: a channel without RefundQuerier (TransferQuerier)
// cannot sync refunds (transfers): ErrUnsupported, nothing written.
func TestPayoutUnsupported(t *testing.T) {
	f := newPayoutFixture(t)
	e := f.e
	e.reg = channel.NewRegistry(channeltest.Without(e.ch, channeltest.CanQueryRefund, channeltest.CanQueryTransfer))
	e.s = e.syncer()
	_, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	require.ErrorIs(t, err, paysync.ErrUnsupported)
	assert.Equal(t, paysync.CodeUnavailable, paysync.ErrorCode(err))
	_, err = e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "T1"})
	require.ErrorIs(t, err, paysync.ErrUnsupported)
	assert.Zero(t, e.ch.RefundQueries("R1")+e.ch.TransferQueries("T1"), "no channel call")
	f.unchanged(t, "unsupported")

	// With only the other capability missing, each works.
	e.reg = channel.NewRegistry(channeltest.Without(e.ch, channeltest.CanQueryTransfer))
	e.s = e.syncer()
	_, err = e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	require.NoError(t, err)
	_, err = e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "T1"})
	require.ErrorIs(t, err, paysync.ErrUnsupported)
}

// TestPayoutRequests: unknown numbers are ErrRefundNotFound /
// ErrTransferNotFound; both numbers empty is ErrInvalidRequest; the system
// number wins over the merchant's.
func TestPayoutRequests(t *testing.T) {
	f := newPayoutFixture(t)
	e := f.e
	for _, req := range []RefundRequest{{RefundNo: "nope"}, {BizRefundNo: "nope"}, {RefundNo: "biz-R1"}} {
		_, err := e.s.SyncRefund(e.ctx, req)
		require.ErrorIs(t, err, paysync.ErrRefundNotFound, "%+v", req)
		assert.Equal(t, "退款订单不存在", paysync.ErrorMessage(err))
	}
	_, err := e.s.ApplyRefundNotification(e.ctx, "nope", channel.RefundReport{State: channel.RefundSuccess}, "")
	require.ErrorIs(t, err, paysync.ErrRefundNotFound)
	for _, req := range []TransferRequest{{TransferNo: "nope"}, {BizTransferNo: "nope"}, {TransferNo: "biz-T1"}} {
		_, err := e.s.SyncTransfer(e.ctx, req)
		require.ErrorIs(t, err, paysync.ErrTransferNotFound, "%+v", req)
		assert.Equal(t, "转账订单不存在", paysync.ErrorMessage(err))
	}
	_, err = e.s.ApplyTransferNotification(e.ctx, "nope", channel.TransferReport{State: channel.TransferSuccess}, "")
	require.ErrorIs(t, err, paysync.ErrTransferNotFound)
	_, err = e.s.SyncRefund(e.ctx, RefundRequest{ClientIP: "1.2.3.4"})
	require.ErrorIs(t, err, paysync.ErrInvalidRequest)
	_, err = e.s.SyncTransfer(e.ctx, TransferRequest{})
	require.ErrorIs(t, err, paysync.ErrInvalidRequest)
	_, err = e.s.ApplyRefundNotification(e.ctx, "", channel.RefundReport{State: channel.RefundSuccess}, "")
	require.ErrorIs(t, err, paysync.ErrInvalidRequest)
	f.unchanged(t, "requests refused")

	// RefundNo wins: with R2 named by BizRefundNo, R1 is synced.
	e.createRefund("R2", "O1", "1.00")
	e.ch.SetRefund("R1", channeltest.RefundAnswer(f.refund, channel.RefundSuccess))
	res, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1", BizRefundNo: "biz-R2"})
	require.NoError(t, err)
	assert.Equal(t, paysync.RefundSuccess, res.Status)
	assert.Equal(t, paysync.RefundProgress, e.getRefund("R2").Status)
	res, err = e.s.SyncRefund(e.ctx, RefundRequest{BizRefundNo: "biz-R2"})
	require.NoError(t, err)
	assert.Equal(t, 1, e.ch.RefundQueries("R2"))
	e.ch.SetTransfer("T1", channeltest.TransferAnswer(f.transfer, channel.TransferFailed))
	tres, err := e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "T1", BizTransferNo: "biz-none"})
	require.NoError(t, err)
	assert.Equal(t, paysync.TransferFail, tres.Status)
}

// TestPayoutChannelError: a channel error is ErrChannelUnavailable wrapping
// the channel's error; the SyncRecord is written with the error; nothing
// changes; the attempt counts and the due time moves on.
func TestPayoutChannelError(t *testing.T) {
	for _, cause := range []error{errors.New("HTTP 502"), nil} {
		f := newPayoutFixture(t)
		e := f.e
		e.clock.Add(time.Minute)
		e.ch.FailRefundNext("R1", 1, cause)
		e.ch.FailTransferNext("T1", 1, cause)
		res, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
		require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
		require.ErrorIs(t, err, channeltest.ErrInjected, "wraps the channel's error")
		assert.Equal(t, paysync.RefundProgress, res.Status, "outcome carries the status read")
		assert.False(t, res.Adjusted)
		tres, err := e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "T1"})
		require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
		assert.Equal(t, paysync.TransferProgress, tres.Status)

		for _, k := range []struct {
			tt paysync.TradeType
			no string
			id any
		}{{paysync.TradeRefund, "R1", res.RecordID}, {paysync.TradeTransfer, "T1", tres.RecordID}} {
			syncs := e.syncs(k.tt, k.no)
			require.Len(t, syncs, 1, "%s: the failed sync's record", k.no)
			assert.Equal(t, k.id, syncs[0].ID)
			assert.Empty(t, syncs[0].ChannelState)
			assert.Equal(t, string(paysync.CodeUnavailable), string(syncs[0].ErrorCode))
			assert.False(t, syncs[0].Adjusted)
			assert.Empty(t, e.adjusts(k.tt, k.no))
		}
		r, tr := e.getRefund("R1"), e.getTransfer("T1")
		assert.Equal(t, f.refund.Status, r.Status)
		assert.Equal(t, f.pay, e.order("O1"), "pay order untouched")
		assert.Equal(t, f.transfer.Status, tr.Status)
		assert.Equal(t, f.refund.Schedule.Attempts+1, r.Schedule.Attempts, "a failed channel call counts")
		assert.True(t, r.Schedule.NextSyncAt.After(e.clock.Now()), "due later, not at once")
		assert.Equal(t, f.transfer.Schedule.Attempts+1, tr.Schedule.Attempts)
		assert.True(t, tr.Schedule.NextSyncAt.After(e.clock.Now()))
		assert.Equal(t, []paysync.EventType{paysync.EventRefundCreated}, eventTypes(e.events(paysync.TradeRefund, "R1")))
		assert.Empty(t, e.events(paysync.TradeTransfer, "T1"))
	}
}

// TestPayoutRateLimited: a rate-limited query is ErrChannelUnavailable and
// does not count: the due time and Attempts stay.
func TestPayoutRateLimited(t *testing.T) {
	f := newPayoutFixture(t)
	e := f.e
	e.ch.FailRefundNext("R1", 1, channel.ErrRateLimited)
	_, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
	require.ErrorIs(t, err, channel.ErrRateLimited)
	r := e.getRefund("R1")
	assert.Equal(t, f.refund.Status, r.Status)
	assert.Equal(t, f.refund.Schedule.Attempts, r.Schedule.Attempts, "a rate limit does not count")
	assert.Equal(t, f.refund.Schedule.NextSyncAt, r.Schedule.NextSyncAt, "keeps its due time")
	assert.Equal(t, f.pay, e.order("O1"))
}

// TestPayoutUnknownAnswer: an answer in a state outside the table is
// unknown: ErrChannelUnavailable, nothing changes.
func TestPayoutUnknownAnswer(t *testing.T) {
	f := newPayoutFixture(t)
	e := f.e
	e.ch.SetRefund("R1", channel.RefundReport{State: "REFUND_WEIRD", RefundNo: "R1"})
	e.ch.SetTransfer("T1", channel.TransferReport{State: "WEIRD", TransferNo: "T1"})
	_, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
	_, err = e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "T1"})
	require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
	_, err = e.s.ApplyRefundNotification(e.ctx, "R1", channel.RefundReport{State: "bogus"}, "")
	require.ErrorIs(t, err, paysync.ErrInvalidRequest, "a callback in an unknown state is a bad request")
	_, err = e.s.ApplyTransferNotification(e.ctx, "T1", channel.TransferReport{State: "bogus"}, "")
	require.ErrorIs(t, err, paysync.ErrInvalidRequest)
	assert.Equal(t, f.refund.Status, e.getRefund("R1").Status)
	assert.Equal(t, f.pay, e.order("O1"))
	assert.Equal(t, f.transfer.Status, e.getTransfer("T1").Status)
	assert.Empty(t, e.adjusts(paysync.TradeRefund, "R1"))
	assert.Empty(t, e.adjusts(paysync.TradeTransfer, "T1"))
}

// TestPayoutCanceled: a ctx that ends before the channel answers is
// ErrCanceled wrapping ctx's error, and nothing is written — not even a
// SyncRecord. Also for a ctx already ended, and for callbacks.
func TestPayoutCanceled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newPayoutFixture(t)
		e := f.e
		e.ch.TimeoutRefundNext("R1", 1)
		e.ch.TimeoutTransferNext("T1", 1)
		var rerr, terr error
		drive(e.clock, func() {
			ctx, cancel := context.WithTimeout(e.ctx, time.Second)
			defer cancel()
			_, rerr = e.s.SyncRefund(ctx, RefundRequest{RefundNo: "R1"})
			ctx2, cancel2 := context.WithTimeout(e.ctx, time.Second)
			defer cancel2()
			_, terr = e.s.SyncTransfer(ctx2, TransferRequest{TransferNo: "T1"})
		})
		for _, err := range []error{rerr, terr} {
			require.ErrorIs(t, err, paysync.ErrCanceled)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, paysync.CodeCanceled, paysync.ErrorCode(err))
			assert.NotErrorIs(t, err, paysync.ErrChannelUnavailable, "the caller gave up; the channel did not fail")
		}
		assert.Equal(t, 1, e.ch.RefundQueries("R1"), "the channel was asked")
		f.unchanged(t, "timed out")

		ctx, cancel := context.WithCancel(e.ctx)
		cancel()
		_, err := e.s.SyncRefund(ctx, RefundRequest{RefundNo: "R1"})
		require.ErrorIs(t, err, paysync.ErrCanceled)
		require.ErrorIs(t, err, context.Canceled)
		_, err = e.s.ApplyRefundNotification(ctx, "R1", channeltest.RefundAnswer(f.refund, channel.RefundSuccess), "")
		require.ErrorIs(t, err, paysync.ErrCanceled)
		_, err = e.s.ApplyTransferNotification(ctx, "T1", channeltest.TransferAnswer(f.transfer, channel.TransferSuccess), "")
		require.ErrorIs(t, err, paysync.ErrCanceled)
		_, err = e.s.CreateRefund(ctx, NewRefund{RefundNo: "R9", BizRefundNo: "B9", OrderNo: "O1", Amount: dec("1")})
		require.ErrorIs(t, err, paysync.ErrCanceled)
		f.unchanged(t, "cancelled")
	})
}

// TestPayoutLocks: docs/refund-sync.md#lock-order. A refund or a transfer
// whose own lock stays held past LockWait is ErrSyncInProgress before the
// channel is asked, writing nothing. A refund sync takes its pay order's
// lock only with the channel's answer in hand; when that lock stays held,
// the answer is kept — a SyncRecord with the channel's state and ErrorCode
// busy (canceled, when the caller's ctx ends in the wait) — and nothing
// else changes: not the refund, its due time, nor the pay order.
// CreateRefund takes the pay order's lock and is refused the same way,
// writing nothing.
func TestPayoutLocks(t *testing.T) {
	busy := func(c *Config) { c.LockWait = 5 * time.Millisecond }
	t.Run("own lock", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newPayoutFixture(t, busy)
			e := f.e
			for _, k := range []struct {
				locks *keyedLock
				key   string
				sync  func() error
			}{
				{e.s.refunds.locks, "R1", func() error {
					_, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
					return err
				}},
				{e.s.refunds.locks, "R1", func() error {
					_, err := e.s.ApplyRefundNotification(e.ctx, "R1", channeltest.RefundAnswer(f.refund, channel.RefundSuccess), "")
					return err
				}},
				{e.s.transfers.locks, "T1", func() error {
					_, err := e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "T1"})
					return err
				}},
				{e.s.transfers.locks, "T1", func() error {
					_, err := e.s.ApplyTransferNotification(e.ctx, "T1",
						channeltest.TransferAnswer(f.transfer, channel.TransferSuccess), "")
					return err
				}},
				{e.s.payLocks, "O1", func() error {
					_, err := e.s.CreateRefund(e.ctx, NewRefund{RefundNo: "R9", BizRefundNo: "B9", OrderNo: "O1", Amount: dec("1")})
					return err
				}},
			} {
				held, _ := k.locks.acquire(e.ctx, k.key, time.Second)
				require.True(t, held)
				var err error
				drive(e.clock, func() { err = k.sync() })
				k.locks.release(k.key)
				require.ErrorIs(t, err, paysync.ErrSyncInProgress)
				assert.Equal(t, paysync.CodeBusy, paysync.ErrorCode(err))
			}
			assert.Zero(t, e.ch.RefundQueries("R1")+e.ch.TransferQueries("T1"), "the channel was not asked")
			f.unchanged(t, "own lock held")
			_, err := e.store.GetRefundOrder(e.ctx, "R9")
			assert.ErrorIs(t, err, paysync.ErrRefundNotFound, "no refund created")
		})
	})
	for _, cancelled := range []bool{false, true} {
		t.Run(fmt.Sprintf("the pay order's lock, ctx ends=%v", cancelled), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				lockWait := 5 * time.Millisecond
				if cancelled {
					lockWait = time.Hour
				}
				f := newPayoutFixture(t, func(c *Config) { c.LockWait = lockWait })
				e := f.e
				e.ch.SetRefund("R1", channeltest.RefundAnswer(f.refund, channel.RefundSuccess))
				held, _ := e.s.payLocks.acquire(e.ctx, "O1", time.Second)
				require.True(t, held)
				ctx, cancel := context.WithTimeout(e.ctx, time.Second)
				defer cancel()
				var out RefundOutcome
				var err error
				if cancelled { // the test clock stands still: the lock waits until ctx ends
					out, err = e.s.SyncRefund(ctx, RefundRequest{RefundNo: "R1"})
				} else {
					drive(e.clock, func() { out, err = e.s.SyncRefund(ctx, RefundRequest{RefundNo: "R1"}) })
				}
				e.s.payLocks.release("O1")
				code := paysync.CodeBusy
				if cancelled {
					require.ErrorIs(t, err, paysync.ErrCanceled)
					code = paysync.CodeCanceled
				} else {
					require.ErrorIs(t, err, paysync.ErrSyncInProgress)
				}
				assert.Equal(t, paysync.RefundProgress, out.Status)
				assert.Equal(t, 1, e.ch.RefundQueries("R1"), "asked once, before the pay order's lock")
				assert.Equal(t, f.refund, e.getRefund("R1"), "the refund, and its due time, unchanged")
				assert.Equal(t, f.pay, e.order("O1"), "the pay order unchanged")
				assert.Empty(t, e.adjusts(paysync.TradeRefund, "R1"))
				syncs := e.syncs(paysync.TradeRefund, "R1")
				require.Len(t, syncs, 1, "the answer is kept")
				assert.Equal(t, out.RecordID, syncs[0].ID)
				assert.Equal(t, string(channel.RefundSuccess), syncs[0].ChannelState)
				assert.NotEmpty(t, syncs[0].Raw)
				assert.Equal(t, string(code), syncs[0].ErrorCode)
				assert.False(t, syncs[0].Adjusted)
			})
		})
	}
}
