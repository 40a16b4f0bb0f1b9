package syncer

import (
	"strings"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// payAnswer is what the channel said about an order during one sync: the
// report, and what came of closing the trade when the table asked for it.
type payAnswer struct {
	rep              channel.PayReport
	closeTried       bool // ClosePay was called (at most once per sync)
	closed           bool // ClosePay said closed, or that the trade does not exist
	closeUnsupported bool // the channel has no PayCloser
}

// payDecision is what one sync does to an order: the table of
// docs/pay-sync.md applied.
type payDecision struct {
	to        paysync.PayStatus // == the order's status when nothing moves
	way       paysync.AdjustWay
	refund    paysync.PayRefundStatus // RefundStatus after the change
	booked    bool                    // the channel's refunded amount is booked (footnote 3)
	fill      bool                    // copy OutOrderNo / PaidAt from the report where missing
	needClose bool                    // close the trade at the channel, then decide again
	anomalies []paysync.AnomalyCode
}

// decidePay applies docs/pay-sync.md's table to order o and answer a at
// now. It is pure: a sync that lost a version race calls it again on the
// fresh order with the same answer.
func decidePay(o *paysync.PayOrder, a *payAnswer, now time.Time) payDecision {
	d := payDecision{to: o.Status, refund: o.RefundStatus}
	if d.refund == "" {
		d.refund = paysync.PayRefundNone
	}
	rep := &a.rep
	c := rep.State

	// The answer must be about this order before anything follows from it.
	if rep.OrderNo != "" && rep.OrderNo != o.OrderNo ||
		rep.OutOrderNo != "" && o.OutOrderNo != "" && rep.OutOrderNo != o.OutOrderNo {
		d.anomalies = append(d.anomalies, paysync.AnomalyTradeMismatch)
		return d
	}

	// Refunds are the refund sync's business: pay sync never touches them.
	if d.refund != paysync.PayRefundNone {
		if c != channel.PaySuccess && c != channel.PayRefunded {
			d.anomalies = append(d.anomalies, paysync.AnomalyRefundStatusConflict)
		}
		return d
	}

	switch o.Status {
	case paysync.PayWait, paysync.PayProgress:
		switch c {
		case channel.PaySuccess:
			d.paid(o, rep)
		case channel.PayRefunded:
			d.refunded(o, rep)
		case channel.PayProgress, channel.PayNotFoundUnknown:
			if o.Expired(now) {
				if a.closed {
					d.move(paysync.PayClose, paysync.WayPayCloseGateway)
					return d
				}
				d.askClose(a)
			}
			if c == channel.PayProgress && o.Status == paysync.PayWait {
				d.move(paysync.PayProgress, paysync.WayPayProgress)
			}
		case channel.PayClosed, channel.PayNotFound:
			d.move(paysync.PayClose, paysync.WayPayCloseLocal)
		case channel.PayCancelled:
			d.move(paysync.PayCancel, paysync.WayPayCancel)
		case channel.PayFailed:
			d.move(paysync.PayFail, paysync.WayPayFail)
		}
	case paysync.PayFail:
		switch c {
		case channel.PaySuccess:
			d.paid(o, rep)
		case channel.PayRefunded:
			d.refunded(o, rep)
		case channel.PayClosed, channel.PayNotFound:
			d.move(paysync.PayClose, paysync.WayPayCloseLocal)
		case channel.PayCancelled:
			d.move(paysync.PayCancel, paysync.WayPayCancel)
		}
	case paysync.PayClose, paysync.PayCancel:
		switch c {
		case channel.PaySuccess:
			d.paid(o, rep)
		case channel.PayProgress:
			// Closed here, open there: close it there again; the order stays.
			if !a.closed {
				d.askClose(a)
			}
		case channel.PayRefunded:
			d.anomalies = append(d.anomalies, paysync.AnomalyRefundAtChannel)
		}
	case paysync.PaySuccess:
		switch c {
		case channel.PaySuccess:
			d.fill = true
		case channel.PayRefunded:
			// The refund sync's job.
		default:
			d.anomalies = append(d.anomalies, paysync.AnomalyPaidNotPaidAtChannel)
		}
	}
	return d
}

// move moves the order to to by way; its status event follows from the
// move (payEventFor).
func (d *payDecision) move(to paysync.PayStatus, way paysync.AdjustWay) {
	d.to, d.way = to, way
}

// askClose asks for the trade to be closed at the channel, unless that was
// tried already in this sync or cannot be done.
func (d *payDecision) askClose(a *payAnswer) {
	switch {
	case a.closeUnsupported:
		d.anomalies = append(d.anomalies, paysync.AnomalyCloseUnsupported)
	case !a.closeTried:
		d.needClose = true
	}
}

// paid moves the order to success when the money is the order's money
// (footnote 1): otherwise a person decides.
func (d *payDecision) paid(o *paysync.PayOrder, rep *channel.PayReport) bool {
	if !rep.Amount.IsZero() && !rep.Amount.Equal(o.Amount) {
		d.anomalies = append(d.anomalies, paysync.AnomalyAmountMismatch)
	}
	if rep.Currency != "" && !strings.EqualFold(rep.Currency, o.CurrencyOrDefault()) {
		d.anomalies = append(d.anomalies, paysync.AnomalyCurrencyMismatch)
	}
	if len(d.anomalies) > 0 {
		return false
	}
	d.move(paysync.PaySuccess, paysync.WayPaySuccess)
	d.fill = true
	return true
}

// refunded: paid, then refunded at the channel (footnote 3). The order
// becomes success so its money is accounted for, with the refund status the
// channel reports and its refunded amount booked, and a person is told:
// refund orders may or may not exist elsewhere for that money.
func (d *payDecision) refunded(o *paysync.PayOrder, rep *channel.PayReport) {
	if !d.paid(o, rep) {
		return
	}
	d.refund = paysync.PayRefundPartial
	if rep.RefundedAmount.GreaterThanOrEqual(o.Amount) { // more than paid is over_refunded, below
		d.refund = paysync.PayRefundFull
	}
	d.booked = true
	d.anomalies = append(d.anomalies, paysync.AnomalyRefundAtChannel)
	if rep.RefundedAmount.Add(o.ReservedAmount).GreaterThan(o.Amount) {
		d.anomalies = append(d.anomalies, paysync.AnomalyOverRefunded)
	}
}
