package syncer

import (
	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// Every outcome below carries, on success and on every error alike, the
// order's status as the sync last read or wrote it; it is empty only when
// the call failed before an order was read (an invalid request, an unknown
// number).

// PayRequest asks for one pay order to be synced. One of OrderNo and
// BizOrderNo is required; OrderNo wins when both are given.
type PayRequest struct {
	OrderNo    string
	BizOrderNo string
	ClientIP   string
	Source     paysync.Source // empty means paysync.SourceAPI
}

// PayOutcome is what a pay sync did.
type PayOutcome struct {
	OrderStatus  paysync.PayStatus // the local status after the sync
	Adjusted     bool              // whether the sync changed the local status
	ChannelState channel.PayState  // what the channel answered; empty without an answer
	Anomalies    []paysync.AnomalyCode
	RecordID     uuid.UUID // the SyncRecord written; zero when none was
	// Exhausted is set when this sync ended the order's sweep schedule.
	Exhausted bool
}

// AllocationRequest asks for one allocation order to be synced. One of
// AllocationNo and BizAllocationNo is required; AllocationNo wins.
type AllocationRequest struct {
	AllocationNo    string
	BizAllocationNo string
	ClientIP        string
	Source          paysync.Source
}

// AllocationOutcome is what an allocation sync did.
type AllocationOutcome struct {
	Status    paysync.AllocationStatus
	Result    paysync.AllocationResult
	Adjusted  bool
	Receivers []ReceiverOutcome
	Anomalies []paysync.AnomalyCode
	RecordID  uuid.UUID // zero when no channel call was made
	// Exhausted is set when this sync ended the order's sweep schedule.
	Exhausted bool
}

// ReceiverOutcome is one receiver's result after an allocation sync.
type ReceiverOutcome struct {
	ReceiverNo string
	Result     paysync.ReceiverResult
	Changed    bool
}

// RefundRequest asks for one refund to be synced. One of RefundNo and
// BizRefundNo is required; RefundNo wins.
type RefundRequest struct {
	RefundNo    string
	BizRefundNo string
	ClientIP    string
	Source      paysync.Source
}

// RefundOutcome is what a refund sync did. Anomalies lists the refund's
// and its pay order's (over_refunded).
type RefundOutcome struct {
	Status       paysync.RefundOrderStatus
	Adjusted     bool
	ChannelState channel.RefundState
	Anomalies    []paysync.AnomalyCode
	RecordID     uuid.UUID
	Exhausted    bool
}

// TransferRequest asks for one transfer to be synced. One of TransferNo and
// BizTransferNo is required; TransferNo wins.
type TransferRequest struct {
	TransferNo    string
	BizTransferNo string
	ClientIP      string
	Source        paysync.Source
}

// TransferOutcome is what a transfer sync did.
type TransferOutcome struct {
	Status       paysync.TransferStatus
	Adjusted     bool
	ChannelState channel.TransferState
	Anomalies    []paysync.AnomalyCode
	RecordID     uuid.UUID
	Exhausted    bool
}
