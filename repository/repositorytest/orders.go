package repositorytest

import (
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// orderTest is one contract of PayOrders, asserted for every kind of order.
type orderTest[O any] struct {
	name string
	fn   func(t *testing.T, s suite, k kind[O])
}

// runOrders asserts every contract the kinds share on kind k, then extra,
// the kind's own.
func runOrders[O any](t *testing.T, s suite, k kind[O], extra ...orderTest[O]) {
	tests := []orderTest[O]{
		{"CreateAndGet", testCreateAndGet[O]},
		{"CreateDuplicate", testCreateDuplicate[O]},
		{"GetMissing", testGetMissing[O]},
		{"Commit", testCommit[O]},
		{"CommitKeepsNumbers", testCommitKeepsNumbers[O]},
		{"CommitConflict", testCommitConflict[O]},
		{"CommitMissing", testCommitMissing[O]},
		{"CommitDuplicateIDs", testCommitDuplicateIDs[O]},
		{"CommitWithoutSync", testCommitWithoutSync[O]},
		{"Copies", testCopies[O]},
		{"Times", testOrderTimes[O]},
	}
	if k.list != nil {
		tests = append(tests, orderTest[O]{"ListOfPayOrder", testListOfPayOrder[O]})
	}
	tests = append(tests, validationTests[O]()...)
	tests = append(tests, scheduleTests[O]()...)
	tests = append(tests, sightingTests[O]()...)
	tests = append(tests, listingTests[O]()...)
	tests = append(tests, concurrencyTests[O]()...)
	tests = append(tests, extra...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, s, k) })
	}
}

// created creates an order numbered no, created and due at at, edited by
// edits, and returns it as given to the store.
func created[O any](t *testing.T, st repository.Store, k kind[O], no string, at time.Time, edits ...func(*O)) O {
	t.Helper()
	o := k.newOrder(no, at)
	for _, e := range edits {
		e(&o)
	}
	must(t, k.create(st, t.Context(), o))
	return o
}

// stored returns the order numbered no.
func stored[O any](t *testing.T, st repository.Store, k kind[O], no string) O {
	t.Helper()
	o, err := k.get(st, t.Context(), no)
	must(t, err)
	return o
}

// expect returns what a store should hold after o was written as version v
// with lease fields lease.
func expect[O any](k kind[O], o O, v int64, lease paysync.Schedule) fields {
	o = k.utc(o)
	*k.version(&o) = v
	s := k.schedule(&o)
	s.LeaseOwner, s.LeaseUntil = lease.LeaseOwner, utc(lease.LeaseUntil)
	return k.fields(o)
}

// looksFor looks at orders and, for a kind that has one, at their pay
// orders.
func looksFor[O any](k kind[O], orders ...O) []look {
	var looks []look
	for _, o := range orders {
		looks = append(looks, lookKind(k, o))
		if k.payOrder != nil {
			looks = append(looks, lookOrder(payKind(), *k.payOrder(&o), ""))
		}
	}
	return looks
}

// prepared stores what must exist before o can be created.
func prepared[O any](t *testing.T, st repository.Store, k kind[O], o O) {
	t.Helper()
	if k.prepare != nil {
		must(t, k.prepare(st, t.Context(), o))
	}
}

func testCreateAndGet[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	o := k.newOrder("o-1", base())
	*k.version(&o) = 7 // ignored: a new order is version 1
	must(t, k.create(st, t.Context(), o))
	want := expect(k, o, 1, paysync.Schedule{})

	got, err := k.get(st, t.Context(), "o-1")
	must(t, err)
	same(t, "got by number", k.fields(got), want)
	_, biz := k.numbers(&o)
	got, err = k.getByBiz(st, t.Context(), *biz)
	must(t, err)
	same(t, "got by merchant number", k.fields(got), want)
}

