package channeltest

import (
	"bytes"
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// QueryRefund answers the truth scripted for refund.RefundNo. A refund never
// scripted is one the channel received and is still paying out:
// RefundAnswer(refund, RefundProgress) as first asked, kept from then on.
// Before that it fails as QueryPay does: the Config's Validate error,
// ctx.Err(), a rate-limit error wrapping channel.ErrRateLimited, latency cut
// short by ctx, a random fault, then the refund's next FailRefundNext error
// or TimeoutRefundNext hold. Raw is shared between answers and must not be
// modified.
func (c *Channel) QueryRefund(ctx context.Context, refund paysync.RefundOrder) (channel.RefundReport, error) {
	c.refundQueries.Add(1)
	err := c.admit(ctx, "channeltest.QueryRefund")
	return respond(c, ctx, err, c.refunds, refund.RefundNo, func() channel.RefundReport {
		return withRefundRaw(RefundAnswer(refund, channel.RefundProgress))
	})
}

// RefundAnswer returns a report in state for refund, as a channel that
// recorded it faithfully would give it: RefundNo, Amount and Currency (the
// default currency when the refund's is empty) copied; OutRefundNo the
// refund's own, or "out-" + RefundNo when it has none; for RefundFailed an
// error code and message. FinishedAt and Raw are left zero.
func RefundAnswer(refund paysync.RefundOrder, state channel.RefundState) channel.RefundReport {
	r := channel.RefundReport{State: state, RefundNo: refund.RefundNo, OutRefundNo: refund.OutRefundNo,
		Amount: refund.Amount, Currency: refund.CurrencyOrDefault()}
	if r.OutRefundNo == "" {
		r.OutRefundNo = "out-" + refund.RefundNo
	}
	if state == channel.RefundFailed {
		r.ErrorCode, r.ErrorMsg = "TEST_FAIL", "failed by channeltest"
	}
	return r
}

// SetRefund makes r the truth for refundNo from now on and drops changes
// scheduled by SetRefundAfter and SetRefundAt. When r.Raw is nil the channel
// fills it with a small JSON rendering; otherwise it keeps a copy. The State
// is not checked, so a test can script one the engine must refuse.
func (c *Channel) SetRefund(refundNo string, r channel.RefundReport) {
	r = withRefundRaw(r)
	c.mu.Lock()
	c.refunds.of(refundNo).set(r)
	c.mu.Unlock()
}

// SetRefundAfter schedules r as the truth for refundNo once the channel has
// answered k more queries about it (refused and failed calls do not count);
// k <= 0 means the next query. Raw is handled as by SetRefund.
func (c *Channel) SetRefundAfter(refundNo string, k int, r channel.RefundReport) {
	r = withRefundRaw(r)
	c.mu.Lock()
	c.refunds.of(refundNo).after(k, r)
	c.mu.Unlock()
}

// SetRefundAt schedules r as the truth for refundNo from time at on, by
// Config.Clock. Raw is handled as by SetRefund.
func (c *Channel) SetRefundAt(refundNo string, at time.Time, r channel.RefundReport) {
	r = withRefundRaw(r)
	c.mu.Lock()
	c.refunds.of(refundNo).at(at, r)
	c.mu.Unlock()
}

// RefundTruth returns the report QueryRefund would answer for refundNo now,
// without counting a query, and true; or false when the channel has no truth
// for it yet (never scripted and never queried).
func (c *Channel) RefundTruth(refundNo string) (channel.RefundReport, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refunds.peek(refundNo, c.cfg.Clock.Now)
}

// FailRefundNext makes the next n QueryRefund calls for refundNo that pass
// the rate limit and random faults fail with err wrapped together with
// ErrInjected; a nil err means ErrInjected alone. n <= 0 does nothing.
func (c *Channel) FailRefundNext(refundNo string, n int, err error) {
	err = injected("refund", refundNo, err)
	c.mu.Lock()
	c.refunds.of(refundNo).inject(n, err)
	c.mu.Unlock()
}

// TimeoutRefundNext makes the next n QueryRefund calls for refundNo that
// pass the rate limit and random faults hang until their ctx is done and
// return ctx.Err(). n <= 0 does nothing.
func (c *Channel) TimeoutRefundNext(refundNo string, n int) {
	c.mu.Lock()
	c.refunds.of(refundNo).inject(n, nil)
	c.mu.Unlock()
}

// RefundQueries returns how many QueryRefund calls were made for refundNo,
// whatever their outcome.
func (c *Channel) RefundQueries(refundNo string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refunds.calls(refundNo)
}

// withRefundRaw gives r a Raw of its own: a copy of the caller's, or a JSON
// rendering when it has none. Built once when scripting, so answers share it.
func withRefundRaw(r channel.RefundReport) channel.RefundReport {
	if r.Raw != nil {
		r.Raw = bytes.Clone(r.Raw)
		return r
	}
	r.Raw = renderJSON(struct {
		RefundNo    string `json:"refund_no,omitempty"`
		OutRefundNo string `json:"out_refund_no,omitempty"`
		State       string `json:"state"`
		Amount      string `json:"amount,omitempty"`
		Currency    string `json:"currency,omitempty"`
		ErrorCode   string `json:"error_code,omitempty"`
	}{r.RefundNo, r.OutRefundNo, string(r.State), decimalText(r.Amount), r.Currency, r.ErrorCode})
	return r
}
