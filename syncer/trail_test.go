package syncer

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/statemachine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The audit trail an order leaves in the store, and what the docs say it
// must hold, for the tests that check trails after random runs: one check
// per rule, shared by every kind of order that follows it.

// orderTrail is what the store holds about one order, in the order written.
type orderTrail struct {
	syncs   []paysync.SyncRecord
	adjusts []paysync.AdjustRecord
	events  []paysync.Event
}

// trailStore is the part of a store the trail checks read.
type trailStore interface {
	repository.Records
	repository.Outbox
	repository.Anomalies
}

// loadTrail reads the trail of order no of kind tt.
func loadTrail(t testing.TB, st trailStore, tt paysync.TradeType, no string) orderTrail {
	ctx := context.Background()
	syncs, err := st.ListSyncRecords(ctx, repository.RecordFilter{TradeType: tt, TradeNo: no})
	require.NoError(t, err)
	adjusts, err := st.ListAdjustRecords(ctx, repository.RecordFilter{TradeType: tt, TradeNo: no})
	require.NoError(t, err)
	events, err := st.ListEvents(ctx, repository.EventFilter{TradeType: tt, TradeNo: no})
	require.NoError(t, err)
	return orderTrail{syncs, adjusts, events}
}

// eventBody is what every payload type carries that the trail checks read.
type eventBody struct {
	Status  string
	Anomaly paysync.AnomalyCode
}

func bodyOf(t testing.TB, ev paysync.Event) eventBody {
	var b eventBody
	require.NoError(t, json.Unmarshal(ev.Payload, &b), "payload of %s", ev.Type)
	return b
}

// checkAnnounced: each anomaly code order no of kind tt announced (counted
// from its anomaly events) was announced once and is open, and every open
// one was announced — which holds while no person resolves any.
func checkAnnounced(t testing.TB, st trailStore, tt paysync.TradeType, no string, announced map[paysync.AnomalyCode]int) {
	for code, n := range announced {
		assert.Equal(t, 1, n, "%s: anomaly %s announced %d times", no, code, n)
		assert.True(t, hasAnomaly(t, st, tt, no, code), "%s: announced %s not kept open", no, code)
	}
	assert.Len(t, announced, len(openAnomalies(t, st, tt, no)), "%s: every open anomaly was announced", no)
}

// checkOneSyncPerChange: every AdjustRecord has exactly one adjusted
// SyncRecord naming it, and a SyncRecord that adjusted nothing names no
// change.
func checkOneSyncPerChange(t testing.TB, no string, tr orderTrail) {
	adjusted := map[string]bool{}
	for _, r := range tr.syncs {
		if r.Adjusted {
			assert.False(t, adjusted[r.AdjustNo], "%s: two SyncRecords for one change", no)
			adjusted[r.AdjustNo] = true
		} else {
			assert.Empty(t, r.AdjustNo, "%s: SyncRecord names a change it did not make", no)
		}
		for _, c := range r.Anomalies {
			assert.True(t, c.Valid(), "%s: unknown anomaly %q", no, c)
		}
	}
	assert.Len(t, adjusted, len(tr.adjusts), "%s: one adjusted SyncRecord per change", no)
	for _, a := range tr.adjusts {
		assert.True(t, adjusted[a.AdjustNo], "%s: change %s without its SyncRecord", no, a.AdjustNo)
	}
}

