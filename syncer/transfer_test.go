package syncer

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// transferPath applies a channel answer to a transfer: by SyncTransfer or
// by ApplyTransferNotification.
type transferPath struct {
	name   string
	source paysync.Source
	apply  func(e *env, no string, rep channel.TransferReport) (TransferOutcome, error)
}

var transferPaths = []transferPath{
	{"sync", paysync.SourceAPI, func(e *env, no string, rep channel.TransferReport) (TransferOutcome, error) {
		e.ch.SetTransfer(no, rep)
		return e.s.SyncTransfer(e.ctx, TransferRequest{TransferNo: no, ClientIP: "10.0.0.8"})
	}},
	{"callback", paysync.SourceCallback, func(e *env, no string, rep channel.TransferReport) (TransferOutcome, error) {
		// The channel agrees with its callback, should the engine ask
		// (TestLateCallbackDeniesNothing: one it does not agree with).
		e.ch.SetTransfer(no, rep)
		return e.s.ApplyTransferNotification(e.ctx, no, rep, paysync.SourceCallback)
	}},
}

func transferPayloadOf(t testing.TB, ev paysync.Event) paysync.TransferPayload {
	var pl paysync.TransferPayload
	require.NoError(t, json.Unmarshal(ev.Payload, &pl), "payload of %s", ev.Type)
	return pl
}

// TestSyncTransferTable runs every cell of the transfer table end to end,
// by both paths, at the not_found age boundary, then once more.
func TestSyncTransferTable(t *testing.T) {
	for _, path := range transferPaths {
		for _, l := range payoutStatuses {
			for _, c := range payoutStates {
				ages := []time.Duration{2 * time.Hour}
				if c == cNotFound {
					ages = []time.Duration{10 * time.Minute, 10*time.Minute + time.Microsecond}
				}
				for _, age := range ages {
					t.Run(fmt.Sprintf("%s/%s×%s/age=%s", path.name, l, c, age), func(t *testing.T) {
						want := payoutCell(paysync.TradeTransfer, l, c, age > 10*time.Minute)
						checkTransferCell(t, path, l, c, age, func(*channel.TransferReport) {}, want)
					})
				}
			}
		}
	}
}

// TestSyncTransferMismatches: in every cell, an answer about another
// transfer or another payee changes nothing (trade_mismatch); on every move
// to success, another amount or currency changes nothing (footnote 1); an
// answer that does not report amount, currency, number or payee passes.
func TestSyncTransferMismatches(t *testing.T) {
	type variant struct {
		name   string
		change func(*channel.TransferReport)
		want   func(l, c string) payoutWant
	}
	mismatch := func(l, _ string) payoutWant { return payoutWant{to: l, anomaly: paysync.AnomalyTradeMismatch} }
	cell := func(l, c string) payoutWant { return payoutCell(paysync.TradeTransfer, l, c, true) }
	onSuccess := func(code paysync.AnomalyCode) func(l, c string) payoutWant {
		return func(l, c string) payoutWant {
			w := cell(l, c)
			if w.to == pSuccess && l != pSuccess {
				return payoutWant{to: l, anomaly: code}
			}
			return w
		}
	}
	variants := []variant{
		{"another transfer", func(r *channel.TransferReport) { r.TransferNo = "T-OTHER" }, mismatch},
		{"another payee type", func(r *channel.TransferReport) { r.PayeeType = "ALIPAY_USER_ID" }, mismatch},
		{"another payee account", func(r *channel.TransferReport) { r.PayeeAccount = "payee-2" }, mismatch},
		{"payee type differs in case", func(r *channel.TransferReport) { r.PayeeType = "OPENID" }, mismatch},
		{"another amount", func(r *channel.TransferReport) { r.Amount = dec("4.99") },
			onSuccess(paysync.AnomalyAmountMismatch)},
		{"another currency", func(r *channel.TransferReport) { r.Currency = "USD" },
			onSuccess(paysync.AnomalyCurrencyMismatch)},
		{"nothing reported", func(r *channel.TransferReport) {
			r.TransferNo, r.Amount, r.Currency, r.PayeeType, r.PayeeAccount = "", decimal.Decimal{}, "", "", ""
		}, cell},
	}
	for _, path := range transferPaths {
		for _, v := range variants {
			for _, l := range payoutStatuses {
				for _, c := range payoutStates {
					t.Run(fmt.Sprintf("%s/%s/%s×%s", path.name, v.name, l, c), func(t *testing.T) {
						checkTransferCell(t, path, l, c, time.Hour, v.change, v.want(l, c))
					})
				}
			}
		}
	}
}

