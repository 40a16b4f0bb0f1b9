package channeltest

import (
	"context"
	"fmt"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// QueryPay answers the truth scripted for order.OrderNo. An order never
// scripted is a trade waiting for its payer: Report(order, PayProgress) as
// first asked, kept from then on like a channel keeps what it recorded.
//
// It returns, in this order of checks: the Config's Validate error; ctx.Err()
// when ctx is already done; an error wrapping channel.ErrRateLimited (and
// paysync.ErrChannelUnavailable) when over the rate limit, at once; ctx.Err()
// when ctx ends during latency; for a random fault, ErrInjected wrapped or
// ctx.Err() once ctx is done; then the order's next FailNext error or
// TimeoutNext hold; else the truth. The report's Raw is shared between
// answers and must not be modified.
func (c *Channel) QueryPay(ctx context.Context, order paysync.PayOrder) (channel.PayReport, error) {
	c.payQueries.Add(1)
	err := c.admit(ctx, "channeltest.QueryPay")
	return respond(c, ctx, err, c.pays, order.OrderNo, func() channel.PayReport { return unscripted(order) })
}

// unscripted is the truth of a pay order never scripted: a trade waiting for
// its payer.
func unscripted(order paysync.PayOrder) channel.PayReport {
	return withRaw(Report(order, channel.PayProgress))
}

// SetPay makes r the truth for orderNo from now on and drops changes
// scheduled by SetPayAfter and SetPayAt. When r.Raw is nil the channel fills
// it with a small JSON rendering of r; otherwise it keeps a copy. The State is
// not checked, so a test can script a state the engine must refuse.
func (c *Channel) SetPay(orderNo string, r channel.PayReport) {
	r = withRaw(r)
	c.mu.Lock()
	c.pays.of(orderNo).set(r)
	c.mu.Unlock()
}

// SetPayAfter schedules r as the truth for orderNo once the channel has
// answered k more queries about it, counted from this call: the (k+1)-th
// answer and those after it carry r. Calls refused or failed (rate limit,
// injected faults) do not count. k <= 0 makes r the answer to the next query.
// Raw is handled as by SetPay.
func (c *Channel) SetPayAfter(orderNo string, k int, r channel.PayReport) {
	r = withRaw(r)
	c.mu.Lock()
	c.pays.of(orderNo).after(k, r)
	c.mu.Unlock()
}

// SetPayAt schedules r as the truth for orderNo from time at on, by
// Config.Now. Raw is handled as by SetPay. When several scheduled truths are
// due, the one scripted last wins.
func (c *Channel) SetPayAt(orderNo string, at time.Time, r channel.PayReport) {
	r = withRaw(r)
	c.mu.Lock()
	c.pays.of(orderNo).at(at, r)
	c.mu.Unlock()
}

// Truth returns the report QueryPay would answer for orderNo now, without
// counting a query, and true; or false when the channel has no truth for it
// yet (never scripted and never queried). A SetPayAt truth that is due counts.
func (c *Channel) Truth(orderNo string) (channel.PayReport, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pays.peek(orderNo, c.cfg.Clock.Now)
}

// FailNext makes the next n QueryPay calls for orderNo that pass the rate
// limit and random faults fail with err wrapped together with ErrInjected
// (errors.Is finds both); a nil err means ErrInjected alone. Runs queue
// behind those already scripted by FailNext and TimeoutNext. n <= 0 does
// nothing.
func (c *Channel) FailNext(orderNo string, n int, err error) {
	err = injected("query", orderNo, err)
	c.mu.Lock()
	c.pays.of(orderNo).inject(n, err)
	c.mu.Unlock()
}

// TimeoutNext makes the next n QueryPay calls for orderNo that pass the rate
// limit and random faults hang until their ctx is done and return ctx.Err().
// Runs queue as with FailNext. n <= 0 does nothing.
func (c *Channel) TimeoutNext(orderNo string, n int) {
	c.mu.Lock()
	c.pays.of(orderNo).inject(n, nil)
	c.mu.Unlock()
}

// PayQueries returns how many QueryPay calls were made for orderNo, whatever
// their outcome; 0 for an order never asked about.
func (c *Channel) PayQueries(orderNo string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pays.calls(orderNo)
}

// injected builds, once at scripting time, the error a scripted fault answers.
func injected(what, no string, err error) error {
	if err == nil {
		return fmt.Errorf("channeltest: %s %s: %w", what, no, ErrInjected)
	}
	return fmt.Errorf("channeltest: %s %s: %w: %w", what, no, ErrInjected, err)
}
