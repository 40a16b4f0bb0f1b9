package channeltest

import (
	"bytes"
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// QueryTransfer answers the truth scripted for transfer.TransferNo. A
// transfer never scripted is one the channel received and is still paying:
// TransferAnswer(transfer, TransferProgress) as first asked, kept from then
// on. Its failures are those of QueryRefund, scripted by FailTransferNext
// and TimeoutTransferNext.
func (c *Channel) QueryTransfer(ctx context.Context, transfer paysync.TransferOrder) (channel.TransferReport, error) {
	c.transferQueries.Add(1)
	err := c.admit(ctx, "channeltest.QueryTransfer")
	return respond(c, ctx, err, c.transfers, transfer.TransferNo, func() channel.TransferReport {
		return withTransferRaw(TransferAnswer(transfer, channel.TransferProgress))
	})
}

// TransferAnswer returns a report in state for transfer, as a channel that
// recorded it faithfully would give it: TransferNo, Amount, Currency (the
// default when empty), PayeeType and PayeeAccount copied; OutTransferNo the
// transfer's own, or "out-" + TransferNo; for TransferFailed an error code
// and message. FinishedAt and Raw are left zero.
func TransferAnswer(transfer paysync.TransferOrder, state channel.TransferState) channel.TransferReport {
	r := channel.TransferReport{State: state, TransferNo: transfer.TransferNo, OutTransferNo: transfer.OutTransferNo,
		Amount: transfer.Amount, Currency: transfer.CurrencyOrDefault(), PayeeType: transfer.PayeeType,
		PayeeAccount: transfer.PayeeAccount}
	if r.OutTransferNo == "" {
		r.OutTransferNo = "out-" + transfer.TransferNo
	}
	if state == channel.TransferFailed {
		r.ErrorCode, r.ErrorMsg = "TEST_FAIL", "failed by channeltest"
	}
	return r
}

// SetTransfer makes r the truth for transferNo from now on and drops
// scheduled changes; Raw is handled as by SetRefund.
func (c *Channel) SetTransfer(transferNo string, r channel.TransferReport) {
	r = withTransferRaw(r)
	c.mu.Lock()
	c.transfers.of(transferNo).set(r)
	c.mu.Unlock()
}

// SetTransferAfter schedules r as the truth for transferNo once the channel
// has answered k more queries about it; k <= 0 means the next query.
func (c *Channel) SetTransferAfter(transferNo string, k int, r channel.TransferReport) {
	r = withTransferRaw(r)
	c.mu.Lock()
	c.transfers.of(transferNo).after(k, r)
	c.mu.Unlock()
}

// SetTransferAt schedules r as the truth for transferNo from time at on, by
// Config.Clock.
func (c *Channel) SetTransferAt(transferNo string, at time.Time, r channel.TransferReport) {
	r = withTransferRaw(r)
	c.mu.Lock()
	c.transfers.of(transferNo).at(at, r)
	c.mu.Unlock()
}

// TransferTruth returns the report QueryTransfer would answer for
// transferNo now, without counting a query, and true; or false when the
// channel has no truth for it yet.
func (c *Channel) TransferTruth(transferNo string) (channel.TransferReport, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.transfers.peek(transferNo, c.cfg.Clock.Now)
}

// FailTransferNext makes the next n QueryTransfer calls for transferNo that
// pass the rate limit and random faults fail with err wrapped together with
// ErrInjected. n <= 0 does nothing.
func (c *Channel) FailTransferNext(transferNo string, n int, err error) {
	err = injected("transfer", transferNo, err)
	c.mu.Lock()
	c.transfers.of(transferNo).inject(n, err)
	c.mu.Unlock()
}

// TimeoutTransferNext makes the next n QueryTransfer calls for transferNo
// hang until their ctx is done. n <= 0 does nothing.
func (c *Channel) TimeoutTransferNext(transferNo string, n int) {
	c.mu.Lock()
	c.transfers.of(transferNo).inject(n, nil)
	c.mu.Unlock()
}

// TransferQueries returns how many QueryTransfer calls were made for
// transferNo, whatever their outcome.
func (c *Channel) TransferQueries(transferNo string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.transfers.calls(transferNo)
}

// withTransferRaw is withRefundRaw for a transfer report.
func withTransferRaw(r channel.TransferReport) channel.TransferReport {
	if r.Raw != nil {
		r.Raw = bytes.Clone(r.Raw)
		return r
	}
	r.Raw = renderJSON(struct {
		TransferNo    string `json:"transfer_no,omitempty"`
		OutTransferNo string `json:"out_transfer_no,omitempty"`
		State         string `json:"state"`
		Amount        string `json:"amount,omitempty"`
		Currency      string `json:"currency,omitempty"`
		PayeeType     string `json:"payee_type,omitempty"`
		PayeeAccount  string `json:"payee_account,omitempty"`
		ErrorCode     string `json:"error_code,omitempty"`
	}{r.TransferNo, r.OutTransferNo, string(r.State), decimalText(r.Amount), r.Currency, r.PayeeType, r.PayeeAccount,
		r.ErrorCode})
	return r
}
