package paysync

// PayStatus is the local status of a pay order (DaxPay codes).
type PayStatus string

// Pay order statuses.
const (
	PayWait     PayStatus = "wait"     // created, not yet sent to a channel
	PayProgress PayStatus = "progress" // sent to the channel, waiting for the payer
	PaySuccess  PayStatus = "success"  // paid
	PayClose    PayStatus = "close"    // closed, no money moved
	PayCancel   PayStatus = "cancel"   // revoked
	PayFail     PayStatus = "fail"     // definitive payment failure
)

// PayStatuses lists every PayStatus, in the order of the table above.
func PayStatuses() []PayStatus {
	return []PayStatus{PayWait, PayProgress, PaySuccess, PayClose, PayCancel, PayFail}
}

// Valid reports whether s is one of the pay statuses.
func (s PayStatus) Valid() bool {
	switch s {
	case PayWait, PayProgress, PaySuccess, PayClose, PayCancel, PayFail:
		return true
	}
	return false
}

// RefundStatus is the refund state of a pay order. Pay sync never changes an
// order whose RefundStatus is not RefundNone (refunds have their own sync).
type RefundStatus string

// Refund statuses of a pay order.
const (
	RefundNone    RefundStatus = "no_refund"
	RefundRunning RefundStatus = "refunding"
	RefundPartial RefundStatus = "partial_refund"
	RefundFull    RefundStatus = "refunded"
)

// Valid reports whether s is one of the refund statuses.
func (s RefundStatus) Valid() bool {
	switch s {
	case RefundNone, RefundRunning, RefundPartial, RefundFull:
		return true
	}
	return false
}

// AllocationStatus is the local status of an allocation (profit-sharing) order.
type AllocationStatus string

// Allocation order statuses.
const (
	AllocProcessing   AllocationStatus = "allocation_processing"
	AllocEnd          AllocationStatus = "allocation_end"
	AllocFailed       AllocationStatus = "allocation_failed"
	AllocFinish       AllocationStatus = "finish"
	AllocFinishFailed AllocationStatus = "finish_failed"
	AllocIgnore       AllocationStatus = "ignore"
)

// AllocationStatuses lists every AllocationStatus.
func AllocationStatuses() []AllocationStatus {
	return []AllocationStatus{AllocProcessing, AllocEnd, AllocFailed, AllocFinish, AllocFinishFailed, AllocIgnore}
}

// Valid reports whether s is one of the allocation statuses.
func (s AllocationStatus) Valid() bool {
	switch s {
	case AllocProcessing, AllocEnd, AllocFailed, AllocFinish, AllocFinishFailed, AllocIgnore:
		return true
	}
	return false
}

// AllocationResult summarises the receivers of an ended allocation order.
type AllocationResult string

// Allocation results.
const (
	AllocAllPending  AllocationResult = "all_pending"
	AllocAllSuccess  AllocationResult = "all_success"
	AllocPartSuccess AllocationResult = "part_success"
	AllocAllFailed   AllocationResult = "all_failed"
)

// Valid reports whether r is one of the allocation results.
func (r AllocationResult) Valid() bool {
	switch r {
	case AllocAllPending, AllocAllSuccess, AllocPartSuccess, AllocAllFailed:
		return true
	}
	return false
}

// ReceiverResult is the result of one receiver of an allocation order.
type ReceiverResult string

// Receiver results. ReceiverSuccess and ReceiverFail are final.
const (
	ReceiverPending ReceiverResult = "pending"
	ReceiverSuccess ReceiverResult = "success"
	ReceiverFail    ReceiverResult = "fail"
	ReceiverIgnore  ReceiverResult = "ignore"
)

// Valid reports whether r is one of the receiver results.
func (r ReceiverResult) Valid() bool {
	switch r {
	case ReceiverPending, ReceiverSuccess, ReceiverFail, ReceiverIgnore:
		return true
	}
	return false
}

// Final reports whether r can no longer change.
func (r ReceiverResult) Final() bool { return r == ReceiverSuccess || r == ReceiverFail }
