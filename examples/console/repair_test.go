package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/statemachine"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manualKinds are the kinds with their statuses and manual tables.
var manualKinds = []struct {
	kind     paysync.TradeType
	statuses []string
	table    func() []statemachine.Transition
}{
	{paysync.TradePay, strs(paysync.PayStatuses()), statemachine.PayManualTransitions},
	{paysync.TradeAllocation, strs(paysync.AllocationStatuses()), statemachine.AllocationTransitions},
	{paysync.TradeRefund, strs(paysync.RefundOrderStatuses()), statemachine.RefundManualTransitions},
	{paysync.TradeTransfer, strs(paysync.TransferStatuses()), statemachine.TransferManualTransitions},
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

const reason = "checked the bank statement"

// TestRepairEveryMove walks every (status, target) pair of every kind
// through the console's handlers. A move of the kind's manual table is
// offered by the order page, previewed without writing anything, and made
// on confirmation with the preview's Version: the order is moved, with one
// AdjustRecord naming the authenticated operator and the reason, and the
// person lands back on the order with a result message. Every other pair is
// not offered, and both a preview and a forged confirmation of it are
// refused in plain words with nothing written.
func TestRepairEveryMove(t *testing.T) {
	for _, mk := range manualKinds {
		allowed := map[[2]string]bool{}
		for _, tr := range mk.table() {
			for _, from := range tr.From {
				allowed[[2]string{from, tr.To}] = true
			}
		}
		for _, from := range mk.statuses {
			for _, to := range mk.statuses {
				t.Run(fmt.Sprintf("%s/%s→%s", mk.kind, from, to), func(t *testing.T) {
					e := newEnv(t)
					const no = "R1"
					e.create(mk.kind, no, from)
					path := orderPath(mk.kind, no)
					page := e.getOK(path)
					offered := strings.Contains(page, `<option value="`+to+`"`)
					before := e.state(mk.kind, no)
					form := url.Values{"to": {to}, "reason": {reason}}

					if !allowed[[2]string{from, to}] {
						assert.False(t, offered, "the form offers only the manual table's moves")
						w := e.post(path+"/preview", form)
						assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
						if from == to {
							assert.Contains(t, w.Body.String(), "The order is "+from+" already.")
						} else {
							assert.Contains(t, w.Body.String(), "the manual table has no such move")
						}
						// A confirmation nobody previewed goes to the engine, which refuses it.
						form.Set("version", fmt.Sprint(before.Version))
						w = e.post(path+"/repair", form)
						assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
						assert.Contains(t, w.Body.String(), "nothing was written")
						assert.Equal(t, before, e.state(mk.kind, no), "a refused repair writes nothing")
						return
					}

					assert.True(t, offered, "the form offers %s → %s", from, to)
					w := e.post(path+"/preview", form)
					require.Equal(t, http.StatusOK, w.Code, w.Body.String())
					preview := w.Body.String()
					contains(t, preview, "nothing has been written yet", "Confirm repair", `name="to" value="`+to+`"`,
						"<b>"+operator+"</b>", reason)
					assert.Equal(t, before, e.state(mk.kind, no), "a preview writes nothing")

					form.Set("version", previewVersion(t, preview))
					done := e.follow(e.post(path+"/repair", form))
					contains(t, done, "Repaired by "+operator+": moved "+from+" → "+to, `<span class="label big`)
					after := e.state(mk.kind, no)
					assert.Equal(t, to, after.Status)
					assert.Equal(t, before.Version+1, after.Version)
					require.Len(t, after.Adjusts, len(before.Adjusts)+1)
					a := after.Adjusts[len(after.Adjusts)-1]
					assert.Equal(t, paysync.SourceManual, a.Source)
					assert.Equal(t, paysync.WayManual, a.Way)
					assert.Equal(t, operator, a.Operator, "the operator is the authenticated one")
					assert.Equal(t, reason, a.Reason)
					assert.Equal(t, [2]string{from, to}, [2]string{a.Before, a.After})
					assert.Equal(t, before.Syncs, after.Syncs, "a repair writes no SyncRecord")
					contains(t, done, `<b class="who-did">`+operator+`</b>`, "way <code>manual</code>")
				})
			}
		}
	}
}

// TestRepairResolvesAnomalies: a sync raises an anomaly; the order page
// offers to resolve it; the preview lists the anomaly.resolved event and
// leaves it open; the confirmation resolves it with the operator's name and
// reason, shown on the page.
func TestRepairResolvesAnomalies(t *testing.T) {
	e := newEnv(t)
	o := e.pay("1006", paysync.PaySuccess)
	e.ch.SetPay("1006", channeltest.Report(o, channel.PayClosed))
	path := orderPath(paysync.TradePay, "1006")

	page := e.follow(e.post(path+"/sync", nil))
	contains(t, page, "Synced with the channel, which says closed. The order stays success.",
		"Anomalies seen: paid_order_not_paid_at_channel.", `<input type="checkbox" name="resolve" value="paid_order_not_paid_at_channel"`,
		`<span class="label big bad">1 open anomaly</span>`)
	syncs := e.state(paysync.TradePay, "1006").Syncs
	require.Equal(t, 1, syncs)
	rs, err := e.store.ListSyncRecords(e.ctx, repository.RecordFilter{TradeType: paysync.TradePay, TradeNo: "1006"})
	require.NoError(t, err)
	assert.Equal(t, paysync.SourceManual, rs[0].Source, "a person's sync now is a manual sync")

	form := url.Values{"to": {"close"}, "resolve": {string(paysync.AnomalyPaidNotPaidAtChannel)},
		"reason":   {"the bank statement shows no payment"},
		"operator": {"mallory"}} // never read: the operator is who Authenticate says
	before := e.state(paysync.TradePay, "1006")
	w := e.post(path+"/preview", form)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	contains(t, w.Body.String(), "pay.closed", "anomaly.resolved", "The channel says <span class=\"code\">closed</span>",
		`name="resolve" value="paid_order_not_paid_at_channel"`)
	assert.Equal(t, before, e.state(paysync.TradePay, "1006"), "a preview writes nothing, the anomaly stays open")

	form.Set("version", previewVersion(t, w.Body.String()))
	page = e.follow(e.post(path+"/repair", form))
	contains(t, page, "moved success → close; resolved paid_order_not_paid_at_channel",
		`<span class="label ok">resolved</span>`, "Resolved by <b>"+operator+"</b> at", "“the bank statement shows no payment”")
	st := e.state(paysync.TradePay, "1006")
	assert.Equal(t, "close", st.Status)
	require.Len(t, st.Anomalies, 1)
	assert.False(t, st.Anomalies[0].Open())
	assert.Equal(t, operator, st.Anomalies[0].ResolvedBy)
	require.Len(t, st.Adjusts, 1)
	assert.Equal(t, operator, st.Adjusts[0].Operator)
	assert.NotContains(t, page, "mallory")
	assert.Equal(t, "the bank statement shows no payment", st.Anomalies[0].Note)

	// Resolving alone: the status stays, the anomaly is resolved.
	o2 := e.pay("1005", paysync.PayProgress)
	rep := channeltest.Paid(o2)
	rep.Amount = decimal.RequireFromString("1.00")
	e.ch.SetPay("1005", rep)
	_, err = e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1005"})
	require.NoError(t, err)
	path = orderPath(paysync.TradePay, "1005")
	form = url.Values{"resolve": {string(paysync.AnomalyAmountMismatch)}, "reason": {"the payer paid the rest by bank transfer"}}
	w = e.post(path+"/preview", form)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	contains(t, w.Body.String(), "the status does not change", "No adjust record: the order does not move.")
	form.Set("version", previewVersion(t, w.Body.String()))
	page = e.follow(e.post(path+"/repair", form))
	contains(t, page, "Repaired by "+operator+": resolved amount_mismatch")
	st = e.state(paysync.TradePay, "1005")
	assert.Equal(t, "progress", st.Status)
	assert.Empty(t, st.Adjusts)
	assert.False(t, st.Anomalies[0].Open())
}

// TestRepairRefusals: each refusal is shown in plain words with a 4xx, and
// writes nothing.
func TestRepairRefusals(t *testing.T) {
	e := newEnv(t)
	e.pay("P1", paysync.PaySuccess)
	path := orderPath(paysync.TradePay, "P1")
	good := func() url.Values {
		return url.Values{"to": {"close"}, "reason": {"no money arrived"}, "version": {"1"}}
	}
	cases := []struct {
		name   string
		path   string // default: P1's
		action string // preview or repair
		edit   func(url.Values)
		status int
		says   string
	}{
		{"unknown order: preview", orderPath(paysync.TradePay, "nope"), "preview", nil, http.StatusNotFound,
			"There is no pay order with the number nope."},
		{"unknown order: confirm", orderPath(paysync.TradePay, "nope"), "repair", nil, http.StatusNotFound,
			"There is no pay order with the number nope."},
		{"unknown refund", orderPath(paysync.TradeRefund, "nope"), "preview", nil, http.StatusNotFound,
			"There is no refund order with the number nope."},
		{"unknown kind", prefix + "orders/payout/P1", "preview", nil, http.StatusNotFound,
			"There is no kind of order called payout."},
		{"stale version", "", "repair", func(f url.Values) { f.Set("version", "7") }, http.StatusConflict,
			"The order changed after you looked at it, so nothing was written."},
		{"no version", "", "repair", func(f url.Values) { f.Del("version") }, http.StatusUnprocessableEntity,
			"does not carry the version its preview showed"},
		{"a move the manual table lacks: preview", "", "preview", func(f url.Values) { f.Set("to", "wait") },
			http.StatusUnprocessableEntity, "A person may not move a pay order from success to wait"},
		{"a move the manual table lacks: confirm", "", "repair", func(f url.Values) { f.Set("to", "wait") },
			http.StatusUnprocessableEntity, "The repair was refused and nothing was written"},
		{"an unknown status", "", "preview", func(f url.Values) { f.Set("to", "refunded") },
			http.StatusUnprocessableEntity, "the manual table has no such move"},
		{"missing reason: preview", "", "preview", func(f url.Values) { f.Set("reason", "  ") },
			http.StatusUnprocessableEntity, "Give a reason: it is written on the record, with your name."},
		{"missing reason: confirm", "", "repair", func(f url.Values) { f.Del("reason") },
			http.StatusUnprocessableEntity, "Give a reason"},
		{"nothing to do", "", "preview", func(f url.Values) { f.Del("to") },
			http.StatusUnprocessableEntity, "Choose a status to move the order to, or an anomaly to resolve."},
		{"an anomaly that is not open", "", "preview", func(f url.Values) {
			f.Del("to")
			f.Set("resolve", string(paysync.AnomalyAmountMismatch))
		}, http.StatusUnprocessableEntity, "anomaly amount_mismatch is not open on P1"},
		{"an unknown anomaly", "", "preview", func(f url.Values) { f.Set("resolve", "money_vanished") },
			http.StatusUnprocessableEntity, "There is no anomaly called money_vanished."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.state(paysync.TradePay, "P1")
			f := good()
			if c.edit != nil {
				c.edit(f)
			}
			p := path
			if c.path != "" {
				p = c.path
			}
			w := e.post(p+"/"+c.action, f)
			assert.Equal(t, c.status, w.Code)
			assert.Contains(t, w.Body.String(), c.says)
			assert.NotContains(t, w.Body.String(), "Repaired by")
			assert.Equal(t, before, e.state(paysync.TradePay, "P1"), "nothing written")
		})
	}
}

