package console

import (
	"errors"
	"testing"
	"time"
)

// TestZoneFallback: without a time zone database the default zone falls
// back to a fixed UTC+08:00, and says why.
func TestZoneFallback(t *testing.T) {
	defer func(f func(string) (*time.Location, error)) { loadLocation = f }(loadLocation)
	loadLocation = func(string) (*time.Location, error) { return nil, errors.New("unknown time zone Asia/Shanghai") }
	cfg, z := Config{}.withDefaults()
	if z.name != "UTC+08:00" || z.note == "" {
		t.Fatalf("zone %+v, want the fixed fallback with a note", z)
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC).In(cfg.Location)
	if at.Hour() != 18 || offset(at) != "+08:00" {
		t.Fatalf("10:00 UTC shows as %v", at)
	}

	loadLocation = time.LoadLocation
	cfg, z = Config{}.withDefaults()
	if z.name != "Asia/Shanghai" || z.note != "" || cfg.Location.String() != "Asia/Shanghai" {
		t.Fatalf("zone %+v, location %v", z, cfg.Location)
	}
}

// TestSpan: ages read in their two largest units.
func TestSpan(t *testing.T) {
	for d, want := range map[time.Duration]string{
		45 * time.Second:                "45s",
		39*time.Minute + 10*time.Second: "39m",
		2*time.Hour + 5*time.Minute:     "2h 5m",
		49*time.Hour + 30*time.Minute:   "2d 1h",
		-90 * time.Minute:               "in 1h 30m",
	} {
		if got := span(d); got != want {
			t.Errorf("span(%v) = %q, want %q", d, got, want)
		}
	}
}
