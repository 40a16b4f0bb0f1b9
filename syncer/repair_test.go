package syncer

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/statemachine"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repairKind builds an order of one kind in a status, for the repair tests.
type repairKind struct {
	tt       paysync.TradeType
	statuses []string
	table    func() []statemachine.Transition // the manual table
	create   func(e *env, no, status string)
	status   func(e *env, no string) (string, int64)
	events   func(from, to string) (paysync.EventType, bool)
}

func repairKinds() []repairKind {
	return []repairKind{
		{tt: paysync.TradePay, statuses: strs(paysync.PayStatuses()), table: statemachine.PayManualTransitions,
			create: func(e *env, no, st string) { e.pay(no, paysync.PayStatus(st)) },
			status: func(e *env, no string) (string, int64) { o := e.order(no); return string(o.Status), o.Version },
			events: func(from, to string) (paysync.EventType, bool) {
				return wantPayEvent(paysync.PayStatus(from), paysync.PayStatus(to)), true
			}},
		{tt: paysync.TradeAllocation, statuses: strs(paysync.AllocationStatuses()), table: statemachine.AllocationTransitions,
			create: func(e *env, no, st string) {
				e.alloc(no, paysync.AllocationStatus(st), paysync.AllocationReceiver{ReceiverNo: no + "-1", ReceiverType: "openid",
					Account: "o1", Amount: decimal.RequireFromString("10"), Result: paysync.ReceiverPending})
			},
			status: func(e *env, no string) (string, int64) { o := e.allocOrder(no); return string(o.Status), o.Version },
			events: func(_, to string) (paysync.EventType, bool) {
				switch to {
				case string(paysync.AllocEnd):
					return paysync.EventAllocationEnd, true
				case string(paysync.AllocProcessing):
					return paysync.EventAllocationProcess, true
				}
				return "", false
			}},
		{tt: paysync.TradeRefund, statuses: strs(paysync.RefundOrderStatuses()), table: statemachine.RefundManualTransitions,
			create: func(e *env, no, st string) {
				e.refundIn(no, paysync.RefundOrderStatus(st), func(r *paysync.RefundOrder) { r.Watched = st == pClose })
			},
			status: func(e *env, no string) (string, int64) {
				r, err := e.store.GetRefundOrder(e.ctx, no)
				require.NoError(e.t, err)
				return string(r.Status), r.Version
			},
			events: func(from, to string) (paysync.EventType, bool) {
				if from == "close" && to == "success" {
					return paysync.EventRefundSuccessAfterClose, true
				}
				return map[string]paysync.EventType{"success": paysync.EventRefundSuccess, "close": paysync.EventRefundClosed,
					"fail": paysync.EventRefundFailed, "progress": paysync.EventRefundProgress}[to], true
			}},
		{tt: paysync.TradeTransfer, statuses: strs(paysync.TransferStatuses()), table: statemachine.TransferManualTransitions,
			create: func(e *env, no, st string) { e.transferIn(no, paysync.TransferStatus(st)) },
			status: func(e *env, no string) (string, int64) {
				r, err := e.store.GetTransferOrder(e.ctx, no)
				require.NoError(e.t, err)
				return string(r.Status), r.Version
			},
			events: func(from, to string) (paysync.EventType, bool) {
				if from == "close" && to == "success" {
					return paysync.EventTransferSuccessAfterClose, true
				}
				return map[string]paysync.EventType{"success": paysync.EventTransferSuccess, "close": paysync.EventTransferClosed,
					"fail": paysync.EventTransferFailed, "progress": paysync.EventTransferProgress}[to], true
			}},
	}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// refundIn stores a refund of 4.00 in status st of a paid order P-<no>, with
// the pay order's refund fields as the move table leaves them (seedRefund).
func (e *env) refundIn(no string, st paysync.RefundOrderStatus, tune ...func(*paysync.RefundOrder)) paysync.RefundOrder {
	e.pay("P-"+no, paysync.PaySuccess)
	return e.seedRefund(no, "P-"+no, st, "4.00", e.clock.Now().Add(-time30m), tune...)
}

// transferIn stores a transfer of 5.00 in status st.
func (e *env) transferIn(no string, st paysync.TransferStatus) paysync.TransferOrder {
	t := paysync.TransferOrder{TransferNo: no, BizTransferNo: "biz-" + no, Channel: "test",
		Amount: decimal.RequireFromString("5.00"), Currency: "CNY", PayeeType: "openid", PayeeAccount: "o-1",
		Status: st, CreatedAt: e.clock.Now().Add(-time30m), UpdatedAt: e.clock.Now().Add(-time30m)}
	require.NoError(e.t, e.store.CreateTransferOrder(e.ctx, t))
	got, err := e.store.GetTransferOrder(e.ctx, no)
	require.NoError(e.t, err)
	return got
}

// TestRepairEveryManualMove tries every (status, target) pair of every kind
// through Repair: the moves of the kind's manual table are made, with one
// AdjustRecord (source and way manual, the operator and reason), the status
// event the kind has for it, and Version+1; every other pair is refused with
// ErrInvalidTransition (or ErrInvalidRequest for a move to the same status)
// and writes nothing.
func TestRepairEveryManualMove(t *testing.T) {
	for _, k := range repairKinds() {
		allowed := map[[2]string]bool{}
		for _, tr := range k.table() {
			for _, from := range tr.From {
				allowed[[2]string{from, tr.To}] = true
			}
		}
		for _, from := range k.statuses {
			for _, to := range k.statuses {
				t.Run(fmt.Sprintf("%s/%s→%s", k.tt, from, to), func(t *testing.T) {
					e := newEnv(t)
					no := "R1"
					k.create(e, no, from)
					_, version := k.status(e, no)
					var payBefore paysync.PayOrder // a refund's pay order
					if k.tt == paysync.TradeRefund {
						payBefore = e.order("P-" + no)
					}
					if k.tt == paysync.TradePay && from != "success" && to == "close" {
						e.ch.SetClose(no, channeltest.CloseOK)
					}
					req := RepairRequest{Kind: k.tt, TradeNo: no, To: to, Operator: "ops-li", Reason: "checked the bank statement",
						ExpectVersion: version}
					p, err := e.s.Repair(e.ctx, req)
					st, v := k.status(e, no)
					if !allowed[[2]string{from, to}] {
						if from == to {
							require.ErrorIs(t, err, paysync.ErrInvalidRequest)
						} else {
							require.ErrorIs(t, err, paysync.ErrInvalidTransition)
						}
						assert.Equal(t, from, st)
						assert.Equal(t, version, v, "a refused repair writes nothing")
						assert.Empty(t, e.adjusts(k.tt, no))
						if k.tt == paysync.TradeRefund {
							assert.Equal(t, payBefore, e.order("P-"+no), "a refused repair writes no pay order")
						}
						return
					}
					require.NoError(t, err)
					assert.True(t, p.Applied)
					assert.Equal(t, to, st)
					assert.Equal(t, version+1, v)
					adjs := e.adjusts(k.tt, no)
					require.Len(t, adjs, 1)
					a := adjs[0]
					assert.Equal(t, paysync.SourceManual, a.Source)
					assert.Equal(t, paysync.WayManual, a.Way)
					assert.Equal(t, "ops-li", a.Operator)
					assert.Equal(t, "checked the bank statement", a.Reason)
					assert.Equal(t, from, a.Before)
					assert.Equal(t, to, a.After)
					want, has := k.events(from, to)
					evs := e.events(k.tt, no)
					if has {
						require.Len(t, evs, 1)
						assert.Equal(t, want, evs[0].Type)
						var pl struct{ Operator, RepairReason string }
						require.NoError(t, json.Unmarshal(evs[0].Payload, &pl))
						assert.Equal(t, "ops-li", pl.Operator)
						assert.Equal(t, "checked the bank statement", pl.RepairReason)
					} else {
						assert.Empty(t, evs)
					}
					assert.Empty(t, e.syncs(k.tt, no), "a repair is no sync: it writes no SyncRecord")
					checkRepairWrites(t, e, k.tt, no, from, to, payBefore)
				})
			}
		}
	}
}

// checkRepairWrites checks what a person's move from → to wrote on order
// no of kind tt (docs/repair.md#manual-moves), the repair's time being the
// clock's: a pay order moved to close takes it as ClosedAt, one moved to
// success as PaidAt (it had none); a refund or transfer moved to success,
// close or fail takes it as FinishedAt, one moved to progress loses its
// FinishedAt, and a refund's watch ends; an allocation order moved to
// allocation_end takes it as FinishedAt. A refund's move changes its pay
// order (payBefore) as the move table says, in the same commit.
func checkRepairWrites(t *testing.T, e *env, tt paysync.TradeType, no, from, to string, payBefore paysync.PayOrder) {
	t.Helper()
	now := e.clock.Now()
	var finishedAt time.Time
	switch tt {
	case paysync.TradePay:
		o := e.order(no)
		switch paysync.PayStatus(to) {
		case paysync.PayClose:
			assert.True(t, now.Equal(o.ClosedAt), "ClosedAt %v, want the repair's time", o.ClosedAt)
		case paysync.PaySuccess:
			assert.True(t, now.Equal(o.PaidAt), "PaidAt %v, want the repair's time", o.PaidAt)
		}
		return
	case paysync.TradeAllocation:
		if o := e.allocOrder(no); to == string(paysync.AllocEnd) {
			assert.True(t, now.Equal(o.FinishedAt), "FinishedAt %v, want the repair's time", o.FinishedAt)
		}
		return
	case paysync.TradeTransfer:
		finishedAt = e.getTransfer(no).FinishedAt
	case paysync.TradeRefund:
		r := e.getRefund(no)
		finishedAt = r.FinishedAt
		assert.False(t, r.Watched, "a move ends the watch")
		pay := e.order(r.OrderNo)
		dR, dV := refundMoney(from, to, r.Amount)
		assert.True(t, payBefore.RefundedAmount.Add(dR).Equal(pay.RefundedAmount), "RefundedAmount %s, want %s",
			pay.RefundedAmount, payBefore.RefundedAmount.Add(dR))
		assert.True(t, payBefore.ReservedAmount.Add(dV).Equal(pay.ReservedAmount), "ReservedAmount %s, want %s",
			pay.ReservedAmount, payBefore.ReservedAmount.Add(dV))
		assert.Equal(t, ruleRefundStatus(pay.Amount, pay.RefundedAmount, pay.ReservedAmount), pay.RefundStatus)
		if dR.IsZero() && dV.IsZero() {
			assert.Equal(t, payBefore, pay, "the pay order is untouched when its refund fields do not change")
		} else {
			assert.Equal(t, payBefore.Version+1, pay.Version, "the pay order in the same commit, once")
		}
		assert.Empty(t, e.events(paysync.TradePay, r.OrderNo), "no pay event")
	}
	if to == pProgress {
		assert.True(t, finishedAt.IsZero(), "→ progress clears FinishedAt")
	} else {
		assert.True(t, now.Equal(finishedAt), "FinishedAt %v, want the repair's time", finishedAt)
	}
}

// TestRepairRefusals: docs/repair.md#refusals, each writing nothing at
// all, for a real repair and — all but the version check — for a preview
// too: a DryRun makes every check a real repair makes but the version and
// the close at the channel (TestRepairClosesAtTheChannelFirst).
func TestRepairRefusals(t *testing.T) {
	e := newEnv(t)
	paid := e.pay("P1", paysync.PaySuccess)
	e.pay("P2", paysync.PaySuccess)
	require.NoError(t, e.store.CreateAllocationOrder(e.ctx, paysync.AllocationOrder{AllocationNo: "A3", BizAllocationNo: "bA3",
		OrderNo: "P2", Channel: "test", Amount: decimal.RequireFromString("1"), Status: paysync.AllocEnd,
		Result: paysync.AllocAllSuccess, CreatedAt: t0, UpdatedAt: t0}))
	r9 := e.refundIn("R9", paysync.RefundClose)
	lost := e.pay("P3", paysync.PayProgress, func(o *paysync.PayOrder) { o.Channel = "nowhere" })
	ok := RepairRequest{Kind: paysync.TradePay, TradeNo: "P1", To: "close", Operator: "ops", Reason: "no money",
		ExpectVersion: paid.Version}
	cases := []struct {
		name   string
		edit   func(*RepairRequest)
		want   *paysync.Error
		dryRun bool // a preview is refused too
	}{
		{"unknown kind", func(r *RepairRequest) { r.Kind = "payout" }, paysync.ErrInvalidRequest, true},
		{"no number", func(r *RepairRequest) { r.TradeNo = "" }, paysync.ErrInvalidRequest, true},
		{"no operator", func(r *RepairRequest) { r.Operator = "" }, paysync.ErrInvalidRequest, true},
		{"no reason", func(r *RepairRequest) { r.Reason = "" }, paysync.ErrInvalidRequest, true},
		{"nothing to do", func(r *RepairRequest) { r.To = "" }, paysync.ErrInvalidRequest, true},
		{"unknown order", func(r *RepairRequest) { r.TradeNo = "nope" }, paysync.ErrOrderNotFound, true},
		{"unknown allocation", func(r *RepairRequest) { r.Kind, r.TradeNo = paysync.TradeAllocation, "nope" },
			paysync.ErrAllocationNotFound, true},
		{"unknown refund", func(r *RepairRequest) { r.Kind, r.TradeNo = paysync.TradeRefund, "nope" }, paysync.ErrRefundNotFound, true},
		{"unknown transfer", func(r *RepairRequest) { r.Kind, r.TradeNo = paysync.TradeTransfer, "nope" },
			paysync.ErrTransferNotFound, true},
		{"stale version", func(r *RepairRequest) { r.ExpectVersion = paid.Version - 1 }, paysync.ErrVersionConflict, false},
		{"an anomaly that is not open", func(r *RepairRequest) {
			r.To, r.Resolve = "", []paysync.AnomalyCode{paysync.AnomalyAmountMismatch}
		}, paysync.ErrInvalidRequest, true},
		{"an anomaly that is not open, with a move", func(r *RepairRequest) {
			r.Resolve = []paysync.AnomalyCode{paysync.AnomalyAmountMismatch}
		}, paysync.ErrInvalidRequest, true},
		{"to its own status", func(r *RepairRequest) { r.To = "success" }, paysync.ErrInvalidRequest, true},
		{"to a status of another kind", func(r *RepairRequest) { r.To = "allocation_end" }, paysync.ErrInvalidTransition, true},
		{"move the table lacks", func(r *RepairRequest) { r.To = "wait" }, paysync.ErrInvalidTransition, true},
		{"a paid order with a refund", func(r *RepairRequest) {
			r.TradeNo, r.ExpectVersion = r9.OrderNo, e.order(r9.OrderNo).Version
		}, paysync.ErrInvalidTransition, true},
		{"a paid order with an allocation", func(r *RepairRequest) { r.TradeNo, r.ExpectVersion = "P2", e.order("P2").Version },
			paysync.ErrInvalidTransition, true},
		{"closing an order whose channel is not registered", func(r *RepairRequest) {
			r.TradeNo, r.ExpectVersion = "P3", lost.Version
		}, paysync.ErrUnknownChannel, true},
	}
	snapshot := func() []any {
		var out []any
		for _, no := range []string{"P1", "P2", "P3", r9.OrderNo} {
			out = append(out, e.order(no))
		}
		return append(out, e.getRefund("R9"), e.allocOrder("A3"), e.syncs("", ""), e.adjusts("", ""), e.events("", ""),
			e.ch.Stats().Closes)
	}
	for _, c := range cases {
		for _, dry := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/dry run=%v", c.name, dry), func(t *testing.T) {
				req := ok
				c.edit(&req)
				req.DryRun = dry
				before := snapshot()
				_, err := e.s.Repair(e.ctx, req)
				if dry && !c.dryRun {
					require.NoError(t, err, "a preview does not check the version")
				} else {
					require.ErrorIs(t, err, c.want)
				}
				assert.Equal(t, before, snapshot(), "a refusal or a preview wrote something")
			})
		}
	}
}

