package repositorytest

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// The rules of AnomalySighting and AnomalyResolution, asserted for every
// kind through its commit and through SaveEntries.

func sightingTests[O any]() []orderTest[O] {
	return []orderTest[O]{
		{"Sightings", testSightings[O]},
		{"SightingConflicts", testSightingConflicts[O]},
	}
}

// way is how a test writes entries about order o-1: with a commit of the
// order (which gets a new version) or with SaveEntries (which touches no
// order).
type way[O any] struct {
	name   string
	bumps  bool
	writes func(t *testing.T, st repository.Store, k kind[O], e repository.Entries, at time.Time) error
}

func ways[O any]() []way[O] {
	return []way[O]{
		{"commit", true, func(t *testing.T, st repository.Store, k kind[O], e repository.Entries, at time.Time) error {
			o := stored(t, st, k, "o-1")
			_, updated := k.timestamps(&o)
			*updated = at
			return k.commit(st, t.Context(), o, e)
		}},
		{"SaveEntries", false, func(t *testing.T, st repository.Store, _ kind[O], e repository.Entries, _ time.Time) error {
			return st.SaveEntries(t.Context(), e)
		}},
	}
}

// anomalyEvent returns the event announcing that an anomaly of kind
// tradeType opened.
func anomalyEvent(tradeType paysync.TradeType, tradeNo string, at time.Time) paysync.Event {
	typ := map[paysync.TradeType]paysync.EventType{
		paysync.TradePay:        paysync.EventPayAnomaly,
		paysync.TradeAllocation: paysync.EventAllocationAnomaly,
		paysync.TradeRefund:     paysync.EventRefundAnomaly,
		paysync.TradeTransfer:   paysync.EventTransferAnomaly,
	}[tradeType]
	return NewEvent(typ, tradeType, tradeNo, at)
}

// testSightings walks an anomaly through its life — opened, seen again,
// resolved, opened again — beside a second one, checking after each step
// every anomaly of the order and that the order changed only as the way
// writing it does.
func testSightings[O any](t *testing.T, s suite, k kind[O]) {
	for _, w := range ways[O]() {
		t.Run(w.name, func(t *testing.T) {
			st := s.newStore(t)
			created(t, st, k, "o-1", base())
			a, b := paysync.AnomalyTradeMismatch, paysync.AnomalyAmountMismatch // b sorts first
			t1, t2, t3, t4 := zoned(time.Minute), zoned(2*time.Minute), zoned(3*time.Minute), zoned(4*time.Minute)
			seen := func(code paysync.AnomalyCode, at time.Time, opens bool) repository.AnomalySighting {
				s := NewSighting(k.tradeType, "o-1", code, at)
				s.Opens = opens
				return s
			}
			open := func(code paysync.AnomalyCode, first, opened, last time.Time, times int) paysync.Anomaly {
				return paysync.Anomaly{TradeType: k.tradeType, TradeNo: "o-1", Code: code,
					FirstSeenAt: utc(first), OpenedAt: utc(opened), LastSeenAt: utc(last), TimesSeen: times}
			}
			steps := []struct {
				name string
				at   time.Time
				e    repository.Entries
				want []paysync.Anomaly // ordered by Code
			}{
				{"first sighting opens", t1, repository.Entries{
					Sightings: []repository.AnomalySighting{seen(a, t1, true)},
					Events:    []paysync.Event{anomalyEvent(k.tradeType, "o-1", t1)},
				}, []paysync.Anomaly{open(a, t1, t1, t1, 1)}},
				{"an open one seen again, a second opens", t2, repository.Entries{
					Sync:      NewSyncRecord(k.tradeType, "o-1", t2),
					Sightings: []repository.AnomalySighting{seen(a, t2, false), seen(b, t2, true)},
					Events:    []paysync.Event{anomalyEvent(k.tradeType, "o-1", t2)},
				}, []paysync.Anomaly{open(b, t2, t2, t2, 1), open(a, t1, t1, t2, 2)}},
				{"a person resolves one", t3, repository.Entries{
					Resolutions: []repository.AnomalyResolution{NewResolution(k.tradeType, "o-1", a, t3)},
					Events:      []paysync.Event{NewEvent(paysync.EventAnomalyResolved, k.tradeType, "o-1", t3)},
				}, func() []paysync.Anomaly {
					resolved := open(a, t1, t1, t2, 2)
					r := NewResolution(k.tradeType, "o-1", a, t3)
					resolved.ResolvedAt, resolved.ResolvedBy, resolved.Note = utc(t3), r.By, r.Note
					return []paysync.Anomaly{open(b, t2, t2, t2, 1), resolved}
				}()},
				{"seen after its resolution, it opens again", t4, repository.Entries{
					Sightings: []repository.AnomalySighting{seen(a, t4, true), seen(b, t4, false)},
					Events:    []paysync.Event{anomalyEvent(k.tradeType, "o-1", t4)},
				}, []paysync.Anomaly{open(b, t2, t2, t4, 2), open(a, t1, t4, t4, 3)}},
			}
			version := int64(1)
			for _, step := range steps {
				before := stored(t, st, k, "o-1")
				must(t, w.writes(t, st, k, step.e, step.at))
				got, err := st.OrderAnomalies(t.Context(), k.tradeType, "o-1")
				must(t, err)
				same(t, step.name+": anomalies", listFields(anomalyFields, got), listFields(anomalyFields, step.want))
				after := stored(t, st, k, "o-1")
				if w.bumps {
					version++
				} else {
					same(t, step.name+": the order, which SaveEntries must not touch", k.fields(after), k.fields(before))
				}
				if v := *k.version(&after); v != version {
					t.Errorf("%s: order at version %d, want %d: a sighting never bumps the version", step.name, v, version)
				}
			}
			open4 := allOpenAnomalies(t, st, k.tradeType)
			want := []paysync.Anomaly{open(b, t2, t2, t4, 2), open(a, t1, t4, t4, 3)}
			same(t, "open anomalies", listFields(anomalyFields, open4), listFields(anomalyFields, want))
		})
	}
}

