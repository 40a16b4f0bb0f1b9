package daxpay

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestNonceCacheReplay(t *testing.T) {
	clk := newClock(time.Unix(vectorTime, 0))
	c := NewNonceCache(10*time.Minute, 10, clk.Now)
	if err := c.Add("abc123"); err != nil {
		t.Fatal(err)
	}
	if err := c.Add("other"); err != nil {
		t.Fatal(err)
	}
	clk.Add(10*time.Minute - time.Second)
	if err := c.Add("abc123"); !errors.Is(err, ErrNonceReplayed) {
		t.Fatalf("replay within the TTL: err = %v, want ErrNonceReplayed", err)
	}
	clk.Add(time.Second)
	if err := c.Add("abc123"); err != nil {
		t.Fatalf("after the TTL: err = %v", err)
	}
	if n := c.Len(); n != 1 {
		t.Fatalf("Len = %d, want 1 (other expired)", n)
	}
}

func TestNonceCacheFull(t *testing.T) {
	clk := newClock(time.Unix(vectorTime, 0))
	c := NewNonceCache(time.Minute, 2, clk.Now)
	for _, n := range []string{"a", "b"} {
		if err := c.Add(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Add("c"); !errors.Is(err, ErrNonceCacheFull) {
		t.Fatalf("err = %v, want ErrNonceCacheFull", err)
	}
	if err := c.Add("a"); !errors.Is(err, ErrNonceReplayed) {
		t.Fatalf("a full cache still catches replays: err = %v", err)
	}
	clk.Add(time.Minute)
	if err := c.Add("c"); err != nil {
		t.Fatalf("after expiry: err = %v", err)
	}
}

func TestNonceCacheClockBack(t *testing.T) {
	clk := newClock(time.Unix(vectorTime, 0))
	c := NewNonceCache(time.Minute, 2, clk.Now)
	if err := c.Add("a"); err != nil {
		t.Fatal(err)
	}
	clk.Add(-time.Hour)
	if err := c.Add("a"); !errors.Is(err, ErrNonceReplayed) {
		t.Fatalf("err = %v, want ErrNonceReplayed", err)
	}
	if err := c.Add("b"); err != nil {
		t.Fatal(err)
	}
	if err := c.Add("c"); !errors.Is(err, ErrNonceCacheFull) {
		t.Fatalf("capacity holds after a clock step back: err = %v", err)
	}
}

// Memory follows the live nonces, not every nonce ever added.
func TestNonceCacheBounded(t *testing.T) {
	clk := newClock(time.Unix(vectorTime, 0))
	c := NewNonceCache(time.Minute, 100, clk.Now)
	for i := range 10_000 {
		if err := c.Add(strconv.Itoa(i)); err != nil {
			t.Fatalf("Add #%d: %v", i, err)
		}
		clk.Add(time.Second)
	}
	if n := c.Len(); n > 60 {
		t.Fatalf("Len = %d, want ≤ 60 live nonces", n)
	}
	if n := len(c.queue); n > 2*100 {
		t.Fatalf("queue holds %d entries, want ≤ 200", n)
	}
}

func TestNonceCacheConcurrent(t *testing.T) {
	c := NewNonceCache(0, 0, nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				if c.Add(strconv.Itoa(i)) == nil {
					mu.Lock()
					accepted++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if accepted != 100 {
		t.Fatalf("accepted %d adds, want each of 100 nonces exactly once", accepted)
	}
}
