package repositorytest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

func listingTests[O any]() []orderTest[O] {
	return []orderTest[O]{
		{"ListOrders", testListOrders[O]},
		{"ListOrdersEmpty", testListOrdersEmpty[O]},
		{"ListOrdersWhileChanging", testListOrdersWhileChanging[O]},
		{"ListOrdersPageSize", testListOrdersPageSize[O]},
		{"CountOrders", testCountOrders[O]},
	}
}

// listed is an order of the listing world, as the store holds it.
type listed[O any] struct {
	o          O
	inSchedule bool
}

// listingWorld creates orders of kind k in every state of the kind, two of
// each created at one time (a tie broken by number), with due times out of
// creation order, two exhausted and one leased; an anomaly open on one,
// another resolved, and one open on an order of another kind numbered
// alike. It returns what the store holds of each, by number.
func listingWorld[O any](t *testing.T, st repository.Store, k kind[O]) map[string]listed[O] {
	t.Helper()
	t0 := zoned(0)
	type spec struct {
		edit       func(*O)
		inSchedule bool
	}
	var specs []spec
	for _, e := range k.scheduled {
		specs = append(specs, spec{e.apply, true})
	}
	for _, e := range k.unscheduled {
		specs = append(specs, spec{e.apply, false})
	}
	exhausted := func(o *O) { k.scheduled[0].apply(o); k.schedule(o).Exhausted = true }
	specs = append(specs, spec{exhausted, false}, spec{exhausted, false})

	world := map[string]listed[O]{}
	n := len(specs) * 2
	for i, sp := range specs {
		for j := range 2 {
			no := fmt.Sprintf("o-%02d", 2*i+j)
			createdAt := t0.Add(time.Duration(i) * time.Minute)
			due := t0.Add(time.Duration(n-2*i-j) * time.Minute)
			if j == 1 && i%2 == 0 {
				due = t0.Add(time.Duration(n-2*i) * time.Minute) // a tie on NextSyncAt
			}
			o := k.newOrder(no, createdAt)
			k.change(&o, createdAt.Add(time.Second)) // every field set, so that a summary shows each
			sp.edit(&o)
			k.schedule(&o).NextSyncAt = due
			must(t, k.create(st, t.Context(), o))
			world[no] = listed[O]{inSchedule: sp.inSchedule}
		}
	}
	// Lease the order due first: a leased order is still in the schedule.
	got, err := k.claim(st, t.Context(), repository.Claim{Now: t0.Add(time.Duration(n) * time.Hour), Owner: "a",
		Until: t0.Add(time.Duration(n+1) * time.Hour), Limit: 1})
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("claimed %d orders, want 1", len(got))
	}

	other, otherKind := paysync.TradePay, payKind()
	if k.tradeType == paysync.TradePay {
		other = paysync.TradeTransfer
		created(t, st, transferKind(), "o-00", base())
	} else {
		created(t, st, otherKind, "o-00", base())
	}
	sightAll(t, st, opened(k.tradeType, "o-00", paysync.AnomalyAmountMismatch, t0),
		opened(k.tradeType, "o-01", paysync.AnomalyAmountMismatch, t0),
		opened(other, "o-00", paysync.AnomalyAmountMismatch, t0))
	resolveAll(t, st, t0.Add(time.Hour), opened(k.tradeType, "o-01", paysync.AnomalyAmountMismatch, t0))

	for no, l := range world {
		l.o = stored(t, st, k, no)
		world[no] = l
	}
	return world
}

// byNewest orders summaries newest first: CreatedAt, then TradeNo, both
// descending.
func byNewest(a, b repository.OrderSummary) int {
	return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.TradeNo, a.TradeNo))
}

// byDue orders summaries soonest due first: NextSyncAt, then TradeNo.
func byDue(a, b repository.OrderSummary) int {
	return cmp.Or(a.Schedule.NextSyncAt.Compare(b.Schedule.NextSyncAt), cmp.Compare(a.TradeNo, b.TradeNo))
}