// TestRepairStaleAfterPreview: the order moves between the preview and the
// confirmation (a sync found it paid); the confirmation is refused with the
// preview's version, nothing is written, and the page shows the order as it
// is now.
func TestRepairStaleAfterPreview(t *testing.T) {
	e := newEnv(t)
	o := e.pay("P1", paysync.PayProgress)
	e.ch.SetClose("P1", channeltest.CloseOK)
	path := orderPath(paysync.TradePay, "P1")
	form := url.Values{"to": {"close"}, "reason": {"the customer cancelled"}}
	w := e.post(path+"/preview", form)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	form.Set("version", previewVersion(t, w.Body.String()))

	e.ch.SetPay("P1", channeltest.Paid(o))
	_, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "P1"})
	require.NoError(t, err)
	before := e.state(paysync.TradePay, "P1")
	require.Equal(t, "success", before.Status)

	w = e.post(path+"/repair", form)
	assert.Equal(t, http.StatusConflict, w.Code)
	contains(t, w.Body.String(), "The order changed after you looked at it, so nothing was written.",
		`<span class="label big ok">success</span>`, "the customer cancelled")
	assert.Equal(t, before, e.state(paysync.TradePay, "P1"))
	assert.Zero(t, e.ch.Closes("P1"), "not closed at the channel either")
}

