package memstore

import (
	"math"
	"time"

	"github.com/paysync/paysync"
)

// kind tells a book how to reach the parts of an order it indexes.
type kind[O any] struct {
	notFound *paysync.Error
	numbers  func(*O) (no, biz string)
	schedule func(*O) *paysync.Schedule
	version  func(*O) *int64
}

// place is where an order sits in a book's schedule indexes.
type place uint8

const (
	unscheduled place = iota // out of the schedule: in no index
	waiting                  // in the schedule, in the due index
	leased                   // in the schedule, in the lease index
)

type entry[O any] struct {
	order O      // owned by the store: never handed out, only copies of it
	id    uint32 // the order's position in book.entries
	place place  // which index holds the order
	at    int64  // the order's time in that index, unix microseconds
	key   uint64 // prefix of the order's number: its key in the due index
	// trade points to the chains of the order's records and events: own,
	// or those of the order of the other kind that has the same number.
	trade *chains
	own   chains
}

// book holds the orders of one kind with their indexes. It does no locking
// and no copying: Store does both.
//
// An order in the schedule is in exactly one of two indexes. The due index
// holds orders by (NextSyncAt, number); the lease index holds leased orders
// by LeaseUntil. A claim first moves the leases that ended back to the due
// index, then takes due orders from its low end, so its cost grows with the
// leases that ended and the orders it hands out, never with the orders
// stored or leased. A commit moves one order within the indexes, at a cost
// that grows with the logarithm of the orders in the schedule.
type book[O any] struct {
	kind    kind[O]
	entries []*entry[O] // by id: the indexes hold ids, not pointers
	byNo    map[string]*entry[O]
	byBiz   map[string]*entry[O]
	due     btree // ties broken by number, as claims hand orders out
	leases  btree // ties broken by id: only the time matters
}

func newBook[O any](k kind[O]) *book[O] {
	b := &book[O]{kind: k, byNo: make(map[string]*entry[O]), byBiz: make(map[string]*entry[O])}
	b.due.tie = func(x, y uint32) bool {
		xno, _ := k.numbers(&b.entries[x].order)
		yno, _ := k.numbers(&b.entries[y].order)
		return xno < yno
	}
	return b
}

// lookup returns the entry of the order with system number no.
func (b *book[O]) lookup(op, no string) (*entry[O], error) {
	if e, ok := b.byNo[no]; ok {
		return e, nil
	}
	return nil, paysync.E(op, b.kind.notFound, nil)
}

// lookupBiz returns the entry of the order with merchant number biz.
func (b *book[O]) lookupBiz(op, biz string) (*entry[O], error) {
	if e, ok := b.byBiz[biz]; ok {
		return e, nil
	}
	return nil, paysync.E(op, b.kind.notFound, nil)
}

// add stores o, which the caller prepared: a copy of its own, Version 1, no
// lease, NextSyncAt set when inSchedule; its records go on the chains trade.
// It returns ErrDuplicate when either number is taken.
func (b *book[O]) add(op string, o O, inSchedule bool, trade func(no string, own *chains) *chains) error {
	no, biz := b.kind.numbers(&o)
	if _, ok := b.byNo[no]; ok {
		return paysync.Ef(op, paysync.ErrDuplicate, "system number "+no+" is taken", nil)
	}
	if _, ok := b.byBiz[biz]; ok {
		return paysync.Ef(op, paysync.ErrDuplicate, "merchant number "+biz+" is taken", nil)
	}
	if len(b.entries) == math.MaxUint32 {
		return paysync.Ef(op, paysync.ErrInternal, "the store is full", nil)
	}
	e := &entry[O]{order: o, id: uint32(len(b.entries)), key: prefix(no)}
	e.trade = trade(no, &e.own)
	b.entries = append(b.entries, e)
	b.byNo[no] = e
	b.byBiz[biz] = e
	if inSchedule {
		b.wait(e)
	}
	return nil
}

// check returns the entry of order no if it is at version v: ErrNotFound
// when there is none, ErrVersionConflict when its version is not v.
func (b *book[O]) check(op, no string, v int64) (*entry[O], error) {
	e, err := b.lookup(op, no)
	if err != nil {
		return nil, err
	}
	if *b.kind.version(&e.order) != v {
		return nil, paysync.E(op, paysync.ErrVersionConflict, nil)
	}
	return e, nil
}

