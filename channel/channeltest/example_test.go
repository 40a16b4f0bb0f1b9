package channeltest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
)

func Example() {
	ctx := context.Background()
	c := channeltest.New(channeltest.Config{Name: "wechat"})
	o := paysync.PayOrder{OrderNo: "P1", Channel: "wechat", Amount: decimal.RequireFromString("9.90")}

	// The first query is lost in the network; the payer pays after the
	// channel has answered once.
	c.SetPayAfter("P1", 1, channeltest.Paid(o))
	c.FailNext("P1", 1, nil)

	for range 3 {
		r, err := c.QueryPay(ctx, o)
		if errors.Is(err, channeltest.ErrInjected) {
			fmt.Println("query failed")
			continue
		}
		fmt.Println(r.State, r.Amount, r.Currency)
	}

	// Closing a paid trade is refused, as WeChat answers ORDERPAID.
	err := c.ClosePay(ctx, o)
	fmt.Println(errors.Is(err, channel.ErrAlreadyPaid))
	fmt.Println(c.PayQueries("P1"), c.Closes("P1"))
	// Output:
	// query failed
	// progress 9.9 CNY
	// success 9.9 CNY
	// true
	// 3 1
}
