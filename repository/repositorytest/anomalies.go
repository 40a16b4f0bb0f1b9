package repositorytest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

func anomalyTests() []test {
	return []test{
		{"OrderAnomalies", testOrderAnomalies},
		{"ListOpenAnomalies", testListOpenAnomalies},
		{"ListOpenAnomaliesPaging", testListOpenAnomaliesPaging},
		{"ListOpenAnomaliesWhileChanging", testListOpenAnomaliesWhileChanging},
		{"ListOpenAnomaliesPageSize", testListOpenAnomaliesPageSize},
		{"ListOpenAnomaliesInvalid", testListOpenAnomaliesInvalid},
		{"ConcurrentOpenings", testConcurrentOpenings},
	}
}

// anomalyKey is the order ListOpenAnomalies lists in.
func anomalyKey(a paysync.Anomaly) string {
	return fmt.Sprintf("%s %s %s %s", a.OpenedAt.UTC().Format(time.RFC3339Nano), a.TradeType, a.TradeNo, a.Code)
}

func compareAnomalies(a, b paysync.Anomaly) int {
	return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), cmp.Compare(a.TradeType, b.TradeType),
		cmp.Compare(a.TradeNo, b.TradeNo), cmp.Compare(a.Code, b.Code))
}

func anomalyKeys(as []paysync.Anomaly) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, anomalyKey(a))
	}
	return out
}

// opened returns the anomaly a first sighting at at opens.
func opened(tradeType paysync.TradeType, tradeNo string, code paysync.AnomalyCode, at time.Time) paysync.Anomaly {
	return paysync.Anomaly{TradeType: tradeType, TradeNo: tradeNo, Code: code,
		FirstSeenAt: utc(at), OpenedAt: utc(at), LastSeenAt: utc(at), TimesSeen: 1}
}

// sightAll opens the anomalies given, in one SaveEntries.
func sightAll(t *testing.T, st repository.Store, as ...paysync.Anomaly) {
	t.Helper()
	var e repository.Entries
	for _, a := range as {
		e.Sightings = append(e.Sightings, NewSighting(a.TradeType, a.TradeNo, a.Code, a.OpenedAt))
	}
	must(t, st.SaveEntries(t.Context(), e))
}

func resolveAll(t *testing.T, st repository.Store, at time.Time, as ...paysync.Anomaly) {
	t.Helper()
	var e repository.Entries
	for _, a := range as {
		e.Resolutions = append(e.Resolutions, NewResolution(a.TradeType, a.TradeNo, a.Code, at))
	}
	must(t, st.SaveEntries(t.Context(), e))
}

// anomalyWorld creates an order of every kind numbered x-1 (one number,
// four kinds) and pay order p-2, for anomalies to be kept beside.
func anomalyWorld(t *testing.T, st repository.Store) {
	t.Helper()
	created(t, st, payKind(), "x-1", base())
	created(t, st, payKind(), "p-2", base())
	created(t, st, allocationKind(), "x-1", base())
	created(t, st, refundKind(), "x-1", base())
	created(t, st, transferKind(), "x-1", base())
}

// testOrderAnomalies: an order's anomalies, open and resolved, by Code, and
// no other order's — not even another kind's order of the same number.
func testOrderAnomalies(t *testing.T, st repository.Store, _ Options) {
	anomalyWorld(t, st)
	t0 := base()
	pay := []paysync.Anomaly{
		opened(paysync.TradePay, "x-1", paysync.AnomalyTradeMismatch, t0),
		opened(paysync.TradePay, "x-1", paysync.AnomalyAmountMismatch, t0.Add(time.Second)),
		opened(paysync.TradePay, "x-1", paysync.AnomalyOverRefunded, t0.Add(2*time.Second)),
	}
	transfer := opened(paysync.TradeTransfer, "x-1", paysync.AnomalyTransferNotAtChannel, t0)
	other := opened(paysync.TradePay, "p-2", paysync.AnomalyCurrencyMismatch, t0)
	sightAll(t, st, append(slices.Clone(pay), transfer, other)...)
	resolveAll(t, st, t0.Add(time.Hour), pay[2])
	pay[2].ResolvedAt, pay[2].ResolvedBy, pay[2].Note = utc(t0.Add(time.Hour)), "ops@example.com", "the channel confirmed it"

	for _, c := range []struct {
		tradeType paysync.TradeType
		no        string
		want      []paysync.Anomaly
	}{
		{paysync.TradePay, "x-1", []paysync.Anomaly{pay[1], pay[2], pay[0]}},
		{paysync.TradeTransfer, "x-1", []paysync.Anomaly{transfer}},
		{paysync.TradeAllocation, "x-1", nil},
		{paysync.TradeRefund, "x-1", nil},
		{paysync.TradePay, "p-2", []paysync.Anomaly{other}},
		{paysync.TradePay, "missing", nil},
	} {
		got, err := st.OrderAnomalies(t.Context(), c.tradeType, c.no)
		must(t, err)
		if got == nil {
			t.Errorf("%s %s: nil, want an empty slice when it has none", c.tradeType, c.no)
		}
		same(t, fmt.Sprintf("anomalies of %s %s", c.tradeType, c.no), listFields(anomalyFields, got), listFields(anomalyFields, c.want))
	}
}

