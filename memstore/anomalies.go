package memstore

import (
	"cmp"
	"context"
	"time"

	"github.com/google/btree"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// anomalies holds one paysync.Anomaly per (TradeType, TradeNo, Code).
type anomalies struct {
	all *btree.BTreeG[paysync.Anomaly] // by (TradeType, TradeNo, Code)
	// open holds the open anomalies oldest first (OpenedAt, TradeType,
	// TradeNo, Code): of each kind under the kind, of every kind under "",
	// as ListOpenAnomalies asks for them.
	open map[paysync.TradeType]*btree.BTreeG[paysync.Anomaly]
}

func sameOrderFirst(a, b paysync.Anomaly) bool {
	return cmp.Or(cmp.Compare(a.TradeType, b.TradeType), cmp.Compare(a.TradeNo, b.TradeNo),
		cmp.Compare(a.Code, b.Code)) < 0
}

func oldestFirst(a, b paysync.Anomaly) bool {
	return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), cmp.Compare(a.TradeType, b.TradeType),
		cmp.Compare(a.TradeNo, b.TradeNo), cmp.Compare(a.Code, b.Code)) < 0
}

func newAnomalies() *anomalies {
	as := &anomalies{all: btree.NewG(32, sameOrderFirst), open: map[paysync.TradeType]*btree.BTreeG[paysync.Anomaly]{}}
	for _, t := range append(paysync.TradeTypes(), "") {
		as.open[t] = btree.NewG(32, oldestFirst)
	}
	return as
}

// apply returns the states e's sightings, then its resolutions, leave, in the
// order they apply (AnomalySighting and AnomalyResolution say how). It
// returns an error wrapping paysync.ErrVersionConflict when one disagrees
// with the anomaly it finds, stored or left by one before it, and
// paysync.ErrInvalidRequest when a sighting names no kind, order or code.
func (as *anomalies) apply(op string, e *repository.Entries) ([]paysync.Anomaly, error) {
	var out []paysync.Anomaly
	find := func(t paysync.TradeType, no string, code paysync.AnomalyCode) (paysync.Anomaly, bool) {
		probe := paysync.Anomaly{TradeType: t, TradeNo: no, Code: code}
		for i := len(out) - 1; i >= 0; i-- {
			if !sameOrderFirst(out[i], probe) && !sameOrderFirst(probe, out[i]) {
				return out[i], true
			}
		}
		return as.all.Get(probe)
	}
	for _, g := range e.Sightings {
		if !g.TradeType.Valid() || g.TradeNo == "" || !g.Code.Valid() {
			return nil, invalid(op, "a sighting needs a known trade type, a number and a known code")
		}
		a, ok := find(g.TradeType, g.TradeNo, g.Code)
		if opens := !ok || !a.Open(); opens != g.Opens {
			return nil, paysync.Ef(op, paysync.ErrVersionConflict, "anomaly "+string(g.Code)+" of "+g.TradeNo+" changed", nil)
		}
		at := utc(g.At)
		if !ok {
			a = paysync.Anomaly{TradeType: g.TradeType, TradeNo: g.TradeNo, Code: g.Code, FirstSeenAt: at}
		}
		if g.Opens {
			a.OpenedAt, a.ResolvedAt, a.ResolvedBy, a.Note = at, time.Time{}, "", ""
		}
		a.LastSeenAt = at
		a.TimesSeen++
		out = append(out, a)
	}
	for _, r := range e.Resolutions {
		a, ok := find(r.TradeType, r.TradeNo, r.Code)
		if !ok || !a.Open() {
			return nil, paysync.Ef(op, paysync.ErrVersionConflict, "anomaly "+string(r.Code)+" of "+r.TradeNo+" is not open", nil)
		}
		a.ResolvedAt, a.ResolvedBy, a.Note = utc(r.At), r.By, r.Note
		out = append(out, a)
	}
	return out, nil
}

// store writes the states apply returned, in order.
func (as *anomalies) store(states []paysync.Anomaly) {
	for _, a := range states {
		old, had := as.all.ReplaceOrInsert(a)
		for _, open := range []*btree.BTreeG[paysync.Anomaly]{as.open[""], as.open[a.TradeType]} {
			if had && old.Open() {
				open.Delete(old)
			}
			if a.Open() {
				open.ReplaceOrInsert(a)
			}
		}
	}
}

// OrderAnomalies returns every anomaly of one order, by Code.
func (s *Store) OrderAnomalies(ctx context.Context, tradeType paysync.TradeType, tradeNo string) ([]paysync.Anomaly, error) {
	return view(ctx, s, "memstore.OrderAnomalies", func() ([]paysync.Anomaly, error) {
		out := []paysync.Anomaly{}
		from := paysync.Anomaly{TradeType: tradeType, TradeNo: tradeNo}
		s.anomalies.all.AscendGreaterOrEqual(from, func(a paysync.Anomaly) bool {
			if a.TradeType != tradeType || a.TradeNo != tradeNo {
				return false
			}
			out = append(out, a)
			return true
		})
		return out, nil
	})
}

// anomalyCursor is where a page of open anomalies starts: the first anomaly
// of the page, and the kind the query asked for.
type anomalyCursor struct {
	Kind     paysync.TradeType
	OpenedAt time.Time
	Type     paysync.TradeType
	No       string
	Code     paysync.AnomalyCode
}

// ListOpenAnomalies returns a page of open anomalies, oldest first.
func (s *Store) ListOpenAnomalies(ctx context.Context, q repository.AnomalyQuery) (repository.AnomalyPage, error) {
	const op = "memstore.ListOpenAnomalies"
	return view(ctx, s, op, func() (repository.AnomalyPage, error) {
		limit, err := pageSize(op, q.Limit)
		if err != nil {
			return repository.AnomalyPage{}, err
		}
		open, ok := s.anomalies.open[q.TradeType]
		if !ok {
			return repository.AnomalyPage{}, invalid(op, "unknown trade type "+string(q.TradeType))
		}
		var from paysync.Anomaly
		if q.Cursor != "" {
			var c anomalyCursor
			if !decodeCursor(q.Cursor, &c) || c.Kind != q.TradeType {
				return repository.AnomalyPage{}, invalid(op, "not a cursor of this query")
			}
			from = paysync.Anomaly{OpenedAt: c.OpenedAt, TradeType: c.Type, TradeNo: c.No, Code: c.Code}
		}
		page := repository.AnomalyPage{Anomalies: []paysync.Anomaly{}}
		open.AscendGreaterOrEqual(from, func(a paysync.Anomaly) bool {
			if len(page.Anomalies) == limit {
				page.Next = encodeCursor(anomalyCursor{q.TradeType, a.OpenedAt, a.TradeType, a.TradeNo, a.Code})
				return false
			}
			page.Anomalies = append(page.Anomalies, a)
			return true
		})
		return page, nil
	})
}
