// Package syncer is the paysync engine: it keeps local pay, allocation,
// refund and transfer orders in agreement with what the payment channel
// really did, and lets a person settle what it cannot.
//
// A Syncer syncs one order on demand (SyncPay, SyncAllocation, SyncRefund,
// SyncTransfer), applies a verified channel callback (ApplyPayNotification,
// ApplyRefundNotification, ApplyTransferNotification), records a refund the
// host is about to send (CreateRefund), sweeps every stuck order in the
// background (Sweep, Run), and applies a person's repair with a preview
// (Repair). All paths share the per-order locks, the decision tables
// (docs/pay-sync.md, docs/allocation-sync.md, docs/refund-sync.md,
// docs/transfer-sync.md) and one atomic commit per change, so whichever path
// sees a change first records it, once.
//
// Many Syncers (one per host) may share one store: there is no lock across
// them; every commit is a compare-and-swap on the order's Version, and a
// Syncer that loses re-decides on the fresh order with the answer it holds.
package syncer
