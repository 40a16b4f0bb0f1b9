package repositorytest

import (
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// Orders are validated on the way in (issue 12 §3): an unknown status,
// result or receiver result, an empty number or a zero CreatedAt is refused
// with paysync.ErrInvalidRequest by a create and by a commit, and nothing is
// stored.

func validationTests[O any]() []orderTest[O] {
	return []orderTest[O]{
		{"CreateInvalid", testCreateInvalid[O]},
		{"CommitInvalid", testCommitInvalid[O]},
	}
}

// invalidEdits are the edits every store refuses on the way in for kind k.
func invalidEdits[O any](k kind[O]) []edit[O] {
	edits := []edit[O]{
		{"no number", func(o *O) { no, _ := k.numbers(o); *no = "" }},
		{"no merchant number", func(o *O) { _, biz := k.numbers(o); *biz = "" }},
		{"neither number", func(o *O) { no, biz := k.numbers(o); *no, *biz = "", "" }},
		{"zero CreatedAt", func(o *O) { c, _ := k.timestamps(o); *c = time.Time{} }},
	}
	return append(edits, k.invalid...)
}

func testCreateInvalid[O any](t *testing.T, s suite, k kind[O]) {
	for _, e := range invalidEdits(k) {
		t.Run(e.name, func(t *testing.T) {
			st := s.newStore(t)
			o := k.newOrder("o-1", base())
			prepared(t, st, k, o)
			looks := looksFor(k, o)
			before := snapshot(t, st, looks...)
			e.apply(&o)
			wantErr(t, "create", k.create(st, t.Context(), o), paysync.ErrInvalidRequest)
			same(t, "store after the refused create", snapshot(t, st, looks...), before)
			sameList(t, "claim after the refused create",
				claimed(t, st, k, "a", base().Add(time.Hour), base().Add(2*time.Hour), 10), []string{})
		})
	}
}

// testCommitInvalid: a commit is validated as a create is. Its entries,
// a sighting included, are not stored either.
func testCommitInvalid[O any](t *testing.T, s suite, k kind[O]) {
	for _, e := range invalidEdits(k) {
		t.Run(e.name, func(t *testing.T) {
			st := s.newStore(t)
			o := created(t, st, k, "o-1", base())
			looks := looksFor(k, o)
			before := snapshot(t, st, looks...)
			next := stored(t, st, k, "o-1")
			at := base().Add(time.Minute)
			k.change(&next, at)
			e.apply(&next)
			entries := NewEntries(k.tradeType, "o-1", at)
			entries.Sightings = []repository.AnomalySighting{NewSighting(k.tradeType, "o-1", paysync.AnomalyAmountMismatch, at)}
			wantErr(t, "commit", k.commit(st, t.Context(), next, entries), paysync.ErrInvalidRequest)
			same(t, "store after the refused commit", snapshot(t, st, looks...), before)
		})
	}
}

// testAllocationPending: an allocation order created in
// allocation_processing with an empty Result is stored with all_pending; in
// any status an empty Result is accepted.
func testAllocationPending(t *testing.T, s suite, k kind[paysync.AllocationOrder]) {
	st := s.newStore(t)
	o := created(t, st, k, "o-1", base(), func(o *paysync.AllocationOrder) { o.Result = "" })
	o.Result = paysync.AllocAllPending
	same(t, "created in processing without a result", k.fields(stored(t, st, k, "o-1")), expect(k, o, 1, paysync.Schedule{}))
	for i, s := range paysync.AllocationStatuses() {
		o := k.newOrder(fmt.Sprintf("o-%d", i+2), base())
		o.Status, o.Result = s, ""
		must(t, k.create(st, t.Context(), o))
	}
}

// testPayEmptyRefundStatus: an empty RefundStatus means no_refund and is
// accepted.
func testPayEmptyRefundStatus(t *testing.T, s suite, k kind[paysync.PayOrder]) {
	st := s.newStore(t)
	created(t, st, k, "o-1", base(), func(o *paysync.PayOrder) { o.RefundStatus = "" })
	o := stored(t, st, k, "o-1")
	k.change(&o, base().Add(time.Minute))
	o.RefundStatus = ""
	must(t, k.commit(st, t.Context(), o, repository.Entries{}))
}
