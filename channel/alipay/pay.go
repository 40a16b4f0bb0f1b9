package alipay

import (
	"context"
	"errors"
	"fmt"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	sdk "github.com/smartwalle/alipay/v3"
)

// QueryPay asks Alipay for the trade whose out_trade_no is order.OrderNo
// (alipay.trade.query).
//
// It returns a report by the table of docs/channel.md: TRADE_SUCCESS,
// TRADE_FINISHED → success; WAIT_BUYER_PAY → progress; TRADE_CLOSED without
// send_pay_date → closed; TRADE_CLOSED with send_pay_date → refunded (Alipay
// closes a paid trade only once all of it is refunded, so RefundedAmount is
// its total_amount); a signed ACQ.TRADE_NOT_EXIST → not_found_unknown
// (Alipay creates the trade only when the payer acts). Amount is
// total_amount, OutOrderNo trade_no, PaidAt send_pay_date, Raw the bytes
// Alipay sent.
//
// Errors (the answer is unknown, the order must not change): one wrapping
// channel.ErrRateLimited for code 40005 or HTTP 429; one wrapping
// *GatewayError for any other business failure, and for any failure that is
// not signed (error_response); one for an answer whose signature does not
// verify, that is not JSON, whose trade_status is missing or unknown, whose
// amount is not plain yuan, or that reports success without out_trade_no or
// total_amount; ctx's error when ctx ends first.
func (c *Channel) QueryPay(ctx context.Context, order paysync.PayOrder) (channel.PayReport, error) {
	fail := func(err error) (channel.PayReport, error) {
		return channel.PayReport{}, fmt.Errorf("alipay: query pay %s: %w", order.OrderNo, err)
	}
	ctx, x := recording(ctx)
	rsp, err := c.client.TradeQuery(ctx, sdk.TradeQuery{OutTradeNo: order.OrderNo})
	switch {
	case err != nil:
		return fail(refusal(err))
	case rsp == nil:
		return fail(errEmpty)
	case rsp.Code != sdk.CodeSuccess && rsp.SubCode == "ACQ.TRADE_NOT_EXIST":
		return channel.PayReport{State: channel.PayNotFoundUnknown, Raw: x.body}, nil
	case rsp.Code != sdk.CodeSuccess:
		return fail(failure(rsp.Error, true))
	}
	rep, err := trade{
		status:   string(rsp.TradeStatus),
		orderNo:  rsp.OutTradeNo,
		tradeNo:  rsp.TradeNo,
		total:    rsp.TotalAmount,
		currency: rsp.TransCurrency,
		paidAt:   rsp.SendPayDate,
	}.report(x.body)
	if err != nil {
		return fail(err)
	}
	return rep, nil
}

// trade is what a query answer and a payment notification say about a
// trade. paidAt is send_pay_date in a query, gmt_payment in a notification.
type trade struct {
	status, orderNo, tradeNo, total, currency, paidAt string
}

func (t trade) report(raw []byte) (channel.PayReport, error) {
	rep := channel.PayReport{OrderNo: t.orderNo, OutOrderNo: t.tradeNo, Currency: t.currency, Raw: raw}
	switch t.status {
	case "TRADE_SUCCESS", "TRADE_FINISHED":
		rep.State = channel.PaySuccess
	case "WAIT_BUYER_PAY":
		rep.State = channel.PayProgress
	case "TRADE_CLOSED":
		rep.State = channel.PayClosed
		if t.paidAt != "" {
			rep.State = channel.PayRefunded
		}
	case "":
		return channel.PayReport{}, errors.New("answer has no trade_status")
	default:
		return channel.PayReport{}, fmt.Errorf("unknown trade_status %q", t.status)
	}
	if t.total != "" {
		var err error
		if rep.Amount, err = yuan(t.total); err != nil {
			return channel.PayReport{}, err
		}
	}
	// Money decisions rest on these: a success the engine cannot tie to
	// this order and its amount is not a success it may apply.
	if (rep.State == channel.PaySuccess || rep.State == channel.PayRefunded) && (t.orderNo == "" || t.total == "") {
		return channel.PayReport{}, fmt.Errorf("trade_status %s without out_trade_no or total_amount", t.status)
	}
	if rep.State == channel.PayRefunded {
		rep.RefundedAmount = rep.Amount
	}
	var err error
	if rep.PaidAt, err = when(t.paidAt); err != nil {
		return channel.PayReport{}, err
	}
	return rep, nil
}
