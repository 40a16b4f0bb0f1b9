package syncer

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The checks TestSyncRefundTable and TestSyncTransferTable make on one cell
// of the shared table, after a sync or a callback: what the move wrote on
// the order, the records and events of the call, the anomalies, and that the
// same answer again changes nothing. The kinds' own checks (a refund's pay
// order, a payout's payee) stay with each kind.

// cellOutcome is a refund's or a transfer's outcome, as the cell checks
// read it.
type cellOutcome struct {
	status, state string
	adjusted      bool
	anomalies     []paysync.AnomalyCode
	recordID      uuid.UUID
}

func refundCellOutcome(o RefundOutcome) cellOutcome {
	return cellOutcome{string(o.Status), string(o.ChannelState), o.Adjusted, o.Anomalies, o.RecordID}
}

func transferCellOutcome(o TransferOutcome) cellOutcome {
	return cellOutcome{string(o.Status), string(o.ChannelState), o.Adjusted, o.Anomalies, o.RecordID}
}

// cellFields are the fields a move writes on a refund or a transfer — or,
// for the channel's answer, the fields it reports for them.
type cellFields struct {
	status                     string
	version                    int64
	finishedAt                 time.Time
	errorCode, errorMsg, outNo string
}

func refundFields(r paysync.RefundOrder) cellFields {
	return cellFields{string(r.Status), r.Version, r.FinishedAt, r.ErrorCode, r.ErrorMsg, r.OutRefundNo}
}

func transferFields(o paysync.TransferOrder) cellFields {
	return cellFields{string(o.Status), o.Version, o.FinishedAt, o.ErrorCode, o.ErrorMsg, o.OutTransferNo}
}

// checkCellWrites checks what the cell's move wrote on the order
// (docs/refund-sync.md#decision-table, "what each move writes"; the
// transfer's are the same): → success takes the channel's FinishedAt (the
// sync's time, now, when none) and clears the error fields; → fail takes the
// channel's FinishedAt, ErrorCode and ErrorMsg; → close takes now; →
// progress clears FinishedAt and the error; the channel's number is learned
// on a move to success and on a success confirmed (fill, which also learns
// FinishedAt); a no-op leaves every field alone.
func checkCellWrites(t *testing.T, before, after, rep cellFields, want payoutWant, now time.Time) {
	t.Helper()
	moved := want.to != before.status
	assert.Equal(t, want.to, after.status, "stored status")
	channelTime := rep.finishedAt
	if channelTime.IsZero() {
		channelTime = now
	}
	if !moved {
		after.version = before.version // the schedule may have moved
		if want.fill {
			before.outNo, before.finishedAt = rep.outNo, rep.finishedAt
		}
		assert.Equal(t, before, after, "a no-op wrote a field of the order")
		return
	}
	assert.Equal(t, before.version+1, after.version, "one commit")
	switch want.to {
	case pSuccess:
		assert.True(t, channelTime.Equal(after.finishedAt), "→ success: FinishedAt %v, want the channel's %v", after.finishedAt,
			channelTime)
		assert.Empty(t, after.errorCode+after.errorMsg, "→ success clears the error")
		assert.Equal(t, rep.outNo, after.outNo, "→ success learns the channel's number")
	case pFail:
		assert.True(t, channelTime.Equal(after.finishedAt), "→ fail: FinishedAt %v, want the channel's %v", after.finishedAt,
			channelTime)
		assert.Equal(t, rep.errorCode, after.errorCode, "→ fail takes the channel's error code")
		assert.Equal(t, rep.errorMsg, after.errorMsg, "→ fail takes the channel's error message")
	case pClose:
		assert.True(t, now.Equal(after.finishedAt), "→ close: FinishedAt %v, want the sync's time %v", after.finishedAt, now)
	case pProgress:
		assert.True(t, after.finishedAt.IsZero(), "→ progress clears FinishedAt")
		assert.Empty(t, after.errorCode+after.errorMsg, "→ progress clears the error")
	}
}

