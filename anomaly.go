package paysync

import (
	"slices"
	"time"
)

// AnomalyCode names a disagreement with the channel that paysync will not
// repair on its own: money questions go to a person.
type AnomalyCode string

// Anomaly codes.
const (
	AnomalyAmountMismatch         AnomalyCode = "amount_mismatch"
	AnomalyCurrencyMismatch       AnomalyCode = "currency_mismatch"
	AnomalyTradeMismatch          AnomalyCode = "trade_mismatch"
	AnomalyRefundAtChannel        AnomalyCode = "refund_at_channel"
	AnomalyPaidNotPaidAtChannel   AnomalyCode = "paid_order_not_paid_at_channel"
	AnomalyRefundStatusConflict   AnomalyCode = "refund_status_conflict"
	AnomalyCloseUnsupported       AnomalyCode = "close_unsupported"
	AnomalyReceiverUnmatched      AnomalyCode = "receiver_unmatched"
	AnomalyReceiverMissing        AnomalyCode = "receiver_missing"
	AnomalyReceiverResultConflict AnomalyCode = "receiver_result_conflict"
	AnomalyReceiverAmountMismatch AnomalyCode = "receiver_amount_mismatch"
	// AnomalyRefundNotAtChannel: the channel denies a refund that succeeded here.
	AnomalyRefundNotAtChannel AnomalyCode = "refund_not_at_channel"
	// AnomalyTransferNotAtChannel: the channel denies a transfer that
	// succeeded here, or does not know one long in progress.
	AnomalyTransferNotAtChannel AnomalyCode = "transfer_not_at_channel"
	// AnomalyOverRefunded: the pay order's refunded and reserved amounts
	// exceed what was paid; a person must recover money.
	AnomalyOverRefunded AnomalyCode = "over_refunded"
)

// AnomalyCodes lists every anomaly code.
func AnomalyCodes() []AnomalyCode {
	return []AnomalyCode{AnomalyAmountMismatch, AnomalyCurrencyMismatch, AnomalyTradeMismatch,
		AnomalyRefundAtChannel, AnomalyPaidNotPaidAtChannel, AnomalyRefundStatusConflict,
		AnomalyCloseUnsupported, AnomalyReceiverUnmatched, AnomalyReceiverMissing,
		AnomalyReceiverResultConflict, AnomalyReceiverAmountMismatch, AnomalyRefundNotAtChannel,
		AnomalyTransferNotAtChannel, AnomalyOverRefunded}
}

// Valid reports whether c is one of the anomaly codes.
func (c AnomalyCode) Valid() bool { return slices.Contains(AnomalyCodes(), c) }

// Anomaly is one code raised on one order, kept beside the order (not in it)
// so that seeing it again never changes the order's Version: a sweep meeting
// the same anomaly every hour does not spoil a person's pending repair.
//
// An anomaly opens when first seen, or when seen again after a person
// resolved it; only opening is announced (by a *.anomaly event). A store keeps
// one Anomaly per (TradeType, TradeNo, Code).
type Anomaly struct {
	TradeType TradeType
	TradeNo   string
	Code      AnomalyCode
	// FirstSeenAt is the first sighting ever; OpenedAt the sighting that
	// last opened it (FirstSeenAt, or the one after a resolution).
	FirstSeenAt time.Time
	OpenedAt    time.Time
	LastSeenAt  time.Time
	TimesSeen   int
	// ResolvedAt is zero while the anomaly is open; ResolvedBy and Note are
	// the person's name and words when they resolved it.
	ResolvedAt time.Time
	ResolvedBy string
	Note       string
}

// Open reports whether no person has resolved the anomaly since it opened.
func (a Anomaly) Open() bool { return a.ResolvedAt.IsZero() }
