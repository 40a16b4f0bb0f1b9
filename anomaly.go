package paysync

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
)

// AnomalyCodes lists every anomaly code.
func AnomalyCodes() []AnomalyCode {
	return []AnomalyCode{AnomalyAmountMismatch, AnomalyCurrencyMismatch, AnomalyTradeMismatch,
		AnomalyRefundAtChannel, AnomalyPaidNotPaidAtChannel, AnomalyRefundStatusConflict,
		AnomalyCloseUnsupported, AnomalyReceiverUnmatched, AnomalyReceiverMissing,
		AnomalyReceiverResultConflict, AnomalyReceiverAmountMismatch}
}

// Valid reports whether c is one of the anomaly codes.
func (c AnomalyCode) Valid() bool {
	for _, v := range AnomalyCodes() {
		if v == c {
			return true
		}
	}
	return false
}
