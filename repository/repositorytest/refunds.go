package repositorytest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// The contracts of RefundOrders that involve the pay order: a refund is
// created and committed together with its pay order's refund fields, all or
// nothing over the two orders.

type refundTest = orderTest[paysync.RefundOrder]

func refundTests() []refundTest {
	return []refundTest{
		{"CreateReserves", testRefundCreateReserves},
		{"CreateRefused", testRefundCreateRefused},
		{"CommitWithPay", testRefundCommitWithPay},
		{"CommitWithoutPay", testRefundCommitWithoutPay},
		{"CommitConflicts", testRefundCommitConflicts},
		{"CommitRefused", testRefundCommitRefused},
		{"SightingsOnThePayOrder", testRefundPaySightings},
		{"ConcurrentPayChanges", testConcurrentPayChanges},
	}
}

// payAfter is pay after change c: its refund fields, a new version and
// UpdatedAt; nothing else.
func payAfter(p paysync.PayOrder, c repository.PayRefundChange) paysync.PayOrder {
	p.RefundedAmount, p.ReservedAmount, p.RefundStatus, p.UpdatedAt = c.RefundedAmount, c.ReservedAmount, c.RefundStatus, c.UpdatedAt
	p.Version++
	return p
}

// refundPay creates pay order pay-1 with every field set, committed once
// and leased to a sweeper, so that a refund write that touches more than
// the refund fields shows; and pay order pay-2, paid. It returns pay-1 as
// stored.
func refundPay(t *testing.T, st repository.Store) paysync.PayOrder {
	t.Helper()
	p := payKind()
	created(t, st, p, "pay-1", base())
	must(t, st.CreatePayOrder(t.Context(), NewPaidOrder("pay-2", base())))
	pay := stored(t, st, p, "pay-1")
	p.change(&pay, base().Add(time.Minute))
	must(t, st.CommitPayOrder(t.Context(), pay, repository.Entries{}))
	got, err := st.ClaimPayOrders(t.Context(), repository.Claim{Now: base().Add(time.Hour), Owner: "sweeper",
		Until: base().Add(2 * time.Hour), Limit: 1})
	must(t, err)
	sameList(t, "claim of pay-1", payKind().nos(got), []string{"pay-1"})
	return stored(t, st, p, "pay-1")
}

// refundOn creates refund no on pay-1 at at, reserving its amount, with the
// refund.created event, and returns it as stored.
func refundOn(t *testing.T, st repository.Store, no string, at time.Time) paysync.RefundOrder {
	t.Helper()
	r := NewRefundOrder(no, at)
	r.OrderNo = "pay-1"
	pay := stored(t, st, payKind(), "pay-1")
	e := repository.Entries{Events: []paysync.Event{NewEvent(paysync.EventRefundCreated, paysync.TradeRefund, no, at)}}
	must(t, st.CreateRefundOrder(t.Context(), r, ReserveRefund(pay, r), e))
	return stored(t, st, refundKind(), no)
}

// refundLooks looks at refunds r-0 and r-1, pay orders pay-1 and pay-2 and
// the refunds of pay-1.
func refundLooks() []look {
	r, p := refundKind(), payKind()
	return []look{
		lookOrder(r, "r-0", "biz-r-0"), lookOrder(r, "r-1", "biz-r-1"),
		lookOrder(p, "pay-1", "biz-pay-1"), lookOrder(p, "pay-2", "biz-pay-2"),
		func(t testing.TB, st repository.Store) fields {
			rs, err := st.ListRefundOrders(t.Context(), "pay-1")
			must(t, err)
			f := fields{}
			for k, v := range listFields(refundFields, rs) {
				f["refunds of pay-1"+k] = v
			}
			return f
		},
	}
}

