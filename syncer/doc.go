// Package syncer is the paysync engine: it keeps local pay and allocation
// orders in agreement with what the payment channel really did.
//
// A Syncer syncs one order on demand (SyncPay, SyncAllocation), applies a
// verified channel callback (ApplyPayNotification), and sweeps every stuck
// order in the background (Sweep, Run). All paths share one per-order lock,
// one decision table (docs/pay-sync.md, docs/allocation-sync.md, docs/refund-sync.md) and one atomic commit, so whichever path
// sees a change first records it, once.
//
// Many Syncers (one per host) may share one store: there is no lock across
// them; every commit is a compare-and-swap on the order's Version, and a
// Syncer that loses re-decides on the fresh order with the answer it holds.
package syncer
