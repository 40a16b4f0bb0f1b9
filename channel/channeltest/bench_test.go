package channeltest_test

import (
	"context"
	"testing"

	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
)

// BenchmarkQueryPay is the fake's share of the engine's SyncPayConsistent
// benchmark: a known order, no latency, no faults.
func BenchmarkQueryPay(b *testing.B) {
	c := channeltest.New(channeltest.Config{})
	o := order("P1")
	c.SetPay("P1", channeltest.Report(o, channel.PayProgress))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.QueryPay(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueryPayParallel shows the cost of the one mutex under contention.
func BenchmarkQueryPayParallel(b *testing.B) {
	c := channeltest.New(channeltest.Config{})
	o := order("P1")
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.QueryPay(ctx, o); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkQueryPayRateLimited adds the token bucket with a limit never hit.
func BenchmarkQueryPayRateLimited(b *testing.B) {
	c := channeltest.New(channeltest.Config{Rate: 1e12, Burst: 1 << 30})
	o := order("P1")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.QueryPay(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
}
