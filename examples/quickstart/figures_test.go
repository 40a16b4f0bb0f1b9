package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The figures the demo prints add up, for several seeds, and each printed
// number is its count in the store — counted here by the test on its own,
// through the store's port, not through the demo's counting code.
func TestFigures(t *testing.T) {
	for _, seed := range []uint64{defaultSeed, 7, 42, 20261127} {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			ctx := context.Background()
			d, err := newDemo(ctx, demoConfig{Seed: seed})
			require.NoError(t, err)
			st := &storeView{t: t, ctx: ctx, store: d.store, now: d.cfg.Clock}
			before := st.census()
			var out bytes.Buffer
			sum, err := d.tell(ctx, &out)
			require.NoError(t, err, out.String())
			text := out.String()

			checkSums(t, st, sum)
			checkIntro(t, st, d, before, text)
			checkSweepLine(t, st, text)
			checkCallbacks(t, st, d.plan, text)
			checkChangesTable(t, st, text)
			checkAnomalyTable(t, st, text)
			checkMoneyTable(t, st, text)
			checkEventTable(t, st, text)
			checkAgreementTable(t, st, text)
			checkClosing(t, st, text)
		})
	}
}

// checkSums asserts that the demo's figures add up, each side counted from
// the store.
func checkSums(t *testing.T, st *storeView, sum summary) {
	t.Helper()
	// Orders = agree + wait for a person + wait for the next sync, per kind.
	for i, tt := range paysync.TradeTypes() {
		k := sum.Agreement.Kinds[i]
		require.Equal(t, tt, k.Kind)
		assert.Equal(t, st.orders(tt), k.Orders, "%s orders", tt)
		assert.Equal(t, k.Orders, k.Agree+len(k.ForAPerson)+len(k.ForRetry), "%s: agree + person + next sync", tt)
		assert.Empty(t, k.Unexplained, tt)
		assert.ElementsMatch(t, st.withOpenAnomaly(tt), k.ForAPerson, "%s orders waiting for a person", tt)
		assert.ElementsMatch(t, st.lastSyncFailed(tt), k.ForRetry, "%s orders waiting for the next sync", tt)
	}

	// Changes by way = adjust records = status events.
	adjusts, events := st.adjusts(), st.events()
	assert.Equal(t, len(adjusts), sum.changes(), "changes table = adjust records")
	all, status, anomaly := sum.events()
	assert.Equal(t, len(events), all, "event table = outbox rows")
	assert.Equal(t, len(adjusts), status, "status events = adjust records")

	// Anomalies seen = open anomalies = *.anomaly events.
	open := st.openAnomalies()
	assert.Len(t, open, sum.openAnomalies(), "anomaly table = open anomalies")
	assert.Equal(t, len(open), anomaly, "anomaly events = open anomalies")
	assert.Equal(t, len(open), sum.Sighted, "anomalies seen = open anomalies")
	n := 0
	for _, tt := range paysync.TradeTypes() {
		n += st.counts(tt).OpenAnomalies
	}
	assert.Equal(t, len(open), n, "open anomalies by kind")

	// Sync records: changed + anomaly + unchanged + unanswered = all; the
	// pass's records are the sweep report.
	recs := st.syncs()
	c := sum.Syncs
	assert.Equal(t, len(recs), c.Total)
	assert.Equal(t, c.Total, c.Changed+c.Anomaly+c.Unchanged+c.Unanswered, "sync records add up")
	pc := sum.Pass
	assert.Equal(t, pc.Total, pc.Changed+pc.Anomaly+pc.Unchanged+pc.Unanswered, "the pass's records add up")
	assert.Equal(t, sum.Sweep.Due, pc.Total)
	assert.Equal(t, sum.Sweep.Adjusted, pc.Changed)
	assert.Equal(t, sum.Sweep.Anomalies, pc.Anomalous)
	assert.Equal(t, sum.Sweep.Errors, pc.Unanswered)
	assert.Equal(t, due(sum.Before), sum.Sweep.Due, "claimed = due before the sweep")

	// Money: refunded + reserved + refundable = amount, and the refund orders
	// account for what is refunded and reserved.
	rows := 0
	for _, o := range st.payOrders() {
		rs := st.refunds(o.OrderNo)
		if len(rs) == 0 && o.RefundedAmount.IsZero() && o.ReservedAmount.IsZero() {
			continue
		}
		rows++
		assert.True(t, o.RefundedAmount.Add(o.ReservedAmount).Add(o.RefundableBalance()).Equal(o.Amount), o.OrderNo)
		assert.False(t, o.RefundableBalance().IsNegative(), o.OrderNo)
		var refunded, reserved decimal.Decimal
		for _, r := range rs {
			switch r.Status {
			case paysync.RefundSuccess:
				refunded = refunded.Add(r.Amount)
			case paysync.RefundProgress, paysync.RefundFail:
				reserved = reserved.Add(r.Amount)
			}
		}
		assert.True(t, reserved.Equal(o.ReservedAmount), "%s reserved %s, its refunds %s", o.OrderNo, o.ReservedAmount, reserved)
		if !refunded.Equal(o.RefundedAmount) {
			// Only money the channel refunded with no refund here behind it,
			// which a person must place.
			assert.Contains(t, st.withOpenAnomaly(paysync.TradePay), o.OrderNo, "%s refunded %s, its refunds %s",
				o.OrderNo, o.RefundedAmount, refunded)
		}
	}
	assert.Equal(t, rows, len(sum.Money), "rows of the money table")
}

