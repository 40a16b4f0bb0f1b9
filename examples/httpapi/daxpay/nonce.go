package daxpay

import (
	"sync"
	"time"

	"github.com/paysync/paysync"
)

// Defaults of NonceCache.
const (
	DefaultNonceTTL      = 10 * time.Minute
	DefaultNonceCapacity = 100_000
)

// NonceCache remembers each nonceStr for a TTL so that a captured request
// cannot be replayed. Memory is bounded: at most capacity nonces are held,
// and a nonce is forgotten once its TTL has passed. Safe for concurrent use.
//
// With a TTL of at least twice the reqTime window, every replay is caught: a
// replay carries the same (signed) reqTime, so it is only accepted while now
// is within window of reqTime, and the first use, itself no earlier than
// reqTime−window, is remembered until at least reqTime+window.
type NonceCache struct {
	mu       sync.Mutex
	ttl      time.Duration
	capacity int
	now      func() time.Time
	expiry   map[string]time.Time // nonce → when it may be used again
	queue    []nonceEntry         // in insertion order, live from head
	head     int
}

type nonceEntry struct {
	nonce  string
	expiry time.Time
}

// NewNonceCache returns an empty cache. A ttl ≤ 0 means DefaultNonceTTL, a
// capacity ≤ 0 DefaultNonceCapacity, a nil now time.Now.
func NewNonceCache(ttl time.Duration, capacity int, now func() time.Time) *NonceCache {
	if ttl <= 0 {
		ttl = DefaultNonceTTL
	}
	if capacity <= 0 {
		capacity = DefaultNonceCapacity
	}
	if now == nil {
		now = time.Now
	}
	return &NonceCache{ttl: ttl, capacity: capacity, now: now, expiry: make(map[string]time.Time)}
}

// Add records nonce as used now. It returns an ErrNonceReplayed error when
// nonce was added less than the TTL ago, and an ErrNonceCacheFull error when
// capacity nonces are still live (the cache refuses rather than evicts: an
// evicted nonce could be replayed).
func (c *NonceCache) Add(nonce string) error {
	const op = "daxpay.NonceCache.Add"
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.expire(now)
	if exp, ok := c.expiry[nonce]; ok && now.Before(exp) {
		return paysync.E(op, ErrNonceReplayed, nil)
	}
	// The queue, not the map, is what is bounded: after a clock step back it
	// may hold an entry the map has replaced, and that entry costs memory too.
	if len(c.queue)-c.head >= c.capacity {
		return paysync.E(op, ErrNonceCacheFull, nil)
	}
	exp := now.Add(c.ttl)
	c.expiry[nonce] = exp
	c.queue = append(c.queue, nonceEntry{nonce: nonce, expiry: exp})
	return nil
}

// Len returns how many nonces are remembered, expired ones not yet dropped
// included.
func (c *NonceCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.expiry)
}

// expire drops the entries whose TTL has passed. Entries expire in the order
// they were added (one TTL, a clock that moves forward), so it stops at the
// first live one.
func (c *NonceCache) expire(now time.Time) {
	for c.head < len(c.queue) {
		e := c.queue[c.head]
		if now.Before(e.expiry) {
			break
		}
		if exp, ok := c.expiry[e.nonce]; ok && exp.Equal(e.expiry) {
			delete(c.expiry, e.nonce)
		}
		c.queue[c.head] = nonceEntry{} // let the string go
		c.head++
	}
	// Reuse the backing array once half of it is dead, so memory follows
	// the live count rather than the total ever added.
	if c.head > 0 && c.head*2 >= len(c.queue) {
		n := copy(c.queue, c.queue[c.head:])
		clear(c.queue[n:])
		c.queue = c.queue[:n]
		c.head = 0
	}
}