// TestRepairDryRunWritesNothing: a preview shows the move, the records and
// events it would write and the channel's answer, and writes nothing — not
// even a SyncRecord — and a real repair with the previewed version then
// writes exactly that.
func TestRepairDryRunWritesNothing(t *testing.T) {
	e := newEnv(t)
	o := e.pay("P1", paysync.PaySuccess)
	e.ch.SetPay("P1", channeltest.Report(o, channel.PayClosed))
	res, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
	require.NoError(t, err)
	require.Equal(t, []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel}, res.Anomalies)
	o = e.order("P1")
	before := struct {
		syncs, adjusts, events int
	}{len(e.syncs(paysync.TradePay, "P1")), len(e.adjusts(paysync.TradePay, "P1")), len(e.events(paysync.TradePay, "P1"))}

	req := RepairRequest{Kind: paysync.TradePay, TradeNo: "P1", To: "close",
		Resolve:  []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel},
		Operator: "ops-li", Reason: "refund confirmed by the bank", DryRun: true}
	p, err := e.s.Repair(e.ctx, req)
	require.NoError(t, err)
	assert.False(t, p.Applied)
	assert.Equal(t, o.Version, p.Version)
	assert.Equal(t, "success", p.Before)
	assert.Equal(t, "close", p.After)
	require.NotNil(t, p.Adjust)
	assert.Equal(t, paysync.WayManual, p.Adjust.Way)
	assert.Equal(t, []paysync.EventType{paysync.EventPayClosed, paysync.EventAnomalyResolved}, eventTypes(p.Events))
	assert.Equal(t, ChannelView{Asked: true, State: "closed", Raw: p.Channel.Raw}, p.Channel)
	assert.Equal(t, o, e.order("P1"), "a preview changes nothing")
	assert.Len(t, e.syncs(paysync.TradePay, "P1"), before.syncs, "a preview writes no SyncRecord")
	assert.Len(t, e.adjusts(paysync.TradePay, "P1"), before.adjusts)
	assert.Len(t, e.events(paysync.TradePay, "P1"), before.events)
	assert.Equal(t, []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel}, openAnomalies(t, e.store, paysync.TradePay, "P1"))

	req.DryRun, req.ExpectVersion = false, p.Version
	done, err := e.s.Repair(e.ctx, req)
	require.NoError(t, err)
	assert.True(t, done.Applied)
	assert.Equal(t, paysync.PayClose, e.order("P1").Status)
	assert.Empty(t, openAnomalies(t, e.store, paysync.TradePay, "P1"), "resolved")
	as, err := e.store.OrderAnomalies(e.ctx, paysync.TradePay, "P1")
	require.NoError(t, err)
	require.Len(t, as, 1)
	assert.Equal(t, "ops-li", as[0].ResolvedBy)
	assert.Equal(t, "refund confirmed by the bank", as[0].Note)
	evs := e.events(paysync.TradePay, "P1")
	assert.Equal(t, paysync.EventAnomalyResolved, evs[len(evs)-1].Type)

	// The same version again: the order moved on since.
	_, err = e.s.Repair(e.ctx, req)
	require.ErrorIs(t, err, paysync.ErrVersionConflict)
}

