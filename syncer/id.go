package syncer

import (
	"crypto/rand"
	"encoding/binary"
	mrand "math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
)

// v7Source makes uuid v7 ids from a ChaCha8 stream seeded once from
// crypto/rand. uuid.NewV7 reads crypto/rand on every call, which costs more
// than the rest of a consistent sync; ids need to be unique and time-ordered,
// not secret. The source is private to a Syncer: no package globals.
//
// Its milliseconds are the wall clock's at creation plus the monotonic time
// since: reading the monotonic clock alone costs half of time.Now, which
// reads both, and it never steps back when the wall clock is set.
type v7Source struct {
	start time.Time // wall and monotonic reading at creation

	mu   sync.Mutex
	rng  *mrand.ChaCha8
	last int64 // last millisecond used, to keep ids monotonic
	seq  uint16
}

func newV7Source() *v7Source {
	var seed [32]byte
	if _, err := rand.Read(seed[:]); err != nil {
		// crypto/rand does not fail on supported platforms; a time-derived
		// seed still gives unique ids within this process.
		binary.LittleEndian.PutUint64(seed[:], uint64(time.Now().UnixNano()))
	}
	return &v7Source{start: time.Now(), rng: mrand.NewChaCha8(seed)}
}

func (s *v7Source) next() uuid.UUID {
	var u uuid.UUID
	ms := s.start.UnixMilli() + time.Since(s.start).Milliseconds()
	s.mu.Lock()
	if ms <= s.last {
		ms = s.last
		s.seq++
		if s.seq == 0x0fff { // 12-bit counter used up: borrow the next millisecond
			ms++
			s.seq = 0
		}
	} else {
		s.seq = 0
	}
	s.last = ms
	seq := s.seq
	r := s.rng.Uint64()
	s.mu.Unlock()

	u[0] = byte(ms >> 40)
	u[1] = byte(ms >> 32)
	u[2] = byte(ms >> 24)
	u[3] = byte(ms >> 16)
	u[4] = byte(ms >> 8)
	u[5] = byte(ms)
	u[6] = 0x70 | byte(seq>>8)&0x0f // version 7, high bits of the counter
	u[7] = byte(seq)
	binary.BigEndian.PutUint64(u[8:], r)
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return u
}
