package console

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/statemachine"
)

// order is one order of any kind: the fields every kind has, as a list
// shows them, and the kind's own order.
type order struct {
	repository.OrderSummary
	Pay      *paysync.PayOrder
	Alloc    *paysync.AllocationOrder
	Refund   *paysync.RefundOrder
	Transfer *paysync.TransferOrder
}

func payOrder(o paysync.PayOrder) order {
	return order{OrderSummary: repository.OrderSummary{TradeType: paysync.TradePay, TradeNo: o.OrderNo, BizNo: o.BizOrderNo,
		OutNo: o.OutOrderNo, Channel: o.Channel, Amount: o.Amount, Currency: o.Currency, Status: string(o.Status),
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version, Schedule: o.Schedule}, Pay: &o}
}

func allocOrder(o paysync.AllocationOrder) order {
	return order{OrderSummary: repository.OrderSummary{TradeType: paysync.TradeAllocation, TradeNo: o.AllocationNo,
		BizNo: o.BizAllocationNo, OutNo: o.OutAllocationNo, Channel: o.Channel, Amount: o.Amount, Currency: o.Currency,
		Status: string(o.Status), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version,
		Schedule: o.Schedule}, Alloc: &o}
}

func refundOrder(o paysync.RefundOrder) order {
	return order{OrderSummary: repository.OrderSummary{TradeType: paysync.TradeRefund, TradeNo: o.RefundNo,
		BizNo: o.BizRefundNo, OutNo: o.OutRefundNo, Channel: o.Channel, Amount: o.Amount, Currency: o.Currency,
		Status: string(o.Status), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version,
		Schedule: o.Schedule}, Refund: &o}
}

func transferOrder(o paysync.TransferOrder) order {
	return order{OrderSummary: repository.OrderSummary{TradeType: paysync.TradeTransfer, TradeNo: o.TransferNo,
		BizNo: o.BizTransferNo, OutNo: o.OutTransferNo, Channel: o.Channel, Amount: o.Amount, Currency: o.Currency,
		Status: string(o.Status), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version,
		Schedule: o.Schedule}, Transfer: &o}
}

// get reads order no of kind k by its system number, or with byBiz by its
// merchant number; a missing one is the kind's not-found error.
func (h *handler) get(ctx context.Context, k paysync.TradeType, no string, byBiz bool) (order, error) {
	st := h.store
	switch k {
	case paysync.TradePay:
		get := st.GetPayOrder
		if byBiz {
			get = st.GetPayOrderByBizNo
		}
		o, err := get(ctx, no)
		return payOrder(o), err
	case paysync.TradeAllocation:
		get := st.GetAllocationOrder
		if byBiz {
			get = st.GetAllocationOrderByBizNo
		}
		o, err := get(ctx, no)
		return allocOrder(o), err
	case paysync.TradeRefund:
		get := st.GetRefundOrder
		if byBiz {
			get = st.GetRefundOrderByBizNo
		}
		o, err := get(ctx, no)
		return refundOrder(o), err
	default:
		get := st.GetTransferOrder
		if byBiz {
			get = st.GetTransferOrderByBizNo
		}
		o, err := get(ctx, no)
		return transferOrder(o), err
	}
}

// detail is an order with everything its page shows.
type detail struct {
	order
	// PayOf is the pay order of a refund or an allocation; nil when it
	// could not be read.
	PayOf       *paysync.PayOrder
	Refunds     []paysync.RefundOrder
	Allocations []paysync.AllocationOrder
	Anomalies   []paysync.Anomaly
	Open        []paysync.Anomaly
	Moves       []move
	Timeline    []entry
}

// load reads order no of kind k and everything its page shows.
func (h *handler) load(ctx context.Context, k paysync.TradeType, no string) (*detail, error) {
	o, err := h.get(ctx, k, no, false)
	if err != nil {
		return nil, err
	}
	d := &detail{order: o}
	switch {
	case o.Pay != nil:
		if d.Refunds, err = h.store.ListRefundOrders(ctx, no); err != nil {
			return nil, err
		}
		if d.Allocations, err = h.store.ListAllocationOrders(ctx, no); err != nil {
			return nil, err
		}
	case o.Refund != nil:
		d.PayOf, err = h.payOf(ctx, o.Refund.OrderNo)
	case o.Alloc != nil:
		d.PayOf, err = h.payOf(ctx, o.Alloc.OrderNo)
	}
	if err != nil {
		return nil, err
	}
	if d.Anomalies, err = h.store.OrderAnomalies(ctx, k, no); err != nil {
		return nil, err
	}
	// Open ones first, the most recently opened on top; then resolved ones.
	slices.SortStableFunc(d.Anomalies, func(a, b paysync.Anomaly) int {
		if a.Open() != b.Open() {
			if a.Open() {
				return -1
			}
			return 1
		}
		return b.OpenedAt.Compare(a.OpenedAt)
	})
	for _, a := range d.Anomalies {
		if a.Open() {
			d.Open = append(d.Open, a)
		}
	}
	d.Moves = moves(k, o.Status)
	if d.Timeline, err = h.timeline(ctx, k, no); err != nil {
		return nil, err
	}
	return d, nil
}