// expectPage returns the summaries of the world's orders that keep selects,
// in order.
func expectPage[O any](k kind[O], world map[string]listed[O], keep func(listed[O]) bool, order func(a, b repository.OrderSummary) int) []repository.OrderSummary {
	out := []repository.OrderSummary{}
	for _, l := range world {
		if keep(l) {
			out = append(out, k.summary(l.o))
		}
	}
	slices.SortFunc(out, order)
	return out
}

// orderPages reads every page of q, failing t after more than maxPages.
func orderPages(t testing.TB, st repository.Store, q repository.OrderQuery, maxPages int) ([]repository.OrderSummary, []int) {
	t.Helper()
	return readPages(t, maxPages, func(cursor string) ([]repository.OrderSummary, string, error) {
		q.Cursor = cursor
		page, err := st.ListOrders(t.Context(), q)
		return page.Orders, page.Next, err
	})
}

func testListOrders[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	world := listingWorld(t, st, k)
	type query struct {
		name string
		q    repository.OrderQuery
		want []repository.OrderSummary
	}
	var queries []query
	for _, status := range k.statuses {
		queries = append(queries, query{"by status " + status,
			repository.OrderQuery{TradeType: k.tradeType, By: repository.ByStatus, Status: status},
			expectPage(k, world, func(l listed[O]) bool { return k.status(l.o) == status }, byNewest)})
	}
	queries = append(queries,
		query{"by due", repository.OrderQuery{TradeType: k.tradeType, By: repository.ByDue},
			expectPage(k, world, func(l listed[O]) bool { return l.inSchedule }, byDue)},
		query{"by exhausted", repository.OrderQuery{TradeType: k.tradeType, By: repository.ByExhausted},
			expectPage(k, world, func(l listed[O]) bool { return k.schedule(&l.o).Exhausted }, byNewest)},
	)
	for _, c := range queries {
		page, err := st.ListOrders(t.Context(), c.q)
		must(t, err)
		same(t, c.name, listFields(summaryFields, page.Orders), listFields(summaryFields, c.want))
		if page.Next != "" {
			t.Errorf("%s: the only page has a cursor %q, want none", c.name, page.Next)
		}
		for _, limit := range []int{1, 2, 3} {
			q := c.q
			q.Limit = limit
			got, sizes := orderPages(t, st, q, len(c.want))
			what := fmt.Sprintf("%s, pages of %d", c.name, limit)
			same(t, what, listFields(summaryFields, got), listFields(summaryFields, c.want))
			samePageSizes(t, what, sizes, limit, len(c.want))
		}
	}
}

func testListOrdersEmpty[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	// An order of another kind, so that an empty listing is not an empty
	// store.
	if k.tradeType == paysync.TradePay {
		created(t, st, transferKind(), "o-1", base())
	} else {
		created(t, st, payKind(), "o-1", base())
	}
	for _, q := range []repository.OrderQuery{
		{TradeType: k.tradeType, By: repository.ByStatus, Status: k.status(k.newOrder("o-1", base()))},
		{TradeType: k.tradeType, By: repository.ByDue},
		{TradeType: k.tradeType, By: repository.ByExhausted},
	} {
		page, err := st.ListOrders(t.Context(), q)
		must(t, err)
		if len(page.Orders) != 0 || page.Next != "" {
			t.Errorf("by %d: %d orders and cursor %q, want none", q.By, len(page.Orders), page.Next)
		}
	}
	counts, err := st.CountOrders(t.Context(), k.tradeType, base().Add(time.Hour))
	must(t, err)
	if len(counts.ByStatus) != 0 || counts.Due != 0 || !counts.OldestDue.IsZero() || counts.Exhausted != 0 || counts.OpenAnomalies != 0 {
		t.Errorf("counts with no order of the kind: %+v, want zero", counts)
	}
}

