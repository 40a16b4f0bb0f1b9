package repositorytest

import (
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// orderTest is one contract of PayOrders, asserted for AllocationOrders too.
type orderTest[O any] struct {
	name string
	fn   func(t *testing.T, s suite, k kind[O])
}

func runOrders[O any](t *testing.T, s suite, k kind[O]) {
	tests := []orderTest[O]{
		{"CreateAndGet", testCreateAndGet[O]},
		{"CreateDuplicate", testCreateDuplicate[O]},
		{"CreateInvalid", testCreateInvalid[O]},
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
	tests = append(tests, scheduleTests[O]()...)
	tests = append(tests, concurrencyTests[O]()...)
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

func testCreateAndGet[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	o := k.newOrder("o-1", base())
	*k.announced(&o) = []paysync.AnomalyCode{paysync.AnomalyTradeMismatch}
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
			wantErr(t, "create duplicate", k.create(st, t.Context(), dup), paysync.ErrDuplicate)
			wantErr(t, "look up the duplicate", tc.notThere(st), k.notFound)
			same(t, "first order", k.fields(stored(t, st, k, "o-1")), expect(k, first, 1, paysync.Schedule{}))
		})
	}
}

func testCreateInvalid[O any](t *testing.T, s suite, k kind[O]) {
	tests := []struct{ name, no, biz string }{
		{"no number", "", "biz-1"},
		{"no merchant number", "o-1", ""},
		{"neither", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := s.newStore(t)
			o := k.newOrder("o-1", base())
			no, biz := k.numbers(&o)
			*no, *biz = tc.no, tc.biz
			wantErr(t, "create", k.create(st, t.Context(), o), paysync.ErrInvalidRequest)
			if tc.no != "" {
				_, err := k.get(st, t.Context(), tc.no)
				wantErr(t, "get by number", err, k.notFound)
			}
			if tc.biz != "" {
				_, err := k.getByBiz(st, t.Context(), tc.biz)
				wantErr(t, "get by merchant number", err, k.notFound)
			}
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

func testCommitKeepsNumbers[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	created(t, st, k, "o-1", base())
	next := stored(t, st, k, "o-1")
	_, biz := k.numbers(&next)
	*biz = "biz-changed"
	must(t, k.commit(st, t.Context(), next, NewEntries(k.tradeType, "o-1", base())))

	got, err := k.getByBiz(st, t.Context(), "biz-o-1")
	must(t, err)
	if _, gotBiz := k.numbers(&got); *gotBiz != "biz-o-1" || *k.version(&got) != 2 {
		t.Errorf("got merchant number %q version %d, want biz-o-1 version 2", *gotBiz, *k.version(&got))
	}
	_, err = k.getByBiz(st, t.Context(), "biz-changed")
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

	for _, v := range []int64{1, 3, 0, -1} {
		o := stored(t, st, k, "o-1")
		k.change(&o, base().Add(time.Hour))
		*k.version(&o) = v
		err := k.commit(st, t.Context(), o, NewEntries(k.tradeType, "o-1", base().Add(time.Hour)))
		wantErr(t, fmt.Sprintf("commit with version %d", v), err, paysync.ErrVersionConflict)
	}
	same(t, "order after conflicts", k.fields(stored(t, st, k, "o-1")), want)
	sameTrail(t, "after conflicts", trailOf(t, st, ""), entriesTrail(first))
}

func testCommitMissing[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	created(t, st, k, "o-1", base())
	ghost := k.newOrder("o-2", base())
	*k.version(&ghost) = 1
	err := k.commit(st, t.Context(), ghost, NewEntries(k.tradeType, "o-2", base()))
	wantErr(t, "commit a missing order", err, k.notFound)
	_, err = k.get(st, t.Context(), "o-2")
	wantErr(t, "get the missing order", err, k.notFound)
	sameTrail(t, "after the commit", trailOf(t, st, ""), trail{})
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
			must(t, st.SaveSyncRecord(t.Context(), saved))
			before := trailOf(t, st, "")

			o := created(t, st, k, "o-1", base())
			next := stored(t, st, k, "o-1")
			k.change(&next, base().Add(time.Minute))
			e := NewEntries(k.tradeType, "o-1", base().Add(time.Minute))
			tc.clash(&e, saved, earlier)
			wantErr(t, "commit", k.commit(st, t.Context(), next, e), paysync.ErrDuplicate)

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
			*k.announced(&o) = []paysync.AnomalyCode{paysync.AnomalyTradeMismatch, paysync.AnomalyAmountMismatch}
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
