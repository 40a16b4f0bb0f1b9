package main

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// meter holds what the decorators observe during a sweep. Times are
// nanoseconds on the monotonic clock since base, plus one, so that zero
// means "not yet".
//
// Per-order slots are plain slices indexed by the order's number: an order is
// synced by one goroutine from its channel call to its commit, so its slot is
// written and read by that goroutine alone, and read by others only after
// Sweep has returned.
type meter struct {
	base  time.Time
	call  []int64 // the order's last channel call
	took  []int64 // channel call → commit; 0: not committed after a call
	stray atomic.Int64

	firstClaim atomic.Int64
	lastCommit atomic.Int64

	claimed   atomic.Int64
	finished  atomic.Int64
	released  atomic.Int64
	maxHeld   atomic.Int64 // claimed − finished (docs/performance.md#the-sweep-load-program)
	maxLeased atomic.Int64 // claimed − released: leases the pass still holds
}

func newMeter(orders int, base time.Time) *meter {
	return &meter{base: base, call: make([]int64, orders), took: make([]int64, orders)}
}

func (m *meter) now() int64 { return int64(time.Since(m.base)) + 1 }

// claiming marks the start of a claim; only the first one counts.
func (m *meter) claiming() { m.firstClaim.CompareAndSwap(0, m.now()) }

// claimedN counts n orders handed out by a claim. Held and leased orders
// grow only here, so their maximums are only looked for here.
func (m *meter) claimedN(n int) {
	claimed := m.claimed.Add(int64(n))
	raise(&m.maxHeld, claimed-m.finished.Load())
	raise(&m.maxLeased, claimed-m.released.Load())
}

// releasedN counts n leases given back.
func (m *meter) releasedN(n int) { m.released.Add(int64(n)) }

// raise makes a at least v.
func raise(a *atomic.Int64, v int64) {
	for {
		cur := a.Load()
		if v <= cur || a.CompareAndSwap(cur, v) {
			return
		}
	}
}

// calling marks the channel call for orderNo, after the rate limiter let it
// through.
func (m *meter) calling(orderNo string) {
	if i, ok := m.index(orderNo); ok {
		m.call[i] = m.now()
	}
}

// committed marks orderNo's sync as written and finished.
func (m *meter) committed(orderNo string) {
	t := m.now()
	m.finished.Add(1)
	raise(&m.lastCommit, t)
	if i, ok := m.index(orderNo); ok && m.call[i] != 0 {
		m.took[i] = t - m.call[i]
	}
}

// index returns the slot of orderNo, or false (counted as a stray) for a
// number this run did not make.
func (m *meter) index(orderNo string) (int, bool) {
	i, ok := orderIndex(orderNo)
	if !ok || i >= len(m.call) {
		m.stray.Add(1)
		return 0, false
	}
	return i, true
}

// elapsed is first claim → last commit, zero when either is missing.
func (m *meter) elapsed() time.Duration {
	first, last := m.firstClaim.Load(), m.lastCommit.Load()
	if first == 0 || last < first {
		return 0
	}
	return time.Duration(last - first)
}

// The order numbers of a run: a prefix and the order's index, so a
// decorator finds an order's slot without a map.
const orderPrefix = "L"

func orderNo(i int) string { return orderPrefix + strconv.Itoa(i) }

func orderIndex(no string) (int, bool) {
	digits, ok := strings.CutPrefix(no, orderPrefix)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(digits)
	return i, err == nil && i >= 0
}
