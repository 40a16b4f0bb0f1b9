package memstore_test

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// The conformance suite (memstore_test.go) asserts the port, copies and
// ended contexts included; these tests assert what is memstore's own: its
// indexes, its cursors, its journals and the work its claims and pages do.

var t0 = time.Date(2024, 5, 12, 8, 0, 0, 0, time.UTC)

func payOrder(no string, at time.Time) paysync.PayOrder {
	return paysync.PayOrder{OrderNo: no, BizOrderNo: "biz-" + no, Channel: "wechat", Amount: decimal.New(1050, -2),
		Status: paysync.PayProgress, CreatedAt: at, UpdatedAt: at, Schedule: paysync.Schedule{NextSyncAt: at}}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// loadPays stores n pay orders numbered P0000000000…, due a microsecond
// apart from t0.
func loadPays(t testing.TB, s *memstore.Store, n int) {
	t.Helper()
	const batch = 10_000
	orders := make([]paysync.PayOrder, 0, batch)
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Microsecond)
		orders = append(orders, payOrder(fmt.Sprintf("P%010d", i), at))
		if len(orders) == batch || i == n-1 {
			must(t, s.LoadPayOrders(t.Context(), orders))
			orders = orders[:0]
		}
	}
}

// TestWorkDoesNotGrowWithTheStore proves the cost contract of claims and
// pages by counting the index entries they read: with ten thousand and with
// a million orders stored, a claim of 100 reads the 100 orders it hands out
// and, once orders are leased, the first lease (to see it has not ended),
// however many are leased; a page of 50 reads 51 (the first of the next page
// makes its cursor).
func TestWorkDoesNotGrowWithTheStore(t *testing.T) {
	sizes := []int{10_000, 1_000_000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := memstore.New()
			loadPays(t, s, n)
			visits := s.CountVisits()
			now := t0.Add(time.Hour)
			for round := range 3 { // each claim leaves 100 more orders leased
				*visits = 0
				got, err := s.ClaimPayOrders(t.Context(), repository.Claim{Now: now, Owner: "a", Until: now.Add(time.Minute), Limit: 100})
				must(t, err)
				if len(got) != 100 || got[0].OrderNo != fmt.Sprintf("P%010d", 100*round) {
					t.Fatalf("round %d: claimed %d orders from %s", round, len(got), got[0].OrderNo)
				}
				if want := 100 + min(round, 1); *visits != want {
					t.Errorf("round %d: a claim of 100 read %d index entries, want %d", round, *visits, want)
				}
			}
			page := repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByStatus, Status: "progress"}
			for i := range 3 {
				*visits = 0
				p, err := s.ListOrders(t.Context(), page)
				must(t, err)
				if len(p.Orders) != repository.DefaultPageSize || *visits != repository.DefaultPageSize+1 {
					t.Errorf("page %d: %d orders for %d index entries, want %d for %d", i, len(p.Orders), *visits,
						repository.DefaultPageSize, repository.DefaultPageSize+1)
				}
				page.Cursor = p.Next
			}
		})
	}
}

// model is what the schedule of one pay order should be.
type model struct {
	version    int64
	inSchedule bool
	next       time.Time
	owner      string
	until      time.Time
}

// TestScheduleMatchesModel drives pay orders with random creates, commits
// (in and out of the schedule, across statuses), claims with clocks that
// disagree, and releases; it checks every claim against a brute-force answer
// and, now and then, every index against the orders.
func TestScheduleMatchesModel(t *testing.T) {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(7, 11))
	s := memstore.New()
	minute := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	statuses := []paysync.PayStatus{paysync.PayProgress, paysync.PayWait, paysync.PaySuccess, paysync.PayClose}
	owners := []string{"a", "b", "c"}
	orders := map[string]*model{}
	var nos []string

	order := func(no string, m *model) paysync.PayOrder {
		o := payOrder(no, t0)
		o.Status = statuses[rng.IntN(len(statuses))]
		o.Version, o.Schedule.NextSyncAt, o.Schedule.Exhausted = m.version, minute(rng.IntN(100)), rng.IntN(10) == 0
		o.Schedule.LeaseOwner, o.Schedule.LeaseUntil = "noise", minute(500) // a store never takes a lease from a write
		m.inSchedule, m.next = o.Scheduled() && !o.Schedule.Exhausted, time.Time{}
		if m.inSchedule {
			m.next = o.Schedule.NextSyncAt
		} else {
			m.owner, m.until = "", time.Time{}
		}
		return o
	}

	for op := range 8000 {
		switch r := rng.IntN(10); {
		case r < 2 || len(nos) == 0:
			no := fmt.Sprintf("o-%05d", len(nos))
			m := &model{version: 1}
			must(t, s.CreatePayOrder(ctx, order(no, m)))
			orders[no], nos = m, append(nos, no)
		case r < 4:
			no := nos[rng.IntN(len(nos))]
			m := orders[no]
			must(t, s.CommitPayOrder(ctx, order(no, m), repository.Entries{}))
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
			must(t, err)
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
			must(t, s.ReleasePayOrders(ctx, owner, release...))
			for _, no := range release {
				if m := orders[no]; m.owner == owner {
					m.owner, m.until = "", time.Time{}
				}
			}
		}
		if op%500 == 0 {
			must(t, s.CheckIndexes())
		}
	}
	must(t, s.CheckIndexes())
	for no, m := range orders {
		o, err := s.GetPayOrder(ctx, no)
		must(t, err)
		sc := o.Schedule
		if o.Version != m.version || !sc.NextSyncAt.Equal(m.next) || sc.LeaseOwner != m.owner || !sc.LeaseUntil.Equal(m.until) {
			t.Fatalf("%s: version %d, due %v, lease %q until %v; want %+v", no, o.Version, sc.NextSyncAt, sc.LeaseOwner, sc.LeaseUntil, *m)
		}
	}
}

