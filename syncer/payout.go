package syncer

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// Refunds and transfers share one engine path (this file): a kind is its
// orders, its port, its table's rules and its store commit — a payoutKind —
// not a copy of the path.

// payoutKind is what makes refunds and transfers differ on their shared
// path.
type payoutKind[O any] struct {
	tt       paysync.TradeType
	numbers  string // the request's numbers, for messages: "refundNo or bizRefundNo"
	notFound *paysync.Error
	locks    *keyedLock
	table    Timetable
	rules    payoutRules

	get      func(ctx context.Context, no string) (O, error)
	getByBiz func(ctx context.Context, bizNo string) (O, error)
	// read and write turn an order into what the path works on and back.
	read  func(*O) payout
	write func(*O, payout)
	// move asks the kind's machine (the sync table) to take from to to.
	move func(ctx context.Context, from, to string) error
	// query asks ch about o; can tells whether ch has the port at all.
	can   func(ch channel.Channel) bool
	query func(ctx context.Context, ch channel.Channel, o O) (payoutReport, error)
	// payload is the body of an event about o (with its pay order's refund
	// fields for a refund), with what n adds.
	payload func(o O, pay paysync.PayOrder, n eventNote) any
	// version reads o's Version; manual asks the kind's manual machine (a
	// person's repair) whether from may go to to.
	version func(*O) int64
	manual  func(ctx context.Context, from, to string) error
	commit  func(ctx context.Context, o O, pay *repository.PayRefundChange, e repository.Entries) error

	// onPay is set for refunds, whose money is accounted on their pay order:
	// it names the pay order of o, whose lock the sync takes after o's and
	// whose refund fields every move changes (refund_money.go).
	onPay func(o O) string
}

// payout is a refund or a transfer as the shared path reads and writes it.
type payout struct {
	trade
	status                  string
	amount                  decimal.Decimal
	currency                string
	created                 time.Time
	payeeType, payeeAccount string
	watched                 bool
	outNo                   string
	finishedAt              time.Time
	errorCode, errorMsg     string
	updatedAt               time.Time
	schedule                paysync.Schedule
}

func (p payout) view() payoutView {
	return payoutView{no: p.no, status: p.status, amount: p.amount, currency: p.currency, created: p.created,
		payeeType: p.payeeType, payeeAccount: p.payeeAccount}
}

// scheduled reports whether the sweeper syncs p: in progress, or closed and
// still watched.
func (p payout) scheduled() bool { return p.status == pProgress || p.status == pClose && p.watched }

// payoutOutcome is what one sync of a refund or a transfer did.
type payoutOutcome struct {
	status       string
	adjusted     bool
	channelState string
	anomalies    []paysync.AnomalyCode
	recordID     uuid.UUID
	exhausted    bool
}

// find returns the order numbered no, or bizNo when no is empty.
func (k *payoutKind[O]) find(ctx context.Context, op, no, bizNo string) (O, error) {
	var (
		o   O
		err error
	)
	switch {
	case no != "":
		o, err = k.get(ctx, no)
	case bizNo != "":
		o, err = k.getByBiz(ctx, bizNo)
	default:
		return o, paysync.Ef(op, paysync.ErrInvalidRequest, k.numbers+" is required", nil)
	}
	if err != nil {
		var none O
		return none, readError(op, err, k.notFound)
	}
	return o, nil
}

