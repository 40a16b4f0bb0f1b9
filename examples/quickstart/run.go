package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
)

// demo is the story's cast: a store, two channels, the engine over them, and
// what the script planted.
type demo struct {
	cfg   demoConfig
	store *memstore.Store
	chans map[string]*channeltest.Channel
	clock *channeltest.Clock // fixed at cfg.Clock, but while seed replays the past
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
		clock: clock,
		store: memstore.New(),
		chans: map[string]*channeltest.Channel{
			wechat: channeltest.New(channeltest.Config{Name: wechat, Clock: clock}),
			alipay: channeltest.New(channeltest.Config{Name: alipay, Clock: clock}),
		},
	}
	var err error
	d.sync, err = syncer.New(syncer.Config{
		Store:         d.store,
		Channels:      channel.NewRegistry(d.chans[wechat], d.chans[alipay]),
		Clock:         clock,
		Owner:         "quickstart",
		NotFoundAfter: notFoundAfter,
	})
	if err != nil {
		return nil, err
	}
	if d.plan, err = seed(ctx, d); err != nil {
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

// tell tells the story on out: how the store came to be as it is, one
// sweep at the fixed clock, two late callbacks, then what the store holds —
// what was repaired, what waits for a person, what the host delivers, and
// whether every order agrees with its channel. It returns those counts.
//
// It returns the store's or the engine's error when one fails; an error when
// the sweep claimed another number of orders than the store had due, when
// the engine's sweep report and the store's records of the pass disagree, or
// when an order disagrees with its channel for no reason on record (the
// demo's promise broken); and out's first write error.
func (d *demo) tell(ctx context.Context, out io.Writer) (summary, error) {
	w := &printer{w: out}
	now := d.cfg.Clock
	before, err := census(ctx, d.store, now, now.Add(-sweeperDown))
	if err != nil {
		return summary{}, fmt.Errorf("counting the orders: %w", err)
	}
	night, err := readNight(ctx, d.store, d.plan.NightRefundNo)
	if err != nil {
		return summary{}, fmt.Errorf("reading last night's refund: %w", err)
	}
	intro(w, d.cfg, night, before)
	rep, err := sweep(ctx, d.sync, d.store, w, before, now)
	if err != nil {
		return summary{}, err
	}
	if err := d.callbacks(ctx, w); err != nil {
		return summary{}, err
	}

	sum, err := tally(ctx, d.store, now)
	if err != nil {
		return summary{}, fmt.Errorf("counting the records: %w", err)
	}
	sum.Before, sum.Sweep = before, rep
	if sum.Agreement, err = check(ctx, d.store, d.chans); err != nil {
		return summary{}, fmt.Errorf("comparing with the channels: %w", err)
	}
	report(w, sum)
	if w.err != nil {
		return sum, w.err
	}
	if bad := sum.Agreement.total().Unexplained; len(bad) > 0 {
		return sum, fmt.Errorf("%d orders disagree with their channel and nothing on record says why: %v", len(bad), bad)
	}
	return sum, nil
}

// sweep runs one pass of s at now, drawing its progress on w, and prints
// what the pass did as the store's sync records of it tell. It checks that
// the pass claimed exactly the orders before counted due, and that the
// engine's own report says what the records say.
func sweep(ctx context.Context, s *syncer.Syncer, store repository.Store, w *printer, before []kindCount, now time.Time) (syncer.SweepReport, error) {
	var by []string
	for _, k := range before {
		by = append(by, group(k.Due)+" "+string(k.Kind))
	}
	w.printf("\nSweeping at %s: %s are due (%s).\n", hm(now), count(due(before), "order"), strings.Join(by, ", "))
	bar := &progressBar{w: w, total: due(before)}
	rep, err := s.Sweep(ctx, syncer.SweepOptions{Progress: bar.update})
	if err != nil {
		return rep, fmt.Errorf("sweeping: %w", err)
	}
	if rep.Due != due(before) {
		return rep, fmt.Errorf("the sweep claimed %d orders, but %d were due", rep.Due, due(before))
	}
	pass, err := passCounts(ctx, store, now)
	if err != nil {
		return rep, fmt.Errorf("counting the sweep's records: %w", err)
	}
	if pass.Total != rep.Due || pass.Changed != rep.Adjusted || pass.Anomalous != rep.Anomalies ||
		pass.Unanswered != rep.Errors || pass.Total-pass.Unanswered != rep.Synced {
		return rep, fmt.Errorf("the store's records of the sweep (%+v) and its report (%+v) disagree", pass, rep)
	}
	w.para(fmt.Sprintf("Swept %s: %s changed, %s met an anomaly and changed nothing, %s had nothing to "+
		"change, %s got no answer.", count(pass.Total, "order"), group(pass.Changed), group(pass.Anomaly),
		group(pass.Unchanged), group(pass.Unanswered)))
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