// listWorld opens anomalies with ties on OpenedAt across kinds, numbers and
// codes, resolves one and reopens another, and returns the open ones in the
// order ListOpenAnomalies lists them.
func listWorld(t *testing.T, st repository.Store) []paysync.Anomaly {
	t.Helper()
	anomalyWorld(t, st)
	t0 := zoned(0)
	all := []paysync.Anomaly{
		opened(paysync.TradeTransfer, "x-1", paysync.AnomalyTransferNotAtChannel, t0),
		opened(paysync.TradePay, "x-1", paysync.AnomalyTradeMismatch, t0),
		opened(paysync.TradePay, "x-1", paysync.AnomalyAmountMismatch, t0),
		opened(paysync.TradePay, "p-2", paysync.AnomalyAmountMismatch, t0),
		opened(paysync.TradeAllocation, "x-1", paysync.AnomalyReceiverMissing, t0.Add(time.Second)),
		opened(paysync.TradeRefund, "x-1", paysync.AnomalyRefundNotAtChannel, t0.Add(-time.Second)),
		opened(paysync.TradePay, "p-2", paysync.AnomalyCurrencyMismatch, t0.Add(2*time.Second)),
		opened(paysync.TradeAllocation, "x-1", paysync.AnomalyReceiverAmountMismatch, t0.Add(3*time.Second)),
	}
	sightAll(t, st, all...)
	// Resolved: no longer listed. Resolved and seen again: listed at the
	// time it opened again.
	resolveAll(t, st, t0.Add(time.Minute), all[6], all[1])
	again := NewSighting(paysync.TradePay, "x-1", paysync.AnomalyTradeMismatch, t0.Add(2*time.Minute))
	must(t, st.SaveEntries(t.Context(), repository.Entries{Sightings: []repository.AnomalySighting{again}}))
	reopened := all[1]
	reopened.OpenedAt, reopened.LastSeenAt, reopened.TimesSeen = utc(again.At), utc(again.At), 2
	open := append(slices.Delete(slices.Clone(all), 6, 7), reopened)
	open = slices.Delete(open, 1, 2)
	slices.SortFunc(open, compareAnomalies)
	return open
}

func testListOpenAnomalies(t *testing.T, st repository.Store, _ Options) {
	open := listWorld(t, st)
	of := func(tt paysync.TradeType) []paysync.Anomaly {
		out := []paysync.Anomaly{}
		for _, a := range open {
			if a.TradeType == tt {
				out = append(out, a)
			}
		}
		return out
	}
	for _, c := range []struct {
		name string
		tt   paysync.TradeType
		want []paysync.Anomaly
	}{
		{"every kind", "", open},
		{"pay", paysync.TradePay, of(paysync.TradePay)},
		{"allocation", paysync.TradeAllocation, of(paysync.TradeAllocation)},
		{"refund", paysync.TradeRefund, of(paysync.TradeRefund)},
		{"transfer", paysync.TradeTransfer, of(paysync.TradeTransfer)},
	} {
		page, err := st.ListOpenAnomalies(t.Context(), repository.AnomalyQuery{TradeType: c.tt})
		must(t, err)
		same(t, c.name, listFields(anomalyFields, page.Anomalies), listFields(anomalyFields, c.want))
		if page.Next != "" {
			t.Errorf("%s: the only page has a cursor %q, want none", c.name, page.Next)
		}
	}
}

