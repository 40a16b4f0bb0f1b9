package syncer

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/statemachine"
)

// SyncRefund asks the channel what became of one refund and repairs the
// refund, and its pay order's refund fields, per docs/refund-sync.md
// (POST /unipay/sync/refund).
//
// It returns the outcome and nil when the channel answered, whether or not
// anything changed. Errors: paysync.ErrInvalidRequest when both numbers are
// empty or Source is unknown; ErrRefundNotFound (退款订单不存在) when no refund
// has the number; ErrUnknownChannel; ErrUnsupported when the channel cannot
// query refunds; ErrSyncInProgress when another sync held the refund or its
// pay order past Config.LockWait; ErrCanceled when ctx ended before the
// channel answered (nothing is written); ErrChannelUnavailable wrapping the
// channel's error (the SyncRecord says why, nothing else changes);
// ErrVersionConflict past Config.ConflictRetries; ErrInternal when the store
// failed.
func (s *Syncer) SyncRefund(ctx context.Context, req RefundRequest) (RefundOutcome, error) {
	c := call{op: "syncer.SyncRefund", clientIP: req.ClientIP}
	var err error
	if c.src, err = sourceOf(c.op, req.Source, paysync.SourceAPI); err != nil {
		return RefundOutcome{}, err
	}
	r, err := s.refunds.find(ctx, c.op, req.RefundNo, req.BizRefundNo)
	if err != nil {
		return RefundOutcome{}, err
	}
	return refundOutcome(s.refunds.sync(ctx, s, c, r, nil))
}

// ApplyRefundNotification applies a refund callback the host has verified
// and parsed, through the same locks, table and commit as SyncRefund, so a
// duplicate or late callback changes nothing twice. A report whose Amount is
// zero reports no amount (Alipay's notices carry the trade's cumulative
// figure, which an adapter leaves out). A report that would deny a refund
// in success is first confirmed by one query, when the channel can be asked
// (docs/pay-sync.md#late-callbacks). Errors are those of SyncRefund, and
// paysync.ErrInvalidRequest for a state that is not a channel.RefundState.
func (s *Syncer) ApplyRefundNotification(ctx context.Context, refundNo string, rep channel.RefundReport, src paysync.Source) (RefundOutcome, error) {
	c := call{op: "syncer.ApplyRefundNotification"}
	var err error
	if c.src, err = sourceOf(c.op, src, paysync.SourceCallback); err != nil {
		return RefundOutcome{}, err
	}
	if !rep.State.Valid() {
		return RefundOutcome{}, paysync.Ef(c.op, paysync.ErrInvalidRequest, "unknown channel state "+string(rep.State), nil)
	}
	r, err := s.refunds.find(ctx, c.op, refundNo, "")
	if err != nil {
		return RefundOutcome{}, err
	}
	given := refundReport(rep)
	return refundOutcome(s.refunds.sync(ctx, s, c, r, &given))
}

func refundOutcome(o payoutOutcome, err error) (RefundOutcome, error) {
	return RefundOutcome{Status: paysync.RefundOrderStatus(o.status), Adjusted: o.adjusted,
		ChannelState: channel.RefundState(o.channelState), Anomalies: o.anomalies, RecordID: o.recordID,
		Exhausted: o.exhausted}, err
}

func refundReport(r channel.RefundReport) payoutReport {
	return payoutReport{State: string(r.State), No: r.RefundNo, OutNo: r.OutRefundNo, Amount: r.Amount,
		Currency: r.Currency, FinishedAt: r.FinishedAt, ErrorCode: r.ErrorCode, ErrorMsg: r.ErrorMsg, Raw: r.Raw}
}

func refundTrade(r *paysync.RefundOrder) trade {
	return trade{tt: paysync.TradeRefund, no: r.RefundNo, bizNo: r.BizRefundNo, outNo: r.OutRefundNo, channel: r.Channel}
}

// refundKind is the refund on the shared path (payout.go).
func (s *Syncer) refundKind() *payoutKind[paysync.RefundOrder] {
	type O = paysync.RefundOrder
	return &payoutKind[O]{
		tt:       paysync.TradeRefund,
		numbers:  "refundNo or bizRefundNo",
		notFound: paysync.ErrRefundNotFound,
		locks:    s.refundLocks,
		table:    s.cfg.Timetables.Refund,
		rules: payoutRules{
			notAtChannel:  paysync.AnomalyRefundNotAtChannel,
			closeNotFound: true,
			events: map[string]paysync.EventType{pSuccess: paysync.EventRefundSuccess, pClose: paysync.EventRefundClosed,
				pFail: paysync.EventRefundFailed, pProgress: paysync.EventRefundProgress},
			ways: map[string]paysync.AdjustWay{pSuccess: paysync.WayRefundSuccess, pClose: paysync.WayRefundClose,
				pFail: paysync.WayRefundFail, pProgress: paysync.WayRefundProgress},
			afterClose: paysync.EventRefundSuccessAfterClose,
		},
		get:      s.store.GetRefundOrder,
		getByBiz: s.store.GetRefundOrderByBizNo,
		read: func(r *O) payout {
			return payout{trade: refundTrade(r), status: string(r.Status), amount: r.Amount,
				currency: r.CurrencyOrDefault(), created: r.CreatedAt, watched: r.Watched, outNo: r.OutRefundNo,
				finishedAt: r.FinishedAt, errorCode: r.ErrorCode, errorMsg: r.ErrorMsg, updatedAt: r.UpdatedAt,
				schedule: r.Schedule}
		},
		write: func(r *O, p payout) {
			r.Status, r.Watched, r.OutRefundNo = paysync.RefundOrderStatus(p.status), p.watched, p.outNo
			r.FinishedAt, r.ErrorCode, r.ErrorMsg = p.finishedAt, p.errorCode, p.errorMsg
			r.UpdatedAt, r.Schedule = p.updatedAt, p.schedule
		},
		move: func(ctx context.Context, from, to string) error {
			ev, _ := statemachine.RefundEventTo(paysync.RefundOrderStatus(to))
			_, _, err := statemachine.Refund(ctx, paysync.RefundOrderStatus(from), ev)
			return err
		},
		can: func(ch channel.Channel) bool { _, ok := ch.(channel.RefundQuerier); return ok },
		query: func(ctx context.Context, ch channel.Channel, r O) (payoutReport, error) {
			rep, err := ch.(channel.RefundQuerier).QueryRefund(ctx, r)
			return refundReport(rep), err
		},
		payload: func(r O, pay paysync.PayOrder, n eventNote) any {
			p := paysync.NewRefundPayload(r, pay)
			p.Anomaly, p.Operator, p.RepairReason = n.anomaly, n.operator, n.reason
			return p
		},
		version: func(r *O) int64 { return r.Version },
		manual: func(ctx context.Context, from, to string) error {
			ev, _ := statemachine.RefundEventTo(paysync.RefundOrderStatus(to))
			_, _, err := statemachine.RefundManual(ctx, paysync.RefundOrderStatus(from), ev)
			return err
		},
		commit: func(ctx context.Context, r O, pay *repository.PayRefundChange, e repository.Entries) error {
			return s.store.CommitRefundOrder(ctx, r, pay, e)
		},
		onPay: func(r O) string { return r.OrderNo },
	}
}
