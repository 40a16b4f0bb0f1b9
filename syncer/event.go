package syncer

import (
	"encoding/json"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// payPayload is the JSON body of a pay order event: the order's state after
// the change, so a host can act without reading the order back.
type payPayload struct {
	OrderNo      string               `json:"orderNo"`
	BizOrderNo   string               `json:"bizOrderNo"`
	OutOrderNo   string               `json:"outOrderNo,omitempty"`
	Channel      string               `json:"channel"`
	Amount       decimal.Decimal      `json:"amount"`
	Currency     string               `json:"currency"`
	Status       paysync.PayStatus    `json:"status"`
	RefundStatus paysync.RefundStatus `json:"refundStatus"`
	PaidAt       *time.Time           `json:"paidAt,omitempty"`
	ClosedAt     *time.Time           `json:"closedAt,omitempty"`
	Anomaly      paysync.AnomalyCode  `json:"anomaly,omitempty"`
}

func (s *Syncer) payEvent(o *paysync.PayOrder, t paysync.EventType, code paysync.AnomalyCode, now time.Time) paysync.Event {
	p := payPayload{OrderNo: o.OrderNo, BizOrderNo: o.BizOrderNo, OutOrderNo: o.OutOrderNo, Channel: o.Channel,
		Amount: o.Amount, Currency: o.CurrencyOrDefault(), Status: o.Status, RefundStatus: o.RefundStatus, Anomaly: code}
	if p.RefundStatus == "" {
		p.RefundStatus = paysync.RefundNone
	}
	if !o.PaidAt.IsZero() {
		p.PaidAt = &o.PaidAt
	}
	if !o.ClosedAt.IsZero() {
		p.ClosedAt = &o.ClosedAt
	}
	b, err := json.Marshal(p)
	if err != nil { // cannot happen for this struct; keep the event, say why
		b = []byte(`{"orderNo":` + quote(o.OrderNo) + `}`)
	}
	return paysync.Event{ID: s.newID(), Type: t, TradeType: paysync.TradePay, TradeNo: o.OrderNo, Payload: b, CreatedAt: now}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
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
