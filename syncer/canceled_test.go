//go:build go1.25

package syncer

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCanceledEverywhere: a caller whose ctx has ended gets ErrCanceled
// (code canceled) wrapping ctx's error from every entry point, whatever step
// it ended in — here, the first store read — never an internal error; and
// nothing is written.
func TestCanceledEverywhere(t *testing.T) {
	e := newEnv(t)
	e.pay("P1", paysync.PaySuccess)
	e.pay("P2", paysync.PayProgress)
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	calls := map[string]func() error{
		"SyncPay": func() error { _, err := e.s.SyncPay(ctx, PayRequest{OrderNo: "P2"}); return err },
		"ApplyPay": func() error {
			_, err := e.s.ApplyPayNotification(ctx, "P2", channel.PayReport{State: channel.PaySuccess}, "")
			return err
		},
		"SyncAlloc":  func() error { _, err := e.s.SyncAllocation(ctx, AllocationRequest{AllocationNo: "A1"}); return err },
		"SyncRefund": func() error { _, err := e.s.SyncRefund(ctx, RefundRequest{RefundNo: "R1"}); return err },
		"ApplyRefund": func() error {
			_, err := e.s.ApplyRefundNotification(ctx, "R1", channel.RefundReport{State: channel.RefundSuccess}, "")
			return err
		},
		"SyncTransfer": func() error { _, err := e.s.SyncTransfer(ctx, TransferRequest{TransferNo: "T1"}); return err },
		"CreateRefund": func() error {
			_, err := e.s.CreateRefund(ctx, NewRefund{RefundNo: "R2", BizRefundNo: "b2", OrderNo: "P1", Amount: decimal.RequireFromString("1")})
			return err
		},
		"Repair": func() error {
			_, err := e.s.Repair(ctx, RepairRequest{Kind: paysync.TradePay, TradeNo: "P1", To: "close", Operator: "o", Reason: "r", DryRun: true})
			return err
		},
		"Sweep": func() error { _, err := e.s.Sweep(ctx, SweepOptions{}); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			if name == "Sweep" {
				assert.NoError(t, err, "a pass cut short by its ctx is no failure")
				return
			}
			require.ErrorIs(t, err, paysync.ErrCanceled)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, paysync.CodeCanceled, paysync.ErrorCode(err))
		})
	}
	assert.Empty(t, e.syncs("", ""), "nothing was written")
	assert.Empty(t, e.events("", ""))
}

// TestCanceledWhileWaiting: a ctx that ends while the sync waits for the
// order's lock, or for the channel's rate limit, is ErrCanceled too — not
// "busy", not "unavailable".
func TestCanceledWhileWaiting(t *testing.T) {
	t.Run("lock", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.LockWait = time.Hour })
			e.pay("P1", paysync.PayProgress)
			held, _ := e.s.payLocks.acquire(e.ctx, "P1", time.Second)
			require.True(t, held)
			ctx, cancel := context.WithTimeout(e.ctx, time.Second)
			defer cancel()
			_, err := e.s.SyncPay(ctx, PayRequest{OrderNo: "P1"})
			require.ErrorIs(t, err, paysync.ErrCanceled)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NotErrorIs(t, err, paysync.ErrSyncInProgress)
			assert.Empty(t, e.syncs(paysync.TradePay, "P1"))
		})
	})
	t.Run("rate limit", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.RateLimits = map[string]RateLimit{"test": {Rate: 1.0 / 3600, Burst: 1}} })
			e.pay("P1", paysync.PayProgress)
			e.pay("P2", paysync.PayProgress)
			_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"}) // takes the hour's one token
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(e.ctx, time.Second)
			defer cancel()
			_, err = e.s.SyncPay(ctx, PayRequest{OrderNo: "P2"})
			require.ErrorIs(t, err, paysync.ErrCanceled)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Empty(t, e.syncs(paysync.TradePay, "P2"), "no answer, nothing written")
		})
	})
}
