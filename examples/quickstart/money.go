package main

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// moneyRow is a pay order that refunds touched, as the store accounts for
// it (docs/refund-sync.md): what was paid, what went back, what refunds in
// flight hold, and what a new refund may still take. The first three and
// the balance add up to the amount; that is the promise the table shows.
type moneyRow struct {
	OrderNo      string
	Amount       decimal.Decimal
	Refunded     decimal.Decimal // RefundedAmount
	Reserved     decimal.Decimal // ReservedAmount
	Refundable   decimal.Decimal // RefundableBalance()
	RefundStatus paysync.PayRefundStatus
	Refunds      []refundLine // in creation order
}

// refundLine is one refund of a pay order and the statuses it went through,
// from its adjust records.
type refundLine struct {
	paysync.RefundOrder
	Path []string // its status at creation, then after each change
}

// readRefund returns r with its path.
func readRefund(ctx context.Context, store repository.Store, r paysync.RefundOrder) (refundLine, error) {
	adjusts, err := store.ListAdjustRecords(ctx, repository.RecordFilter{TradeType: paysync.TradeRefund, TradeNo: r.RefundNo})
	if err != nil {
		return refundLine{}, err
	}
	l := refundLine{RefundOrder: r, Path: []string{string(paysync.RefundProgress)}} // CreateRefund's status
	for _, a := range adjusts {
		l.Path = append(l.Path, a.After)
	}
	return l, nil
}

// byRefunds returns what the order's refund orders account for: those in
// success went back, those in progress or fail hold a reservation.
func (r moneyRow) byRefunds() (refunded, reserved decimal.Decimal) {
	for _, rf := range r.Refunds {
		switch rf.Status {
		case paysync.RefundSuccess:
			refunded = refunded.Add(rf.Amount)
		case paysync.RefundProgress, paysync.RefundFail:
			reserved = reserved.Add(rf.Amount)
		}
	}
	return refunded, reserved
}

// unbooked is money the order says went back that no refund order here
// accounts for: what the channel reported refunded before any refund order
// existed (pay-sync.md, footnote 3). A person places it.
func (r moneyRow) unbooked() decimal.Decimal {
	refunded, _ := r.byRefunds()
	return r.Refunded.Sub(refunded)
}

// tallyMoney returns a row for every pay order with a refund, or with money
// refunded or reserved, in number order.
func tallyMoney(ctx context.Context, store repository.Store) ([]moneyRow, error) {
	withRefunds, err := refundedOrders(ctx, store)
	if err != nil {
		return nil, err
	}
	orders, err := listOrders(ctx, store, paysync.TradePay)
	if err != nil {
		return nil, err
	}
	var rows []moneyRow
	for _, s := range orders {
		o, err := store.GetPayOrder(ctx, s.TradeNo)
		if err != nil {
			return nil, err
		}
		if !withRefunds[o.OrderNo] && o.RefundedAmount.IsZero() && o.ReservedAmount.IsZero() {
			continue
		}
		refunds, err := store.ListRefundOrders(ctx, o.OrderNo)
		if err != nil {
			return nil, err
		}
		status := o.RefundStatus
		if status == "" {
			status = paysync.PayRefundNone
		}
		row := moneyRow{OrderNo: o.OrderNo, Amount: o.Amount, Refunded: o.RefundedAmount,
			Reserved: o.ReservedAmount, Refundable: o.RefundableBalance(), RefundStatus: status}
		for _, r := range refunds {
			l, err := readRefund(ctx, store, r)
			if err != nil {
				return nil, err
			}
			row.Refunds = append(row.Refunds, l)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// refundedOrders returns the pay orders that refund orders return money
// from. A shop has far fewer refunds than pay orders, so the refunds are
// read rather than every pay order's list of them.
func refundedOrders(ctx context.Context, store repository.Store) (map[string]bool, error) {
	refunds, err := listOrders(ctx, store, paysync.TradeRefund)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(refunds))
	for _, s := range refunds {
		r, err := store.GetRefundOrder(ctx, s.TradeNo)
		if err != nil {
			return nil, err
		}
		out[r.OrderNo] = true
	}
	return out, nil
}

// moneyTotal adds up rows.
func moneyTotal(rows []moneyRow) moneyRow {
	var t moneyRow
	for _, r := range rows {
		t.Amount = t.Amount.Add(r.Amount)
		t.Refunded = t.Refunded.Add(r.Refunded)
		t.Reserved = t.Reserved.Add(r.Reserved)
		t.Refundable = t.Refundable.Add(r.Refundable)
		t.Refunds = append(t.Refunds, r.Refunds...)
	}
	return t
}
