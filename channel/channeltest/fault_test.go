//go:build go1.25

package channeltest_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
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

func TestTimeoutNextHonoursDeadline(t *testing.T) { synctest.Test(t, testTimeoutNextHonoursDeadline) }

func testTimeoutNextHonoursDeadline(t *testing.T) {
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

func TestTimeoutNextHonoursCancel(t *testing.T) { synctest.Test(t, testTimeoutNextHonoursCancel) }

func testTimeoutNextHonoursCancel(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	c.TimeoutNext("P1", 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.QueryPay(ctx, order("P1"))
		done <- err
	}()
	synctest.Wait() // the call hangs: it cannot return until cancel
	require.Equal(t, int64(1), c.Stats().Timeouts)
	select {
	case err := <-done:
		t.Fatalf("the call returned %v before its ctx was cancelled", err)
	default:
	}
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}

func TestLatencyHonoursCtx(t *testing.T) { synctest.Test(t, testLatencyHonoursCtx) }

func testLatencyHonoursCtx(t *testing.T) {
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

// TestLatencyWaitsOnTheClock: a call answers only once the channel's clock
// has moved by Latency plus a jitter in [0, LatencyJitter], drawn from the
// seeded source, so a seed repeats the same waits.
func TestLatencyWaitsOnTheClock(t *testing.T) {
	waits := func(seed int64) []time.Duration {
		var out []time.Duration
		synctest.Test(t, func(t *testing.T) {
			clk := newClock()
			c := channeltest.New(channeltest.Config{Clock: clk, Latency: time.Second, LatencyJitter: time.Second, Seed: seed})
			for range 8 {
				done := make(chan error, 1)
				go func() { _, err := c.QueryPay(context.Background(), order("P1")); done <- err }()
				synctest.Wait() // the call is waiting on the clock
				require.Equal(t, 1, clk.Waiting())
				start := clk.Now()
				clk.Add(time.Second - time.Nanosecond)
				synctest.Wait()
				select {
				case err := <-done:
					t.Fatalf("answered (%v) before its latency", err)
				default:
				}
				require.True(t, clk.Next(), "the wait is still pending")
				require.NoError(t, <-done)
				out = append(out, clk.Now().Sub(start))
			}
		})
		return out
	}
	a := waits(3)
	for _, d := range a {
		assert.True(t, d >= time.Second && d <= 2*time.Second, "wait %v outside [1s, 2s]", d)
	}
	assert.Equal(t, a, waits(3), "the same seed repeats the same waits")
	assert.NotEqual(t, a[0], a[1], "jitter varies the waits") // (the seed makes this deterministic)
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
	t.Run("timeout rate 1", func(t *testing.T) { synctest.Test(t, testTimeoutRateOne) })
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
	c := channeltest.New(channeltest.Config{Rate: 1, Burst: 2, Clock: clk})
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
	c := channeltest.New(channeltest.Config{Rate: 0.5, Clock: clk})
	_, err := c.QueryPay(context.Background(), order("P1"))
	require.NoError(t, err)
	_, err = c.QueryPay(context.Background(), order("P1"))
	require.ErrorIs(t, err, channel.ErrRateLimited)
}

func testTimeoutRateOne(t *testing.T) {
	c := channeltest.New(channeltest.Config{TimeoutRate: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	_, err := c.QueryPay(ctx, order("P1"))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, int64(1), c.Stats().Timeouts)
}
