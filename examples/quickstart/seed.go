package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// The demo's two channels, by the names orders carry.
const (
	wechat = "wechat"
	alipay = "alipay"
)

// seeder builds the scenario: orders in the store, truths at the channels.
type seeder struct {
	r      *rand.Rand
	now    time.Time
	date   string // now as yyyymmdd, for merchant numbers
	store  repository.Store
	chans  map[string]*channeltest.Channel
	sync   *syncer.Syncer
	clock  *channeltest.Clock
	tables syncer.Timetables
	p      planted
	errGW  error
	orders map[string]paysync.PayOrder // the allocations' paid orders
	bases  []paysync.PayOrder          // the refunds' paid orders, in number order
}

// seed stores cfg.Orders pay orders, a few allocation orders and payouts,
// as a shop would hold them two hours into a busy morning, and scripts what
// d's channels know about each. Refunds are made through d's engine at the
// moments they happened — last night's one and its sweeps too — with the
// clock set back for each; seed leaves the clock at cfg.Clock. Due orders
// get the first due time of their timetable, all at or before cfg.Clock. It
// returns what it planted, or the first store or engine error.
func seed(ctx context.Context, d *demo) (planted, error) {
	cfg := d.cfg
	s := &seeder{
		// Both PCG words from the seed, so that it alone decides the story.
		r:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		now:    cfg.Clock,
		date:   cfg.Clock.Format("20060102"),
		store:  d.store,
		chans:  d.chans,
		sync:   d.sync,
		clock:  d.clock,
		tables: d.sync.Timetables(),
		errGW:  errors.New("HTTP 503 Service Unavailable from the gateway"),
		orders: make(map[string]paysync.PayOrder),
	}
	kinds, nAlloc := s.castPay(cfg.Orders)
	bases := make(map[int]bool, nAlloc) // the paid orders the allocations split
	for i, k := range kinds {
		if k == kindSettled && len(bases) < nAlloc {
			bases[i] = true
		}
	}
	var baseNos []string
	for i, k := range kinds {
		o, err := s.payOrder(ctx, i, k, bases[i])
		if err != nil {
			return planted{}, err
		}
		if bases[i] {
			baseNos = append(baseNos, o.OrderNo)
		}
	}
	if err := s.allocations(ctx, baseNos); err != nil {
		return planted{}, err
	}
	if err := s.transfers(ctx); err != nil {
		return planted{}, err
	}
	if err := s.refunds(ctx); err != nil {
		return planted{}, err
	}
	s.clock.Set(s.now)
	return s.p, nil
}

// castPay decides the part of each of n pay orders: one of each part every
// story needs, a few stragglers, and a crowd drawn by weight. It returns the
// parts in order-number order and how many allocation orders to create
// (each needs a settled order of its own, reserved here).
func (s *seeder) castPay(n int) ([]payKind, int) {
	// A few clean splits, then one of each other part.
	nAlloc := 2 + s.r.IntN(3) + int(numAllocKinds-1)
	kinds := []payKind{kindRefunded, kindAmountMismatch, kindPaidAfterClose, kindPaidLost}
	for range nAlloc {
		kinds = append(kinds, kindSettled)
	}
	for range refundBases(s.r) {
		kinds = append(kinds, kindRefundBase)
	}
	for range 2 + s.r.IntN(3) {
		kinds = append(kinds, kindUnanswered)
	}
	for range 3 + s.r.IntN(6) {
		kinds = append(kinds, kindStarted)
	}
	for len(kinds) < n {
		// Of a morning's orders: 40 % settled by their callbacks, 8 % paid
		// with the callback lost, 15 % expired unpaid, 3 % closed by the
		// channel, the rest still open.
		switch x := s.r.IntN(100); {
		case x < 40:
			kinds = append(kinds, kindSettled)
		case x < 48:
			kinds = append(kinds, kindPaidLost)
		case x < 63:
			kinds = append(kinds, kindExpired)
		case x < 66:
			kinds = append(kinds, kindClosedThere)
		default:
			kinds = append(kinds, kindWaiting)
		}
	}
	s.r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	return kinds, nAlloc
}

