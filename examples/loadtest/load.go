package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// channelName is the one channel of a run.
const channelName = "load"

// heapInterval is how often the heap is sampled (docs/performance.md#the-sweep-load-program).
const heapInterval = 10 * time.Millisecond

// load runs one measured sweep as o describes, writing progress lines to
// progress. It returns the figures with the self-check's findings, or an
// error when the run could not be set up (the store refused an order, the
// Syncer refused its config, the profile could not be written) or its
// records could not be read back.
func load(ctx context.Context, o options, progress io.Writer) (result, error) {
	if err := o.validate(); err != nil {
		return result{}, err
	}
	base := time.Now()
	store := memstore.New()
	fake := channeltest.New(channeltest.Config{
		Name: channelName, Latency: o.latency, Rate: o.rate, Burst: o.channelBucket(),
	})
	if err := seed(ctx, store, fake, o, base); err != nil {
		return result{}, err
	}
	m := newMeter(o.orders, base)
	s, err := syncer.New(syncer.Config{
		Store:            meteredStore{Store: store, m: m},
		Channels:         channel.NewRegistry(timedChannel{fake: fake, m: m}),
		RateLimits:       map[string]syncer.RateLimit{channelName: {Rate: o.headroom * o.rate, Burst: o.syncerBucket()}},
		Concurrency:      o.concurrency,
		ClaimBatch:       o.batch,
		RateLimitBackoff: o.backoff,
	})
	if err != nil {
		return result{}, err
	}

	// What the sweep allocates is measured from a collected heap, whatever
	// seeding left behind.
	runtime.GC()
	heapStart := heapBytes()
	stopProfile, err := startCPUProfile(o.cpuProfile)
	if err != nil {
		return result{}, err
	}
	heap := startHeapSampler(heapInterval)
	prog := startProgress(progress, o.progress, o.orders)
	rep, sweepErr := s.Sweep(ctx, syncer.SweepOptions{Progress: prog.update})
	prog.stop()
	heapPeak := heap.stop()
	if err := stopProfile(); err != nil {
		return result{}, err
	}
	if err := writeHeapProfile(o.memProfile); err != nil {
		return result{}, err
	}

	res := result{
		orders: o.orders, limit: o.rate, elapsed: m.elapsed(), maxHeld: m.maxHeld.Load(), maxLeased: m.maxLeased.Load(),
		heapStart: heapStart, heapPeak: heapPeak, rejections: fake.Rejections(),
		report: rep, sweepErr: sweepErr, strays: int(m.stray.Load()),
	}
	res.p50, res.p99 = percentiles(m.took)
	// The records are read even when ctx ended, so an interrupted run still
	// says what it did.
	recs, err := store.ListSyncRecords(context.WithoutCancel(ctx), repository.RecordFilter{TradeType: paysync.TradePay})
	if err != nil {
		return result{}, fmt.Errorf("reading the sync records back: %w", err)
	}
	res.countRecords(recs)
	return res, nil
}

// seed stores o.orders pay orders in progress, created two minutes before
// base and due a minute before it, and scripts the fake's truth for each: a
// fraction o.paid paid, chosen by o.seed, the rest in progress. Scripting
// every order up front keeps the fake's own bookkeeping out of the sweep's
// heap figure.
func seed(ctx context.Context, store repository.Store, fake *channeltest.Channel, o options, base time.Time) error {
	created := base.Add(-2 * time.Minute).UTC().Truncate(time.Microsecond)
	due := created.Add(time.Minute)
	rng := rand.New(rand.NewPCG(o.seed, o.seed))
	for i := range o.orders {
		po := paysync.PayOrder{
			OrderNo:      orderNo(i),
			BizOrderNo:   fmt.Sprintf("B%d", i),
			Channel:      channelName,
			Amount:       decimal.New(int64(100+i%9900), -2),
			Currency:     paysync.DefaultCurrency,
			Status:       paysync.PayProgress,
			RefundStatus: paysync.PayRefundNone,
			CreatedAt:    created,
			UpdatedAt:    created,
			Schedule:     paysync.Schedule{NextSyncAt: due},
		}
		if err := store.CreatePayOrder(ctx, po); err != nil {
			return fmt.Errorf("seeding order %d: %w", i, err)
		}
		truth := channeltest.Report(po, channel.PayProgress)
		if rng.Float64() < o.paid {
			truth = channeltest.Paid(po)
		}
		fake.SetPay(po.OrderNo, truth)
	}
	return nil
}

// startCPUProfile profiles the CPU into path until the returned function is
// called; an empty path profiles nothing. It returns an error when the file
// cannot be created or profiling is already on.
func startCPUProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// writeHeapProfile writes the heap profile to path; an empty path writes
// nothing. It returns an error when the file cannot be written.
func writeHeapProfile(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC() // the live figures are as of the last collection
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
