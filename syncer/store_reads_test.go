package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// payReads counts the pay orders a Syncer reads through its store.
type payReads struct {
	repository.Store
	n int
}

func (s *payReads) GetPayOrder(ctx context.Context, no string) (paysync.PayOrder, error) {
	s.n++
	return s.Store.GetPayOrder(ctx, no)
}

// TestFailedRefundSyncReadsNoPayOrder: a refund sync whose channel is down
// writes its record and moves the schedule without touching the pay order;
// only the failure that ends the schedule reads it, for the refund fields
// its sync.exhausted event carries.
func TestFailedRefundSyncReadsNoPayOrder(t *testing.T) {
	short := Timetable{Steps: []Step{{Until: 2 * time.Minute, Every: time.Minute}}}
	e := newEnv(t)
	reads := &payReads{Store: e.store}
	s := e.syncer(func(c *Config) {
		c.Store = reads
		c.Timetables.Refund = short
	})
	e.paid("P1")
	e.seedRefund("R1", "P1", paysync.RefundProgress, "4.00", e.clock.Now())

	e.ch.FailRefundNext("R1", 1, errors.New("502"))
	out, err := s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
	require.False(t, out.Exhausted)
	assert.Zero(t, reads.n, "a failure inside the schedule reads no pay order")

	e.clock.Add(2 * time.Minute) // the table has nothing after now
	e.ch.FailRefundNext("R1", 1, errors.New("502"))
	out, err = s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
	require.True(t, out.Exhausted)
	assert.Equal(t, 1, reads.n)
	evs := e.events(paysync.TradeRefund, "R1")
	require.Len(t, evs, 1)
	var pl paysync.RefundPayload
	require.NoError(t, json.Unmarshal(evs[0].Payload, &pl))
	assert.Equal(t, paysync.PayRefunding, pl.PayRefundStatus, "the pay order's refund fields")
	assert.Equal(t, "4.00", pl.ReservedAmount)
}
