package repositorytest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

func concurrencyTests[O any]() []orderTest[O] {
	return []orderTest[O]{
		{"ConcurrentCommits", testConcurrentCommits[O]},
		{"ConcurrentClaims", testConcurrentClaims[O]},
	}
}

// testConcurrentCommits races ConcurrentWriters writers on one order, each
// committing CommitsPerWriter changes and re-reading after each conflict:
// every version must have exactly one winner, and only winners leave records.
func testConcurrentCommits[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	created(t, st, k, "o-1", base())
	writers, commits := s.opts.ConcurrentWriters, s.opts.CommitsPerWriter

	var (
		mu       sync.Mutex
		winners  = map[int64][]string{} // version committed from → writers
		won      trail
		attempts int
	)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("writer-%d", w)
			for done := 0; done < commits; {
				cur, err := k.get(st, t.Context(), "o-1")
				if err != nil {
					t.Errorf("%s: get: %v", name, err)
					return
				}
				from := *k.version(&cur)
				k.schedule(&cur).Attempts = int(from)
				e := NewEntries(k.tradeType, "o-1", base().Add(time.Duration(from)*time.Second))
				err = k.commit(st, t.Context(), cur, e)
				mu.Lock()
				attempts++
				switch {
				case err == nil:
					done++
					winners[from] = append(winners[from], name)
					won = won.plus(entriesTrail(e))
				case errors.Is(err, paysync.ErrVersionConflict): // lost: read again
				default:
					t.Errorf("%s: commit from version %d: %v", name, from, err)
					mu.Unlock()
					return
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	total := int64(writers * commits)
	for v := int64(1); v <= total; v++ {
		if n := len(winners[v]); n != 1 {
			t.Errorf("version %d: %d commits won (%v), want exactly 1", v, n, winners[v])
		}
	}
	final := stored(t, st, k, "o-1")
	if v := *k.version(&final); v != 1+total {
		t.Errorf("final version %d, want %d (1 + %d commits)", v, 1+total, total)
	}
	// Every record and event stored is a winner's: a losing commit's ids are
	// its own, so any stored shows among those not expected.
	got := trailOf(t, st, "o-1")
	sameSet(t, "sync records", got.syncs, won.syncs)
	sameSet(t, "adjust records", got.adjusts, won.adjusts)
	sameSet(t, "events", got.events, won.events)
	t.Logf("%d writers, %d commits, %d attempts", writers, total, attempts)
}

// testConcurrentClaims has ConcurrentWriters owners claim ClaimOrders due
// orders a few at a time, all at once: every order goes to exactly one owner.
func testConcurrentClaims[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	var all []string
	for i := range s.opts.ClaimOrders {
		no := fmt.Sprintf("o-%06d", i)
		created(t, st, k, no, t0.Add(time.Duration(i)*time.Millisecond))
		all = append(all, no)
	}
	now, until := t0.Add(time.Hour), t0.Add(2*time.Hour)

	var (
		mu    sync.Mutex
		owner = map[string]string{} // order → owner
	)
	var wg sync.WaitGroup
	for w := range s.opts.ConcurrentWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("owner-%d", w)
			for {
				got, err := k.claim(st, t.Context(), repository.Claim{Now: now, Owner: name, Until: until, Limit: 3})
				if err != nil {
					t.Errorf("%s: claim: %v", name, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, o := range got {
					no := k.no(o)
					if prev, ok := owner[no]; ok {
						t.Errorf("%s handed out to %s and to %s", no, prev, name)
					}
					owner[no] = name
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(owner) != len(all) {
		t.Errorf("%d of %d orders were claimed, want all", len(owner), len(all))
	}
	for _, no := range all {
		if name, ok := owner[no]; ok {
			wantLease(t, st, k, no, name, until)
		}
	}
}
