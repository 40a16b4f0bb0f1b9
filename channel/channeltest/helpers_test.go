package channeltest_test

import (
	"sync"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// clock is a fake Config.Now that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
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
