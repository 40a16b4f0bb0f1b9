package syncer

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// alloc creates an allocation order on channel "test" with receivers rs.
func (e *env) alloc(no string, st paysync.AllocationStatus, rs ...paysync.AllocationReceiver) paysync.AllocationOrder {
	now := e.clock.Now()
	o := paysync.AllocationOrder{AllocationNo: no, BizAllocationNo: "biz-" + no, OrderNo: "O-" + no, Channel: "test",
		Amount: dec("3"), Status: st, Result: paysync.AllocAllPending, Receivers: rs,
		CreatedAt: now.Add(-10 * time.Minute), UpdatedAt: now.Add(-10 * time.Minute)}
	o.Schedule.NextSyncAt = now
	require.NoError(e.t, e.store.CreateAllocationOrder(e.ctx, o))
	got, err := e.store.GetAllocationOrder(e.ctx, no)
	require.NoError(e.t, err)
	return got
}

func (e *env) allocOrder(no string) paysync.AllocationOrder {
	o, err := e.store.GetAllocationOrder(e.ctx, no)
	require.NoError(e.t, err)
	return o
}

func TestSyncAllocationEnds(t *testing.T) {
	e := newEnv(t)
	o := e.alloc("A1", paysync.AllocProcessing, recv("r1", "a", "1", pending), recv("r2", "b", "2", pending))
	rep := channel.AllocationReport{Receivers: []channel.ReceiverReport{entry("a", "1", csucc), entry("b", "2", cfail)}}
	rep.Receivers[0].OutDetailID = "D1"
	e.ch.SetAllocation("A1", rep)

	res, err := e.s.SyncAllocation(e.ctx, AllocationRequest{BizAllocationNo: o.BizAllocationNo, ClientIP: "::1"})
	require.NoError(t, err)
	assert.Equal(t, paysync.AllocEnd, res.Status)
	assert.Equal(t, paysync.AllocPartSuccess, res.Result)
	assert.True(t, res.Adjusted)
	assert.Equal(t, []ReceiverOutcome{{"r1", rsucc, true}, {"r2", rfail, true}}, res.Receivers)

	got := e.allocOrder("A1")
	assert.Equal(t, "D1", got.Receivers[0].OutDetailID, "learned detail id stored")
	assert.False(t, got.FinishedAt.IsZero())
	assert.False(t, got.Receivers[0].FinishedAt.IsZero())
	adj := e.adjusts(paysync.TradeAllocation, "A1")
	require.Len(t, adj, 3, "one per receiver that became final, one for the status")
	assert.Equal(t, paysync.WayAllocReceiver, adj[0].Way)
	assert.Equal(t, "r1", adj[0].ReceiverNo)
	assert.Equal(t, "r2", adj[1].ReceiverNo)
	assert.Equal(t, paysync.WayAllocStatus, adj[2].Way)
	assert.Equal(t, "allocation_end", adj[2].After)
	assert.Equal(t, []paysync.EventType{paysync.EventAllocReceiver, paysync.EventAllocReceiver, paysync.EventAllocationEnd},
		eventTypes(e.events(paysync.TradeAllocation, "A1")))

	// A second sync of the ended order adds no event.
	res, err = e.s.SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "A1"})
	require.NoError(t, err)
	assert.False(t, res.Adjusted)
	assert.Len(t, e.events(paysync.TradeAllocation, "A1"), 3)
	assert.Len(t, e.syncs(paysync.TradeAllocation, "A1"), 2)
}

func TestSyncAllocationPendingAndAnomalies(t *testing.T) {
	e := newEnv(t)
	e.alloc("A1", paysync.AllocProcessing, recv("r1", "a", "1", pending), recv("r2", "b", "2", pending), recv("r3", "c", "1", pending))
	e.ch.SetAllocation("A1", channel.AllocationReport{Receivers: []channel.ReceiverReport{
		entry("a", "1", csucc), entry("b", "2.5", csucc), entry("z", "1", csucc)}})
	for range 2 {
		res, err := e.s.SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "A1"})
		require.NoError(t, err)
		assert.Equal(t, paysync.AllocProcessing, res.Status, "no end while a receiver is pending")
		assert.Equal(t, paysync.AllocAllPending, res.Result)
		assert.ElementsMatch(t, []paysync.AnomalyCode{paysync.AnomalyReceiverAmountMismatch,
			paysync.AnomalyReceiverMissing, paysync.AnomalyReceiverUnmatched}, res.Anomalies)
	}
	got := e.allocOrder("A1")
	assert.Equal(t, []paysync.ReceiverResult{rsucc, pending, pending},
		[]paysync.ReceiverResult{got.Receivers[0].Result, got.Receivers[1].Result, got.Receivers[2].Result})
	var anomalies int
	for _, ev := range e.events(paysync.TradeAllocation, "A1") {
		if ev.Type == paysync.EventAllocationAnomaly {
			anomalies++
		}
	}
	assert.Equal(t, 3, anomalies, "each code announced once over two syncs")
}

