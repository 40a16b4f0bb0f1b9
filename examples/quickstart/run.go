package main

import (
	"context"
	"fmt"
	"io"

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
