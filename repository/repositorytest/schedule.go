package repositorytest

import (
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

func scheduleTests[O any]() []orderTest[O] {
	return []orderTest[O]{
		{"ClaimInDueOrder", testClaimInDueOrder[O]},
		{"ClaimLimit", testClaimLimit[O]},
		{"ClaimLeased", testClaimLeased[O]},
		{"ClaimClockBehind", testClaimClockBehind[O]},
		{"ClaimOnlyScheduled", testClaimOnlyScheduled[O]},
		{"ClaimZeroNextSyncAt", testClaimZeroNextSyncAt[O]},
		{"ClaimInvalid", testClaimInvalid[O]},
		{"CreateIgnoresLease", testCreateIgnoresLease[O]},
		{"CommitLeavesSchedule", testCommitLeavesSchedule[O]},
		{"CommitEntersSchedule", testCommitEntersSchedule[O]},
		{"CommitReschedules", testCommitReschedules[O]},
		{"CommitKeepsLease", testCommitKeepsLease[O]},
		{"Release", testRelease[O]},
	}
}

// dueAt sets an order's NextSyncAt.
func dueAt[O any](k kind[O], at time.Time) func(*O) {
	return func(o *O) { k.schedule(o).NextSyncAt = at }
}

// claimed claims as owner at now until until and returns the numbers
// handed out, failing t unless each came with that lease.
func claimed[O any](t *testing.T, st repository.Store, k kind[O], owner string, now, until time.Time, limit int) []string {
	t.Helper()
	got, err := k.claim(st, t.Context(), repository.Claim{Now: now, Owner: owner, Until: until, Limit: limit})
	must(t, err)
	if got == nil {
		t.Errorf("claim by %s returned nil, want an empty slice when nothing is due", owner)
	}
	for _, o := range got {
		s := k.schedule(&o)
		if s.LeaseOwner != owner || !s.LeaseUntil.Equal(utc(until)) {
			t.Errorf("claim by %s handed out %s leased to %q until %v, want %q until %v",
				owner, k.no(o), s.LeaseOwner, s.LeaseUntil, owner, utc(until))
		}
	}
	return k.nos(got)
}

// wantLease fails t unless order no is leased to owner until until (no
// lease: "" and the zero time).
func wantLease[O any](t *testing.T, st repository.Store, k kind[O], no, owner string, until time.Time) {
	t.Helper()
	o := stored(t, st, k, no)
	s := k.schedule(&o)
	if s.LeaseOwner != owner || stamp(s.LeaseUntil) != stamp(utc(until)) {
		t.Errorf("%s is leased to %q until %s, want %q until %s", no, s.LeaseOwner, stamp(s.LeaseUntil), owner, stamp(utc(until)))
	}
}

// wantSchedule fails t unless order no is version v due at next (the zero
// time: out of the schedule).
func wantSchedule[O any](t *testing.T, st repository.Store, k kind[O], no string, v int64, next time.Time) {
	t.Helper()
	o := stored(t, st, k, no)
	if got := k.schedule(&o).NextSyncAt; stamp(got) != stamp(utc(next)) {
		t.Errorf("%s is due at %s, want %s", no, stamp(got), stamp(utc(next)))
	}
	if got := *k.version(&o); got != v {
		t.Errorf("%s is version %d, want %d", no, got, v)
	}
}

func testClaimInDueOrder[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	// Created out of due order, with a tie broken by number.
	for _, c := range []struct {
		no  string
		due time.Duration
	}{{"o-c", time.Minute}, {"o-a", 2 * time.Minute}, {"o-e", 10 * time.Minute}, {"o-b", time.Minute}, {"o-d", 3 * time.Minute}} {
		created(t, st, k, c.no, t0, dueAt(k, t0.Add(c.due)))
	}
	got, err := k.claim(st, t.Context(), repository.Claim{Now: t0.Add(3 * time.Minute), Owner: "a", Until: t0.Add(8 * time.Minute), Limit: 10})
	must(t, err)
	sameList(t, "claimed", k.nos(got), []string{"o-b", "o-c", "o-a", "o-d"})
	for _, o := range got {
		if v := *k.version(&o); v != 1 {
			t.Errorf("claim returned %s with version %d, want 1: a claim does not change Version", k.no(o), v)
		}
	}
	for _, c := range []struct {
		no  string
		due time.Duration
	}{{"o-a", 2 * time.Minute}, {"o-b", time.Minute}, {"o-c", time.Minute}, {"o-d", 3 * time.Minute}} {
		wantLease(t, st, k, c.no, "a", t0.Add(8*time.Minute))
		wantSchedule(t, st, k, c.no, 1, t0.Add(c.due))
	}
	wantLease(t, st, k, "o-e", "", time.Time{})
}

func testClaimLimit[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	for i, no := range []string{"o-1", "o-2", "o-3", "o-4", "o-5"} {
		created(t, st, k, no, t0.Add(time.Duration(i)*time.Second))
	}
	now, until := t0.Add(time.Minute), t0.Add(2*time.Minute)
	sameList(t, "a's claim", claimed(t, st, k, "a", now, until, 2), []string{"o-1", "o-2"})
	sameList(t, "b's claim", claimed(t, st, k, "b", now, until, 2), []string{"o-3", "o-4"})
	sameList(t, "c's claim", claimed(t, st, k, "c", now, until, 10), []string{"o-5"})
	sameList(t, "d's claim", claimed(t, st, k, "d", now, until, 10), []string{})
}

func testClaimLeased[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	created(t, st, k, "o-1", t0)
	created(t, st, k, "o-2", t0)
	end := t0.Add(5 * time.Minute)
	sameList(t, "a's claim", claimed(t, st, k, "a", t0, end, 10), []string{"o-1", "o-2"})
	sameList(t, "b's claim during a's lease", claimed(t, st, k, "b", t0.Add(time.Minute), end.Add(time.Minute), 10), []string{})
	sameList(t, "a's claim during its own lease", claimed(t, st, k, "a", t0.Add(time.Minute), end.Add(time.Minute), 10), []string{})
	sameList(t, "b's claim just before a's lease ends",
		claimed(t, st, k, "b", end.Add(-time.Microsecond), end.Add(time.Minute), 10), []string{})
	wantLease(t, st, k, "o-1", "a", end)

	// A lease ends at LeaseUntil: from then on the order is free.
	later := end.Add(5 * time.Minute)
	sameList(t, "b's claim when a's lease ends", claimed(t, st, k, "b", end, later, 10), []string{"o-1", "o-2"})
	wantLease(t, st, k, "o-1", "b", later)
	wantLease(t, st, k, "o-2", "b", later)
	sameList(t, "a's claim during b's lease", claimed(t, st, k, "a", end.Add(time.Minute), later.Add(time.Minute), 10), []string{})
	sameList(t, "a's claim after b's lease", claimed(t, st, k, "a", later, later.Add(time.Minute), 1), []string{"o-1"})
	wantSchedule(t, st, k, "o-1", 1, t0)
}

// testClaimClockBehind claims with clocks that disagree, as sweepers on
// several machines do: a lease is judged at each claim's own now.
func testClaimClockBehind[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	created(t, st, k, "o-1", t0)
	created(t, st, k, "o-2", t0)
	end := t0.Add(5 * time.Minute)
	sameList(t, "a's claim", claimed(t, st, k, "a", t0, end, 10), []string{"o-1", "o-2"})
	// b's clock is past a's lease: b takes one order and leaves the other.
	sameList(t, "b's claim", claimed(t, st, k, "b", end.Add(time.Minute), end.Add(10*time.Minute), 1), []string{"o-1"})
	// c's clock is behind: at its now a still holds o-2.
	sameList(t, "c's claim", claimed(t, st, k, "c", end.Add(-time.Minute), end.Add(10*time.Minute), 10), []string{})
	wantLease(t, st, k, "o-2", "a", end)
	sameList(t, "c's claim when a's lease ends", claimed(t, st, k, "c", end, end.Add(10*time.Minute), 10), []string{"o-2"})
}

func testClaimOnlyScheduled[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	var want, out []string
	for i, e := range k.scheduled {
		no := fmt.Sprintf("in-%d", i)
		created(t, st, k, no, t0, e.apply)
		want = append(want, no)
	}
	for i, e := range k.unscheduled {
		no := fmt.Sprintf("out-%d", i)
		created(t, st, k, no, t0, e.apply)
		out = append(out, no)
	}
	created(t, st, k, "out-exhausted", t0, func(o *O) { k.schedule(o).Exhausted = true })
	out = append(out, "out-exhausted")

	sameList(t, "claimed", claimed(t, st, k, "a", t0.Add(time.Hour), t0.Add(2*time.Hour), 100), want)
	for _, no := range out {
		wantLease(t, st, k, no, "", time.Time{})
	}
}

func testClaimZeroNextSyncAt[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	created(t, st, k, "o-1", t0, dueAt(k, time.Time{}))
	wantSchedule(t, st, k, "o-1", 1, t0) // due when created
	sameList(t, "claim before it was created", claimed(t, st, k, "a", t0.Add(-time.Microsecond), t0.Add(time.Minute), 10), []string{})
	sameList(t, "claim when it was created", claimed(t, st, k, "a", t0, t0.Add(time.Minute), 10), []string{"o-1"})
}

func testClaimInvalid[O any](t *testing.T, s suite, k kind[O]) {
	t0 := base()
	tests := []struct {
		name string
		c    repository.Claim
	}{
		{"no owner", repository.Claim{Now: t0, Until: t0.Add(time.Minute), Limit: 1}},
		{"limit 0", repository.Claim{Now: t0, Owner: "a", Until: t0.Add(time.Minute)}},
		{"negative limit", repository.Claim{Now: t0, Owner: "a", Until: t0.Add(time.Minute), Limit: -1}},
		{"lease ends now", repository.Claim{Now: t0, Owner: "a", Until: t0, Limit: 1}},
		{"lease ended", repository.Claim{Now: t0, Owner: "a", Until: t0.Add(-time.Minute), Limit: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := s.newStore(t)
			created(t, st, k, "o-1", t0)
			_, err := k.claim(st, t.Context(), tc.c)
			wantErr(t, "claim", err, paysync.ErrInvalidRequest)
			wantLease(t, st, k, "o-1", "", time.Time{})
		})
	}
}

func testCreateIgnoresLease[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	created(t, st, k, "o-1", t0, func(o *O) {
		s := k.schedule(o)
		s.LeaseOwner, s.LeaseUntil = "ghost", t0.Add(time.Hour)
	})
	wantLease(t, st, k, "o-1", "", time.Time{})
	sameList(t, "claim", claimed(t, st, k, "a", t0, t0.Add(time.Minute), 10), []string{"o-1"})
}

func testCommitLeavesSchedule[O any](t *testing.T, s suite, k kind[O]) {
	exits := append([]edit[O]{{"exhausted", func(o *O) { k.schedule(o).Exhausted = true }}}, k.unscheduled...)
	for _, e := range exits {
		t.Run(e.name, func(t *testing.T) {
			st := s.newStore(t)
			t0 := base()
			created(t, st, k, "o-1", t0)
			sameList(t, "a's claim", claimed(t, st, k, "a", t0, t0.Add(time.Minute), 1), []string{"o-1"})
			next := stored(t, st, k, "o-1")
			e.apply(&next)
			must(t, k.commit(st, t.Context(), next, NewEntries(k.tradeType, "o-1", t0)))

			want := next
			k.schedule(&want).NextSyncAt = time.Time{}
			same(t, "order after the commit", k.fields(stored(t, st, k, "o-1")), expect(k, want, 2, paysync.Schedule{}))
			wantSchedule(t, st, k, "o-1", 2, time.Time{})
			wantLease(t, st, k, "o-1", "", time.Time{})
			sameList(t, "b's claim", claimed(t, st, k, "b", t0.Add(time.Hour), t0.Add(2*time.Hour), 10), []string{})
			sameList(t, "a's claim", claimed(t, st, k, "a", t0.Add(time.Hour), t0.Add(2*time.Hour), 10), []string{})
		})
	}
}

func testCommitEntersSchedule[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	created(t, st, k, "o-1", t0, k.unscheduled[0].apply)
	sameList(t, "claim out of the schedule", claimed(t, st, k, "a", t0.Add(time.Hour), t0.Add(2*time.Hour), 10), []string{})
	wantSchedule(t, st, k, "o-1", 1, time.Time{})

	next := stored(t, st, k, "o-1")
	k.scheduled[0].apply(&next)
	dueAt(k, t0.Add(2*time.Hour))(&next)
	must(t, k.commit(st, t.Context(), next, NewEntries(k.tradeType, "o-1", t0)))
	wantSchedule(t, st, k, "o-1", 2, t0.Add(2*time.Hour))
	sameList(t, "claim before it is due", claimed(t, st, k, "a", t0.Add(time.Hour), t0.Add(3*time.Hour), 10), []string{})
	sameList(t, "claim when it is due", claimed(t, st, k, "a", t0.Add(2*time.Hour), t0.Add(3*time.Hour), 10), []string{"o-1"})
}

func testCommitReschedules[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	created(t, st, k, "o-1", t0)
	next := stored(t, st, k, "o-1")
	dueAt(k, t0.Add(time.Hour))(&next)
	must(t, k.commit(st, t.Context(), next, NewEntries(k.tradeType, "o-1", t0)))
	wantSchedule(t, st, k, "o-1", 2, t0.Add(time.Hour))
	sameList(t, "claim at the old due time", claimed(t, st, k, "a", t0.Add(30*time.Minute), t0.Add(31*time.Minute), 10), []string{})

	// A zero NextSyncAt in the schedule means "at once": UpdatedAt.
	next = stored(t, st, k, "o-1")
	dueAt(k, time.Time{})(&next)
	_, updated := k.timestamps(&next)
	*updated = t0.Add(2 * time.Hour)
	must(t, k.commit(st, t.Context(), next, NewEntries(k.tradeType, "o-1", t0)))
	wantSchedule(t, st, k, "o-1", 3, t0.Add(2*time.Hour))
	sameList(t, "claim before UpdatedAt", claimed(t, st, k, "a", t0.Add(90*time.Minute), t0.Add(3*time.Hour), 10), []string{})
	sameList(t, "claim at UpdatedAt", claimed(t, st, k, "a", t0.Add(2*time.Hour), t0.Add(3*time.Hour), 10), []string{"o-1"})
}

func testCommitKeepsLease[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	end := t0.Add(5 * time.Minute)
	created(t, st, k, "o-1", t0)
	created(t, st, k, "o-2", t0.Add(time.Minute))
	stale := stored(t, st, k, "o-1") // read before the claim: no lease
	sameList(t, "a's claim", claimed(t, st, k, "a", t0, end, 10), []string{"o-1"})

	// A commit carrying someone else's lease, or none, keeps a's.
	next := stored(t, st, k, "o-1")
	ls := k.schedule(&next)
	ls.LeaseOwner, ls.LeaseUntil = "intruder", t0.Add(time.Hour)
	must(t, k.commit(st, t.Context(), next, NewEntries(k.tradeType, "o-1", t0)))
	wantLease(t, st, k, "o-1", "a", end)
	*k.version(&stale) = 2
	must(t, k.commit(st, t.Context(), stale, NewEntries(k.tradeType, "o-1", t0)))
	wantLease(t, st, k, "o-1", "a", end)
	wantSchedule(t, st, k, "o-1", 3, t0)

	// A commit cannot lease an order either.
	ghost := stored(t, st, k, "o-2")
	gs := k.schedule(&ghost)
	gs.LeaseOwner, gs.LeaseUntil = "ghost", t0.Add(time.Hour)
	must(t, k.commit(st, t.Context(), ghost, NewEntries(k.tradeType, "o-2", t0)))
	wantLease(t, st, k, "o-2", "", time.Time{})

	sameList(t, "b's claim during a's lease", claimed(t, st, k, "b", t0.Add(time.Minute), end.Add(time.Minute), 10), []string{"o-2"})
	sameList(t, "b's claim when a's lease ends", claimed(t, st, k, "b", end, end.Add(time.Minute), 10), []string{"o-1"})
}

func testRelease[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	end := t0.Add(5 * time.Minute)
	for _, no := range []string{"o-1", "o-2", "o-3"} {
		created(t, st, k, no, t0)
	}
	created(t, st, k, "o-4", t0.Add(time.Hour))
	sameList(t, "a's claim", claimed(t, st, k, "a", t0, end, 2), []string{"o-1", "o-2"})
	sameList(t, "b's claim", claimed(t, st, k, "b", t0, end, 2), []string{"o-3"})

	// a may release only its own leases; missing and unleased orders are
	// passed over.
	must(t, k.release(st, t.Context(), "a", "o-1", "o-3", "o-4", "missing"))
	must(t, k.release(st, t.Context(), "b", "o-2"))
	must(t, k.release(st, t.Context(), "a"))
	wantLease(t, st, k, "o-1", "", time.Time{})
	wantLease(t, st, k, "o-2", "a", end)
	wantLease(t, st, k, "o-3", "b", end)
	wantLease(t, st, k, "o-4", "", time.Time{})
	wantSchedule(t, st, k, "o-1", 1, t0)

	sameList(t, "c's claim", claimed(t, st, k, "c", t0.Add(time.Minute), end, 10), []string{"o-1"})
	must(t, k.release(st, t.Context(), "c", "o-1"))
	sameList(t, "a's claim after c's release", claimed(t, st, k, "a", t0.Add(time.Minute), end, 10), []string{"o-1"})
}
