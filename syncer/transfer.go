package syncer

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/statemachine"
)

// SyncTransfer asks the channel what became of one payout and repairs the
// local transfer per docs/transfer-sync.md (POST /unipay/sync/transfer). A
// transfer the channel does not know is never closed here: a host that sent
// it again could pay twice, so a person decides (transfer_not_at_channel).
//
// Errors: paysync.ErrInvalidRequest when both numbers are empty or Source is
// unknown; ErrTransferNotFound (转账订单不存在); ErrUnknownChannel;
// ErrUnsupported when the channel cannot query transfers; ErrSyncInProgress;
// ErrCanceled when ctx ended before the channel answered;
// ErrChannelUnavailable wrapping the channel's error; ErrVersionConflict
// past Config.ConflictRetries; ErrInternal when the store failed.
func (s *Syncer) SyncTransfer(ctx context.Context, req TransferRequest) (TransferOutcome, error) {
	c := call{op: "syncer.SyncTransfer", clientIP: req.ClientIP}
	var err error
	if c.src, err = sourceOf(c.op, req.Source, paysync.SourceAPI); err != nil {
		return TransferOutcome{}, err
	}
	t, err := s.transfers.find(ctx, c.op, req.TransferNo, req.BizTransferNo)
	if err != nil {
		return TransferOutcome{}, err
	}
	return transferOutcome(s.transfers.sync(ctx, s, c, t, nil))
}

// ApplyTransferNotification applies a transfer callback the host has
// verified and parsed, through the same lock, table and commit as
// SyncTransfer. A report that would deny a payout in success is first
// confirmed by one query, when the channel can be asked
// (docs/pay-sync.md#late-callbacks). Errors are those of SyncTransfer, and
// paysync.ErrInvalidRequest for a state that is not a channel.TransferState.
func (s *Syncer) ApplyTransferNotification(ctx context.Context, transferNo string, rep channel.TransferReport, src paysync.Source) (TransferOutcome, error) {
	c := call{op: "syncer.ApplyTransferNotification"}
	var err error
	if c.src, err = sourceOf(c.op, src, paysync.SourceCallback); err != nil {
		return TransferOutcome{}, err
	}
	if !rep.State.Valid() {
		return TransferOutcome{}, paysync.Ef(c.op, paysync.ErrInvalidRequest, "unknown channel state "+string(rep.State), nil)
	}
	t, err := s.transfers.find(ctx, c.op, transferNo, "")
	if err != nil {
		return TransferOutcome{}, err
	}
	given := transferReport(rep)
	return transferOutcome(s.transfers.sync(ctx, s, c, t, &given))
}

func transferOutcome(o payoutOutcome, err error) (TransferOutcome, error) {
	return TransferOutcome{Status: paysync.TransferStatus(o.status), Adjusted: o.adjusted,
		ChannelState: channel.TransferState(o.channelState), Anomalies: o.anomalies, RecordID: o.recordID,
		Exhausted: o.exhausted}, err
}

func transferReport(r channel.TransferReport) payoutReport {
	return payoutReport{State: string(r.State), No: r.TransferNo, OutNo: r.OutTransferNo, Amount: r.Amount,
		Currency: r.Currency, FinishedAt: r.FinishedAt, ErrorCode: r.ErrorCode, ErrorMsg: r.ErrorMsg,
		PayeeType: r.PayeeType, PayeeAccount: r.PayeeAccount, Raw: r.Raw}
}

func transferTrade(t *paysync.TransferOrder) trade {
	return trade{tt: paysync.TradeTransfer, no: t.TransferNo, bizNo: t.BizTransferNo, outNo: t.OutTransferNo,
		channel: t.Channel}
}

// transferKind is the transfer on the shared path (payout.go).
func (s *Syncer) transferKind() *payoutKind[paysync.TransferOrder] {
	type O = paysync.TransferOrder
	return &payoutKind[O]{
		tt:       paysync.TradeTransfer,
		numbers:  "transferNo or bizTransferNo",
		notFound: paysync.ErrTransferNotFound,
		locks:    s.transferLocks,
		table:    s.cfg.Timetables.Transfer,
		rules: payoutRules{
			notAtChannel: paysync.AnomalyTransferNotAtChannel,
			checkPayee:   true,
			events: map[string]paysync.EventType{pSuccess: paysync.EventTransferSuccess, pClose: paysync.EventTransferClosed,
				pFail: paysync.EventTransferFailed, pProgress: paysync.EventTransferProgress},
			ways: map[string]paysync.AdjustWay{pSuccess: paysync.WayTransferSuccess, pClose: paysync.WayTransferClose,
				pFail: paysync.WayTransferFail, pProgress: paysync.WayTransferProgress},
			afterClose: paysync.EventTransferSuccessAfterClose,
		},
		get:      s.store.GetTransferOrder,
		getByBiz: s.store.GetTransferOrderByBizNo,
		read: func(t *O) payout {
			return payout{trade: transferTrade(t), status: string(t.Status), amount: t.Amount,
				currency: t.CurrencyOrDefault(), created: t.CreatedAt, payeeType: t.PayeeType,
				payeeAccount: t.PayeeAccount, outNo: t.OutTransferNo, finishedAt: t.FinishedAt,
				errorCode: t.ErrorCode, errorMsg: t.ErrorMsg, updatedAt: t.UpdatedAt, schedule: t.Schedule}
		},
		write: func(t *O, p payout) {
			t.Status, t.OutTransferNo = paysync.TransferStatus(p.status), p.outNo
			t.FinishedAt, t.ErrorCode, t.ErrorMsg = p.finishedAt, p.errorCode, p.errorMsg
			t.UpdatedAt, t.Schedule = p.updatedAt, p.schedule
		},
		move: func(ctx context.Context, from, to string) error {
			ev, _ := statemachine.TransferEventTo(paysync.TransferStatus(to))
			_, _, err := statemachine.Transfer(ctx, paysync.TransferStatus(from), ev)
			return err
		},
		can: func(ch channel.Channel) bool { _, ok := ch.(channel.TransferQuerier); return ok },
		query: func(ctx context.Context, ch channel.Channel, t O) (payoutReport, error) {
			rep, err := ch.(channel.TransferQuerier).QueryTransfer(ctx, t)
			return transferReport(rep), err
		},
		payload: func(t O, _ paysync.PayOrder, n eventNote) any {
			p := paysync.NewTransferPayload(t)
			p.Anomaly, p.Operator, p.RepairReason = n.anomaly, n.operator, n.reason
			return p
		},
		version: func(t *O) int64 { return t.Version },
		manual: func(ctx context.Context, from, to string) error {
			ev, _ := statemachine.TransferEventTo(paysync.TransferStatus(to))
			_, _, err := statemachine.TransferManual(ctx, paysync.TransferStatus(from), ev)
			return err
		},
		commit: func(ctx context.Context, t O, _ *repository.PayRefundChange, e repository.Entries) error {
			return s.store.CommitTransferOrder(ctx, t, e)
		},
	}
}