func testRefundCreateReserves(t *testing.T, s suite, k kind[paysync.RefundOrder]) {
	st := s.newStore(t)
	pay := refundPay(t, st)
	r := NewRefundOrder("r-1", zoned(time.Hour))
	r.OrderNo = "pay-1"
	r.Version = 7 // ignored: a new refund is version 1
	change := ReserveRefund(pay, r)
	change.RefundedAmount = pay.RefundedAmount.Add(decimal.New(25, -2)) // written as given
	e := repository.Entries{
		Events:    []paysync.Event{NewEvent(paysync.EventRefundCreated, paysync.TradeRefund, "r-1", r.CreatedAt)},
		Sightings: []repository.AnomalySighting{NewSighting(paysync.TradePay, "pay-1", paysync.AnomalyOverRefunded, r.CreatedAt)},
	}
	must(t, st.CreateRefundOrder(t.Context(), r, change, e))

	want := expect(k, r, 1, paysync.Schedule{})
	same(t, "refund by number", k.fields(stored(t, st, k, "r-1")), want)
	got, err := st.GetRefundOrderByBizNo(t.Context(), "biz-r-1")
	must(t, err)
	same(t, "refund by merchant number", k.fields(got), want)
	same(t, "pay order", payFields(stored(t, st, payKind(), "pay-1")), payFields(payKind().utc(payAfter(pay, change))))
	sameTrail(t, "entries of the create", trailOf(t, st, ""), entriesTrail(e))
	as, err := st.OrderAnomalies(t.Context(), paysync.TradePay, "pay-1")
	must(t, err)
	same(t, "anomalies of the pay order", listFields(anomalyFields, as),
		listFields(anomalyFields, []paysync.Anomaly{opened(paysync.TradePay, "pay-1", paysync.AnomalyOverRefunded, r.CreatedAt)}))
	rs, err := st.ListRefundOrders(t.Context(), "pay-1")
	must(t, err)
	sameList(t, "refunds of pay-1", k.nos(rs), []string{"r-1"})
}

func testRefundCreateRefused(t *testing.T, s suite, k kind[paysync.RefundOrder]) {
	type edit = func(r *paysync.RefundOrder, c *repository.PayRefundChange)
	tests := []struct {
		name string
		edit edit
		want *paysync.Error
	}{
		{"refund number taken", func(r *paysync.RefundOrder, _ *repository.PayRefundChange) { r.RefundNo = "r-0" }, paysync.ErrDuplicate},
		{"merchant number taken", func(r *paysync.RefundOrder, _ *repository.PayRefundChange) { r.BizRefundNo = "biz-r-0" }, paysync.ErrDuplicate},
		{"no such pay order", func(r *paysync.RefundOrder, c *repository.PayRefundChange) {
			r.OrderNo, c.OrderNo = "pay-missing", "pay-missing"
		}, paysync.ErrOrderNotFound},
		{"pay order read at an older version", func(_ *paysync.RefundOrder, c *repository.PayRefundChange) { c.Version-- }, paysync.ErrVersionConflict},
		{"pay order read at a newer version", func(_ *paysync.RefundOrder, c *repository.PayRefundChange) { c.Version++ }, paysync.ErrVersionConflict},
		{"no refund number", func(r *paysync.RefundOrder, _ *repository.PayRefundChange) { r.RefundNo = "" }, paysync.ErrInvalidRequest},
		{"no merchant number", func(r *paysync.RefundOrder, _ *repository.PayRefundChange) { r.BizRefundNo = "" }, paysync.ErrInvalidRequest},
		{"no pay order number", func(r *paysync.RefundOrder, c *repository.PayRefundChange) { r.OrderNo, c.OrderNo = "", "" }, paysync.ErrInvalidRequest},
		{"change of another pay order", func(_ *paysync.RefundOrder, c *repository.PayRefundChange) { c.OrderNo = "pay-2" }, paysync.ErrInvalidRequest},
		{"unknown status", func(r *paysync.RefundOrder, _ *repository.PayRefundChange) { r.Status = bogus }, paysync.ErrInvalidRequest},
		{"no status", func(r *paysync.RefundOrder, _ *repository.PayRefundChange) { r.Status = "" }, paysync.ErrInvalidRequest},
		{"unknown refund status of the pay order", func(_ *paysync.RefundOrder, c *repository.PayRefundChange) { c.RefundStatus = bogus }, paysync.ErrInvalidRequest},
		{"zero CreatedAt", func(r *paysync.RefundOrder, _ *repository.PayRefundChange) { r.CreatedAt = time.Time{} }, paysync.ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := s.newStore(t)
			refundPay(t, st)
			refundOn(t, st, "r-0", base().Add(time.Minute))
			before := snapshot(t, st, refundLooks()...)

			r := NewRefundOrder("r-1", base().Add(2*time.Minute))
			r.OrderNo = "pay-1"
			change := ReserveRefund(stored(t, st, payKind(), "pay-1"), r)
			tc.edit(&r, &change)
			e := repository.Entries{
				Events:    []paysync.Event{NewEvent(paysync.EventRefundCreated, paysync.TradeRefund, "r-1", r.CreatedAt)},
				Sightings: []repository.AnomalySighting{NewSighting(paysync.TradePay, "pay-1", paysync.AnomalyOverRefunded, base())},
			}
			wantErr(t, "create", st.CreateRefundOrder(t.Context(), r, change, e), tc.want)
			same(t, "store after the refused create", snapshot(t, st, refundLooks()...), before)
		})
	}
}