// checkPayTrail checks the whole audit trail of one pay order that started
// in status start and is now o: the AdjustRecords chain from start to o's
// status by moves the machine allows, each with exactly one status event of
// the right type and one adjusted SyncRecord; anomaly events at most once per
// code and exactly for the codes the order remembers; sync.exhausted at most
// once; no commit without a SyncRecord.
func checkPayTrail(t testing.TB, st trailStore, start paysync.PayStatus, o paysync.PayOrder, tr orderTrail) {
	no := o.OrderNo
	at := start
	for _, a := range tr.adjusts {
		assert.Equal(t, string(at), a.Before, "%s: adjust chain broken (lost or doubled update)", no)
		ev, _ := statemachine.PayEventTo(paysync.PayStatus(a.After))
		_, _, err := statemachine.Pay(context.Background(), paysync.PayStatus(a.Before), ev)
		assert.NoError(t, err, "%s: %s → %s is no move of the machine", no, a.Before, a.After)
		assert.NotEqual(t, string(paysync.PaySuccess), a.Before, "%s: left success", no)
		assert.True(t, slices.Contains(wantPayWay(a), a.Way), "%s: way %s for %s → %s", no, a.Way, a.Before, a.After)
		at = paysync.PayStatus(a.After)
	}
	assert.Equal(t, at, o.Status, "%s: status differs from its adjust chain", no)

	var status []paysync.Event
	codes := map[paysync.AnomalyCode]int{}
	exhausted := 0
	for _, ev := range tr.events {
		switch {
		case ev.Type.IsStatus():
			status = append(status, ev)
		case ev.Type == paysync.EventPayAnomaly:
			codes[bodyOf(t, ev).Anomaly]++
		case ev.Type == paysync.EventSyncExhausted:
			exhausted++
		default:
			t.Errorf("%s: unexpected event %s", no, ev.Type)
		}
	}
	if assert.Len(t, status, len(tr.adjusts), "%s: one status event per status change", no) {
		for i, a := range tr.adjusts {
			assert.Equal(t, wantPayEvent(paysync.PayStatus(a.Before), paysync.PayStatus(a.After)), status[i].Type,
				"%s: event for %s → %s", no, a.Before, a.After)
			assert.Equal(t, a.After, bodyOf(t, status[i]).Status, "%s: event payload status", no)
		}
	}
	checkAnnounced(t, st, paysync.TradePay, no, codes)
	assert.LessOrEqual(t, exhausted, 1, "%s: sync.exhausted more than once", no)
	assert.Equal(t, o.Schedule.Exhausted, exhausted == 1, "%s: exhausted flag and event disagree", no)
	checkOneSyncPerChange(t, no, tr)
	assert.LessOrEqual(t, o.Version-1, int64(len(tr.syncs)), "%s: more commits than SyncRecords", no)
}

// payoutMoves are the moves of the refund and transfer machine
// (docs/state-machines.md#refund-order), as a sync makes them.
var payoutMoves = map[[2]string]bool{
	{pProgress, pSuccess}: true, {pProgress, pClose}: true, {pProgress, pFail}: true,
	{pFail, pSuccess}: true, {pFail, pProgress}: true, {pFail, pClose}: true,
	{pClose, pSuccess}: true, {pClose, pProgress}: true,
}

// payoutAt is a refund or a transfer as its trail check reads it.
type payoutAt struct {
	tt                paysync.TradeType
	no, start, status string
	schedule          paysync.Schedule
	scheduled         bool // in a status the sweep syncs
	version           int64
}

// checkRefundTrail checks a refund's whole audit trail (checkPayoutTrail;
// a refund starts in progress) and that it is watched only while closed.
func checkRefundTrail(t testing.TB, st trailStore, r paysync.RefundOrder, tr orderTrail) {
	checkPayoutTrail(t, st, payoutAt{tt: paysync.TradeRefund, no: r.RefundNo, start: pProgress, status: string(r.Status),
		schedule: r.Schedule, scheduled: r.Scheduled(), version: r.Version}, tr)
	if r.Watched {
		assert.Equal(t, paysync.RefundClose, r.Status, "%s: watched but not close", r.RefundNo)
	}
}

// checkTransferTrail checks the whole audit trail of a transfer that
// started in start (checkPayoutTrail).
func checkTransferTrail(t testing.TB, st trailStore, start paysync.TransferStatus, o paysync.TransferOrder, tr orderTrail) {
	checkPayoutTrail(t, st, payoutAt{tt: paysync.TradeTransfer, no: o.TransferNo, start: string(start),
		status: string(o.Status), schedule: o.Schedule, scheduled: o.Scheduled(), version: o.Version}, tr)
}

