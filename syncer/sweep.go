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

// sweepJob is one claimed order: its number and its sync.
type sweepJob struct {
	kind int // index into the pass's kinds; set by the pass
	no   string
	sync func(ctx context.Context) (sweepResult, error)
}

// sweepResult is what a pass counts of one sync.
type sweepResult struct{ adjusted, anomalies, exhausted bool }

// sweepKind is one kind of order as a pass claims and releases it.
type sweepKind struct {
	claim   func(ctx context.Context, c repository.Claim) ([]sweepJob, error)
	release func(ctx context.Context, owner string, nos ...string) error
}

// sweepKinds lists the kinds a pass sweeps, in the order it claims them.
func (s *Syncer) sweepKinds() []sweepKind {
	c := call{op: "syncer.Sweep", src: paysync.SourceSweep}
	return []sweepKind{
		{claim: func(ctx context.Context, cl repository.Claim) ([]sweepJob, error) {
			os, err := s.store.ClaimPayOrders(ctx, cl)
			return jobs(os, func(o paysync.PayOrder) string { return o.OrderNo },
				func(ctx context.Context, o paysync.PayOrder) (sweepResult, error) {
					out, err := s.syncPay(ctx, c, o, nil)
					return sweepResult{out.Adjusted, len(out.Anomalies) > 0, out.Exhausted}, err
				}), err
		}, release: s.store.ReleasePayOrders},
		{claim: func(ctx context.Context, cl repository.Claim) ([]sweepJob, error) {
			os, err := s.store.ClaimAllocationOrders(ctx, cl)
			return jobs(os, func(o paysync.AllocationOrder) string { return o.AllocationNo },
				func(ctx context.Context, o paysync.AllocationOrder) (sweepResult, error) {
					out, err := s.syncAllocation(ctx, c, o)
					return sweepResult{out.Adjusted, len(out.Anomalies) > 0, out.Exhausted}, err
				}), err
		}, release: s.store.ReleaseAllocationOrders},
		{claim: func(ctx context.Context, cl repository.Claim) ([]sweepJob, error) {
			os, err := s.store.ClaimRefundOrders(ctx, cl)
			return jobs(os, func(o paysync.RefundOrder) string { return o.RefundNo },
				func(ctx context.Context, o paysync.RefundOrder) (sweepResult, error) {
					out, err := s.refunds.sync(ctx, s, c, o, nil)
					return sweepResult{out.adjusted, len(out.anomalies) > 0, out.exhausted}, err
				}), err
		}, release: s.store.ReleaseRefundOrders},
		{claim: func(ctx context.Context, cl repository.Claim) ([]sweepJob, error) {
			os, err := s.store.ClaimTransferOrders(ctx, cl)
			return jobs(os, func(o paysync.TransferOrder) string { return o.TransferNo },
				func(ctx context.Context, o paysync.TransferOrder) (sweepResult, error) {
					out, err := s.transfers.sync(ctx, s, c, o, nil)
					return sweepResult{out.adjusted, len(out.anomalies) > 0, out.exhausted}, err
				}), err
		}, release: s.store.ReleaseTransferOrders},
	}
}

// jobs turns claimed orders into jobs.
func jobs[O any](os []O, no func(O) string, sync func(context.Context, O) (sweepResult, error)) []sweepJob {
	out := make([]sweepJob, len(os))
	for i, o := range os {
		out[i] = sweepJob{no: no(o), sync: func(ctx context.Context) (sweepResult, error) { return sync(ctx, o) }}
	}
	return out
}

// Sweep runs one pass: it claims the orders of every kind due at the
// Syncer's clock — pay, allocation, refund and transfer orders, in that
// order — with a lease of Config.Lease, syncs them through the same path as
// SyncPay, SyncAllocation, SyncRefund and SyncTransfer (Source sweep) with at
// most Config.Concurrency at once, and reschedules each. Orders met busy or
// rate limited keep their due time. When ctx ends, Sweep stops claiming and
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

	kinds := s.sweepKinds()
	p := &pass{s: s, opts: opts, kinds: kinds, done: make([][]string, len(kinds)), kept: make([][]string, len(kinds))}
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
	s     *Syncer
	opts  SweepOptions
	kinds []sweepKind

	mu       sync.Mutex
	report   SweepReport
	progress Progress
	// Leases to drop, per kind. Orders synced are rescheduled past the
	// pass's start, so their leases go as the pass goes on (done); orders
	// left due (busy, rate limited, failed) keep theirs to the end, or this
	// same pass would claim them again (kept).
	done, kept [][]string
}

// claimAll claims batches until nothing of any kind is due, kind by kind. It
// claims the next batch only once the last one is handed to workers, so the
// orders held at once stay bounded by the batch and the workers, not the
// backlog.
func (p *pass) claimAll(ctx context.Context, c repository.Claim, jobs chan<- sweepJob) error {
	s := p.s
	for k := 0; k < len(p.kinds); {
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
		kind := k
		batch, err := p.kinds[kind].claim(ctx, c)
		if err != nil {
			return ignoreCancel(ctx, err)
		}
		if len(batch) < c.Limit {
			k++ // this kind is done
		}
		p.claimed(len(batch))
		for i, j := range batch {
			j.kind = kind
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
	if ctx.Err() != nil && (errors.Is(err, ctx.Err()) || errors.Is(err, paysync.ErrCanceled)) {
		return nil
	}
	return err
}

// run syncs one claimed order and counts the outcome.
func (p *pass) run(ctx context.Context, j sweepJob) {
	res, err := j.sync(ctx)
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
	if res.adjusted {
		r.Adjusted++
		p.progress.Adjusted++
	}
	if res.anomalies {
		r.Anomalies++
	}
	if res.exhausted {
		r.Exhausted++
	}
	if err != nil {
		p.kept[j.kind] = append(p.kept[j.kind], j.no)
	} else {
		p.done[j.kind] = append(p.done[j.kind], j.no)
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
	done := p.done
	p.done = make([][]string, len(p.kinds))
	p.mu.Unlock()
	return p.release(ctx, done)
}

// releaseAll drops every lease the pass still holds.
func (p *pass) releaseAll(ctx context.Context) error {
	err := p.releaseDone(ctx)
	if kerr := p.release(ctx, p.kept); err == nil {
		err = kerr
	}
	return err
}

func (p *pass) release(ctx context.Context, nos [][]string) error {
	var first error
	for k, kind := range p.kinds {
		if len(nos[k]) == 0 {
			continue
		}
		if err := kind.release(ctx, p.s.cfg.Owner, nos[k]...); first == nil {
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
