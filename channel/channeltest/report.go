package channeltest

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/shopspring/decimal"
)

// Report returns a report in state for order, as a channel that recorded the
// order faithfully would give it: OrderNo, Amount and Currency (the default
// currency when the order's is empty) copied from order; OutOrderNo the
// order's own, and for a trade that took money (PaySuccess, PayRefunded)
// "out-" + OrderNo when it has none, as a channel numbers a payment;
// RefundedAmount, PaidAt and Raw left zero.
func Report(order paysync.PayOrder, state channel.PayState) channel.PayReport {
	r := channel.PayReport{
		State:      state,
		OrderNo:    order.OrderNo,
		OutOrderNo: order.OutOrderNo,
		Amount:     order.Amount,
		Currency:   order.CurrencyOrDefault(),
	}
	if r.OutOrderNo == "" && (state == channel.PaySuccess || state == channel.PayRefunded) {
		r.OutOrderNo = "out-" + order.OrderNo
	}
	return r
}

// Paid is Report(order, channel.PaySuccess). PaidAt is left zero (not
// reported); set it on the result when a test needs a payment time.
func Paid(order paysync.PayOrder) channel.PayReport { return Report(order, channel.PaySuccess) }

// Allocated returns an allocation report listing each receiver of order in
// state, with its type, account and amount; its OutDetailID, or
// AllocationNo + "-" + its index when it has none; for ReceiverFail an error
// code and message. FinishedAt and Raw are left zero.
func Allocated(order paysync.AllocationOrder, state channel.ReceiverState) channel.AllocationReport {
	rs := make([]channel.ReceiverReport, len(order.Receivers))
	for i, r := range order.Receivers {
		rs[i] = channel.ReceiverReport{
			ReceiverType: r.ReceiverType,
			Account:      r.Account,
			Amount:       r.Amount,
			OutDetailID:  r.OutDetailID,
			State:        state,
		}
		if rs[i].OutDetailID == "" {
			rs[i].OutDetailID = order.AllocationNo + "-" + strconv.Itoa(i)
		}
		if state == channel.ReceiverFail {
			rs[i].ErrorCode = "TEST_FAIL"
			rs[i].ErrorMsg = "failed by channeltest"
		}
	}
	return channel.AllocationReport{Receivers: rs}
}

// withRaw returns r with a Raw of its own: a copy of the caller's, or a JSON
// rendering when it has none. Built once when scripting, so answers share it.
func withRaw(r channel.PayReport) channel.PayReport {
	if r.Raw != nil {
		r.Raw = bytes.Clone(r.Raw)
		return r
	}
	r.Raw = renderJSON(struct {
		OrderNo    string `json:"order_no,omitempty"`
		OutOrderNo string `json:"out_order_no,omitempty"`
		State      string `json:"state"`
		Amount     string `json:"amount,omitempty"`
		Currency   string `json:"currency,omitempty"`
	}{r.OrderNo, r.OutOrderNo, string(r.State), decimalText(r.Amount), r.Currency})
	return r
}

// decimalText leaves an unreported (zero) amount out of Raw.
func decimalText(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// withAllocationRaw is withRaw for an allocation report, also copying
// Receivers so the caller's slice is not shared.
func withAllocationRaw(allocationNo string, r channel.AllocationReport) channel.AllocationReport {
	r.Receivers = cloneReceivers(r.Receivers)
	if r.Raw != nil {
		r.Raw = bytes.Clone(r.Raw)
		return r
	}
	type receiver struct {
		Type        string `json:"type"`
		Account     string `json:"account"`
		Amount      string `json:"amount"`
		OutDetailID string `json:"detail_id,omitempty"`
		State       string `json:"state"`
	}
	rs := make([]receiver, len(r.Receivers))
	for i, x := range r.Receivers {
		rs[i] = receiver{x.ReceiverType, x.Account, x.Amount.String(), x.OutDetailID, string(x.State)}
	}
	r.Raw = renderJSON(struct {
		AllocationNo string     `json:"allocation_no"`
		Receivers    []receiver `json:"receivers"`
	}{allocationNo, rs})
	return r
}

// cloneReceivers copies rs; nil stays nil.
func cloneReceivers(rs []channel.ReceiverReport) []channel.ReceiverReport {
	if rs == nil {
		return nil
	}
	return append([]channel.ReceiverReport(nil), rs...)
}

// renderJSON marshals v, whose fields are all strings, so it cannot fail; an
// error would only drop Raw, never stop a test.
func renderJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
