package syncer

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestV7Source: ids are RFC 9562 version 7, carry the time they were made,
// and grow strictly, also past the 4,095 a millisecond's counter holds.
func TestV7Source(t *testing.T) {
	src := newV7Source()
	before := time.Now().UnixMilli()
	prev := src.next()
	for range 20_000 {
		id := src.next()
		if id.Version() != 7 || id.Variant() != uuid.RFC4122 {
			t.Fatalf("%v: version %d, variant %v", id, id.Version(), id.Variant())
		}
		if bytes.Compare(prev[:], id[:]) >= 0 {
			t.Fatalf("ids do not grow: %v then %v", prev, id)
		}
		prev = id
	}
	after := time.Now().UnixMilli()
	sec, nsec := prev.Time().UnixTime()
	// 20,000 ids may borrow up to 4 milliseconds ahead of the clock.
	if ms := sec*1000 + nsec/1_000_000; ms < before || ms > after+5 {
		t.Fatalf("last id's time %d ms is outside [%d, %d]", ms, before, after+5)
	}
}

// TestV7SourceConcurrent: ids made at once by many goroutines are unique.
func TestV7SourceConcurrent(t *testing.T) {
	src := newV7Source()
	const goroutines, each = 8, 2000
	ids := make(chan uuid.UUID, goroutines*each)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				ids <- src.next()
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := make(map[uuid.UUID]bool, goroutines*each)
	for id := range ids {
		if seen[id] {
			t.Fatalf("id %v made twice", id)
		}
		seen[id] = true
	}
}
