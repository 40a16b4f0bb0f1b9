package syncer

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
)

// SweepOptions tunes one pass.
type SweepOptions struct {
	// Progress, when set, is called after each order of the pass, from one
	// goroutine at a time; keep it quick.
	Progress func(Progress)
}

// Progress is a pass's running count, for progress bars and metrics.
type Progress struct {
	Done     int // orders finished, whatever the outcome
	Total    int // orders claimed so far
	Adjusted int
	Errors   int
}

// SweepReport counts what one pass did.
type SweepReport struct {
	Due         int // orders claimed
	Synced      int // syncs that completed (the channel answered)
	Adjusted    int // syncs that changed an order
	Anomalies   int // syncs that met an anomaly
	Errors      int // syncs that failed (channel, store)
	Exhausted   int // orders whose schedule ended in this pass
	Busy        int // orders another sync held: left due
	RateLimited int // orders the channel refused for its rate: left due
	Abandoned   int // claimed orders not started before ctx ended: their leases run out
}

// releaseTimeout bounds the releases at the end of a pass.
const releaseTimeout = 5 * time.Second

// sweepJob is one claimed order.
type sweepJob struct {
	pay   *paysync.PayOrder
	alloc *paysync.AllocationOrder
}

// Sweep runs one pass: it claims the pay and allocation orders due at the
// Syncer's clock with a lease of Config.Lease, syncs them through the same
// path as SyncPay and SyncAllocation (Source sweep) with at most
// Config.Concurrency at once, and reschedules each. Orders met busy or rate
// limited keep their due time. When ctx ends, Sweep stops claiming and
// starting syncs; those in flight finish on a context without cancel for at
// most Config.DrainTimeout. Claimed orders never started keep their leases,
// which run out. It returns the report and the first store error a claim or
// release met (the pass stops claiming then).
func (s *Syncer) Sweep(ctx context.Context, opts SweepOptions) (SweepReport, error) {
	now := s.clock()
	claim := repository.Claim{Now: now, Owner: s.cfg.Owner, Until: now.Add(s.cfg.Lease), Limit: s.cfg.ClaimBatch}

	// In-flight syncs outlive ctx by at most DrainTimeout.
	syncCtx, cancelSync := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSync()
	passDone := make(chan struct{})
	defer close(passDone)
	go func() {
		select {
		case <-ctx.Done():
		case <-passDone:
			return
		}
		drained, stop := s.clk.After(s.cfg.DrainTimeout)
		defer stop()
		select {
		case <-drained:
			cancelSync()
		case <-passDone:
		}
	}()

	p := &pass{s: s, opts: opts}
	jobs := make(chan sweepJob, s.cfg.Concurrency)
	var wg sync.WaitGroup
	for range s.cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					p.abandon()
					continue
				}
				p.run(syncCtx, j)
			}
		}()
	}

	err := p.claimAll(ctx, claim, jobs)
	close(jobs)
	wg.Wait()
	// Releases must happen even when ctx ended and the drain ran out: a
	// lease left behind keeps a busy or rate-limited order from others.
	rctx, cancelRelease := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancelRelease()
	if rerr := p.releaseAll(rctx); err == nil {
		err = rerr
	}
	return p.report, err
}

// pass is the state of one Sweep.
type pass struct {
	s    *Syncer
	opts SweepOptions

	mu       sync.Mutex
	report   SweepReport
	progress Progress
	// Leases to drop. Orders synced are rescheduled past the pass's start,
	// so their leases go as the pass goes on (done); orders left due (busy,
	// rate limited, failed) keep theirs to the end, or this same pass would
	// claim them again (kept).
	done, doneA []string
	kept, keptA []string
}

