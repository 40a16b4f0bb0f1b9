//go:build go1.25

package syncer

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (e *env) sweep(s *Syncer) SweepReport {
	rep, err := s.Sweep(e.ctx, SweepOptions{})
	require.NoError(e.t, err)
	return rep
}

// newOrder creates a progress order the way a host registers one: created
// now, first due a minute later.
func (e *env) newOrder(no string, expiresIn time.Duration) paysync.PayOrder {
	return e.pay(no, paysync.PayProgress, func(o *paysync.PayOrder) {
		o.CreatedAt = e.clock.Now()
		o.UpdatedAt = o.CreatedAt
		o.ExpiredAt = time.Time{}
		if expiresIn > 0 {
			o.ExpiredAt = o.CreatedAt.Add(expiresIn)
		}
		o.Schedule.NextSyncAt = e.s.Timetables().Pay.First(o.CreatedAt, o.ExpiredAt)
	})
}

// TestSweepRepairsLostCallback: an order paid at the channel is repaired by
// the first sweep after CreatedAt + 1 min, and then leaves the schedule.
func TestSweepRepairsLostCallback(t *testing.T) {
	e := newEnv(t)
	o := e.newOrder("O1", 0)
	e.ch.SetPay("O1", channeltest.Paid(o))

	e.clock.Add(59 * time.Second)
	assert.Zero(t, e.sweep(e.s).Due, "not due before a minute")
	e.clock.Add(time.Second)
	rep := e.sweep(e.s)
	assert.Equal(t, SweepReport{Due: 1, Synced: 1, Adjusted: 1}, rep)
	got := e.order("O1")
	assert.Equal(t, paysync.PaySuccess, got.Status)
	assert.Equal(t, "", got.Schedule.LeaseOwner, "lease released")
	recs := e.syncs(paysync.TradePay, "O1")
	require.Len(t, recs, 1)
	assert.Equal(t, paysync.SourceSweep, recs[0].Source)

	e.clock.Add(24 * time.Hour)
	assert.Zero(t, e.sweep(e.s).Due, "a terminal order left the schedule")
}

// TestSweepSchedule walks an unpaid order through the schedule: every minute,
// then every 10 minutes, hourly, the forced attempt at expiry (closed at the
// channel), and exhaustion for one that never expires.
func TestSweepSchedule(t *testing.T) {
	e := newEnv(t)
	e.newOrder("EXP", 25*time.Minute+30*time.Second)
	e.newOrder("FOREVER", 0)
	start := e.clock.Now()

	var dueAt []time.Duration
	for step := time.Duration(0); step <= 25*time.Hour; step += 30 * time.Second {
		e.clock.Set(start.Add(step))
		if rep := e.sweep(e.s); rep.Due > 0 {
			dueAt = append(dueAt, step)
		}
	}
	exp := e.order("EXP")
	assert.Equal(t, paysync.PayClose, exp.Status, "closed at expiry")
	assert.Equal(t, 1, e.ch.Closes("EXP"))
	assert.True(t, exp.ClosedAt.Equal(start.Add(25*time.Minute+30*time.Second)), "closed on time: %v", exp.ClosedAt)
	adj := e.adjusts(paysync.TradePay, "EXP")
	require.Len(t, adj, 1)
	assert.Equal(t, paysync.WayPayCloseGateway, adj[0].Way)

	forever := e.order("FOREVER")
	assert.Equal(t, paysync.PayProgress, forever.Status, "exhaustion changes no status")
	assert.True(t, forever.Schedule.Exhausted)
	// 10 one-minute syncs, 5 ten-minute, 23 hourly.
	assert.Equal(t, 10+5+23, forever.Schedule.Attempts)
	var exhausted int
	for _, ev := range e.events(paysync.TradePay, "FOREVER") {
		if ev.Type == paysync.EventSyncExhausted {
			exhausted++
		}
	}
	assert.Equal(t, 1, exhausted, "sync.exhausted once")
	assert.Contains(t, dueAt, 25*time.Minute+30*time.Second, "the forced attempt at expiry")
	assert.Equal(t, time.Minute, dueAt[0])
}

// TestSweepKeepsDueOnRateLimit: a rate-limited order is not a failure and
// keeps its due time; the channel is backed off.
func TestSweepKeepsDueOnRateLimit(t *testing.T) { synctest.Test(t, testSweepKeepsDueOnRateLimit) }

func testSweepKeepsDueOnRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RateLimitBackoff = time.Minute })
	o := e.pay("O1", paysync.PayProgress)
	e.ch.FailNext("O1", 1, channel.ErrRateLimited)
	rep := e.sweep(e.s)
	assert.Equal(t, SweepReport{Due: 1, RateLimited: 1}, rep)
	got := e.order("O1")
	assert.Equal(t, o.Schedule.NextSyncAt, got.Schedule.NextSyncAt)
	assert.Equal(t, o.Schedule.Attempts, got.Schedule.Attempts)
	start := e.clock.Now()
	drive(e.clock, func() { rep = e.sweep(e.s) })
	assert.Equal(t, SweepReport{Due: 1, Synced: 1}, rep, "due again in the next pass")
	assert.Equal(t, time.Minute, e.clock.Now().Sub(start), "the channel was left alone for RateLimitBackoff")
}

