package memstore

import (
	"slices"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// batch is a commit's entries, copied and checked against the store: what
// write stores once every other precondition of the commit holds too.
type batch struct {
	syncs     []paysync.SyncRecord // e.Sync, unless its id is zero
	e         repository.Entries
	anomalies []paysync.Anomaly // the states the sightings and resolutions leave, in order
}

// prepare copies e and checks it against the store. It returns an error
// wrapping paysync.ErrDuplicate when an id or adjust number is taken (in the
// store, or earlier in e), paysync.ErrVersionConflict when a sighting or
// resolution disagrees with the anomaly it finds, and
// paysync.ErrInvalidRequest when a sighting names no kind, order or code.
func (s *Store) prepare(op string, e repository.Entries) (batch, error) {
	b := batch{e: entriesIn(e)}
	if b.e.Sync.ID != uuid.Nil {
		b.syncs = []paysync.SyncRecord{b.e.Sync}
	}
	if id, ok := s.syncs.taken(b.syncs); ok {
		return b, paysync.Ef(op, paysync.ErrDuplicate, "sync record "+id.String()+" exists", nil)
	}
	if no, ok := s.adjusts.taken(b.e.Adjusts); ok {
		return b, paysync.Ef(op, paysync.ErrDuplicate, "adjust number "+no+" is taken", nil)
	}
	if id, ok := s.events.taken(b.e.Events); ok {
		return b, paysync.Ef(op, paysync.ErrDuplicate, "event "+id.String()+" exists", nil)
	}
	var err error
	b.anomalies, err = s.anomalies.apply(op, &b.e)
	return b, err
}

// write stores what prepare checked.
func (s *Store) write(b batch) {
	s.syncs.add(b.syncs...)
	s.adjusts.add(b.e.Adjusts...)
	for _, ev := range b.e.Events {
		if ev.DeliveredAt.IsZero() {
			s.undelivered.ReplaceOrInsert(len(s.events.rows))
		}
		s.events.add(ev)
	}
	s.anomalies.store(b.anomalies)
}

// entriesIn returns a copy of e that shares no memory with it, its times as
// the store keeps them.
func entriesIn(e repository.Entries) repository.Entries {
	e.Sync = copySync(e.Sync)
	e.Sync.CreatedAt = utc(e.Sync.CreatedAt)
	e.Adjusts = slices.Clone(e.Adjusts)
	for i := range e.Adjusts {
		e.Adjusts[i].CreatedAt = utc(e.Adjusts[i].CreatedAt)
	}
	e.Events = slices.Clone(e.Events)
	for i, ev := range e.Events {
		ev = copyEvent(ev)
		ev.CreatedAt, ev.DeliveredAt = utc(ev.CreatedAt), utc(ev.DeliveredAt)
		e.Events[i] = ev
	}
	e.Sightings = slices.Clone(e.Sightings)
	for i := range e.Sightings {
		e.Sightings[i].At = utc(e.Sightings[i].At)
	}
	e.Resolutions = slices.Clone(e.Resolutions)
	for i := range e.Resolutions {
		e.Resolutions[i].At = utc(e.Resolutions[i].At)
	}
	return e
}

func copySync(r paysync.SyncRecord) paysync.SyncRecord {
	r.Raw, r.Anomalies = slices.Clone(r.Raw), slices.Clone(r.Anomalies)
	return r
}

func copyEvent(ev paysync.Event) paysync.Event {
	ev.Payload = slices.Clone(ev.Payload)
	return ev
}
