package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/httpapi/daxpay"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// demo is a paysync engine over an in-memory store and a scripted channel,
// loaded with the demo orders of README.md.
type demo struct {
	engine daxpay.Engine
	// syncer is the engine itself, for the console.
	syncer *syncer.Syncer
	// sweep runs the background sweeper until ctx ends (syncer's Run); main
	// starts it only with -sweep.
	sweep func(ctx context.Context) error
	// store is the engine's store, for tests that check what a request wrote.
	store *memstore.Store
}

// newDemo builds the demo engine and loads the orders of README.md "Demo
// data": channel "demo", pay orders of 10.00 CNY, an allocation of one, and
// refunds and transfers in progress whose truths at the channel differ.
func newDemo(ctx context.Context, logger *slog.Logger) (*demo, error) {
	store := memstore.New()
	ch := channeltest.New(channeltest.Config{Name: "demo"})
	s, err := syncer.New(syncer.Config{Store: store, Channels: channel.NewRegistry(ch), Logger: logger})
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	ten := decimal.RequireFromString("10.00")
	pay := func(no, biz string, st paysync.PayStatus, expires time.Time, truth channel.PayState) error {
		o := paysync.PayOrder{OrderNo: no, BizOrderNo: biz, Channel: "demo", Amount: ten, Currency: "CNY",
			Status: st, RefundStatus: paysync.PayRefundNone, ExpiredAt: expires, CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour)}
		if st == paysync.PaySuccess {
			o.PaidAt, o.OutOrderNo = now.Add(-50*time.Minute), "out-"+no
		}
		o.Schedule.NextSyncAt = s.Timetables().Pay.First(o.CreatedAt, o.ExpiredAt)
		if err := store.CreatePayOrder(ctx, o); err != nil {
			return err
		}
		rep := channeltest.Report(o, truth)
		if truth == channel.PaySuccess {
			rep = channeltest.Paid(o)
		}
		ch.SetPay(no, rep)
		return nil
	}
	for _, p := range []struct {
		no, biz string
		st      paysync.PayStatus
		expires time.Time
		truth   channel.PayState
	}{
		{"1001", "P0001", paysync.PayProgress, now.Add(time.Hour), channel.PaySuccess},
		{"1002", "P0002", paysync.PayProgress, now.Add(time.Hour), channel.PayProgress},
		{"1003", "P0003", paysync.PayProgress, now.Add(-time.Minute), channel.PayProgress},
		{"1004", "P0004", paysync.PaySuccess, now.Add(time.Hour), channel.PayClosed},
		{"1005", "P0005", paysync.PaySuccess, now.Add(time.Hour), channel.PaySuccess},
		// Orders that need a person, for the console (-console-token).
		{"1006", "P0006", paysync.PaySuccess, now.Add(time.Hour), channel.PayClosed},
	} {
		if err := pay(p.no, p.biz, p.st, p.expires, p.truth); err != nil {
			return nil, err
		}
	}
	if err := seedForAPerson(ctx, store, ch, now); err != nil {
		return nil, err
	}
	a := paysync.AllocationOrder{AllocationNo: "2001", BizAllocationNo: "A0001", OrderNo: "1004", OutOrderNo: "out-1004",
		Channel: "demo", Amount: decimal.RequireFromString("3.00"), Status: paysync.AllocProcessing,
		Result: paysync.AllocAllPending, CreatedAt: now.Add(-30 * time.Minute), UpdatedAt: now.Add(-30 * time.Minute),
		Receivers: []paysync.AllocationReceiver{
			{ReceiverNo: "R1", ReceiverType: "merchant_no", Account: "1900000001", Name: "Shop A",
				Amount: decimal.RequireFromString("2.00"), Result: paysync.ReceiverPending},
			{ReceiverNo: "R2", ReceiverType: "merchant_no", Account: "1900000002", Name: "Shop B",
				Amount: decimal.RequireFromString("1.00"), Result: paysync.ReceiverPending},
		}}
	a.Schedule.NextSyncAt = s.Timetables().Allocation.First(a.CreatedAt, time.Time{})
	if err := store.CreateAllocationOrder(ctx, a); err != nil {
		return nil, err
	}
	ch.SetAllocation("2001", channeltest.Allocated(a, channel.ReceiverSuccess))
	if err := seedRefunds(ctx, s, ch); err != nil {
		return nil, err
	}
	if err := seedTransfers(ctx, s, store, ch, now); err != nil {
		return nil, err
	}
	return &demo{engine: s, syncer: s, sweep: s.Run, store: store}, nil
}

