package channeltest_test

import (
	"context"
	"testing"
	"time"

	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQueryPayUnscriptedIsWaitingForThePayer(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	o := order("P1")
	o.OutOrderNo = "T1"

	_, ok := c.Truth("P1")
	require.False(t, ok, "no truth before the channel has seen the order")

	r, err := c.QueryPay(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, channel.PayProgress, r.State)
	assert.Equal(t, "P1", r.OrderNo)
	assert.Equal(t, "T1", r.OutOrderNo)
	assert.True(t, r.Amount.Equal(o.Amount))
	assert.Equal(t, "CNY", r.Currency)
	assert.JSONEq(t, `{"order_no":"P1","out_order_no":"T1","state":"progress","amount":"12.34","currency":"CNY"}`, string(r.Raw))

	// The channel keeps what it recorded, even if the local order changes.
	o.Amount = decimal.RequireFromString("99")
	r2, err := c.QueryPay(context.Background(), o)
	require.NoError(t, err)
	assert.True(t, r2.Amount.Equal(decimal.RequireFromString("12.34")))

	truth, ok := c.Truth("P1")
	require.True(t, ok)
	assert.Equal(t, r2, truth)
	assert.Equal(t, 2, c.PayQueries("P1"))
	assert.Equal(t, 0, c.PayQueries("other"))
}

func TestSetPayRaw(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	o := order("P1")

	c.SetPay("P1", channeltest.Paid(o))
	r, err := c.QueryPay(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, channel.PaySuccess, r.State)
	assert.Equal(t, "out-P1", r.OutOrderNo)
	assert.JSONEq(t, `{"order_no":"P1","out_order_no":"out-P1","state":"success","amount":"12.34","currency":"CNY"}`, string(r.Raw))

	// A scripted Raw is copied: changing the caller's bytes afterwards
	// does not change the answer.
	raw := []byte(`{"trade_state":"CLOSED"}`)
	c.SetPay("P1", channel.PayReport{State: channel.PayClosed, Raw: raw})
	raw[2] = 'X'
	r, err = c.QueryPay(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, `{"trade_state":"CLOSED"}`, string(r.Raw))
	assert.Empty(t, r.OrderNo, "a scripted report is answered as scripted")
}

func TestSetPayAfter(t *testing.T) {
	paid := channel.PayReport{State: channel.PaySuccess}
	tests := []struct {
		name string
		k    int
		want []channel.PayState // answers to successive queries
	}{
		{"k=0 changes the next answer", 0, []channel.PayState{"success", "success"}},
		{"k<0 counts as 0", -3, []channel.PayState{"success"}},
		{"k=1", 1, []channel.PayState{"progress", "success", "success"}},
		{"k=3", 3, []channel.PayState{"progress", "progress", "progress", "success"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := channeltest.New(channeltest.Config{})
			c.SetPayAfter("P1", tt.k, paid)
			var got []channel.PayState
			for range tt.want {
				r, err := c.QueryPay(context.Background(), order("P1"))
				require.NoError(t, err)
				got = append(got, r.State)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSetPayAfterCountsFromTheCallAndOnlyAnswers(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	ctx := context.Background()
	o := order("P1")
	c.SetPay("P1", channeltest.Report(o, channel.PayProgress))
	for range 5 { // answers before SetPayAfter do not count towards k
		_, err := c.QueryPay(ctx, o)
		require.NoError(t, err)
	}
	c.SetPayAfter("P1", 2, channeltest.Paid(o))
	c.FailNext("P1", 3, nil) // failed calls do not count either

	var got []string
	for range 6 {
		r, err := c.QueryPay(ctx, o)
		if err != nil {
			got = append(got, "error")
			continue
		}
		got = append(got, string(r.State))
	}
	assert.Equal(t, []string{"error", "error", "error", "progress", "progress", "success"}, got)
	assert.Equal(t, 11, c.PayQueries("P1"))
}

func TestSetPayAt(t *testing.T) {
	clk := newClock()
	c := channeltest.New(channeltest.Config{Clock: clk})
	ctx := context.Background()
	o := order("P1")
	start := clk.Now()
	c.SetPay("P1", channeltest.Report(o, channel.PayProgress))
	c.SetPayAt("P1", start.Add(time.Minute), channeltest.Paid(o))
	c.SetPayAt("P1", start.Add(time.Hour), channeltest.Report(o, channel.PayRefunded))

	steps := []struct {
		advance time.Duration
		want    channel.PayState
	}{
		{0, channel.PayProgress},
		{59 * time.Second, channel.PayProgress},
		{time.Second, channel.PaySuccess}, // due exactly at the time
		{30 * time.Minute, channel.PaySuccess},
		{2 * time.Hour, channel.PayRefunded},
	}
	for _, s := range steps {
		clk.Add(s.advance)
		truth, ok := c.Truth("P1")
		require.True(t, ok)
		assert.Equal(t, s.want, truth.State, "truth at %v", clk.Now().Sub(start))
		r, err := c.QueryPay(ctx, o)
		require.NoError(t, err)
		assert.Equal(t, s.want, r.State, "answer at %v", clk.Now().Sub(start))
	}
}

// Steps due together apply in the order they were scripted: the last wins.
func TestScheduledTruthsDueTogetherLastScriptedWins(t *testing.T) {
	clk := newClock()
	c := channeltest.New(channeltest.Config{Clock: clk})
	c.SetPayAt("P1", clk.Now(), channel.PayReport{State: channel.PayClosed})
	c.SetPayAfter("P1", 0, channel.PayReport{State: channel.PayFailed})
	r, err := c.QueryPay(context.Background(), order("P1"))
	require.NoError(t, err)
	assert.Equal(t, channel.PayFailed, r.State)
}

func TestSetPayDropsScheduledTruths(t *testing.T) {
	c := channeltest.New(channeltest.Config{})
	o := order("P1")
	c.SetPayAfter("P1", 1, channeltest.Paid(o))
	c.SetPay("P1", channeltest.Report(o, channel.PayClosed))
	for range 3 {
		r, err := c.QueryPay(context.Background(), o)
		require.NoError(t, err)
		assert.Equal(t, channel.PayClosed, r.State)
	}
}

func TestReportHelpers(t *testing.T) {
	o := order("P1")
	o.Currency = "USD"
	o.OutOrderNo = "T9"
	r := channeltest.Report(o, channel.PayFailed)
	assert.Equal(t, channel.PayFailed, r.State)
	assert.Equal(t, "USD", r.Currency)
	assert.Equal(t, "T9", r.OutOrderNo)
	assert.Nil(t, r.Raw)

	p := channeltest.Paid(o)
	assert.Equal(t, channel.PaySuccess, p.State)
	assert.Equal(t, "T9", p.OutOrderNo, "Paid keeps the order's trade number")
	assert.True(t, p.PaidAt.IsZero())
}

// TestReportNumbersPayments: a trade that took money has a channel number
// even when the order does not know it yet; one that took none has none.
func TestReportNumbersPayments(t *testing.T) {
	o := order("P1")
	for _, st := range channel.PayStates() {
		r := channeltest.Report(o, st)
		want := ""
		if st == channel.PaySuccess || st == channel.PayRefunded {
			want = "out-P1"
		}
		assert.Equal(t, want, r.OutOrderNo, st)
	}
	assert.Equal(t, channeltest.Report(o, channel.PaySuccess), channeltest.Paid(o))
}
