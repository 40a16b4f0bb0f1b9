//go:build go1.25

package syncer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slowChannel gives e a fake channel whose every answer takes 5–15 ms on
// the test clock, so that calls of two Syncers overlap: both read an order,
// both wait for the channel, both try to commit.
func slowChannel(e *env, seed int64) {
	e.ch = channeltest.New(channeltest.Config{Clock: e.clock, Latency: 5 * time.Millisecond,
		LatencyJitter: 10 * time.Millisecond, Seed: seed})
	e.reg = channel.NewRegistry(e.ch)
	e.s = e.syncer()
}

// retryBusy calls f until it is not ErrSyncInProgress (another call of the
// same Syncer held the order's lock past LockWait).
func retryBusy(f func() error) error {
	for {
		if err := f(); !errors.Is(err, paysync.ErrSyncInProgress) {
			return err
		}
	}
}

// TestTwoSyncersChangeEachPayoutOnce: two Syncers over one store sync,
// sweep and apply callbacks for 16 refunds (on 4 pay orders) and 16
// transfers at once. Each order changes exactly once — one AdjustRecord,
// with its status event and adjusted SyncRecord (the trail check) — and
// each pay order's money is booked once.
func TestTwoSyncersChangeEachPayoutOnce(t *testing.T) {
	for seed := range int64(6) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { twoSyncersOnce(t, seed) })
		})
	}
}

func twoSyncersOnce(t *testing.T, seed int64) {
	e := newEnv(t)
	slowChannel(e, seed)
	hosts := []*Syncer{e.s, e.syncer()}
	refundStates := []channel.RefundState{channel.RefundSuccess, channel.RefundClosed, channel.RefundFailed,
		channel.RefundSuccess}
	transferStates := []channel.TransferState{channel.TransferSuccess, channel.TransferClosed,
		channel.TransferFailed, channel.TransferSuccess}
	var refunds, transfers []string
	rtruth := map[string]channel.RefundReport{}
	ttruth := map[string]channel.TransferReport{}
	for p := range 4 {
		pay := fmt.Sprintf("O%d", p)
		e.paid(pay)
		for i := range 4 {
			no := fmt.Sprintf("R%d-%d", p, i)
			r := e.createRefund(no, pay, "2.50")
			rtruth[no] = channeltest.RefundAnswer(r, refundStates[(p+i)%4])
			e.ch.SetRefund(no, rtruth[no])
			refunds = append(refunds, no)
		}
	}
	for i := range 16 {
		no := fmt.Sprintf("T%02d", i)
		tr := e.newTransfer(no, paysync.TransferProgress, e.clock.Now())
		ttruth[no] = channeltest.TransferAnswer(tr, transferStates[i%4])
		e.ch.SetTransfer(no, ttruth[no])
		transfers = append(transfers, no)
	}

	drive(e.clock, func() {
		var wg sync.WaitGroup
		for h, s := range hosts {
			for _, no := range refunds {
				wg.Go(func() {
					assert.NoError(t, retryBusy(func() error {
						_, err := s.SyncRefund(e.ctx, RefundRequest{RefundNo: no})
						return err
					}))
				})
				wg.Go(func() {
					assert.NoError(t, retryBusy(func() error {
						_, err := s.ApplyRefundNotification(e.ctx, no, rtruth[no], paysync.SourceCallback)
						return err
					}))
				})
			}
			for _, no := range transfers {
				wg.Go(func() {
					assert.NoError(t, retryBusy(func() error {
						_, err := s.SyncTransfer(e.ctx, TransferRequest{TransferNo: no})
						return err
					}))
				})
				wg.Go(func() {
					assert.NoError(t, retryBusy(func() error {
						_, err := s.ApplyTransferNotification(e.ctx, no, ttruth[no], paysync.SourceCallback)
						return err
					}))
				})
			}
			wg.Go(func() {
				_, err := s.Sweep(e.ctx, SweepOptions{})
				assert.NoError(t, err, "host %d sweep", h)
			})
		}
		wg.Wait()
	})

	wantRefund := map[channel.RefundState]paysync.RefundOrderStatus{channel.RefundSuccess: paysync.RefundSuccess,
		channel.RefundClosed: paysync.RefundClose, channel.RefundFailed: paysync.RefundFail}
	for _, no := range refunds {
		want := wantRefund[rtruth[no].State]
		r := e.getRefund(no)
		assert.Equal(t, want, r.Status, no)
		trail := loadTrail(t, e.store, paysync.TradeRefund, no)
		checkRefundTrail(t, e.store, r, trail)
		assert.Len(t, trail.adjusts, 1, "%s: changed once", no)
	}
	wantTransfer := map[channel.TransferState]paysync.TransferStatus{channel.TransferSuccess: paysync.TransferSuccess,
		channel.TransferClosed: paysync.TransferClose, channel.TransferFailed: paysync.TransferFail}
	for _, no := range transfers {
		want := wantTransfer[ttruth[no].State]
		o := e.getTransfer(no)
		assert.Equal(t, want, o.Status, no)
		trail := loadTrail(t, e.store, paysync.TradeTransfer, no)
		checkTransferTrail(t, e.store, paysync.TransferProgress, o, trail)
		assert.Len(t, trail.adjusts, 1, "%s: changed once", no)
	}
	for p := range 4 {
		pay := fmt.Sprintf("O%d", p)
		var r, v decimal.Decimal
		for i := range 4 {
			switch rtruth[fmt.Sprintf("R%d-%d", p, i)].State {
			case channel.RefundSuccess:
				r = r.Add(dec("2.50"))
			case channel.RefundFailed:
				v = v.Add(dec("2.50"))
			}
		}
		checkMoney(t, e, pay, payMoney{r.String(), v.String(), ruleRefundStatus(dec("10"), r, v)}, pay)
		assert.Empty(t, e.events(paysync.TradePay, pay), "%s: no pay event", pay)
	}
}