func testRefundCommitWithPay(t *testing.T, s suite, k kind[paysync.RefundOrder]) {
	st := s.newStore(t)
	refundPay(t, st)
	r0 := refundOn(t, st, "r-0", base().Add(time.Minute))
	refundOn(t, st, "r-1", base().Add(2*time.Minute))
	want := trailOf(t, st, "")
	for i := range 2 {
		at := zoned(time.Duration(i+1) * time.Hour)
		pay := stored(t, st, payKind(), "pay-1")
		r := stored(t, st, k, "r-1")
		k.change(&r, at)
		r.Status, r.Watched = paysync.RefundSuccess, false
		change := repository.PayRefundChange{
			OrderNo: "pay-1", Version: pay.Version,
			RefundedAmount: pay.RefundedAmount.Add(r.Amount), ReservedAmount: pay.ReservedAmount.Sub(r.Amount),
			RefundStatus: paysync.PayRefundPartial, UpdatedAt: at,
		}
		e := NewEntries(paysync.TradeRefund, "r-1", at)
		must(t, st.CommitRefundOrder(t.Context(), r, &change, e))
		want = want.plus(entriesTrail(e))

		wantR := r
		wantR.Schedule.NextSyncAt = time.Time{} // success leaves the schedule
		same(t, fmt.Sprintf("refund after commit %d", i), k.fields(stored(t, st, k, "r-1")), expect(k, wantR, int64(i+2), paysync.Schedule{}))
		same(t, fmt.Sprintf("pay order after commit %d", i), payFields(stored(t, st, payKind(), "pay-1")), payFields(payKind().utc(payAfter(pay, change))))
		same(t, "the other refund", k.fields(stored(t, st, k, "r-0")), k.fields(r0))
		sameTrail(t, fmt.Sprintf("after commit %d", i), trailOf(t, st, ""), want)
	}
}

// testRefundCommitWithoutPay: a nil pay leaves the pay order's row and
// Version untouched.
func testRefundCommitWithoutPay(t *testing.T, s suite, k kind[paysync.RefundOrder]) {
	st := s.newStore(t)
	refundPay(t, st)
	refundOn(t, st, "r-1", base().Add(time.Minute))
	pay := stored(t, st, payKind(), "pay-1")
	r := stored(t, st, k, "r-1")
	k.change(&r, base().Add(time.Hour))
	must(t, st.CommitRefundOrder(t.Context(), r, nil, NewEntries(paysync.TradeRefund, "r-1", base().Add(time.Hour))))
	same(t, "refund", k.fields(stored(t, st, k, "r-1")), expect(k, r, 2, paysync.Schedule{}))
	same(t, "pay order", payFields(stored(t, st, payKind(), "pay-1")), payFields(pay))
}

