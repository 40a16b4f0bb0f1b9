package main

// payKind is the part a pay order plays in the story.
type payKind int

// Pay order parts. The comments say what the order looks like here, what the
// channel knows, and so what the engine should do.
const (
	kindSettled        payKind = iota // success here and there: its callback arrived; not due
	kindPaidLost                      // progress here, paid there: the callback was lost → success
	kindExpired                       // progress, expired, never paid → closed at the channel
	kindClosedThere                   // progress here, the channel closed the trade itself → close
	kindWaiting                       // progress, not expired, the payer has not paid → no change
	kindStarted                       // wait here, open there: the host crashed before marking it → progress
	kindUnanswered                    // progress here, paid there, the channel answers 503 → no change, retried
	kindRefunded                      // progress here, paid and refunded there → success, refunded, anomaly
	kindAmountMismatch                // progress here, paid there for another amount → anomaly, no change
	kindPaidAfterClose                // closed here at expiry, paid there a moment later; a late callback → success
	kindRefundBase                    // success, paid yesterday; the shop refunds it since (seed_refund.go)
	numPayKinds
)

// allocKind is the part an allocation order plays in the story.
type allocKind int

// Allocation order parts; every one is due.
const (
	allocSuccess   allocKind = iota // every receiver paid out → allocation_end, all_success
	allocMixed                      // one receiver refused by the channel → allocation_end, part_success
	allocPending                    // the channel is still paying out → no change
	allocRestarted                  // marked failed here when the request timed out, done there → allocation_end
	numAllocKinds
)

// refundKind is the part a refund plays in the story. Every refund is made
// by Syncer.CreateRefund at its own moment, so the pay order's reservation
// is the engine's, not the script's.
type refundKind int

// Refund parts.
const (
	refundLost          refundKind = iota // the channel paid it back, the callback was lost → success
	refundProcessing                      // the bank is still paying it back → no change, still reserved
	refundNeverReceived                   // the request never reached the channel; older than NotFoundAfter → close, watched
	refundAfterClose                      // closed last night as never received; the money moved later → success after close
	numRefundKinds
)

// transferKind is the part a payout plays in the story.
type transferKind int

// Transfer parts; every one is due.
const (
	transferPaid         transferKind = iota // paid out, the callback was lost → success
	transferFailed                           // the channel refused the payee → fail
	transferProcessing                       // still paying → no change
	transferNotAtChannel                     // unknown to the channel past NotFoundAfter → stays progress, a person decides
	numTransferKinds
)

// planted is what seed put in the store and scripted at the channels: the
// scenario the demo's tables are checked against.
type planted struct {
	Pay   [numPayKinds]int
	Alloc [numAllocKinds]int
	// Refund counts the refunds of each part; RefundBases the pay orders
	// they return money from.
	Refund      [numRefundKinds]int
	Transfer    [numTransferKinds]int
	RefundBases int
	// ReceiversSucceeded and ReceiversFailed count the receivers of due
	// allocation orders that the channel reports final.
	ReceiversSucceeded int
	ReceiversFailed    int

	// PaidAfterCloseNo is the closed order whose late callback the demo
	// delivers; DuplicateNo a lost-callback order whose callback arrives
	// after the sweep repaired it.
	PaidAfterCloseNo string
	DuplicateNo      string
	// RefundedNo and MismatchNo are the refunded order and the one paid for
	// another amount.
	RefundedNo string
	MismatchNo string
	// NightRefundNo is the refund closed last night that the channel paid
	// back after all; NotAtChannelNo the payout the channel does not know.
	NightRefundNo  string
	NotAtChannelNo string
}
