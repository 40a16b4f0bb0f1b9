package memstore

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// model is what the schedule of one pay order should be.
type model struct {
	version    int64
	inSchedule bool
	next       time.Time
	owner      string
	until      time.Time
}

// TestScheduleMatchesModel drives the pay order schedule with random creates,
// commits, claims (with clocks that disagree) and releases, and checks every
// claim against a brute-force answer and the indexes against the orders.
func TestScheduleMatchesModel(t *testing.T) {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(7, 11))
	s := New()
	t0 := time.Date(2024, 5, 12, 8, 0, 0, 0, time.UTC)
	minute := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	statuses := []paysync.PayStatus{paysync.PayProgress, paysync.PayWait, paysync.PaySuccess, paysync.PayClose}
	owners := []string{"a", "b", "c"}
	orders := map[string]*model{}
	var nos []string

	order := func(no string, m *model) paysync.PayOrder {
		status := statuses[rng.IntN(len(statuses))]
		next := minute(rng.IntN(100))
		exhausted := rng.IntN(10) == 0
		m.inSchedule = (status == paysync.PayProgress || status == paysync.PayWait) && !exhausted
		m.next = time.Time{}
		if m.inSchedule {
			m.next = next
		} else {
			m.owner, m.until = "", time.Time{}
		}
		return paysync.PayOrder{
			OrderNo: no, BizOrderNo: "biz-" + no, Channel: "wechat", Status: status,
			CreatedAt: t0, UpdatedAt: t0, Version: m.version,
			Schedule: paysync.Schedule{NextSyncAt: next, Exhausted: exhausted, LeaseOwner: "noise", LeaseUntil: minute(500)},
		}
	}

	for op := range 8000 {
		switch r := rng.IntN(10); {
		case r < 2 || len(nos) == 0:
			no := fmt.Sprintf("o-%05d", len(nos))
			m := &model{version: 1}
			if err := s.CreatePayOrder(ctx, order(no, m)); err != nil {
				t.Fatal(err)
			}
			orders[no], nos = m, append(nos, no)
		case r < 4:
			no := nos[rng.IntN(len(nos))]
			m := orders[no]
			if err := s.CommitPayOrder(ctx, order(no, m), repository.Entries{}); err != nil {
				t.Fatal(err)
			}
			m.version++
		case r < 8:
			now := minute(rng.IntN(120))
			c := repository.Claim{Now: now, Owner: owners[rng.IntN(3)], Until: now.Add(time.Duration(1+rng.IntN(30)) * time.Minute), Limit: 1 + rng.IntN(5)}
			var want []string
			for _, no := range nos {
				m := orders[no]
				if m.inSchedule && !m.next.After(now) && (m.owner == "" || !now.Before(m.until)) {
					want = append(want, no)
				}
			}
			slices.SortFunc(want, func(x, y string) int {
				return cmp.Or(orders[x].next.Compare(orders[y].next), cmp.Compare(x, y))
			})
			want = want[:min(len(want), c.Limit)]
			got, err := s.ClaimPayOrders(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			gotNos := make([]string, len(got))
			for i, o := range got {
				gotNos[i] = o.OrderNo
			}
			if !slices.Equal(gotNos, want) {
				t.Fatalf("op %d: claim %+v got %v, want %v", op, c, gotNos, want)
			}
			for _, no := range want {
				orders[no].owner, orders[no].until = c.Owner, c.Until
			}
		default:
			owner := owners[rng.IntN(3)]
			var release []string
			for range 1 + rng.IntN(4) {
				release = append(release, nos[rng.IntN(len(nos))])
			}
			if err := s.ReleasePayOrders(ctx, owner, release...); err != nil {
				t.Fatal(err)
			}
			for _, no := range release {
				if m := orders[no]; m.owner == owner {
					m.owner, m.until = "", time.Time{}
				}
			}
		}
		if op%1000 == 0 {
			checkBook(t, s.pays, orders)
		}
	}
	checkBook(t, s.pays, orders)
}

// checkBook fails t unless every order matches its model and sits in the
// index its place names, under its key, and nothing else is indexed.
func checkBook(t *testing.T, b *book[paysync.PayOrder], orders map[string]*model) {
	t.Helper()
	b.due.check(t)
	b.leases.check(t)
	type at struct {
		place place
		item  item
	}
	indexed := map[uint32]at{}
	b.due.Ascend(func(it item) bool { indexed[it.id] = at{waiting, it}; return true })
	b.leases.Ascend(func(it item) bool { indexed[it.id] = at{leased, it}; return true })
	scheduled := 0
	for no, m := range orders {
		e := b.byNo[no]
		o := e.order
		if o.Version != m.version || o.Schedule.NextSyncAt != m.next || o.Schedule.LeaseOwner != m.owner || o.Schedule.LeaseUntil != m.until {
			t.Fatalf("%s: version %d, due %v, lease %q until %v; want %+v", no, o.Version, o.Schedule.NextSyncAt, o.Schedule.LeaseOwner, o.Schedule.LeaseUntil, *m)
		}
		switch e.place {
		case waiting:
			if e.at != o.Schedule.NextSyncAt.UnixMicro() {
				t.Fatalf("%s waits under %d, due at %v", no, e.at, o.Schedule.NextSyncAt)
			}
		case leased:
			if e.at != o.Schedule.LeaseUntil.UnixMicro() || o.Schedule.LeaseOwner == "" {
				t.Fatalf("%s is leased under %d, lease %q until %v", no, e.at, o.Schedule.LeaseOwner, o.Schedule.LeaseUntil)
			}
		}
		if (e.place != unscheduled) != m.inSchedule {
			t.Fatalf("%s: place %d, in the schedule: %v", no, e.place, m.inSchedule)
		}
		if e.place != unscheduled {
			scheduled++
			want := at{e.place, item{at: e.at, id: e.id}}
			if e.place == waiting {
				want.item.key = prefix(no)
			}
			if got := indexed[e.id]; got != want || b.entries[e.id] != e {
				t.Fatalf("%s is indexed as %+v, want %+v", no, got, want)
			}
		}
	}
	if len(indexed) != scheduled || b.due.Len()+b.leases.Len() != scheduled {
		t.Fatalf("indexes hold %d orders (%d distinct), %d are in the schedule", b.due.Len()+b.leases.Len(), len(indexed), scheduled)
	}
}