// testListOrdersWhileChanging pages through one status while orders leave
// it and join it between pages: an order in it all along is listed exactly
// once, none is listed twice, and the pages run in order.
func testListOrdersWhileChanging[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	t0 := base()
	status := k.scheduled[0]
	for i := range 9 {
		created(t, st, k, fmt.Sprintf("o-%d", i), t0.Add(time.Duration(i)*time.Minute), status.apply)
	}
	stable := map[string]bool{}
	for i := range 9 {
		stable[fmt.Sprintf("o-%d", i)] = true
	}
	leave := func(no string) {
		o := stored(t, st, k, no)
		k.unscheduled[0].apply(&o)
		must(t, k.commit(st, t.Context(), o, repository.Entries{}))
		delete(stable, no)
	}
	changes := []func(){
		func() { leave("o-8"); leave("o-6") }, // one listed, one not
		func() { // newer than the cursor, and older than every other
			created(t, st, k, "o-new", t0.Add(time.Hour), status.apply)
			created(t, st, k, "o-old", t0.Add(-time.Hour), status.apply)
		},
	}
	q := repository.OrderQuery{TradeType: k.tradeType, By: repository.ByStatus, Status: k.status(stored(t, st, k, "o-0")), Limit: 2}
	var all []repository.OrderSummary
	for page := 0; ; page++ {
		if page > 20 {
			t.Fatal("more than 20 pages of 2 for 11 orders")
		}
		p, err := st.ListOrders(t.Context(), q)
		must(t, err)
		all = append(all, p.Orders...)
		if p.Next == "" {
			break
		}
		if page < len(changes) {
			changes[page]()
		}
		q.Cursor = p.Next
	}
	var nos []string
	for _, o := range all {
		nos = append(nos, o.TradeNo)
	}
	listedOnce(t, nos, stable)
	if slices.Contains(nos, "o-6") {
		t.Errorf("o-6 listed after it left the status")
	}
	if !slices.IsSortedFunc(all, byNewest) {
		t.Errorf("pages out of order")
	}
}

func testListOrdersPageSize[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	onePay := func(o *O) {
		if k.payOrder != nil {
			*k.payOrder(o) = "pay-1"
		}
	}
	for i := range repository.MaxPageSize + 1 {
		created(t, st, k, fmt.Sprintf("o-%04d", i), base().Add(time.Duration(i)*time.Second), onePay)
	}
	for _, by := range []repository.ListBy{repository.ByStatus, repository.ByDue} {
		for _, c := range []struct {
			name  string
			limit int
			want  int
		}{
			{"limit 0", 0, repository.DefaultPageSize},
			{"limit above the maximum", repository.MaxPageSize * 10, repository.MaxPageSize},
			{"limit at the maximum", repository.MaxPageSize, repository.MaxPageSize},
		} {
			q := repository.OrderQuery{TradeType: k.tradeType, By: by, Status: k.status(k.newOrder("", base())), Limit: c.limit}
			if by != repository.ByStatus {
				q.Status = ""
			}
			page, err := st.ListOrders(t.Context(), q)
			must(t, err)
			if len(page.Orders) != c.want || page.Next == "" {
				t.Errorf("by %d, %s: %d orders and cursor %q, want %d and a cursor", by, c.name, len(page.Orders), page.Next, c.want)
			}
		}
	}
}