// sync runs one sync of o under its lock (and, for a refund, its pay order's
// lock after it). With given == nil it queries the channel; otherwise given
// is the callback's report. Its errors are those of SyncRefund.
func (k *payoutKind[O]) sync(ctx context.Context, s *Syncer, c call, o O, given *payoutReport) (payoutOutcome, error) {
	p := k.read(&o)
	out := payoutOutcome{status: p.status}
	ch, err := s.channels.Lookup(p.channel)
	if err != nil {
		return out, paysync.E(c.op, paysync.ErrUnknownChannel, err)
	}
	if given == nil && !k.can(ch) { // a callback needs no query
		return out, paysync.Ef(c.op, paysync.ErrUnsupported, "channel "+p.channel+" cannot query "+string(k.tt)+"s", nil)
	}
	release, waited, err := s.lock(ctx, c.op, k.locks, p.no)
	if err != nil {
		return out, err
	}
	defer release()
	if waited {
		if o, err = k.reread(ctx, c.op, o); err != nil {
			return out, err
		}
		out.status = k.read(&o).status
	}
	var rep payoutReport
	if given != nil {
		rep = *given
		// A late callback must not deny what the order became since: no
		// sweep clears an alarm on a success. The channel is asked once,
		// when it can be, and its answer decides instead; otherwise the
		// callback stands (docs/pay-sync.md#late-callbacks).
		if k.can(ch) && slices.Contains(decidePayout(&k.rules, k.read(&o).view(), &rep, s.cfg.NotFoundAfter, s.clock()).anomalies, k.rules.notAtChannel) {
			if q, err := k.ask(ctx, s, ch, o); err == nil {
				rep = q
			}
		}
	} else if rep, err = k.ask(ctx, s, ch, o); err != nil {
		if noAnswer(ctx) {
			return out, paysync.E(c.op, paysync.ErrCanceled, errors.Join(ctx.Err(), err))
		}
		return k.failed(ctx, s, &c, o, &rep, err)
	}
	c.answered(s)

	// A refund's pay order is locked only now, with the answer in hand, so
	// that no sync of the pay order waits on this refund's channel call.
	var pay paysync.PayOrder
	if k.onPay != nil {
		releasePay, _, err := s.lock(ctx, c.op, s.payLocks, k.onPay(o))
		if err != nil {
			return k.unsettled(ctx, s, &c, o, &rep, err)
		}
		defer releasePay()
		if pay, err = s.store.GetPayOrder(storeCtx(ctx), k.onPay(o)); err != nil {
			return out, storeError(c.op, err) // a refund of no pay order is a broken store
		}
	}

	answeredOn := k.read(&o).status
	for attempt := 0; ; attempt++ {
		d := decidePayout(&k.rules, k.read(&o).view(), &rep, s.cfg.NotFoundAfter, c.now)
		if k.read(&o).status != answeredOn {
			// Another writer moved the order after this answer was given:
			// the answer cannot deny what the order became since.
			d.anomalies = slices.DeleteFunc(d.anomalies, func(a paysync.AnomalyCode) bool { return a == k.rules.notAtChannel })
		}
		res, err := k.commitSync(ctx, s, &c, o, pay, &rep, &d)
		if !errors.Is(err, paysync.ErrVersionConflict) {
			return res, storeError(c.op, err)
		}
		if attempt >= s.cfg.ConflictRetries {
			break
		}
		// Another writer won: decide again on what it left, same answer.
		if o, err = k.reread(storeCtx(ctx), c.op, o); err != nil {
			return out, err
		}
		if k.onPay != nil {
			if pay, err = s.store.GetPayOrder(storeCtx(ctx), k.onPay(o)); err != nil {
				return out, storeError(c.op, err)
			}
		}
	}
	return k.failed(ctx, s, &c, o, &rep, paysync.E(c.op, paysync.ErrVersionConflict, nil))
}

// ask asks ch about o within s's rate limit for the channel. An answer in a
// state the table does not know is an error (the outcome is unknown),
// returned with the report so that its record keeps what the channel said.
func (k *payoutKind[O]) ask(ctx context.Context, s *Syncer, ch channel.Channel, o O) (payoutReport, error) {
	if err := s.limits.wait(ctx, k.read(&o).channel); err != nil {
		return payoutReport{}, err
	}
	rep, err := k.query(ctx, ch, o)
	if err == nil && !validPayoutState(rep.State) {
		err = errors.New("channel answered unknown state " + rep.State)
	}
	return rep, err
}

func validPayoutState(st string) bool {
	switch st {
	case cSuccess, cProgress, cClosed, cFailed, cNotFound:
		return true
	}
	return false
}

// reread reads o again; on an error it returns o as it was.
func (k *payoutKind[O]) reread(ctx context.Context, op string, o O) (O, error) {
	fresh, err := k.get(ctx, k.read(&o).no)
	if err != nil {
		return o, storeError(op, err)
	}
	return fresh, nil
}

