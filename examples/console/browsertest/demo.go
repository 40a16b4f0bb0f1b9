// Package browsertest drives the operator console (examples/console) in
// headless Chromium: it seeds demo data, serves the console in-process and
// walks overview → inbox → order → preview → confirm as a person would. It is
// a module of its own so that the core module never depends on a browser
// driver.
package browsertest

import (
	"context"
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/console"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// Now is the demo's fixed time: 18:00 in Shanghai. A fixed clock makes the
// pages, and the screenshots of them, the same on every run.
var Now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// Demo is a console over an in-memory store and a scripted channel named
// "demo", loaded with the orders below.
//
//	pay 1001/P0001  progress, paid at the channel: due
//	pay 1002/P0002  progress, the payer has not paid: due
//	pay 1003/P0003  success, with refund 3001 and allocation 2001
//	pay 1005/P0005  progress; the channel has it paid 1.00: amount_mismatch
//	pay 1006/P0006  success 10.00 CNY, closed at the channel, no refunds or
//	                allocations; not synced yet: its first sync raises
//	                paid_order_not_paid_at_channel
//	pay 1007/P0007  progress for two days, its sweep schedule ended
//	allocation 2001/A0001  processing, of 1003
//	refund 3001/R0001      progress 2.00 of 1003, refunded at the channel
//	refund 3002/R0002      success 3.00 of 1008 that the channel denies: refund_not_at_channel
//	transfer 4001/T0001    progress 50.00, paid at the channel
//	transfer 4002/T0002    success 20.00 that the channel denies: transfer_not_at_channel
type Demo struct {
	Store   *memstore.Store
	Channel *channeltest.Channel
	Clock   *channeltest.Clock
	Syncer  *syncer.Syncer
}

// NewDemo builds the demo and loads its orders, syncing those whose
// anomalies the inbox should show.
func NewDemo(ctx context.Context) (*Demo, error) {
	d := &Demo{Store: memstore.New(), Clock: channeltest.NewClock(Now)}
	d.Channel = channeltest.New(channeltest.Config{Name: "demo", Clock: d.Clock})
	s, err := syncer.New(syncer.Config{Store: d.Store, Channels: channel.NewRegistry(d.Channel), Clock: d.Clock})
	if err != nil {
		return nil, err
	}
	d.Syncer = s
	return d, d.seed(ctx)
}

func amount(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func (d *Demo) seed(ctx context.Context) error {
	st, ch := d.Store, d.Channel
	tt := d.Syncer.Timetables()
	pay := func(no, biz string, status paysync.PayStatus, age time.Duration, amt string, truth func(paysync.PayOrder) channel.PayReport) (paysync.PayOrder, error) {
		o := paysync.PayOrder{OrderNo: no, BizOrderNo: biz, Channel: "demo", Amount: amount(amt), Currency: "CNY",
			Status: status, RefundStatus: paysync.PayRefundNone, CreatedAt: Now.Add(-age), UpdatedAt: Now.Add(-age),
			ExpiredAt: Now.Add(-age).Add(2 * time.Hour)}
		if status == paysync.PaySuccess {
			o.PaidAt, o.OutOrderNo, o.UpdatedAt = o.CreatedAt.Add(2*time.Minute), "4200000"+no, o.CreatedAt.Add(2*time.Minute)
		}
		o.Schedule.NextSyncAt = tt.Pay.First(o.CreatedAt, o.ExpiredAt)
		if err := st.CreatePayOrder(ctx, o); err != nil {
			return o, err
		}
		if truth != nil {
			ch.SetPay(no, truth(o))
		}
		return st.GetPayOrder(ctx, no)
	}
	report := func(state channel.PayState) func(paysync.PayOrder) channel.PayReport {
		return func(o paysync.PayOrder) channel.PayReport { return channeltest.Report(o, state) }
	}
	if _, err := pay("1001", "P0001", paysync.PayProgress, 20*time.Minute, "128.00", report(channel.PaySuccess)); err != nil {
		return err
	}
	if _, err := pay("1002", "P0002", paysync.PayProgress, 7*time.Minute, "35.50", report(channel.PayProgress)); err != nil {
		return err
	}
	p3, err := pay("1003", "P0003", paysync.PaySuccess, 5*time.Hour, "88.00", nil)
	if err != nil {
		return err
	}
	mismatch := func(o paysync.PayOrder) channel.PayReport {
		r := channeltest.Paid(o)
		r.Amount = amount("1.00")
		return r
	}
	if _, err := pay("1005", "P0005", paysync.PayProgress, 4*time.Hour, "10.00", mismatch); err != nil {
		return err
	}
	if _, err := pay("1006", "P0006", paysync.PaySuccess, 3*time.Hour, "10.00", report(channel.PayClosed)); err != nil {
		return err
	}
	if err := st.CreatePayOrder(ctx, paysync.PayOrder{OrderNo: "1007", BizOrderNo: "P0007", Channel: "demo",
		Amount: amount("66.00"), Currency: "CNY", Status: paysync.PayProgress, CreatedAt: Now.Add(-49 * time.Hour),
		UpdatedAt: Now.Add(-25 * time.Hour), Schedule: paysync.Schedule{Attempts: 33, Exhausted: true}}); err != nil {
		return err
	}
	if _, err := pay("1008", "P0008", paysync.PaySuccess, 30*time.Hour, "30.00", nil); err != nil {
		return err
	}

	alloc := paysync.AllocationOrder{AllocationNo: "2001", BizAllocationNo: "A0001", OrderNo: p3.OrderNo,
		OutOrderNo: p3.OutOrderNo, Channel: "demo", Amount: amount("20.00"), Currency: "CNY",
		Status: paysync.AllocProcessing, CreatedAt: Now.Add(-90 * time.Minute), UpdatedAt: Now.Add(-90 * time.Minute),
		Receivers: []paysync.AllocationReceiver{
			{ReceiverNo: "R1", ReceiverType: "merchant_no", Account: "1900000001", Name: "Shop A",
				Amount: amount("12.00"), Result: paysync.ReceiverPending},
			{ReceiverNo: "R2", ReceiverType: "merchant_no", Account: "1900000002", Name: "Shop B",
				Amount: amount("8.00"), Result: paysync.ReceiverPending},
		}}
	alloc.Schedule.NextSyncAt = tt.Allocation.First(alloc.CreatedAt, time.Time{})
	if err := st.CreateAllocationOrder(ctx, alloc); err != nil {
		return err
	}
	ch.SetAllocation("2001", channeltest.Allocated(alloc, channel.ReceiverSuccess))

	// Refunds go through CreateRefund, as a host makes them, at the time
	// each was asked for.
	refund := func(no, biz, orderNo, amt string, at time.Time) (paysync.RefundOrder, error) {
		d.Clock.Set(at)
		defer d.Clock.Set(Now)
		return d.Syncer.CreateRefund(ctx, syncer.NewRefund{RefundNo: no, BizRefundNo: biz, OrderNo: orderNo,
			Amount: amount(amt), Reason: "customer returned the goods"})
	}
	r1, err := refund("3001", "R0001", "1003", "2.00", Now.Add(-40*time.Minute))
	if err != nil {
		return err
	}
	ch.SetRefund("3001", channeltest.RefundAnswer(r1, channel.RefundSuccess))
	r2, err := refund("3002", "R0002", "1008", "3.00", Now.Add(-26*time.Hour))
	if err != nil {
		return err
	}
	ch.SetRefund("3002", channeltest.RefundAnswer(r2, channel.RefundSuccess))
	d.Clock.Set(Now.Add(-26 * time.Hour).Add(5 * time.Minute))
	if _, err := d.Syncer.SyncRefund(ctx, syncer.RefundRequest{RefundNo: "3002", Source: paysync.SourceSweep}); err != nil {
		return err
	}
	ch.SetRefund("3002", channel.RefundReport{State: channel.RefundNotFound})

	transfer := func(no, biz, amt string, status paysync.TransferStatus, age time.Duration, state channel.TransferState) (paysync.TransferOrder, error) {
		o := paysync.TransferOrder{TransferNo: no, BizTransferNo: biz, Channel: "demo", Amount: amount(amt),
			Currency: "CNY", PayeeType: "openid", PayeeAccount: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", PayeeName: "Wang Fang",
			Reason: "seller payout", Status: status, CreatedAt: Now.Add(-age), UpdatedAt: Now.Add(-age)}
		if status == paysync.TransferProgress {
			o.Schedule.NextSyncAt = tt.Transfer.First(o.CreatedAt, time.Time{})
		} else {
			o.FinishedAt = o.CreatedAt.Add(time.Minute)
		}
		if err := st.CreateTransferOrder(ctx, o); err != nil {
			return o, err
		}
		ch.SetTransfer(no, channeltest.TransferAnswer(o, state))
		return o, nil
	}
	if _, err := transfer("4001", "T0001", "50.00", paysync.TransferProgress, 15*time.Minute, channel.TransferSuccess); err != nil {
		return err
	}
	if _, err := transfer("4002", "T0002", "20.00", paysync.TransferSuccess, 6*time.Hour, channel.TransferNotFound); err != nil {
		return err
	}

	// The syncs that raised the inbox's anomalies, each when it happened.
	for _, s := range []struct {
		at   time.Duration
		sync func() error
	}{
		{-170 * time.Minute, func() error {
			_, err := d.Syncer.SyncPay(ctx, syncer.PayRequest{OrderNo: "1005", Source: paysync.SourceCallback})
			return err
		}},
		{-25 * time.Hour, func() error {
			_, err := d.Syncer.SyncRefund(ctx, syncer.RefundRequest{RefundNo: "3002", Source: paysync.SourceSweep})
			return err
		}},
		{-5 * time.Hour, func() error {
			_, err := d.Syncer.SyncTransfer(ctx, syncer.TransferRequest{TransferNo: "4002", Source: paysync.SourceSweep})
			return err
		}},
	} {
		d.Clock.Set(Now.Add(s.at))
		if err := s.sync(); err != nil {
			return err
		}
	}
	d.Clock.Set(Now)
	return nil
}

// Console returns the console over the demo, mounted at prefix, behind
// HTTP basic auth where the user name is the operator and the password is
// token.
func (d *Demo) Console(prefix, token string) (http.Handler, error) {
	return console.New(console.Config{Syncer: d.Syncer, Store: d.Store, Prefix: prefix, Now: d.Clock.Now,
		Challenge: `Basic realm="paysync console"`,
		Authenticate: func(r *http.Request) (string, bool) {
			user, pass, ok := r.BasicAuth()
			return user, ok && subtle.ConstantTimeCompare([]byte(pass), []byte(token)) == 1
		}})
}
