package memstore

import (
	"time"

	"github.com/paysync/paysync"
)

// Orders are normalised on the way in, into copies of the store's own: times
// to UTC microseconds, as PostgreSQL keeps them, so a host moving from this
// store to a database sees the same values. Decimals are not copied: their
// methods never change a value in place. Records are normalised by their
// encoding (codec.go).

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// payIn returns the copy of o the store keeps, and whether it is in the
// schedule. A zero NextSyncAt in the schedule becomes dueAt (CreatedAt on a
// create, UpdatedAt on a commit); out of the schedule NextSyncAt is cleared.
// The lease fields are cleared: only claims and releases write them.
func payIn(o paysync.PayOrder, dueAt time.Time) (paysync.PayOrder, bool) {
	o = o.Clone()
	o.ExpiredAt = utc(o.ExpiredAt)
	o.PaidAt = utc(o.PaidAt)
	o.ClosedAt = utc(o.ClosedAt)
	o.CreatedAt = utc(o.CreatedAt)
	o.UpdatedAt = utc(o.UpdatedAt)
	in := o.Scheduled() && !o.Schedule.Exhausted
	o.Schedule = scheduleIn(o.Schedule, in, dueAt)
	return o, in
}

// allocationIn is payIn for allocation orders.
func allocationIn(o paysync.AllocationOrder, dueAt time.Time) (paysync.AllocationOrder, bool) {
	o = o.Clone()
	for i := range o.Receivers {
		o.Receivers[i].FinishedAt = utc(o.Receivers[i].FinishedAt)
	}
	o.FinishedAt = utc(o.FinishedAt)
	o.CreatedAt = utc(o.CreatedAt)
	o.UpdatedAt = utc(o.UpdatedAt)
	in := o.Scheduled() && !o.Schedule.Exhausted
	o.Schedule = scheduleIn(o.Schedule, in, dueAt)
	return o, in
}

func scheduleIn(s paysync.Schedule, in bool, dueAt time.Time) paysync.Schedule {
	s.LeaseOwner, s.LeaseUntil = "", time.Time{}
	switch {
	case !in:
		s.NextSyncAt = time.Time{}
	case s.NextSyncAt.IsZero():
		s.NextSyncAt = utc(dueAt)
	default:
		s.NextSyncAt = utc(s.NextSyncAt)
	}
	return s
}
