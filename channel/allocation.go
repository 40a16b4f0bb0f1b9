package channel

import (
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// AllocationQuerier is a Channel that can report an allocation's receivers.
type AllocationQuerier interface {
	// QueryAllocation asks the channel what became of each receiver of order.
	// It returns ErrAllocationNotAtChannel when the channel does not know the
	// allocation, any other error when the answer is unknown.
	QueryAllocation(ctx context.Context, order paysync.AllocationOrder) (AllocationReport, error)
}

// AllocationReport is a channel's answer about one allocation order.
type AllocationReport struct {
	Receivers []ReceiverReport
	Raw       []byte
}

// ReceiverReport is the channel's view of one share of an allocation.
type ReceiverReport struct {
	ReceiverType string
	Account      string
	Amount       decimal.Decimal
	OutDetailID  string // empty when the channel has no id for the share
	State        ReceiverState
	ErrorCode    string
	ErrorMsg     string
	FinishedAt   time.Time
}

// ReceiverState is the channel's view of one share.
type ReceiverState string

// Receiver states.
const (
	ReceiverPending ReceiverState = "pending"
	ReceiverSuccess ReceiverState = "success"
	ReceiverFail    ReceiverState = "fail"
)
