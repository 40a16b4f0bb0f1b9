package paysync

import (
	"time"

	"github.com/google/uuid"
)

// TradeType tells which kind of order a record or event is about.
type TradeType string

// Trade types.
const (
	TradePay        TradeType = "pay"
	TradeAllocation TradeType = "allocation"
	TradeRefund     TradeType = "refund"
	TradeTransfer   TradeType = "transfer"
)

// TradeTypes lists every TradeType.
func TradeTypes() []TradeType {
	return []TradeType{TradePay, TradeAllocation, TradeRefund, TradeTransfer}
}

// Valid reports whether t is one of the trade types.
func (t TradeType) Valid() bool {
	switch t {
	case TradePay, TradeAllocation, TradeRefund, TradeTransfer:
		return true
	}
	return false
}

// Source tells what started a sync.
type Source string

// Sources of a sync.
const (
	SourceAPI      Source = "api"      // the host's sync endpoint
	SourceCallback Source = "callback" // a verified channel notification
	SourceSweep    Source = "sweep"    // the background sweeper
	SourceManual   Source = "manual"   // a person, through Repair
)

// Valid reports whether s is one of the sources.
func (s Source) Valid() bool {
	switch s {
	case SourceAPI, SourceCallback, SourceSweep, SourceManual:
		return true
	}
	return false
}

// SyncRecord is written for every sync attempt that got as far as an answer
// from the channel (or a definitive failure to get one), changed or not.
type SyncRecord struct {
	ID           uuid.UUID // uuid v7
	TradeType    TradeType
	TradeNo      string // OrderNo or AllocationNo
	BizNo        string // BizOrderNo or BizAllocationNo
	OutNo        string // the channel's number, when known
	Channel      string
	ChannelState string // the observed channel state, empty on error
	Raw          []byte // the channel's raw response
	Adjusted     bool
	AdjustNo     string // the AdjustRecord of this sync's first change, if any
	Anomalies    []AnomalyCode
	ErrorCode    string // paysync Code of the failure, empty on success
	ErrorMsg     string
	ClientIP     string
	Source       Source
	CreatedAt    time.Time
}

// AdjustRecord is written for every local state change.
type AdjustRecord struct {
	AdjustNo  string
	TradeType TradeType
	TradeNo   string
	Source    Source
	Way       AdjustWay
	// ReceiverNo names the receiver whose result changed (way alloc_receiver);
	// empty for an order's status change.
	ReceiverNo string
	Before     string // status (or receiver result) before the change
	After      string // status (or receiver result) after the change
	// Operator and Reason are a person's name and words, for way manual
	// (source manual); empty for the engine's own changes.
	Operator  string
	Reason    string
	CreatedAt time.Time
}

// AdjustWay names how a local state was changed.
type AdjustWay string

// Adjust ways.
const (
	WayPayProgress     AdjustWay = "pay_progress"      // wait → progress
	WayPaySuccess      AdjustWay = "pay_success"       // → success
	WayPayCloseLocal   AdjustWay = "pay_close_local"   // channel said closed: close locally
	WayPayCloseGateway AdjustWay = "pay_close_gateway" // expired: closed at the channel, then locally
	WayPayCancel       AdjustWay = "pay_cancel"
	WayPayFail         AdjustWay = "pay_fail"
	WayAllocStatus     AdjustWay = "alloc_status"   // allocation order status change
	WayAllocReceiver   AdjustWay = "alloc_receiver" // a receiver's result became final

	WayRefundSuccess    AdjustWay = "refund_success"
	WayRefundClose      AdjustWay = "refund_close"
	WayRefundFail       AdjustWay = "refund_fail"
	WayRefundProgress   AdjustWay = "refund_progress" // fail or close → progress
	WayTransferSuccess  AdjustWay = "transfer_success"
	WayTransferClose    AdjustWay = "transfer_close"
	WayTransferFail     AdjustWay = "transfer_fail"
	WayTransferProgress AdjustWay = "transfer_progress" // fail or close → progress

	WayManual AdjustWay = "manual" // a person's repair, with its operator and reason
)
