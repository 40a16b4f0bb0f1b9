package syncer

import (
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

// The refund table (docs/refund-sync.md) and the transfer table
// (docs/transfer-sync.md), written here from the docs, cell by cell, so that
// the tests compare the engine with the rules and not with itself.

// payoutStatuses are the local statuses of a refund or a transfer (L).
var payoutStatuses = []string{pProgress, pFail, pClose, pSuccess}

// payoutStates are the channel's states (C).
var payoutStates = []string{cSuccess, cProgress, cClosed, cFailed, cNotFound}

// payoutWant is one cell of the table: what the sync must do to an order in
// status l given a faithful channel answer in state c.
type payoutWant struct {
	to         string              // the status after; == l when nothing moves
	afterClose bool                // footnote 2: close → success
	watch      bool                // a refund closed on not_found: watched
	fill       bool                // success stays success, OutNo and FinishedAt filled
	anomaly    paysync.AnomalyCode // raised, nothing changes
}

// payoutCell is the table's cell (l, c) for kind tt; old tells whether the
// order is older than NotFoundAfter (strictly).
func payoutCell(tt paysync.TradeType, l, c string, old bool) payoutWant {
	notAt := paysync.AnomalyRefundNotAtChannel
	if tt == paysync.TradeTransfer {
		notAt = paysync.AnomalyTransferNotAtChannel
	}
	stay := payoutWant{to: l}
	switch l {
	case pProgress:
		switch c {
		case cSuccess:
			return payoutWant{to: pSuccess}
		case cClosed:
			return payoutWant{to: pClose}
		case cFailed:
			return payoutWant{to: pFail}
		case cNotFound:
			switch {
			case !old:
				return stay
			case tt == paysync.TradeRefund:
				return payoutWant{to: pClose, watch: true}
			default: // not found never closes a payout
				return payoutWant{to: l, anomaly: notAt}
			}
		}
	case pFail:
		switch c {
		case cSuccess:
			return payoutWant{to: pSuccess}
		case cProgress:
			return payoutWant{to: pProgress}
		case cClosed:
			return payoutWant{to: pClose}
		}
	case pClose:
		switch c {
		case cSuccess:
			return payoutWant{to: pSuccess, afterClose: true}
		case cProgress:
			return payoutWant{to: pProgress}
		}
	case pSuccess:
		if c == cSuccess {
			return payoutWant{to: l, fill: true}
		}
		return payoutWant{to: l, anomaly: notAt}
	}
	return stay
}

// payoutEvent is the status event of a move (docs/domain.md, status events).
func payoutEvent(tt paysync.TradeType, from, to string) paysync.EventType {
	refund := tt == paysync.TradeRefund
	pick := func(r, t paysync.EventType) paysync.EventType {
		if refund {
			return r
		}
		return t
	}
	switch to {
	case pSuccess:
		if from == pClose {
			return pick(paysync.EventRefundSuccessAfterClose, paysync.EventTransferSuccessAfterClose)
		}
		return pick(paysync.EventRefundSuccess, paysync.EventTransferSuccess)
	case pClose:
		return pick(paysync.EventRefundClosed, paysync.EventTransferClosed)
	case pFail:
		return pick(paysync.EventRefundFailed, paysync.EventTransferFailed)
	case pProgress:
		return pick(paysync.EventRefundProgress, paysync.EventTransferProgress)
	}
	return ""
}

// payoutWay is the AdjustRecord way of a move (docs/domain.md, records).
func payoutWay(tt paysync.TradeType, to string) paysync.AdjustWay {
	refund := tt == paysync.TradeRefund
	pick := func(r, t paysync.AdjustWay) paysync.AdjustWay {
		if refund {
			return r
		}
		return t
	}
	switch to {
	case pSuccess:
		return pick(paysync.WayRefundSuccess, paysync.WayTransferSuccess)
	case pClose:
		return pick(paysync.WayRefundClose, paysync.WayTransferClose)
	case pFail:
		return pick(paysync.WayRefundFail, paysync.WayTransferFail)
	case pProgress:
		return pick(paysync.WayRefundProgress, paysync.WayTransferProgress)
	}
	return ""
}

// answerVariant changes a faithful answer; its effect on the cell is want.
type answerVariant struct {
	name   string
	change func(a *payoutReport)
	// transferOnly variants touch the payee, which only transfers have.
	transferOnly bool
	want         func(tt paysync.TradeType, l, c string, cell payoutWant) payoutWant
}

func asCell(_ paysync.TradeType, _, _ string, cell payoutWant) payoutWant { return cell }

// raisedOn: when the cell moves to success, the variant raises code and
// nothing changes (footnote 1); elsewhere the cell is as for a faithful
// answer.
func raisedOn(code paysync.AnomalyCode) func(paysync.TradeType, string, string, payoutWant) payoutWant {
	return func(_ paysync.TradeType, l, _ string, cell payoutWant) payoutWant {
		if cell.to == pSuccess && l != pSuccess {
			return payoutWant{to: l, anomaly: code}
		}
		return cell
	}
}

// mismatched: an answer about another order changes nothing in any cell.
func mismatched(_ paysync.TradeType, l, _ string, _ payoutWant) payoutWant {
	return payoutWant{to: l, anomaly: paysync.AnomalyTradeMismatch}
}

var answerVariants = []answerVariant{
	{name: "faithful", change: func(*payoutReport) {}, want: asCell},
	{name: "amount not reported", change: func(a *payoutReport) { a.Amount = decimal.Decimal{} }, want: asCell},
	{name: "currency not reported", change: func(a *payoutReport) { a.Currency = "" }, want: asCell},
	{name: "number not reported", change: func(a *payoutReport) { a.No = "" }, want: asCell},
	{name: "amount as 3.000", change: func(a *payoutReport) { a.Amount = decimal.RequireFromString("3.000") },
		want: asCell},
	{name: "another number", change: func(a *payoutReport) { a.No = "OTHER-1" }, want: mismatched},
	{name: "another amount", change: func(a *payoutReport) { a.Amount = decimal.RequireFromString("2.99") },
		want: raisedOn(paysync.AnomalyAmountMismatch)},
	{name: "another currency", change: func(a *payoutReport) { a.Currency = "USD" },
		want: raisedOn(paysync.AnomalyCurrencyMismatch)},
	{name: "payee not reported", transferOnly: true,
		change: func(a *payoutReport) { a.PayeeType, a.PayeeAccount = "", "" }, want: asCell},
	{name: "another payee type", transferOnly: true, change: func(a *payoutReport) { a.PayeeType = "ALIPAY_USER_ID" },
		want: mismatched},
	{name: "another payee account", transferOnly: true, change: func(a *payoutReport) { a.PayeeAccount = "payee-2" },
		want: mismatched},
}

// TestDecidePayoutTable runs every cell of both tables through the pure
// decision, for every answer variant, at three ages: fresh, exactly
// NotFoundAfter (still "younger") and a microsecond more (older).
func TestDecidePayoutTable(t *testing.T) {
	e := newEnv(t)
	const notFoundAfter = 10 * time.Minute
	now := t0
	ages := []struct {
		name string
		age  time.Duration
		old  bool
	}{
		{"fresh", time.Minute, false},
		{"exactly NotFoundAfter", notFoundAfter, false},
		{"NotFoundAfter+1µs", notFoundAfter + time.Microsecond, true},
	}
	kinds := []struct {
		tt    paysync.TradeType
		rules *payoutRules
	}{
		{paysync.TradeRefund, &e.s.refundKind().rules},
		{paysync.TradeTransfer, &e.s.transferKind().rules},
	}
	cells := 0
	for _, k := range kinds {
		for _, l := range payoutStatuses {
			for _, c := range payoutStates {
				for _, age := range ages {
					for _, v := range answerVariants {
						if v.transferOnly && k.tt == paysync.TradeRefund {
							continue
						}
						name := fmt.Sprintf("%s/%s×%s/%s/%s", k.tt, l, c, age.name, v.name)
						o := payoutView{no: "N1", status: l, amount: decimal.RequireFromString("3.00"), currency: "CNY",
							created: now.Add(-age.age)}
						a := &payoutReport{State: c, No: "N1", OutNo: "out-N1", Amount: decimal.RequireFromString("3.00"),
							Currency: "CNY"}
						if k.tt == paysync.TradeTransfer {
							o.payeeType, o.payeeAccount = "openid", "payee-1"
							a.PayeeType, a.PayeeAccount = "openid", "payee-1"
						}
						v.change(a)
						want := v.want(k.tt, l, c, payoutCell(k.tt, l, c, age.old))
						d := decidePayout(k.rules, o, a, notFoundAfter, now)
						cells++

						assert.Equal(t, want.to, d.to, "%s: status after", name)
						if want.to != l {
							et, ok := k.rules.event(l, d.to) // the status event follows from the move
							assert.True(t, ok, "%s: a move with no status event", name)
							assert.Equal(t, payoutEvent(k.tt, l, want.to), et, "%s: event", name)
							assert.Equal(t, payoutWay(k.tt, want.to), d.way, "%s: way", name)
						} else {
							assert.Empty(t, d.way, "%s: no way without a move", name)
						}
						assert.Equal(t, want.watch, d.watch, "%s: watch", name)
						assert.Equal(t, want.fill, d.fill, "%s: fill", name)
						var wantAnomalies []paysync.AnomalyCode
						if want.anomaly != "" {
							wantAnomalies = []paysync.AnomalyCode{want.anomaly}
						}
						assert.ElementsMatch(t, wantAnomalies, d.anomalies, "%s: anomalies", name)
					}
				}
			}
		}
	}
	t.Logf("%d decisions checked", cells)
}

// TestDecidePayoutPure: the decision reads only its arguments — the same
// inputs give the same decision, and the report is not changed.
func TestDecidePayoutPure(t *testing.T) {
	e := newEnv(t)
	rules := &e.s.refundKind().rules
	o := payoutView{no: "N1", status: pProgress, amount: decimal.RequireFromString("3.00"), currency: "CNY",
		created: t0.Add(-time.Hour)}
	a := &payoutReport{State: cNotFound, No: "N1", Amount: decimal.RequireFromString("3.00"), Currency: "CNY"}
	before := *a
	d1 := decidePayout(rules, o, a, 10*time.Minute, t0)
	d2 := decidePayout(rules, o, a, 10*time.Minute, t0)
	assert.Equal(t, d1, d2)
	assert.Equal(t, before, *a)
	assert.Equal(t, pClose, d1.to)
}
