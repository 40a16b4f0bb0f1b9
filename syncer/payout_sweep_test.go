//go:build go1.25

package syncer

import (
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// payoutDues are the ages at which the default refund and transfer
// timetable (docs/sweep.md) makes an order due: every minute to 10 min,
// every 10 min to 1 h, hourly to a day, every 6 h to 7 days.
func payoutDues() []time.Duration {
	var d []time.Duration
	for m := 1; m <= 10; m++ {
		d = append(d, time.Duration(m)*time.Minute)
	}
	for m := 20; m <= 60; m += 10 {
		d = append(d, time.Duration(m)*time.Minute)
	}
	for h := 2; h <= 24; h++ {
		d = append(d, time.Duration(h)*time.Hour)
	}
	for h := 30; h <= 7*24; h += 6 {
		d = append(d, time.Duration(h)*time.Hour)
	}
	return d
}

// watchDues are the ages at which a refund closed on not_found is due: the
// refund timetable's 6-hour grid counted from creation, to 7 days.
func watchDues(from time.Duration) []time.Duration {
	var d []time.Duration
	for h := 6; h <= 7*24; h += 6 {
		if age := time.Duration(h) * time.Hour; age > from {
			d = append(d, age)
		}
	}
	return d
}

// dueWalk sweeps a world at exactly the ages an order should be due, and a
// microsecond before each, and checks by the order's SyncRecords that it was
// synced exactly at those ages and that its NextSyncAt named each one.
type dueWalk struct {
	t     *testing.T
	e     *env
	start time.Time
	syncs func() int
	next  func() time.Time
}

// to walks dues in order; at each, before it runs the sweep, check (if not
// nil) may change the world.
func (w *dueWalk) to(dues []time.Duration, at func(age time.Duration)) {
	w.t.Helper()
	for _, age := range dues {
		require.True(w.t, w.start.Add(age).Equal(w.next()), "due at age %s, but NextSyncAt is age %s", age,
			w.next().Sub(w.start))
		w.e.clock.Set(w.start.Add(age - time.Microsecond))
		n := w.syncs()
		w.e.sweep(w.e.s)
		require.Equal(w.t, n, w.syncs(), "synced before its due age %s", age)
		w.e.clock.Set(w.start.Add(age))
		if at != nil {
			at(age)
		}
		w.e.sweep(w.e.s)
		require.Equal(w.t, n+1, w.syncs(), "not synced at its due age %s", age)
	}
}

func countEvents(evs []paysync.Event, typ paysync.EventType) int {
	n := 0
	for _, ev := range evs {
		if ev.Type == typ {
			n++
		}
	}
	return n
}

// TestSweepRefundTimetable: a refund the channel keeps in progress is swept
// on the refund timetable to 7 days, then leaves the schedule with one
// sync.exhausted, still progress and still holding its money; it is still
// synced on demand.
func TestSweepRefundTimetable(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	start := e.clock.Now()
	r := e.createRefund("R1", "O1", "3.00")
	if r.Schedule.NextSyncAt.Equal(start) { // created due at once (docs/storage.md): the first pass asks
		e.sweep(e.s)
	}
	w := &dueWalk{t: t, e: e, start: start, syncs: func() int { return len(e.syncs(paysync.TradeRefund, "R1")) },
		next: func() time.Time { return e.getRefund("R1").Schedule.NextSyncAt }}
	w.to(payoutDues(), nil)

	got := e.getRefund("R1")
	assert.Equal(t, paysync.RefundProgress, got.Status, "exhaustion changes no status")
	assert.True(t, got.Schedule.Exhausted)
	assert.True(t, got.Schedule.NextSyncAt.IsZero())
	evs := e.events(paysync.TradeRefund, "R1")
	require.Equal(t, 1, countEvents(evs, paysync.EventSyncExhausted), "sync.exhausted once")
	pl := refundPayloadOf(t, evs[len(evs)-1])
	assert.Equal(t, paysync.RefundProgress, pl.Status, "the exhausted event carries a RefundPayload")
	checkMoney(t, e, "O1", payMoney{"0", "3.00", paysync.PayRefunding}, "still reserved")
	for _, s := range e.syncs(paysync.TradeRefund, "R1") {
		assert.Equal(t, paysync.SourceSweep, s.Source)
	}

	e.clock.Add(30 * 24 * time.Hour)
	assert.Zero(t, e.sweep(e.s).Due, "an exhausted refund gets no due time")
	e.ch.SetRefund("R1", channeltest.RefundAnswer(got, channel.RefundSuccess))
	res, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: "R1"})
	require.NoError(t, err)
	assert.Equal(t, paysync.RefundSuccess, res.Status, "synced on demand after exhaustion")
	assert.Equal(t, 1, countEvents(e.events(paysync.TradeRefund, "R1"), paysync.EventSyncExhausted))
	checkMoney(t, e, "O1", payMoney{"3.00", "0", paysync.PayRefundPartial}, "found")
}

