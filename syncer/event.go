package syncer

import (
	"encoding/json"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// payEvent builds an event about pay order o in memory of its own.
func (s *Syncer) payEvent(o *paysync.PayOrder, t paysync.EventType, code paysync.AnomalyCode, now time.Time) paysync.Event {
	_, ev := s.appendPayEvent(make([]byte, 0, 256), o, t, code, now)
	return ev
}

// appendPayEvent builds an event about pay order o with its payload appended
// to buf, and returns the grown buf and the event. The event's Payload is
// the appended part, capped, so later appends to buf never write into it.
//
// The payload is the order's state after the change, so a host can act
// without reading the order back: {"orderNo","bizOrderNo","outOrderNo"?,
// "channel","amount","currency","status","refundStatus","paidAt"?,
// "closedAt"?,"anomaly"?}. It is written by hand (json.go) rather than by
// encoding/json: on the adjust path the reflection cost more than the rest
// of the commit (see BENCHMARKS.md); a test holds it equal to encoding/json's
// output.
func (s *Syncer) appendPayEvent(buf []byte, o *paysync.PayOrder, t paysync.EventType, code paysync.AnomalyCode, now time.Time) ([]byte, paysync.Event) {
	refund := o.RefundStatus
	if refund == "" {
		refund = paysync.PayRefundNone
	}
	start := len(buf)
	b := appendField(buf, '{', "orderNo", o.OrderNo)
	b = appendField(b, ',', "bizOrderNo", o.BizOrderNo)
	if o.OutOrderNo != "" {
		b = appendField(b, ',', "outOrderNo", o.OutOrderNo)
	}
	b = appendField(b, ',', "channel", o.Channel)
	b = appendAmount(append(b, `,"amount":`...), o.Amount)
	b = appendField(b, ',', "currency", o.CurrencyOrDefault())
	b = appendField(b, ',', "status", string(o.Status))
	b = appendField(b, ',', "refundStatus", string(refund))
	b = appendTime(b, "paidAt", o.PaidAt)
	b = appendTime(b, "closedAt", o.ClosedAt)
	if code != "" {
		b = appendField(b, ',', "anomaly", string(code))
	}
	b = append(b, '}')
	return b, paysync.Event{ID: s.newID(), Type: t, TradeType: paysync.TradePay, TradeNo: o.OrderNo,
		Payload: b[start:len(b):len(b)], CreatedAt: now}
}

// allocPayload is the JSON body of an allocation order event.
type allocPayload struct {
	AllocationNo    string                   `json:"allocationNo"`
	BizAllocationNo string                   `json:"bizAllocationNo"`
	OrderNo         string                   `json:"orderNo"`
	Channel         string                   `json:"channel"`
	Amount          decimal.Decimal          `json:"amount"`
	Status          paysync.AllocationStatus `json:"status"`
	Result          paysync.AllocationResult `json:"result"`
	ReceiverNo      string                   `json:"receiverNo,omitempty"`
	ReceiverResult  paysync.ReceiverResult   `json:"receiverResult,omitempty"`
	Anomaly         paysync.AnomalyCode      `json:"anomaly,omitempty"`
}

func (s *Syncer) allocEvent(o *paysync.AllocationOrder, t paysync.EventType, receiverNo string, code paysync.AnomalyCode, now time.Time) paysync.Event {
	p := allocPayload{AllocationNo: o.AllocationNo, BizAllocationNo: o.BizAllocationNo, OrderNo: o.OrderNo,
		Channel: o.Channel, Amount: o.Amount, Status: o.Status, Result: o.Result, ReceiverNo: receiverNo, Anomaly: code}
	for _, r := range o.Receivers {
		if receiverNo != "" && r.ReceiverNo == receiverNo {
			p.ReceiverResult = r.Result
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		b = []byte(`{"allocationNo":` + quote(o.AllocationNo) + `}`)
	}
	return paysync.Event{ID: s.newID(), Type: t, TradeType: paysync.TradeAllocation, TradeNo: o.AllocationNo, Payload: b, CreatedAt: now}
}
