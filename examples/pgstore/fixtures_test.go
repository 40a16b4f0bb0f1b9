package pgstore_test

import (
	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
	"time"
)

// These builders make the orders and entries of pgstore's own tests, which
// do not depend on the conformance suite.

// refundOrder returns refund no of pay order orderNo: 2.00 in progress,
// created at t0.
func refundOrder(no, orderNo string) paysync.RefundOrder {
	return paysync.RefundOrder{RefundNo: no, BizRefundNo: "B" + no, OrderNo: orderNo, Channel: "wechat",
		Amount: decimal.RequireFromString("2.00"), Currency: "CNY", Status: paysync.RefundProgress,
		CreatedAt: t0, UpdatedAt: t0}
}

// reserve returns the change a new refund of amount makes on pay order o,
// read at o.Version.
func reserve(o paysync.PayOrder, amount string) repository.PayRefundChange {
	return repository.PayRefundChange{OrderNo: o.OrderNo, Version: o.Version, RefundedAmount: o.RefundedAmount,
		ReservedAmount: o.ReservedAmount.Add(decimal.RequireFromString(amount)),
		RefundStatus:   paysync.PayRefunding, UpdatedAt: t0.Add(time.Minute)}
}

// newEvent returns an undelivered event of type typ about tradeNo.
func newEvent(typ paysync.EventType, tradeType paysync.TradeType, tradeNo string) paysync.Event {
	return paysync.Event{ID: uuid.Must(uuid.NewV7()), Type: typ, TradeType: tradeType, TradeNo: tradeNo,
		Payload: []byte(`{}`), CreatedAt: t0}
}

// newSync returns a sync record of tradeNo.
func newSync(tradeType paysync.TradeType, tradeNo string) paysync.SyncRecord {
	return paysync.SyncRecord{ID: uuid.Must(uuid.NewV7()), TradeType: tradeType, TradeNo: tradeNo,
		Source: paysync.SourceSweep, CreatedAt: t0}
}

// sighting returns a sighting of code on pay order no at t0.
func sighting(no string, code paysync.AnomalyCode, opens bool) repository.AnomalySighting {
	return repository.AnomalySighting{TradeType: paysync.TradePay, TradeNo: no, Code: code, At: t0, Opens: opens}
}