// payOf reads the pay order of a refund or an allocation; nil when there is
// none (the page says so), an error when the store failed.
func (h *handler) payOf(ctx context.Context, no string) (*paysync.PayOrder, error) {
	p, err := h.store.GetPayOrder(ctx, no)
	switch {
	case errors.Is(err, paysync.ErrOrderNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &p, nil
}

// move is a status a person may move an order to.
type move struct {
	To string
	// RepairOnly marks a move no sync makes: only a person, with a reason.
	RepairOnly bool
}

// moves returns the statuses the manual table of kind k lets a person move
// an order in status from to: nothing else is offered.
func moves(k paysync.TradeType, from string) []move {
	var manual, auto []statemachine.Transition
	switch k {
	case paysync.TradePay:
		manual, auto = statemachine.PayManualTransitions(), statemachine.PayTransitions()
	case paysync.TradeAllocation:
		manual, auto = statemachine.AllocationTransitions(), statemachine.AllocationTransitions()
	case paysync.TradeRefund:
		manual, auto = statemachine.RefundManualTransitions(), statemachine.RefundTransitions()
	case paysync.TradeTransfer:
		manual, auto = statemachine.TransferManualTransitions(), statemachine.TransferTransitions()
	}
	has := func(table []statemachine.Transition, to string) bool {
		return slices.ContainsFunc(table, func(t statemachine.Transition) bool {
			return t.To == to && slices.Contains(t.From, from)
		})
	}
	var out []move
	for _, to := range statuses(k) { // in the kind's status order
		if to != from && has(manual, to) {
			out = append(out, move{To: to, RepairOnly: !has(auto, to)})
		}
	}
	return out
}

// allowed reports whether to is among ms.
func allowed(ms []move, to string) bool {
	return slices.ContainsFunc(ms, func(m move) bool { return m.To == to })
}

// entry is one line of an order's history: a sync record, an adjust
// record or an event.
type entry struct {
	At     time.Time
	id     []byte // the record's or event's uuid when it is a version 7 one: it orders what shares an instant
	rank   int    // otherwise: sync, then adjust, then events, as a commit writes them
	seq    int
	Sync   *paysync.SyncRecord
	Adjust *paysync.AdjustRecord
	Event  *paysync.Event
}

// timeline merges an order's sync records, adjust records and events into
// one history (docs/domain.md#records), newest first. What was written at one
// instant — one commit, or in a test on a fixed clock several — reads in the
// order it was written, so a commit reads sync record, change, events.
func (h *handler) timeline(ctx context.Context, k paysync.TradeType, no string) ([]entry, error) {
	f := repository.RecordFilter{TradeType: k, TradeNo: no}
	syncs, err := h.store.ListSyncRecords(ctx, f)
	if err != nil {
		return nil, err
	}
	adjusts, err := h.store.ListAdjustRecords(ctx, f)
	if err != nil {
		return nil, err
	}
	events, err := h.store.ListEvents(ctx, repository.EventFilter{TradeType: k, TradeNo: no})
	if err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(syncs)+len(adjusts)+len(events))
	for i := range syncs {
		out = append(out, entry{At: syncs[i].CreatedAt, id: v7(syncs[i].ID), rank: 0, seq: i, Sync: &syncs[i]})
	}
	for i := range adjusts {
		out = append(out, entry{At: adjusts[i].CreatedAt, id: v7(parseUUID(adjusts[i].AdjustNo)), rank: 1, seq: i,
			Adjust: &adjusts[i]})
	}
	for i := range events {
		out = append(out, entry{At: events[i].CreatedAt, id: v7(events[i].ID), rank: 2, seq: i, Event: &events[i]})
	}
	sortTimeline(out)
	return out, nil
}

// sortTimeline puts entries newest first, keeping what shares an instant in
// the order it was written: by the ids when every entry has a version 7 uuid
// (the engine makes them in writing order), else by kind, as one commit
// writes them.
func sortTimeline(es []entry) {
	byID := !slices.ContainsFunc(es, func(e entry) bool { return e.id == nil })
	slices.SortStableFunc(es, func(a, b entry) int {
		if c := b.At.Compare(a.At); c != 0 { // newest instant first
			return c
		}
		if byID {
			if c := bytes.Compare(a.id, b.id); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.seq, b.seq))
	})
}

// v7 returns id's bytes when it is a version 7 uuid (time-ordered), nil
// otherwise.
func v7(id [16]byte) []byte {
	if id[6]>>4 != 7 {
		return nil
	}
	return id[:]
}

// parseUUID reads a uuid's canonical text; the zero value when s is not one.
func parseUUID(s string) [16]byte {
	var id [16]byte
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 || len(s) != 36 {
		return id
	}
	copy(id[:], b)
	return id
}
