package channeltest_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runtimeYield() { runtime.Gosched() }

// TestWithout tries every set of capabilities to take away: exactly those
// fail their type assertion, the rest pass, and calls reach the channel.
func TestWithout(t *testing.T) {
	all := []channeltest.Capability{channeltest.CanClosePay, channeltest.CanQueryAllocation,
		channeltest.CanQueryRefund, channeltest.CanQueryTransfer}
	for mask := range 1 << len(all) {
		var drop []channeltest.Capability
		lacks := map[channeltest.Capability]bool{}
		for i, cp := range all {
			if mask&(1<<i) != 0 {
				drop = append(drop, cp)
				lacks[cp] = true
			}
		}
		t.Run(fmt.Sprint(mask), func(t *testing.T) {
			c := channeltest.New(channeltest.Config{Name: "gw"})
			v := channeltest.Without(c, drop...)
			assert.Equal(t, "gw", v.Name())
			_, err := v.QueryPay(context.Background(), order("P1"))
			require.NoError(t, err)
			_, ok := v.(channel.PayCloser)
			assert.Equal(t, !lacks[channeltest.CanClosePay], ok, "PayCloser")
			_, ok = v.(channel.AllocationQuerier)
			assert.Equal(t, !lacks[channeltest.CanQueryAllocation], ok, "AllocationQuerier")
			_, ok = v.(channel.RefundQuerier)
			assert.Equal(t, !lacks[channeltest.CanQueryRefund], ok, "RefundQuerier")
			_, ok = v.(channel.TransferQuerier)
			assert.Equal(t, !lacks[channeltest.CanQueryTransfer], ok, "TransferQuerier")
			if r, ok := v.(channel.RefundQuerier); ok {
				_, err := r.QueryRefund(context.Background(), refund("R1"))
				require.NoError(t, err)
				assert.Equal(t, 1, c.RefundQueries("R1"), "the call reached the channel")
			}
			assert.Equal(t, int64(1), c.Stats().PayQueries)
		})
	}
}
