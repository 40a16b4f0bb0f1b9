package alipay

import (
	"context"
	"errors"
	"fmt"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	sdk "github.com/smartwalle/alipay/v3"
)

// QueryRefund asks Alipay for the refund whose out_request_no is
// refund.RefundNo, of the trade whose out_trade_no is refund.OrderNo
// (alipay.trade.fastpay.refund.query, asking for gmt_refund_pay).
//
// It returns a report by the table of docs/channel.md: refund_status
// REFUND_SUCCESS → success, with Amount its refund_amount (this refund's,
// not the trade's total) and FinishedAt gmt_refund_pay; an answer without
// refund_status → not_found (Alipay has not executed the refund: it was not
// received, or it failed). RefundNo is out_request_no. OutRefundNo stays
// empty: Alipay gives a refund no number of its own, and its trade_no is the
// payment's.
//
// Errors (unknown, the refund must not change): one wrapping
// channel.ErrRateLimited for 40005 or HTTP 429; one wrapping *GatewayError
// for any business failure — ACQ.TRADE_NOT_EXIST included: a refund of a
// trade Alipay does not know is a question for a person, not a "not found"
// to close — and for any failure that is not signed; one for an answer
// whose signature does not verify, that is not JSON, that belongs to
// another trade, whose refund_status is unknown, or that reports success
// without out_request_no or refund_amount; ctx's error when ctx ends first.
func (c *Channel) QueryRefund(ctx context.Context, refund paysync.RefundOrder) (channel.RefundReport, error) {
	fail := func(err error) (channel.RefundReport, error) {
		return channel.RefundReport{}, fmt.Errorf("alipay: query refund %s: %w", refund.RefundNo, err)
	}
	ctx, x := recording(ctx)
	rsp, err := c.client.TradeFastPayRefundQuery(ctx, sdk.TradeFastPayRefundQuery{
		OutTradeNo:   refund.OrderNo,
		OutRequestNo: refund.RefundNo,
		// Alipay returns gmt_refund_pay only when asked for it.
		QueryOptions: []string{"gmt_refund_pay"},
	})
	switch {
	case err != nil:
		return fail(refusal(err))
	case rsp == nil:
		return fail(errEmpty)
	case rsp.Code != sdk.CodeSuccess:
		return fail(failure(rsp.Error, true))
	case rsp.OutTradeNo != "" && rsp.OutTradeNo != refund.OrderNo:
		return fail(fmt.Errorf("answer is for out_trade_no %q, the refund belongs to %q", rsp.OutTradeNo, refund.OrderNo))
	}
	rep := channel.RefundReport{RefundNo: rsp.OutRequestNo, Raw: x.body}
	switch rsp.RefundStatus {
	case "":
		rep.State = channel.RefundNotFound
		return rep, nil
	case "REFUND_SUCCESS":
		rep.State = channel.RefundSuccess
	default:
		return fail(fmt.Errorf("unknown refund_status %q", rsp.RefundStatus))
	}
	if rsp.OutRequestNo == "" || rsp.RefundAmount == "" {
		return fail(errors.New("REFUND_SUCCESS without out_request_no or refund_amount"))
	}
	if rep.Amount, err = yuan(rsp.RefundAmount); err != nil {
		return fail(err)
	}
	if rep.FinishedAt, err = when(rsp.GMTRefundPay); err != nil {
		return fail(err)
	}
	return rep, nil
}
