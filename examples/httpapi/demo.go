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
	// sweep runs the background sweeper until ctx ends (syncer's Run); main
	// starts it only with -sweep.
	sweep func(ctx context.Context) error
	// store is the engine's store, for tests that check what a request wrote.
	store *memstore.Store
}

// newDemo builds the demo engine and loads the orders of README.md "Demo
// data": channel "demo", amounts 10.00 CNY.
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
	} {
		if err := pay(p.no, p.biz, p.st, p.expires, p.truth); err != nil {
			return nil, err
		}
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
	a.Schedule.NextSyncAt = s.Timetables().Pay.First(a.CreatedAt, time.Time{})
	if err := store.CreateAllocationOrder(ctx, a); err != nil {
		return nil, err
	}
	ch.SetAllocation("2001", channeltest.Allocated(a, channel.ReceiverSuccess))
	return &demo{engine: s, sweep: s.Run, store: store}, nil
}
