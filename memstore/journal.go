package memstore

import (
	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// journal holds what commits append and nothing ever deletes: sync records,
// adjust records and outbox events.
type journal struct {
	syncs     table[paysync.SyncRecord]
	adjusts   table[paysync.AdjustRecord]
	events    table[paysync.Event]
	syncIDs   map[uuid.UUID]struct{}
	adjustNos map[string]struct{}
	eventAt   map[uuid.UUID]int // an event's position in events
	// undelivered is the position of the first event that may not be
	// delivered yet: hosts deliver roughly in order, so listing undelivered
	// events starts there instead of at the beginning of time.
	undelivered int
}

func newJournal() *journal {
	return &journal{
		syncs:     newTable[paysync.SyncRecord](),
		adjusts:   newTable[paysync.AdjustRecord](),
		events:    newTable[paysync.Event](),
		syncIDs:   make(map[uuid.UUID]struct{}),
		adjustNos: make(map[string]struct{}),
		eventAt:   make(map[uuid.UUID]int),
	}
}

// entries is a commit's repository.Entries, copied and normalised.
type entries struct {
	sync    paysync.SyncRecord
	hasSync bool
	adjusts []paysync.AdjustRecord // the caller's slice: adjustIn copies each as it is appended
	events  []paysync.Event
}

// entriesIn copies e. A Sync with a zero ID means the commit has no sync
// record.
func entriesIn(e repository.Entries) entries {
	out := entries{hasSync: e.Sync.ID != uuid.Nil, adjusts: e.Adjusts}
	if out.hasSync {
		out.sync = syncIn(e.Sync)
	}
	if len(e.Events) > 0 {
		out.events = make([]paysync.Event, len(e.Events))
		for i, ev := range e.Events {
			out.events[i] = eventIn(ev)
		}
	}
	return out
}

// check returns ErrDuplicate when a record or event id of e is taken, or is
// given twice in e.
func (j *journal) check(op string, e *entries) error {
	if _, ok := j.syncIDs[e.sync.ID]; ok && e.hasSync {
		return paysync.Ef(op, paysync.ErrDuplicate, "sync record "+e.sync.ID.String()+" exists", nil)
	}
	for i, a := range e.adjusts {
		_, taken := j.adjustNos[a.AdjustNo]
		for _, b := range e.adjusts[:i] {
			taken = taken || a.AdjustNo == b.AdjustNo
		}
		if taken {
			return paysync.Ef(op, paysync.ErrDuplicate, "adjust record "+a.AdjustNo+" exists", nil)
		}
	}
	for i, ev := range e.events {
		_, taken := j.eventAt[ev.ID]
		for _, b := range e.events[:i] {
			taken = taken || ev.ID == b.ID
		}
		if taken {
			return paysync.Ef(op, paysync.ErrDuplicate, "event "+ev.ID.String()+" exists", nil)
		}
	}
	return nil
}

// append stores e, which check accepted.
func (j *journal) append(e *entries) {
	if e.hasSync {
		j.appendSync(e.sync)
	}
	for _, a := range e.adjusts {
		j.adjustNos[a.AdjustNo] = struct{}{}
		j.adjusts.append(a.TradeNo, adjustIn(a))
	}
	for _, ev := range e.events {
		j.eventAt[ev.ID] = j.events.append(ev.TradeNo, ev)
	}
}

func (j *journal) appendSync(r paysync.SyncRecord) {
	j.syncIDs[r.ID] = struct{}{}
	j.syncs.append(r.TradeNo, r)
}

// table is an append-only list of rows with, per trade number, a chain from
// its latest row back through its earlier ones, so listing one order's rows
// reads only those.
type table[T any] struct {
	rows []row[T]
	head map[string]int // 1 + the position of the trade's latest row
}

type row[T any] struct {
	v    T
	prev int // 1 + the position of the trade's previous row, 0 for none
}

func newTable[T any]() table[T] { return table[T]{head: make(map[string]int)} }

// append adds v, a row of trade tradeNo, and returns its position.
func (t *table[T]) append(tradeNo string, v T) int {
	t.rows = append(t.rows, row[T]{v: v, prev: t.head[tradeNo]})
	t.head[tradeNo] = len(t.rows)
	return len(t.rows) - 1
}

// each calls fn on the rows at or after position from, of trade tradeNo
// when it is not empty, in the order they were appended, until fn returns
// false.
func (t *table[T]) each(tradeNo string, from int, fn func(pos int, v *T) bool) {
	if tradeNo == "" {
		for i := from; i < len(t.rows); i++ {
			if !fn(i, &t.rows[i].v) {
				return
			}
		}
		return
	}
	var chain []int
	for p := t.head[tradeNo]; p > from; p = t.rows[p-1].prev {
		chain = append(chain, p-1)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if !fn(chain[i], &t.rows[chain[i]].v) {
			return
		}
	}
}
