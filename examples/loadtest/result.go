package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/syncer"
)

// result is what one run measured (docs/performance.md#the-sweep-load-program) and what its self-check
// found.
type result struct {
	orders     int
	limit      float64       // the fake channel's rate limit, calls per second
	elapsed    time.Duration // first claim → last commit
	records    int           // sweep SyncRecords of pay orders
	p50, p99   time.Duration // channel call → commit
	maxHeld    int64         // most orders claimed and not yet finished
	maxLeased  int64         // most orders claimed and not yet released
	heapStart  uint64        // heap bytes after seeding, collected
	heapPeak   uint64        // most heap bytes seen during the sweep
	rejections int64         // calls the fake refused for its rate
	report     syncer.SweepReport
	sweepErr   error

	missing    int // orders with no sweep SyncRecord
	duplicated int // orders with more than one
	strays     int // records and writes for numbers this run did not make
}

// countRecords counts the sweep SyncRecords per order.
func (r *result) countRecords(recs []paysync.SyncRecord) {
	per := make([]int32, r.orders)
	for _, rec := range recs {
		if rec.Source != paysync.SourceSweep {
			continue
		}
		r.records++
		i, ok := orderIndex(rec.TradeNo)
		if !ok || i >= r.orders {
			r.strays++
			continue
		}
		per[i]++
	}
	for _, n := range per {
		switch {
		case n == 0:
			r.missing++
		case n > 1:
			r.duplicated++
		}
	}
}

// rate is sweep SyncRecords per second of elapsed; 0 when nothing elapsed.
func (r result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.records) / r.elapsed.Seconds()
}

// Line renders the figures as key=value pairs, the program's last line.
func (r result) Line() string {
	const mib = 1 << 20
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }
	kv := []string{
		fmt.Sprintf("orders=%d", r.orders),
		fmt.Sprintf("elapsed=%s", r.elapsed.Round(time.Millisecond)),
		fmt.Sprintf("rate=%.0f", r.rate()),
		fmt.Sprintf("limit=%.0f", r.limit),
		fmt.Sprintf("ratio=%.3f", r.rate()/r.limit),
		"p50_ms=" + ms(r.p50),
		"p99_ms=" + ms(r.p99),
		fmt.Sprintf("max_held=%d", r.maxHeld),
		fmt.Sprintf("max_leased=%d", r.maxLeased),
		fmt.Sprintf("heap_peak_mib=%.1f", float64(r.heapPeak)/mib),
		fmt.Sprintf("heap_start_mib=%.1f", float64(r.heapStart)/mib),
		fmt.Sprintf("rejections=%d", r.rejections),
		fmt.Sprintf("synced=%d", r.report.Synced),
		fmt.Sprintf("adjusted=%d", r.report.Adjusted),
		fmt.Sprintf("errors=%d", r.report.Errors),
	}
	return strings.Join(kv, " ")
}

// Check returns nil when the run did what it should: every order synced by
// the sweep exactly once and no call refused by the fake's rate limit.
// Otherwise it returns an error listing each thing that went wrong.
func (r result) Check() error {
	var errs []error
	if r.sweepErr != nil {
		errs = append(errs, fmt.Errorf("sweep: %w", r.sweepErr))
	}
	if r.missing > 0 {
		errs = append(errs, fmt.Errorf("%d of %d orders have no sweep SyncRecord", r.missing, r.orders))
	}
	if r.duplicated > 0 {
		errs = append(errs, fmt.Errorf("%d orders have more than one sweep SyncRecord", r.duplicated))
	}
	if r.strays > 0 {
		errs = append(errs, fmt.Errorf("%d records or writes name orders this run did not make", r.strays))
	}
	if r.rejections > 0 {
		errs = append(errs, fmt.Errorf("the fake channel refused %d calls for its rate limit", r.rejections))
	}
	return errors.Join(errs...)
}

// percentiles returns the 50th and 99th percentiles (nearest rank) of the
// non-zero durations in took, in nanoseconds; zeros when there are none.
func percentiles(took []int64) (p50, p99 time.Duration) {
	v := make([]int64, 0, len(took))
	for _, t := range took {
		if t > 0 {
			v = append(v, t)
		}
	}
	if len(v) == 0 {
		return 0, 0
	}
	slices.Sort(v)
	rank := func(p int) time.Duration { return time.Duration(v[(len(v)*p+99)/100-1]) }
	return rank(50), rank(99)
}
