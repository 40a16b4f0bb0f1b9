package syncer

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/statemachine"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzBytes reads a fuzz input one byte at a time; past the end it reads
// zeros, so every input decodes.
type fuzzBytes struct {
	b []byte
	i int
}

func (f *fuzzBytes) next() byte {
	if f.i >= len(f.b) {
		return 0
	}
	v := f.b[f.i]
	f.i++
	return v
}

// amount decodes a small decimal: 0–4 in units, tenths or hundredths, so
// that equal values with other exponents ("1" and "1.0") come up.
func (f *fuzzBytes) amount() decimal.Decimal {
	b := f.next()
	return decimal.New(int64(b%5), -int32(b>>3%3))
}

// FuzzMatchReceivers decodes a receiver list and channel entries (two bytes
// each: type, account, result or state, detail id; amount) and checks
// matchReceivers (checkMatch: each entry used at most once, ignored
// receivers never matched, pairs with both ids have equal ids, no receiver
// left out while a fitting entry is unused, deterministic, inputs
// untouched), then decideAllocation on the same input: no error, final and
// ignored receivers unchanged, the aggregate by the rule of docs/allocation-sync.md#aggregation.
func FuzzMatchReceivers(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 0x80, 1, 0x80, 1, 2, 0x88, 1, 0x90, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &fuzzBytes{b: data}
		types := [2]string{"merchant_no", "openid"}
		accounts := [4]string{"a", "b", "c", ""}
		rs := make([]paysync.AllocationReceiver, in.next()%8)
		for i := range rs {
			b := in.next()
			rs[i] = paysync.AllocationReceiver{ReceiverNo: string(rune('p' + i)), ReceiverType: types[b&1],
				Account: accounts[b>>1&3], Result: [4]paysync.ReceiverResult{pending, rsucc, rfail, rign}[b>>3&3],
				OutDetailID: fuzzID(b >> 5), Amount: in.amount()}
		}
		es := make([]channel.ReceiverReport, in.next()%8)
		for j := range es {
			b := in.next()
			es[j] = channel.ReceiverReport{ReceiverType: types[b&1], Account: accounts[b>>1&3],
				State: [4]channel.ReceiverState{cpend, csucc, cfail, cpend}[b>>3&3], OutDetailID: fuzzID(b >> 5),
				Amount: in.amount()}
		}
		checkMatch(t, rs, es)

		o := paysync.AllocationOrder{AllocationNo: "A1", Status: paysync.AllocProcessing, Result: paysync.AllocAllPending,
			Receivers: rs}
		rep := channel.AllocationReport{Receivers: es}
		d, err := decideAllocation(&o, &rep, false, time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		require.Len(t, d.receivers, len(rs))
		for i, r := range rs {
			if r.Result.Final() || r.Result == rign {
				assert.Equal(t, r.Result, d.receivers[i].Result, "receiver %d: a final result changed", i)
			}
		}
		results := make([]paysync.ReceiverResult, len(d.receivers))
		for i, x := range d.receivers {
			results[i] = x.Result
		}
		st, res := oracleAggregate(o.Status, o.Result, results)
		assert.Equal(t, st, d.status, "status")
		assert.Equal(t, res, d.result, "result")
	})
}

// fuzzID decodes a detail id: D0–D3, or none for 4–7.
func fuzzID(b byte) string {
	if b >= 4 {
		return ""
	}
	return "D" + string(rune('0'+b))
}