// checkIntro asserts the story's opening: last night's refund and the store
// before the sweep.
func checkIntro(t *testing.T, st *storeView, d *demo, before map[paysync.TradeType]repository.OrderCounts, text string) {
	t.Helper()
	r := st.refund(d.plan.NightRefundNo)
	var night []paysync.SyncRecord
	for _, rec := range st.syncsOf(paysync.TradeRefund, r.RefundNo) {
		if rec.CreatedAt.Before(st.now) {
			night = append(night, rec)
		}
	}
	require.NotEmpty(t, night)
	says(t, text, "the shop refunded "+money(r.Amount)+" of pay order "+r.OrderNo)
	says(t, text, "at "+hm(r.CreatedAt)+" the shop refunded")
	says(t, text, count(len(night), "time")+" from "+hm(night[0].CreatedAt)+" to "+hm(night[len(night)-1].CreatedAt))
	says(t, text, "next look due at "+hm(r.CreatedAt.Add(6*time.Hour)))

	since := st.createdSince(st.now.Add(-sweeperDown))
	says(t, text, "Since then the shop took "+count(since[paysync.TradePay], "pay order")+
		" over WeChat Pay and Alipay, split "+count(since[paysync.TradeAllocation], "sale")+" with partners, created "+
		count(since[paysync.TradeRefund], "refund")+" and sent "+count(since[paysync.TradeTransfer], "payout"))

	rows := tableRows(t, text, "The store at", "KIND")
	var orders, dueNow int
	for i, tt := range paysync.TradeTypes() {
		c := before[tt]
		var by []string
		n := 0
		for _, s := range statusesOf(tt) {
			if c.ByStatus[s] > 0 {
				by = append(by, s+" "+group(c.ByStatus[s]))
				n += c.ByStatus[s]
			}
		}
		assert.Equal(t, []string{string(tt), group(n), group(c.Due), strings.Join(by, ", ")}, rows[i])
		orders, dueNow = orders+n, dueNow+c.Due
	}
	assert.Equal(t, []string{"all", group(orders), group(dueNow)}, rows[len(rows)-1])
}

// checkSweepLine asserts the line that says what the pass did.
func checkSweepLine(t *testing.T, st *storeView, text string) {
	t.Helper()
	var pass []paysync.SyncRecord
	for _, r := range st.syncs() {
		if r.Source == paysync.SourceSweep && r.CreatedAt.Equal(st.now) {
			pass = append(pass, r)
		}
	}
	c := outcomes(pass)
	says(t, text, "Sweeping at "+hm(st.now)+": "+count(len(pass), "order")+" are due")
	says(t, text, "Swept "+count(len(pass), "order")+": "+group(c.changed)+" changed, "+
		group(c.anomaly)+" met an anomaly and changed nothing, "+group(c.unchanged)+" had nothing to change, "+
		group(c.unanswered)+" got no answer.")
}

// checkCallbacks asserts the late callbacks' lines against the orders.
func checkCallbacks(t *testing.T, st *storeView, p planted, text string) {
	t.Helper()
	late := st.payOrder(p.PaidAfterCloseNo)
	says(t, text, late.OrderNo+" closed at "+clock(late.ClosedAt)+", paid at "+channelName(late.Channel)+" "+
		clock(late.PaidAt)+": close → "+string(late.Status))
	says(t, text, p.DuplicateNo+" a repeat for a payment the sweep found: still "+string(st.payOrder(p.DuplicateNo).Status))
}

