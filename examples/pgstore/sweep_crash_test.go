package pgstore_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/syncer"
	"github.com/stretchr/testify/require"
)

// crashingChannel stands between one host and the fake channel. It passes
// on the first `after` QueryPay calls; the next one crashes the host: it
// closes the host's pool and, like every later call, never answers, holding
// until its ctx ends.
type crashingChannel struct {
	*channeltest.Channel
	after   int64
	pool    *pgxpool.Pool
	calls   atomic.Int64
	once    sync.Once
	crashed chan struct{} // closed at the crash
	closed  chan struct{} // closed once the pool is
}

func (c *crashingChannel) QueryPay(ctx context.Context, o paysync.PayOrder) (channel.PayReport, error) {
	if c.calls.Add(1) <= c.after {
		return c.Channel.QueryPay(ctx, o)
	}
	c.once.Do(func() {
		close(c.crashed)
		// Close waits for the connections in use to come back; a sync of
		// this host may hold one, so no sync may wait for Close.
		go func() {
			c.pool.Close()
			close(c.closed)
		}()
	})
	<-ctx.Done()
	return channel.PayReport{}, ctx.Err()
}

// TestSweepHostCrash: one of four hosts claims a batch of 200, completes 10
// syncs, and dies: its pool is closed under its in-flight syncs and its
// channel stops answering. The orders it claimed and did not sync stay
// leased to it and untouched while the other hosts sweep at the same clock;
// once the lease has ended the others sync them. Every order ends synced
// exactly once, every payment adjusted once with one status event, and no
// order is ever half-written.
func TestSweepHostCrash(t *testing.T) {
	schema := newSchema(t)
	db := schema.open(4)
	clock := channeltest.NewClock(t0.Add(sweepAfter))
	ch := channeltest.New(channeltest.Config{Clock: clock})
	reg := channel.NewRegistry(ch)
	const n, batch, after = 1000, 200, 10
	paid := loadDue(t, db, ch, n)

	crashPool := schema.open(4)
	crash := &crashingChannel{Channel: ch, after: after, pool: crashPool,
		crashed: make(chan struct{}), closed: make(chan struct{})}
	crasher := newHost(t, crashPool, channel.NewRegistry(crash), clock, "crashing", func(c *syncer.Config) {
		// Two workers: most of the batch is never started.
		c.ClaimBatch, c.Concurrency = batch, 2
		c.DrainTimeout = 10 * time.Millisecond
	})
	others := make([]*syncer.Syncer, 3)
	for i := range others {
		others[i] = newHost(t, schema.open(8), reg, clock, fmt.Sprintf("host-%d", i))
	}

	// Stopping the dead host lets its Sweep return; only then are all its
	// connections back, so only then may the test wait for Close.
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	type result struct {
		rep syncer.SweepReport
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := crasher.Sweep(ctx, syncer.SweepOptions{})
		done <- result{rep, err}
	}()
	select {
	case <-crash.crashed:
	case r := <-done:
		t.Fatalf("the crashing host's sweep ended before its crash: %+v, %v", r.rep, r.err)
	}
	stop()
	// The dead host's in-flight syncs hang until its drain runs out, on the
	// test clock: move the clock to each wait as it comes until the pass ends.
	var crashed result
	for waiting := true; waiting; {
		select {
		case crashed = <-done:
			waiting = false
		default:
			if !clock.Next() {
				runtime.Gosched()
			}
		}
	}
	<-crash.closed
	t.Logf("crashed host: %+v (%v)", crashed.rep, crashed.err)
	require.Equal(t, batch, crashed.rep.Due, "the crashing host claimed one batch")
	require.LessOrEqual(t, crashed.rep.Synced, after)
	require.Equal(t, batch, crashed.rep.Synced+crashed.rep.Errors+crashed.rep.Abandoned,
		"every claimed order is counted once")

	leaseEnd := t0.Add(sweepAfter + sweepLease).UTC().Truncate(time.Microsecond)
	// held returns the orders no sweep completed that are leased to the
	// crashing host, checking that every one of them is whole and that no
	// other lease is live.
	held := func() []string {
		t.Helper()
		l := readLedger(t, db)
		var held []string
		for _, no := range requireWhole(t, l, paid) {
			switch e := l[no]; e.leaseOwner {
			case "":
			case "crashing":
				require.Equal(t, leaseEnd, e.leaseUntil, "order %s", no)
				held = append(held, no)
			default:
				require.Failf(t, "lease left behind", "order %s: never synced, leased to %s", no, e.leaseOwner)
			}
		}
		return held
	}
	crashHeld := held()
	require.Len(t, crashHeld, batch-crashed.rep.Synced,
		"the store holds exactly the syncs the crashing host completed; the rest of its claim stays leased to it")

	sum := total(sweepAll(t, others))
	t.Logf("others, at the crash's clock: %+v", sum)
	require.Equal(t, n-batch, sum.Due, "the others leave the crashing host's claim alone")
	require.Equal(t, n-batch, sum.Synced)
	require.Zero(t, sum.Errors+sum.Busy+sum.RateLimited+sum.Abandoned)
	require.ElementsMatch(t, crashHeld, held(), "still leased to the crashing host, still untouched")

	clock.Add(afterLease - sweepAfter)
	sum = total(sweepAll(t, others))
	t.Logf("others, past the lease: %+v", sum)
	require.Equal(t, len(crashHeld), sum.Due, "past the lease, the others claim what the crashing host held")
	require.Equal(t, len(crashHeld), sum.Synced)
	require.Zero(t, sum.Errors+sum.Busy+sum.RateLimited+sum.Abandoned)
	require.Empty(t, held(), "nothing lost")

	l := readLedger(t, db)
	adjusts, events := 0, 0
	for no, e := range l {
		if e.leaseOwner != "" {
			// The crashing host never released the orders it synced.
			require.Equal(t, "crashing", e.leaseOwner, "order %s", no)
			require.False(t, e.leaseUntil.After(clock.Now()), "order %s: lease still live", no)
		}
		adjusts += e.adjusts
		events += e.events
	}
	require.Equal(t, len(paid), adjusts, "one AdjustRecord per paid order")
	require.Equal(t, adjusts, events, "one status event per AdjustRecord")
	require.Zero(t, dueAt(t, db, clock.Now()), "nothing left due")
	require.EqualValues(t, n+after-crashed.rep.Synced, ch.Stats().PayQueries,
		"the channel is asked once per completed sync, and once more for each answer lost in the crash")
}
