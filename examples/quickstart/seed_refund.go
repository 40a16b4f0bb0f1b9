package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// notFoundAfter is the engine's grace time for a refund or a payout the
// channel does not know (syncer.Config.NotFoundAfter, its default spelled
// out): the host may still be sending it.
const notFoundAfter = 10 * time.Minute

// sweeperDown is how long before the demo's clock the shop's sweeper
// stopped: what it would have repaired within minutes has piled up since.
const sweeperDown = 2 * time.Hour

// refundBases returns how many paid orders the refunds need: last night's,
// one refunded in part twice, one whose refund never reached the channel,
// and one or two refunded whole.
func refundBases(r *rand.Rand) int { return 4 + r.IntN(2) }

// newRefund is a refund the shop creates at a moment of the story.
type newRefund struct {
	kind   refundKind
	base   paysync.PayOrder
	share  decimal.Decimal // of the base's amount
	at     time.Time
	reason string
}

// refunds creates the story's refunds through the engine, each at its own
// moment: last night's, the sweeps that closed it before the sweeper
// stopped, then the morning's. It scripts what the channels know of each.
func (s *seeder) refunds(ctx context.Context) error {
	whole, pct := decimal.NewFromInt(1), func(n int64) decimal.Decimal { return decimal.New(n, -2) }
	// Last night's is old enough that its watch falls due again before the
	// demo's clock (every 6 hours from creation, sweep.md).
	night := newRefund{refundAfterClose, s.bases[0], whole,
		s.now.Add(-6*time.Hour - s.between(25*time.Minute, 50*time.Minute)), "returned by the buyer"}
	if err := s.refund(ctx, 1, night); err != nil {
		return err
	}
	if err := s.sweepUntil(ctx, s.now.Add(-sweeperDown)); err != nil {
		return err
	}

	// The morning's, all older than notFoundAfter at the demo's clock.
	partAt := s.now.Add(-s.between(50*time.Minute, 105*time.Minute))
	morning := []newRefund{
		{refundLost, s.bases[1], pct(40), partAt, "one item out of stock"},
		{refundProcessing, s.bases[1], pct(30), partAt.Add(s.between(5*time.Minute, 25*time.Minute)), "late delivery: a goodwill refund"},
		{refundNeverReceived, s.bases[2], whole, s.now.Add(-s.between(15*time.Minute, 45*time.Minute)), "returned by the buyer"},
	}
	for _, b := range s.bases[3:] {
		morning = append(morning, newRefund{refundLost, b, whole, s.now.Add(-s.between(15*time.Minute, 105*time.Minute)), "damaged in transit"})
	}
	slices.SortStableFunc(morning, func(a, b newRefund) int { return a.at.Compare(b.at) })
	for i, nr := range morning {
		if err := s.refund(ctx, i+2, nr); err != nil {
			return err
		}
	}
	s.p.RefundBases = len(s.bases)
	return nil
}

// refund creates refund i of nr at nr.at through the engine, which reserves
// its amount on the pay order, and scripts its truth.
func (s *seeder) refund(ctx context.Context, i int, nr newRefund) error {
	s.clock.Set(nr.at)
	r, err := s.sync.CreateRefund(ctx, syncer.NewRefund{
		RefundNo:    fmt.Sprintf("3%06d", i),
		BizRefundNo: fmt.Sprintf("RF-%s-%03d", s.date, i),
		OrderNo:     nr.base.OrderNo,
		Amount:      nr.base.Amount.Mul(nr.share).Round(2),
		Reason:      nr.reason,
	})
	if err != nil {
		return fmt.Errorf("creating a refund of %s: %w", nr.base.OrderNo, err)
	}
	ch := s.chans[r.Channel]
	switch nr.kind {
	case refundLost:
		s.paidBack(ch, r, r.CreatedAt.Add(s.between(time.Minute, 8*time.Minute)))
	case refundProcessing:
		ch.SetRefund(r.RefundNo, channeltest.RefundAnswer(r, channel.RefundProgress))
	case refundNeverReceived:
		ch.SetRefund(r.RefundNo, channel.RefundReport{State: channel.RefundNotFound})
	case refundAfterClose:
		// The request sat in a queue for hours, then went through.
		ch.SetRefund(r.RefundNo, channel.RefundReport{State: channel.RefundNotFound})
		s.paidBack(ch, r, r.CreatedAt.Add(s.between(3*time.Hour, 4*time.Hour)))
		s.p.NightRefundNo = r.RefundNo
	}
	s.p.Refund[nr.kind]++
	return nil
}

// paidBack scripts refund r as paid back by ch at at: the refund succeeds
// there, and the trade reports the money refunded from then on.
func (s *seeder) paidBack(ch *channeltest.Channel, r paysync.RefundOrder, at time.Time) {
	done := channeltest.RefundAnswer(r, channel.RefundSuccess)
	done.FinishedAt = at
	ch.SetRefundAt(r.RefundNo, at, done)

	trade, _ := ch.Truth(r.OrderNo)
	if trade.State == channel.PayRefunded {
		trade.RefundedAmount = trade.RefundedAmount.Add(r.Amount)
	} else {
		trade.State, trade.RefundedAmount = channel.PayRefunded, r.Amount
	}
	trade.Raw = nil // rendered again for the new state
	ch.SetPayAt(r.OrderNo, at, trade)
}

// sweepUntil runs the shop's sweeper as it ran last night: a pass at every
// moment an order fell due, up to until. Only last night's refund was due
// then; a pass that claims anything else is the script's mistake.
func (s *seeder) sweepUntil(ctx context.Context, until time.Time) error {
	for {
		due, err := nextDue(ctx, s.store)
		if err != nil {
			return err
		}
		if due.IsZero() || due.After(until) {
			return nil
		}
		s.clock.Set(due)
		rep, err := s.sync.Sweep(ctx, syncer.SweepOptions{})
		if err != nil {
			return fmt.Errorf("the sweep at %s: %w", clock(due), err)
		}
		if rep.Due != 1 || rep.Errors > 0 {
			return fmt.Errorf("the sweep at %s claimed %d orders and failed %d; only last night's refund was due",
				clock(due), rep.Due, rep.Errors)
		}
	}
}

// nextDue returns the earliest due time of any order in the schedule, or
// zero when none is.
func nextDue(ctx context.Context, store repository.Store) (time.Time, error) {
	var first time.Time
	for _, tt := range paysync.TradeTypes() {
		page, err := store.ListOrders(ctx, repository.OrderQuery{TradeType: tt, By: repository.ByDue, Limit: 1})
		if err != nil {
			return time.Time{}, err
		}
		if len(page.Orders) == 1 {
			if at := page.Orders[0].Schedule.NextSyncAt; first.IsZero() || at.Before(first) {
				first = at
			}
		}
	}
	return first, nil
}