// checkPayoutTrail checks the whole audit trail of a refund or a transfer:
// a refund's refund.created first and once; the AdjustRecords chaining from
// where the order started to its status by moves of the table, each with
// its way, one status event of the right type and one adjusted SyncRecord;
// anomaly events once per code, for the codes open; sync.exhausted at most
// once, exactly when Exhausted; in the schedule exactly while Scheduled; no
// commit without a SyncRecord.
func checkPayoutTrail(t testing.TB, st trailStore, o payoutAt, tr orderTrail) {
	no := o.no
	at := o.start
	for _, a := range tr.adjusts {
		assert.Equal(t, at, a.Before, "%s: adjust chain broken (lost or doubled update)", no)
		assert.True(t, payoutMoves[[2]string{a.Before, a.After}], "%s: %s → %s is no move of the table", no, a.Before,
			a.After)
		assert.Equal(t, payoutWay(o.tt, a.After), a.Way, "%s: way of %s → %s", no, a.Before, a.After)
		at = a.After
	}
	assert.Equal(t, at, o.status, "%s: status differs from its adjust chain", no)

	anomalyType := paysync.EventTransferAnomaly
	if o.tt == paysync.TradeRefund {
		anomalyType = paysync.EventRefundAnomaly
	}
	var status []paysync.Event
	codes := map[paysync.AnomalyCode]int{}
	created, exhausted := 0, 0
	for i, ev := range tr.events {
		switch {
		case ev.Type == paysync.EventRefundCreated && o.tt == paysync.TradeRefund:
			created++
			assert.Zero(t, i, "%s: refund.created first", no)
		case ev.Type.IsStatus():
			status = append(status, ev)
		case ev.Type == anomalyType:
			codes[bodyOf(t, ev).Anomaly]++
		case ev.Type == paysync.EventSyncExhausted:
			exhausted++
		default:
			t.Errorf("%s: unexpected event %s", no, ev.Type)
		}
	}
	if o.tt == paysync.TradeRefund {
		assert.Equal(t, 1, created, "%s: refund.created once", no)
	}
	if assert.Len(t, status, len(tr.adjusts), "%s: one status event per change", no) {
		for i, a := range tr.adjusts {
			assert.Equal(t, payoutEvent(o.tt, a.Before, a.After), status[i].Type, "%s: event for %s → %s", no, a.Before,
				a.After)
			assert.Equal(t, a.After, bodyOf(t, status[i]).Status, "%s: payload status", no)
		}
	}
	checkAnnounced(t, st, o.tt, no, codes)
	assert.LessOrEqual(t, exhausted, 1, "%s: sync.exhausted more than once", no)
	assert.Equal(t, o.schedule.Exhausted, exhausted == 1, "%s: Exhausted and its event disagree", no)
	assert.Equal(t, o.scheduled && !o.schedule.Exhausted, !o.schedule.NextSyncAt.IsZero(),
		"%s: in the schedule exactly while Scheduled (%s)", no, o.status)
	checkOneSyncPerChange(t, no, tr)
	assert.LessOrEqual(t, o.version-1, int64(len(tr.syncs)), "%s: more commits than SyncRecords", no)
}

// wantPayEvent is the status event docs/domain.md#status-events names for a move.
func wantPayEvent(from, to paysync.PayStatus) paysync.EventType {
	switch to {
	case paysync.PayProgress:
		return paysync.EventPayProgress
	case paysync.PaySuccess:
		if from == paysync.PayClose || from == paysync.PayCancel {
			return paysync.EventPayPaidAfterClose
		}
		return paysync.EventPaySuccess
	case paysync.PayClose:
		return paysync.EventPayClosed
	case paysync.PayCancel:
		return paysync.EventPayCancelled
	case paysync.PayFail:
		return paysync.EventPayFailed
	}
	return ""
}

// wantPayWay lists the adjust ways a move may carry.
func wantPayWay(a paysync.AdjustRecord) []paysync.AdjustWay {
	switch paysync.PayStatus(a.After) {
	case paysync.PayProgress:
		return []paysync.AdjustWay{paysync.WayPayProgress}
	case paysync.PaySuccess:
		return []paysync.AdjustWay{paysync.WayPaySuccess}
	case paysync.PayClose:
		return []paysync.AdjustWay{paysync.WayPayCloseLocal, paysync.WayPayCloseGateway}
	case paysync.PayCancel:
		return []paysync.AdjustWay{paysync.WayPayCancel}
	case paysync.PayFail:
		return []paysync.AdjustWay{paysync.WayPayFail}
	}
	return nil
}
