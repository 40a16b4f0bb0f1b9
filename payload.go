package paysync

import "time"

// Event payloads: what an outbox event carries, one exported type per kind of
// order, marshalled with encoding/json, so a host decodes what it receives
// into the same type instead of guessing field names. Each is the order's
// state after the change the event announces. Money is a string at the
// currency's minor-unit scale ("10.00"), always beside its currency, written
// by FormatAmount so that no package setting of decimal can change it.
//
// Anomaly events (pay.anomaly, …) carry the code that opened in Anomaly;
// anomaly.resolved carries the code, the person (Operator) and their words
// (RepairReason); a person's repair also names them on its status event.

// PayPayload is the payload of pay.* events and of sync.exhausted and
// anomaly events about a pay order.
type PayPayload struct {
	OrderNo           string          `json:"orderNo"`
	BizOrderNo        string          `json:"bizOrderNo"`
	OutOrderNo        string          `json:"outOrderNo,omitempty"`
	Channel           string          `json:"channel"`
	Amount            string          `json:"amount"`
	Currency          string          `json:"currency"`
	Status            PayStatus       `json:"status"`
	RefundStatus      PayRefundStatus `json:"refundStatus"`
	RefundedAmount    string          `json:"refundedAmount"`
	ReservedAmount    string          `json:"reservedAmount"`
	RefundableBalance string          `json:"refundableBalance"`
	PaidAt            time.Time       `json:"paidAt,omitzero"`
	ClosedAt          time.Time       `json:"closedAt,omitzero"`
	Anomaly           AnomalyCode     `json:"anomaly,omitempty"`
	Operator          string          `json:"operator,omitempty"`
	RepairReason      string          `json:"repairReason,omitempty"`
}

// NewPayPayload returns o's payload.
func NewPayPayload(o PayOrder) PayPayload {
	cur := o.CurrencyOrDefault()
	refund := o.RefundStatus
	if refund == "" {
		refund = PayRefundNone
	}
	return PayPayload{OrderNo: o.OrderNo, BizOrderNo: o.BizOrderNo, OutOrderNo: o.OutOrderNo, Channel: o.Channel,
		Amount: FormatAmount(o.Amount, cur), Currency: cur, Status: o.Status, RefundStatus: refund,
		RefundedAmount: FormatAmount(o.RefundedAmount, cur), ReservedAmount: FormatAmount(o.ReservedAmount, cur),
		RefundableBalance: FormatAmount(o.RefundableBalance(), cur), PaidAt: o.PaidAt, ClosedAt: o.ClosedAt}
}

// AllocationPayload is the payload of allocation.* events and of
// sync.exhausted and anomaly events about an allocation order.
// allocation.receiver names the receiver whose result became final.
type AllocationPayload struct {
	AllocationNo    string           `json:"allocationNo"`
	BizAllocationNo string           `json:"bizAllocationNo"`
	OutAllocationNo string           `json:"outAllocationNo,omitempty"`
	OrderNo         string           `json:"orderNo"`
	Channel         string           `json:"channel"`
	Amount          string           `json:"amount"`
	Currency        string           `json:"currency"`
	Status          AllocationStatus `json:"status"`
	Result          AllocationResult `json:"result"`
	FinishedAt      time.Time        `json:"finishedAt,omitzero"`
	ReceiverNo      string           `json:"receiverNo,omitempty"`
	ReceiverResult  ReceiverResult   `json:"receiverResult,omitempty"`
	Anomaly         AnomalyCode      `json:"anomaly,omitempty"`
	Operator        string           `json:"operator,omitempty"`
	RepairReason    string           `json:"repairReason,omitempty"`
}

// NewAllocationPayload returns o's payload; with receiverNo, the payload
// names that receiver and its result.
func NewAllocationPayload(o AllocationOrder, receiverNo string) AllocationPayload {
	cur := o.CurrencyOrDefault()
	p := AllocationPayload{AllocationNo: o.AllocationNo, BizAllocationNo: o.BizAllocationNo,
		OutAllocationNo: o.OutAllocationNo, OrderNo: o.OrderNo, Channel: o.Channel,
		Amount: FormatAmount(o.Amount, cur), Currency: cur, Status: o.Status, Result: o.Result,
		FinishedAt: o.FinishedAt, ReceiverNo: receiverNo}
	for _, r := range o.Receivers {
		if receiverNo != "" && r.ReceiverNo == receiverNo {
			p.ReceiverResult = r.Result
		}
	}
	return p
}

