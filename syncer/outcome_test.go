package syncer

import (
	"testing"

	"github.com/paysync/paysync"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOutcomeStatusOnErrors holds the one rule every outcome follows: on an
// error the outcome carries the order's status as last read, and is empty
// only when no order was read.
func TestOutcomeStatusOnErrors(t *testing.T) {
	e := newEnv(t)
	e.pay("P1", paysync.PayProgress)
	e.pay("P2", paysync.PayProgress, func(o *paysync.PayOrder) { o.Channel = "nowhere" })
	e.pay("P3", paysync.PayWait, func(o *paysync.PayOrder) { o.Channel = "" })
	e.ch.FailNext("P1", 1, nil)
	cases := []struct {
		name string
		req  PayRequest
		want paysync.PayStatus
		err  *paysync.Error
	}{
		{"invalid request", PayRequest{}, "", paysync.ErrInvalidRequest},
		{"unknown order", PayRequest{OrderNo: "nope"}, "", paysync.ErrOrderNotFound},
		{"not started", PayRequest{OrderNo: "P3"}, paysync.PayWait, paysync.ErrOrderNotStarted},
		{"unknown channel", PayRequest{OrderNo: "P2"}, paysync.PayProgress, paysync.ErrUnknownChannel},
		{"channel down", PayRequest{OrderNo: "P1"}, paysync.PayProgress, paysync.ErrChannelUnavailable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := e.s.SyncPay(e.ctx, c.req)
			require.ErrorIs(t, err, c.err)
			assert.Equal(t, c.want, out.OrderStatus)
		})
	}
}
