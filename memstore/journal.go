package memstore

import (
	"bytes"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// journal holds what commits append and nothing ever deletes: sync records,
// adjust records and outbox events, each encoded in blobs (codec.go), so
// that nothing in the journal is a pointer for the collector to follow.
type journal struct {
	syncs   table[blobAt]
	adjusts table[blobAt]
	events  table[eventRow]
	// orphans holds the chains of trade numbers that no order has: records
	// saved before their order, or about no order at all. A known order's
	// chains live in its entry, which a commit already holds.
	orphans   map[string]*chains
	syncIDs   keys[uuid.UUID]
	adjustNos keys[string]
	eventIDs  keys[uuid.UUID]
	blobs     blobs
	enc       []byte // where a record is encoded before it is put in blobs
	// undelivered is the position of the first event that may not be
	// delivered yet: hosts deliver roughly in order, so listing undelivered
	// events starts there instead of at the beginning of time.
	undelivered int
}

// eventRow is an event: encoded, but for its delivery time, which changes.
type eventRow struct {
	at          blobAt
	delivered   bool
	deliveredAt int64 // unix microseconds, when delivered
}

func (r *eventRow) deliver(at time.Time) { r.delivered, r.deliveredAt = true, at.UnixMicro() }

// chains are the heads of one trade's chains through the tables: 1 + the
// position of its latest row in each, 0 for none. Listing one order's rows
// follows its chain and reads only those. The chains are a trade number's,
// whatever the trade type, as a filter on the number alone needs.
type chains struct {
	sync, adjust, event int
}

func newJournal() *journal {
	j := &journal{orphans: make(map[string]*chains)}
	j.syncIDs = newKeys(compareIDs, func(pos int) uuid.UUID { return idOf(j.blobs.get(j.syncs.at(pos).v)) })
	j.adjustNos = newKeys(strings.Compare, func(pos int) string { return adjustNoOf(j.blobs.get(j.adjusts.at(pos).v)) })
	j.eventIDs = newKeys(compareIDs, func(pos int) uuid.UUID { return idOf(j.blobs.get(j.events.at(pos).v.at)) })
	return j
}

func compareIDs(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// hasSync reports whether a commit's entries hold a sync record: a Sync
// with the zero ID means none.
func hasSync(e *repository.Entries) bool { return e.Sync.ID != uuid.Nil }

// check returns ErrDuplicate when a record or event id of e is taken, or is
// given twice in e.
func (j *journal) check(op string, e *repository.Entries) error {
	if _, ok := j.syncIDs.find(e.Sync.ID); ok && hasSync(e) {
		return paysync.Ef(op, paysync.ErrDuplicate, "sync record "+e.Sync.ID.String()+" exists", nil)
	}
	for i, a := range e.Adjusts {
		_, taken := j.adjustNos.find(a.AdjustNo)
		for _, b := range e.Adjusts[:i] {
			taken = taken || a.AdjustNo == b.AdjustNo
		}
		if taken {
			return paysync.Ef(op, paysync.ErrDuplicate, "adjust record "+a.AdjustNo+" exists", nil)
		}
	}
	for i, ev := range e.Events {
		_, taken := j.eventIDs.find(ev.ID)
		for _, b := range e.Events[:i] {
			taken = taken || ev.ID == b.ID
		}
		if taken {
			return paysync.Ef(op, paysync.ErrDuplicate, "event "+ev.ID.String()+" exists", nil)
		}
	}
	return nil
}

// append stores e, which check accepted, on the chains trade returns for
// each row's trade number.
func (j *journal) append(e *repository.Entries, trade func(no string) *chains) {
	if hasSync(e) {
		j.appendSync(&e.Sync, trade(e.Sync.TradeNo))
	}
	for i := range e.Adjusts {
		a := &e.Adjusts[i]
		j.enc = encodeAdjust(j.enc[:0], a)
		c := trade(a.TradeNo)
		c.adjust = j.adjusts.append(j.blobs.put(j.enc), c.adjust)
		j.adjustNos.add(a.AdjustNo, c.adjust-1)
	}
	for i := range e.Events {
		ev := &e.Events[i]
		j.enc = encodeEvent(j.enc[:0], ev)
		row := eventRow{at: j.blobs.put(j.enc)}
		if !ev.DeliveredAt.IsZero() {
			row.deliver(ev.DeliveredAt)
		}
		c := trade(ev.TradeNo)
		c.event = j.events.append(row, c.event)
		j.eventIDs.add(ev.ID, c.event-1)
	}
}

// appendSync stores r on its trade's chains c.
func (j *journal) appendSync(r *paysync.SyncRecord, c *chains) {
	j.enc = encodeSync(j.enc[:0], r)
	c.sync = j.syncs.append(j.blobs.put(j.enc), c.sync)
	j.syncIDs.add(r.ID, c.sync-1)
}

// event returns a copy of the event in row.
func (j *journal) event(row *eventRow) paysync.Event {
	e := decodeEvent(j.blobs.get(row.at))
	if row.delivered {
		e.DeliveredAt = time.UnixMicro(row.deliveredAt).UTC()
	}
	return e
}

// table is an append-only list of rows, each on its trade's chain.
type table[T any] struct {
	rows chunks[row[T]]
}

type row[T any] struct {
	v    T
	prev int // 1 + the position of the same trade's previous row, 0 for none
}

// append adds v, whose trade's latest row is at prev-1 (prev 0: none), and
// returns 1 + its position: the trade's new chain head.
func (t *table[T]) append(v T, prev int) int { return t.rows.append(row[T]{v: v, prev: prev}) }

func (t *table[T]) at(pos int) *row[T] { return t.rows.at(pos) }

func (t *table[T]) len() int { return t.rows.n }

// each calls fn on the rows at or after position from — of one trade when
// head is its chain head, of every trade when head is -1 — in the order
// they were appended, until fn returns false.
func (t *table[T]) each(head, from int, fn func(v *T) bool) {
	if head < 0 {
		for i := from; i < t.len(); i++ {
			if !fn(&t.at(i).v) {
				return
			}
		}
		return
	}
	var chain []int
	for p := head; p > from; p = t.at(p - 1).prev {
		chain = append(chain, p-1)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if !fn(&t.at(chain[i]).v) {
			return
		}
	}
}