func testCreateDuplicate[O any](t *testing.T, s suite, k kind[O]) {
	tests := []struct {
		name     string
		no, biz  string
		notThere func(st repository.Store) error // the duplicate's other number finds nothing
	}{
		{"number", "o-1", "biz-other", func(st repository.Store) error {
			_, err := k.getByBiz(st, t.Context(), "biz-other")
			return err
		}},
		{"merchant number", "o-2", "biz-o-1", func(st repository.Store) error {
			_, err := k.get(st, t.Context(), "o-2")
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := s.newStore(t)
			first := created(t, st, k, "o-1", base())
			dup := k.newOrder(tc.no, base().Add(time.Minute))
			no, biz := k.numbers(&dup)
			*no, *biz = tc.no, tc.biz
			prepared(t, st, k, dup)
			looks := append(looksFor(k, first, dup), lookOrder(k, tc.no, tc.biz))
			before := snapshot(t, st, looks...)
			wantErr(t, "create duplicate", k.create(st, t.Context(), dup), paysync.ErrDuplicate)
			wantErr(t, "look up the duplicate", tc.notThere(st), k.notFound)
			same(t, "first order", k.fields(stored(t, st, k, "o-1")), expect(k, first, 1, paysync.Schedule{}))
			same(t, "store after the duplicate", snapshot(t, st, looks...), before)
		})
	}
}

func testGetMissing[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	created(t, st, k, "o-1", base())
	_, err := k.get(st, t.Context(), "o-2")
	wantErr(t, "get by number", err, k.notFound)
	_, err = k.getByBiz(st, t.Context(), "biz-o-2")
	wantErr(t, "get by merchant number", err, k.notFound)
	// Each number is looked up in its own column.
	_, err = k.get(st, t.Context(), "biz-o-1")
	wantErr(t, "get by number with a merchant number", err, k.notFound)
	_, err = k.getByBiz(st, t.Context(), "o-1")
	wantErr(t, "get by merchant number with a number", err, k.notFound)
}

func testCommit[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	created(t, st, k, "o-1", base())
	want := trail{}
	for v := int64(1); v <= 3; v++ {
		at := base().Add(time.Duration(v) * time.Minute)
		next := stored(t, st, k, "o-1")
		if got := *k.version(&next); got != v {
			t.Fatalf("version before commit %d: got %d, want %d", v, got, v)
		}
		k.change(&next, at)
		e := NewEntries(k.tradeType, "o-1", at)
		must(t, k.commit(st, t.Context(), next, e))
		want = want.plus(entriesTrail(e))

		wantOrder := expect(k, next, v+1, paysync.Schedule{})
		same(t, "got by number", k.fields(stored(t, st, k, "o-1")), wantOrder)
		_, biz := k.numbers(&next)
		got, err := k.getByBiz(st, t.Context(), *biz)
		must(t, err)
		same(t, "got by merchant number", k.fields(got), wantOrder)
		sameTrail(t, "after commit", trailOf(t, st, "o-1"), want)
	}
}

// testCommitWithoutSync: a commit whose Sync has the zero id stores no sync
// record, and the rest of its entries as usual.
func testCommitWithoutSync[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	created(t, st, k, "o-1", base())
	next := stored(t, st, k, "o-1")
	at := base().Add(time.Minute)
	k.change(&next, at)
	e := NewEntries(k.tradeType, "o-1", at)
	e.Sync = paysync.SyncRecord{}
	must(t, k.commit(st, t.Context(), next, e))
	same(t, "order after the commit", k.fields(stored(t, st, k, "o-1")), expect(k, next, 2, paysync.Schedule{}))
	want := trail{syncs: []string{}, adjusts: adjustNos(e.Adjusts), events: eventIDs(e.Events)}
	sameTrail(t, "entries of a commit without a sync record", trailOf(t, st, "o-1"), want)
	all, err := st.ListSyncRecords(t.Context(), repository.RecordFilter{})
	must(t, err)
	sameList(t, "every sync record stored", syncIDs(all), []string{})
}

