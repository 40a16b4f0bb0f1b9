package memstore

import (
	"time"

	"github.com/google/btree"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// kind is what a table needs to know about one kind of order: the four
// kinds share one implementation through it.
type kind[O any] struct {
	notFound  *paysync.Error
	in        func(op string, o O) (O, error)  // o as the store keeps it, or ErrInvalidRequest
	summary   func(*O) repository.OrderSummary // numbers, status, times, schedule and version, read-only
	parent    func(*O) string                  // the pay order's number; nil for kinds that have none
	scheduled func(*O) bool                    // the kind's Scheduled method
	schedule  func(*O) *paysync.Schedule
	version   func(*O) *int64
	keep      func(o, stored *O) // copies into o the fields a commit cannot change
	clone     func(O) O          // a copy that shares no memory
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

// ascending orders keys by group, time, then number. It compares the
// numbers only when the times are equal: at a million orders, reading a
// number's bytes is a cache miss that the time usually saves.
func ascending(a, b key) bool {
	if a.group != b.group {
		return a.group < b.group
	}
	if a.at != b.at {
		return a.at < b.at
	}
	return a.no < b.no
}

// newestFirst orders keys by group, then by time and number both descending.
func newestFirst(a, b key) bool {
	if a.group != b.group {
		return a.group < b.group
	}
	if a.at != b.at {
		return a.at > b.at
	}
	return a.no > b.no
}

type index = btree.BTreeG[key]

// table holds the orders of one kind with their indexes. It neither locks
// nor checks ctx: Store does both.
type table[O any] struct {
	kind  kind[O]
	byNo  map[string]*entry[O]
	byBiz map[string]*entry[O]

	byStatus  *index // (status, CreatedAt, number), newest first: ListOrders ByStatus, CountOrders
	exhausted *index // ("", CreatedAt, number), newest first: ListOrders ByExhausted
	children  *index // (pay order number, CreatedAt, number): a pay order's allocations or refunds
	due       *index // ("", NextSyncAt, number), every order in the schedule: ListOrders ByDue
	ready     *index // as due, less the orders in leases: what claims take from
	leases    *index // ("", LeaseUntil, number), leased orders in the schedule

	// visit, when set (by tests only), is called for every index entry a
	// claim or a page reads: the work a cost contract bounds.
	visit func()
}

func newTable[O any](k kind[O]) *table[O] {
	const degree = 32 // google/btree's own suggestion for in-memory trees
	return &table[O]{
		kind: k, byNo: map[string]*entry[O]{}, byBiz: map[string]*entry[O]{},
		byStatus: btree.NewG(degree, newestFirst), exhausted: btree.NewG(degree, newestFirst),
		children: btree.NewG(degree, ascending), due: btree.NewG(degree, ascending),
		ready: btree.NewG(degree, ascending), leases: btree.NewG(degree, ascending),
	}
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
type placed struct {
	ix *index
	k  key
}

// keys returns the index entries e's state asks for. Indexing and unindexing
// both derive from it, so the indexes cannot disagree with the orders.
func (t *table[O]) keys(e *entry[O], buf []placed) []placed {
	s := t.kind.summary(&e.order)
	created := s.CreatedAt.UnixMicro()
	buf = append(buf, placed{t.byStatus, key{s.Status, created, s.TradeNo}})
	if t.kind.parent != nil {
		buf = append(buf, placed{t.children, key{t.kind.parent(&e.order), created, s.TradeNo}})
	}
	if s.Schedule.Exhausted {
		buf = append(buf, placed{t.exhausted, key{"", created, s.TradeNo}})
	}
	if t.inSchedule(&e.order) {
		next := s.Schedule.NextSyncAt.UnixMicro()
		buf = append(buf, placed{t.due, key{"", next, s.TradeNo}})
		if e.leased {
			buf = append(buf, placed{t.leases, key{"", s.Schedule.LeaseUntil.UnixMicro(), s.TradeNo}})
		} else {
			buf = append(buf, placed{t.ready, key{"", next, s.TradeNo}})
		}
	}
	return buf
}

// update applies change to e and moves e's index entries that it changed.
func (t *table[O]) update(e *entry[O], change func()) {
	var oldBuf, newBuf [5]placed
	before := t.keys(e, oldBuf[:0])
	change()
	after := t.keys(e, newBuf[:0])
	for _, p := range before {
		if !contains(after, p) {
			p.ix.Delete(p.k)
		}
	}
	for _, p := range after {
		if !contains(before, p) {
			p.ix.ReplaceOrInsert(p.k)
		}
	}
}

func contains(ps []placed, p placed) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
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
	if s := t.kind.summary(&o); err == nil && (s.TradeNo == "" || s.BizNo == "" || s.CreatedAt.IsZero()) {
		err = invalid(op, "an order needs its system and merchant numbers and its CreatedAt")
	}
	return o, err
}

// fresh returns o, checked by in, as a new order: Version 1, no
// lease, the schedule set. It returns in's errors, and ErrDuplicate when a
// number is taken.
func (t *table[O]) fresh(op string, o O) (O, error) {
	o, err := t.in(op, o)
	if err != nil {
		return o, err
	}
	s := t.kind.summary(&o)
	switch {
	case t.byNo[s.TradeNo] != nil:
		return o, paysync.Ef(op, paysync.ErrDuplicate, "system number "+s.TradeNo+" is taken", nil)
	case t.byBiz[s.BizNo] != nil:
		return o, paysync.Ef(op, paysync.ErrDuplicate, "merchant number "+s.BizNo+" is taken", nil)
	}
	*t.kind.version(&o) = 1
	sc := t.kind.schedule(&o)
	sc.LeaseOwner, sc.LeaseUntil = "", time.Time{}
	t.setSchedule(&o, s.CreatedAt)
	return o, nil
}

// insert stores o, which fresh prepared.
func (t *table[O]) insert(o O) {
	e := &entry[O]{order: o}
	s := t.kind.summary(&e.order)
	t.byNo[s.TradeNo], t.byBiz[s.BizNo] = e, e
	for _, p := range t.keys(e, nil) {
		p.ix.ReplaceOrInsert(p.k)
	}
}

// commit makes o, checked against e, e's next version. The numbers and
// CreatedAt stay as stored; so does the lease, unless o leaves the schedule.
func (t *table[O]) commit(e *entry[O], o O) {
	t.kind.keep(&o, &e.order)
	stored := *t.kind.schedule(&e.order)
	s := t.kind.schedule(&o)
	s.LeaseOwner, s.LeaseUntil = stored.LeaseOwner, stored.LeaseUntil
	t.setSchedule(&o, t.kind.summary(&o).UpdatedAt)
	*t.kind.version(&o) = *t.kind.version(&e.order) + 1
	t.update(e, func() {
		e.order = o
		e.leased = e.leased && t.inSchedule(&o)
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
	t.leases.Ascend(func(k key) bool {
		t.visited()
		if k.at > now {
			return false
		}
		ended = append(ended, t.byNo[k.no])
		return true
	})
	for _, e := range ended {
		t.update(e, func() { e.leased = false })
	}
	var claimed []*entry[O]
	t.ready.Ascend(func(k key) bool {
		t.visited()
		if k.at > now {
			return false
		}
		// A lease that a claim with a later clock saw end is back in
		// ready, still set: at this earlier now it holds. Only clocks that
		// disagree get here.
		if e := t.byNo[k.no]; !t.kind.schedule(&e.order).Leased(c.Now) {
			claimed = append(claimed, e)
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
