package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/native"
)

// QueryPay asks WeChat Pay for the trade whose out_trade_no is
// order.OrderNo (GET /v3/pay/transactions/out-trade-no/{out_trade_no}).
//
// It returns a report by the table of docs/channel.md: SUCCESS → success;
// NOTPAY, USERPAYING, ACCEPT → progress; CLOSED → closed; REVOKED →
// cancelled; PAYERROR → failed; REFUND → refunded; a signed ORDER_NOT_EXIST
// answer → not_found. Amount is amount.total in yuan, OutOrderNo
// transaction_id, PaidAt success_time, Raw the body WeChat sent.
//
// Errors (the answer is unknown, the order must not change): one wrapping
// channel.ErrRateLimited for FREQUENCY_LIMITED or HTTP 429; one wrapping
// *GatewayError for any other error answer, and for a "not found" whose
// signature does not verify; one for an answer whose signature does not
// verify, whose body does not parse, whose trade_state is missing or
// unknown, that names another merchant or app, or that reports success
// without out_trade_no or amount; ctx's error when ctx ends first.
func (c *Channel) QueryPay(ctx context.Context, order paysync.PayOrder) (channel.PayReport, error) {
	tx, res, err := c.pay.QueryOrderByOutTradeNo(ctx, native.QueryOrderByOutTradeNoRequest{
		OutTradeNo: core.String(order.OrderNo),
		Mchid:      core.String(c.cfg.MchID),
	})
	if err != nil {
		ge, raw, err := c.refusal(ctx, err, res)
		switch {
		case err != nil:
			return channel.PayReport{}, fmt.Errorf("wechatpay: query pay %s: %w", order.OrderNo, err)
		case ge.Code == "ORDER_NOT_EXIST":
			return channel.PayReport{State: channel.PayNotFound, Raw: raw}, nil
		default:
			return channel.PayReport{}, fmt.Errorf("wechatpay: query pay %s: %w", order.OrderNo, ge)
		}
	}
	rep, err := c.payReport(tx, body(res))
	if err != nil {
		return channel.PayReport{}, fmt.Errorf("wechatpay: query pay %s: %w", order.OrderNo, err)
	}
	return rep, nil
}

// payReport maps a transaction, as a query answers it or a notification
// carries it, to a report with raw as its Raw.
func (c *Channel) payReport(tx *payments.Transaction, raw []byte) (channel.PayReport, error) {
	if err := c.sameMerchant(tx.Mchid, tx.Appid); err != nil {
		return channel.PayReport{}, err
	}
	if tx.TradeState == nil {
		return channel.PayReport{}, errors.New("answer has no trade_state")
	}
	state, ok := payState(*tx.TradeState)
	if !ok {
		return channel.PayReport{}, fmt.Errorf("unknown trade_state %q", *tx.TradeState)
	}
	rep := channel.PayReport{State: state, Raw: raw}
	if tx.OutTradeNo != nil {
		rep.OrderNo = *tx.OutTradeNo
	}
	if tx.TransactionId != nil {
		rep.OutOrderNo = *tx.TransactionId
	}
	if tx.Amount != nil && tx.Amount.Total != nil {
		var err error
		if rep.Amount, rep.Currency, err = amount(*tx.Amount.Total, tx.Amount.Currency); err != nil {
			return channel.PayReport{}, err
		}
	}
	// Money decisions rest on these: a success the engine cannot tie to
	// this order and its amount is not a success it may apply.
	if state == channel.PaySuccess || state == channel.PayRefunded {
		if rep.OrderNo == "" || tx.Amount == nil || tx.Amount.Total == nil {
			return channel.PayReport{}, fmt.Errorf("trade_state %s without out_trade_no or amount.total", *tx.TradeState)
		}
	}
	if tx.SuccessTime != nil && *tx.SuccessTime != "" {
		t, err := time.Parse(time.RFC3339, *tx.SuccessTime)
		if err != nil {
			return channel.PayReport{}, fmt.Errorf("success_time %q: %w", *tx.SuccessTime, err)
		}
		rep.PaidAt = t.UTC()
	}
	return rep, nil
}

// payState maps WeChat's trade_state to the engine's PayState (docs/channel.md).
func payState(s string) (channel.PayState, bool) {
	switch s {
	case "SUCCESS":
		return channel.PaySuccess, true
	case "NOTPAY", "USERPAYING", "ACCEPT":
		return channel.PayProgress, true
	case "CLOSED":
		return channel.PayClosed, true
	case "REVOKED":
		return channel.PayCancelled, true
	case "PAYERROR":
		return channel.PayFailed, true
	case "REFUND":
		return channel.PayRefunded, true
	}
	return "", false
}

// sameMerchant refuses an answer that names another merchant, or another
// app when Config.AppID is set. Fields the answer leaves out are not
// checked.
func (c *Channel) sameMerchant(mchID, appID *string) error {
	if mchID != nil && *mchID != c.cfg.MchID {
		return fmt.Errorf("answer names merchant %q, not %q", *mchID, c.cfg.MchID)
	}
	if c.cfg.AppID != "" && appID != nil && *appID != c.cfg.AppID {
		return fmt.Errorf("answer names app %q, not %q", *appID, c.cfg.AppID)
	}
	return nil
}
