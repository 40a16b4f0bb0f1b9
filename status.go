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

// PayRefundStatus is the refund state of a pay order. Pay sync never changes an
// order whose RefundStatus is not PayRefundNone (refunds have their own sync).
type PayRefundStatus string

// Refund statuses of a pay order.
const (
	PayRefundNone    PayRefundStatus = "no_refund"
	PayRefunding     PayRefundStatus = "refunding"
	PayRefundPartial PayRefundStatus = "partial_refund"
	PayRefundFull    PayRefundStatus = "refunded"
)

// Valid reports whether s is one of the refund statuses.
func (s PayRefundStatus) Valid() bool {
	switch s {
	case PayRefundNone, PayRefunding, PayRefundPartial, PayRefundFull:
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

// RefundOrderStatus is the local status of a refund order (DaxPay codes).
type RefundOrderStatus string

// Refund order statuses.
const (
	RefundProgress RefundOrderStatus = "progress" // recorded, sent or about to be sent; not final
	RefundSuccess  RefundOrderStatus = "success"  // the money went back to the payer
	RefundClose    RefundOrderStatus = "close"    // closed: no money moved
	RefundFail     RefundOrderStatus = "fail"     // the channel failed it; the host may send it again
)

// RefundOrderStatuses lists every RefundOrderStatus.
func RefundOrderStatuses() []RefundOrderStatus {
	return []RefundOrderStatus{RefundProgress, RefundSuccess, RefundClose, RefundFail}
}

// Valid reports whether s is one of the refund order statuses.
func (s RefundOrderStatus) Valid() bool {
	switch s {
	case RefundProgress, RefundSuccess, RefundClose, RefundFail:
		return true
	}
	return false
}

// TransferStatus is the local status of a transfer (payout) order.
type TransferStatus string

// Transfer statuses.
const (
	TransferProgress TransferStatus = "progress" // sent or about to be sent; not final
	TransferSuccess  TransferStatus = "success"  // the payee has the money
	TransferClose    TransferStatus = "close"    // closed: no money moved
	TransferFail     TransferStatus = "fail"     // the channel failed it; the host may send it again
)

// TransferStatuses lists every TransferStatus.
func TransferStatuses() []TransferStatus {
	return []TransferStatus{TransferProgress, TransferSuccess, TransferClose, TransferFail}
}

// Valid reports whether s is one of the transfer statuses.
func (s TransferStatus) Valid() bool {
	switch s {
	case TransferProgress, TransferSuccess, TransferClose, TransferFail:
		return true
	}
	return false
}
