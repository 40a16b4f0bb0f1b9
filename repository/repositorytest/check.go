package repositorytest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails t unless err is a paysync error wrapping one of sentinels
// (where a contract allows more than one reading).
func wantErr(t testing.TB, what string, err error, sentinels ...error) {
	t.Helper()
	var pe *paysync.Error
	switch {
	case err == nil:
		t.Errorf("%s: no error, want one wrapping %v", what, sentinels)
	case !slices.ContainsFunc(sentinels, func(s error) bool { return errors.Is(err, s) }):
		t.Errorf("%s: got error %q, want one wrapping %v", what, err, sentinels)
	case !errors.As(err, &pe):
		t.Errorf("%s: error %q is not a *paysync.Error", what, err)
	}
}

// trail is what a store holds beside orders, as ids in store order.
type trail struct {
	syncs, adjusts, events []string
}

// trailOf returns the trail of trade tradeNo, or of every trade when tradeNo
// is empty.
func trailOf(t testing.TB, st repository.Store, tradeNo string) trail {
	t.Helper()
	ctx := context.Background()
	syncs, err := st.ListSyncRecords(ctx, repository.RecordFilter{TradeNo: tradeNo})
	must(t, err)
	adjusts, err := st.ListAdjustRecords(ctx, repository.RecordFilter{TradeNo: tradeNo})
	must(t, err)
	events, err := st.ListEvents(ctx, repository.EventFilter{TradeNo: tradeNo})
	must(t, err)
	return trail{syncs: syncIDs(syncs), adjusts: adjustNos(adjusts), events: eventIDs(events)}
}

// entriesTrail is the trail e leaves.
func entriesTrail(e repository.Entries) trail {
	tr := trail{syncs: []string{}, adjusts: adjustNos(e.Adjusts), events: eventIDs(e.Events)}
	if e.Sync.ID != (paysync.SyncRecord{}).ID {
		tr.syncs = syncIDs([]paysync.SyncRecord{e.Sync})
	}
	return tr
}

func (tr trail) plus(o trail) trail {
	return trail{
		syncs:   append(append([]string{}, tr.syncs...), o.syncs...),
		adjusts: append(append([]string{}, tr.adjusts...), o.adjusts...),
		events:  append(append([]string{}, tr.events...), o.events...),
	}
}

func sameTrail(t testing.TB, what string, got, want trail) {
	t.Helper()
	sameList(t, what+": sync records", got.syncs, want.syncs)
	sameList(t, what+": adjust records", got.adjusts, want.adjusts)
	sameList(t, what+": events", got.events, want.events)
}

// sameSet fails t unless got and want hold the same ids as often, in any
// order, naming the first few ids that one holds and the other does not.
func sameSet(t testing.TB, what string, got, want []string) {
	t.Helper()
	extra, lacking := without(got, want), without(want, got)
	if len(extra) > 0 || len(lacking) > 0 {
		t.Errorf("%s: store holds %d, want %d; stored but not expected: %q; expected but not stored: %q",
			what, len(got), len(want), extra[:min(len(extra), 5)], lacking[:min(len(lacking), 5)])
	}
}

// without returns the ids of a that b does not hold as many times, in a's
// order.
func without(a, b []string) []string {
	left := map[string]int{}
	for _, id := range b {
		left[id]++
	}
	var out []string
	for _, id := range a {
		if left[id] > 0 {
			left[id]--
			continue
		}
		out = append(out, id)
	}
	return out
}

func syncIDs(rs []paysync.SyncRecord) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID.String())
	}
	return out
}

func adjustNos(rs []paysync.AdjustRecord) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.AdjustNo)
	}
	return out
}

func eventIDs(es []paysync.Event) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID.String())
	}
	return out
}

// look renders part of what a store holds, for snapshot.
type look func(t testing.TB, st repository.Store) fields