// testSightingConflicts: a sighting whose Opens disagrees with the stored
// anomaly, or a resolution of an anomaly that is not open, refuses the
// whole write with paysync.ErrVersionConflict.
func testSightingConflicts[O any](t *testing.T, s suite, k kind[O]) {
	a := paysync.AnomalyTradeMismatch
	sight := func(at time.Time, opens bool) repository.AnomalySighting {
		s := NewSighting(k.tradeType, "o-1", a, at)
		s.Opens = opens
		return s
	}
	resolve := func(at time.Time) repository.AnomalyResolution { return NewResolution(k.tradeType, "o-1", a, at) }
	opened := repository.Entries{Sightings: []repository.AnomalySighting{sight(base(), true)}}
	resolved := repository.Entries{Resolutions: []repository.AnomalyResolution{resolve(base().Add(time.Second))}}
	tests := []struct {
		name  string
		setup []repository.Entries
		bad   repository.Entries
	}{
		{"opens an open one", []repository.Entries{opened},
			repository.Entries{Sightings: []repository.AnomalySighting{sight(base().Add(time.Minute), true)}}},
		{"sees an absent one as open", nil,
			repository.Entries{Sightings: []repository.AnomalySighting{sight(base().Add(time.Minute), false)}}},
		{"sees a resolved one as open", []repository.Entries{opened, resolved},
			repository.Entries{Sightings: []repository.AnomalySighting{sight(base().Add(time.Minute), false)}}},
		{"resolves an absent one", nil,
			repository.Entries{Resolutions: []repository.AnomalyResolution{resolve(base().Add(time.Minute))}}},
		{"resolves a resolved one", []repository.Entries{opened, resolved},
			repository.Entries{Resolutions: []repository.AnomalyResolution{resolve(base().Add(time.Minute))}}},
	}
	for _, w := range ways[O]() {
		for _, tc := range tests {
			t.Run(w.name+"/"+tc.name, func(t *testing.T) {
				st := s.newStore(t)
				o := created(t, st, k, "o-1", base())
				for _, e := range tc.setup {
					must(t, st.SaveEntries(t.Context(), e))
				}
				looks := looksFor(k, o)
				before := snapshot(t, st, looks...)
				// The refused write carries a record, an event and a good
				// sighting of another code: none of it may be stored.
				at := base().Add(time.Minute)
				bad := NewEntries(k.tradeType, "o-1", at)
				bad.Sightings = append([]repository.AnomalySighting{NewSighting(k.tradeType, "o-1", paysync.AnomalyAmountMismatch, at)},
					tc.bad.Sightings...)
				bad.Resolutions = tc.bad.Resolutions
				wantErr(t, w.name, w.writes(t, st, k, bad, at), paysync.ErrVersionConflict)
				same(t, "store after the refused write", snapshot(t, st, looks...), before)
			})
		}
	}
}