// commitSync commits decision d about o (and its pay order): the order's
// next state, the pay order's refund fields when they change, the
// SyncRecord, the AdjustRecord and status event of a move, anomaly
// sightings and their opening events — in one commit, or the entries alone
// when neither order changes.
func (k *payoutKind[O]) commitSync(ctx context.Context, s *Syncer, c *call, o O, pay paysync.PayOrder, rep *payoutReport, d *payoutDecision) (payoutOutcome, error) {
	before := k.read(&o)
	p := before
	failed := payoutOutcome{status: before.status, channelState: rep.State}
	changed := false
	if d.to != p.status {
		if err := k.move(ctx, p.status, d.to); err != nil { // a bug in the table: nothing is written
			return failed, err
		}
		p.status, changed = d.to, true
		// An exhausted order's table has ended, and the watch (its last
		// step, to its end) with it: nothing would ever claim it.
		p.watched = d.watch && !p.schedule.Exhausted
		switch d.to {
		case pSuccess:
			p.finishedAt = finishedAt(rep, c.now)
			p.errorCode, p.errorMsg = "", ""
		case pClose:
			p.finishedAt = c.now
		case pFail:
			p.finishedAt = finishedAt(rep, c.now)
			p.errorCode, p.errorMsg = rep.ErrorCode, rep.ErrorMsg
		case pProgress:
			p.finishedAt = time.Time{}
			p.errorCode, p.errorMsg = "", "" // sent again: the old failure is history (its AdjustRecord keeps it)
		}
	}
	if (d.fill || d.to == pSuccess && d.to != before.status) && p.outNo == "" && rep.OutNo != "" {
		p.outNo, changed = rep.OutNo, true
	}
	if d.fill && p.finishedAt.IsZero() && !rep.FinishedAt.IsZero() {
		p.finishedAt, changed = utcMicro(rep.FinishedAt), true
	}

	seen := seenOn(p.trade, d.anomalies)
	var payChange *repository.PayRefundChange
	if k.onPay != nil {
		var payAnomalies []paysync.AnomalyCode
		payChange, pay, payAnomalies = settleRefund(pay, p.amount, before.status, p.status, c.now)
		seen = append(seen, seenOn(payTrade(&pay), payAnomalies)...)
	}

	t := before.trade
	rec := s.record(c, t, rep.State, rep.Raw)
	if rec.OutNo == "" {
		rec.OutNo = rep.OutNo
	}
	rec.Anomalies = codes(seen)
	var e repository.Entries
	next := o
	addEvent := func(et paysync.EventType, about trade, payload any) error {
		ev, err := s.event(c, et, about, payload)
		if err == nil {
			e.Events = append(e.Events, ev)
		}
		return err
	}
	if p.status != before.status {
		adj := s.adjust(c, t, d.way, before.status, p.status)
		rec.Adjusted, rec.AdjustNo = true, adj.AdjustNo
		e.Adjusts = []paysync.AdjustRecord{adj}
	}
	sightings, opened, err := s.sight(ctx, c, seen)
	if err != nil {
		return failed, err
	}
	e.Sightings = sightings

	exhausted := false
	if p.scheduled() && !p.schedule.Exhausted {
		exhausted = k.reschedule(&p, c.now)
		changed = true
	}
	k.write(&next, p)
	if rec.Adjusted {
		et, _ := k.rules.event(before.status, p.status)
		if err := addEvent(et, t, k.payload(next, pay, eventNote{})); err != nil {
			return failed, err
		}
	}
	for _, x := range opened {
		var err error
		if x.tt == paysync.TradePay { // over_refunded, on the refund's pay order
			err = s.addPayEvent(c, &e, paysync.EventPayAnomaly, pay, x.code)
		} else {
			err = addEvent(anomalyEvent(x.tt), t, k.payload(next, pay, eventNote{anomaly: x.code}))
		}
		if err != nil {
			return failed, err
		}
	}
	if exhausted {
		if err := addEvent(paysync.EventSyncExhausted, t, k.payload(next, pay, eventNote{})); err != nil {
			return failed, err
		}
	}
	e.Sync = rec
	res := payoutOutcome{status: p.status, adjusted: rec.Adjusted, channelState: rep.State, anomalies: rec.Anomalies,
		recordID: rec.ID, exhausted: exhausted}
	if !changed && payChange == nil {
		return res, s.store.SaveEntries(storeCtx(ctx), e)
	}
	if err := k.commit(storeCtx(ctx), stamped(k, next, c.now), payChange, e); err != nil {
		return failed, err
	}
	return res, nil
}

