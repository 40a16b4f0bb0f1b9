package paysync

import "slices"

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
