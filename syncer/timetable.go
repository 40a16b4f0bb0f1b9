package syncer

import (
	"time"

	"github.com/paysync/paysync"
)

// Timetable is the sweep table: age (measured from an order's CreatedAt) is
// cut into steps, and within a step the order is due every Every. Steps are
// in increasing Until; the schedule ends at the last Until.
type Timetable struct {
	Steps []Step
}

// Step makes an order due every Every while its age is at most Until.
type Step struct {
	Until time.Duration
	Every time.Duration
}

// DefaultTimetable is the pay and allocation timetable (docs/sweep.md):
// first due at +1 min, then every minute to 10 minutes, every 10 minutes to
// an hour, hourly to a day — so a lost callback is repaired within minutes,
// not at expiry.
func DefaultTimetable() Timetable {
	return Timetable{Steps: []Step{
		{Until: 10 * time.Minute, Every: time.Minute},
		{Until: time.Hour, Every: 10 * time.Minute},
		{Until: 24 * time.Hour, Every: time.Hour},
	}}
}

// DefaultPayoutTimetable is the refund and transfer timetable: the pay
// table, then every 6 hours to 7 days, as bank-card refunds stay in
// processing for days.
func DefaultPayoutTimetable() Timetable {
	t := DefaultTimetable()
	t.Steps = append(t.Steps, Step{Until: 7 * 24 * time.Hour, Every: 6 * time.Hour})
	return t
}

// watch is the timetable of a refund closed because the channel did not know
// it: the table's last step, counted from creation, to the table's end — a
// late channel call that moves its money is still found, without asking
// every minute.
func (s Timetable) watch() Timetable {
	last := s.Steps[len(s.Steps)-1]
	return Timetable{Steps: []Step{last}}
}

// Validate returns an error wrapping paysync.ErrInvalidRequest unless the
// timetable has steps with positive Every and strictly increasing Until.
func (s Timetable) Validate() error {
	bad := func(msg string) error { return paysync.Ef("syncer.Timetable", paysync.ErrInvalidRequest, msg, nil) }
	if len(s.Steps) == 0 {
		return bad("timetable has no steps")
	}
	var prev time.Duration
	for _, st := range s.Steps {
		if st.Every <= 0 {
			return bad("step Every must be positive")
		}
		if st.Until <= prev {
			return bad("step Until must increase")
		}
		prev = st.Until
	}
	return nil
}

// Next returns the first due time after now for an order created at created
// that expires at expires (zero: never). ok is false when the table has
// ended and no expiry is still ahead: the order leaves the schedule.
//
// Due times lie on a grid: within a step, the step's start plus multiples of
// its Every. An expiry ahead of the next grid point comes first, so an order
// is synced (and closed at the channel) when it expires.
func (s Timetable) Next(created, expires, now time.Time) (due time.Time, ok bool) {
	age := now.Sub(created)
	var start time.Duration
	for _, st := range s.Steps {
		if age < st.Until {
			k := time.Duration(0)
			if age >= start {
				k = (age-start)/st.Every + 1
			}
			off := start + k*st.Every
			if off > st.Until {
				off = st.Until
			}
			due, ok = created.Add(off), true
			break
		}
		start = st.Until
	}
	if !expires.IsZero() && expires.After(now) && (!ok || expires.Before(due)) {
		return expires, true
	}
	return due, ok
}

// First returns when a new order first falls due.
func (s Timetable) First(created, expires time.Time) time.Time {
	due, ok := s.Next(created, expires, created)
	if !ok {
		return created
	}
	return due
}