// replace makes *o, which the caller prepared and checked, the new state of
// e: the next version, with the store's lease kept while the order stays in
// the schedule and dropped when it leaves. It copies *o into e, never
// keeping o, so a caller's o can stay on its stack.
func (b *book[O]) replace(e *entry[O], o *O, inSchedule bool) {
	v := *b.kind.version(&e.order)
	lease := *b.kind.schedule(&e.order)
	e.order = *o
	*b.kind.version(&e.order) = v + 1
	s := b.kind.schedule(&e.order)
	if !inSchedule {
		s.LeaseOwner, s.LeaseUntil = "", time.Time{}
		b.unindex(e)
		return
	}
	s.LeaseOwner, s.LeaseUntil = lease.LeaseOwner, lease.LeaseUntil
	if e.place == leased {
		// The lease index is keyed by LeaseUntil, which did not change; the
		// new NextSyncAt is used when the lease ends.
		return
	}
	b.unindex(e)
	b.wait(e)
}

// claim leases up to limit due orders to owner and returns them in due order.
func (b *book[O]) claim(now, until time.Time, owner string, limit int) []*entry[O] {
	nowKey := now.UnixMicro()
	for {
		it, ok := b.leases.Min()
		if !ok || it.at > nowKey {
			break
		}
		b.wait(b.takeMin(&b.leases))
	}
	out := make([]*entry[O], 0, min(limit, b.due.Len()))
	skipped := false
	b.due.Ascend(func(it item) bool {
		if it.at > nowKey {
			return false
		}
		// An order whose lease ended at a later claim's now is back in the
		// due index with its lease still set: at this earlier now it is
		// still leased. Only clocks that disagree get here.
		if e := b.entries[it.id]; b.kind.schedule(&e.order).Leased(now) {
			skipped = true
		} else {
			out = append(out, e)
		}
		return len(out) < limit
	})
	for _, e := range out {
		if skipped {
			b.unindex(e)
		} else {
			b.takeMin(&b.due) // e: the claimed orders are the first due
		}
		s := b.kind.schedule(&e.order)
		s.LeaseOwner, s.LeaseUntil = owner, until
		b.lease(e)
	}
	return out
}

// release drops owner's leases on the orders numbered nos.
func (b *book[O]) release(owner string, nos []string) {
	for _, no := range nos {
		e, ok := b.byNo[no]
		if !ok {
			continue
		}
		s := b.kind.schedule(&e.order)
		if owner == "" || s.LeaseOwner != owner {
			continue
		}
		s.LeaseOwner, s.LeaseUntil = "", time.Time{}
		if e.place == leased {
			b.unindex(e)
			b.wait(e)
		}
	}
}

// wait puts e in the due index.
func (b *book[O]) wait(e *entry[O]) {
	e.place, e.at = waiting, b.kind.schedule(&e.order).NextSyncAt.UnixMicro()
	b.due.Insert(item{at: e.at, key: e.key, id: e.id})
}

// lease puts e in the lease index.
func (b *book[O]) lease(e *entry[O]) {
	e.place, e.at = leased, b.kind.schedule(&e.order).LeaseUntil.UnixMicro()
	b.leases.Insert(item{at: e.at, id: e.id})
}

// takeMin takes the first order out of index t and returns it.
func (b *book[O]) takeMin(t *btree) *entry[O] {
	it, _ := t.DeleteMin()
	e := b.entries[it.id]
	e.place, e.at = unscheduled, 0
	return e
}

// unindex takes e out of whichever index holds it.
func (b *book[O]) unindex(e *entry[O]) {
	switch e.place {
	case waiting:
		b.due.Delete(item{at: e.at, key: e.key, id: e.id})
	case leased:
		b.leases.Delete(item{at: e.at, id: e.id})
	}
	e.place, e.at = unscheduled, 0
}

// prefix returns the first eight bytes of s as a big-endian number, padded
// with zeros. Numbers whose prefixes differ sort as their prefixes do; equal
// prefixes say nothing, and the due index asks its tie.
func prefix(s string) uint64 {
	var k uint64
	for i := range 8 {
		k <<= 8
		if i < len(s) {
			k |= uint64(s[i])
		}
	}
	return k
}
