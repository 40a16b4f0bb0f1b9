package alipay

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"

	"github.com/paysync/paysync/channel"
	sdk "github.com/smartwalle/alipay/v3"
)

// Kind tells what a notification is about.
type Kind string

// Notification kinds.
const (
	KindPay    Kind = "pay"    // a trade's status changed
	KindRefund Kind = "refund" // money of a trade was refunded
)

// Notification is an Alipay notification whose signature verified, parsed
// into what the engine takes.
type Notification struct {
	Kind Kind
	// ID is Alipay's notify_id, for the host's logs.
	ID string
	// OrderNo is the pay order's number (out_trade_no), for both kinds.
	OrderNo string
	// Pay is set for KindPay: pass OrderNo and Pay to
	// Syncer.ApplyPayNotification.
	Pay channel.PayReport
	// RefundNo and Refund are set for KindRefund: pass them to
	// Syncer.ApplyRefundNotification. Refund.Amount is zero: the notice's
	// refund_fee is the trade's total refunded so far, not this refund's.
	RefundNo string
	Refund   channel.RefundReport
}

// ParseNotification verifies the form Alipay posted to the host (RSA2 with
// the configured Alipay key or certificate) and parses it. A notice that
// carries out_biz_no with gmt_refund or refund_fee is a refund: Alipay
// sends one when money of the trade went back, so it reports the refund
// out_biz_no names as succeeded — whatever trade_status it carries (a fully
// refunded trade is TRADE_CLOSED; that closes the trade, not the refund).
// Any other notice is the trade's: its trade_status maps as QueryPay's does,
// gmt_payment standing for send_pay_date. Raw is the form as received, less
// the alipay_cert_sn the signature does not cover.
//
// It returns an error — answer Alipay with anything but "success", it will
// send the notice again — when the form does not parse or its signature
// does not verify, when it names another app (or another seller when
// Config.SellerID is set), when its notify_type is not trade_status_sync,
// or when its content is unknown or malformed by the rules of QueryPay and
// QueryRefund.
func (c *Channel) ParseNotification(ctx context.Context, r *http.Request) (Notification, error) {
	fail := func(err error) (Notification, error) {
		return Notification{}, fmt.Errorf("alipay: notification refused: %w", err)
	}
	if err := r.ParseForm(); err != nil {
		return fail(err)
	}
	form := maps.Clone(r.PostForm) // the caller's request stays as it came
	// Notices are verified with the configured key. An alipay_cert_sn in
	// the form (it is not signed) would make the SDK download that
	// certificate from the gateway, under its lock, for anyone who posts.
	form.Del("alipay_cert_sn")
	n, err := c.client.DecodeNotification(form)
	if err != nil {
		return fail(err)
	}
	switch {
	case n.AppId != c.cfg.AppID:
		return fail(fmt.Errorf("app_id %q, not %q", n.AppId, c.cfg.AppID))
	case c.cfg.SellerID != "" && n.SellerId != c.cfg.SellerID:
		return fail(fmt.Errorf("seller_id %q, not %q", n.SellerId, c.cfg.SellerID))
	case n.NotifyType != "trade_status_sync":
		return fail(fmt.Errorf("unhandled notify_type %q", n.NotifyType))
	}
	out := Notification{ID: n.NotifyId, OrderNo: n.OutTradeNo}
	raw := []byte(form.Encode())
	if n.OutBizNo != "" && (n.GmtRefund != "" || n.RefundFee != "") {
		out.Kind, out.RefundNo = KindRefund, n.OutBizNo
		if out.Refund, err = refundNotice(n, raw); err != nil {
			return fail(err)
		}
		return out, nil
	}
	out.Kind = KindPay
	out.Pay, err = trade{status: string(n.TradeStatus), orderNo: n.OutTradeNo, tradeNo: n.TradeNo,
		total: n.TotalAmount, paidAt: n.GmtPayment}.report(raw)
	if err != nil {
		return fail(err)
	}
	if out.OrderNo == "" {
		return fail(errors.New("no out_trade_no"))
	}
	return out, nil
}

func refundNotice(n *sdk.Notification, raw []byte) (channel.RefundReport, error) {
	switch {
	case n.RefundStatus != "" && n.RefundStatus != "REFUND_SUCCESS":
		return channel.RefundReport{}, fmt.Errorf("unknown refund_status %q", n.RefundStatus)
	case n.RefundStatus == "" && n.GmtRefund == "":
		return channel.RefundReport{}, errors.New("a refund notice without gmt_refund or refund_status")
	}
	at, err := when(n.GmtRefund)
	if err != nil {
		return channel.RefundReport{}, err
	}
	return channel.RefundReport{State: channel.RefundSuccess, RefundNo: n.OutBizNo, FinishedAt: at, Raw: raw}, nil
}
