package alipay

import (
	"context"
	"fmt"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	sdk "github.com/smartwalle/alipay/v3"
)

// ClosePay closes the trade whose out_trade_no is order.OrderNo
// (alipay.trade.close).
//
// It returns nil when Alipay answered success; an error wrapping
// channel.ErrAlreadyPaid for a signed ACQ.TRADE_STATUS_ERROR (the trade is
// paid, or otherwise past closing: the engine queries again); one wrapping
// channel.ErrTradeNotExist for a signed ACQ.TRADE_NOT_EXIST (the payer never
// acted: the engine treats the trade as closed). Any other outcome is
// unknown and leaves the order as it is: an error wrapping
// channel.ErrRateLimited for 40005 or HTTP 429, one wrapping *GatewayError
// for any other failure or one that is not signed, one for an answer about
// another out_trade_no or whose signature does not verify, ctx's error when
// ctx ends first.
func (c *Channel) ClosePay(ctx context.Context, order paysync.PayOrder) error {
	rsp, err := c.client.TradeClose(ctx, sdk.TradeClose{OutTradeNo: order.OrderNo})
	switch {
	case err != nil:
		err = refusal(err)
	case rsp == nil:
		err = errEmpty
	case rsp.Code == sdk.CodeSuccess && rsp.OutTradeNo != "" && rsp.OutTradeNo != order.OrderNo:
		err = fmt.Errorf("answer is for out_trade_no %q", rsp.OutTradeNo)
	case rsp.Code == sdk.CodeSuccess:
		return nil
	case rsp.SubCode == "ACQ.TRADE_STATUS_ERROR":
		err = fmt.Errorf("%w: %w", failure(rsp.Error, true), channel.ErrAlreadyPaid)
	case rsp.SubCode == "ACQ.TRADE_NOT_EXIST":
		err = fmt.Errorf("%w: %w", failure(rsp.Error, true), channel.ErrTradeNotExist)
	default:
		err = failure(rsp.Error, true)
	}
	return fmt.Errorf("alipay: close %s: %w", order.OrderNo, err)
}
