package memstore

import (
	"slices"
	"time"

	"github.com/google/btree"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// kind is what a table needs to know about one kind of order: the four
// kinds share one implementation through it.
type kind[O any] struct {
	notFound  *paysync.Error
	in        func(op string, o O) (O, error) // o as the store keeps it, or ErrInvalidRequest
	summary   func(O) repository.OrderSummary // numbers, status, times, schedule and version
	parent    func(*O) string                 // the pay order's number; nil for kinds that have none
	scheduled func(*O) bool                   // the kind's Scheduled method
	schedule  func(*O) *paysync.Schedule
	version   func(*O) *int64
	keep      func(o *O, stored O) // copies into o the fields a commit cannot change
	clone     func(O) O            // a copy that shares no memory
}

// entry is a stored order.
type entry[O any] struct {
	order O
	// leased tells which index holds an order in the schedule: leases when
	// true, ready when false. A claim moves an order to leases; a claim
	// that finds the lease ended, a release, or a commit that takes the
	// order out of the schedule, moves it back.
	leased bool
}

// key places an order in an ordered index: a group (a status, a pay order's
// number, or nothing), a time in unix microseconds, and the order's number,
// which makes every key of a kind unique.
type key struct {
	group string
	at    int64
	no    string
}

// item is an order's entry in an index: its key, and the order itself, so
// that reading an index needs no lookup by number.
type item[O any] struct {
	key
	e *entry[O]
}

// ascending orders items by group, time, then number. It compares the
// numbers only when the times are equal: at a million orders, reading a
// number's bytes is a cache miss that the time usually saves.
func ascending[O any](a, b item[O]) bool {
	if a.group != b.group {
		return a.group < b.group
	}
	if a.at != b.at {
		return a.at < b.at
	}
	return a.no < b.no
}

// newestFirst orders items by group, then by time and number both descending.
func newestFirst[O any](a, b item[O]) bool {
	if a.group != b.group {
		return a.group < b.group
	}
	if a.at != b.at {
		return a.at > b.at
	}
	return a.no > b.no
}

type index[O any] = btree.BTreeG[item[O]]

// table holds the orders of one kind with their indexes. It neither locks
// nor checks ctx: Store does both.
type table[O any] struct {
	kind  kind[O]
	byNo  map[string]*entry[O]
	byBiz map[string]*entry[O]

	byStatus  *index[O] // (status, CreatedAt, number), newest first: ListOrders ByStatus, CountOrders
	exhausted *index[O] // ("", CreatedAt, number), newest first: ListOrders ByExhausted
	children  *index[O] // (pay order number, CreatedAt, number): a pay order's allocations or refunds
	due       *index[O] // ("", NextSyncAt, number), every order in the schedule: ListOrders ByDue
	ready     *index[O] // as due, less the orders in leases: what claims take from
	leases    *index[O] // ("", LeaseUntil, number), leased orders in the schedule

	// visit, when set (by tests only), is called for every index entry a
	// claim or a page reads: the work a cost contract bounds.
	visit func()
}

func newTable[O any](k kind[O]) *table[O] {
	const degree = 32 // google/btree's own suggestion for in-memory trees
	asc, desc := ascending[O], newestFirst[O]
	return &table[O]{kind: k, byNo: map[string]*entry[O]{}, byBiz: map[string]*entry[O]{},
		byStatus: btree.NewG(degree, desc), exhausted: btree.NewG(degree, desc), children: btree.NewG(degree, asc),
		due: btree.NewG(degree, asc), ready: btree.NewG(degree, asc), leases: btree.NewG(degree, asc)}
}

func (t *table[O]) visited() {
	if t.visit != nil {
		t.visit()
	}
}

func (t *table[O]) inSchedule(o *O) bool {
	return t.kind.scheduled(o) && !t.kind.schedule(o).Exhausted
}

// placed is one index entry of an order.
type placed[O any] struct {
	ix *index[O]
	it item[O]
}

// keys returns the index entries e's state asks for. Indexing and unindexing
// both derive from it, so the indexes cannot disagree with the orders.
func (t *table[O]) keys(e *entry[O], buf []placed[O]) []placed[O] {
	s := t.kind.summary(e.order)
	at := func(ix *index[O], group string, at int64) placed[O] {
		return placed[O]{ix, item[O]{key{group, at, s.TradeNo}, e}}
	}
	created := s.CreatedAt.UnixMicro()
	buf = append(buf, at(t.byStatus, s.Status, created))
	if t.kind.parent != nil {
		buf = append(buf, at(t.children, t.kind.parent(&e.order), created))
	}
	if s.Schedule.Exhausted {
		buf = append(buf, at(t.exhausted, "", created))
	}
	if t.inSchedule(&e.order) {
		next := s.Schedule.NextSyncAt.UnixMicro()
		buf = append(buf, at(t.due, "", next))
		if e.leased {
			buf = append(buf, at(t.leases, "", s.Schedule.LeaseUntil.UnixMicro()))
		} else {
			buf = append(buf, at(t.ready, "", next))
		}
	}
	return buf
}

// update applies change to e and moves e's index entries that it changed.
func (t *table[O]) update(e *entry[O], change func()) {
	var oldBuf, newBuf [5]placed[O]
	before := t.keys(e, oldBuf[:0])
	change()
	after := t.keys(e, newBuf[:0])
	for _, p := range before {
		if !slices.Contains(after, p) {
			p.ix.Delete(p.it)
		}
	}
	for _, p := range after {
		if !slices.Contains(before, p) {
			p.ix.ReplaceOrInsert(p.it)
		}
	}
}

// check returns the order no when its stored version is v: the kind's
// not-found error when there is none, ErrVersionConflict when the version
// differs.
func (t *table[O]) check(op, no string, v int64) (*entry[O], error) {
	e, ok := t.byNo[no]
	if !ok {
		return nil, paysync.E(op, t.kind.notFound, nil)
	}
	if *t.kind.version(&e.order) != v {
		return nil, paysync.E(op, paysync.ErrVersionConflict, nil)
	}
	return e, nil
}

// in returns o as the store keeps it: the kind's in, and ErrInvalidRequest
// when a number or CreatedAt is missing, on a create as on a commit.
func (t *table[O]) in(op string, o O) (O, error) {
	o, err := t.kind.in(op, o)
	if s := t.kind.summary(o); err == nil && (s.TradeNo == "" || s.BizNo == "" || s.CreatedAt.IsZero()) {
		err = invalid(op, "an order needs its system and merchant numbers and its CreatedAt")
	}
	return o, err
}

// fresh returns o, checked by in, as a new order: Version 1, no lease, the
// schedule set. It returns in's errors, and ErrDuplicate when a number is
// taken.
func (t *table[O]) fresh(op string, o O) (*entry[O], error) {
	o, err := t.in(op, o)
	if err != nil {
		return nil, err
	}
	s := t.kind.summary(o)
	switch {
	case t.byNo[s.TradeNo] != nil:
		return nil, paysync.Ef(op, paysync.ErrDuplicate, "system number "+s.TradeNo+" is taken", nil)
	case t.byBiz[s.BizNo] != nil:
		return nil, paysync.Ef(op, paysync.ErrDuplicate, "merchant number "+s.BizNo+" is taken", nil)
	}
	e := &entry[O]{order: o}
	*t.kind.version(&e.order) = 1
	sc := t.kind.schedule(&e.order)
	sc.LeaseOwner, sc.LeaseUntil = "", time.Time{}
	t.setSchedule(&e.order, s.CreatedAt)
	return e, nil
}

// insert stores e, which fresh made.
func (t *table[O]) insert(e *entry[O]) {
	s := t.kind.summary(e.order)
	t.byNo[s.TradeNo], t.byBiz[s.BizNo] = e, e
	for _, p := range t.keys(e, nil) {
		p.ix.ReplaceOrInsert(p.it)
	}
}

// commit makes o, checked against e, e's next version. The numbers and
// CreatedAt stay as stored; so does the lease, unless o leaves the schedule.
func (t *table[O]) commit(e *entry[O], o O) {
	t.update(e, func() {
		stored, was := e.order, *t.kind.schedule(&e.order)
		e.order = o
		t.kind.keep(&e.order, stored)
		s := t.kind.schedule(&e.order)
		s.LeaseOwner, s.LeaseUntil = was.LeaseOwner, was.LeaseUntil
		t.setSchedule(&e.order, t.kind.summary(e.order).UpdatedAt)
		*t.kind.version(&e.order) = t.kind.summary(stored).Version + 1
		e.leased = e.leased && t.inSchedule(&e.order)
	})
}

// setSchedule applies the schedule's rules to o: out of the schedule, no
// NextSyncAt and no lease; in it, a zero NextSyncAt is dueAt.
func (t *table[O]) setSchedule(o *O, dueAt time.Time) {
	s := t.kind.schedule(o)
	s.NextSyncAt = utc(s.NextSyncAt)
	switch {
	case !t.inSchedule(o):
		s.NextSyncAt, s.LeaseOwner, s.LeaseUntil = time.Time{}, "", time.Time{}
	case s.NextSyncAt.IsZero():
		s.NextSyncAt = dueAt
	}
}

// claim leases up to c.Limit due orders that no one holds at c.Now and
// returns copies of them in due order. It reads the leases that ended, then
// the ready orders it hands out: its work grows with those, never with the
// orders stored.
func (t *table[O]) claim(c repository.Claim) []O {
	now := c.Now.UnixMicro()
	var ended []*entry[O]
	t.leases.Ascend(func(it item[O]) bool {
		t.visited()
		if it.at > now {
			return false
		}
		ended = append(ended, it.e)
		return true
	})
	for _, e := range ended {
		t.update(e, func() { e.leased = false })
	}
	claimed := make([]*entry[O], 0, min(c.Limit, t.ready.Len()))
	t.ready.Ascend(func(it item[O]) bool {
		t.visited()
		if it.at > now {
			return false
		}
		// A lease that a claim with a later clock saw end is back in
		// ready, still set: at this earlier now it holds. Only clocks that
		// disagree get here.
		if !t.kind.schedule(&it.e.order).Leased(c.Now) {
			claimed = append(claimed, it.e)
		}
		return len(claimed) < c.Limit
	})
	out := make([]O, len(claimed))
	for i, e := range claimed {
		t.update(e, func() {
			s := t.kind.schedule(&e.order)
			s.LeaseOwner, s.LeaseUntil = c.Owner, c.Until
			e.leased = true
		})
		out[i] = t.kind.clone(e.order)
	}
	return out
}

// release drops owner's leases on the orders numbered nos.
func (t *table[O]) release(owner string, nos []string) {
	for _, no := range nos {
		e, ok := t.byNo[no]
		if !ok || owner == "" || t.kind.schedule(&e.order).LeaseOwner != owner {
			continue
		}
		t.update(e, func() {
			s := t.kind.schedule(&e.order)
			s.LeaseOwner, s.LeaseUntil = "", time.Time{}
			e.leased = false
		})
	}
}
