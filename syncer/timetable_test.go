package syncer

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScheduleNext(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return created.Add(d) }
	s := DefaultTimetable()
	tests := []struct {
		name    string
		age     time.Duration
		expires time.Time
		want    time.Duration
		ok      bool
	}{
		{"first due a minute after creation", 0, time.Time{}, time.Minute, true},
		{"every minute", 90 * time.Second, time.Time{}, 2 * time.Minute, true},
		{"on a grid point, the next one", 5 * time.Minute, time.Time{}, 6 * time.Minute, true},
		{"last minute step", 9*time.Minute + 59*time.Second, time.Time{}, 10 * time.Minute, true},
		{"then every 10 minutes", 10 * time.Minute, time.Time{}, 20 * time.Minute, true},
		{"10-minute step", 55 * time.Minute, time.Time{}, time.Hour, true},
		{"then hourly", time.Hour, time.Time{}, 2 * time.Hour, true},
		{"last hour", 23*time.Hour + 30*time.Minute, time.Time{}, 24 * time.Hour, true},
		{"table ends", 24 * time.Hour, time.Time{}, 0, false},
		{"long after", 72 * time.Hour, time.Time{}, 0, false},
		{"expiry before the next step wins", 2 * time.Hour, at(2*time.Hour + 15*time.Minute), 2*time.Hour + 15*time.Minute, true},
		{"expiry after the next step waits", 2 * time.Hour, at(5 * time.Hour), 3 * time.Hour, true},
		{"expiry keeps an ended table alive", 30 * time.Hour, at(31 * time.Hour), 31 * time.Hour, true},
		{"expiry passed", 3 * time.Minute, at(2 * time.Minute), 4 * time.Minute, true},
		{"expiry now is not ahead", 3 * time.Minute, at(3 * time.Minute), 4 * time.Minute, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := s.Next(created, tc.expires, at(tc.age))
			require.Equal(t, tc.ok, ok)
			if ok {
				assert.Equal(t, at(tc.want), got)
			}
		})
	}
}

func TestScheduleFirstAndValidate(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := DefaultTimetable()
	assert.Equal(t, created.Add(time.Minute), s.First(created, time.Time{}))
	assert.Equal(t, created.Add(30*time.Second), s.First(created, created.Add(30*time.Second)))
	require.NoError(t, s.Validate())

	for name, bad := range map[string]Timetable{
		"empty":          {},
		"zero every":     {Steps: []Step{{Until: time.Hour}}},
		"until not up":   {Steps: []Step{{Until: time.Hour, Every: time.Minute}, {Until: time.Hour, Every: time.Minute}}},
		"negative every": {Steps: []Step{{Until: time.Hour, Every: -time.Minute}}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, bad.Validate(), paysync.ErrInvalidRequest)
		})
	}
}

// TestScheduleCustom: a configured table is walked the same way.
func TestScheduleCustom(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := Timetable{Steps: []Step{{Until: 3 * time.Second, Every: time.Second}, {Until: 10 * time.Second, Every: 5 * time.Second}}}
	var dues []time.Duration
	now := created
	for {
		d, ok := s.Next(created, time.Time{}, now)
		if !ok {
			break
		}
		dues = append(dues, d.Sub(created))
		now = d
	}
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 8 * time.Second, 10 * time.Second}, dues)
}