// FuzzDecidePay decodes an order (status, refund status, expiry, trade
// number, currency), a channel report (state, order and trade numbers,
// amount, currency, refunded amount, paid time) and what a close at the
// channel did, and checks decidePay: it never panics; it is pure and
// deterministic; success goes nowhere else; money that differs (amount,
// currency) or another order's answer never moves an order to success; an
// order with a refund status never moves; the decision's target is the
// order's status or reachable by one move of the machine, with the way and
// event that move names; a close is asked for at most once per sync and
// only while the channel says the trade is open.
func FuzzDecidePay(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 1, 2, 0, 1, 0, 4, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &fuzzBytes{b: data}
		now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		ten := decimal.RequireFromString("10.00")
		statuses := append(paysync.PayStatuses(), "bogus")
		states := append(channel.PayStates(), "bogus")

		o := paysync.PayOrder{OrderNo: "O1", BizOrderNo: "B1", Channel: "test", Amount: ten, CreatedAt: now.Add(-time.Hour)}
		o.Status = statuses[int(in.next())%len(statuses)]
		o.RefundStatus = [5]paysync.PayRefundStatus{"", paysync.PayRefundNone, paysync.PayRefunding, paysync.PayRefundPartial,
			paysync.PayRefundFull}[in.next()%5]
		b := in.next()
		switch b % 3 {
		case 1:
			o.ExpiredAt = now.Add(-time.Minute)
		case 2:
			o.ExpiredAt = now.Add(time.Minute)
		}
		o.OutOrderNo = [2]string{"", "T1"}[b>>2&1]
		o.Currency = [3]string{"", "CNY", "USD"}[(b>>3)%3]

		var a payAnswer
		a.rep.State = states[int(in.next())%len(states)]
		b = in.next()
		a.rep.OrderNo = [3]string{"", "O1", "O2"}[b%3]
		a.rep.OutOrderNo = [3]string{"", "T1", "T2"}[(b/3)%3]
		a.rep.Currency = [4]string{"", "CNY", "cny", "USD"}[(b/9)%4]
		amt, exp := in.next(), in.next()
		a.rep.Amount = decimal.New(int64(int8(amt)), -int32(exp%4))
		if exp>>2&1 == 1 {
			a.rep.Amount = decimal.New(1000*int64(pow10(int(exp%4))), -2-int32(exp%4)) // 10.00 at another exponent
		}
		b = in.next()
		a.rep.RefundedAmount = [3]decimal.Decimal{{}, ten, ten.Div(decimal.NewFromInt(2))}[b%3]
		a.closeTried = b>>2&1 == 1
		a.closed = a.closeTried && b>>3&1 == 1
		a.closeUnsupported = !a.closeTried && b>>4&1 == 1
		if in.next()&1 == 1 {
			a.rep.PaidAt = now.Add(-time.Second)
		}

		before, answer := o, a
		d := decidePay(&o, &a, now)
		assert.Equal(t, before, o, "decidePay changed the order")
		assert.Equal(t, answer, a, "decidePay changed the answer")
		assert.Equal(t, d, decidePay(&o, &a, now), "decidePay is not deterministic")

		from := o.Status
		if d.to != from {
			ev, _ := statemachine.PayEventTo(d.to)
			_, _, err := statemachine.Pay(context.Background(), from, ev)
			assert.NoError(t, err, "%s → %s is no move of the machine", from, d.to)
			assert.Equal(t, wantPayEvent(from, d.to), payEventFor(from, d.to), "event for %s → %s", from, d.to)
			assert.True(t, slices.Contains(wantPayWay(paysync.AdjustRecord{After: string(d.to)}), d.way), "way %s", d.way)
		} else {
			assert.Empty(t, d.way, "a way without a move")
		}
		if from == paysync.PaySuccess {
			assert.Equal(t, paysync.PaySuccess, d.to, "success left")
		}
		if from != paysync.PaySuccess && d.to == paysync.PaySuccess {
			assert.True(t, a.rep.Amount.IsZero() || a.rep.Amount.Equal(o.Amount), "paid with another amount")
			assert.True(t, a.rep.Currency == "" || strings.EqualFold(a.rep.Currency, o.CurrencyOrDefault()), "paid in another currency")
			assert.True(t, a.rep.OrderNo == "" || a.rep.OrderNo == o.OrderNo, "paid on another order's answer")
			assert.True(t, a.rep.OutOrderNo == "" || o.OutOrderNo == "" || a.rep.OutOrderNo == o.OutOrderNo,
				"paid on another trade's answer")
			assert.Contains(t, []channel.PayState{channel.PaySuccess, channel.PayRefunded}, a.rep.State, "paid on %s", a.rep.State)
		}
		if rs := o.RefundStatus; rs != "" && rs != paysync.PayRefundNone {
			assert.Equal(t, from, d.to, "an order with a refund status moved")
			assert.Equal(t, rs, d.refund, "refund status changed")
		}
		if d.refund != paysync.PayRefundNone && d.refund != o.RefundStatus {
			assert.Equal(t, paysync.PaySuccess, d.to, "a refund status without the payment")
			assert.Equal(t, channel.PayRefunded, a.rep.State)
		}
		if d.needClose {
			assert.False(t, a.closeTried || a.closeUnsupported, "a second close in one sync")
			assert.Contains(t, []channel.PayState{channel.PayProgress, channel.PayNotFoundUnknown}, a.rep.State,
				"close asked while the channel says %s", a.rep.State)
		}
		seen := map[paysync.AnomalyCode]bool{}
		for _, c := range d.anomalies {
			assert.True(t, c.Valid(), "unknown anomaly %q", c)
			assert.False(t, seen[c], "anomaly %s twice", c)
			seen[c] = true
		}
	})
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}
