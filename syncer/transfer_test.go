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
			r.FinishedAt = time.Time{}
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
// l, created age ago (a fail one with the error it failed with); applies the
// faithful answer in state c, finished a minute after creation at the
// channel, changed by change, through path; checks the result, and applies
// it once more.
func checkTransferCell(t *testing.T, path transferPath, l, c string, age time.Duration,
	change func(*channel.TransferReport), want payoutWant) {
	e := newEnv(t)
	created := e.clock.Now().Add(-age)
	tr := e.newTransfer("T1", paysync.TransferStatus(l), created, func(o *paysync.TransferOrder) {
		if l == pFail {
			o.ErrorCode, o.ErrorMsg = "OLD_FAIL", "failed before"
		}
		if want.fill {
			o.OutTransferNo, o.FinishedAt = "", time.Time{}
		}
	})
	rep := channeltest.TransferAnswer(tr, channel.TransferState(c))
	rep.FinishedAt = created.Add(time.Minute) // the channel's own time
	change(&rep)

	res, err := path.apply(e, "T1", rep)
	require.NoError(t, err)
	got := e.getTransfer("T1")
	checkCellWrites(t, transferFields(tr), transferFields(got),
		cellFields{finishedAt: rep.FinishedAt, errorCode: rep.ErrorCode, errorMsg: rep.ErrorMsg, outNo: rep.OutTransferNo},
		want, e.clock.Now())
	assert.Equal(t, got.Scheduled() && !got.Schedule.Exhausted, !got.Schedule.NextSyncAt.IsZero(),
		"in the schedule exactly when Scheduled")
	if want.to == l && !want.fill && !got.Scheduled() {
		assert.Equal(t, tr, got, "an order out of the schedule is not written by a no-op")
	}

	status, _ := checkCellTrail(t, e, paysync.TradeTransfer, "T1", l, c, path.source, want, transferCellOutcome(res))
	if path.name == "sync" {
		assert.Equal(t, "10.0.0.8", e.syncs(paysync.TradeTransfer, "T1")[0].ClientIP)
	}
	if want.to != l {
		pl := transferPayloadOf(t, status[0])
		assert.Equal(t, "5.00", pl.Amount)
		assert.Equal(t, "CNY", pl.Currency)
		assert.Equal(t, "openid", pl.PayeeType)
		assert.Equal(t, "payee-1", pl.PayeeAccount)
	}

	// Once more: a no-op, nothing announced again.
	first := loadTrail(t, e.store, paysync.TradeTransfer, "T1")
	res2, err := path.apply(e, "T1", rep)
	require.NoError(t, err)
	got2 := e.getTransfer("T1")
	checkCellAgain(t, e, paysync.TradeTransfer, "T1", want, first, transferFields(got), transferFields(got2),
		got2.Scheduled(), transferCellOutcome(res2))
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
