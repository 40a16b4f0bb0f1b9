package wechatpay

import (
	"context"
	"errors"
	"fmt"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/profitsharing"
)

// QueryAllocation asks WeChat Pay for the profit-sharing order whose
// out_order_no is order.AllocationNo, of the payment whose transaction_id is
// order.OutOrderNo (GET /v3/profitsharing/orders/{out_order_no}).
//
// Each receiver WeChat lists becomes a ReceiverReport: type (through
// Config.ReceiverTypes), account, amount in yuan, detail_id as OutDetailID,
// result PENDING → pending, SUCCESS → success, CLOSED → fail, fail_reason as
// ErrorCode with its meaning as ErrorMsg, finish_time as FinishedAt for a
// final result. The line WeChat adds when it unfreezes the rest of the money
// to the merchant itself (type MERCHANT_ID, account MchID) is not a receiver
// and is left out.
//
// Errors: one wrapping channel.ErrAllocationNotAtChannel for a signed
// RESOURCE_NOT_EXISTS answer; the others are unknown — one wrapping
// channel.ErrRateLimited for RATELIMIT_EXCEED or HTTP 429, one wrapping
// *GatewayError for any other error answer or one whose signature does not
// verify, one for an order without OutOrderNo (WeChat needs it), for an
// answer about another out_order_no or transaction_id, for a receiver with
// no amount or an unknown result; ctx's error when ctx ends first.
func (c *Channel) QueryAllocation(ctx context.Context, order paysync.AllocationOrder) (channel.AllocationReport, error) {
	fail := func(err error) (channel.AllocationReport, error) {
		return channel.AllocationReport{}, fmt.Errorf("wechatpay: query allocation %s: %w", order.AllocationNo, err)
	}
	if order.OutOrderNo == "" {
		return fail(errors.New("the allocation has no OutOrderNo (transaction_id), which WeChat requires"))
	}
	po, res, err := c.sharing.QueryOrder(ctx, profitsharing.QueryOrderRequest{
		OutOrderNo:    core.String(order.AllocationNo),
		TransactionId: core.String(order.OutOrderNo),
	})
	if err != nil {
		ge, _, err := c.refusal(ctx, err, res)
		switch {
		case err != nil:
			return fail(err)
		case ge.Code == "RESOURCE_NOT_EXISTS":
			return fail(fmt.Errorf("%w: %w", ge, channel.ErrAllocationNotAtChannel))
		default:
			return fail(ge)
		}
	}
	if po.OutOrderNo != nil && *po.OutOrderNo != order.AllocationNo {
		return fail(fmt.Errorf("answer is for out_order_no %q", *po.OutOrderNo))
	}
	if po.TransactionId != nil && *po.TransactionId != order.OutOrderNo {
		return fail(fmt.Errorf("answer is for transaction_id %q", *po.TransactionId))
	}
	rep := channel.AllocationReport{Raw: body(res)}
	for i, d := range po.Receivers {
		if c.unfreezeLine(d) {
			continue
		}
		r, err := c.receiver(d)
		if err != nil {
			return fail(fmt.Errorf("receivers[%d]: %w", i, err))
		}
		rep.Receivers = append(rep.Receivers, r)
	}
	return rep, nil
}

// unfreezeLine reports whether d is the money WeChat returns to the merchant
// itself when the rest of an order is unfrozen.
func (c *Channel) unfreezeLine(d profitsharing.OrderReceiverDetail) bool {
	return d.Type != nil && *d.Type == profitsharing.RECEIVERTYPE_MERCHANT_ID &&
		d.Account != nil && *d.Account == c.cfg.MchID
}

func (c *Channel) receiver(d profitsharing.OrderReceiverDetail) (channel.ReceiverReport, error) {
	if d.Result == nil {
		return channel.ReceiverReport{}, errors.New("no result")
	}
	var r channel.ReceiverReport
	switch *d.Result {
	case profitsharing.DETAILSTATUS_PENDING:
		r.State = channel.ReceiverPending
	case profitsharing.DETAILSTATUS_SUCCESS:
		r.State = channel.ReceiverSuccess
	case profitsharing.DETAILSTATUS_CLOSED:
		r.State = channel.ReceiverFail
	default:
		return channel.ReceiverReport{}, fmt.Errorf("unknown result %q", *d.Result)
	}
	if d.Amount == nil {
		return channel.ReceiverReport{}, errors.New("no amount")
	}
	var err error
	if r.Amount, _, err = amount(*d.Amount, nil); err != nil {
		return channel.ReceiverReport{}, err
	}
	if d.Type != nil {
		r.ReceiverType = string(*d.Type)
		if t, ok := c.cfg.ReceiverTypes[r.ReceiverType]; ok {
			r.ReceiverType = t
		}
	}
	if d.Account != nil {
		r.Account = *d.Account
	}
	if d.DetailId != nil {
		r.OutDetailID = *d.DetailId
	}
	if d.FailReason != nil {
		r.ErrorCode = string(*d.FailReason)
		r.ErrorMsg = failReasonText(*d.FailReason)
	}
	if r.State != channel.ReceiverPending && d.FinishTime != nil {
		r.FinishedAt = d.FinishTime.UTC()
	}
	return r, nil
}

// failReasonText says what a profit-sharing fail_reason means, in WeChat's
// words, for the person who reads the receiver's ErrorMsg.
func failReasonText(r profitsharing.DetailFailReason) string {
	switch r {
	case profitsharing.DETAILFAILREASON_ACCOUNT_ABNORMAL:
		return "分账接收账户异常"
	case profitsharing.DETAILFAILREASON_NO_RELATION:
		return "分账关系已解除"
	case profitsharing.DETAILFAILREASON_RECEIVER_HIGH_RISK:
		return "高风险接收方"
	case profitsharing.DETAILFAILREASON_RECEIVER_REAL_NAME_NOT_VERIFIED:
		return "接收方未实名"
	case profitsharing.DETAILFAILREASON_NO_AUTH:
		return "分账权限已解除"
	}
	return string(r)
}