// testCommitKeepsNumbers: a commit cannot change the merchant number, a
// refund's pay order number or CreatedAt; it keeps them as stored and writes
// the rest.
func testCommitKeepsNumbers[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	created(t, st, k, "o-1", base())
	next := stored(t, st, k, "o-1")
	at := base().Add(time.Minute)
	k.change(&next, at)
	want := next
	for _, f := range k.kept(&next) {
		*f += "-changed"
	}
	createdAt, _ := k.timestamps(&next)
	*createdAt = base().Add(-time.Hour)
	must(t, k.commit(st, t.Context(), next, NewEntries(k.tradeType, "o-1", at)))

	wantFields := expect(k, want, 2, paysync.Schedule{})
	same(t, "got by number", k.fields(stored(t, st, k, "o-1")), wantFields)
	got, err := k.getByBiz(st, t.Context(), k.biz(want))
	must(t, err)
	same(t, "got by the stored merchant number", k.fields(got), wantFields)
	_, err = k.getByBiz(st, t.Context(), k.biz(want)+"-changed")
	wantErr(t, "get by the merchant number the commit tried", err, k.notFound)
}

func testCommitConflict[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	created(t, st, k, "o-1", base())
	v2 := stored(t, st, k, "o-1")
	k.change(&v2, base().Add(time.Minute))
	first := NewEntries(k.tradeType, "o-1", base().Add(time.Minute))
	must(t, k.commit(st, t.Context(), v2, first))
	want := expect(k, v2, 2, paysync.Schedule{})

	before := snapshot(t, st, looksFor(k, v2)...)
	for _, v := range []int64{1, 3, 0, -1} {
		o := stored(t, st, k, "o-1")
		k.change(&o, base().Add(time.Hour))
		*k.version(&o) = v
		e := NewEntries(k.tradeType, "o-1", base().Add(time.Hour))
		e.Sightings = []repository.AnomalySighting{NewSighting(k.tradeType, "o-1", paysync.AnomalyAmountMismatch, base().Add(time.Hour))}
		err := k.commit(st, t.Context(), o, e)
		wantErr(t, fmt.Sprintf("commit with version %d", v), err, paysync.ErrVersionConflict)
	}
	same(t, "order after conflicts", k.fields(stored(t, st, k, "o-1")), want)
	sameTrail(t, "after conflicts", trailOf(t, st, ""), entriesTrail(first))
	same(t, "store after conflicts", snapshot(t, st, looksFor(k, v2)...), before)
}

func testCommitMissing[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	o := created(t, st, k, "o-1", base())
	ghost := k.newOrder("o-2", base())
	*k.version(&ghost) = 1
	prepared(t, st, k, ghost)
	looks := looksFor(k, o, ghost)
	before := snapshot(t, st, looks...)
	e := NewEntries(k.tradeType, "o-2", base())
	e.Sightings = []repository.AnomalySighting{NewSighting(k.tradeType, "o-2", paysync.AnomalyAmountMismatch, base())}
	err := k.commit(st, t.Context(), ghost, e)
	wantErr(t, "commit a missing order", err, k.notFound)
	same(t, "store after the commit", snapshot(t, st, looks...), before)
}