// RefundPayload is the payload of refund.* events and of sync.exhausted
// and anomaly events about a refund. It carries the pay order's refund
// fields after the change, so a host knows what is left to refund.
type RefundPayload struct {
	RefundNo          string            `json:"refundNo"`
	BizRefundNo       string            `json:"bizRefundNo"`
	OutRefundNo       string            `json:"outRefundNo,omitempty"`
	OrderNo           string            `json:"orderNo"`
	Channel           string            `json:"channel"`
	Amount            string            `json:"amount"`
	Currency          string            `json:"currency"`
	Status            RefundOrderStatus `json:"status"`
	Reason            string            `json:"reason,omitempty"`
	FinishedAt        time.Time         `json:"finishedAt,omitzero"`
	ErrorCode         string            `json:"errorCode,omitempty"`
	ErrorMsg          string            `json:"errorMsg,omitempty"`
	PayRefundStatus   PayRefundStatus   `json:"payRefundStatus"`
	RefundedAmount    string            `json:"refundedAmount"`
	ReservedAmount    string            `json:"reservedAmount"`
	RefundableBalance string            `json:"refundableBalance"`
	Anomaly           AnomalyCode       `json:"anomaly,omitempty"`
	Operator          string            `json:"operator,omitempty"`
	RepairReason      string            `json:"repairReason,omitempty"`
}

// NewRefundPayload returns r's payload with pay's refund fields.
func NewRefundPayload(r RefundOrder, pay PayOrder) RefundPayload {
	cur := r.CurrencyOrDefault()
	refund := pay.RefundStatus
	if refund == "" {
		refund = PayRefundNone
	}
	return RefundPayload{RefundNo: r.RefundNo, BizRefundNo: r.BizRefundNo, OutRefundNo: r.OutRefundNo,
		OrderNo: r.OrderNo, Channel: r.Channel, Amount: FormatAmount(r.Amount, cur), Currency: cur,
		Status: r.Status, Reason: r.Reason, FinishedAt: r.FinishedAt, ErrorCode: r.ErrorCode, ErrorMsg: r.ErrorMsg,
		PayRefundStatus: refund, RefundedAmount: FormatAmount(pay.RefundedAmount, cur),
		ReservedAmount: FormatAmount(pay.ReservedAmount, cur), RefundableBalance: FormatAmount(pay.RefundableBalance(), cur)}
}

// TransferPayload is the payload of transfer.* events and of sync.exhausted
// and anomaly events about a transfer.
type TransferPayload struct {
	TransferNo    string         `json:"transferNo"`
	BizTransferNo string         `json:"bizTransferNo"`
	OutTransferNo string         `json:"outTransferNo,omitempty"`
	Channel       string         `json:"channel"`
	Amount        string         `json:"amount"`
	Currency      string         `json:"currency"`
	PayeeType     string         `json:"payeeType"`
	PayeeAccount  string         `json:"payeeAccount"`
	PayeeName     string         `json:"payeeName,omitempty"`
	Status        TransferStatus `json:"status"`
	Reason        string         `json:"reason,omitempty"`
	FinishedAt    time.Time      `json:"finishedAt,omitzero"`
	ErrorCode     string         `json:"errorCode,omitempty"`
	ErrorMsg      string         `json:"errorMsg,omitempty"`
	Anomaly       AnomalyCode    `json:"anomaly,omitempty"`
	Operator      string         `json:"operator,omitempty"`
	RepairReason  string         `json:"repairReason,omitempty"`
}

// NewTransferPayload returns t's payload.
func NewTransferPayload(t TransferOrder) TransferPayload {
	cur := t.CurrencyOrDefault()
	return TransferPayload{TransferNo: t.TransferNo, BizTransferNo: t.BizTransferNo, OutTransferNo: t.OutTransferNo,
		Channel: t.Channel, Amount: FormatAmount(t.Amount, cur), Currency: cur, PayeeType: t.PayeeType,
		PayeeAccount: t.PayeeAccount, PayeeName: t.PayeeName, Status: t.Status, Reason: t.Reason,
		FinishedAt: t.FinishedAt, ErrorCode: t.ErrorCode, ErrorMsg: t.ErrorMsg}
}
