package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/syncer"
)

// demo is the story's cast: a store, two channels, the engine over them, and
// what the script planted.
type demo struct {
	cfg   demoConfig
	store *memstore.Store
	chans map[string]*channeltest.Channel
	sync  *syncer.Syncer
	plan  planted
}

// newDemo builds the cast for cfg and seeds the store and the channels. It
// returns an error wrapping paysync.ErrInvalidRequest when cfg does not
// validate, and the engine's or the store's error when one fails.
func newDemo(ctx context.Context, cfg demoConfig) (*demo, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	clock := channeltest.NewClock(cfg.Clock) // fixed: a seed always tells the same story
	d := &demo{
		cfg:   cfg,
		store: memstore.New(),
		chans: map[string]*channeltest.Channel{
			wechat: channeltest.New(channeltest.Config{Name: wechat, Clock: clock}),
			alipay: channeltest.New(channeltest.Config{Name: alipay, Clock: clock}),
		},
	}
	var err error
	d.sync, err = syncer.New(syncer.Config{
		Store:    d.store,
		Channels: channel.NewRegistry(d.chans[wechat], d.chans[alipay]),
		Clock:    clock,
		Owner:    "quickstart",
	})
	if err != nil {
		return nil, err
	}
	if d.plan, err = seed(ctx, d.store, d.chans, d.sync.Timetables().Pay, cfg); err != nil {
		return nil, fmt.Errorf("seeding the store: %w", err)
	}
	return d, nil
}

// run tells the story for cfg on out; see newDemo and demo.tell.
func run(ctx context.Context, cfg demoConfig, out io.Writer) (summary, error) {
	d, err := newDemo(ctx, cfg)
	if err != nil {
		return summary{}, err
	}
	return d.tell(ctx, out)
}

// tell sweeps once at the fixed clock, delivers two late callbacks, then
// counts from the store what was repaired, what a person must look at and
// which events wait in the outbox, printing the story on out as it goes. It
// returns those counts.
//
// It returns the store's or the engine's error when one fails, an error when
// the sweep claimed another number of orders than were due or when an order
// disagrees with its channel for no reason on record (the demo's promise
// broken), and out's first write error.
func (d *demo) tell(ctx context.Context, out io.Writer) (summary, error) {
	w := &printer{w: out}
	intro(w, d.cfg, d.plan)
	rep, err := sweep(ctx, d.sync, w, d.plan)
	if err != nil {
		return summary{}, err
	}
	if err := d.callbacks(ctx, w); err != nil {
		return summary{}, err
	}

	sum, err := tally(ctx, d.store)
	if err != nil {
		return summary{}, fmt.Errorf("counting the records: %w", err)
	}
	sum.Sweep = rep
	if sum.Agreement, err = check(ctx, d.store, d.chans, d.plan); err != nil {
		return summary{}, fmt.Errorf("comparing with the channels: %w", err)
	}
	report(w, sum)
	if w.err != nil {
		return sum, w.err
	}
	if n := len(sum.Agreement.Unexplained); n > 0 {
		return sum, fmt.Errorf("%d orders disagree with their channel and nothing on record says why: %v",
			n, sum.Agreement.Unexplained)
	}
	return sum, nil
}

// sweep runs one pass of s, drawing its progress on w, and checks that it
// claimed exactly the orders p planted as due.
func sweep(ctx context.Context, s *syncer.Syncer, w *printer, p planted) (syncer.SweepReport, error) {
	w.printf("\nSweeping: %d pay orders and %d allocation orders are due.\n", p.duePay(), p.dueAlloc())
	bar := &progressBar{w: w, total: p.due()}
	rep, err := s.Sweep(ctx, syncer.SweepOptions{Progress: bar.update})
	if err != nil {
		return rep, fmt.Errorf("sweeping: %w", err)
	}
	if rep.Due != p.due() {
		return rep, fmt.Errorf("the sweep claimed %d orders, but %d were due", rep.Due, p.due())
	}
	w.printf("Swept %d orders: %d repaired, %d met an anomaly, %d got no answer from the channel.\n",
		rep.Due, rep.Adjusted, rep.Anomalies, rep.Errors)
	return rep, nil
}

// callbacks delivers two callbacks that come after the sweep, as channels
// retry their notifications for hours: one for an order closed here before
// the payer paid, and a repeat for an order the sweep already repaired.
func (d *demo) callbacks(ctx context.Context, w *printer) error {
	w.printf("\nTwo callbacks arrive late.\n")
	for _, no := range []string{d.plan.PaidAfterCloseNo, d.plan.DuplicateNo} {
		o, err := d.store.GetPayOrder(ctx, no)
		if err != nil {
			return err
		}
		rep, ok := d.chans[o.Channel].Truth(no)
		if !ok {
			return fmt.Errorf("the %s channel knows nothing of order %s", o.Channel, no)
		}
		res, err := d.sync.ApplyPayNotification(ctx, no, rep, paysync.SourceCallback)
		if err != nil {
			return fmt.Errorf("callback for %s: %w", no, err)
		}
		if res.Adjusted {
			w.printf("  %s  closed at %s, paid at %s %s: %s → %s (pay.paid_after_close)\n",
				no, clock(o.ClosedAt), o.Channel, clock(rep.PaidAt), o.Status, res.OrderStatus)
		} else {
			w.printf("  %s  a repeat for a payment the sweep found: still %s, no second event\n", no, res.OrderStatus)
		}
	}
	return nil
}

// clock renders t as the time of day, in the demo's UTC.
func clock(t time.Time) string { return t.UTC().Format("15:04:05") }
