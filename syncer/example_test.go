package syncer_test

import (
	"context"
	"fmt"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// A paid order whose callback was lost: the sync finds the payment, repairs
// the order, and leaves one event for the host to deliver.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	store := memstore.New()
	wechat := channeltest.New(channeltest.Config{Name: "wechat"})
	s, err := syncer.New(syncer.Config{Store: store, Channels: channel.NewRegistry(wechat),
		Clock: channeltest.NewClock(now)})
	if err != nil {
		panic(err)
	}

	order := paysync.PayOrder{OrderNo: "1001", BizOrderNo: "P0001", Channel: "wechat",
		Amount: decimal.RequireFromString("10.00"), Currency: "CNY", Status: paysync.PayProgress,
		CreatedAt: now.Add(-10 * time.Minute), ExpiredAt: now.Add(20 * time.Minute)}
	if err := store.CreatePayOrder(ctx, order); err != nil {
		panic(err)
	}
	wechat.SetPay("1001", channeltest.Paid(order)) // paid; the callback never came

	res, err := s.SyncPay(ctx, syncer.PayRequest{BizOrderNo: "P0001"})
	fmt.Println(res.OrderStatus, res.Adjusted, res.ChannelState, err)
	res, err = s.SyncPay(ctx, syncer.PayRequest{OrderNo: "1001"})
	fmt.Println(res.OrderStatus, res.Adjusted, res.ChannelState, err)

	_, err = s.SyncPay(ctx, syncer.PayRequest{OrderNo: "404"})
	fmt.Println(paysync.ErrorCode(err), paysync.ErrorMessage(err))
	// Output:
	// success true success <nil>
	// success false success <nil>
	// not_found 支付订单不存在
}
