package syncer

import (
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

// payCell is one cell of docs/pay-sync.md#decision-table: local status, channel state,
// expiry and (when the table closes at the channel) the close outcome.
type payCell struct {
	l       paysync.PayStatus
	c       channel.PayState
	expired bool
	answer  payAnswer // close outcome already known
	want    payWant
}

func (tc payCell) name() string {
	n := string(tc.l) + "/" + string(tc.c)
	if tc.expired {
		n += "/expired"
	}
	if tc.answer.closeTried || tc.answer.closeUnsupported {
		n += "/close-known"
	}
	return n
}

// payTableCells lists every cell of the table, expired and not, and the
// cells that follow each close outcome.
func payTableCells() []payCell {
	same := func(l paysync.PayStatus) payWant { return payWant{to: l} }
	anomaly := func(l paysync.PayStatus, c ...paysync.AnomalyCode) payWant { return payWant{to: l, anomalies: c} }
	succ := payWant{to: paysync.PaySuccess, way: paysync.WayPaySuccess, event: paysync.EventPaySuccess}
	after := payWant{to: paysync.PaySuccess, way: paysync.WayPaySuccess, event: paysync.EventPayPaidAfterClose}
	closeL := payWant{to: paysync.PayClose, way: paysync.WayPayCloseLocal, event: paysync.EventPayClosed}
	closeGW := payWant{to: paysync.PayClose, way: paysync.WayPayCloseGateway, event: paysync.EventPayClosed}
	cancel := payWant{to: paysync.PayCancel, way: paysync.WayPayCancel, event: paysync.EventPayCancelled}
	fail := payWant{to: paysync.PayFail, way: paysync.WayPayFail, event: paysync.EventPayFailed}
	progress := payWant{to: paysync.PayProgress, way: paysync.WayPayProgress, event: paysync.EventPayProgress}
	refunded := payWant{to: paysync.PaySuccess, way: paysync.WayPaySuccess, event: paysync.EventPaySuccess,
		refund: paysync.PayRefundFull, anomalies: []paysync.AnomalyCode{paysync.AnomalyRefundAtChannel}}
	askClose := payWant{needClose: true}

	var cells []payCell
	add := func(l paysync.PayStatus, c channel.PayState, expired bool, w payWant) {
		cells = append(cells, payCell{l: l, c: c, expired: expired, want: w})
	}
	for _, l := range []paysync.PayStatus{paysync.PayProgress, paysync.PayWait} {
		for _, exp := range []bool{false, true} {
			add(l, channel.PaySuccess, exp, succ)
			add(l, channel.PayClosed, exp, closeL)
			add(l, channel.PayNotFound, exp, closeL)
			add(l, channel.PayCancelled, exp, cancel)
			add(l, channel.PayFailed, exp, fail)
			add(l, channel.PayRefunded, exp, refunded)
		}
		add(l, channel.PayNotFoundUnknown, false, same(l))
		add(l, channel.PayProgress, true, withTo(askClose, l))
		add(l, channel.PayNotFoundUnknown, true, withTo(askClose, l))
	}
	add(paysync.PayProgress, channel.PayProgress, false, same(paysync.PayProgress))
	add(paysync.PayWait, channel.PayProgress, false, progress)

	for _, exp := range []bool{false, true} {
		add(paysync.PayFail, channel.PaySuccess, exp, succ)
		add(paysync.PayFail, channel.PayProgress, exp, same(paysync.PayFail))
		add(paysync.PayFail, channel.PayNotFoundUnknown, exp, same(paysync.PayFail))
		add(paysync.PayFail, channel.PayClosed, exp, closeL)
		add(paysync.PayFail, channel.PayNotFound, exp, closeL)
		add(paysync.PayFail, channel.PayCancelled, exp, cancel)
		add(paysync.PayFail, channel.PayFailed, exp, same(paysync.PayFail))
		add(paysync.PayFail, channel.PayRefunded, exp, refunded)
		for _, l := range []paysync.PayStatus{paysync.PayClose, paysync.PayCancel} {
			add(l, channel.PaySuccess, exp, after)
			add(l, channel.PayProgress, exp, withTo(askClose, l))
			add(l, channel.PayNotFoundUnknown, exp, same(l))
			add(l, channel.PayClosed, exp, same(l))
			add(l, channel.PayNotFound, exp, same(l))
			add(l, channel.PayCancelled, exp, same(l))
			add(l, channel.PayFailed, exp, same(l))
			add(l, channel.PayRefunded, exp, anomaly(l, paysync.AnomalyRefundAtChannel))
		}
		s := paysync.PaySuccess
		add(s, channel.PaySuccess, exp, same(s))
		for _, c := range []channel.PayState{channel.PayProgress, channel.PayNotFoundUnknown, channel.PayClosed,
			channel.PayNotFound, channel.PayCancelled, channel.PayFailed} {
			add(s, c, exp, anomaly(s, paysync.AnomalyPaidNotPaidAtChannel))
		}
		add(s, channel.PayRefunded, exp, same(s))
	}
	// What the table does once the close at the channel has an outcome.
	closed := payAnswer{closeTried: true, closed: true}
	refused := payAnswer{closeTried: true}
	unsupported := payAnswer{closeUnsupported: true}
	for _, l := range []paysync.PayStatus{paysync.PayProgress, paysync.PayWait} {
		for _, c := range []channel.PayState{channel.PayProgress, channel.PayNotFoundUnknown} {
			noClose := anomaly(l, paysync.AnomalyCloseUnsupported)
			if l == paysync.PayWait && c == channel.PayProgress { // still moves to what the channel says
				noClose = progress
				noClose.anomalies = []paysync.AnomalyCode{paysync.AnomalyCloseUnsupported}
			}
			cells = append(cells,
				payCell{l: l, c: c, expired: true, answer: closed, want: closeGW},
				payCell{l: l, c: c, expired: true, answer: unsupported, want: noClose})
		}
	}
	cells = append(cells,
		payCell{l: paysync.PayWait, c: channel.PayProgress, expired: true, answer: refused, want: progress},
		payCell{l: paysync.PayProgress, c: channel.PayProgress, expired: true, answer: refused, want: same(paysync.PayProgress)})
	for _, l := range []paysync.PayStatus{paysync.PayClose, paysync.PayCancel} {
		cells = append(cells,
			payCell{l: l, c: channel.PayProgress, answer: closed, want: same(l)},
			payCell{l: l, c: channel.PayProgress, answer: unsupported, want: anomaly(l, paysync.AnomalyCloseUnsupported)})
	}

	return cells
}

// TestDecidePayTable covers every cell of docs/pay-sync.md#decision-table, expired and
// not, and the close outcomes that feed back into it.
func TestDecidePayTable(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for _, tc := range payTableCells() {
		t.Run(tc.name(), func(t *testing.T) {
			o := testOrder(tc.l, now, tc.expired)
			a := tc.answer
			a.rep = channel.PayReport{State: tc.c, OrderNo: o.OrderNo, Amount: o.Amount, Currency: "CNY",
				RefundedAmount: o.Amount}
			d := decidePay(&o, &a, now)
			assert.Equal(t, tc.want.needClose, d.needClose, "needClose")
			if tc.want.needClose {
				return
			}
			assert.Equal(t, tc.want.to, d.to, "to")
			assert.Equal(t, tc.want.way, d.way, "way")
			var ev paysync.EventType // the status event follows from the move
			if d.to != o.Status {
				ev = payEventFor(o.Status, d.to)
			}
			assert.Equal(t, tc.want.event, ev, "event")
			wantRefund := tc.want.refund
			if wantRefund == "" {
				wantRefund = paysync.PayRefundNone
			}
			assert.Equal(t, wantRefund, d.refund, "refund")
			assert.ElementsMatch(t, tc.want.anomalies, d.anomalies, "anomalies")
		})
	}
}

func withTo(w payWant, l paysync.PayStatus) payWant { w.to = l; return w }

type payWant struct {
	to        paysync.PayStatus
	way       paysync.AdjustWay
	event     paysync.EventType
	refund    paysync.PayRefundStatus
	needClose bool
	anomalies []paysync.AnomalyCode
}

func testOrder(l paysync.PayStatus, now time.Time, expired bool) paysync.PayOrder {
	o := paysync.PayOrder{OrderNo: "O1", BizOrderNo: "B1", Channel: "test", Amount: decimal.RequireFromString("10.00"),
		Currency: "CNY", Status: l, RefundStatus: paysync.PayRefundNone, CreatedAt: now.Add(-time.Hour),
		ExpiredAt: now.Add(time.Hour)}
	if expired {
		o.ExpiredAt = now.Add(-time.Minute)
	}
	return o
}

// TestDecidePayFootnotes covers footnotes ¹ and ³ and the refund guard.
func TestDecidePayFootnotes(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	ten := decimal.RequireFromString("10.00")
	tests := []struct {
		name      string
		l         paysync.PayStatus
		refund    paysync.PayRefundStatus
		rep       channel.PayReport
		to        paysync.PayStatus
		newRefund paysync.PayRefundStatus
		anomalies []paysync.AnomalyCode
	}{
		{"other order", paysync.PayProgress, "", channel.PayReport{State: channel.PaySuccess, OrderNo: "O2", Amount: ten},
			paysync.PayProgress, paysync.PayRefundNone, []paysync.AnomalyCode{paysync.AnomalyTradeMismatch}},
		{"other trade closes nothing", paysync.PayProgress, "", channel.PayReport{State: channel.PayClosed, OrderNo: "O2"},
			paysync.PayProgress, paysync.PayRefundNone, []paysync.AnomalyCode{paysync.AnomalyTradeMismatch}},
		{"other out trade no", paysync.PayProgress, "", channel.PayReport{State: channel.PaySuccess, OutOrderNo: "T-other", Amount: ten},
			paysync.PayProgress, paysync.PayRefundNone, []paysync.AnomalyCode{paysync.AnomalyTradeMismatch}},
		{"amount differs", paysync.PayProgress, "", channel.PayReport{State: channel.PaySuccess, Amount: decimal.RequireFromString("9.99")},
			paysync.PayProgress, paysync.PayRefundNone, []paysync.AnomalyCode{paysync.AnomalyAmountMismatch}},
		{"amount equal by value", paysync.PayProgress, "", channel.PayReport{State: channel.PaySuccess, Amount: decimal.RequireFromString("10")},
			paysync.PaySuccess, paysync.PayRefundNone, nil},
		{"amount not reported", paysync.PayProgress, "", channel.PayReport{State: channel.PaySuccess},
			paysync.PaySuccess, paysync.PayRefundNone, nil},
		{"currency differs", paysync.PayProgress, "", channel.PayReport{State: channel.PaySuccess, Amount: ten, Currency: "USD"},
			paysync.PayProgress, paysync.PayRefundNone, []paysync.AnomalyCode{paysync.AnomalyCurrencyMismatch}},
		{"currency case", paysync.PayProgress, "", channel.PayReport{State: channel.PaySuccess, Amount: ten, Currency: "cny"},
			paysync.PaySuccess, paysync.PayRefundNone, nil},
		{"amount and currency differ", paysync.PayClose, "", channel.PayReport{State: channel.PaySuccess, Amount: decimal.RequireFromString("1"), Currency: "USD"},
			paysync.PayClose, paysync.PayRefundNone, []paysync.AnomalyCode{paysync.AnomalyAmountMismatch, paysync.AnomalyCurrencyMismatch}},
		{"refunded whole", paysync.PayProgress, "", channel.PayReport{State: channel.PayRefunded, Amount: ten, RefundedAmount: decimal.RequireFromString("10.0")},
			paysync.PaySuccess, paysync.PayRefundFull, []paysync.AnomalyCode{paysync.AnomalyRefundAtChannel}},
		{"refunded in part", paysync.PayFail, "", channel.PayReport{State: channel.PayRefunded, Amount: ten, RefundedAmount: decimal.RequireFromString("3")},
			paysync.PaySuccess, paysync.PayRefundPartial, []paysync.AnomalyCode{paysync.AnomalyRefundAtChannel}},
		{"refunded, amount not reported", paysync.PayProgress, "", channel.PayReport{State: channel.PayRefunded, Amount: ten},
			paysync.PaySuccess, paysync.PayRefundPartial, []paysync.AnomalyCode{paysync.AnomalyRefundAtChannel}},
		{"refunded, wrong amount", paysync.PayProgress, "", channel.PayReport{State: channel.PayRefunded, Amount: decimal.RequireFromString("11")},
			paysync.PayProgress, paysync.PayRefundNone, []paysync.AnomalyCode{paysync.AnomalyAmountMismatch}},
	}
	for _, rs := range []paysync.PayRefundStatus{paysync.PayRefunding, paysync.PayRefundPartial, paysync.PayRefundFull} {
		for _, c := range channel.PayStates() {
			var an []paysync.AnomalyCode
			if c != channel.PaySuccess && c != channel.PayRefunded {
				an = []paysync.AnomalyCode{paysync.AnomalyRefundStatusConflict}
			}
			for _, l := range []paysync.PayStatus{paysync.PaySuccess, paysync.PayProgress} {
				tests = append(tests, struct {
					name      string
					l         paysync.PayStatus
					refund    paysync.PayRefundStatus
					rep       channel.PayReport
					to        paysync.PayStatus
					newRefund paysync.PayRefundStatus
					anomalies []paysync.AnomalyCode
				}{"refund guard " + string(rs) + "/" + string(l) + "/" + string(c), l, rs,
					channel.PayReport{State: c, Amount: ten}, l, rs, an})
			}
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := testOrder(tc.l, now, false)
			o.OutOrderNo = "T1"
			if tc.refund != "" {
				o.RefundStatus = tc.refund
			}
			a := payAnswer{rep: tc.rep}
			d := decidePay(&o, &a, now)
			assert.False(t, d.needClose)
			assert.Equal(t, tc.to, d.to)
			assert.Equal(t, tc.newRefund, d.refund)
			assert.Equal(t, tc.anomalies, d.anomalies)
		})
	}
}