// checkChangesTable asserts each row of the changes table against the
// adjust records it counts, and that the rows add up to all of them.
func checkChangesTable(t *testing.T, st *storeView, text string) {
	t.Helper()
	adjusts := st.adjusts()
	says(t, text, "What changed: the store's "+count(len(adjusts), "adjust record"))
	rows := tableRows(t, text, "What changed", "ORDER")
	total := 0
	for _, row := range rows[:len(rows)-1] {
		require.Len(t, row, 7, "%q", row)
		n, amount := 0, decimal.Zero
		for _, a := range adjusts {
			order := string(a.TradeType)
			if a.ReceiverNo != "" {
				order = orderReceiver
			}
			src := string(a.Source)
			if a.CreatedAt.Before(st.now) {
				src += " at " + hm(a.CreatedAt)
			}
			if order == row[0] && a.Before == row[1] && a.After == row[2] && string(a.Way) == row[3] && src == row[4] {
				n++
				amount = amount.Add(st.moneyOf(a))
			}
		}
		assert.Equal(t, group(n), row[5], "%q", row)
		assert.Equal(t, money(amount), row[6], "%q", row)
		total += n
	}
	assert.Equal(t, len(adjusts), total, "the rows count every adjust record once")
	assert.Equal(t, []string{"all", group(len(adjusts))}, rows[len(rows)-1])
}

// checkAnomalyTable asserts the open anomalies as printed.
func checkAnomalyTable(t *testing.T, st *storeView, text string) {
	t.Helper()
	open := st.openAnomalies()
	seen := map[string]bool{}
	for _, r := range st.syncs() {
		for _, c := range r.Anomalies {
			seen[string(r.TradeType)+r.TradeNo+string(c)] = true
		}
	}
	announced := 0
	for _, e := range st.events() {
		if strings.HasSuffix(string(e.Type), ".anomaly") {
			announced++
		}
	}
	says(t, text, "What waits for a person: "+count(len(open), "open anomaly")+" (the sync records saw "+
		group(len(seen))+", the outbox announced "+group(announced)+")")
	var want, got [][]string
	for _, a := range open {
		want = append(want, []string{string(a.Code), string(a.TradeType) + " " + a.TradeNo, anomalyHint(a.Code)})
	}
	for _, row := range tableRows(t, text, "What waits for a person", "ANOMALY") {
		kind, nos, _ := strings.Cut(row[1], " ")
		for _, no := range strings.Split(nos, ", ") {
			got = append(got, []string{row[0], kind + " " + no, row[2]})
		}
	}
	assert.ElementsMatch(t, want, got)
}

// checkMoneyTable asserts each pay order and refund of the money table
// against the store, and its totals.
func checkMoneyTable(t *testing.T, st *storeView, text string) {
	t.Helper()
	var amount, refunded, reserved, refundable decimal.Decimal
	refunds := 0
	var pay paysync.PayOrder
	rows := tableRows(t, text, "The refunded pay orders' money", "PAY ORDER")
	for _, row := range rows[:len(rows)-1] {
		line := row[len(row)-1]
		if len(row) == 6 { // a pay order
			pay = st.payOrder(row[0])
			assert.Equal(t, []string{money(pay.Amount), money(pay.RefundedAmount), money(pay.ReservedAmount),
				money(pay.RefundableBalance())}, row[1:5], pay.OrderNo)
			amount, refunded = amount.Add(pay.Amount), refunded.Add(pay.RefundedAmount)
			reserved, refundable = reserved.Add(pay.ReservedAmount), refundable.Add(pay.RefundableBalance())
		} else {
			require.Len(t, row, 1, "%q", row)
		}
		if strings.HasPrefix(line, "refunded at the channel") {
			continue
		}
		f := strings.Fields(line) // number, amount, path
		require.Len(t, f, 3, "%q", line)
		r := st.refund(f[0])
		assert.Equal(t, pay.OrderNo, r.OrderNo)
		path := []string{string(paysync.RefundProgress)}
		for _, a := range st.adjustsOf(paysync.TradeRefund, r.RefundNo) {
			path = append(path, a.After)
		}
		assert.Equal(t, []string{r.RefundNo, money(r.Amount), strings.Join(path, "→")}, f)
		assert.Equal(t, string(r.Status), path[len(path)-1])
		refunds++
	}
	assert.Equal(t, []string{"all", money(amount), money(refunded), money(reserved), money(refundable),
		count(refunds, "refund")}, rows[len(rows)-1])
	assert.True(t, refunded.Add(reserved).Add(refundable).Equal(amount), "the totals add up")
	assert.Equal(t, st.orders(paysync.TradeRefund), refunds, "every refund is in the table")
}

