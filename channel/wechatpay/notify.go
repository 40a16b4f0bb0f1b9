package wechatpay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/paysync/paysync/channel"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments"
)

// Kind tells what a notification is about.
type Kind string

// Notification kinds.
const (
	KindPay    Kind = "pay"    // TRANSACTION.SUCCESS
	KindRefund Kind = "refund" // REFUND.SUCCESS, REFUND.ABNORMAL, REFUND.CLOSED
)

// Notification is a WeChat Pay notification whose signature verified and
// whose resource decrypted, parsed into what the engine takes.
type Notification struct {
	Kind Kind
	// ID is WeChat's id of the notification, for the host's logs.
	ID string
	// OrderNo is the pay order's number (out_trade_no), for both kinds.
	OrderNo string
	// Pay is set for KindPay: pass OrderNo and Pay to
	// Syncer.ApplyPayNotification.
	Pay channel.PayReport
	// RefundNo and Refund are set for KindRefund: pass them to
	// Syncer.ApplyRefundNotification. Refund.Amount is the refund's own
	// amount.refund; Currency is empty (refund notifications name none).
	RefundNo string
	Refund   channel.RefundReport
}

// ParseNotification verifies a notification WeChat Pay posted to the host
// (its signature against the platform key, its timestamp within five
// minutes), decrypts its resource with the APIv3 key and parses it. Raw in
// the report is the decrypted resource, so the sync record keeps what WeChat
// said.
//
// It returns an error — answer WeChat with a non-2xx status, it will send
// the notification again — when the signature does not verify, the resource
// does not decrypt or parse, the event type is not a payment or a refund,
// the notification names another merchant or app, or its state is unknown
// (the same rules as QueryPay and QueryRefund).
func (c *Channel) ParseNotification(ctx context.Context, r *http.Request) (Notification, error) {
	var plain json.RawMessage
	req, err := c.notices.ParseNotifyRequest(ctx, r, &plain)
	if err != nil {
		return Notification{}, fmt.Errorf("wechatpay: notification refused: %w", err)
	}
	n := Notification{ID: req.ID}
	switch {
	case req.EventType == "TRANSACTION.SUCCESS":
		n.Kind = KindPay
		err = c.payNotice(&n, plain)
	case strings.HasPrefix(req.EventType, "REFUND."):
		n.Kind = KindRefund
		err = c.refundNotice(&n, req.EventType, plain)
	default:
		err = fmt.Errorf("unhandled event_type %q", req.EventType)
	}
	if err != nil {
		return Notification{}, fmt.Errorf("wechatpay: notification %s: %w", req.ID, err)
	}
	return n, nil
}

func (c *Channel) payNotice(n *Notification, plain []byte) error {
	var tx payments.Transaction
	if err := json.Unmarshal(plain, &tx); err != nil {
		return err
	}
	rep, err := c.payReport(&tx, plain)
	if err != nil {
		return err
	}
	if rep.OrderNo == "" {
		return errors.New("no out_trade_no")
	}
	n.OrderNo, n.Pay = rep.OrderNo, rep
	return nil
}

// refundNotice is the decrypted resource of a refund notification; the SDK
// has no type for it.
type refundNotice struct {
	MchID        *string    `json:"mchid"`
	OutTradeNo   *string    `json:"out_trade_no"`
	OutRefundNo  *string    `json:"out_refund_no"`
	RefundID     *string    `json:"refund_id"`
	RefundStatus *string    `json:"refund_status"`
	SuccessTime  *time.Time `json:"success_time"`
	Amount       *struct {
		Total  *int64 `json:"total"`
		Refund *int64 `json:"refund"`
	} `json:"amount"`
}

func (c *Channel) refundNotice(n *Notification, event string, plain []byte) error {
	var rn refundNotice
	if err := json.Unmarshal(plain, &rn); err != nil {
		return err
	}
	if err := c.sameMerchant(rn.MchID, nil); err != nil {
		return err
	}
	if rn.RefundStatus == nil {
		return errors.New("no refund_status")
	}
	// The event names the outcome too; two different outcomes in one
	// notification is not something to apply.
	if event != "REFUND."+*rn.RefundStatus {
		return fmt.Errorf("event_type %s carries refund_status %s", event, *rn.RefundStatus)
	}
	f := refundFacts{Status: *rn.RefundStatus, OutRefundNo: rn.OutRefundNo, RefundID: rn.RefundID, SuccessTime: rn.SuccessTime}
	if rn.Amount != nil {
		f.Refund = rn.Amount.Refund
	}
	rep, err := f.report(plain)
	if err != nil {
		return err
	}
	if rep.RefundNo == "" {
		return errors.New("no out_refund_no")
	}
	if rn.OutTradeNo != nil {
		n.OrderNo = *rn.OutTradeNo
	}
	n.RefundNo, n.Refund = rep.RefundNo, rep
	return nil
}
