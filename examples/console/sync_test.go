package console_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/console"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSyncNowEveryKind: "sync now" syncs the order with its channel as a
// manual sync and comes back to the order saying what the channel said and
// what changed.
func TestSyncNowEveryKind(t *testing.T) {
	e := newEnv(t)
	p := e.pay("1001", paysync.PayProgress)
	e.ch.SetPay("1001", channeltest.Paid(p))
	a := e.alloc("2001", paysync.AllocProcessing)
	e.ch.SetAllocation("2001", channeltest.Allocated(a, channel.ReceiverSuccess))
	r := e.refund("3001", paysync.RefundProgress)
	e.ch.SetRefund("3001", channeltest.RefundAnswer(r, channel.RefundSuccess))
	tr := e.transfer("4001", paysync.TransferProgress)
	e.ch.SetTransfer("4001", channeltest.TransferAnswer(tr, channel.TransferSuccess))

	for _, c := range []struct {
		kind paysync.TradeType
		no   string
		says string
		to   string
	}{
		{paysync.TradePay, "1001", "Synced with the channel, which says success. The order changed and is now success.", "success"},
		{paysync.TradeAllocation, "2001", "Synced with the channel. The order changed and is now allocation_end.", "allocation_end"},
		{paysync.TradeRefund, "3001", "Synced with the channel, which says success. The order changed and is now success.", "success"},
		{paysync.TradeTransfer, "4001", "Synced with the channel, which says success. The order changed and is now success.", "success"},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			page := e.follow(e.post(orderPath(c.kind, c.no)+"/sync", nil))
			contains(t, page, `<div class="flash ok" role="status">`+c.says, `<li class="t-sync">`, "from <b>manual</b>")
			st := e.state(c.kind, c.no)
			assert.Equal(t, c.to, st.Status)
			rs, err := e.store.ListSyncRecords(e.ctx, repository.RecordFilter{TradeType: c.kind, TradeNo: c.no})
			require.NoError(t, err)
			require.Len(t, rs, 1)
			assert.Equal(t, paysync.SourceManual, rs[0].Source)
		})
	}
}

// TestSyncNowFailures: a sync that gets no answer, or has nothing to ask,
// comes back to the order with the reason in plain words.
func TestSyncNowFailures(t *testing.T) {
	e := newEnv(t)
	e.pay("P1", paysync.PayProgress)
	e.ch.FailNext("P1", 1, errors.New("connection reset by peer"))
	page := e.follow(e.post(orderPath(paysync.TradePay, "P1")+"/sync", nil))
	contains(t, page, `<div class="flash bad" role="status">The sync did not finish. The channel gave no clear answer`)
	assert.Equal(t, "progress", e.state(paysync.TradePay, "P1").Status)

	e.pay("P2", paysync.PayWait, func(o *paysync.PayOrder) { o.Channel = "" })
	page = e.follow(e.post(orderPath(paysync.TradePay, "P2")+"/sync", nil))
	contains(t, page, "This pay order has not been sent to a channel yet")

	e.alloc("A1", paysync.AllocIgnore)
	page = e.follow(e.post(orderPath(paysync.TradeAllocation, "A1")+"/sync", nil))
	contains(t, page, `<div class="flash ok" role="status">Nothing to ask the channel`)

	w := e.post(orderPath(paysync.TradeRefund, "nope")+"/sync", nil)
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Contains(t, w.Body.String(), "There is no refund order with the number nope.")
}

// failingStore fails its reads of events with err once it is set, as a
// database that went away, or a request cut short, would.
type failingStore struct {
	repository.Store
	err error
}

func (s *failingStore) ListEvents(ctx context.Context, f repository.EventFilter) ([]paysync.Event, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.Store.ListEvents(ctx, f)
}

// TestStoreFailure: a store failure is a 500 that says so plainly, logs the
// cause, and shows none of it to the person. A read cut short because the
// request ended is a 503 and no server error: nothing is logged.
func TestStoreFailure(t *testing.T) {
	var logs bytes.Buffer
	var st *failingStore
	e := newEnv(t, func(c *console.Config) {
		st = &failingStore{Store: c.Store}
		c.Store = st
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))
	})
	e.pay("P1", paysync.PaySuccess)
	e.getOK(orderPath(paysync.TradePay, "P1"))
	st.err = paysync.E("test.ListEvents", paysync.ErrInternal, errors.New("pq: connection refused at 10.0.0.7"))
	w := e.get(orderPath(paysync.TradePay, "P1"))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, w.Body.String(), "Something went wrong on the server")
	assert.NotContains(t, w.Body.String(), "10.0.0.7")
	assert.Contains(t, logs.String(), "10.0.0.7")

	logs.Reset()
	st.err = paysync.E("test.ListEvents", paysync.ErrCanceled, context.Canceled)
	w = e.get(orderPath(paysync.TradePay, "P1"))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Contains(t, w.Body.String(), "The request ended before the engine finished.")
	assert.Empty(t, logs.String(), "a request cut short is not the server's fault")
}
