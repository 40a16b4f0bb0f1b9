package main

import (
	"fmt"
	"time"

	"github.com/paysync/paysync"
)

const (
	defaultSeed   = 1
	defaultOrders = 1000
	// minOrders leaves room for the orders every story has (the refund, the
	// amount mismatch, the allocations' paid orders, …) and a crowd besides.
	minOrders = 50
	maxOrders = 200_000
)

// defaultClock is "now" in the demo: fixed, so a seed repeats exactly.
func defaultClock() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }

// demoConfig configures one run of the demo. Zero fields take defaults.
type demoConfig struct {
	Seed   uint64    // the scenario; every value is a valid one
	Orders int       // pay orders in the store; default 1,000
	Clock  time.Time // the demo's fixed now; default 2026-11-27 10:00 UTC
}

func (c demoConfig) withDefaults() demoConfig {
	if c.Orders == 0 {
		c.Orders = defaultOrders
	}
	if c.Clock.IsZero() {
		c.Clock = defaultClock()
	}
	c.Clock = c.Clock.UTC().Truncate(time.Microsecond)
	return c
}

// Validate returns an error wrapping paysync.ErrInvalidRequest when Orders
// is set and outside [minOrders, maxOrders].
func (c demoConfig) Validate() error {
	if c.Orders != 0 && (c.Orders < minOrders || c.Orders > maxOrders) {
		return paysync.Ef("flags", paysync.ErrInvalidRequest,
			fmt.Sprintf("-orders must be between %d and %d, not %d", minOrders, maxOrders, c.Orders), nil)
	}
	return nil
}
