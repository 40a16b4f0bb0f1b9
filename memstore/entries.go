package memstore

import (
	"slices"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// batch is a commit's entries, checked against the store: what write stores
// once every other precondition of the commit holds too.
type batch struct {
	e         repository.Entries // as the caller gave them: write copies each row it stores
	anomalies []paysync.Anomaly  // the states the sightings and resolutions leave, in order
}

// prepare checks e against the store. It returns an error wrapping
// paysync.ErrDuplicate when an id or adjust number is taken (in the store,
// or earlier in e), paysync.ErrVersionConflict when a sighting or resolution
// disagrees with the anomaly it finds, and paysync.ErrInvalidRequest when a
// sighting names no kind, order or code.
func (s *Store) prepare(op string, e repository.Entries) (batch, error) {
	if _, ok := s.syncs.at[e.Sync.ID]; ok && e.Sync.ID != uuid.Nil {
		return batch{}, paysync.Ef(op, paysync.ErrDuplicate, "sync record "+e.Sync.ID.String()+" exists", nil)
	}
	if no, ok := s.adjusts.taken(e.Adjusts); ok {
		return batch{}, paysync.Ef(op, paysync.ErrDuplicate, "adjust number "+no+" is taken", nil)
	}
	if id, ok := s.events.taken(e.Events); ok {
		return batch{}, paysync.Ef(op, paysync.ErrDuplicate, "event "+id.String()+" exists", nil)
	}
	states, err := s.anomalies.apply(op, &e)
	return batch{e: e, anomalies: states}, err
}

// write stores what prepare checked. Each row it stores is a copy of its own
// that shares no memory with the caller's, its times as the store keeps
// them; the caller's slices are only read, so they need no copy of their own.
func (s *Store) write(b batch) {
	if r := b.e.Sync; r.ID != uuid.Nil {
		r = copySync(r)
		r.CreatedAt = utc(r.CreatedAt)
		s.syncs.add(r)
	}
	for _, a := range b.e.Adjusts {
		a.CreatedAt = utc(a.CreatedAt)
		s.adjusts.add(a)
	}
	for _, ev := range b.e.Events {
		ev = copyEvent(ev)
		ev.CreatedAt, ev.DeliveredAt = utc(ev.CreatedAt), utc(ev.DeliveredAt)
		if ev.DeliveredAt.IsZero() {
			s.undelivered.ReplaceOrInsert(len(s.events.rows))
		}
		s.events.add(ev)
	}
	s.anomalies.store(b.anomalies)
}

func copySync(r paysync.SyncRecord) paysync.SyncRecord {
	r.Raw, r.Anomalies = slices.Clone(r.Raw), slices.Clone(r.Anomalies)
	return r
}

func copyEvent(ev paysync.Event) paysync.Event {
	ev.Payload = slices.Clone(ev.Payload)
	return ev
}
