package main

import (
	"context"
	"fmt"
	"time"

	"github.com/paysync/paysync"
)

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
		paid, err := d.store.GetPayOrder(ctx, no)
		if err != nil {
			return err
		}
		if res.Adjusted {
			w.printf("  %s  closed at %s, paid at %s %s: %s → %s (pay.paid_after_close)\n",
				no, clock(o.ClosedAt), channelName(o.Channel), clock(paid.PaidAt), o.Status, paid.Status)
		} else {
			w.printf("  %s  a repeat for a payment the sweep found: still %s, no second event\n", no, paid.Status)
		}
	}
	return nil
}

// clock renders t as the time of day, in the demo's UTC.
func clock(t time.Time) string { return t.UTC().Format("15:04:05") }