// payOrder stores order i in part k and scripts its truth. An allocation's
// paid order (base) is an older one, so its allocation is due too.
func (s *seeder) payOrder(ctx context.Context, i int, k payKind, base bool) (paysync.PayOrder, error) {
	ch := wechat
	if s.r.IntN(10) >= 6 {
		ch = alipay
	}
	cents := 990 + s.r.Int64N(99_000-990)
	age := s.between(2*time.Minute, 110*time.Minute)
	switch {
	case base || k == kindExpired || k == kindPaidAfterClose:
		age = s.between(40*time.Minute, 110*time.Minute)
	case k == kindRefundBase: // yesterday afternoon: refunds come later
		age = s.between(13*time.Hour, 19*time.Hour)
	}
	created := s.now.Add(-age)
	o := paysync.PayOrder{
		OrderNo:      fmt.Sprintf("1%06d", i+1),
		BizOrderNo:   fmt.Sprintf("SO-%s-%05d", s.date, i+1),
		Channel:      ch,
		Amount:       decimal.New(cents, -2),
		Currency:     paysync.DefaultCurrency,
		Status:       paysync.PayProgress,
		RefundStatus: paysync.PayRefundNone,
		ExpiredAt:    created.Add(2 * time.Hour),
		CreatedAt:    created,
		UpdatedAt:    created,
	}
	if k == kindExpired || k == kindPaidAfterClose {
		o.ExpiredAt = created.Add(30 * time.Minute)
	}
	paidAt := created.Add(s.between(20*time.Second, 100*time.Second))
	var truth channel.PayReport
	switch k {
	case kindExpired, kindWaiting:
		truth = s.unpaid(o)
	case kindSettled, kindRefundBase:
		truth = s.paid(o, i, paidAt)
		o.Status, o.OutOrderNo, o.PaidAt, o.UpdatedAt = paysync.PaySuccess, truth.OutOrderNo, paidAt, paidAt
	case kindPaidLost, kindUnanswered:
		truth = s.paid(o, i, paidAt)
		if s.p.DuplicateNo == "" && k == kindPaidLost {
			s.p.DuplicateNo = o.OrderNo
		}
	case kindClosedThere:
		truth = channeltest.Report(o, channel.PayClosed)
	case kindStarted:
		o.Status = paysync.PayWait
		truth = channeltest.Report(o, channel.PayProgress)
	case kindRefunded:
		truth = s.paid(o, i, paidAt)
		truth.State, truth.RefundedAmount = channel.PayRefunded, o.Amount
		s.p.RefundedNo = o.OrderNo
	case kindAmountMismatch:
		// The channel recorded a tenth of the order: a slipped decimal point
		// in someone's code. Nobody ships on that.
		truth = s.paid(o, i, paidAt)
		truth.Amount = o.Amount.Shift(-1)
		s.p.MismatchNo = o.OrderNo
	case kindPaidAfterClose:
		o.Status, o.ClosedAt, o.UpdatedAt = paysync.PayClose, o.ExpiredAt, o.ExpiredAt
		truth = s.paid(o, i, o.ExpiredAt.Add(25*time.Second))
		s.p.PaidAfterCloseNo = o.OrderNo
	}
	if o.Scheduled() {
		o.Schedule.NextSyncAt = s.tables.Pay.First(o.CreatedAt, o.ExpiredAt)
	}
	if err := s.store.CreatePayOrder(ctx, o); err != nil {
		return o, err
	}
	s.chans[ch].SetPay(o.OrderNo, truth)
	if k == kindUnanswered {
		s.chans[ch].FailNext(o.OrderNo, 1, s.errGW)
	}
	s.p.Pay[k]++
	if base {
		s.orders[o.OrderNo] = o
	}
	if k == kindRefundBase {
		s.bases = append(s.bases, o)
	}
	return o, nil
}

// between returns a whole number of seconds in [lo, hi).
func (s *seeder) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(s.r.Int64N(int64((hi-lo)/time.Second)))*time.Second
}

// unpaid is the truth of a trade nobody paid: open, or for half of Alipay's
// not even created (the payer never scanned the code: ACQ.TRADE_NOT_EXIST).
func (s *seeder) unpaid(o paysync.PayOrder) channel.PayReport {
	if o.Channel == alipay && s.r.IntN(2) == 0 {
		return channeltest.Report(o, channel.PayNotFoundUnknown)
	}
	return channeltest.Report(o, channel.PayProgress)
}

// paid is the truth of order i paid at at, with the channel's trade number.
func (s *seeder) paid(o paysync.PayOrder, i int, at time.Time) channel.PayReport {
	r := channeltest.Paid(o)
	r.PaidAt = at
	r.OutOrderNo = fmt.Sprintf("4200%s%010d", s.date, i+1) // WeChat's transaction_id
	if o.Channel == alipay {
		r.OutOrderNo = fmt.Sprintf("%s22001%011d", s.date, i+1) // Alipay's trade_no
	}
	return r
}
