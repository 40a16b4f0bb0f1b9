//go:build go1.25

package syncer

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/paysync/paysync/channel/channeltest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeyedLockExcludes: one holder per key at a time, every waiter gets
// its turn and learns it waited, and no entry outlives its last user.
func TestKeyedLockExcludes(t *testing.T) {
	l := newKeyedLock(channeltest.NewClock(t0))
	ctx := context.Background()
	const goroutines, rounds = 8, 200
	counts := map[string]int{} // written only under the key's lock
	var mu sync.Mutex          // guards the map itself, not the counts' exclusion
	inside := map[string]int{}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []string{"A", "B"}[g%2]
			for range rounds {
				held, _ := l.acquire(ctx, key, time.Minute)
				if !assert.True(t, held) {
					return
				}
				mu.Lock()
				inside[key]++
				n := inside[key]
				mu.Unlock()
				assert.Equal(t, 1, n, "two holders of %s at once", key)
				runtime.Gosched() // hold the key long enough for a broken lock to let another in
				mu.Lock()
				counts[key]++
				inside[key]--
				mu.Unlock()
				l.release(key)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, map[string]int{"A": goroutines / 2 * rounds, "B": goroutines / 2 * rounds}, counts)
	assert.Empty(t, l.m, "entries nobody uses are kept")
}

// TestKeyedLockGivesUp: a waiter gives up when its wait runs out on the
// Syncer's clock or its ctx ends, holds nothing then, and the holder's
// release still works; a waiter that outlasts the holder takes the key and
// knows it waited. The order of events is decided by the test clock and
// synctest, not by sleeps.
func TestKeyedLockGivesUp(t *testing.T) { synctest.Test(t, testKeyedLockGivesUp) }

func testKeyedLockGivesUp(t *testing.T) {
	clock := channeltest.NewClock(t0)
	l := newKeyedLock(clock)
	ctx := context.Background()
	held, waited := l.acquire(ctx, "K", time.Second)
	require.True(t, held)
	assert.False(t, waited, "the first holder waited for nobody")

	gave := make(chan [2]bool, 1)
	go func() {
		held, waited := l.acquire(ctx, "K", 10*time.Millisecond)
		gave <- [2]bool{held, waited}
	}()
	synctest.Wait()
	clock.Add(10*time.Millisecond - time.Nanosecond)
	synctest.Wait()
	require.Empty(t, gave, "gave up before its wait ran out")
	clock.Add(time.Nanosecond)
	assert.Equal(t, [2]bool{false, true}, <-gave, "the wait ran out")

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	held, _ = l.acquire(cctx, "K", time.Minute)
	assert.False(t, held, "the ctx ended")

	done := make(chan bool)
	go func() {
		held, waited := l.acquire(ctx, "K", time.Minute)
		done <- held && waited
	}()
	synctest.Wait() // the waiter is queued on K
	l.release("K")
	assert.True(t, <-done, "the waiter holds K after the release, and knows it waited")
	l.release("K")
	assert.Empty(t, l.m)
}