// testRefundCommitConflicts: when either order moved on since it was read,
// nothing of either order is stored, nor the entries.
func testRefundCommitConflicts(t *testing.T, s suite, k kind[paysync.RefundOrder]) {
	tests := []struct {
		name             string
		payMoves, rMoves bool
	}{
		{"the pay order moved on", true, false},
		{"the refund moved on", false, true},
		{"both moved on", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := s.newStore(t)
			refundPay(t, st)
			refundOn(t, st, "r-0", base().Add(time.Minute))
			refundOn(t, st, "r-1", base().Add(2*time.Minute))
			pay, r := stored(t, st, payKind(), "pay-1"), stored(t, st, k, "r-1")
			if tc.payMoves { // another refund's commit won the pay order
				other := stored(t, st, k, "r-0")
				c := repository.PayRefundChange{OrderNo: "pay-1", Version: pay.Version, RefundedAmount: pay.RefundedAmount,
					ReservedAmount: pay.ReservedAmount.Sub(other.Amount), RefundStatus: paysync.PayRefunding, UpdatedAt: base().Add(time.Hour)}
				other.Status = paysync.RefundClose
				must(t, st.CommitRefundOrder(t.Context(), other, &c, repository.Entries{}))
			}
			if tc.rMoves { // another sync of r-1 won the refund
				must(t, st.CommitRefundOrder(t.Context(), stored(t, st, k, "r-1"), nil, repository.Entries{}))
			}
			before := snapshot(t, st, refundLooks()...)

			at := base().Add(2 * time.Hour)
			k.change(&r, at)
			change := repository.PayRefundChange{OrderNo: "pay-1", Version: pay.Version, RefundedAmount: pay.RefundedAmount.Add(r.Amount),
				ReservedAmount: pay.ReservedAmount.Sub(r.Amount), RefundStatus: paysync.PayRefundPartial, UpdatedAt: at}
			if !tc.payMoves { // the pay order's version is right: only the refund's is not
				change.Version = stored(t, st, payKind(), "pay-1").Version
			}
			e := NewEntries(paysync.TradeRefund, "r-1", at)
			e.Sightings = []repository.AnomalySighting{NewSighting(paysync.TradePay, "pay-1", paysync.AnomalyOverRefunded, at)}
			wantErr(t, "commit", st.CommitRefundOrder(t.Context(), r, &change, e), paysync.ErrVersionConflict)
			same(t, "store after the conflict", snapshot(t, st, refundLooks()...), before)
		})
	}
}

func testRefundCommitRefused(t *testing.T, s suite, k kind[paysync.RefundOrder]) {
	tests := []struct {
		name string
		edit func(r *paysync.RefundOrder, c *repository.PayRefundChange)
		want []error // any of them
	}{
		{"change of another pay order", func(_ *paysync.RefundOrder, c *repository.PayRefundChange) { c.OrderNo = "pay-2" },
			[]error{paysync.ErrInvalidRequest}},
		{"unknown refund status of the pay order", func(_ *paysync.RefundOrder, c *repository.PayRefundChange) { c.RefundStatus = bogus },
			[]error{paysync.ErrInvalidRequest}},
		{"unknown status", func(r *paysync.RefundOrder, _ *repository.PayRefundChange) { r.Status = bogus },
			[]error{paysync.ErrInvalidRequest}},
		{"no such refund", func(r *paysync.RefundOrder, _ *repository.PayRefundChange) {
			r.RefundNo, r.BizRefundNo = "r-9", "biz-r-9"
		},
			[]error{paysync.ErrRefundNotFound}},
		// A refund's OrderNo cannot change, so a change naming a missing
		// pay order has two readings: the pay order is missing, or the
		// change is not of the refund's pay order.
		{"no such pay order", func(r *paysync.RefundOrder, c *repository.PayRefundChange) {
			r.OrderNo, c.OrderNo = "pay-missing", "pay-missing"
		}, []error{paysync.ErrOrderNotFound, paysync.ErrInvalidRequest}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := s.newStore(t)
			refundPay(t, st)
			refundOn(t, st, "r-1", base().Add(time.Minute))
			before := snapshot(t, st, refundLooks()...)
			pay, r := stored(t, st, payKind(), "pay-1"), stored(t, st, k, "r-1")
			at := base().Add(time.Hour)
			k.change(&r, at)
			change := repository.PayRefundChange{OrderNo: "pay-1", Version: pay.Version, RefundedAmount: pay.RefundedAmount,
				ReservedAmount: pay.ReservedAmount.Sub(r.Amount), RefundStatus: paysync.PayRefundNone, UpdatedAt: at}
			tc.edit(&r, &change)
			e := NewEntries(paysync.TradeRefund, "r-1", at)
			e.Sightings = []repository.AnomalySighting{NewSighting(paysync.TradePay, "pay-1", paysync.AnomalyOverRefunded, at)}
			wantErr(t, "commit", st.CommitRefundOrder(t.Context(), r, &change, e), tc.want...)
			same(t, "store after the refused commit", snapshot(t, st, refundLooks()...), before)
		})
	}
}

