package channeltest

import (
	"context"
	"fmt"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// allocTruth is what the channel knows about an allocation; the zero value
// is an allocation it does not know.
type allocTruth struct {
	report channel.AllocationReport
	found  bool
}

// QueryAllocation answers the report scripted for order.AllocationNo, with a
// Receivers slice of the caller's own. Unscripted allocations, and those
// scripted by SetAllocationNotFound, answer an error wrapping
// channel.ErrAllocationNotAtChannel; such an answer counts as an answer for
// SetAllocationAfter. Before that it fails as QueryPay does: the Config's
// Validate error, ctx.Err(), a rate-limit error wrapping
// channel.ErrRateLimited, a random fault, then the allocation's next
// FailAllocationNext error or TimeoutAllocationNext hold.
func (c *Channel) QueryAllocation(ctx context.Context, order paysync.AllocationOrder) (channel.AllocationReport, error) {
	c.allocQueries.Add(1)
	err := c.admit(ctx, "channeltest.QueryAllocation")
	// An allocation never scripted is one the channel does not know.
	t, err := respond(c, ctx, err, c.allocs, order.AllocationNo, func() allocTruth { return allocTruth{} })
	if err != nil {
		return channel.AllocationReport{}, err
	}
	if !t.found {
		return channel.AllocationReport{}, fmt.Errorf("channeltest: allocation %s: %w", order.AllocationNo, channel.ErrAllocationNotAtChannel)
	}
	t.report.Receivers = cloneReceivers(t.report.Receivers)
	return t.report, nil
}

// SetAllocation makes rep the answer for allocationNo from now on and drops
// changes scheduled by SetAllocationAfter and SetAllocationAt. The channel
// keeps a copy of rep.Receivers; when rep.Raw is nil it fills it with a small
// JSON rendering, otherwise it keeps a copy.
func (c *Channel) SetAllocation(allocationNo string, rep channel.AllocationReport) {
	t := allocTruth{report: withAllocationRaw(allocationNo, rep), found: true}
	c.mu.Lock()
	c.allocs.of(allocationNo).set(t)
	c.mu.Unlock()
}

// SetAllocationNotFound makes QueryAllocation answer
// channel.ErrAllocationNotAtChannel for allocationNo from now on, as it does for
// an allocation never scripted, and drops scheduled changes.
func (c *Channel) SetAllocationNotFound(allocationNo string) {
	c.mu.Lock()
	c.allocs.of(allocationNo).set(allocTruth{})
	c.mu.Unlock()
}

// SetAllocationAfter schedules rep as the answer for allocationNo once the
// channel has answered k more queries about it (not-found answers count,
// refused and failed calls do not); k <= 0 means the next query. rep is
// copied as by SetAllocation.
func (c *Channel) SetAllocationAfter(allocationNo string, k int, rep channel.AllocationReport) {
	t := allocTruth{report: withAllocationRaw(allocationNo, rep), found: true}
	c.mu.Lock()
	c.allocs.of(allocationNo).after(k, t)
	c.mu.Unlock()
}

// SetAllocationAt schedules rep as the answer for allocationNo from time at
// on, by Config.Now. rep is copied as by SetAllocation.
func (c *Channel) SetAllocationAt(allocationNo string, at time.Time, rep channel.AllocationReport) {
	t := allocTruth{report: withAllocationRaw(allocationNo, rep), found: true}
	c.mu.Lock()
	c.allocs.of(allocationNo).at(at, t)
	c.mu.Unlock()
}

// AllocationTruth returns the report QueryAllocation would answer for
// allocationNo now, without counting a query, and true; or false when the
// channel would answer channel.ErrAllocationNotAtChannel.
func (c *Channel) AllocationTruth(allocationNo string) (channel.AllocationReport, bool) {
	c.mu.Lock()
	t, _ := c.allocs.peek(allocationNo, c.cfg.Clock.Now)
	c.mu.Unlock()
	if !t.found {
		return channel.AllocationReport{}, false
	}
	t.report.Receivers = cloneReceivers(t.report.Receivers)
	return t.report, true
}

// FailAllocationNext makes the next n QueryAllocation calls for
// allocationNo that pass the rate limit and random faults fail with err
// wrapped together with ErrInjected; a nil err means ErrInjected alone. n <= 0
// does nothing.
func (c *Channel) FailAllocationNext(allocationNo string, n int, err error) {
	err = injected("allocation", allocationNo, err)
	c.mu.Lock()
	c.allocs.of(allocationNo).inject(n, err)
	c.mu.Unlock()
}

// TimeoutAllocationNext makes the next n QueryAllocation calls for
// allocationNo that pass the rate limit and random faults hang until their
// ctx is done and return ctx.Err(). n <= 0 does nothing.
func (c *Channel) TimeoutAllocationNext(allocationNo string, n int) {
	c.mu.Lock()
	c.allocs.of(allocationNo).inject(n, nil)
	c.mu.Unlock()
}

// AllocationQueries returns how many QueryAllocation calls were made for
// allocationNo, whatever their outcome; 0 for one never asked about.
func (c *Channel) AllocationQueries(allocationNo string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.allocs.calls(allocationNo)
}
