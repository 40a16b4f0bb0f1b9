package channeltest

import (
	"context"
	"fmt"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/shopspring/decimal"
)

// CloseOutcome is what ClosePay does for an order; see SetClose.
type CloseOutcome int

// Close outcomes. The zero value, CloseAuto, is the default for every order.
const (
	// CloseAuto answers as a real channel would, from the current truth:
	// progress (or a state the fake does not know) → nil and the truth
	// becomes closed; closed, cancelled, failed → nil, truth unchanged;
	// success, refunded → channel.ErrAlreadyPaid; not_found,
	// not_found_unknown → channel.ErrTradeNotExist.
	CloseAuto CloseOutcome = iota
	// CloseOK answers nil and the truth becomes closed, whatever it was —
	// even paid, to model a channel that misbehaves.
	CloseOK
	// CloseAlreadyPaid answers channel.ErrAlreadyPaid, and a truth that is not
	// success or refunded becomes success (PaidAt by Config.Now, OutOrderNo
	// filled as Paid does): the payer paid just before the close, so the
	// engine's query that follows finds the payment.
	CloseAlreadyPaid
	// CloseNotExist answers channel.ErrTradeNotExist; the truth is unchanged.
	CloseNotExist
	// CloseError answers an error wrapping ErrInjected; the truth is
	// unchanged.
	CloseError
	// CloseTimeout hangs until ctx is done and answers ctx.Err(); the truth is
	// unchanged.
	CloseTimeout
)

// String returns the outcome's name, or "CloseOutcome(n)" for an unknown one.
func (o CloseOutcome) String() string {
	switch o {
	case CloseAuto:
		return "auto"
	case CloseOK:
		return "ok"
	case CloseAlreadyPaid:
		return "already_paid"
	case CloseNotExist:
		return "not_exist"
	case CloseError:
		return "error"
	case CloseTimeout:
		return "timeout"
	}
	return fmt.Sprintf("CloseOutcome(%d)", int(o))
}

// SetClose makes outcome what every later ClosePay for orderNo does, until
// changed. An outcome that is none of the constants makes ClosePay answer an
// error wrapping paysync.ErrInvalidRequest.
func (c *Channel) SetClose(orderNo string, outcome CloseOutcome) {
	c.mu.Lock()
	c.closeOutcomes[orderNo] = outcome
	c.mu.Unlock()
}

// Closes returns how many ClosePay calls were made for orderNo, whatever
// their outcome; 0 for an order never closed.
func (c *Channel) Closes(orderNo string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeCalls[orderNo]
}

// ClosePay closes order's trade as SetClose scripted (CloseAuto by default).
// Before the outcome it returns, as QueryPay does, the Config's Validate
// error, ctx.Err(), a rate-limit error wrapping channel.ErrRateLimited, or a
// random fault. When the truth becomes closed, or success by
// CloseAlreadyPaid, changes scheduled by SetPayAfter and SetPayAt are dropped
// with the script they belonged to.
func (c *Channel) ClosePay(ctx context.Context, order paysync.PayOrder) error {
	const op = "channeltest.ClosePay"
	c.closes.Add(1)
	err := c.admit(ctx, op)
	c.mu.Lock()
	c.closeCalls[order.OrderNo]++
	if err != nil {
		c.mu.Unlock()
		return err
	}
	s := c.pays.of(order.OrderNo)
	truth := s.current(c.cfg.Clock.Now, func() channel.PayReport { return unscripted(order) })
	outcome, keep := c.closeOutcomes[order.OrderNo], false
	if outcome == CloseAuto {
		outcome, keep = autoOutcome(truth.State)
	}
	switch outcome {
	case CloseOK:
		if !keep && truth.State != channel.PayClosed {
			s.set(closed(truth))
		}
	case CloseAlreadyPaid:
		if truth.State != channel.PaySuccess && truth.State != channel.PayRefunded {
			s.set(c.paid(truth, order.OrderNo))
		}
	}
	c.mu.Unlock()

	switch outcome {
	case CloseOK:
		return nil
	case CloseAlreadyPaid:
		return fmt.Errorf("channeltest: close %s: %w", order.OrderNo, channel.ErrAlreadyPaid)
	case CloseNotExist:
		return fmt.Errorf("channeltest: close %s: %w", order.OrderNo, channel.ErrTradeNotExist)
	case CloseError:
		c.injected.Add(1)
		return injected("close", order.OrderNo, nil)
	case CloseTimeout:
		return c.hang(ctx)
	}
	return paysync.Ef(op, paysync.ErrInvalidRequest, fmt.Sprintf("unknown close outcome %v for order %s", outcome, order.OrderNo), nil)
}

// autoOutcome is what a real channel does when asked to close a trade in s,
// and whether the truth is kept as it is. Closing a closed, cancelled or
// failed trade is answered like closing an open one, but changes nothing: no
// money moved either way.
func autoOutcome(s channel.PayState) (CloseOutcome, bool) {
	switch s {
	case channel.PaySuccess, channel.PayRefunded:
		return CloseAlreadyPaid, false
	case channel.PayNotFound, channel.PayNotFoundUnknown:
		return CloseNotExist, false
	case channel.PayClosed, channel.PayCancelled, channel.PayFailed:
		return CloseOK, true
	}
	return CloseOK, false
}

// closed is r as the channel reports it once the trade is closed.
func closed(r channel.PayReport) channel.PayReport {
	r.State = channel.PayClosed
	r.RefundedAmount = decimal.Zero
	r.PaidAt = time.Time{}
	r.Raw = nil
	return withRaw(r)
}

// paid is r as the channel reports it once the payer has paid.
func (c *Channel) paid(r channel.PayReport, orderNo string) channel.PayReport {
	r.State = channel.PaySuccess
	if r.OutOrderNo == "" {
		r.OutOrderNo = "out-" + orderNo
	}
	r.PaidAt = c.cfg.Clock.Now()
	r.Raw = nil
	return withRaw(r)
}