// checkCellTrail checks what one application of the cell's answer wrote
// for order no of kind tt, from status from, through source: one SyncRecord
// (the outcome's, with the channel's state c and Adjusted exactly on a
// move), one AdjustRecord and one status event of the move's way and type,
// and the anomaly of the cell — on the outcome, the SyncRecord, open on the
// order, announced by one event. It returns the status events and the
// anomaly events, for the kind to check their payloads.
func checkCellTrail(t *testing.T, e *env, tt paysync.TradeType, no, from, c string, source paysync.Source,
	want payoutWant, out cellOutcome) (status, anomalyEvents []paysync.Event) {
	t.Helper()
	moved := want.to != from
	assert.Equal(t, want.to, out.status, "outcome status")
	assert.Equal(t, moved, out.adjusted, "outcome Adjusted")
	assert.Equal(t, c, out.state, "outcome ChannelState")

	syncs := e.syncs(tt, no)
	require.Len(t, syncs, 1, "one SyncRecord")
	sr := syncs[0]
	assert.Equal(t, out.recordID, sr.ID)
	assert.Equal(t, source, sr.Source)
	assert.Equal(t, moved, sr.Adjusted)
	assert.Equal(t, c, sr.ChannelState)
	adj := e.adjusts(tt, no)
	if moved {
		require.Len(t, adj, 1, "one AdjustRecord per move")
		assert.Equal(t, payoutWay(tt, want.to), adj[0].Way)
		assert.Equal(t, from, adj[0].Before)
		assert.Equal(t, want.to, adj[0].After)
		assert.Equal(t, tt, adj[0].TradeType)
		assert.Equal(t, source, adj[0].Source)
		assert.Equal(t, adj[0].AdjustNo, sr.AdjustNo)
	} else {
		assert.Empty(t, adj, "no AdjustRecord without a move")
		assert.Empty(t, sr.AdjustNo)
	}

	status, anomalyEvents, rest := splitEvents(e.events(tt, no), payoutAnomalyEvent(tt))
	for _, ev := range rest {
		assert.Equal(t, paysync.EventRefundCreated, ev.Type, "no other event")
	}
	if moved {
		require.Len(t, status, 1, "one status event")
		assert.Equal(t, payoutEvent(tt, from, want.to), status[0].Type)
		assert.Equal(t, want.to, bodyOf(t, status[0]).Status, "payload status")
	} else {
		assert.Empty(t, status, "no status event without a move")
	}
	wantAnomalies := want.anomalies()
	assert.ElementsMatch(t, wantAnomalies, out.anomalies, "outcome anomalies")
	assert.ElementsMatch(t, wantAnomalies, sr.Anomalies, "SyncRecord anomalies")
	assert.ElementsMatch(t, wantAnomalies, openAnomalies(t, e.store, tt, no), "open anomalies")
	require.Len(t, anomalyEvents, len(wantAnomalies), "one anomaly event per anomaly")
	if want.anomaly != "" {
		assert.Equal(t, want.anomaly, bodyOf(t, anomalyEvents[0]).Anomaly)
	}
	return status, anomalyEvents
}

// checkCellAgain checks the same answer applied once more (out): a no-op
// that writes no field of the order (nor its Version, out of the
// schedule), returns the cell's anomaly again and announces nothing again.
// first and firstFields are the order's trail and fields after the first
// application; after and scheduled its fields and Scheduled() now.
func checkCellAgain(t *testing.T, e *env, tt paysync.TradeType, no string, want payoutWant, first orderTrail,
	firstFields, after cellFields, scheduled bool, out cellOutcome) {
	t.Helper()
	again := loadTrail(t, e.store, tt, no)
	assert.False(t, out.adjusted, "second application adjusted")
	assert.Equal(t, firstFields.status, out.status)
	if scheduled {
		after.version = firstFields.version // the schedule moved
	}
	assert.Equal(t, firstFields, after, "the second application wrote the order")
	assert.Len(t, again.adjusts, len(first.adjusts), "second AdjustRecord")
	assert.Len(t, again.syncs, len(first.syncs)+1, "a SyncRecord per application")
	assert.Len(t, again.events, len(first.events), "an event written by the second application")
	assert.ElementsMatch(t, want.anomalies(), out.anomalies, "a sighting is returned every time")
	if want.anomaly != "" {
		a, ok := e.anomaly(tt, no, want.anomaly)
		require.True(t, ok)
		assert.Equal(t, 2, a.TimesSeen, "seen twice")
		assert.True(t, a.Open())
	}
}

// anomalies is the cell's anomaly as a list.
func (w payoutWant) anomalies() []paysync.AnomalyCode {
	if w.anomaly == "" {
		return nil
	}
	return []paysync.AnomalyCode{w.anomaly}
}

// payoutAnomalyEvent is the anomaly event type of kind tt.
func payoutAnomalyEvent(tt paysync.TradeType) paysync.EventType {
	if tt == paysync.TradeRefund {
		return paysync.EventRefundAnomaly
	}
	return paysync.EventTransferAnomaly
}
