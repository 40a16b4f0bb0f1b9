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

// planted is what seed put in the store and scripted at the channels: the
// scenario the demo's tables are checked against.
type planted struct {
	Pay   [numPayKinds]int
	Alloc [numAllocKinds]int
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

	payNos   []string // every pay order, in number order
	allocNos []string // every allocation order, in number order
}

// duePay returns how many pay orders the sweep should find due: every one
// still wait or progress.
func (p planted) duePay() int {
	n := 0
	for k, c := range p.Pay {
		if payKind(k) != kindSettled && payKind(k) != kindPaidAfterClose {
			n += c
		}
	}
	return n
}

// dueAlloc returns how many allocation orders the sweep should find due: all.
func (p planted) dueAlloc() int {
	n := 0
	for _, c := range p.Alloc {
		n += c
	}
	return n
}

// due returns how many orders the sweep should claim.
func (p planted) due() int { return p.duePay() + p.dueAlloc() }