// TestSweepTransferNotFound: a transfer in progress that the channel does
// not know is swept on its timetable; past NotFoundAfter it raises
// transfer_not_at_channel (once) and is never closed; at 7 days its
// schedule ends with one sync.exhausted.
func TestSweepTransferNotFound(t *testing.T) {
	e := newEnv(t)
	start := e.clock.Now()
	e.newTransfer("T1", paysync.TransferProgress, start, func(o *paysync.TransferOrder) {
		o.Schedule.NextSyncAt = e.s.Timetables().Transfer.First(o.CreatedAt, time.Time{})
	})
	e.ch.SetTransfer("T1", channel.TransferReport{State: channel.TransferNotFound})
	w := &dueWalk{t: t, e: e, start: start, syncs: func() int { return len(e.syncs(paysync.TradeTransfer, "T1")) },
		next: func() time.Time { return e.getTransfer("T1").Schedule.NextSyncAt }}
	w.to(payoutDues(), func(age time.Duration) {
		if age <= 10*time.Minute {
			assert.Empty(t, openAnomalies(t, e.store, paysync.TradeTransfer, "T1"), "raised at age %s", age)
		}
	})
	got := e.getTransfer("T1")
	assert.Equal(t, paysync.TransferProgress, got.Status, "not found never closes a payout")
	assert.Empty(t, e.adjusts(paysync.TradeTransfer, "T1"))
	assert.True(t, got.Schedule.Exhausted)
	evs := e.events(paysync.TradeTransfer, "T1")
	assert.Equal(t, 1, countEvents(evs, paysync.EventTransferAnomaly), "announced once")
	assert.Equal(t, 1, countEvents(evs, paysync.EventSyncExhausted), "exhausted once")
	a, ok := e.anomaly(paysync.TradeTransfer, "T1", paysync.AnomalyTransferNotAtChannel)
	require.True(t, ok)
	assert.Equal(t, len(payoutDues())-10, a.TimesSeen, "seen on every sync older than NotFoundAfter")
	assert.True(t, a.FirstSeenAt.Equal(start.Add(20*time.Minute)), "first seen at the first sync past 10 min")
}

// TestSweepRefundWatch: a refund the channel does not know is closed once
// older than NotFoundAfter and watched — swept on the 6-hour grid from its
// creation — until 7 days, when it leaves the schedule quietly, still
// close: no sync.exhausted.
func TestSweepRefundWatch(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	start := e.clock.Now()
	e.createRefund("R1", "O1", "3.00")
	e.ch.SetRefund("R1", channel.RefundReport{State: channel.RefundNotFound})
	e.sweep(e.s) // due at once, or not: either way young
	w := &dueWalk{t: t, e: e, start: start, syncs: func() int { return len(e.syncs(paysync.TradeRefund, "R1")) },
		next: func() time.Time { return e.getRefund("R1").Schedule.NextSyncAt }}
	w.to(payoutDues()[:11], nil) // to 20 min: closed at the first sync past 10 min
	got := e.getRefund("R1")
	require.Equal(t, paysync.RefundClose, got.Status)
	require.True(t, got.Watched)
	checkMoney(t, e, "O1", payMoney{"0", "0", paysync.PayRefundNone}, "released")

	w.to(watchDues(20*time.Minute), nil)
	got = e.getRefund("R1")
	assert.Equal(t, paysync.RefundClose, got.Status)
	assert.False(t, got.Watched, "the watch ended")
	assert.True(t, got.Schedule.NextSyncAt.IsZero(), "left the schedule")
	assert.False(t, got.Schedule.Exhausted, "quietly")
	evs := e.events(paysync.TradeRefund, "R1")
	assert.Zero(t, countEvents(evs, paysync.EventSyncExhausted), "the watch ends quietly")
	assert.Equal(t, []paysync.EventType{paysync.EventRefundCreated, paysync.EventRefundClosed}, eventTypes(evs))
	e.clock.Add(24 * time.Hour)
	assert.Zero(t, e.sweep(e.s).Due)
}