// TestCloseRacingCallbackMovesOnce: a refund old enough for not_found to
// close it is synced by one host (the channel does not know it yet) while
// another applies the channel's success callback. Whichever commits first,
// the money moves once: RefundedAmount = a, ReservedAmount = 0.
func TestCloseRacingCallbackMovesOnce(t *testing.T) {
	orders := map[int]int{} // how many runs saw 1 move (callback first) and 2 (close first)
	defer func() {
		assert.Positive(t, orders[1], "no run had the callback first")
		assert.Positive(t, orders[2], "no run had the close first")
	}()
	for seed := range int64(12) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t)
				slowChannel(e, seed)
				other := e.syncer()
				e.paid("O1")
				r := e.createRefund("R1", "O1", "4.00")
				e.clock.Add(11 * time.Minute)
				e.ch.SetRefund("R1", channel.RefundReport{State: channel.RefundNotFound, RefundNo: "R1"})
				success := channeltest.RefundAnswer(r, channel.RefundSuccess)
				drive(e.clock, func() {
					var wg sync.WaitGroup
					wg.Go(func() {
						_, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
						assert.NoError(t, err)
					})
					wg.Go(func() {
						// 0–22 ms against the channel's 5–15 ms: either
						// commits first, by seed.
						if seed > 0 {
							ch, _ := e.clock.After(time.Duration(2*seed) * time.Millisecond)
							<-ch
						}
						_, err := other.ApplyRefundNotification(context.Background(), "R1", success, "")
						assert.NoError(t, err)
					})
					wg.Wait()
				})
				got := e.getRefund("R1")
				assert.Equal(t, paysync.RefundSuccess, got.Status, "the channel's success stands")
				checkMoney(t, e, "O1", payMoney{"4.00", "0", paysync.PayRefundPartial}, "moved once")
				assert.Empty(t, e.events(paysync.TradePay, "O1"), "no over_refunded")
				adj := e.adjusts(paysync.TradeRefund, "R1")
				require.NotEmpty(t, adj)
				t.Logf("moves: %d, refund anomalies: %v", len(adj), openAnomalies(t, e.store, paysync.TradeRefund, "R1"))
				orders[len(adj)]++
				assert.Equal(t, pSuccess, adj[len(adj)-1].After)
				if len(adj) == 2 { // closed first, then found
					assert.Equal(t, pClose, adj[0].After)
					assert.Equal(t, paysync.EventRefundSuccessAfterClose,
						lastStatusEvent(e, paysync.TradeRefund, "R1"))
				}
			})
		})
	}
}

func lastStatusEvent(e *env, tt paysync.TradeType, no string) paysync.EventType {
	var last paysync.EventType
	for _, ev := range e.events(tt, no) {
		if ev.Type.IsStatus() {
			last = ev.Type
		}
	}
	return last
}