// testListOfPayOrder: the orders of a pay order, in creation order
// (CreatedAt, then number), and only those; an empty slice for a pay order
// with none or no such pay order.
func testListOfPayOrder[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	of := func(payNo string) func(*O) { return func(o *O) { *k.payOrder(o) = payNo } }
	// Created out of order, with a tie on CreatedAt broken by number.
	created(t, st, k, "o-c", t0.Add(time.Minute), of("pay-1"))
	created(t, st, k, "o-b", t0.Add(2*time.Minute), of("pay-1"))
	created(t, st, k, "o-x", t0, of("pay-2"))
	created(t, st, k, "o-a", t0.Add(time.Minute), of("pay-1"))
	created(t, st, k, "o-d", zoned(-24*time.Hour), of("pay-1")) // earlier, in another zone
	must(t, st.CreatePayOrder(t.Context(), NewPaidOrder("pay-3", t0)))

	for _, c := range []struct {
		payNo string
		want  []string
	}{
		{"pay-1", []string{"o-d", "o-a", "o-c", "o-b"}},
		{"pay-2", []string{"o-x"}},
		{"pay-3", []string{}},
		{"pay-missing", []string{}},
	} {
		got, err := k.list(st, t.Context(), c.payNo)
		must(t, err)
		if got == nil {
			t.Errorf("%s: nil, want an empty slice when there are none", c.payNo)
		}
		sameList(t, "orders of "+c.payNo, k.nos(got), c.want)
		for _, o := range got {
			same(t, "listed "+k.no(o), k.fields(o), k.fields(stored(t, st, k, k.no(o))))
		}
	}
	// What a list returns is the caller's.
	got, err := k.list(st, t.Context(), "pay-1")
	must(t, err)
	want := k.fields(stored(t, st, k, "o-a"))
	for i := range got {
		k.scribble(&got[i])
	}
	same(t, "o-a after the caller scribbled on the list", k.fields(stored(t, st, k, "o-a")), want)
}

func testCommitDuplicateIDs[O any](t *testing.T, s suite, k kind[O]) {
	tests := []struct {
		name  string
		clash func(e *repository.Entries, saved paysync.SyncRecord, earlier repository.Entries)
	}{
		{"sync id of a saved record", func(e *repository.Entries, saved paysync.SyncRecord, _ repository.Entries) {
			e.Sync.ID = saved.ID
		}},
		{"sync id of a commit", func(e *repository.Entries, _ paysync.SyncRecord, earlier repository.Entries) {
			e.Sync.ID = earlier.Sync.ID
		}},
		{"adjust number of a commit", func(e *repository.Entries, _ paysync.SyncRecord, earlier repository.Entries) {
			e.Adjusts[0].AdjustNo = earlier.Adjusts[0].AdjustNo
		}},
		{"event id of a commit", func(e *repository.Entries, _ paysync.SyncRecord, earlier repository.Entries) {
			e.Events[0].ID = earlier.Events[0].ID
		}},
		{"adjust number twice", func(e *repository.Entries, _ paysync.SyncRecord, _ repository.Entries) {
			again := e.Adjusts[0]
			again.After = "again"
			e.Adjusts = append(e.Adjusts, again)
		}},
		{"event id twice", func(e *repository.Entries, _ paysync.SyncRecord, _ repository.Entries) {
			again := e.Events[0]
			again.Type = paysync.EventSyncExhausted
			e.Events = append(e.Events, again)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := s.newStore(t)
			// The ids clash with another order's, so the failed commit
			// has nothing of its own to leave behind.
			created(t, st, k, "o-0", base())
			other := stored(t, st, k, "o-0")
			earlier := NewEntries(k.tradeType, "o-0", base())
			must(t, k.commit(st, t.Context(), other, earlier))
			saved := NewSyncRecord(k.tradeType, "o-0", base())
			must(t, st.SaveEntries(t.Context(), repository.Entries{Sync: saved}))
			before := trailOf(t, st, "")

			o := created(t, st, k, "o-1", base())
			next := stored(t, st, k, "o-1")
			k.change(&next, base().Add(time.Minute))
			e := NewEntries(k.tradeType, "o-1", base().Add(time.Minute))
			e.Sightings = []repository.AnomalySighting{NewSighting(k.tradeType, "o-1", paysync.AnomalyAmountMismatch, base())}
			tc.clash(&e, saved, earlier)
			wantErr(t, "commit", k.commit(st, t.Context(), next, e), paysync.ErrDuplicate)
			as, err := st.OrderAnomalies(t.Context(), k.tradeType, "o-1")
			must(t, err)
			if len(as) != 0 {
				t.Errorf("the refused commit's sighting is stored: %v", as)
			}

			same(t, "order after the commit", k.fields(stored(t, st, k, "o-1")), expect(k, o, 1, paysync.Schedule{}))
			sameTrail(t, "after the commit", trailOf(t, st, ""), before)
		})
	}
}

