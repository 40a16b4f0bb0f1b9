package paysync

import "time"

// Schedule is an order's place in the background sweep (docs/sweep.md).
//
// The syncer owns NextSyncAt, Attempts and Exhausted and writes them with every
// commit; a store owns LeaseOwner and LeaseUntil, which only claims and releases
// change (a commit never writes them, so a sync that did not claim the order
// cannot steal or drop a sweeper's lease).
type Schedule struct {
	// NextSyncAt is when the sweeper should sync the order next. A zero value
	// on an order in the schedule means "at once": the store keeps CreatedAt.
	NextSyncAt time.Time
	// Attempts counts the completed syncs the schedule has seen.
	Attempts int
	// Exhausted is set when the schedule's table ended: the order keeps its
	// status but leaves the schedule, and a person is asked to look.
	Exhausted bool
	// LeaseOwner is the sweeper that holds the order, empty when none does.
	LeaseOwner string
	// LeaseUntil is when LeaseOwner's lease ends.
	LeaseUntil time.Time
}

// Leased reports whether the order is leased to anyone at now.
func (s Schedule) Leased(now time.Time) bool {
	return s.LeaseOwner != "" && now.Before(s.LeaseUntil)
}
