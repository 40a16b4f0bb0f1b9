package syncer

import (
	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// PayRequest asks for one pay order to be synced. One of OrderNo and
// BizOrderNo is required; OrderNo wins when both are given.
type PayRequest struct {
	OrderNo    string
	BizOrderNo string
	ClientIP   string
	Source     paysync.Source // empty means paysync.SourceAPI
}

// PayOutcome is the outcome of a pay sync.
type PayOutcome struct {
	OrderStatus  paysync.PayStatus // the local status after the sync
	Adjusted     bool              // whether the sync changed the local status
	ChannelState channel.PayState  // what the channel answered
	Anomalies    []paysync.AnomalyCode
	RecordID     uuid.UUID // the SyncRecord written
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

// AllocationOutcome is the outcome of an allocation sync.
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