// TestRepairResolveOnly resolves without a move: no AdjustRecord, no change
// to the order's Version; the anomaly opens again (and is announced again)
// when a sync sees it afterwards.
func TestRepairResolveOnly(t *testing.T) {
	e := newEnv(t)
	o := e.pay("P1", paysync.PaySuccess)
	e.ch.SetPay("P1", channeltest.Report(o, channel.PayClosed))
	_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
	require.NoError(t, err)
	o = e.order("P1")
	_, err = e.s.Repair(e.ctx, RepairRequest{Kind: paysync.TradePay, TradeNo: "P1",
		Resolve: []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel}, Operator: "ops", Reason: "looked",
		ExpectVersion: o.Version})
	require.NoError(t, err)
	assert.Equal(t, o, e.order("P1"))
	assert.Empty(t, e.adjusts(paysync.TradePay, "P1"))
	assert.Empty(t, openAnomalies(t, e.store, paysync.TradePay, "P1"))

	_, err = e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
	require.NoError(t, err)
	assert.Equal(t, []paysync.EventType{paysync.EventPayAnomaly, paysync.EventAnomalyResolved, paysync.EventPayAnomaly},
		eventTypes(e.events(paysync.TradePay, "P1")), "seen again after a resolution: opened and announced again")
}

// TestRepairClosesAtTheChannelFirst: a person's close of an unpaid order
// closes the trade at the channel before the order; a channel that says the
// trade is paid refuses the repair, one that cannot close refuses it too
// (and its preview), and an unknown outcome changes nothing. A preview
// closes nothing.
func TestRepairClosesAtTheChannelFirst(t *testing.T) {
	cases := []struct {
		name    string
		outcome channeltest.CloseOutcome
		noClose bool
		want    *paysync.Error
	}{
		{"closed", channeltest.CloseOK, false, nil},
		{"not at the channel", channeltest.CloseNotExist, false, nil},
		{"already paid", channeltest.CloseAlreadyPaid, false, paysync.ErrInvalidTransition},
		{"unknown", channeltest.CloseError, false, paysync.ErrChannelUnavailable},
		{"cannot close", channeltest.CloseOK, true, paysync.ErrUnsupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			if c.noClose {
				e.reg = channel.NewRegistry(channeltest.Without(e.ch, channeltest.CanClosePay))
				e.s = e.syncer()
			}
			o := e.pay("P1", paysync.PayProgress)
			e.ch.SetClose("P1", c.outcome)
			req := RepairRequest{Kind: paysync.TradePay, TradeNo: "P1", To: "close", Operator: "ops",
				Reason: "the customer cancelled", DryRun: true}
			p, err := e.s.Repair(e.ctx, req)
			if c.noClose { // a preview is refused the same way
				require.ErrorIs(t, err, paysync.ErrUnsupported)
			} else { // the close is made only for a real repair
				require.NoError(t, err)
				assert.Contains(t, p.Warnings, "the trade will be closed at the channel first")
			}
			assert.Zero(t, e.ch.Stats().Closes, "a preview closes nothing")

			req.DryRun, req.ExpectVersion = false, o.Version
			_, err = e.s.Repair(e.ctx, req)
			if c.want != nil {
				require.ErrorIs(t, err, c.want)
				assert.Equal(t, o, e.order("P1"), "nothing written")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, paysync.PayClose, e.order("P1").Status)
			assert.Equal(t, int64(1), e.ch.Stats().Closes)
		})
	}
}