// TestSweepProgress: the callback sees every order, in order.
func TestSweepProgress(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.ClaimBatch = 7; c.Concurrency = 3 })
	for i := range 20 {
		e.pay(fmt.Sprintf("O%02d", i), paysync.PayProgress)
	}
	var seen []Progress
	rep, err := e.s.Sweep(e.ctx, SweepOptions{Progress: func(p Progress) { seen = append(seen, p) }})
	require.NoError(t, err)
	assert.Equal(t, 20, rep.Due)
	require.Len(t, seen, 20)
	for i, p := range seen {
		assert.Equal(t, i+1, p.Done)
		assert.LessOrEqual(t, p.Done, p.Total)
	}
	assert.Equal(t, Progress{Done: 20, Total: 20}, seen[19])
}

// countingStore watches claims: which owner holds which order, and whether
// an order is ever synced while another owner's lease on it runs.
type countingStore struct {
	repository.Store
	mu      sync.Mutex
	claimed map[string]int // order → claims
}

func (c *countingStore) ClaimPayOrders(ctx context.Context, cl repository.Claim) ([]paysync.PayOrder, error) {
	os, err := c.Store.ClaimPayOrders(ctx, cl)
	c.mu.Lock()
	for _, o := range os {
		c.claimed[o.OrderNo]++
	}
	c.mu.Unlock()
	return os, err
}

// TestSweepThreeHosts: three Syncers on one store, 5,000 due orders, one
// round: every order synced exactly once, never claimed twice.
func TestSweepThreeHosts(t *testing.T) {
	e := newEnv(t)
	const n = 5000
	for i := range n {
		e.pay(fmt.Sprintf("O%05d", i), paysync.PayProgress)
	}
	cs := &countingStore{Store: e.store, claimed: map[string]int{}}
	var hosts []*Syncer
	for i := range 3 {
		hosts = append(hosts, e.syncer(func(c *Config) {
			c.Store = cs
			c.Owner = fmt.Sprintf("host-%d", i)
			c.ClaimBatch = 100
			c.Concurrency = 8
		}))
	}
	reports := make([]SweepReport, 3)
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			reports[i], err = h.Sweep(e.ctx, SweepOptions{})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	total := 0
	for _, r := range reports {
		total += r.Synced
		assert.Zero(t, r.Errors)
	}
	assert.Equal(t, n, total)
	assert.Len(t, cs.claimed, n)
	for no, k := range cs.claimed {
		if k != 1 {
			t.Fatalf("%s claimed %d times", no, k)
		}
	}
	recs, err := e.store.ListSyncRecords(e.ctx, repository.RecordFilter{TradeType: paysync.TradePay})
	require.NoError(t, err)
	per := map[string]int{}
	for _, r := range recs {
		per[r.TradeNo]++
	}
	assert.Len(t, per, n)
	for no, k := range per {
		if k != 1 {
			t.Fatalf("%s synced %d times", no, k)
		}
	}
}

// gate blocks every QueryPay after the first `open` calls until released,
// and tells when the first blocked call arrives.
type gate struct {
	*channeltest.Channel
	open    int64
	calls   atomic.Int64
	blocked chan struct{}
	once    sync.Once
}

func (g *gate) QueryPay(ctx context.Context, o paysync.PayOrder) (channel.PayReport, error) {
	if g.calls.Add(1) > g.open {
		g.once.Do(func() { close(g.blocked) })
		<-ctx.Done()
		return channel.PayReport{}, ctx.Err()
	}
	return g.Channel.QueryPay(ctx, o)
}

// TestSweepLeaseSurvivesCrash: a host cancelled after claiming 200 orders
// keeps them leased; another host does not sync them until the lease ends,
// then syncs them all. Nothing is lost or synced twice.
func TestSweepLeaseSurvivesCrash(t *testing.T) { synctest.Test(t, testSweepLeaseSurvivesCrash) }

