package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
)

// call is one sync in hand: who asked for it, on whose behalf, and the time
// the engine acted on the channel's answer. Every step of a sync takes it
// instead of a list of the same parameters.
type call struct {
	op       string
	src      paysync.Source
	clientIP string
	now      time.Time // when the answer was in hand; set by answered
}

// answered stamps the call with the engine's clock once the channel answered.
func (c *call) answered(s *Syncer) { c.now = s.clock() }

// trade names the order a record, event or anomaly is about.
type trade struct {
	tt      paysync.TradeType
	no      string
	bizNo   string
	outNo   string
	channel string
}

// record starts the SyncRecord of c about t, for a channel answer in state
// with raw.
func (s *Syncer) record(c *call, t trade, state string, raw []byte) paysync.SyncRecord {
	return paysync.SyncRecord{ID: s.newID(), TradeType: t.tt, TradeNo: t.no, BizNo: t.bizNo, OutNo: t.outNo,
		Channel: t.channel, ChannelState: state, Raw: raw, ClientIP: c.clientIP, Source: c.src, CreatedAt: c.now}
}

// adjust returns the AdjustRecord of one change of t made by c.
func (s *Syncer) adjust(c *call, t trade, way paysync.AdjustWay, before, after string) paysync.AdjustRecord {
	return paysync.AdjustRecord{AdjustNo: s.newID().String(), TradeType: t.tt, TradeNo: t.no, Source: c.src,
		Way: way, Before: before, After: after, CreatedAt: c.now}
}

// event returns an outbox event of type et about t, payload marshalled with
// encoding/json. It fails only for a payload json cannot write (a time past
// year 9999 from a channel, say).
func (s *Syncer) event(c *call, et paysync.EventType, t trade, payload any) (paysync.Event, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return paysync.Event{}, paysync.E(c.op, paysync.ErrInternal, err)
	}
	return paysync.Event{ID: s.newID(), Type: et, TradeType: t.tt, TradeNo: t.no, Payload: b, CreatedAt: c.now}, nil
}

// sighted is one anomaly a sync saw on one order.
type sighted struct {
	tt   paysync.TradeType
	no   string
	code paysync.AnomalyCode
}

// sight turns what a sync saw into the commit's sightings, reading each
// order's anomalies (only when there is one to sight) to tell which open
// now: absent, or resolved by a person since. It returns the sightings and
// those that open, each of which the commit announces by an event. The store
// refuses the commit when its anomalies say otherwise by then, and the sync
// decides again (repository.AnomalySighting).
func (s *Syncer) sight(ctx context.Context, c *call, seen []sighted) ([]repository.AnomalySighting, []sighted, error) {
	if len(seen) == 0 {
		return nil, nil, nil
	}
	open := map[sighted]bool{}
	read := map[trade]bool{}
	for _, x := range seen {
		t := trade{tt: x.tt, no: x.no}
		if read[t] {
			continue
		}
		read[t] = true
		as, err := s.store.OrderAnomalies(storeCtx(ctx), x.tt, x.no)
		if err != nil {
			return nil, nil, storeError(c.op, err)
		}
		for _, a := range as {
			if a.Open() {
				open[sighted{a.TradeType, a.TradeNo, a.Code}] = true
			}
		}
	}
	var (
		out    []repository.AnomalySighting
		opened []sighted
	)
	for _, x := range seen {
		opens := !open[x]
		out = append(out, repository.AnomalySighting{TradeType: x.tt, TradeNo: x.no, Code: x.code, At: c.now, Opens: opens})
		if opens {
			opened = append(opened, x)
		}
	}
	return out, opened, nil
}

// anomalyEvent is the event type announcing that an anomaly of a tt order
// opened.
func anomalyEvent(tt paysync.TradeType) paysync.EventType {
	switch tt {
	case paysync.TradeAllocation:
		return paysync.EventAllocationAnomaly
	case paysync.TradeRefund:
		return paysync.EventRefundAnomaly
	case paysync.TradeTransfer:
		return paysync.EventTransferAnomaly
	}
	return paysync.EventPayAnomaly
}

// codes lists the codes of seen, each once, in the order first seen.
func codes(seen []sighted) []paysync.AnomalyCode {
	var out []paysync.AnomalyCode
	for _, x := range seen {
		if !slices.Contains(out, x.code) {
			out = append(out, x.code)
		}
	}
	return out
}

// reschedule sets the next due time after a completed sync by table and
// reports whether the table just ran out: the order then leaves the
// schedule and a person is asked to look.
func reschedule(sc *paysync.Schedule, table Timetable, created, expires, now time.Time) (exhausted bool) {
	sc.Attempts++
	due, ok := table.Next(created, expires, now)
	if !ok {
		sc.Exhausted, sc.NextSyncAt = true, time.Time{}
		return true
	}
	sc.NextSyncAt = due
	return false
}

// failure starts the SyncRecord of a sync whose outcome is unknown, logs the
// failure and, for a rate-limit answer, backs the channel off.
func (s *Syncer) failure(ctx context.Context, c *call, t trade, cause error) paysync.SyncRecord {
	if c.now.IsZero() {
		c.answered(s)
	}
	if errors.Is(cause, channel.ErrRateLimited) {
		s.limits.hold(t.channel)
	}
	s.log.LogAttrs(ctx, slog.LevelWarn, string(t.tt)+" sync failed", slog.String("trade_no", t.no),
		slog.String("channel", t.channel), slog.String("source", string(c.src)), slog.Any("err", cause))
	sentinel, _ := failureKind(cause)
	rec := s.record(c, t, "", nil)
	rec.ErrorCode, rec.ErrorMsg = string(sentinel.Code), cause.Error()
	return rec
}
