package syncer

import (
	"context"
	"sync"
	"time"
)

// keyedLock is the in-process per-order lock: one holder per key, waiters
// give up after a bounded wait on the Syncer's clock.
type keyedLock struct {
	clock Clock

	mu sync.Mutex
	m  map[string]*lockEntry
}

type lockEntry struct {
	held chan struct{} // capacity 1: full while someone holds the key
	refs int           // holders and waiters; the entry leaves the map at 0
}

func newKeyedLock(clock Clock) *keyedLock {
	return &keyedLock{clock: clock, m: make(map[string]*lockEntry)}
}

// acquire takes key, waiting up to wait. held is false when the wait ran
// out or ctx ended first; the caller then does not hold the key. waited
// tells that another holder went first: what the caller read before may be
// stale.
func (l *keyedLock) acquire(ctx context.Context, key string, wait time.Duration) (held, waited bool) {
	l.mu.Lock()
	e, ok := l.m[key]
	if !ok {
		e = &lockEntry{held: make(chan struct{}, 1)}
		l.m[key] = e
	}
	e.refs++
	l.mu.Unlock()

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
	l.mu.Lock()
	l.unref(key, e)
	l.mu.Unlock()
	return false, true
}

// release gives key back; only a holder may call it. Taking the token out
// of held never blocks, as the holder's token is in it.
func (l *keyedLock) release(key string) {
	l.mu.Lock()
	e := l.m[key]
	<-e.held
	l.unref(key, e)
	l.mu.Unlock()
}

// unref counts one holder or waiter of e fewer; l.mu must be held.
func (l *keyedLock) unref(key string, e *lockEntry) {
	e.refs--
	if e.refs == 0 {
		delete(l.m, key)
	}
}