func testCountOrders[O any](t *testing.T, s suite, k kind[O]) {
	st := s.newStore(t)
	world := listingWorld(t, st, k)
	var nextDue []time.Time
	for _, l := range world {
		if l.inSchedule {
			nextDue = append(nextDue, k.schedule(&l.o).NextSyncAt)
		}
	}
	slices.SortFunc(nextDue, time.Time.Compare)
	// At each due time, and just before it, and after every one.
	var nows []time.Time
	for _, d := range nextDue {
		nows = append(nows, d.Add(-time.Microsecond), d)
	}
	nows = append(nows, nextDue[len(nextDue)-1].Add(time.Hour))
	for _, now := range nows {
		want := repository.OrderCounts{ByStatus: map[string]int{}, OpenAnomalies: 1}
		for _, l := range world {
			want.ByStatus[k.status(l.o)]++
			if k.schedule(&l.o).Exhausted {
				want.Exhausted++
			}
			if due := k.schedule(&l.o).NextSyncAt; l.inSchedule && !due.After(now) {
				want.Due++
				if want.OldestDue.IsZero() || due.Before(want.OldestDue) {
					want.OldestDue = due
				}
			}
		}
		got, err := st.CountOrders(t.Context(), k.tradeType, now)
		must(t, err)
		what := "counts at " + stamp(now)
		if !maps.Equal(got.ByStatus, want.ByStatus) {
			t.Errorf("%s: by status %v, want %v", what, got.ByStatus, want.ByStatus)
		}
		if got.Due != want.Due || stamp(got.OldestDue) != stamp(want.OldestDue) {
			t.Errorf("%s: %d due, oldest at %s; want %d, oldest at %s", what, got.Due, stamp(got.OldestDue), want.Due, stamp(want.OldestDue))
		}
		if got.Exhausted != want.Exhausted || got.OpenAnomalies != want.OpenAnomalies {
			t.Errorf("%s: %d exhausted and %d open anomalies, want %d and %d", what,
				got.Exhausted, got.OpenAnomalies, want.Exhausted, want.OpenAnomalies)
		}
	}
}

// listingsTests are the contracts of Listings that hold for every kind at
// once.
func listingsTests() []test {
	return []test{
		{"OfOneKind", testListingsOfOneKind},
		{"Invalid", testListingsInvalid},
	}
}

// testListingsOfOneKind: orders of four kinds, all numbered x-1 and all in
// the schedule; a listing of one kind lists its own only.
func testListingsOfOneKind(t *testing.T, st repository.Store, _ Options) {
	anomalyWorld(t, st)
	for _, tt := range paysync.TradeTypes() {
		for _, q := range []repository.OrderQuery{
			{TradeType: tt, By: repository.ByDue},
			{TradeType: tt, By: repository.ByStatus, Status: map[paysync.TradeType]string{
				paysync.TradePay: "progress", paysync.TradeAllocation: "allocation_processing",
				paysync.TradeRefund: "progress", paysync.TradeTransfer: "progress"}[tt]},
		} {
			page, err := st.ListOrders(t.Context(), q)
			must(t, err)
			var got []string
			for _, o := range page.Orders {
				got = append(got, string(o.TradeType)+" "+o.TradeNo)
			}
			want := []string{string(tt) + " x-1"}
			if tt == paysync.TradePay {
				want = []string{"pay x-1", "pay p-2"} // p-2 created after x-1 at the same time
				if q.By == repository.ByDue {
					want = []string{"pay p-2", "pay x-1"}
				}
			}
			sameList(t, fmt.Sprintf("%s by %d", tt, q.By), got, want)
		}
	}
}

func testListingsInvalid(t *testing.T, st repository.Store, _ Options) {
	anomalyWorld(t, st)
	for _, c := range []struct {
		name string
		q    repository.OrderQuery
	}{
		{"unknown kind", repository.OrderQuery{TradeType: bogus, By: repository.ByDue}},
		{"no kind", repository.OrderQuery{By: repository.ByDue}},
		{"no By", repository.OrderQuery{TradeType: paysync.TradePay}},
		{"unknown By", repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByExhausted + 1}},
		{"by status without a status", repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByStatus}},
		{"negative limit", repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByDue, Limit: -1}},
		{"a cursor no store made", repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByDue, Cursor: "not a cursor"}},
	} {
		_, err := st.ListOrders(t.Context(), c.q)
		wantErr(t, "ListOrders, "+c.name, err, paysync.ErrInvalidRequest)
	}
	for _, tt := range []paysync.TradeType{bogus, ""} {
		_, err := st.CountOrders(t.Context(), tt, base())
		wantErr(t, fmt.Sprintf("CountOrders of kind %q", tt), err, paysync.ErrInvalidRequest)
	}
}
