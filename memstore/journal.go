package memstore

import (
	"bytes"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// journal holds what commits append and nothing ever deletes: sync records,
// adjust records and outbox events.
type journal struct {
	syncs   table[paysync.SyncRecord]
	adjusts table[paysync.AdjustRecord]
	events  table[paysync.Event]
	// orphans holds the chains of trade numbers that no order has: records
	// saved before their order, or about no order at all. A known order's
	// chains live in its entry, which a commit already holds.
	orphans   map[string]*chains
	syncIDs   keys[uuid.UUID]
	adjustNos keys[string]
	eventIDs  keys[uuid.UUID]
	blobs     blobs // the rows' byte slices
	// undelivered is the position of the first event that may not be
	// delivered yet: hosts deliver roughly in order, so listing undelivered
	// events starts there instead of at the beginning of time.
	undelivered int
}

// chains are the heads of one trade's chains through the tables: 1 + the
// position of its latest row in each, 0 for none. Listing one order's rows
// follows its chain and reads only those. The chains are a trade number's,
// whatever the trade type, as a filter on the number alone needs.
type chains struct {
	sync, adjust, event int
}

func newJournal() *journal {
	j := &journal{orphans: make(map[string]*chains)}
	j.syncIDs = newKeys(compareIDs, func(pos int) uuid.UUID { return j.syncs.at(pos).v.ID })
	j.adjustNos = newKeys(strings.Compare, func(pos int) string { return j.adjusts.at(pos).v.AdjustNo })
	j.eventIDs = newKeys(compareIDs, func(pos int) uuid.UUID { return j.events.at(pos).v.ID })
	return j
}

func compareIDs(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// entries is a commit's repository.Entries with the anomalies copied. The
// records themselves are copied, and their times normalised, as they are
// appended: into the tables, and their byte slices into the journal's
// blobs, so without an allocation of their own.
type entries struct {
	repository.Entries
	hasSync bool
}

// entriesIn returns e with its anomalies copied. A Sync with a zero ID
// means the commit has no sync record.
func entriesIn(e repository.Entries) entries {
	out := entries{Entries: e, hasSync: e.Sync.ID != uuid.Nil}
	if out.hasSync {
		out.Sync.Anomalies = slices.Clone(e.Sync.Anomalies)
	}
	return out
}

// check returns ErrDuplicate when a record or event id of e is taken, or is
// given twice in e.
func (j *journal) check(op string, e *entries) error {
	if _, ok := j.syncIDs.find(e.Sync.ID); ok && e.hasSync {
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
func (j *journal) append(e *entries, trade func(no string) *chains) {
	if e.hasSync {
		r := e.Sync
		r.Raw, r.CreatedAt = j.blobs.copy(r.Raw), utc(r.CreatedAt)
		j.appendSync(r, trade(r.TradeNo))
	}
	for _, a := range e.Adjusts {
		a.CreatedAt = utc(a.CreatedAt)
		c := trade(a.TradeNo)
		c.adjust = j.adjusts.append(a, c.adjust)
		j.adjustNos.add(a.AdjustNo, c.adjust-1)
	}
	for _, ev := range e.Events {
		ev.Payload = j.blobs.copy(ev.Payload)
		ev.CreatedAt, ev.DeliveredAt = utc(ev.CreatedAt), utc(ev.DeliveredAt)
		c := trade(ev.TradeNo)
		c.event = j.events.append(ev, c.event)
		j.eventIDs.add(ev.ID, c.event-1)
	}
}

// appendSync stores r, which is the store's own copy, on its trade's chains
// c.
func (j *journal) appendSync(r paysync.SyncRecord, c *chains) {
	c.sync = j.syncs.append(r, c.sync)
	j.syncIDs.add(r.ID, c.sync-1)
}

// chunkRows is the size of a table's chunks: big enough that a chunk is
// allocated once in many commits, small enough to waste little.
const chunkRows = 512

// table is an append-only list of rows kept in fixed-size chunks, so that
// growing it never copies what it holds.
type table[T any] struct {
	chunks [][]row[T]
	n      int
}

type row[T any] struct {
	v    T
	prev int // 1 + the position of the same trade's previous row, 0 for none
}

// append adds v, whose trade's latest row is at prev-1 (prev 0: none), and
// returns 1 + its position: the trade's new chain head.
func (t *table[T]) append(v T, prev int) int {
	if t.n%chunkRows == 0 {
		t.chunks = append(t.chunks, make([]row[T], 0, chunkRows))
	}
	last := &t.chunks[len(t.chunks)-1]
	*last = append(*last, row[T]{v: v, prev: prev})
	t.n++
	return t.n
}

func (t *table[T]) at(pos int) *row[T] { return &t.chunks[pos/chunkRows][pos%chunkRows] }

// each calls fn on the rows at or after position from — of one trade when
// head is its chain head, of every trade when head is -1 — in the order
// they were appended, until fn returns false.
func (t *table[T]) each(head, from int, fn func(v *T) bool) {
	if head < 0 {
		for i := from; i < t.n; i++ {
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