func TestSyncAllocationNoChange(t *testing.T) {
	t.Run("ignore order", func(t *testing.T) {
		e := newEnv(t)
		e.alloc("A1", paysync.AllocIgnore, recv("r1", "a", "1", pending))
		res, err := e.s.SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "A1"})
		require.NoError(t, err)
		assert.Equal(t, paysync.AllocIgnore, res.Status)
		assert.Zero(t, e.ch.Stats().AllocationQueries)
		assert.Empty(t, e.syncs(paysync.TradeAllocation, "A1"))
	})
	t.Run("all receivers ignored", func(t *testing.T) {
		e := newEnv(t)
		o := e.alloc("A1", paysync.AllocProcessing, recv("r1", "a", "1", rign))
		res, err := e.s.SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "A1"})
		require.NoError(t, err)
		assert.Zero(t, e.ch.Stats().AllocationQueries)
		assert.Equal(t, o, e.allocOrder("A1"))
		assert.Zero(t, res.RecordID, "no record written")
		assert.Empty(t, e.syncs(paysync.TradeAllocation, "A1"))
	})
	// The channel does not know the allocation: a definitive answer that
	// changes nothing about the order or its receivers, raises nothing, is
	// recorded as not_found, and moves the order along its timetable.
	for _, st := range []paysync.AllocationStatus{paysync.AllocFailed, paysync.AllocProcessing} {
		t.Run("channel does not know it/"+string(st), func(t *testing.T) {
			e := newEnv(t)
			o := e.alloc("A1", st, recv("r1", "a", "1", pending), recv("r2", "b", "2", rsucc))
			e.ch.SetAllocationNotFound("A1")
			res, err := e.s.SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "A1"})
			require.NoError(t, err)
			assert.Equal(t, st, res.Status, "a failed start stays failed")
			assert.False(t, res.Adjusted)
			assert.Empty(t, res.Anomalies)
			got := e.allocOrder("A1")
			assert.Equal(t, o.Status, got.Status)
			assert.Equal(t, o.Result, got.Result)
			assert.Equal(t, o.Receivers, got.Receivers)
			assert.Equal(t, o.Schedule.Attempts+1, got.Schedule.Attempts, "a completed sync counts")
			assert.Empty(t, e.adjusts(paysync.TradeAllocation, "A1"))
			assert.Empty(t, e.events(paysync.TradeAllocation, "A1"))
			assert.Empty(t, openAnomalies(t, e.store, paysync.TradeAllocation, "A1"))
			syncs := e.syncs(paysync.TradeAllocation, "A1")
			require.Len(t, syncs, 1)
			assert.Equal(t, res.RecordID, syncs[0].ID)
			assert.Equal(t, "not_found", syncs[0].ChannelState)
			assert.Empty(t, syncs[0].ErrorCode, "an answer, not an error")
		})
	}
	t.Run("channel error", func(t *testing.T) {
		e := newEnv(t)
		o := e.alloc("A1", paysync.AllocProcessing, recv("r1", "a", "1", pending))
		e.ch.SetAllocation("A1", channeltest.Allocated(o, csucc))
		e.ch.FailAllocationNext("A1", 1, errors.New("timeout"))
		_, err := e.s.SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "A1"})
		require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
		require.ErrorIs(t, err, channeltest.ErrInjected)
		got := e.allocOrder("A1")
		assert.Equal(t, paysync.AllocProcessing, got.Status)
		assert.Equal(t, pending, got.Receivers[0].Result)
		recs := e.syncs(paysync.TradeAllocation, "A1")
		require.Len(t, recs, 1)
		assert.Equal(t, "unavailable", recs[0].ErrorCode)
	})
}

func TestSyncAllocationErrors(t *testing.T) {
	e := newEnv(t)
	e.alloc("A1", paysync.AllocProcessing, recv("r1", "a", "1", pending))
	tests := []struct {
		name string
		req  AllocationRequest
		want *paysync.Error
	}{
		{"no number", AllocationRequest{}, paysync.ErrInvalidRequest},
		{"missing", AllocationRequest{AllocationNo: "nope"}, paysync.ErrAllocationNotFound},
		{"missing biz", AllocationRequest{BizAllocationNo: "A1"}, paysync.ErrAllocationNotFound},
		{"bad source", AllocationRequest{AllocationNo: "A1", Source: "x"}, paysync.ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.s.SyncAllocation(e.ctx, tc.req)
			require.ErrorIs(t, err, tc.want)
		})
	}
	_, err := e.s.SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "nope"})
	assert.Equal(t, "分账单不存在", paysync.ErrorMessage(err))

	e.reg = channel.NewRegistry(queryOnly{e.ch})
	e.s = e.syncer()
	_, err = e.s.SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "A1"})
	require.ErrorIs(t, err, paysync.ErrUnsupported)
}

// TestConcurrentSyncAllocation: many syncs of one order on two hosts record
// each change once.
func TestConcurrentSyncAllocation(t *testing.T) {
	e := newEnv(t)
	hosts := []*Syncer{e.s, e.syncer()}
	o := e.alloc("A1", paysync.AllocProcessing, recv("r1", "a", "1", pending), recv("r2", "a", "1", pending))
	e.ch.SetAllocation("A1", channeltest.Allocated(o, cpend))
	e.ch.SetAllocationAfter("A1", 4, channeltest.Allocated(o, csucc))
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := hosts[i%2].SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "A1"})
				if errors.Is(err, paysync.ErrSyncInProgress) {
					continue
				}
				assert.NoError(t, err)
				return
			}
		}()
	}
	wg.Wait()
	got := e.allocOrder("A1")
	assert.Equal(t, paysync.AllocEnd, got.Status)
	assert.Equal(t, paysync.AllocAllSuccess, got.Result)
	assert.Len(t, e.adjusts(paysync.TradeAllocation, "A1"), 3)
	assert.Equal(t, []paysync.EventType{paysync.EventAllocReceiver, paysync.EventAllocReceiver, paysync.EventAllocationEnd},
		eventTypes(e.events(paysync.TradeAllocation, "A1")))
	assert.Len(t, e.syncs(paysync.TradeAllocation, "A1"), 12)
}
