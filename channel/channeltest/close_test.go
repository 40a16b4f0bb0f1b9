package channeltest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClosePay(t *testing.T) {
	tests := []struct {
		name      string
		truth     channel.PayState // "" leaves the order unscripted
		outcome   channeltest.CloseOutcome
		wantErr   error
		wantTruth channel.PayState
	}{
		{"auto unscripted", "", channeltest.CloseAuto, nil, channel.PayClosed},
		{"auto progress", channel.PayProgress, channeltest.CloseAuto, nil, channel.PayClosed},
		{"auto closed", channel.PayClosed, channeltest.CloseAuto, nil, channel.PayClosed},
		{"auto cancelled", channel.PayCancelled, channeltest.CloseAuto, nil, channel.PayCancelled},
		{"auto failed", channel.PayFailed, channeltest.CloseAuto, nil, channel.PayFailed},
		{"auto success", channel.PaySuccess, channeltest.CloseAuto, channel.ErrAlreadyPaid, channel.PaySuccess},
		{"auto refunded", channel.PayRefunded, channeltest.CloseAuto, channel.ErrAlreadyPaid, channel.PayRefunded},
		{"auto not found", channel.PayNotFound, channeltest.CloseAuto, channel.ErrTradeNotExist, channel.PayNotFound},
		{"auto not found unknown", channel.PayNotFoundUnknown, channeltest.CloseAuto, channel.ErrTradeNotExist, channel.PayNotFoundUnknown},
		{"ok progress", channel.PayProgress, channeltest.CloseOK, nil, channel.PayClosed},
		{"ok forces a paid trade closed", channel.PaySuccess, channeltest.CloseOK, nil, channel.PayClosed},
		{"already paid pays the trade", channel.PayProgress, channeltest.CloseAlreadyPaid, channel.ErrAlreadyPaid, channel.PaySuccess},
		{"already paid keeps refunded", channel.PayRefunded, channeltest.CloseAlreadyPaid, channel.ErrAlreadyPaid, channel.PayRefunded},
		{"not exist", channel.PayProgress, channeltest.CloseNotExist, channel.ErrTradeNotExist, channel.PayProgress},
		{"error", channel.PayProgress, channeltest.CloseError, channeltest.ErrInjected, channel.PayProgress},
		{"unknown outcome", channel.PayProgress, channeltest.CloseOutcome(42), paysync.ErrInvalidRequest, channel.PayProgress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			c := channeltest.New(channeltest.Config{Clock: clk})
			ctx := context.Background()
			o := order("P1")
			if tt.truth != "" {
				c.SetPay("P1", channeltest.Report(o, tt.truth))
			}
			c.SetClose("P1", tt.outcome)

			err := c.ClosePay(ctx, o)
			if tt.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.wantErr)
			}
			r, err := c.QueryPay(ctx, o)
			require.NoError(t, err)
			assert.Equal(t, tt.wantTruth, r.State)
			assert.Equal(t, "P1", r.OrderNo)
			assert.True(t, r.Amount.Equal(o.Amount), "the trade keeps its amount")
			assert.Contains(t, string(r.Raw), `"state":"`+string(tt.wantTruth)+`"`)
			if tt.truth != channel.PaySuccess && tt.wantTruth == channel.PaySuccess {
				assert.Equal(t, clk.Now(), r.PaidAt)
				assert.Equal(t, "out-P1", r.OutOrderNo)
			}
			if tt.wantTruth == channel.PayClosed {
				assert.True(t, r.PaidAt.IsZero())
			}
			assert.Equal(t, 1, c.Closes("P1"))
			assert.Equal(t, int64(1), c.Stats().Closes)
		})
	}
}

func TestClosePayDropsScheduledTruths(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	o := order("P1")
	c.SetPayAfter("P1", 1, channeltest.Paid(o))
	require.NoError(t, c.ClosePay(context.Background(), o))
	for range 3 {
		r, err := c.QueryPay(context.Background(), o)
		require.NoError(t, err)
		assert.Equal(t, channel.PayClosed, r.State, "a closed trade stays closed")
	}
}

func TestClosePayCounts(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	c.SetClose("P2", channeltest.CloseError)
	for range 3 {
		assert.NoError(t, c.ClosePay(context.Background(), order("P1")))
	}
	err := c.ClosePay(context.Background(), order("P2"))
	assert.ErrorIs(t, err, channeltest.ErrInjected)

	assert.Equal(t, 3, c.Closes("P1"))
	assert.Equal(t, 1, c.Closes("P2"))
	assert.Equal(t, 0, c.Closes("P3"))
	assert.Equal(t, channeltest.Stats{Closes: 4, Injected: 1}, c.Stats())
}

func TestClosePayTimeoutHonoursCtx(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	c.SetClose("P1", channeltest.CloseTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := c.ClosePay(ctx, order("P1"))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, errors.Is(err, channeltest.ErrInjected))
	assert.Equal(t, int64(1), c.Stats().Timeouts)

	r, err := c.QueryPay(context.Background(), order("P1"))
	require.NoError(t, err)
	assert.Equal(t, channel.PayProgress, r.State, "a close that timed out changes nothing")
}

func TestCloseOutcomeString(t *testing.T) {
	assert.Equal(t, "already_paid", channeltest.CloseAlreadyPaid.String())
	assert.Equal(t, "CloseOutcome(42)", channeltest.CloseOutcome(42).String())
}

func TestClosePayNegativeOutcomeIsInvalid(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	c.SetClose("P1", channeltest.CloseOutcome(-1))
	assert.ErrorIs(t, c.ClosePay(context.Background(), order("P1")), paysync.ErrInvalidRequest)
}
