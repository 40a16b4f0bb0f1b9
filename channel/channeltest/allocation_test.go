package channeltest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func allocation(no string) paysync.AllocationOrder {
	return paysync.AllocationOrder{
		AllocationNo: no,
		OrderNo:      "P1",
		Amount:       decimal.RequireFromString("3"),
		Receivers: []paysync.AllocationReceiver{
			{ReceiverNo: "R1", ReceiverType: "merchant_no", Account: "m1", Amount: decimal.RequireFromString("1")},
			{ReceiverNo: "R2", ReceiverType: "openid", Account: "o2", Amount: decimal.RequireFromString("2"), OutDetailID: "D2"},
		},
	}
}

func TestQueryAllocationUnscriptedIsNotFound(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	_, err := c.QueryAllocation(context.Background(), allocation("A1"))
	require.ErrorIs(t, err, channel.ErrAllocationNotAtChannel)
	assert.False(t, errors.Is(err, channeltest.ErrInjected))
	_, ok := c.AllocationTruth("A1")
	assert.False(t, ok)
	assert.Equal(t, 1, c.AllocationQueries("A1"))
}

func TestSetAllocation(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	ctx := context.Background()
	a := allocation("A1")
	rep := channeltest.Allocated(a, channel.ReceiverSuccess)
	rep.Receivers[1] = channeltest.Allocated(a, channel.ReceiverFail).Receivers[1]
	c.SetAllocation("A1", rep)
	rep.Receivers[0].Account = "changed by the caller" // the channel kept a copy

	got, err := c.QueryAllocation(ctx, a)
	require.NoError(t, err)
	require.Len(t, got.Receivers, 2)
	assert.Equal(t, channel.ReceiverReport{ReceiverType: "merchant_no", Account: "m1",
		Amount: decimal.RequireFromString("1"), OutDetailID: "A1-0", State: channel.ReceiverSuccess}, got.Receivers[0])
	assert.Equal(t, "D2", got.Receivers[1].OutDetailID)
	assert.Equal(t, channel.ReceiverFail, got.Receivers[1].State)
	assert.NotEmpty(t, got.Receivers[1].ErrorCode)
	assert.JSONEq(t, `{"allocation_no":"A1","receivers":[
		{"type":"merchant_no","account":"m1","amount":"1","detail_id":"A1-0","state":"success"},
		{"type":"openid","account":"o2","amount":"2","detail_id":"D2","state":"fail"}]}`, string(got.Raw))

	// Each answer has receivers of its own.
	got.Receivers[0].State = channel.ReceiverPending
	truth, ok := c.AllocationTruth("A1")
	require.True(t, ok)
	assert.Equal(t, channel.ReceiverSuccess, truth.Receivers[0].State)

	c.SetAllocationNotFound("A1")
	_, err = c.QueryAllocation(ctx, a)
	assert.ErrorIs(t, err, channel.ErrAllocationNotAtChannel)
	_, ok = c.AllocationTruth("A1")
	assert.False(t, ok)
	assert.Equal(t, int64(2), c.Stats().AllocationQueries)
}

func TestSetAllocationAfterAndAt(t *testing.T) {
	clk := newClock()
	c := channeltest.New(channeltest.Config{Clock: clk})
	ctx := context.Background()
	a := allocation("A1")
	c.SetAllocationAfter("A1", 1, channeltest.Allocated(a, channel.ReceiverPending))
	c.SetAllocationAt("A1", clk.Now().Add(time.Minute), channeltest.Allocated(a, channel.ReceiverSuccess))

	_, err := c.QueryAllocation(ctx, a)
	assert.ErrorIs(t, err, channel.ErrAllocationNotAtChannel, "first answer: not yet known")
	got, err := c.QueryAllocation(ctx, a)
	require.NoError(t, err)
	assert.Equal(t, channel.ReceiverPending, got.Receivers[0].State)

	clk.Add(time.Minute)
	got, err = c.QueryAllocation(ctx, a)
	require.NoError(t, err)
	assert.Equal(t, channel.ReceiverSuccess, got.Receivers[0].State)
}

func TestFailAllocationNext(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	a := allocation("A1")
	c.SetAllocation("A1", channeltest.Allocated(a, channel.ReceiverSuccess))
	boom := errors.New("boom")
	c.FailAllocationNext("A1", 1, boom)
	c.TimeoutAllocationNext("A1", 1)

	_, err := c.QueryAllocation(context.Background(), a)
	assert.ErrorIs(t, err, boom)
	assert.ErrorIs(t, err, channeltest.ErrInjected)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.QueryAllocation(ctx, a)
	assert.ErrorIs(t, err, context.Canceled, "a done ctx is refused before the fault queue")

	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	_, err = c.QueryAllocation(ctx, a)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	_, err = c.QueryAllocation(context.Background(), a)
	assert.NoError(t, err)
	assert.Equal(t, channeltest.Stats{AllocationQueries: 4, Injected: 1, Timeouts: 1}, c.Stats())
}