// TestCursors: a cursor is good for the query that made it only.
func TestCursors(t *testing.T) {
	ctx := t.Context()
	s := memstore.New()
	loadPays(t, s, 3)
	sight := repository.Entries{}
	for _, no := range []string{"P0000000000", "P0000000001"} {
		sight.Sightings = append(sight.Sightings, repository.AnomalySighting{TradeType: paysync.TradePay,
			TradeNo: no, Code: paysync.AnomalyAmountMismatch, At: t0, Opens: true})
	}
	must(t, s.SaveEntries(ctx, sight))
	byDue := repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByDue, Limit: 1}
	orders, err := s.ListOrders(ctx, byDue)
	must(t, err)
	open := repository.AnomalyQuery{TradeType: paysync.TradePay, Limit: 1}
	anomalies, err := s.ListOpenAnomalies(ctx, open)
	must(t, err)
	if orders.Next == "" || anomalies.Next == "" {
		t.Fatalf("no cursors: %q, %q", orders.Next, anomalies.Next)
	}
	with := func(q repository.OrderQuery, f func(*repository.OrderQuery)) repository.OrderQuery { f(&q); return q }
	tests := []struct {
		name string
		q    repository.OrderQuery
	}{
		{"not a cursor", with(byDue, func(q *repository.OrderQuery) { q.Cursor = "not a cursor" })},
		{"base64 of no cursor", with(byDue, func(q *repository.OrderQuery) { q.Cursor = "bm9wZQ" })},
		{"an anomaly cursor", with(byDue, func(q *repository.OrderQuery) { q.Cursor = anomalies.Next })},
		{"another kind's", with(byDue, func(q *repository.OrderQuery) { q.Cursor, q.TradeType = orders.Next, paysync.TradeRefund })},
		{"another order's", with(byDue, func(q *repository.OrderQuery) {
			q.Cursor, q.By, q.Status = orders.Next, repository.ByStatus, "progress"
		})},
	}
	for _, tc := range tests {
		if _, err := s.ListOrders(ctx, tc.q); !errors.Is(err, paysync.ErrInvalidRequest) {
			t.Errorf("%s: %v, want ErrInvalidRequest", tc.name, err)
		}
	}
	for name, q := range map[string]repository.AnomalyQuery{
		"an order cursor":  {Cursor: orders.Next},
		"another kind's":   {TradeType: paysync.TradeRefund, Cursor: anomalies.Next},
		"every kind's too": {Cursor: anomalies.Next},
	} {
		if _, err := s.ListOpenAnomalies(ctx, q); !errors.Is(err, paysync.ErrInvalidRequest) {
			t.Errorf("anomalies, %s: %v, want ErrInvalidRequest", name, err)
		}
	}
	byDue.Cursor, open.Cursor = orders.Next, anomalies.Next
	next, err := s.ListOrders(ctx, byDue)
	must(t, err)
	nextAnomalies, err := s.ListOpenAnomalies(ctx, open)
	must(t, err)
	if len(next.Orders) != 1 || next.Orders[0].TradeNo != "P0000000001" || len(nextAnomalies.Anomalies) != 1 ||
		nextAnomalies.Anomalies[0].TradeNo != "P0000000001" || nextAnomalies.Next != "" {
		t.Errorf("second pages: %+v, %+v", next, nextAnomalies)
	}
}

