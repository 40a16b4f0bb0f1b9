package console

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
)

// TestSortTimeline: newest instant first; within an instant, the order of
// writing — by version 7 ids when every entry has one, else sync, change,
// events.
func TestSortTimeline(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	id := func(n byte) []byte { return []byte{0, 0, 0, 0, 0, n, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 0} }
	name := func(es []entry) []string {
		var out []string
		for _, e := range es {
			switch {
			case e.Sync != nil:
				out = append(out, "sync:"+e.Sync.ChannelState)
			case e.Adjust != nil:
				out = append(out, "change:"+e.Adjust.After)
			default:
				out = append(out, "event:"+string(e.Event.Type))
			}
		}
		return out
	}
	sync := func(at time.Time, n byte, state string) entry {
		return entry{At: at, id: id(n), rank: 0, Sync: &paysync.SyncRecord{ChannelState: state}}
	}
	change := func(at time.Time, n byte, to string) entry {
		return entry{At: at, id: id(n), rank: 1, Adjust: &paysync.AdjustRecord{After: to}}
	}
	event := func(at time.Time, n byte, et paysync.EventType) entry {
		return entry{At: at, id: id(n), rank: 2, Event: &paysync.Event{Type: et}}
	}
	// A sync and a repair at one instant (a fixed clock), and an older sync.
	es := []entry{
		sync(t0.Add(-time.Hour), 1, "progress"),
		sync(t0, 2, "closed"),
		change(t0, 4, "close"),
		event(t0, 3, paysync.EventPayAnomaly),
		event(t0, 5, paysync.EventPayClosed),
	}
	sortTimeline(es)
	want := []string{"sync:closed", "event:pay.anomaly", "change:close", "event:pay.closed", "sync:progress"}
	if got := name(es); !equal(got, want) {
		t.Fatalf("with ids: %v, want %v", got, want)
	}

	// Without ids: one commit per instant, sync then change then events.
	es = []entry{
		{At: t0, rank: 2, Event: &paysync.Event{Type: paysync.EventPayClosed}},
		{At: t0, rank: 0, Sync: &paysync.SyncRecord{ChannelState: "closed"}},
		{At: t0.Add(-time.Hour), rank: 0, Sync: &paysync.SyncRecord{ChannelState: "progress"}},
		{At: t0, rank: 1, Adjust: &paysync.AdjustRecord{After: "close"}},
	}
	sortTimeline(es)
	want = []string{"sync:closed", "change:close", "event:pay.closed", "sync:progress"}
	if got := name(es); !equal(got, want) {
		t.Fatalf("without ids: %v, want %v", got, want)
	}

	if got := parseUUID("01a22cef-7a76-77e0-b850-a37e45dea023"); got[6]>>4 != 7 {
		t.Fatalf("parseUUID: %x", got)
	}
	if got := parseUUID("adj-1"); got != [16]byte{} {
		t.Fatalf("parseUUID of a non-uuid: %x", got)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
