package syncer

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentSyncAndCallbacks: 16 goroutines on two Syncers (two hosts)
// mix SyncPay and ApplyPayNotification on one order whose payment lands
// midway. Every call completes; the change is recorded exactly once.
func TestConcurrentSyncAndCallbacks(t *testing.T) {
	for round := range 20 {
		e := newEnv(t)
		hosts := []*Syncer{e.s, e.syncer()}
		o := e.pay("O1", paysync.PayProgress)
		paid := channeltest.Paid(o)
		e.ch.SetPay("O1", channeltest.Report(o, channel.PayProgress))
		e.ch.SetPayAfter("O1", 3, paid)

		const workers = 16
		var completed, busy atomic.Int64
		var wg sync.WaitGroup
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := hosts[i%2]
				for {
					var err error
					if i%4 == 3 {
						_, err = s.ApplyPayNotification(e.ctx, "O1", paid, paysync.SourceCallback)
					} else {
						_, err = s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
					}
					if errors.Is(err, paysync.ErrSyncInProgress) {
						busy.Add(1)
						continue
					}
					if !assert.NoError(t, err) {
						return
					}
					completed.Add(1)
					return
				}
			}()
		}
		wg.Wait()
		require.EqualValues(t, workers, completed.Load(), "round %d", round)

		got := e.order("O1")
		assert.Equal(t, paysync.PaySuccess, got.Status)
		adj := e.adjusts(paysync.TradePay, "O1")
		require.Len(t, adj, 1, "round %d: one AdjustRecord per real change", round)
		assert.Equal(t, "progress", adj[0].Before)
		var status int
		for _, ev := range e.events(paysync.TradePay, "O1") {
			if ev.Type.IsStatus() {
				status++
				assert.Equal(t, paysync.EventPaySuccess, ev.Type)
			}
		}
		assert.Equal(t, 1, status, "round %d: one status event", round)
		syncs := e.syncs(paysync.TradePay, "O1")
		assert.Len(t, syncs, workers, "round %d: one SyncRecord per completed call", round)
		adjusted := 0
		for _, r := range syncs {
			if r.Adjusted {
				adjusted++
				assert.Equal(t, adj[0].AdjustNo, r.AdjustNo)
			}
		}
		assert.Equal(t, 1, adjusted)
	}
}

// conflictCounter counts the commits that lost a version race.
type conflictCounter struct {
	repository.Store
	conflicts atomic.Int64
}

func (c *conflictCounter) CommitPayOrder(ctx context.Context, o paysync.PayOrder, e repository.Entries) error {
	err := c.Store.CommitPayOrder(ctx, o, e)
	if errors.Is(err, paysync.ErrVersionConflict) {
		c.conflicts.Add(1)
	}
	return err
}

// TestOneHostNeverLosesARace: within one Syncer the order lock serialises
// syncs, and a sync that waited for the lock reads the order again, so no
// commit is wasted on a version it could have known was gone.
func TestOneHostNeverLosesARace(t *testing.T) {
	e := newEnv(t)
	cc := &conflictCounter{Store: e.store}
	s := e.syncer(func(c *Config) { c.Store = cc; c.LockWait = time.Second })
	o := e.pay("O1", paysync.PayProgress)
	e.ch.SetPay("O1", channeltest.Report(o, channel.PayProgress))
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				_, err := s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, cc.conflicts.Load())
	assert.Len(t, e.syncs(paysync.TradePay, "O1"), 160)
	assert.Equal(t, o.Version+160, e.order("O1").Version, "every consistent sync moved the schedule")
}
