package channeltest_test

import (
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
)

// newClock returns the package's own test clock at a fixed instant.
func newClock() *channeltest.Clock {
	return channeltest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
}

func order(no string) paysync.PayOrder {
	return paysync.PayOrder{
		OrderNo:  no,
		Channel:  "test",
		Amount:   decimal.RequireFromString("12.34"),
		Status:   paysync.PayProgress,
		Currency: "",
	}
}
