package repositorytest

import (
	"context"
	"errors"
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

// wantErr fails t unless err wraps sentinel and is a paysync error.
func wantErr(t *testing.T, what string, err error, sentinel error) {
	t.Helper()
	var pe *paysync.Error
	switch {
	case err == nil:
		t.Errorf("%s: no error, want one wrapping %v", what, sentinel)
	case !errors.Is(err, sentinel):
		t.Errorf("%s: got error %q, want one wrapping %v", what, err, sentinel)
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
func trailOf(t *testing.T, st repository.Store, tradeNo string) trail {
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
	return trail{syncs: syncIDs([]paysync.SyncRecord{e.Sync}), adjusts: adjustNos(e.Adjusts), events: eventIDs(e.Events)}
}

func (tr trail) plus(o trail) trail {
	return trail{
		syncs:   append(append([]string{}, tr.syncs...), o.syncs...),
		adjusts: append(append([]string{}, tr.adjusts...), o.adjusts...),
		events:  append(append([]string{}, tr.events...), o.events...),
	}
}

func sameTrail(t *testing.T, what string, got, want trail) {
	t.Helper()
	sameList(t, what+": sync records", got.syncs, want.syncs)
	sameList(t, what+": adjust records", got.adjusts, want.adjusts)
	sameList(t, what+": events", got.events, want.events)
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
