package wechatpay

import (
	"context"
	"fmt"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/native"
)

// ClosePay closes the trade whose out_trade_no is order.OrderNo
// (POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close).
//
// It returns nil when WeChat answered 204 (the trade is closed, also when it
// already was); an error wrapping channel.ErrAlreadyPaid for a signed
// ORDERPAID answer (the engine queries again); one wrapping
// channel.ErrTradeNotExist for a signed ORDER_NOT_EXIST answer (the engine
// treats the trade as closed). Any other outcome is unknown and leaves the
// order as it is: an error wrapping channel.ErrRateLimited for
// FREQUENCY_LIMITED or HTTP 429, one wrapping *GatewayError for any other
// error answer or one whose signature does not verify, ctx's error when ctx
// ends first.
//
// Payment-code (付款码) trades are closed by reverse, which the APIv3 SDK
// does not offer: this adapter does not serve them.
func (c *Channel) ClosePay(ctx context.Context, order paysync.PayOrder) error {
	res, err := c.pay.CloseOrder(ctx, native.CloseOrderRequest{
		OutTradeNo: core.String(order.OrderNo),
		Mchid:      core.String(c.cfg.MchID),
	})
	if err == nil {
		return nil
	}
	ge, _, err := c.refusal(ctx, err, res)
	switch {
	case err != nil:
		return fmt.Errorf("wechatpay: close %s: %w", order.OrderNo, err)
	case ge.Code == "ORDERPAID":
		return fmt.Errorf("wechatpay: close %s: %w: %w", order.OrderNo, ge, channel.ErrAlreadyPaid)
	case ge.Code == "ORDER_NOT_EXIST":
		return fmt.Errorf("wechatpay: close %s: %w: %w", order.OrderNo, ge, channel.ErrTradeNotExist)
	default:
		return fmt.Errorf("wechatpay: close %s: %w", order.OrderNo, ge)
	}
}
