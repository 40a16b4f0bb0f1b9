package main

import "github.com/paysync/paysync"

// wayHint says what a change of way w means.
func wayHint(w paysync.AdjustWay) string {
	switch w {
	case paysync.WayPaySuccess:
		return "the channel has the payer's money: the order is paid"
	case paysync.WayPayCloseGateway:
		return "expired unpaid: closed at the channel first, then here"
	case paysync.WayPayCloseLocal:
		return "the channel had closed the trade already"
	case paysync.WayPayProgress:
		return "the trade is open at the channel: the order was sent after all"
	case paysync.WayPayCancel, paysync.WayPayFail:
		return "the channel cancelled or failed the trade"
	case paysync.WayAllocStatus:
		return "the split's status follows its receivers' results"
	case paysync.WayAllocReceiver:
		return "the channel settled one receiver's share"
	case paysync.WayRefundSuccess:
		return "the channel paid the money back to the buyer"
	case paysync.WayRefundClose:
		return "no money moved: the channel closed it, or never got it within the grace time"
	case paysync.WayRefundFail:
		return "the channel failed the refund: the host sends it again"
	case paysync.WayRefundProgress, paysync.WayTransferProgress:
		return "the channel is working on it after all"
	case paysync.WayTransferSuccess:
		return "the payee has the money"
	case paysync.WayTransferFail:
		return "the channel refused the payee"
	case paysync.WayTransferClose:
		return "the channel closed the payout: no money moved"
	case paysync.WayManual:
		return "a person's repair"
	}
	return ""
}

// anomalyHint says what a person checks for an anomaly of code c.
func anomalyHint(c paysync.AnomalyCode) string {
	switch c {
	case paysync.AnomalyAmountMismatch:
		return "the channel recorded another amount: hold the goods"
	case paysync.AnomalyCurrencyMismatch:
		return "the channel recorded another currency: do not ship"
	case paysync.AnomalyTradeMismatch:
		return "the channel answered for another trade: check the adapter"
	case paysync.AnomalyRefundAtChannel:
		return "refunded at the channel: ship nothing, book the refund"
	case paysync.AnomalyPaidNotPaidAtChannel:
		return "paid here, not there: stop delivery, ask the channel"
	case paysync.AnomalyRefundStatusConflict:
		return "refund under way here, the channel disagrees: refund sync's case"
	case paysync.AnomalyCloseUnsupported:
		return "expired, but the channel cannot close: close it by hand"
	case paysync.AnomalyRefundNotAtChannel:
		return "refunded here, denied there: ask the channel"
	case paysync.AnomalyTransferNotAtChannel:
		return "a payout the channel does not know: never resend it blind"
	case paysync.AnomalyOverRefunded:
		return "more went back than was paid: recover the money"
	}
	return "see the order's sync records"
}

// eventHint says what a host does with an event of type t.
func eventHint(t paysync.EventType) string {
	switch t {
	case paysync.EventPaySuccess:
		return "ship the goods, unless refundStatus says the money went back"
	case paysync.EventPayClosed:
		return "release the reserved stock"
	case paysync.EventPayCancelled:
		return "release the reserved stock"
	case paysync.EventPayFailed:
		return "tell the buyer the payment failed"
	case paysync.EventPayProgress:
		return "nothing yet: the trade is open at the channel"
	case paysync.EventPayPaidAfterClose:
		return "money after close: deliver after all, or refund"
	case paysync.EventAllocationEnd:
		return "the split is settled: post it to the ledger"
	case paysync.EventAllocationProcess:
		return "the split is under way after all"
	case paysync.EventAllocReceiver:
		return "one share is final: tell its receiver"
	case paysync.EventRefundCreated:
		return "nothing: CreateRefund reserved the amount; now send the refund"
	case paysync.EventRefundSuccess:
		return "the money is back with the buyer: tell them"
	case paysync.EventRefundClosed:
		return "no money moved: the refundable balance is free again"
	case paysync.EventRefundFailed:
		return "send the refund again, or ask a person"
	case paysync.EventRefundSuccessAfterClose:
		return "money left after the refund was closed: do not refund it twice"
	case paysync.EventTransferSuccess:
		return "the payee has the money: mark the commission paid"
	case paysync.EventTransferFailed:
		return "the channel refused the payee: fix the account, pay again"
	case paysync.EventTransferClosed:
		return "no money moved"
	case paysync.EventTransferSuccessAfterClose:
		return "a payout closed here was paid after all: do not pay it twice"
	case paysync.EventPayAnomaly, paysync.EventAllocationAnomaly, paysync.EventRefundAnomaly, paysync.EventTransferAnomaly:
		return "open a case for a person (once per order and code)"
	case paysync.EventSyncExhausted:
		return "the schedule ran out: a person looks"
	}
	return ""
}
