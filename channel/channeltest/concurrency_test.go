package channeltest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Run with -race: scripting, calls and counters from many goroutines at once.
func TestConcurrentUse(t *testing.T) {
	c := channeltest.New(channeltest.Config{ErrorRate: 0.2, LatencyJitter: 1000, Seed: 3})
	const workers, calls = 8, 200
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]int, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := order(fmt.Sprintf("P%d", w%2)) // two orders shared by all workers
			for i := range calls {
				switch i % 4 {
				case 0:
					c.SetPay(o.OrderNo, channeltest.Report(o, channel.PayProgress))
				case 1:
					c.FailNext(o.OrderNo, 1, nil)
				case 2:
					_ = c.ClosePay(ctx, o)
					_, _ = c.Truth(o.OrderNo)
				case 3:
					c.SetAllocation("A1", channeltest.Allocated(paysync.AllocationOrder{AllocationNo: "A1"}, channel.ReceiverPending))
					_, _ = c.QueryAllocation(ctx, paysync.AllocationOrder{AllocationNo: "A1"})
				}
				if _, err := c.QueryPay(ctx, o); err != nil {
					errs[w]++
				}
				_ = c.Stats()
			}
		}()
	}
	wg.Wait()

	s := c.Stats()
	require.Equal(t, int64(workers*calls), s.PayQueries)
	assert.Equal(t, int64(workers*calls/4), s.Closes)
	assert.Equal(t, int64(workers*calls/4), s.AllocationQueries)
	assert.Equal(t, workers*calls, c.PayQueries("P0")+c.PayQueries("P1"))
	assert.Equal(t, workers*calls/4, c.Closes("P0")+c.Closes("P1"))
	failed := 0
	for _, n := range errs {
		failed += n
	}
	assert.LessOrEqual(t, int64(failed), s.Injected, "every failed query was injected")
}