// testRefundPaySightings: a refund's commit sees anomalies of its pay order
// (over_refunded) without bumping the pay order's version: a nil pay leaves
// it untouched, a pay change bumps it once.
func testRefundPaySightings(t *testing.T, s suite, k kind[paysync.RefundOrder]) {
	st := s.newStore(t)
	refundPay(t, st)
	refundOn(t, st, "r-1", base().Add(time.Minute))
	over := func(at time.Time, opens bool) []repository.AnomalySighting {
		s := NewSighting(paysync.TradePay, "pay-1", paysync.AnomalyOverRefunded, at)
		s.Opens = opens
		return []repository.AnomalySighting{s}
	}
	t1, t2 := base().Add(time.Hour), base().Add(2*time.Hour)

	pay := stored(t, st, payKind(), "pay-1")
	e := repository.Entries{Sightings: over(t1, true), Events: []paysync.Event{anomalyEvent(paysync.TradePay, "pay-1", t1)}}
	must(t, st.CommitRefundOrder(t.Context(), stored(t, st, k, "r-1"), nil, e))
	same(t, "pay order after a commit without a pay change", payFields(stored(t, st, payKind(), "pay-1")), payFields(pay))

	change := repository.PayRefundChange{OrderNo: "pay-1", Version: pay.Version, RefundedAmount: pay.Amount.Add(decimal.New(1, 0)),
		RefundStatus: paysync.PayRefundFull, UpdatedAt: t2}
	must(t, st.CommitRefundOrder(t.Context(), stored(t, st, k, "r-1"), &change, repository.Entries{Sightings: over(t2, false)}))
	same(t, "pay order after a commit with a pay change", payFields(stored(t, st, payKind(), "pay-1")),
		payFields(payKind().utc(payAfter(pay, change))))
	as, err := st.OrderAnomalies(t.Context(), paysync.TradePay, "pay-1")
	must(t, err)
	a := opened(paysync.TradePay, "pay-1", paysync.AnomalyOverRefunded, t1)
	a.LastSeenAt, a.TimesSeen = utc(t2), 2
	same(t, "anomalies of the pay order", listFields(anomalyFields, as), listFields(anomalyFields, []paysync.Anomaly{a}))

	// A sighting that disagrees refuses the pay change with the rest.
	before := snapshot(t, st, refundLooks()...)
	pay = stored(t, st, payKind(), "pay-1")
	change.Version, change.UpdatedAt = pay.Version, t2.Add(time.Hour)
	err = st.CommitRefundOrder(t.Context(), stored(t, st, k, "r-1"), &change, repository.Entries{Sightings: over(t2.Add(time.Hour), true)})
	wantErr(t, "commit opening an open anomaly", err, paysync.ErrVersionConflict)
	same(t, "store after the refused commit", snapshot(t, st, refundLooks()...), before)
}