// TestSightingsInOneCommit: sightings and a resolution of one anomaly in one
// commit apply in order, each against what the one before it left.
func TestSightingsInOneCommit(t *testing.T) {
	ctx := t.Context()
	s := memstore.New()
	sighting := func(at time.Time, opens bool) repository.AnomalySighting {
		return repository.AnomalySighting{TradeType: paysync.TradePay, TradeNo: "P1", Code: paysync.AnomalyAmountMismatch, At: at, Opens: opens}
	}
	resolution := repository.AnomalyResolution{TradeType: paysync.TradePay, TradeNo: "P1", Code: paysync.AnomalyAmountMismatch, At: t0.Add(3 * time.Minute), By: "ops"}
	tests := []struct {
		name    string
		e       repository.Entries
		wantErr error
	}{
		{"seen twice, opened twice", repository.Entries{Sightings: []repository.AnomalySighting{sighting(t0, true), sighting(t0, true)}}, paysync.ErrVersionConflict},
		{"opened, seen again, resolved", repository.Entries{
			Sightings:   []repository.AnomalySighting{sighting(t0, true), sighting(t0.Add(time.Minute), false)},
			Resolutions: []repository.AnomalyResolution{resolution}}, nil},
	}
	for _, tc := range tests {
		if err := s.SaveEntries(ctx, tc.e); !errors.Is(err, tc.wantErr) {
			t.Fatalf("%s: %v, want %v", tc.name, err, tc.wantErr)
		}
	}
	got, err := s.OrderAnomalies(ctx, paysync.TradePay, "P1")
	must(t, err)
	want := paysync.Anomaly{TradeType: paysync.TradePay, TradeNo: "P1", Code: paysync.AnomalyAmountMismatch,
		FirstSeenAt: t0, OpenedAt: t0, LastSeenAt: t0.Add(time.Minute), TimesSeen: 2, ResolvedAt: t0.Add(3 * time.Minute), ResolvedBy: "ops"}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("anomalies %+v, want %+v", got, want)
	}
	if page, err := s.ListOpenAnomalies(ctx, repository.AnomalyQuery{}); err != nil || len(page.Anomalies) != 0 {
		t.Errorf("open anomalies %+v (%v), want none", page.Anomalies, err)
	}
}

// TestRecordsOfANumber: rows about one number, written by orders of two
// kinds and by a commit of another order, are listed together in the order
// stored, and by kind.
func TestRecordsOfANumber(t *testing.T) {
	ctx := t.Context()
	s := memstore.New()
	record := func(tt paysync.TradeType, no string) paysync.SyncRecord {
		return paysync.SyncRecord{ID: uuid.New(), TradeType: tt, TradeNo: no, CreatedAt: t0}
	}
	rows := []paysync.SyncRecord{record(paysync.TradePay, "X"), record(paysync.TradePay, "Y"),
		record(paysync.TradeAllocation, "X"), record(paysync.TradePay, "X")}
	for _, r := range rows[:2] {
		must(t, s.SaveEntries(ctx, repository.Entries{Sync: r}))
	}
	must(t, s.CreatePayOrder(ctx, payOrder("Y", t0)))
	y := payOrder("Y", t0)
	y.Version = 1
	// A commit of Y carries a row about X.
	must(t, s.CommitPayOrder(ctx, y, repository.Entries{Sync: rows[2]}))
	must(t, s.SaveEntries(ctx, repository.Entries{Sync: rows[3]}))
	ids := func(rs ...paysync.SyncRecord) []uuid.UUID {
		out := []uuid.UUID{}
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	tests := []struct {
		name string
		f    repository.RecordFilter
		want []uuid.UUID
	}{
		{"number", repository.RecordFilter{TradeNo: "X"}, ids(rows[0], rows[2], rows[3])},
		{"number and kind", repository.RecordFilter{TradeNo: "X", TradeType: paysync.TradePay}, ids(rows[0], rows[3])},
		{"limit", repository.RecordFilter{TradeNo: "X", Limit: 2}, ids(rows[0], rows[2])},
		{"kind", repository.RecordFilter{TradeType: paysync.TradeAllocation}, ids(rows[2])},
		{"nothing about it", repository.RecordFilter{TradeNo: "Z"}, ids()},
	}
	for _, tc := range tests {
		got, err := s.ListSyncRecords(ctx, tc.f)
		must(t, err)
		if !slices.Equal(ids(got...), tc.want) {
			t.Errorf("%s: listed %v, want %v", tc.name, ids(got...), tc.want)
		}
	}
}