// anomalyPages reads every page of q, failing t after more than maxPages.
func anomalyPages(t testing.TB, st repository.Store, q repository.AnomalyQuery, maxPages int) ([]paysync.Anomaly, []int) {
	t.Helper()
	return readPages(t, maxPages, func(cursor string) ([]paysync.Anomaly, string, error) {
		q.Cursor = cursor
		page, err := st.ListOpenAnomalies(t.Context(), q)
		return page.Anomalies, page.Next, err
	})
}

func testListOpenAnomaliesPaging(t *testing.T, st repository.Store, _ Options) {
	open := listWorld(t, st)
	for _, limit := range []int{1, 2, 3, len(open) - 1, len(open)} {
		got, sizes := anomalyPages(t, st, repository.AnomalyQuery{Limit: limit}, len(open))
		what := fmt.Sprintf("pages of %d", limit)
		same(t, what, listFields(anomalyFields, got), listFields(anomalyFields, open))
		samePageSizes(t, what, sizes, limit, len(open))
	}
	pay := []paysync.Anomaly{}
	for _, a := range open {
		if a.TradeType == paysync.TradePay {
			pay = append(pay, a)
		}
	}
	got, _ := anomalyPages(t, st, repository.AnomalyQuery{TradeType: paysync.TradePay, Limit: 1}, len(pay))
	same(t, "pay anomalies a page of 1 at a time", listFields(anomalyFields, got), listFields(anomalyFields, pay))
}

// testListOpenAnomaliesWhileChanging pages through open anomalies while
// others are resolved, seen again and opened between pages: an anomaly open
// all along is listed exactly once, none is listed twice or after it was
// resolved, and the pages run in order.
func testListOpenAnomaliesWhileChanging(t *testing.T, st repository.Store, _ Options) {
	anomalyWorld(t, st)
	t0 := base()
	var all []paysync.Anomaly
	for i, code := range paysync.AnomalyCodes() {
		all = append(all, opened(paysync.TradePay, "x-1", code, t0.Add(time.Duration(i)*time.Second)))
	}
	sightAll(t, st, all...)
	stable := map[string]bool{}
	for _, a := range all {
		stable[anomalyKey(a)] = true
	}
	resolvedAt := map[string]int{} // anomaly → the page after which it was resolved
	changes := []func(page int){
		func(page int) { // resolve the first two not yet listed, and one listed
			resolveAll(t, st, t0.Add(time.Hour), all[3], all[4], all[0])
			for _, a := range []paysync.Anomaly{all[3], all[4], all[0]} {
				delete(stable, anomalyKey(a))
				resolvedAt[anomalyKey(a)] = page
			}
		},
		func(int) { // see again ones not yet listed: they keep their place
			e := repository.Entries{}
			for _, a := range all[6:9] {
				s := NewSighting(a.TradeType, a.TradeNo, a.Code, t0.Add(time.Hour))
				s.Opens = false
				e.Sightings = append(e.Sightings, s)
			}
			must(t, st.SaveEntries(t.Context(), e))
		},
		func(int) { // open new ones, before the cursor and after every other
			sightAll(t, st, opened(paysync.TradePay, "p-2", paysync.AnomalyAmountMismatch, t0.Add(-time.Hour)),
				opened(paysync.TradePay, "p-2", paysync.AnomalyTradeMismatch, t0.Add(time.Hour)))
		},
	}
	q := repository.AnomalyQuery{Limit: 3}
	var listed []paysync.Anomaly
	for page := 0; ; page++ {
		if page > 20 {
			t.Fatal("more than 20 pages of 3 for fewer than 20 anomalies")
		}
		p, err := st.ListOpenAnomalies(t.Context(), q)
		must(t, err)
		for _, a := range p.Anomalies {
			if at, ok := resolvedAt[anomalyKey(a)]; ok && at < page {
				t.Errorf("page %d lists %s, resolved after page %d", page, anomalyKey(a), at)
			}
		}
		listed = append(listed, p.Anomalies...)
		if p.Next == "" {
			break
		}
		if page < len(changes) {
			changes[page](page)
		}
		q.Cursor = p.Next
	}
	listedOnce(t, anomalyKeys(listed), stable)
	if !slices.IsSortedFunc(listed, compareAnomalies) {
		t.Errorf("pages out of order: %q", anomalyKeys(listed))
	}
}