// checkTransferCell seeds transfer T1 (5.00 CNY to openid payee-1) in status
// l, created age ago, applies the faithful answer in state c changed by
// change through path, checks the result, and applies it once more.
func checkTransferCell(t *testing.T, path transferPath, l, c string, age time.Duration,
	change func(*channel.TransferReport), want payoutWant) {
	e := newEnv(t)
	created := e.clock.Now().Add(-age)
	tr := e.newTransfer("T1", paysync.TransferStatus(l), created, func(o *paysync.TransferOrder) {
		if want.fill {
			o.OutTransferNo, o.FinishedAt = "", time.Time{}
		}
	})
	rep := channeltest.TransferAnswer(tr, channel.TransferState(c))
	if want.fill {
		rep.FinishedAt = created.Add(time.Minute)
	}
	change(&rep)

	res, err := path.apply(e, "T1", rep)
	require.NoError(t, err)
	moved := want.to != l
	got := e.getTransfer("T1")

	assert.Equal(t, want.to, string(got.Status), "stored status")
	assert.Equal(t, want.to, string(res.Status), "outcome status")
	assert.Equal(t, moved, res.Adjusted)
	assert.Equal(t, channel.TransferState(c), res.ChannelState)
	assert.Equal(t, got.Scheduled() && !got.Schedule.Exhausted, !got.Schedule.NextSyncAt.IsZero(),
		"in the schedule exactly when Scheduled")
	if moved {
		assert.Equal(t, tr.Version+1, got.Version, "one commit")
		if want.to != pProgress {
			assert.False(t, got.FinishedAt.IsZero(), "FinishedAt set on reaching %s", want.to)
		}
	}
	if want.to == pFail && moved {
		assert.Equal(t, rep.ErrorCode, got.ErrorCode)
	}
	if want.to == pSuccess && (moved || want.fill) && rep.OutTransferNo != "" {
		assert.Equal(t, rep.OutTransferNo, got.OutTransferNo, "OutTransferNo learned")
		assert.False(t, got.FinishedAt.IsZero())
	}
	if want.fill {
		assert.True(t, rep.FinishedAt.Equal(got.FinishedAt), "FinishedAt filled from the channel")
	}
	if !moved && !want.fill && !got.Scheduled() {
		assert.Equal(t, tr, got, "an order out of the schedule is not written by a no-op")
	}

	syncs := e.syncs(paysync.TradeTransfer, "T1")
	require.Len(t, syncs, 1)
	sr := syncs[0]
	assert.Equal(t, res.RecordID, sr.ID)
	assert.Equal(t, path.source, sr.Source)
	assert.Equal(t, moved, sr.Adjusted)
	assert.Equal(t, c, sr.ChannelState)
	adj := e.adjusts(paysync.TradeTransfer, "T1")
	if moved {
		require.Len(t, adj, 1)
		assert.Equal(t, payoutWay(paysync.TradeTransfer, want.to), adj[0].Way)
		assert.Equal(t, l, adj[0].Before)
		assert.Equal(t, want.to, adj[0].After)
		assert.Equal(t, paysync.TradeTransfer, adj[0].TradeType)
		assert.Equal(t, adj[0].AdjustNo, sr.AdjustNo)
	} else {
		assert.Empty(t, adj)
	}

	status, anomalyEvents, rest := splitEvents(e.events(paysync.TradeTransfer, "T1"), paysync.EventTransferAnomaly)
	assert.Empty(t, rest)
	if moved {
		require.Len(t, status, 1)
		assert.Equal(t, payoutEvent(paysync.TradeTransfer, l, want.to), status[0].Type)
		pl := transferPayloadOf(t, status[0])
		assert.Equal(t, paysync.TransferStatus(want.to), pl.Status)
		assert.Equal(t, "5.00", pl.Amount)
		assert.Equal(t, "CNY", pl.Currency)
		assert.Equal(t, "openid", pl.PayeeType)
		assert.Equal(t, "payee-1", pl.PayeeAccount)
	} else {
		assert.Empty(t, status)
	}
	var wantAnomalies []paysync.AnomalyCode
	if want.anomaly != "" {
		wantAnomalies = []paysync.AnomalyCode{want.anomaly}
	}
	assert.ElementsMatch(t, wantAnomalies, res.Anomalies, "outcome anomalies")
	assert.ElementsMatch(t, wantAnomalies, sr.Anomalies, "SyncRecord anomalies")
	assert.ElementsMatch(t, wantAnomalies, openAnomalies(t, e.store, paysync.TradeTransfer, "T1"))
	require.Len(t, anomalyEvents, len(wantAnomalies), "one transfer.anomaly per anomaly")
	if want.anomaly != "" {
		assert.Equal(t, want.anomaly, transferPayloadOf(t, anomalyEvents[0]).Anomaly)
	}

	// Once more: a no-op, nothing announced again.
	res2, err := path.apply(e, "T1", rep)
	require.NoError(t, err)
	got2 := e.getTransfer("T1")
	assert.False(t, res2.Adjusted)
	assert.Equal(t, got.Status, got2.Status)
	assert.Len(t, e.adjusts(paysync.TradeTransfer, "T1"), len(adj))
	status2, anomalyEvents2, _ := splitEvents(e.events(paysync.TradeTransfer, "T1"), paysync.EventTransferAnomaly)
	assert.Len(t, status2, len(status))
	assert.Len(t, anomalyEvents2, len(anomalyEvents), "an anomaly announced twice")
	assert.ElementsMatch(t, wantAnomalies, res2.Anomalies)
	if want.anomaly != "" {
		a, ok := e.anomaly(paysync.TradeTransfer, "T1", want.anomaly)
		require.True(t, ok)
		assert.Equal(t, 2, a.TimesSeen)
		if !got2.Scheduled() {
			assert.Equal(t, got.Version, got2.Version, "a sighting bumped the Version")
		}
	}
}