// lookOrder renders the order numbered no, read by its number and by its
// merchant number biz, and its anomalies; "absent" where a read finds
// nothing.
func lookOrder[O any](k kind[O], no, biz string) look {
	return func(t testing.TB, st repository.Store) fields {
		t.Helper()
		f := fields{}
		put := func(prefix string, o O, err error) {
			switch {
			case errors.Is(err, k.notFound):
				f[prefix] = "absent"
			case err != nil:
				t.Fatalf("%s: %v", prefix, err)
			default:
				for key, v := range k.fields(o) {
					f[prefix+"."+key] = v
				}
			}
		}
		o, err := k.get(st, t.Context(), no)
		put(fmt.Sprintf("%s %s", k.tradeType, no), o, err)
		if biz != "" {
			o, err = k.getByBiz(st, t.Context(), biz)
			put(fmt.Sprintf("%s by merchant number %s", k.tradeType, biz), o, err)
		}
		as, err := st.OrderAnomalies(t.Context(), k.tradeType, no)
		must(t, err)
		for key, v := range listFields(anomalyFields, as) {
			f[fmt.Sprintf("anomalies of %s %s%s", k.tradeType, no, key)] = v
		}
		return f
	}
}

// lookKind is lookOrder of o.
func lookKind[O any](k kind[O], o O) look { return lookOrder(k, k.no(o), k.biz(o)) }

// snapshot renders, field by field, the orders looks name and everything a
// store holds beside orders: every sync record, adjust record, event and
// open anomaly. A write that must store nothing leaves it as it was.
func snapshot(t testing.TB, st repository.Store, looks ...look) fields {
	t.Helper()
	ctx := context.Background()
	f := fields{}
	add := func(prefix string, g fields) {
		for k, v := range g {
			f[prefix+k] = v
		}
	}
	syncs, err := st.ListSyncRecords(ctx, repository.RecordFilter{})
	must(t, err)
	add("sync records", listFields(syncFields, syncs))
	adjusts, err := st.ListAdjustRecords(ctx, repository.RecordFilter{})
	must(t, err)
	add("adjust records", listFields(adjustFields, adjusts))
	events, err := st.ListEvents(ctx, repository.EventFilter{})
	must(t, err)
	add("events", listFields(eventFields, events))
	add("open anomalies", listFields(anomalyFields, allOpenAnomalies(t, st, "")))
	for _, l := range looks {
		add("", l(t, st))
	}
	return f
}

// allOpenAnomalies lists the open anomalies of tradeType (every kind when
// empty), page by page.
func allOpenAnomalies(t testing.TB, st repository.Store, tradeType paysync.TradeType) []paysync.Anomaly {
	t.Helper()
	all, _ := anomalyPages(t, st, repository.AnomalyQuery{TradeType: tradeType, Limit: repository.MaxPageSize}, 1000)
	return all
}

// readPages reads a listing page by page, read returning the page at cursor
// (empty: the first), until a page has no next cursor; it fails t after
// more than maxPages. It returns the items in order and each page's size.
func readPages[T any](t testing.TB, maxPages int, read func(cursor string) (items []T, next string, err error)) (all []T, sizes []int) {
	t.Helper()
	var cursor string
	for range maxPages + 1 {
		items, next, err := read(cursor)
		must(t, err)
		all, sizes = append(all, items...), append(sizes, len(items))
		if next == "" {
			return all, sizes
		}
		cursor = next
	}
	t.Fatalf("more than %d pages", maxPages)
	return nil, nil
}

// samePageSizes fails t unless the pages that list total items limit at a
// time are full but the last, and the last holds the last item: a cursor
// names a page that follows only when items follow.
func samePageSizes(t testing.TB, what string, sizes []int, limit, total int) {
	t.Helper()
	want := make([]int, max(1, (total+limit-1)/limit))
	for i := range want {
		want[i] = min(limit, total-i*limit)
	}
	if !slices.Equal(sizes, want) {
		t.Errorf("%s: pages of %v items, want %v", what, sizes, want)
	}
}

// listedOnce fails t when listed names a key twice, or a key of stable (in
// the listing all along, while others came and went) other than once.
func listedOnce(t testing.TB, listed []string, stable map[string]bool) {
	t.Helper()
	count := map[string]int{}
	for _, key := range listed {
		count[key]++
	}
	for key, n := range count {
		if n > 1 {
			t.Errorf("%s listed %d times", key, n)
		}
	}
	for key := range stable {
		if count[key] != 1 {
			t.Errorf("%s, listed all along, listed %d times, want once", key, count[key])
		}
	}
}
