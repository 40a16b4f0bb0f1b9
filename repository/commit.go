package repository

import "github.com/paysync/paysync"

// Entries is what a commit stores beside an order's new state: the sync that
// produced it, the state changes it made and the events that announce them.
// A commit stores all of it or none of it. A Sync whose ID is the zero uuid
// is no record: the commit stores none.
type Entries struct {
	Sync    paysync.SyncRecord
	Adjusts []paysync.AdjustRecord
	Events  []paysync.Event
}
