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

func TestFailNext(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	ctx := context.Background()
	boom := errors.New("boom")
	c.FailNext("P1", 2, boom)
	c.FailNext("P1", 1, nil)
	c.FailNext("P1", 0, boom) // nothing

	for i := range 2 {
		_, err := c.QueryPay(ctx, order("P1"))
		assert.ErrorIs(t, err, boom, "call %d", i)
		assert.ErrorIs(t, err, channeltest.ErrInjected, "call %d", i)
	}
	_, err := c.QueryPay(ctx, order("P1"))
	assert.ErrorIs(t, err, channeltest.ErrInjected)
	assert.False(t, errors.Is(err, boom))

	_, err = c.QueryPay(ctx, order("P2"))
	assert.NoError(t, err, "faults are per order")
	_, err = c.QueryPay(ctx, order("P1"))
	assert.NoError(t, err, "the queue is used up")
	assert.Equal(t, channeltest.Stats{PayQueries: 5, Injected: 3}, c.Stats())
}

func TestTimeoutNextHonoursDeadline(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	c.TimeoutNext("P1", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	_, err := c.QueryPay(ctx, order("P1"))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, int64(1), c.Stats().Timeouts)

	_, err = c.QueryPay(context.Background(), order("P1"))
	assert.NoError(t, err, "only the next call hangs")
}

func TestTimeoutNextHonoursCancel(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	c.TimeoutNext("P1", 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.QueryPay(ctx, order("P1"))
		done <- err
	}()
	// The call cannot return until cancel: if it did, the fault would not
	// have been taken. Cancel once it has been counted as a timeout.
	for c.Stats().Timeouts == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}

func TestLatencyHonoursCtx(t *testing.T) {
	c := channeltest.New(channeltest.Config{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	_, err := c.QueryPay(ctx, order("P1"))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, c.ClosePay(ctx, order("P1")), context.DeadlineExceeded)
	_, ok := c.Truth("P1")
	assert.False(t, ok, "a call cut short gave no answer")
	assert.Equal(t, channeltest.Stats{PayQueries: 1, Closes: 1}, c.Stats(), "latency is not a timeout")
}

func TestLatencyWithJitterAnswers(t *testing.T) {
	c := channeltest.New(channeltest.Config{Latency: time.Microsecond, LatencyJitter: time.Microsecond})
	for range 3 {
		_, err := c.QueryPay(context.Background(), order("P1"))
		require.NoError(t, err)
	}
}

func TestDoneCtxIsRefusedBeforeAnything(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	c.FailNext("P1", 1, nil)
	c.SetPayAfter("P1", 0, channel.PayReport{State: channel.PaySuccess})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.QueryPay(ctx, order("P1"))
	require.ErrorIs(t, err, context.Canceled)

	_, err = c.QueryPay(context.Background(), order("P1"))
	assert.ErrorIs(t, err, channeltest.ErrInjected, "the fault is still queued")
	assert.Equal(t, 2, c.PayQueries("P1"))
}

func TestRandomFaults(t *testing.T) {
	t.Run("error rate 1", func(t *testing.T) {
		c := channeltest.New(channeltest.Config{ErrorRate: 1})
		_, err := c.QueryPay(context.Background(), order("P1"))
		assert.ErrorIs(t, err, channeltest.ErrInjected)
		assert.ErrorIs(t, c.ClosePay(context.Background(), order("P1")), channeltest.ErrInjected)
		_, err = c.QueryAllocation(context.Background(), paysync.AllocationOrder{AllocationNo: "A1"})
		assert.ErrorIs(t, err, channeltest.ErrInjected)
		assert.Equal(t, int64(3), c.Stats().Injected)
	})
	t.Run("timeout rate 1", func(t *testing.T) {
		c := channeltest.New(channeltest.Config{TimeoutRate: 1})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		defer cancel()
		_, err := c.QueryPay(ctx, order("P1"))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, int64(1), c.Stats().Timeouts)
	})
	t.Run("same seed same faults", func(t *testing.T) {
		outcomes := func(seed int64) []bool {
			c := channeltest.New(channeltest.Config{ErrorRate: 0.5, Seed: seed})
			var failed []bool
			for range 64 {
				_, err := c.QueryPay(context.Background(), order("P1"))
				failed = append(failed, err != nil)
			}
			return failed
		}
		a, b := outcomes(7), outcomes(7)
		assert.Equal(t, a, b)
		assert.Contains(t, a, true)
		assert.Contains(t, a, false)
		assert.NotEqual(t, a, outcomes(8))
	})
}

func TestRateLimit(t *testing.T) {
	clk := newClock()
	c := channeltest.New(channeltest.Config{Rate: 1, Burst: 2, Now: clk.Now})
	ctx := context.Background()
	o := order("P1")
	c.SetPayAfter("P1", 2, channeltest.Paid(o))

	query := func() error { _, err := c.QueryPay(ctx, o); return err }
	require.NoError(t, query())
	require.NoError(t, c.ClosePay(ctx, order("P2")), "the bucket is shared by all methods")

	err := query()
	require.ErrorIs(t, err, channel.ErrRateLimited)
	assert.ErrorIs(t, err, paysync.ErrChannelUnavailable)
	_, err = c.QueryAllocation(ctx, paysync.AllocationOrder{AllocationNo: "A1"})
	require.ErrorIs(t, err, channel.ErrRateLimited)
	assert.Equal(t, int64(2), c.Rejections())

	clk.Add(time.Second) // one token back
	require.NoError(t, query())
	require.ErrorIs(t, query(), channel.ErrRateLimited)

	clk.Add(time.Second)
	r, err := c.QueryPay(ctx, o)
	require.NoError(t, err)
	assert.Equal(t, channel.PaySuccess, r.State, "rejected calls are not answers")
	assert.Equal(t, channeltest.Stats{PayQueries: 5, Closes: 1, AllocationQueries: 1, Rejections: 3}, c.Stats())
	assert.Equal(t, 5, c.PayQueries("P1"))
}

func TestDefaultBurstIsOne(t *testing.T) {
	clk := newClock()
	c := channeltest.New(channeltest.Config{Rate: 0.5, Now: clk.Now})
	_, err := c.QueryPay(context.Background(), order("P1"))
	require.NoError(t, err)
	_, err = c.QueryPay(context.Background(), order("P1"))
	require.ErrorIs(t, err, channel.ErrRateLimited)
}
