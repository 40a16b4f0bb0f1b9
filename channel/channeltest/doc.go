// Package channeltest provides a scriptable fake payment channel for tests of
// the engine and of hosts: it implements channel.Channel and every optional
// capability (PayCloser, AllocationQuerier, RefundQuerier, TransferQuerier);
// Without hides some of them, as a gateway that cannot do them would.
//
// A test scripts the truth at the channel per order (SetPay, SetPayAfter,
// SetPayAt), the outcome of closing a trade (SetClose), the receivers of an
// allocation (SetAllocation), of a refund (SetRefund…) or a transfer
// (SetTransfer…), and faults: errors and timeouts for the next
// calls of one order (FailNext, TimeoutNext) or at random for every call
// (Config.ErrorRate, Config.TimeoutRate, with a seeded source so a run can be
// repeated), latency, and a token-bucket rate limit. Counters (Stats,
// PayQueries, Closes) let the test check what the engine asked.
//
// Every call honours its ctx: latency and injected timeouts end when ctx is
// done, with ctx.Err(). Time — SetPayAt truths, the rate limit, latency — is
// Config.Clock's: a *Clock lets a test decide every instant and every wait. A call whose ctx has no deadline and meets an
// injected timeout blocks until the ctx is cancelled, as a hung gateway would.
//
// QueryPay is cheap enough to sit in the engine's benchmarks: with no latency
// and no random faults it takes one mutex, allocates nothing once the order
// is known, and shares the report's Raw bytes between answers (callers must
// not modify them).
package channeltest
