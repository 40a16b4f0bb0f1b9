package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/refunddomestic"
)

// QueryRefund asks WeChat Pay for the refund whose out_refund_no is
// refund.RefundNo (GET /v3/refund/domestic/refunds/{out_refund_no}).
//
// It returns a report by the table of docs/channel.md: SUCCESS → success;
// PROCESSING → progress; CLOSED → closed; ABNORMAL → failed (ErrorCode
// ABNORMAL: the money is stuck, a person must act at WeChat); a signed
// RESOURCE_NOT_EXISTS answer → not_found. RefundNo is out_refund_no,
// OutRefundNo the refund's own refund_id (never the payment's
// transaction_id), Amount amount.refund — this refund's money, not the
// trade's total — in yuan, FinishedAt success_time.
//
// Errors (unknown, the refund must not change): one wrapping
// channel.ErrRateLimited for FREQUENCY_LIMITED or HTTP 429; one wrapping
// *GatewayError for any other error answer, and for a "not found" whose
// signature does not verify; one for an answer whose signature does not
// verify, whose body does not parse, whose status is missing or unknown,
// that belongs to another pay order than refund.OrderNo, or that reports
// success without out_refund_no or amount.refund; ctx's error when ctx
// ends first.
func (c *Channel) QueryRefund(ctx context.Context, refund paysync.RefundOrder) (channel.RefundReport, error) {
	fail := func(err error) (channel.RefundReport, error) {
		return channel.RefundReport{}, fmt.Errorf("wechatpay: query refund %s: %w", refund.RefundNo, err)
	}
	r, res, err := c.refunds.QueryByOutRefundNo(ctx, refunddomestic.QueryByOutRefundNoRequest{
		OutRefundNo: core.String(refund.RefundNo),
	})
	if err != nil {
		ge, raw, err := c.refusal(ctx, err, res)
		switch {
		case err != nil:
			return fail(err)
		case ge.Code == "RESOURCE_NOT_EXISTS":
			return channel.RefundReport{State: channel.RefundNotFound, Raw: raw}, nil
		default:
			return fail(ge)
		}
	}
	if r.OutTradeNo != nil && refund.OrderNo != "" && *r.OutTradeNo != refund.OrderNo {
		return fail(fmt.Errorf("answer is for pay order %q, the refund belongs to %q", *r.OutTradeNo, refund.OrderNo))
	}
	if r.Status == nil {
		return fail(errors.New("answer has no status"))
	}
	n := refundFacts{
		Status:      string(*r.Status),
		OutRefundNo: r.OutRefundNo,
		RefundID:    r.RefundId,
		SuccessTime: r.SuccessTime,
	}
	if r.Amount != nil {
		n.Refund, n.Currency = r.Amount.Refund, r.Amount.Currency
	}
	rep, err := n.report(body(res))
	if err != nil {
		return fail(err)
	}
	return rep, nil
}

// refundFacts are what a refund query and a refund notification share.
type refundFacts struct {
	Status      string
	OutRefundNo *string
	RefundID    *string
	Refund      *int64  // amount.refund, fen
	Currency    *string // nil: not reported (notifications never do)
	SuccessTime *time.Time
}

func (n refundFacts) report(raw []byte) (channel.RefundReport, error) {
	rep := channel.RefundReport{Raw: raw}
	switch n.Status {
	case "SUCCESS":
		rep.State = channel.RefundSuccess
	case "PROCESSING":
		rep.State = channel.RefundProgress
	case "CLOSED":
		rep.State = channel.RefundClosed
	case "ABNORMAL":
		rep.State = channel.RefundFailed
		rep.ErrorCode = "ABNORMAL"
		rep.ErrorMsg = "退款异常：用户账户异常或已注销，需在商户平台处理"
	default:
		return channel.RefundReport{}, fmt.Errorf("unknown refund status %q", n.Status)
	}
	if n.OutRefundNo != nil {
		rep.RefundNo = *n.OutRefundNo
	}
	if n.RefundID != nil {
		rep.OutRefundNo = *n.RefundID
	}
	if n.Refund != nil {
		var err error
		if rep.Amount, rep.Currency, err = amount(*n.Refund, n.Currency); err != nil {
			return channel.RefundReport{}, err
		}
	}
	if rep.State == channel.RefundSuccess && (rep.RefundNo == "" || n.Refund == nil) {
		return channel.RefundReport{}, errors.New("refund SUCCESS without out_refund_no or amount.refund")
	}
	if n.SuccessTime != nil && !n.SuccessTime.IsZero() {
		rep.FinishedAt = n.SuccessTime.UTC()
	}
	return rep, nil
}