// testConcurrentPayChanges has ConcurrentWriters writers, each syncing a
// refund of its own, race one pay order: each commit moves 0.01 from
// reserved to refunded, compare-and-swapped on the pay order's version.
// Every pay order version must have exactly one winner, no cent may be lost,
// and a commit that lost the pay order must not have moved its refund.
func testConcurrentPayChanges(t *testing.T, s suite, k kind[paysync.RefundOrder]) {
	st := s.newStore(t)
	writers, commits := s.opts.ConcurrentWriters, s.opts.CommitsPerWriter
	must(t, st.CreatePayOrder(t.Context(), NewPaidOrder("pay-1", base())))
	for w := range writers {
		refundOn(t, st, fmt.Sprintf("r-%d", w), base())
	}
	start := stored(t, st, payKind(), "pay-1")
	cent := decimal.New(1, -2)

	var (
		mu      sync.Mutex
		winners = map[int64][]int{} // pay version committed from → writers
		won     trail
		wg      sync.WaitGroup
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			no := fmt.Sprintf("r-%d", w)
			for done := 0; done < commits; {
				pay, err := st.GetPayOrder(t.Context(), "pay-1")
				if err == nil {
					var r paysync.RefundOrder
					r, err = st.GetRefundOrder(t.Context(), no)
					if err == nil {
						r.Schedule.Attempts = done + 1
						change := repository.PayRefundChange{OrderNo: "pay-1", Version: pay.Version,
							RefundedAmount: pay.RefundedAmount.Add(cent), ReservedAmount: pay.ReservedAmount.Sub(cent),
							RefundStatus: paysync.PayRefunding, UpdatedAt: base().Add(time.Hour)}
						e := NewEntries(paysync.TradeRefund, no, base().Add(time.Hour))
						err = st.CommitRefundOrder(t.Context(), r, &change, e)
						if err == nil {
							mu.Lock()
							done++
							winners[pay.Version] = append(winners[pay.Version], w)
							won = won.plus(entriesTrail(e))
							mu.Unlock()
							continue
						}
					}
				}
				if !errors.Is(err, paysync.ErrVersionConflict) {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	total := int64(writers * commits)
	for v := start.Version; v < start.Version+total; v++ {
		if n := len(winners[v]); n != 1 {
			t.Errorf("pay order version %d: %d commits won (writers %v), want exactly 1", v, n, winners[v])
		}
	}
	final := stored(t, st, payKind(), "pay-1")
	moved := cent.Mul(decimal.NewFromInt(total))
	if final.Version != start.Version+total || !final.RefundedAmount.Equal(start.RefundedAmount.Add(moved)) ||
		!final.ReservedAmount.Equal(start.ReservedAmount.Sub(moved)) {
		t.Errorf("pay order at version %d, refunded %s, reserved %s; want %d, %s, %s", final.Version,
			final.RefundedAmount, final.ReservedAmount, start.Version+total, start.RefundedAmount.Add(moved), start.ReservedAmount.Sub(moved))
	}
	for w := range writers {
		r := stored(t, st, k, fmt.Sprintf("r-%d", w))
		if r.Version != int64(1+commits) || r.Schedule.Attempts != commits {
			t.Errorf("r-%d at version %d after %d attempts, want version %d: only winning commits move a refund",
				w, r.Version, r.Schedule.Attempts, 1+commits)
		}
	}
	got := trailOf(t, st, "")
	sameSet(t, "sync records", got.syncs, won.syncs)
	sameSet(t, "adjust records", got.adjusts, won.adjusts)
	// refundOn stored one refund.created event per refund before the race.
	if len(got.events) != len(won.events)+writers {
		t.Errorf("%d events stored, want the %d of the winning commits and %d refund.created", len(got.events), len(won.events), writers)
	}
}