// TestDecidePayAnotherTrade: an answer for another trade — another OrderNo,
// or an OutOrderNo other than the one stored — changes nothing in any cell
// (every local status, channel state, expiry and refund status), asks for no
// close, and raises trade_mismatch alone (docs/pay-sync.md, rules that
// apply to every cell). An OutOrderNo the order does not have yet is no
// mismatch.
func TestDecidePayAnotherTrade(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	variants := []struct {
		name   string
		change func(o *paysync.PayOrder, r *channel.PayReport)
	}{
		{"another order number", func(_ *paysync.PayOrder, r *channel.PayReport) { r.OrderNo = "O2" }},
		{"another trade number", func(o *paysync.PayOrder, r *channel.PayReport) { o.OutOrderNo, r.OutOrderNo = "T1", "T2" }},
	}
	for _, l := range paysync.PayStatuses() {
		for _, c := range channel.PayStates() {
			for _, exp := range []bool{false, true} {
				for _, rs := range []paysync.PayRefundStatus{paysync.PayRefundNone, paysync.PayRefundPartial} {
					for _, v := range variants {
						name := fmt.Sprintf("%s/%s/expired=%v/%s/%s", l, c, exp, rs, v.name)
						o := testOrder(l, now, exp)
						o.RefundStatus = rs
						a := payAnswer{rep: channel.PayReport{State: c, OrderNo: o.OrderNo, Amount: o.Amount, Currency: "CNY",
							RefundedAmount: o.Amount}}
						v.change(&o, &a.rep)
						d := decidePay(&o, &a, now)
						assert.Equal(t, payDecision{to: l, refund: rs, anomalies: []paysync.AnomalyCode{paysync.AnomalyTradeMismatch}},
							d, name)
					}
				}
			}
		}
	}
	// Not yet known here: learned, not a mismatch.
	o := testOrder(paysync.PayProgress, now, false)
	a := payAnswer{rep: channel.PayReport{State: channel.PaySuccess, OrderNo: o.OrderNo, OutOrderNo: "T2"}}
	d := decidePay(&o, &a, now)
	assert.Equal(t, paysync.PaySuccess, d.to)
	assert.Empty(t, d.anomalies)
}