// claimAll claims batches until nothing is due, pay orders first. It claims
// the next batch only once the last one is handed to workers, so the orders
// held at once stay bounded by the batch and the workers, not the backlog.
func (p *pass) claimAll(ctx context.Context, c repository.Claim, jobs chan<- sweepJob) error {
	s := p.s
	payDone, allocDone := false, false
	for !(payDone && allocDone) {
		if ctx.Err() != nil {
			return nil
		}
		// A lease runs from the claim that takes it: a pass that outlasts
		// Lease must not hand out leases already run out, which another
		// host would claim again. Now stays the pass's start, so what is due
		// is decided once.
		if u := s.clock().Add(s.cfg.Lease); u.After(c.Until) {
			c.Until = u
		}
		if err := p.releaseDone(ctx); err != nil {
			return ignoreCancel(ctx, err)
		}
		var batch []sweepJob
		if !payDone {
			orders, err := s.store.ClaimPayOrders(ctx, c)
			if err != nil {
				return ignoreCancel(ctx, err)
			}
			payDone = len(orders) < c.Limit
			for i := range orders {
				batch = append(batch, sweepJob{pay: &orders[i]})
			}
		} else {
			orders, err := s.store.ClaimAllocationOrders(ctx, c)
			if err != nil {
				return ignoreCancel(ctx, err)
			}
			allocDone = len(orders) < c.Limit
			for i := range orders {
				batch = append(batch, sweepJob{alloc: &orders[i]})
			}
		}
		p.claimed(len(batch))
		for i, j := range batch {
			select {
			case jobs <- j:
			case <-ctx.Done():
				p.abandonN(len(batch) - i)
				return nil
			}
		}
	}
	return nil
}

func ignoreCancel(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return nil
	}
	return err
}

// run syncs one claimed order and counts the outcome.
func (p *pass) run(ctx context.Context, j sweepJob) {
	s := p.s
	var (
		adjusted, anomalies, exhausted bool
		err                            error
	)
	if j.pay != nil {
		var res PayOutcome
		res, err = s.syncPay(ctx, "syncer.Sweep", *j.pay, nil, paysync.SourceSweep, "")
		adjusted, anomalies, exhausted = res.Adjusted, len(res.Anomalies) > 0, res.Exhausted
	} else {
		var res AllocationOutcome
		res, err = s.syncAllocation(ctx, "syncer.Sweep", *j.alloc, paysync.SourceSweep, "")
		adjusted, anomalies, exhausted = res.Adjusted, len(res.Anomalies) > 0, res.Exhausted
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	r := &p.report
	switch {
	case errors.Is(err, paysync.ErrSyncInProgress):
		r.Busy++
	case errors.Is(err, channel.ErrRateLimited):
		r.RateLimited++
	case err != nil:
		r.Errors++
		p.progress.Errors++
	default:
		r.Synced++
	}
	if adjusted {
		r.Adjusted++
		p.progress.Adjusted++
	}
	if anomalies {
		r.Anomalies++
	}
	if exhausted {
		r.Exhausted++
	}
	pay, alloc := &p.done, &p.doneA
	if err != nil {
		pay, alloc = &p.kept, &p.keptA
	}
	if j.pay != nil {
		*pay = append(*pay, j.pay.OrderNo)
	} else {
		*alloc = append(*alloc, j.alloc.AllocationNo)
	}
	p.progress.Done++
	if p.opts.Progress != nil {
		p.opts.Progress(p.progress)
	}
}

func (p *pass) claimed(n int) {
	p.mu.Lock()
	p.report.Due += n
	p.progress.Total += n
	p.mu.Unlock()
}

func (p *pass) abandon() { p.abandonN(1) }

func (p *pass) abandonN(n int) {
	p.mu.Lock()
	p.report.Abandoned += n
	p.mu.Unlock()
}

// releaseDone drops the leases of the orders synced since the last call.
func (p *pass) releaseDone(ctx context.Context) error {
	p.mu.Lock()
	pay, alloc := p.done, p.doneA
	p.done, p.doneA = nil, nil
	p.mu.Unlock()
	return p.release(ctx, pay, alloc)
}

// releaseAll drops every lease the pass still holds.
func (p *pass) releaseAll(ctx context.Context) error {
	err := p.releaseDone(ctx)
	if kerr := p.release(ctx, p.kept, p.keptA); err == nil {
		err = kerr
	}
	return err
}

func (p *pass) release(ctx context.Context, pay, alloc []string) error {
	s := p.s
	var first error
	if len(pay) > 0 {
		first = s.store.ReleasePayOrders(ctx, s.cfg.Owner, pay...)
	}
	if len(alloc) > 0 {
		if err := s.store.ReleaseAllocationOrders(ctx, s.cfg.Owner, alloc...); first == nil {
			first = err
		}
	}
	return first
}

// Run sweeps until ctx ends: a pass, then, when the pass synced nothing,
// a pause of Config.PollInterval. It returns nil when ctx ends, or the first
// store error of a pass.
func (s *Syncer) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		rep, err := s.Sweep(ctx, SweepOptions{})
		if err != nil {
			return err
		}
		if rep.Synced+rep.Errors > 0 {
			continue
		}
		_ = sleep(ctx, s.clk, s.cfg.PollInterval) // an ended ctx ends the loop
	}
	return nil
}
