package syncer

import (
	"time"

	"github.com/paysync/paysync"
)

// scratch is the memory one commit's entries are built in. Stores copy what
// a commit hands them (the repository contract), so once the commit returns
// the memory is free again; a Syncer keeps scratches in a pool, and an
// adjusting sync allocates for its records only what the store keeps.
type scratch struct {
	adjusts [1]paysync.AdjustRecord
	events  []paysync.Event
	payload []byte // every event's payload, side by side
}

// maxScratchPayload bounds the payload buffer a scratch keeps between
// commits, so that one huge order does not pin its buffer forever.
const maxScratchPayload = 4 << 10

func (s *Syncer) getScratch() *scratch {
	if sc, ok := s.scratches.Get().(*scratch); ok {
		return sc
	}
	return &scratch{events: make([]paysync.Event, 0, 2), payload: make([]byte, 0, 512)}
}

// putScratch returns sc to the pool once the entries built in it have been
// committed or dropped. It clears what sc holds, so a pooled scratch keeps no
// order's strings alive.
func (s *Syncer) putScratch(sc *scratch) {
	sc.adjusts = [1]paysync.AdjustRecord{}
	clear(sc.events)
	sc.events = sc.events[:0]
	sc.payload = sc.payload[:0]
	if cap(sc.payload) > maxScratchPayload {
		sc.payload = nil
	}
	s.scratches.Put(sc)
}

// addPayEvent adds an event about pay order o, its payload written into
// sc's buffer.
func (sc *scratch) addPayEvent(s *Syncer, o *paysync.PayOrder, t paysync.EventType, code paysync.AnomalyCode, now time.Time) {
	var ev paysync.Event
	sc.payload, ev = s.appendPayEvent(sc.payload, o, t, code, now)
	sc.events = append(sc.events, ev)
}
