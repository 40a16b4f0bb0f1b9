package channeltest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func refund(no string) paysync.RefundOrder {
	return paysync.RefundOrder{RefundNo: no, BizRefundNo: "b" + no, OrderNo: "P1", Channel: "test",
		Amount: decimal.RequireFromString("4.00"), Status: paysync.RefundProgress}
}

func transfer(no string) paysync.TransferOrder {
	return paysync.TransferOrder{TransferNo: no, BizTransferNo: "b" + no, Channel: "test",
		Amount: decimal.RequireFromString("5.00"), Currency: "CNY", PayeeType: "openid", PayeeAccount: "o-1",
		Status: paysync.TransferProgress}
}

// TestRefundScript walks a refund through every way of scripting it, as
// TestSetPay* do for payments: the default truth, scripted truths by count
// and by time, faults that do not count as answers, counters.
func TestRefundScript(t *testing.T) {
	clk := newClock()
	c := channeltest.New(channeltest.Config{Clock: clk})
	ctx := context.Background()
	r := refund("R1")

	_, ok := c.RefundTruth("R1")
	assert.False(t, ok, "no truth before the first query")
	got, err := c.QueryRefund(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, channel.RefundProgress, got.State, "a refund never scripted is in progress")
	assert.Equal(t, "R1", got.RefundNo)
	assert.True(t, got.Amount.Equal(r.Amount))
	assert.Equal(t, "CNY", got.Currency)
	assert.JSONEq(t, `{"refund_no":"R1","out_refund_no":"out-R1","state":"progress","amount":"4","currency":"CNY"}`, string(got.Raw))

	c.FailRefundNext("R1", 1, channel.ErrRateLimited)
	c.SetRefundAfter("R1", 1, channeltest.RefundAnswer(r, channel.RefundSuccess))
	_, err = c.QueryRefund(ctx, r)
	assert.ErrorIs(t, err, channel.ErrRateLimited)
	assert.ErrorIs(t, err, channeltest.ErrInjected)
	got, err = c.QueryRefund(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, channel.RefundProgress, got.State, "a failed call is no answer: success comes after one more")
	got, err = c.QueryRefund(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, channel.RefundSuccess, got.State)

	c.SetRefundAt("R1", clk.Now().Add(time.Minute), channeltest.RefundAnswer(r, channel.RefundClosed))
	truth, _ := c.RefundTruth("R1")
	assert.Equal(t, channel.RefundSuccess, truth.State)
	clk.Add(time.Minute)
	truth, _ = c.RefundTruth("R1")
	assert.Equal(t, channel.RefundClosed, truth.State)

	c.SetRefund("R1", channel.RefundReport{State: channel.RefundNotFound})
	got, _ = c.QueryRefund(ctx, r)
	assert.Equal(t, channel.RefundNotFound, got.State)
	assert.Equal(t, 5, c.RefundQueries("R1"))
	assert.Equal(t, 0, c.RefundQueries("R2"))
	assert.Equal(t, int64(5), c.Stats().RefundQueries)
	assert.Equal(t, int64(1), c.Stats().Injected)

	f := channeltest.RefundAnswer(r, channel.RefundFailed)
	assert.Equal(t, "TEST_FAIL", f.ErrorCode)
}

// TestTransferScript is TestRefundScript for transfers, which also report
// their payee.
func TestTransferScript(t *testing.T) {
	clk := newClock()
	c := channeltest.New(channeltest.Config{Clock: clk})
	ctx := context.Background()
	tr := transfer("T1")

	got, err := c.QueryTransfer(ctx, tr)
	require.NoError(t, err)
	assert.Equal(t, channel.TransferProgress, got.State)
	assert.Equal(t, "openid", got.PayeeType)
	assert.Equal(t, "o-1", got.PayeeAccount)
	assert.Equal(t, "out-T1", got.OutTransferNo)

	boom := errors.New("boom")
	c.FailTransferNext("T1", 2, boom)
	c.SetTransferAfter("T1", 0, channeltest.TransferAnswer(tr, channel.TransferFailed))
	for range 2 {
		_, err = c.QueryTransfer(ctx, tr)
		assert.ErrorIs(t, err, boom)
	}
	got, err = c.QueryTransfer(ctx, tr)
	require.NoError(t, err)
	assert.Equal(t, channel.TransferFailed, got.State)
	assert.Equal(t, "TEST_FAIL", got.ErrorCode)

	c.SetTransferAt("T1", clk.Now().Add(time.Hour), channeltest.TransferAnswer(tr, channel.TransferSuccess))
	c.SetTransfer("T1", channel.TransferReport{State: channel.TransferNotFound})
	clk.Add(2 * time.Hour)
	truth, ok := c.TransferTruth("T1")
	require.True(t, ok)
	assert.Equal(t, channel.TransferNotFound, truth.State, "SetTransfer drops the scheduled truth")
	assert.Equal(t, 4, c.TransferQueries("T1"))
}

// TestRefundAndTransferTimeouts: a scripted hang ends with the caller's ctx.
func TestRefundAndTransferTimeouts(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	c.TimeoutRefundNext("R1", 1)
	c.TimeoutTransferNext("T1", 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.QueryRefund(ctx, refund("R1"))
	assert.ErrorIs(t, err, context.Canceled, "a done ctx is refused before anything")
	assert.Equal(t, int64(0), c.Stats().Timeouts, "the hang is still queued")

	hung, release := context.WithCancel(context.Background())
	done := make(chan error, 2)
	go func() { _, err := c.QueryRefund(hung, refund("R1")); done <- err }()
	go func() { _, err := c.QueryTransfer(hung, transfer("T1")); done <- err }()
	for c.Stats().Timeouts < 2 { // both calls took their hang; they cannot return before release
		select {
		case err := <-done:
			t.Fatalf("a hung call returned %v", err)
		default:
		}
		runtimeYield()
	}
	release()
	assert.ErrorIs(t, <-done, context.Canceled)
	assert.ErrorIs(t, <-done, context.Canceled)
}
