package syncer

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// keyedLock is the in-process per-order lock: one holder per key, waiters
// give up after a bounded wait. Shards keep unrelated orders from contending
// on one mutex.
type keyedLock struct {
	clock  Clock
	seed   maphash.Seed
	shards [64]lockShard
	pool   sync.Pool
}

type lockShard struct {
	mu sync.Mutex
	m  map[string]*lockEntry
}

type lockEntry struct {
	held chan struct{} // capacity 1: full while someone holds the key
	refs int           // holders and waiters; the entry leaves the map at 0
}

func newKeyedLock(clock Clock) *keyedLock {
	l := &keyedLock{clock: clock, seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].m = make(map[string]*lockEntry)
	}
	l.pool.New = func() any { return &lockEntry{held: make(chan struct{}, 1)} }
	return l
}

func (l *keyedLock) shard(key string) *lockShard {
	return &l.shards[maphash.String(l.seed, key)%uint64(len(l.shards))]
}

// acquire takes key, waiting up to wait. held is false when the wait ran
// out or ctx ended first; the caller then does not hold the key. waited
// tells that another holder went first: what the caller read before may be
// stale.
func (l *keyedLock) acquire(ctx context.Context, key string, wait time.Duration) (held, waited bool) {
	s := l.shard(key)
	s.mu.Lock()
	e, ok := s.m[key]
	if !ok {
		e = l.pool.Get().(*lockEntry)
		s.m[key] = e
	}
	e.refs++
	s.mu.Unlock()

	select {
	case e.held <- struct{}{}:
		return true, false
	default:
	}
	timeout, stop := l.clock.After(wait)
	defer stop()
	select {
	case e.held <- struct{}{}:
		return true, true
	case <-timeout:
	case <-ctx.Done():
	}
	l.drop(s, key, e)
	return false, true
}

// release gives key back; only a holder may call it. Taking the token out
// of held never blocks, as the holder's token is in it, so it is done under
// the shard's lock, with the rest of the release.
func (l *keyedLock) release(key string) {
	s := l.shard(key)
	s.mu.Lock()
	e := s.m[key]
	<-e.held
	l.unref(s, key, e)
	s.mu.Unlock()
}

// drop gives up a wait for key.
func (l *keyedLock) drop(s *lockShard, key string, e *lockEntry) {
	s.mu.Lock()
	l.unref(s, key, e)
	s.mu.Unlock()
}

// unref counts one holder or waiter of e fewer; s.mu must be held.
func (l *keyedLock) unref(s *lockShard, key string, e *lockEntry) {
	e.refs--
	if e.refs == 0 {
		delete(s.m, key)
		l.pool.Put(e)
	}
}