// TestDecidePayFootnote1EveryCell: in every cell whose move is to success
// — wait, progress and fail on success or refunded; close and cancel on
// success — the move is made only when the channel's amount and currency
// are the order's, each when reported (a zero amount, an empty currency is
// not reported; amounts compare by value, currencies without regard to
// case, the order's empty currency as CNY). Otherwise nothing changes and
// amount_mismatch and/or currency_mismatch are raised.
func TestDecidePayFootnote1EveryCell(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	variants := []struct {
		name          string
		orderCurrency string
		amount        string // "" → not reported
		currency      string
		want          []paysync.AnomalyCode // nil → the move is made
	}{
		{"faithful", "CNY", "10.00", "CNY", nil},
		{"amount not reported", "CNY", "", "CNY", nil},
		{"currency not reported", "CNY", "10.00", "", nil},
		{"nothing reported", "CNY", "", "", nil},
		{"amount at another scale", "CNY", "10", "CNY", nil},
		{"currency in lower case", "CNY", "10.00", "cny", nil},
		{"order without currency, answer in CNY", "", "10.00", "CNY", nil},
		{"order in USD, answer in usd", "USD", "10.00", "usd", nil},
		{"another amount", "CNY", "9.99", "CNY", []paysync.AnomalyCode{paysync.AnomalyAmountMismatch}},
		{"more than the amount", "CNY", "10.01", "", []paysync.AnomalyCode{paysync.AnomalyAmountMismatch}},
		{"another currency", "CNY", "10.00", "USD", []paysync.AnomalyCode{paysync.AnomalyCurrencyMismatch}},
		{"order without currency, answer in USD", "", "", "USD", []paysync.AnomalyCode{paysync.AnomalyCurrencyMismatch}},
		{"both differ", "CNY", "1", "JPY",
			[]paysync.AnomalyCode{paysync.AnomalyAmountMismatch, paysync.AnomalyCurrencyMismatch}},
	}
	type cell struct {
		l paysync.PayStatus
		c channel.PayState
	}
	var cells []cell
	for _, l := range []paysync.PayStatus{paysync.PayWait, paysync.PayProgress, paysync.PayFail} {
		cells = append(cells, cell{l, channel.PaySuccess}, cell{l, channel.PayRefunded})
	}
	cells = append(cells, cell{paysync.PayClose, channel.PaySuccess}, cell{paysync.PayCancel, channel.PaySuccess})
	for _, x := range cells {
		for _, v := range variants {
			name := fmt.Sprintf("%s/%s/%s", x.l, x.c, v.name)
			o := testOrder(x.l, now, false)
			o.Currency = v.orderCurrency
			rep := channel.PayReport{State: x.c, OrderNo: o.OrderNo, Currency: v.currency, RefundedAmount: o.Amount}
			if v.amount != "" {
				rep.Amount = dec(v.amount)
			}
			a := payAnswer{rep: rep}
			d := decidePay(&o, &a, now)
			if v.want != nil {
				assert.Equal(t, payDecision{to: x.l, refund: paysync.PayRefundNone, anomalies: v.want}, d, name)
				continue
			}
			want := payDecision{to: paysync.PaySuccess, way: paysync.WayPaySuccess,
				refund: paysync.PayRefundNone, fill: true}
			wantEvent := paysync.EventPaySuccess
			if x.l == paysync.PayClose || x.l == paysync.PayCancel {
				wantEvent = paysync.EventPayPaidAfterClose // footnote 2
			}
			if x.c == channel.PayRefunded { // footnote 3
				want.refund, want.booked = paysync.PayRefundFull, true
				want.anomalies = []paysync.AnomalyCode{paysync.AnomalyRefundAtChannel}
			}
			assert.Equal(t, want, d, name)
			assert.Equal(t, wantEvent, payEventFor(x.l, d.to), name+": the move's event")
		}
	}
}
