package syncer

import (
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// settleRefund returns what one move of a refund of amount a, from status
// from to status to, does to its pay order (docs/refund-sync.md, the pay
// order's fields): the change a commit stores (nil when neither amount
// moves), the pay order after it, and the pay order's anomalies to sight.
//
// The move table reduces to one rule: RefundedAmount holds the refunds in
// success, ReservedAmount those in progress or fail, so a move adds a to the
// sum its target counts in and takes it from the one its origin did. A new
// refund moves from "" (counted nowhere) to progress.
func settleRefund(pay paysync.PayOrder, a decimal.Decimal, from, to string, now time.Time) (*repository.PayRefundChange, paysync.PayOrder, []paysync.AnomalyCode) {
	if from == to {
		return nil, pay, nil
	}
	dr := counted(to, refunded) - counted(from, refunded)
	dv := counted(to, reserved) - counted(from, reserved)
	var anomalies []paysync.AnomalyCode
	if dr != 0 || dv != 0 {
		pay.RefundedAmount = pay.RefundedAmount.Add(a.Mul(decimal.NewFromInt(dr)))
		pay.ReservedAmount = pay.ReservedAmount.Add(a.Mul(decimal.NewFromInt(dv)))
		pay.RefundStatus = payRefundStatus(pay)
	}
	if pay.RefundedAmount.Add(pay.ReservedAmount).GreaterThan(pay.Amount) {
		// The channel's truth stands and the move is made; a person must
		// recover the money.
		anomalies = append(anomalies, paysync.AnomalyOverRefunded)
	}
	if dr == 0 && dv == 0 {
		return nil, pay, anomalies
	}
	change := &repository.PayRefundChange{OrderNo: pay.OrderNo, Version: pay.Version,
		RefundedAmount: pay.RefundedAmount, ReservedAmount: pay.ReservedAmount, RefundStatus: pay.RefundStatus,
		UpdatedAt: now}
	pay.Version++
	pay.UpdatedAt = now
	return change, pay, anomalies
}

// The sums of a pay order a refund's status counts in.
const (
	refunded = iota
	reserved
)

func counted(status string, sum int) int64 {
	switch {
	case sum == refunded && status == pSuccess:
		return 1
	case sum == reserved && (status == pProgress || status == pFail):
		return 1
	}
	return 0
}

// payRefundStatus is the rule every refund move applies: refunding while
// money is reserved, else refunded once the amount is back, else
// partial_refund once any is, else no_refund.
func payRefundStatus(pay paysync.PayOrder) paysync.PayRefundStatus {
	switch {
	case pay.ReservedAmount.IsPositive():
		return paysync.PayRefunding
	case pay.RefundedAmount.GreaterThanOrEqual(pay.Amount):
		return paysync.PayRefundFull
	case pay.RefundedAmount.IsPositive():
		return paysync.PayRefundPartial
	}
	return paysync.PayRefundNone
}