func testSweepLeaseSurvivesCrash(t *testing.T) {
	e := newEnv(t)
	const n = 300
	for i := range n {
		e.pay(fmt.Sprintf("O%03d", i), paysync.PayProgress)
	}
	g := &gate{Channel: e.ch, open: 10, blocked: make(chan struct{})}
	crashing := e.syncer(func(c *Config) {
		c.Channels = channel.NewRegistry(g)
		c.Owner = "crashing"
		c.ClaimBatch = 200
		c.Concurrency = 1
		c.Lease = 5 * time.Minute
		c.DrainTimeout = time.Millisecond
	})
	other := e.syncer(func(c *Config) { c.Owner = "other" })

	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan SweepReport, 1)
	var crashed SweepReport
	drive(e.clock, func() {
		go func() {
			rep, _ := crashing.Sweep(ctx, SweepOptions{})
			done <- rep
		}()
		<-g.blocked
		cancel()
		crashed = <-done
	})
	assert.Equal(t, 200, crashed.Due)
	assert.Equal(t, 10, crashed.Synced)
	// The sync cut off by the cancel failed before an answer: its lease was
	// handed back. The orders never started keep theirs.
	assert.Equal(t, 200, crashed.Synced+crashed.Errors+crashed.Abandoned)
	assert.GreaterOrEqual(t, crashed.Abandoned, 100)

	rep := e.sweep(other)
	assert.Equal(t, n-200+crashed.Errors, rep.Synced, "the other host leaves the leased orders alone")

	e.clock.Add(5 * time.Minute)
	rep = e.sweep(other)
	assert.Equal(t, crashed.Abandoned, rep.Synced, "after the lease, the other host finishes them")

	recs, err := e.store.ListSyncRecords(e.ctx, repository.RecordFilter{TradeType: paysync.TradePay})
	require.NoError(t, err)
	per := map[string]int{}
	for _, r := range recs {
		if r.ErrorCode == "" {
			per[r.TradeNo]++
		}
	}
	assert.Len(t, per, n, "nothing lost")
	for no, k := range per {
		assert.Equal(t, 1, k, "%s synced once", no)
	}
}

// TestSweepRespectsRateLimit: the Syncer's own limit keeps the channel's
// from ever refusing.
// TestSweepRespectsRateLimit: the Syncer's limit (380/s) keeps a channel that
// refuses more than 400/s from refusing anything, however many workers run.
// The channel and the engine share the test clock, so the limit is measured
// in the time the test decides, not in the machine's.
func TestSweepRespectsRateLimit(t *testing.T) { synctest.Test(t, testSweepRespectsRateLimit) }

func testSweepRespectsRateLimit(t *testing.T) {
	e := newEnv(t)
	e.ch = channeltest.New(channeltest.Config{Rate: 400, Burst: 10, Clock: e.clock})
	e.reg = channel.NewRegistry(e.ch)
	e.s = e.syncer(func(c *Config) {
		c.RateLimits = map[string]RateLimit{"test": {Rate: 380, Burst: 1}}
		c.Concurrency = 32
	})
	for i := range 200 {
		e.pay(fmt.Sprintf("O%03d", i), paysync.PayProgress)
	}
	start := e.clock.Now()
	var rep SweepReport
	drive(e.clock, func() { rep = e.sweep(e.s) })
	assert.Equal(t, 200, rep.Synced)
	assert.Zero(t, e.ch.Rejections())
	// 200 calls at 380/s with a burst of 1: the last leaves 199/380 s after
	// the first.
	assert.InDelta(t, float64(199*time.Second/380), float64(e.clock.Now().Sub(start)), float64(time.Microsecond))
}

// TestRunDrains: Run stops when ctx ends and lets in-flight syncs finish.
func TestRunDrains(t *testing.T) { synctest.Test(t, testRunDrains) }

func testRunDrains(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PollInterval = time.Millisecond })
	for i := range 50 {
		e.pay(fmt.Sprintf("O%02d", i), paysync.PayProgress)
	}
	ctx, cancel := context.WithCancel(e.ctx)
	errc := make(chan error)
	go func() { errc <- e.s.Run(ctx) }()
	synctest.Wait() // a pass synced all 50; the next found nothing and Run waits out PollInterval
	require.Equal(t, 1, e.clock.Waiting(), "Run polls on the Syncer's clock")
	recs, err := e.store.ListSyncRecords(e.ctx, repository.RecordFilter{})
	require.NoError(t, err)
	assert.Len(t, recs, 50)
	cancel()
	require.NoError(t, <-errc)
}

// slowPassStore makes every claimed batch take two minutes of the test
// clock and checks that each lease it hands out still runs when handed out.
type slowPassStore struct {
	repository.Store
	t     *testing.T
	clock *channeltest.Clock
	seen  int
}

func (s *slowPassStore) ClaimPayOrders(ctx context.Context, c repository.Claim) ([]paysync.PayOrder, error) {
	os, err := s.Store.ClaimPayOrders(ctx, c)
	for _, o := range os {
		s.seen++
		assert.True(s.t, o.Schedule.LeaseUntil.After(s.clock.Now()), "%s leased until %v, already over", o.OrderNo, o.Schedule.LeaseUntil)
	}
	s.clock.Add(2 * time.Minute) // the batch takes that long
	return os, err
}

// TestSweepLeaseFromEachClaim: a pass longer than Lease hands out leases
// that run from each claim, not from the pass's start; what is due is still
// decided at the start.
func TestSweepLeaseFromEachClaim(t *testing.T) {
	e := newEnv(t)
	for i := range 30 {
		e.pay(fmt.Sprintf("O%02d", i), paysync.PayProgress)
	}
	ss := &slowPassStore{Store: e.store, t: t, clock: e.clock}
	s := e.syncer(func(c *Config) { c.Store = ss; c.ClaimBatch = 10; c.Lease = time.Minute })
	rep := e.sweep(s)
	assert.Equal(t, 30, rep.Synced)
	assert.Equal(t, 30, ss.seen)
}