func testCopies[O any](t *testing.T, s suite, k kind[O]) {
	tests := []struct {
		name string
		// touch writes o through the store or reads it back, and returns
		// the value the caller holds afterwards and what the store must
		// hold.
		touch func(t *testing.T, st repository.Store, o O) (held O, want fields)
	}{
		{"create input", func(t *testing.T, st repository.Store, o O) (O, fields) {
			must(t, k.create(st, t.Context(), o))
			return o, expect(k, o, 1, paysync.Schedule{})
		}},
		{"get result", func(t *testing.T, st repository.Store, o O) (O, fields) {
			must(t, k.create(st, t.Context(), o))
			return stored(t, st, k, "o-1"), expect(k, o, 1, paysync.Schedule{})
		}},
		{"get by merchant number result", func(t *testing.T, st repository.Store, o O) (O, fields) {
			must(t, k.create(st, t.Context(), o))
			got, err := k.getByBiz(st, t.Context(), "biz-o-1")
			must(t, err)
			return got, expect(k, o, 1, paysync.Schedule{})
		}},
		{"commit input", func(t *testing.T, st repository.Store, o O) (O, fields) {
			must(t, k.create(st, t.Context(), o))
			next := stored(t, st, k, "o-1")
			k.change(&next, base().Add(time.Minute))
			must(t, k.commit(st, t.Context(), next, NewEntries(k.tradeType, "o-1", base())))
			return next, expect(k, next, 2, paysync.Schedule{})
		}},
		{"claim result", func(t *testing.T, st repository.Store, o O) (O, fields) {
			must(t, k.create(st, t.Context(), o))
			c := repository.Claim{Now: base(), Owner: "a", Until: base().Add(time.Minute), Limit: 1}
			got, err := k.claim(st, t.Context(), c)
			must(t, err)
			if len(got) != 1 {
				t.Fatalf("claimed %d orders, want 1", len(got))
			}
			return got[0], expect(k, o, 1, paysync.Schedule{LeaseOwner: "a", LeaseUntil: c.Until})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := s.newStore(t)
			o := k.newOrder("o-1", base())
			held, want := tc.touch(t, st, o)
			k.scribble(&held)
			same(t, "stored order after the caller scribbled on its copy", k.fields(stored(t, st, k, "o-1")), want)
		})
	}
}

// zoned is a time with nanoseconds in a zone other than UTC: a store keeps
// it as UTC microseconds.
func zoned(offset time.Duration) time.Time {
	cst := time.FixedZone("CST", 8*60*60)
	return time.Date(2024, 5, 12, 16, 0, 0, 123456789, cst).Add(offset)
}

func testOrderTimes[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	o := k.newOrder("o-1", zoned(0))
	k.change(&o, zoned(time.Second)) // sets every time an order has
	must(t, k.create(st, t.Context(), o))
	same(t, "created order", k.fields(stored(t, st, k, "o-1")), expect(k, o, 1, paysync.Schedule{}))

	c := repository.Claim{Now: zoned(time.Hour), Owner: "a", Until: zoned(time.Hour + time.Minute), Limit: 1}
	claimed, err := k.claim(st, t.Context(), c)
	must(t, err)
	if len(claimed) != 1 {
		t.Fatalf("claimed %d orders, want 1", len(claimed))
	}
	lease := paysync.Schedule{LeaseOwner: "a", LeaseUntil: c.Until}
	same(t, "claimed order", k.fields(claimed[0]), expect(k, o, 1, lease))

	next := claimed[0]
	k.change(&next, zoned(2*time.Hour))
	must(t, k.commit(st, t.Context(), next, NewEntries(k.tradeType, "o-1", zoned(0))))
	same(t, "committed order", k.fields(stored(t, st, k, "o-1")), expect(k, next, 2, lease))
}