// TestSweepRefundWatchFindsMoney: a watched refund whose money a late
// channel call moved is found by the watch: success after close, booked
// once, out of the schedule.
func TestSweepRefundWatchFindsMoney(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	start := e.clock.Now()
	r := e.createRefund("R1", "O1", "3.00")
	e.ch.SetRefund("R1", channel.RefundReport{State: channel.RefundNotFound})
	e.sweep(e.s)
	w := &dueWalk{t: t, e: e, start: start, syncs: func() int { return len(e.syncs(paysync.TradeRefund, "R1")) },
		next: func() time.Time { return e.getRefund("R1").Schedule.NextSyncAt }}
	w.to(payoutDues()[:11], nil)
	require.True(t, e.getRefund("R1").Watched)
	// The host's request, stuck in a queue, reaches the channel at 40 h.
	e.ch.SetRefundAt("R1", start.Add(40*time.Hour), channeltest.RefundAnswer(r, channel.RefundSuccess))
	w.to([]time.Duration{6 * time.Hour, 12 * time.Hour, 18 * time.Hour, 24 * time.Hour, 30 * time.Hour,
		36 * time.Hour, 42 * time.Hour}, nil)

	got := e.getRefund("R1")
	assert.Equal(t, paysync.RefundSuccess, got.Status)
	assert.False(t, got.Watched)
	assert.True(t, got.Schedule.NextSyncAt.IsZero())
	evs := e.events(paysync.TradeRefund, "R1")
	assert.Equal(t, []paysync.EventType{paysync.EventRefundCreated, paysync.EventRefundClosed,
		paysync.EventRefundSuccessAfterClose}, eventTypes(evs))
	checkMoney(t, e, "O1", payMoney{"3.00", "0", paysync.PayRefundPartial}, "found once")
	adj := e.adjusts(paysync.TradeRefund, "R1")
	require.Len(t, adj, 2)
	assert.Equal(t, paysync.SourceSweep, adj[1].Source)
}

// TestSweepRefundWatchBackToProgress: a watched refund the channel reports
// in progress reserves again and is swept on the refund timetable again.
func TestSweepRefundWatchBackToProgress(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	start := e.clock.Now()
	r := e.createRefund("R1", "O1", "3.00")
	e.ch.SetRefund("R1", channel.RefundReport{State: channel.RefundNotFound})
	e.sweep(e.s)
	w := &dueWalk{t: t, e: e, start: start, syncs: func() int { return len(e.syncs(paysync.TradeRefund, "R1")) },
		next: func() time.Time { return e.getRefund("R1").Schedule.NextSyncAt }}
	w.to(payoutDues()[:11], nil)
	e.ch.SetRefund("R1", channeltest.RefundAnswer(r, channel.RefundProgress))
	w.to([]time.Duration{6 * time.Hour}, nil)
	got := e.getRefund("R1")
	assert.Equal(t, paysync.RefundProgress, got.Status)
	assert.False(t, got.Watched)
	checkMoney(t, e, "O1", payMoney{"0", "3.00", paysync.PayRefunding}, "reserved again")
	w.to([]time.Duration{7 * time.Hour, 8 * time.Hour}, nil) // hourly again at that age
}