// stamped returns o with UpdatedAt at now.
func stamped[O any](k *payoutKind[O], o O, now time.Time) O {
	p := k.read(&o)
	p.updatedAt = now
	k.write(&o, p)
	return o
}

// reschedule moves p along its timetable after a completed sync and reports
// whether the table just ran out. A refund closed because the channel did
// not know it is watched on the table's last step until the table ends, and
// then leaves the schedule without asking anyone: closed is what it is.
func (k *payoutKind[O]) reschedule(p *payout, now time.Time) (exhausted bool) {
	if p.status == pClose && p.watched {
		p.schedule.Attempts++
		due, ok := k.table.watch().Next(p.created, time.Time{}, now)
		if !ok {
			p.watched, p.schedule.NextSyncAt = false, time.Time{}
			return false
		}
		p.schedule.NextSyncAt = due
		return false
	}
	return reschedule(&p.schedule, k.table, p.created, time.Time{}, now)
}

// finishedAt is when the channel says the order finished, or now.
func finishedAt(rep *payoutReport, now time.Time) time.Time {
	if rep.FinishedAt.IsZero() {
		return now
	}
	return utcMicro(rep.FinishedAt)
}

func utcMicro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// failed records a sync whose outcome is unknown, as payFailed does.
func (k *payoutKind[O]) failed(ctx context.Context, s *Syncer, c *call, o O, rep *payoutReport, cause error) (payoutOutcome, error) {
	p := k.read(&o)
	rec := s.failure(ctx, c, p.trade, cause)
	rec.ChannelState, rec.Raw = rep.State, rep.Raw
	out := payoutOutcome{status: p.status, channelState: rep.State, recordID: rec.ID}
	_, keepDue := failureKind(cause)
	counts := !keepDue && p.scheduled() && !p.schedule.Exhausted
	exhausted, err := s.saveFailure(ctx, counts, rec, func(wctx context.Context) (bool, error) {
		next := p
		exhausted := k.reschedule(&next, c.now)
		next.updatedAt = c.now
		n := o
		k.write(&n, next)
		e := repository.Entries{Sync: rec}
		if exhausted {
			var pay paysync.PayOrder // a refund's payload carries its pay order's refund fields
			if k.onPay != nil {
				// Read without its lock: nothing of it is written. Only the
				// last attempt of a schedule needs it, not every failure.
				pay, _ = s.store.GetPayOrder(wctx, k.onPay(o))
			}
			ev, err := s.event(c, paysync.EventSyncExhausted, p.trade, k.payload(n, pay, eventNote{}))
			if err != nil {
				return false, err
			}
			e.Events = append(e.Events, ev)
		}
		return exhausted, k.commit(wctx, n, nil, e)
	})
	out.exhausted = exhausted
	return out, failureError(c.op, cause, err)
}

// eventNote is what an event adds to its order's state: the anomaly an
// anomaly event announces or resolves, the person and words of a repair.
type eventNote struct {
	anomaly  paysync.AnomalyCode
	operator string
	reason   string
}

// unsettled records an answer the sync had in hand when it could not take
// the refund's pay order's lock (busy, or the caller gone): the SyncRecord
// keeps the answer and says why nothing followed from it; the order keeps
// its due time.
func (k *payoutKind[O]) unsettled(ctx context.Context, s *Syncer, c *call, o O, rep *payoutReport, cause error) (payoutOutcome, error) {
	p := k.read(&o)
	rec := s.record(c, p.trade, rep.State, rep.Raw)
	rec.ErrorCode, rec.ErrorMsg = string(paysync.ErrorCode(cause)), cause.Error()
	out := payoutOutcome{status: p.status, channelState: rep.State, recordID: rec.ID}
	if err := s.store.SaveEntries(storeCtx(ctx), repository.Entries{Sync: rec}); err != nil {
		return out, paysync.E(c.op, paysync.ErrInternal, errors.Join(cause, err))
	}
	return out, cause
}