// TestSyncTransferNotFoundNeverCloses: a progress transfer the channel does
// not know stays progress however old — days of not_found raise
// transfer_not_at_channel once and never close it.
func TestSyncTransferNotFoundNeverCloses(t *testing.T) {
	e := newEnv(t)
	e.newTransfer("T1", paysync.TransferProgress, e.clock.Now())
	e.ch.SetTransfer("T1", channel.TransferReport{State: channel.TransferNotFound})
	for _, d := range []time.Duration{time.Minute, 9 * time.Minute, 2 * time.Minute, time.Hour, 24 * time.Hour,
		7 * 24 * time.Hour} {
		e.clock.Add(d)
		res, err := e.s.SyncTransfer(e.ctx, TransferRequest{BizTransferNo: "biz-T1"})
		require.NoError(t, err)
		assert.Equal(t, paysync.TransferProgress, res.Status)
		assert.False(t, res.Adjusted)
	}
	assert.Equal(t, paysync.TransferProgress, e.getTransfer("T1").Status)
	assert.Empty(t, e.adjusts(paysync.TradeTransfer, "T1"))
	_, anomalyEvents, _ := splitEvents(e.events(paysync.TradeTransfer, "T1"), paysync.EventTransferAnomaly)
	assert.Len(t, anomalyEvents, 1)
	a, ok := e.anomaly(paysync.TradeTransfer, "T1", paysync.AnomalyTransferNotAtChannel)
	require.True(t, ok)
	assert.Equal(t, 4, a.TimesSeen, "seen on every sync past NotFoundAfter")
}
