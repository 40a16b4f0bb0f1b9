package memstore

import (
	"errors"
	"fmt"
	"maps"
)

// CountVisits makes s count the index entries its claims and order listings
// read, and returns the counter.
func (s *Store) CountVisits() *int {
	n := new(int)
	visit := func() { *n++ }
	s.pays.visit, s.allocations.visit, s.refunds.visit, s.transfers.visit = visit, visit, visit, visit
	return n
}

// CheckIndexes returns an error when an index of s holds an entry that no
// order asks for or misses one that an order asks for, or a map files an
// order under another number.
func (s *Store) CheckIndexes() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return errors.Join(checkTable(s.pays), checkTable(s.allocations), checkTable(s.refunds), checkTable(s.transfers))
}

func checkTable[O any](t *table[O]) error {
	want := map[*index[O]]map[item[O]]bool{}
	for _, ix := range []*index[O]{t.byStatus, t.exhausted, t.children, t.due, t.ready, t.leases} {
		want[ix] = map[item[O]]bool{}
	}
	for no, e := range t.byNo {
		s := t.kind.summary(e.order)
		if s.TradeNo != no || t.byBiz[s.BizNo] != e {
			return fmt.Errorf("order %s is filed as %s and under merchant number %s as %v", s.TradeNo, no, s.BizNo, t.byBiz[s.BizNo])
		}
		if e.leased && s.Schedule.LeaseOwner == "" {
			return fmt.Errorf("order %s is in leases with no lease", no)
		}
		for _, p := range t.keys(e, nil) {
			want[p.ix][p.it] = true
		}
	}
	if len(t.byBiz) != len(t.byNo) {
		return fmt.Errorf("%d orders by number, %d by merchant number", len(t.byNo), len(t.byBiz))
	}
	for ix, keys := range want {
		got := map[item[O]]bool{}
		ix.Ascend(func(it item[O]) bool {
			got[it] = true
			return true
		})
		if !maps.Equal(got, keys) {
			return fmt.Errorf("an index holds %v, the orders ask for %v", got, keys)
		}
	}
	return nil
}