// TestRepairPaidOrderWithRefundsOrAllocations: a paid order's close is
// refused while refunds or allocations account for its money.
func TestRepairPaidOrderWithRefundsOrAllocations(t *testing.T) {
	for _, c := range []struct {
		name string
		make func(e *env) string // returns the pay order's number
	}{
		{"refund", func(e *env) string { return e.refund("R1", paysync.RefundClose).OrderNo }},
		{"allocation", func(e *env) string { return e.alloc("A1", paysync.AllocEnd).OrderNo }},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			no := c.make(e)
			path := orderPath(paysync.TradePay, no)
			before := e.state(paysync.TradePay, no)
			form := url.Values{"to": {"close"}, "reason": {"no money arrived"}}
			w := e.post(path+"/preview", form)
			assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
			assert.Contains(t, w.Body.String(), "a paid order with refunds or allocation orders cannot be closed")
			form.Set("version", fmt.Sprint(before.Version))
			w = e.post(path+"/repair", form)
			assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
			assert.Contains(t, w.Body.String(), "its money is accounted for there")
			assert.Equal(t, before, e.state(paysync.TradePay, no))
		})
	}
}

// TestRepairRefundShowsThePayOrder: a refund's preview shows its pay
// order's refund fields before and after, balance included.
func TestRepairRefundShowsThePayOrder(t *testing.T) {
	e := newEnv(t)
	r := e.refund("R1", paysync.RefundSuccess)
	e.ch.SetRefund("R1", channel.RefundReport{State: channel.RefundNotFound})
	w := e.post(orderPath(paysync.TradeRefund, "R1")+"/preview", url.Values{"to": {"close"}, "reason": {"the bank returned it"}})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	body := w.Body.String()
	contains(t, body, "Pay order <a class=\"no\" href=\"/console/orders/pay/"+r.OrderNo+"\">",
		"Refunded", "Refundable balance", "partial_refund", "no_refund", "The channel says <span class=\"code\">not_found</span>")
	// refunded 4.00 → 0.00, balance 6.00 → 10.00
	i := strings.Index(body, "Refundable balance")
	require.Positive(t, i)
	row := body[i:]
	row = row[:strings.Index(row, "</tr>")]
	contains(t, row, ">6.00<", ">10.00<")
}