// TestRepairRefundMovesThePayOrder: a person's refund success → close takes
// the money back out of RefundedAmount, in one commit with the refund, and
// the preview shows the pay order's fields before and after.
func TestRepairRefundMovesThePayOrder(t *testing.T) {
	e := newEnv(t)
	r := e.refundIn("R1", paysync.RefundSuccess)
	pay := e.order(r.OrderNo)
	require.True(t, pay.RefundedAmount.Equal(decimal.RequireFromString("4")))
	e.ch.SetRefund("R1", channel.RefundReport{State: channel.RefundNotFound})
	req := RepairRequest{Kind: paysync.TradeRefund, TradeNo: "R1", To: "close", Operator: "ops",
		Reason: "the bank returned it", ExpectVersion: r.Version, DryRun: true}
	p, err := e.s.Repair(e.ctx, req)
	require.NoError(t, err)
	require.NotNil(t, p.Pay)
	assert.True(t, p.Pay.RefundedBefore.Equal(decimal.RequireFromString("4")))
	assert.True(t, p.Pay.RefundedAfter.IsZero())
	assert.Equal(t, paysync.PayRefundNone, p.Pay.StatusAfter)
	assert.True(t, p.Pay.BalanceBefore.Equal(pay.RefundableBalance()), "balance before: %s", p.Pay.BalanceBefore)
	assert.True(t, p.Pay.BalanceAfter.Equal(pay.Amount), "the whole amount is refundable again: %s", p.Pay.BalanceAfter)
	assert.Equal(t, "not_found", p.Channel.State)
	assert.Equal(t, 1, e.ch.RefundQueries("R1"), "the preview asks the channel")

	req.DryRun = false
	p, err = e.s.Repair(e.ctx, req)
	require.NoError(t, err)
	assert.Equal(t, 1, e.ch.RefundQueries("R1"), "the confirmation does not ask again")
	assert.False(t, p.Channel.Asked)
	got := e.order(r.OrderNo)
	assert.True(t, got.RefundedAmount.IsZero())
	assert.Equal(t, paysync.PayRefundNone, got.RefundStatus)
	assert.Equal(t, pay.Version+1, got.Version)
}