// seedRefunds creates the demo's three refunds of pay order 1005 through
// the engine, which reserves their 9.00 on it, and scripts what the channel
// did with each: paid 3001 back, closed 3002, is still paying 3003. They are
// created as the demo starts, by the engine's clock, so none is past the
// not-found grace (Config.NotFoundAfter) when first synced — and the channel
// knows all three, so their answers do not depend on age anyway.
func seedRefunds(ctx context.Context, s *syncer.Syncer, ch *channeltest.Channel) error {
	refunded := decimal.Zero
	for _, r := range []struct {
		no, biz, amount string
		truth           channel.RefundState
	}{
		{"3001", "R0001", "4.00", channel.RefundSuccess},
		{"3002", "R0002", "3.00", channel.RefundClosed},
		{"3003", "R0003", "2.00", channel.RefundProgress},
	} {
		ro, err := s.CreateRefund(ctx, syncer.NewRefund{RefundNo: r.no, BizRefundNo: r.biz, OrderNo: "1005",
			Amount: decimal.RequireFromString(r.amount), Reason: "demo refund " + r.biz})
		if err != nil {
			return err
		}
		truth := channeltest.RefundAnswer(ro, r.truth)
		if r.truth == channel.RefundSuccess {
			truth.FinishedAt = ro.CreatedAt
			refunded = refunded.Add(ro.Amount)
		}
		ch.SetRefund(r.no, truth)
	}
	// The trade at the channel shows the money paid back; pay sync leaves an
	// order with refunds to refund sync, so 1005 stays success.
	trade, _ := ch.Truth("1005")
	trade.State, trade.RefundedAmount, trade.Raw = channel.PayRefunded, refunded, nil
	ch.SetPay("1005", trade)
	return nil
}

// seedTransfers stores the demo's two payouts, both in progress, created as
// the demo starts, and scripts the channel: 4001 paid, 4002 failed.
func seedTransfers(ctx context.Context, s *syncer.Syncer, store *memstore.Store, ch *channeltest.Channel, now time.Time) error {
	for _, t := range []struct {
		no, biz, amount, payee string
		truth                  channel.TransferState
	}{
		{"4001", "T0001", "5.00", "o-demo-payee-1", channel.TransferSuccess},
		{"4002", "T0002", "6.00", "o-demo-payee-2", channel.TransferFailed},
	} {
		o := paysync.TransferOrder{TransferNo: t.no, BizTransferNo: t.biz, Channel: "demo",
			Amount: decimal.RequireFromString(t.amount), Currency: "CNY", PayeeType: "openid", PayeeAccount: t.payee,
			PayeeName: "Demo Payee", Reason: "demo payout " + t.biz, Status: paysync.TransferProgress,
			CreatedAt: now, UpdatedAt: now}
		o.Schedule.NextSyncAt = s.Timetables().Transfer.First(o.CreatedAt, time.Time{})
		if err := store.CreateTransferOrder(ctx, o); err != nil {
			return err
		}
		truth := channeltest.TransferAnswer(o, t.truth)
		if t.truth == channel.TransferSuccess {
			truth.FinishedAt = now
		}
		ch.SetTransfer(t.no, truth)
	}
	return nil
}

// seedForAPerson stores two more orders only a person can settle: 1007,
// whose channel recorded 9.90 for a 10.00 order (amount_mismatch on its
// first sync), and 1008, in progress for 25 hours, stored as a day of
// unanswered syncs left it: its timetable ended, out of the schedule
// (Schedule.Exhausted). 1006 (seeded above: paid here, closed at the
// channel) raises paid_order_not_paid_at_channel on its first sync.
func seedForAPerson(ctx context.Context, store *memstore.Store, ch *channeltest.Channel, now time.Time) error {
	ten := decimal.RequireFromString("10.00")
	mismatch := paysync.PayOrder{OrderNo: "1007", BizOrderNo: "P0007", Channel: "demo", Amount: ten, Currency: "CNY",
		Status: paysync.PayProgress, RefundStatus: paysync.PayRefundNone, ExpiredAt: now.Add(time.Hour),
		CreatedAt: now.Add(-20 * time.Minute), UpdatedAt: now.Add(-20 * time.Minute)}
	if err := store.CreatePayOrder(ctx, mismatch); err != nil {
		return err
	}
	paid := channeltest.Paid(mismatch)
	paid.Amount = decimal.RequireFromString("9.90")
	ch.SetPay("1007", paid)

	stale := paysync.PayOrder{OrderNo: "1008", BizOrderNo: "P0008", Channel: "demo", Amount: ten, Currency: "CNY",
		Status: paysync.PayProgress, RefundStatus: paysync.PayRefundNone,
		CreatedAt: now.Add(-25 * time.Hour), UpdatedAt: now.Add(-25 * time.Hour)}
	stale.Schedule = paysync.Schedule{Attempts: 38, Exhausted: true}
	if err := store.CreatePayOrder(ctx, stale); err != nil {
		return err
	}
	ch.SetPay("1008", channeltest.Report(stale, channel.PayProgress))
	return nil
}