// TestRepairClosesUnpaidAtChannel: closing an unpaid order closes it at the
// channel; a channel that says paid refuses the repair in plain words.
func TestRepairClosesUnpaidAtChannel(t *testing.T) {
	e := newEnv(t)
	e.pay("P1", paysync.PayProgress)
	e.ch.SetClose("P1", channeltest.CloseAlreadyPaid)
	path := orderPath(paysync.TradePay, "P1")
	form := url.Values{"to": {"close"}, "reason": {"the customer cancelled"}}
	w := e.post(path+"/preview", form)
	require.Equal(t, http.StatusOK, w.Code)
	contains(t, w.Body.String(), "the trade will be closed at the channel first")
	before := e.state(paysync.TradePay, "P1")
	form.Set("version", previewVersion(t, w.Body.String()))
	w = e.post(path+"/repair", form)
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
	contains(t, w.Body.String(), "the channel refused the close: the trade is paid")
	assert.Equal(t, before, e.state(paysync.TradePay, "P1"))

	e.ch.SetClose("P1", channeltest.CloseError)
	w = e.post(path+"/repair", form)
	assert.Equal(t, http.StatusBadGateway, w.Code)
	contains(t, w.Body.String(), "The channel gave no clear answer, so nothing was changed.")
	assert.Equal(t, before, e.state(paysync.TradePay, "P1"))

	e.ch.SetClose("P1", channeltest.CloseOK)
	e.follow(e.post(path+"/repair", form))
	assert.Equal(t, "close", e.state(paysync.TradePay, "P1").Status)
}

// TestRepairLongReason: the record keeps the whole reason; the result
// message, which travels in the redirect's URL, is cut short.
func TestRepairLongReason(t *testing.T) {
	e := newEnv(t)
	e.pay("P1", paysync.PaySuccess)
	long := strings.Repeat("对账单显示未收款。", 100) // 900 runes
	form := url.Values{"to": {"close"}, "reason": {long}}
	path := orderPath(paysync.TradePay, "P1")
	w := e.post(path+"/preview", form)
	require.Equal(t, http.StatusOK, w.Code)
	form.Set("version", previewVersion(t, w.Body.String()))
	w = e.post(path+"/repair", form)
	require.Equal(t, http.StatusSeeOther, w.Code)
	assert.Less(t, len(w.Header().Get("Location")), 2000)
	assert.Contains(t, e.getOK(w.Header().Get("Location")), "…")
	assert.Equal(t, long, e.state(paysync.TradePay, "P1").Adjusts[0].Reason)
}
