package channeltest_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  channeltest.Config
		ok   bool
	}{
		{"zero", channeltest.Config{}, true},
		{"full", channeltest.Config{Name: "x", Latency: time.Millisecond, LatencyJitter: time.Millisecond,
			Rate: 10, Burst: 5, ErrorRate: 0.3, TimeoutRate: 0.7, Seed: -4}, true},
		{"negative latency", channeltest.Config{Latency: -1}, false},
		{"negative jitter", channeltest.Config{LatencyJitter: -1}, false},
		{"negative rate", channeltest.Config{Rate: -1}, false},
		{"NaN rate", channeltest.Config{Rate: math.NaN()}, false},
		{"infinite rate", channeltest.Config{Rate: math.Inf(1)}, false},
		{"negative burst", channeltest.Config{Rate: 1, Burst: -1}, false},
		{"error rate above 1", channeltest.Config{ErrorRate: 1.5}, false},
		{"negative error rate", channeltest.Config{ErrorRate: -0.1}, false},
		{"NaN error rate", channeltest.Config{ErrorRate: math.NaN()}, false},
		{"timeout rate above 1", channeltest.Config{TimeoutRate: 2}, false},
		{"NaN timeout rate", channeltest.Config{TimeoutRate: math.NaN()}, false},
		{"rates sum above 1", channeltest.Config{ErrorRate: 0.6, TimeoutRate: 0.5}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, paysync.ErrInvalidRequest)
		})
	}
}

func TestNewDefaultsName(t *testing.T) {
	assert.Equal(t, "test", channeltest.New(channeltest.Config{}).Name())
	assert.Equal(t, "wx", channeltest.New(channeltest.Config{Name: "wx"}).Name())
}

// A bad Config must not panic, and must not pass unnoticed either.
func TestNewInvalidConfigFailsEveryCall(t *testing.T) {
	c := channeltest.New(channeltest.Config{ErrorRate: 3})
	ctx := context.Background()

	_, err := c.QueryPay(ctx, order("P1"))
	assert.ErrorIs(t, err, paysync.ErrInvalidRequest)
	assert.ErrorIs(t, c.ClosePay(ctx, order("P1")), paysync.ErrInvalidRequest)
	_, err = c.QueryAllocation(ctx, paysync.AllocationOrder{AllocationNo: "A1"})
	assert.ErrorIs(t, err, paysync.ErrInvalidRequest)

	require.Equal(t, channeltest.Stats{PayQueries: 1, Closes: 1, AllocationQueries: 1}, c.Stats())
}
