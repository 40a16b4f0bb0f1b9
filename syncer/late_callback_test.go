package syncer

import (
	"errors"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lateCase is one order a late callback could deny, and how to reach it.
type lateCase struct {
	name string
	tt   paysync.TradeType
	no   string
	code paysync.AnomalyCode // the denial the late callback would raise
	// seed stores the order in env and scripts the channel: with
	// agrees, the channel's answer now agrees with the order; otherwise it
	// agrees with the late callback.
	seed func(e *env, agrees bool)
	// apply applies a callback to the order: late, one sent before the
	// order became what it is; otherwise one that says what it is.
	apply   func(e *env, late bool) (status string, recordState string, err error)
	queries func(e *env) int
	fail    func(e *env)
}

func lateCases() []lateCase {
	var (
		pay      paysync.PayOrder
		refund   paysync.RefundOrder
		transfer paysync.TransferOrder
	)
	payApply := func(e *env, late bool) (string, string, error) {
		rep := channeltest.Paid(pay)
		if late {
			rep = channeltest.Report(pay, channel.PayClosed)
		}
		out, err := e.s.ApplyPayNotification(e.ctx, pay.OrderNo, rep, "")
		return string(out.OrderStatus), string(out.ChannelState), err
	}
	payTruth := func(e *env, agrees bool) {
		if agrees {
			e.ch.SetPay(pay.OrderNo, channeltest.Paid(pay))
		} else {
			e.ch.SetPay(pay.OrderNo, channeltest.Report(pay, channel.PayClosed))
		}
	}
	return []lateCase{
		{
			name: "paid order", tt: paysync.TradePay, no: "P1", code: paysync.AnomalyPaidNotPaidAtChannel,
			seed: func(e *env, agrees bool) {
				pay = e.paid("P1")
				payTruth(e, agrees)
			},
			apply:   payApply,
			queries: func(e *env) int { return e.ch.PayQueries("P1") },
			fail:    func(e *env) { e.ch.FailNext("P1", 1, errors.New("502")) },
		},
		{
			name: "paid order with a refund", tt: paysync.TradePay, no: "P1", code: paysync.AnomalyRefundStatusConflict,
			seed: func(e *env, agrees bool) {
				e.paid("P1")
				e.seedRefund("R1", "P1", paysync.RefundSuccess, "4.00", e.clock.Now().Add(-time.Minute))
				pay = e.order("P1")
				require.Equal(e.t, paysync.PayRefundPartial, pay.RefundStatus)
				payTruth(e, agrees)
			},
			apply:   payApply,
			queries: func(e *env) int { return e.ch.PayQueries("P1") },
			fail:    func(e *env) { e.ch.FailNext("P1", 1, errors.New("502")) },
		},
		{
			name: "refund", tt: paysync.TradeRefund, no: "R1", code: paysync.AnomalyRefundNotAtChannel,
			seed: func(e *env, agrees bool) {
				e.paid("P1")
				refund = e.seedRefund("R1", "P1", paysync.RefundSuccess, "4.00", e.clock.Now().Add(-time.Minute))
				state := channel.RefundProgress
				if agrees {
					state = channel.RefundSuccess
				}
				e.ch.SetRefund("R1", channeltest.RefundAnswer(refund, state))
			},
			apply: func(e *env, late bool) (string, string, error) {
				rep := channeltest.RefundAnswer(refund, channel.RefundSuccess)
				if late {
					rep = channeltest.RefundAnswer(refund, channel.RefundProgress)
				}
				out, err := e.s.ApplyRefundNotification(e.ctx, "R1", rep, "")
				return string(out.Status), string(out.ChannelState), err
			},
			queries: func(e *env) int { return e.ch.RefundQueries("R1") },
			fail:    func(e *env) { e.ch.FailRefundNext("R1", 1, errors.New("502")) },
		},
		{
			name: "transfer", tt: paysync.TradeTransfer, no: "T1", code: paysync.AnomalyTransferNotAtChannel,
			seed: func(e *env, agrees bool) {
				transfer = e.newTransfer("T1", paysync.TransferSuccess, e.clock.Now().Add(-time.Minute))
				state := channel.TransferFailed
				if agrees {
					state = channel.TransferSuccess
				}
				e.ch.SetTransfer("T1", channeltest.TransferAnswer(transfer, state))
			},
			apply: func(e *env, late bool) (string, string, error) {
				rep := channeltest.TransferAnswer(transfer, channel.TransferSuccess)
				if late {
					rep = channeltest.TransferAnswer(transfer, channel.TransferFailed)
				}
				out, err := e.s.ApplyTransferNotification(e.ctx, "T1", rep, "")
				return string(out.Status), string(out.ChannelState), err
			},
			queries: func(e *env) int { return e.ch.TransferQueries("T1") },
			fail:    func(e *env) { e.ch.FailTransferNext("T1", 1, errors.New("502")) },
		},
	}
}

// TestLateCallbackDeniesNothing: channels send callbacks late and out of
// order. A callback that would deny what an order is — a paid order not paid,
// a refund or a payout in success not at the channel — is confirmed by one
// query first: when the channel now agrees with the order, nothing is
// raised, for no sweep would ever clear that alarm on a success. When the
// channel confirms the callback, or cannot answer, the denial is raised as
// the table says. A callback that denies nothing costs no query.
func TestLateCallbackDeniesNothing(t *testing.T) {
	for i := range lateCases() {
		t.Run(lateCases()[i].name, func(t *testing.T) {
			t.Run("the channel agrees with the order", func(t *testing.T) {
				e, lc := newEnv(t), lateCases()[i]
				lc.seed(e, true)
				before := lc.statusOf(e)
				status, state, err := lc.apply(e, true)
				require.NoError(t, err)
				assert.Equal(t, before, status, "nothing moves")
				assert.Equal(t, 1, lc.queries(e), "one query confirms")
				assert.Empty(t, openAnomalies(t, e.store, lc.tt, lc.no), "a late callback denies nothing")
				lc.checkRecord(t, e, state)
			})
			t.Run("the channel confirms the callback", func(t *testing.T) {
				e, lc := newEnv(t), lateCases()[i]
				lc.seed(e, false)
				before := lc.statusOf(e)
				status, state, err := lc.apply(e, true)
				require.NoError(t, err)
				assert.Equal(t, before, status, "success is never left")
				assert.Equal(t, 1, lc.queries(e))
				assert.Equal(t, []paysync.AnomalyCode{lc.code}, openAnomalies(t, e.store, lc.tt, lc.no))
				lc.checkRecord(t, e, state)
			})
			t.Run("the channel cannot answer", func(t *testing.T) {
				e, lc := newEnv(t), lateCases()[i]
				lc.seed(e, true)
				lc.fail(e)
				status, state, err := lc.apply(e, true)
				require.NoError(t, err, "the callback's report is in hand")
				assert.Equal(t, lc.statusOf(e), status)
				assert.Equal(t, 1, lc.queries(e))
				assert.Equal(t, []paysync.AnomalyCode{lc.code}, openAnomalies(t, e.store, lc.tt, lc.no),
					"unconfirmed, the callback stands: a person looks")
				lc.checkRecord(t, e, state)
			})
			t.Run("a callback that denies nothing is not confirmed", func(t *testing.T) {
				e, lc := newEnv(t), lateCases()[i]
				lc.seed(e, false)
				_, _, err := lc.apply(e, false)
				require.NoError(t, err)
				assert.Zero(t, lc.queries(e))
				assert.Empty(t, openAnomalies(t, e.store, lc.tt, lc.no))
			})
		})
	}
}

func (lc lateCase) statusOf(e *env) string {
	switch lc.tt {
	case paysync.TradePay:
		return string(e.order(lc.no).Status)
	case paysync.TradeRefund:
		return string(e.getRefund(lc.no).Status)
	}
	return string(e.getTransfer(lc.no).Status)
}

// checkRecord: the call wrote one SyncRecord, from the callback, holding
// the answer that decided (state, as the outcome reports it).
func (lc lateCase) checkRecord(t *testing.T, e *env, state string) {
	syncs := e.syncs(lc.tt, lc.no)
	require.Len(t, syncs, 1)
	assert.Equal(t, paysync.SourceCallback, syncs[0].Source)
	assert.Equal(t, state, syncs[0].ChannelState)
	assert.False(t, syncs[0].Adjusted)
}

// TestUnknownAnswerIsRecorded: an answer in a state outside the tables is
// an unknown outcome for every kind — on a sync, and on the query that
// confirms a late callback (which then stands) — and the SyncRecord keeps
// the state and the raw answer the channel gave.
func TestUnknownAnswerIsRecorded(t *testing.T) {
	raw := []byte(`{"state":"WEIRD"}`)
	check := func(t *testing.T, e *env, tt paysync.TradeType, no string, err error) {
		require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
		syncs := e.syncs(tt, no)
		require.Len(t, syncs, 1)
		assert.Equal(t, "WEIRD", syncs[0].ChannelState)
		assert.Equal(t, raw, syncs[0].Raw)
		assert.Equal(t, string(paysync.CodeUnavailable), syncs[0].ErrorCode)
		assert.Empty(t, e.adjusts(tt, no))
	}
	t.Run("pay", func(t *testing.T) {
		e := newEnv(t)
		e.pay("P1", paysync.PayProgress)
		e.ch.SetPay("P1", channel.PayReport{State: "WEIRD", Raw: raw})
		_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
		check(t, e, paysync.TradePay, "P1", err)
		assert.Equal(t, paysync.PayProgress, e.order("P1").Status)
	})
	t.Run("refund", func(t *testing.T) {
		e := newEnv(t)
		e.paid("P1")
		e.seedRefund("R1", "P1", paysync.RefundProgress, "4.00", e.clock.Now().Add(-time.Minute))
		pay := e.order("P1")
		e.ch.SetRefund("R1", channel.RefundReport{State: "WEIRD", Raw: raw})
		_, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
		check(t, e, paysync.TradeRefund, "R1", err)
		assert.Equal(t, paysync.RefundProgress, e.getRefund("R1").Status)
		assert.Equal(t, pay, e.order("P1"), "the pay order is not written")
	})
	t.Run("transfer", func(t *testing.T) {
		e := newEnv(t)
		e.newTransfer("T1", paysync.TransferProgress, e.clock.Now().Add(-time.Minute))
		e.ch.SetTransfer("T1", channel.TransferReport{State: "WEIRD", Raw: raw})
		_, err := e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: "T1"})
		check(t, e, paysync.TradeTransfer, "T1", err)
		assert.Equal(t, paysync.TransferProgress, e.getTransfer("T1").Status)
	})
	t.Run("confirming a late pay callback", func(t *testing.T) {
		e := newEnv(t)
		o := e.paid("P1")
		e.ch.SetPay("P1", channel.PayReport{State: "WEIRD", Raw: raw})
		out, err := e.s.ApplyPayNotification(e.ctx, "P1", channeltest.Report(o, channel.PayClosed), "")
		require.NoError(t, err)
		assert.Equal(t, channel.PayClosed, out.ChannelState, "the callback stands")
		assert.Equal(t, []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel}, out.Anomalies)
	})
	t.Run("confirming a late transfer callback", func(t *testing.T) {
		e := newEnv(t)
		tr := e.newTransfer("T1", paysync.TransferSuccess, e.clock.Now().Add(-time.Minute))
		e.ch.SetTransfer("T1", channel.TransferReport{State: "WEIRD", Raw: raw})
		out, err := e.s.ApplyTransferNotification(e.ctx, "T1", channeltest.TransferAnswer(tr, channel.TransferFailed), "")
		require.NoError(t, err)
		assert.Equal(t, channel.TransferFailed, out.ChannelState, "the callback stands")
		assert.Equal(t, []paysync.AnomalyCode{paysync.AnomalyTransferNotAtChannel}, out.Anomalies)
	})
}
