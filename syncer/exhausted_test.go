package syncer

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExhaustedOnEveryPath: the sync that ends an order's timetable sends
// sync.exhausted once, and takes the order out of the schedule, whichever
// way it ends — the channel answered, or the channel was down at the last
// attempt (the realistic one) — for every kind of order. A sync after that
// sends no second one.
func TestExhaustedOnEveryPath(t *testing.T) {
	short := Timetable{Steps: []Step{{Until: 2 * time.Minute, Every: time.Minute}}}
	tune := func(c *Config) {
		c.Timetables = Timetables{Pay: short, Allocation: short, Refund: short, Transfer: short}
	}
	type sync func(e *env) (exhausted bool, err error)
	kinds := []struct {
		tt       paysync.TradeType
		create   func(e *env, created time.Time)
		fail     func(e *env)
		sync     sync
		schedule func(e *env) paysync.Schedule
	}{
		{paysync.TradePay,
			func(e *env, created time.Time) {
				e.pay("O1", paysync.PayProgress, func(o *paysync.PayOrder) { o.CreatedAt, o.ExpiredAt = created, time.Time{} })
			},
			func(e *env) { e.ch.FailNext("O1", 1, nil) },
			func(e *env) (bool, error) {
				r, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
				return r.Exhausted, err
			},
			func(e *env) paysync.Schedule { return e.order("O1").Schedule }},
		{paysync.TradeAllocation,
			func(e *env, created time.Time) {
				o := paysync.AllocationOrder{AllocationNo: "O1", BizAllocationNo: "b1", OrderNo: "P1", Channel: "test",
					Amount: dec("1"), Status: paysync.AllocProcessing, Receivers: []paysync.AllocationReceiver{
						recv("r1", "a", "1", pending)}, CreatedAt: created, UpdatedAt: created}
				require.NoError(e.t, e.store.CreateAllocationOrder(e.ctx, o))
				e.ch.SetAllocation("O1", channeltest.Allocated(o, "pending"))
			},
			func(e *env) { e.ch.FailAllocationNext("O1", 1, nil) },
			func(e *env) (bool, error) {
				r, err := e.s.SyncAllocation(e.ctx, AllocationRequest{AllocationNo: "O1"})
				return r.Exhausted, err
			},
			func(e *env) paysync.Schedule { return e.allocOrder("O1").Schedule }},
		{paysync.TradeRefund,
			func(e *env, created time.Time) {
				e.paid("P1")
				e.seedRefund("O1", "P1", paysync.RefundProgress, "1.00", created)
			},
			func(e *env) { e.ch.FailRefundNext("O1", 1, nil) },
			func(e *env) (bool, error) {
				r, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "O1"})
				return r.Exhausted, err
			},
			func(e *env) paysync.Schedule {
				r, err := e.store.GetRefundOrder(e.ctx, "O1")
				require.NoError(e.t, err)
				return r.Schedule
			}},
		{paysync.TradeTransfer,
			func(e *env, created time.Time) {
				require.NoError(e.t, e.store.CreateTransferOrder(e.ctx, paysync.TransferOrder{TransferNo: "O1", BizTransferNo: "b1",
					Channel: "test", Amount: decimal.RequireFromString("1"), PayeeType: "openid", PayeeAccount: "o",
					Status: paysync.TransferProgress, CreatedAt: created, UpdatedAt: created}))
			},
			func(e *env) { e.ch.FailTransferNext("O1", 1, nil) },
			func(e *env) (bool, error) {
				r, err := e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "O1"})
				return r.Exhausted, err
			},
			func(e *env) paysync.Schedule {
				r, err := e.store.GetTransferOrder(e.ctx, "O1")
				require.NoError(e.t, err)
				return r.Schedule
			}},
	}
	for _, k := range kinds {
		for _, down := range []bool{false, true} {
			name := string(k.tt) + "/answered"
			if down {
				name = string(k.tt) + "/channel down"
			}
			t.Run(name, func(t *testing.T) {
				e := newEnv(t, tune)
				// Two minutes old: the timetable has nothing after now.
				k.create(e, e.clock.Now().Add(-2*time.Minute))
				if down {
					k.fail(e)
				}
				exhausted, err := k.sync(e)
				if down {
					require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
				} else {
					require.NoError(t, err)
				}
				assert.True(t, exhausted, "the outcome says the schedule ended")
				sc := k.schedule(e)
				assert.True(t, sc.Exhausted)
				assert.True(t, sc.NextSyncAt.IsZero(), "out of the schedule")
				assert.Equal(t, []paysync.EventType{paysync.EventSyncExhausted}, eventTypes(e.events(k.tt, "O1")))

				e.clock.Add(time.Hour)
				exhausted, _ = k.sync(e)
				assert.False(t, exhausted)
				assert.Equal(t, []paysync.EventType{paysync.EventSyncExhausted}, eventTypes(e.events(k.tt, "O1")),
					"sync.exhausted once")
			})
		}
	}
}