func testListOpenAnomaliesPageSize(t *testing.T, st repository.Store, _ Options) {
	// MaxPageSize+1 anomalies, on as many pay orders as they need.
	codes := paysync.AnomalyCodes()
	var all []paysync.Anomaly
	for i := 0; len(all) <= repository.MaxPageSize; i++ {
		no := fmt.Sprintf("p-%03d", i)
		created(t, st, payKind(), no, base())
		for _, code := range codes {
			if len(all) <= repository.MaxPageSize {
				all = append(all, opened(paysync.TradePay, no, code, base()))
			}
		}
	}
	sightAll(t, st, all...)
	for _, c := range []struct {
		name  string
		limit int
		want  int
	}{
		{"limit 0", 0, repository.DefaultPageSize},
		{"limit above the maximum", repository.MaxPageSize * 10, repository.MaxPageSize},
		{"limit at the maximum", repository.MaxPageSize, repository.MaxPageSize},
	} {
		page, err := st.ListOpenAnomalies(t.Context(), repository.AnomalyQuery{Limit: c.limit})
		must(t, err)
		if len(page.Anomalies) != c.want || page.Next == "" {
			t.Errorf("%s: %d anomalies and cursor %q, want %d and a cursor", c.name, len(page.Anomalies), page.Next, c.want)
		}
	}
	got, sizes := anomalyPages(t, st, repository.AnomalyQuery{Limit: repository.MaxPageSize + 1}, len(all))
	same(t, "pages of a limit above the maximum", listFields(anomalyFields, got),
		listFields(anomalyFields, slices.SortedFunc(slices.Values(all), compareAnomalies)))
	samePageSizes(t, "pages of a limit above the maximum", sizes, repository.MaxPageSize, len(all))
}

func testListOpenAnomaliesInvalid(t *testing.T, st repository.Store, _ Options) {
	listWorld(t, st)
	for _, c := range []struct {
		name string
		q    repository.AnomalyQuery
	}{
		{"unknown kind", repository.AnomalyQuery{TradeType: bogus}},
		{"negative limit", repository.AnomalyQuery{Limit: -1}},
		{"a cursor no store made", repository.AnomalyQuery{Cursor: "not a cursor"}},
	} {
		_, err := st.ListOpenAnomalies(t.Context(), c.q)
		wantErr(t, c.name, err, paysync.ErrInvalidRequest)
	}
}

// testConcurrentOpenings has ConcurrentWriters syncs see one anomaly absent
// and open it at once, each announcing it: exactly one may, so the opening
// is announced once.
func testConcurrentOpenings(t *testing.T, st repository.Store, opts Options) {
	created(t, st, payKind(), "p-1", base())
	var (
		mu        sync.Mutex
		won, lost int
		wg        sync.WaitGroup
	)
	for w := range opts.ConcurrentWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := base().Add(time.Duration(w) * time.Second)
			e := repository.Entries{
				Sync:      NewSyncRecord(paysync.TradePay, "p-1", at),
				Sightings: []repository.AnomalySighting{NewSighting(paysync.TradePay, "p-1", paysync.AnomalyAmountMismatch, at)},
				Events:    []paysync.Event{anomalyEvent(paysync.TradePay, "p-1", at)},
			}
			err := st.SaveEntries(t.Context(), e)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, paysync.ErrVersionConflict):
				lost++
			default:
				t.Errorf("writer %d: %v", w, err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d writers opened the anomaly, want exactly 1 (%d lost)", won, lost)
	}
	tr := trailOf(t, st, "p-1")
	if len(tr.events) != 1 || len(tr.syncs) != 1 {
		t.Errorf("%d events and %d sync records stored, want those of the one writer that opened it", len(tr.events), len(tr.syncs))
	}
	as, err := st.OrderAnomalies(t.Context(), paysync.TradePay, "p-1")
	must(t, err)
	if len(as) != 1 || as[0].TimesSeen != 1 {
		t.Errorf("anomalies after the race: %v, want one seen once", as)
	}
}