// TestSweepPayoutOwnTimetables: refunds and transfers follow their own
// configured timetables, not each other's nor the pay one; fail ones are
// not swept.
func TestSweepPayoutOwnTimetables(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Timetables.Refund = Timetable{Steps: []Step{{Until: time.Hour, Every: 15 * time.Minute}}}
		c.Timetables.Transfer = Timetable{Steps: []Step{{Until: 2 * time.Hour, Every: 40 * time.Minute}}}
	})
	e.paid("O1")
	start := e.clock.Now()
	e.seedRefund("R1", "O1", paysync.RefundProgress, "3.00", start, func(r *paysync.RefundOrder) {
		r.Schedule.NextSyncAt = start.Add(15 * time.Minute)
	})
	e.seedRefund("RF", "O1", paysync.RefundFail, "1.00", start)
	e.newTransfer("T1", paysync.TransferProgress, start, func(o *paysync.TransferOrder) {
		o.Schedule.NextSyncAt = start.Add(40 * time.Minute)
	})
	e.newTransfer("TF", paysync.TransferFail, start)
	refunds := func() int { return len(e.syncs(paysync.TradeRefund, "R1")) }
	transfers := func() int { return len(e.syncs(paysync.TradeTransfer, "T1")) }

	var refundAt, transferAt []time.Duration
	for age := time.Duration(0); age <= 3*time.Hour; age += 5 * time.Minute {
		e.clock.Set(start.Add(age))
		r, tr := refunds(), transfers()
		e.sweep(e.s)
		if refunds() > r {
			refundAt = append(refundAt, age)
		}
		if transfers() > tr {
			transferAt = append(transferAt, age)
		}
	}
	assert.Equal(t, []time.Duration{15 * time.Minute, 30 * time.Minute, 45 * time.Minute, time.Hour}, refundAt)
	assert.Equal(t, []time.Duration{40 * time.Minute, 80 * time.Minute, 120 * time.Minute}, transferAt)
	assert.True(t, e.getRefund("R1").Schedule.Exhausted)
	assert.True(t, e.getTransfer("T1").Schedule.Exhausted)
	assert.Empty(t, e.syncs(paysync.TradeRefund, "RF"), "a fail refund is not swept")
	assert.Empty(t, e.syncs(paysync.TradeTransfer, "TF"), "a fail transfer is not swept")
}

// TestSweepPayoutRepairs: a sweep claims due refunds and transfers and
// applies what the channel says, with source sweep.
func TestSweepPayoutRepairs(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	r := e.createRefund("R1", "O1", "3.00")
	tr := e.newTransfer("T1", paysync.TransferProgress, e.clock.Now())
	e.ch.SetRefund("R1", channeltest.RefundAnswer(r, channel.RefundSuccess))
	e.ch.SetTransfer("T1", channeltest.TransferAnswer(tr, channel.TransferSuccess))
	e.clock.Add(time.Minute)
	rep := e.sweep(e.s)
	assert.Equal(t, SweepReport{Due: 2, Synced: 2, Adjusted: 2}, rep)
	assert.Equal(t, paysync.RefundSuccess, e.getRefund("R1").Status)
	assert.Equal(t, paysync.TransferSuccess, e.getTransfer("T1").Status)
	for _, a := range append(e.adjusts(paysync.TradeRefund, "R1"), e.adjusts(paysync.TradeTransfer, "T1")...) {
		assert.Equal(t, paysync.SourceSweep, a.Source)
	}
	checkMoney(t, e, "O1", payMoney{"3.00", "0", paysync.PayRefundPartial}, "swept")
	e.clock.Add(time.Hour)
	assert.Zero(t, e.sweep(e.s).Due, "terminal orders left the schedule")
}

// TestRefundWatchNotAfterExhaustion: a refund whose timetable ran out (7
// days in progress) and that the channel then does not know is closed, and
// its reservation released; its watch — the timetable's last step, to the
// table's end — is already over, so it is not Watched, as a refund closed
// on not_found past 7 days without having been exhausted is not
// (docs/sweep.md: "when the watch ends, Watched is cleared").
func TestRefundWatchNotAfterExhaustion(t *testing.T) {
	for _, exhaustFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("exhausted=%v", exhaustFirst), func(t *testing.T) {
			e := newEnv(t)
			e.paid("O1")
			e.createRefund("R1", "O1", "3.00")
			e.clock.Add(8 * 24 * time.Hour)
			if exhaustFirst {
				res := e.syncRefundTo("R1", channel.RefundProgress)
				require.True(t, res.Exhausted)
			}
			res := e.syncRefundTo("R1", channel.RefundNotFound)
			assert.Equal(t, paysync.RefundClose, res.Status)
			got := e.getRefund("R1")
			assert.False(t, got.Watched, "a watch past its end")
			assert.True(t, got.Schedule.NextSyncAt.IsZero())
			checkMoney(t, e, "O1", payMoney{"0", "0", paysync.PayRefundNone}, "released")
			assert.LessOrEqual(t, countEvents(e.events(paysync.TradeRefund, "R1"), paysync.EventSyncExhausted), 1)
		})
	}
}