// TestRepairLosesToAnotherWriter: a repair whose order, or whose anomaly,
// another host changed between the repair's read and its commit is refused
// with ErrVersionConflict and not retried: what the person saw is gone
// (docs/repair.md#the-repair-commit). Nothing of the repair is written.
func TestRepairLosesToAnotherWriter(t *testing.T) {
	t.Run("the order moved", func(t *testing.T) {
		e := newEnv(t)
		o := e.pay("P1", paysync.PayFail)
		other := e.syncer()
		rs := &raceStore{Store: e.store, win: func() {
			_, err := other.ApplyPayNotification(e.ctx, "P1", channeltest.Paid(o), "")
			require.NoError(t, err)
		}}
		s := e.syncer(func(c *Config) { c.Store = rs })
		_, err := s.Repair(e.ctx, RepairRequest{Kind: paysync.TradePay, TradeNo: "P1", To: "close", Operator: "ops",
			Reason: "never paid", ExpectVersion: o.Version})
		require.ErrorIs(t, err, paysync.ErrVersionConflict)
		assert.Equal(t, paysync.PaySuccess, e.order("P1").Status, "the other writer's change stands")
		for _, a := range e.adjusts(paysync.TradePay, "P1") {
			assert.NotEqual(t, paysync.WayManual, a.Way, "the repair was written")
		}
	})
	t.Run("the anomaly was resolved", func(t *testing.T) {
		e := newEnv(t)
		o := e.pay("P1", paysync.PaySuccess)
		e.ch.SetPay("P1", channeltest.Report(o, channel.PayClosed))
		_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
		require.NoError(t, err)
		o = e.order("P1")
		other := e.syncer()
		rs := &raceStore{Store: e.store, win: func() {
			_, err := other.Repair(e.ctx, RepairRequest{Kind: paysync.TradePay, TradeNo: "P1", Operator: "ops-wang",
				Reason: "looked first", Resolve: []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel}, ExpectVersion: o.Version})
			require.NoError(t, err)
		}}
		s := e.syncer(func(c *Config) { c.Store = rs })
		_, err = s.Repair(e.ctx, RepairRequest{Kind: paysync.TradePay, TradeNo: "P1", Operator: "ops-li",
			Reason: "looked second", Resolve: []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel},
			ExpectVersion: o.Version})
		require.ErrorIs(t, err, paysync.ErrVersionConflict)
		a, ok := e.anomaly(paysync.TradePay, "P1", paysync.AnomalyPaidNotPaidAtChannel)
		require.True(t, ok)
		assert.Equal(t, "ops-wang", a.ResolvedBy, "the first resolution stands")
		assert.Len(t, eventTypes(e.events(paysync.TradePay, "P1")), 2, "pay.anomaly and one anomaly.resolved")
	})
}