// checkEventTable asserts each row of the event table against the outbox.
func checkEventTable(t *testing.T, st *storeView, text string) {
	t.Helper()
	events := st.events()
	byType := map[string]int{}
	status, anomaly := 0, 0
	for _, e := range events {
		byType[string(e.Type)]++
		if e.Type.IsStatus() {
			status++
		}
		if strings.HasSuffix(string(e.Type), ".anomaly") {
			anomaly++
		}
	}
	says(t, text, "What the host delivers: "+count(len(events), "event")+" in the outbox ("+
		count(status, "status event")+", "+count(anomaly, "anomaly event")+")")
	rows := tableRows(t, text, "What the host delivers", "EVENT")
	printed := map[string]int{}
	for _, row := range rows[:len(rows)-1] {
		printed[row[0]] = number(t, row[1])
	}
	assert.Equal(t, byType, printed)
	assert.Equal(t, []string{"all", group(len(events))}, rows[len(rows)-1])
}

// checkAgreementTable asserts the agreement table: orders from the store's
// counts, waiting for a person from its open anomalies, waiting for the
// next sync from the records; agree is the rest.
func checkAgreementTable(t *testing.T, st *storeView, text string) {
	t.Helper()
	rows := tableRows(t, text, "Every order against its channel", "KIND")
	var all [4]int
	for i, tt := range paysync.TradeTypes() {
		n, person, retry := st.orders(tt), len(st.withOpenAnomaly(tt)), len(st.lastSyncFailed(tt))
		want := [4]int{n, n - person - retry, person, retry}
		assert.Equal(t, []string{string(tt), group(want[0]), group(want[1]), group(want[2]), group(want[3])}, rows[i])
		for j := range all {
			all[j] += want[j]
		}
	}
	assert.Equal(t, []string{"all", group(all[0]), group(all[1]), group(all[2]), group(all[3])}, rows[len(rows)-1])
}

// checkClosing asserts the sync-record count and the closing line.
func checkClosing(t *testing.T, st *storeView, text string) {
	t.Helper()
	recs := st.syncs()
	c := outcomes(recs)
	says(t, text, count(len(recs), "sync record")+" in all: "+group(c.changed)+" changed an order, "+
		group(c.anomaly)+" met an anomaly and changed nothing, "+group(c.unchanged)+" had nothing to change, "+
		group(c.unanswered)+" got no answer.")
	var orders, person, retry int
	for _, tt := range paysync.TradeTypes() {
		orders += st.orders(tt)
		person += len(st.withOpenAnomaly(tt))
		retry += len(st.lastSyncFailed(tt))
	}
	says(t, text, "Of "+count(orders, "order")+", "+group(orders-person-retry)+" agree with their channel. "+
		group(person)+" wait for a person")
	says(t, text, group(retry)+" wait for their next sync")
}

// says asserts that the demo's output, read as prose (lines joined,
// spaces collapsed), contains want; on failure it names want alone.
func says(t *testing.T, text, want string) {
	t.Helper()
	if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
		t.Errorf("the demo does not say %q", want)
	}
}

// recordOutcomes sorts sync records as the demo promises to: no answer;
// else changed; else an anomaly without change; else nothing to change.
type recordOutcomes struct{ changed, anomaly, unchanged, unanswered int }

func outcomes(recs []paysync.SyncRecord) recordOutcomes {
	var c recordOutcomes
	for _, r := range recs {
		switch {
		case r.ErrorCode != "":
			c.unanswered++
		case r.AdjustNo != "":
			c.changed++
		case len(r.Anomalies) > 0:
			c.anomaly++
		default:
			c.unchanged++
		}
	}
	return c
}

// tableRows returns the rows of the printed table whose title line starts
// with title and whose header row starts with header, split into cells at
// runs of two or more spaces, the header left out, up to the first blank
// line.
func tableRows(t *testing.T, text, title, header string) [][]string {
	t.Helper()
	lines := strings.Split(text, "\n")
	i := 0
	for i < len(lines) && !strings.HasPrefix(lines[i], title) {
		i++
	}
	for i < len(lines) && !strings.HasPrefix(lines[i], "  "+header) {
		i++
	}
	require.Less(t, i, len(lines), "no table %q with header %q", title, header)
	var rows [][]string
	for _, l := range lines[i+1:] {
		if strings.TrimSpace(l) == "" {
			break
		}
		rows = append(rows, cells.Split(strings.TrimSpace(l), -1))
	}
	require.NotEmpty(t, rows, "table %q is empty", title)
	return rows
}

var cells = regexp.MustCompile(`\s{2,}`)

// number parses a printed count.
func number(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	require.NoError(t, err, s)
	return n
}
