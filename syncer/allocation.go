package syncer

import (
	"context"
	"errors"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// SyncAllocation asks the channel what became of each receiver of one
// allocation order and repairs the local order per docs/allocation-sync.md
// (POST /unipay/sync/allocation).
//
// An ignore order, or one whose receivers are all ignore, is returned as it
// is with no channel call (RecordID is zero). When the channel does not know
// the allocation nothing changes and the outcome is returned with nil error.
// Errors: paysync.ErrInvalidRequest when both numbers are empty or Source is
// unknown; ErrAllocationNotFound (分账单不存在) when no order has the number;
// ErrUnknownChannel; ErrUnsupported when the channel cannot query
// allocations; ErrSyncInProgress; ErrCanceled when ctx ended before the
// channel answered (nothing is written); ErrChannelUnavailable wrapping the
// channel's error (the SyncRecord says why, nothing else changes);
// ErrVersionConflict past Config.ConflictRetries; ErrInternal when the store
// failed.
func (s *Syncer) SyncAllocation(ctx context.Context, req AllocationRequest) (AllocationOutcome, error) {
	c := call{op: "syncer.SyncAllocation", clientIP: req.ClientIP}
	var err error
	if c.src, err = sourceOf(c.op, req.Source, paysync.SourceAPI); err != nil {
		return AllocationOutcome{}, err
	}
	o, err := s.findAllocation(ctx, c.op, req.AllocationNo, req.BizAllocationNo)
	if err != nil {
		return AllocationOutcome{}, err
	}
	return s.syncAllocation(ctx, c, o)
}

func (s *Syncer) findAllocation(ctx context.Context, op, no, bizNo string) (paysync.AllocationOrder, error) {
	var (
		o   paysync.AllocationOrder
		err error
	)
	switch {
	case no != "":
		o, err = s.store.GetAllocationOrder(ctx, no)
	case bizNo != "":
		o, err = s.store.GetAllocationOrderByBizNo(ctx, bizNo)
	default:
		return o, paysync.Ef(op, paysync.ErrInvalidRequest, "allocationNo or bizAllocationNo is required", nil)
	}
	if err != nil {
		return o, readError(op, err, paysync.ErrAllocationNotFound)
	}
	return o, nil
}

func allocTrade(o *paysync.AllocationOrder) trade {
	return trade{tt: paysync.TradeAllocation, no: o.AllocationNo, bizNo: o.BizAllocationNo, outNo: o.OutAllocationNo,
		channel: o.Channel}
}

func allocOutcome(o *paysync.AllocationOrder) AllocationOutcome {
	out := AllocationOutcome{Status: o.Status, Result: o.Result, Receivers: make([]ReceiverOutcome, len(o.Receivers))}
	for i, r := range o.Receivers {
		out.Receivers[i] = ReceiverOutcome{ReceiverNo: r.ReceiverNo, Result: r.Result}
	}
	return out
}

// allIgnored reports whether o has nothing to sync: an ignore order, or one
// with no receiver that is not ignore.
func allIgnored(o *paysync.AllocationOrder) bool {
	if o.Status == paysync.AllocIgnore {
		return true
	}
	for _, r := range o.Receivers {
		if r.Result != paysync.ReceiverIgnore {
			return false
		}
	}
	return true
}

func (s *Syncer) syncAllocation(ctx context.Context, c call, o paysync.AllocationOrder) (AllocationOutcome, error) {
	if allIgnored(&o) {
		return allocOutcome(&o), nil
	}
	ch, err := s.channels.Lookup(o.Channel)
	if err != nil {
		return allocOutcome(&o), paysync.E(c.op, paysync.ErrUnknownChannel, err)
	}
	q, ok := ch.(channel.AllocationQuerier)
	if !ok {
		return allocOutcome(&o), paysync.Ef(c.op, paysync.ErrUnsupported, "channel "+o.Channel+" cannot query allocations", nil)
	}
	release, waited, err := s.lock(ctx, c.op, s.allocLocks, o.AllocationNo)
	if err != nil {
		return allocOutcome(&o), err
	}
	defer release()
	if waited { // the sync we waited for has likely moved the order on
		if o, err = s.rereadAllocation(ctx, c.op, o); err != nil {
			return allocOutcome(&o), err
		}
	}

	rep, err := s.queryAllocation(ctx, q, o)
	notFound := errors.Is(err, channel.ErrAllocationNotAtChannel)
	if err != nil && !notFound {
		if noAnswer(ctx) {
			return allocOutcome(&o), paysync.E(c.op, paysync.ErrCanceled, errors.Join(ctx.Err(), err))
		}
		return s.allocFailed(ctx, &c, o, &rep, err)
	}
	c.answered(s)
	for attempt := 0; ; attempt++ {
		d, err := decideAllocation(&o, &rep, notFound, c.now)
		if err != nil {
			return allocOutcome(&o), paysync.E(c.op, paysync.ErrInternal, err)
		}
		out, err := s.writeAllocation(ctx, &c, o, &rep, notFound, &d)
		if !errors.Is(err, paysync.ErrVersionConflict) {
			return out, storeError(c.op, err)
		}
		if attempt >= s.cfg.ConflictRetries {
			break
		}
		if o, err = s.rereadAllocation(storeCtx(ctx), c.op, o); err != nil {
			return allocOutcome(&o), err
		}
	}
	return s.allocFailed(ctx, &c, o, &rep, paysync.E(c.op, paysync.ErrVersionConflict, nil))
}

// queryAllocation asks the channel within this Syncer's rate limit for it.
func (s *Syncer) queryAllocation(ctx context.Context, q channel.AllocationQuerier, o paysync.AllocationOrder) (channel.AllocationReport, error) {
	if err := s.limits.wait(ctx, o.Channel); err != nil {
		return channel.AllocationReport{}, err
	}
	return q.QueryAllocation(ctx, o)
}

// rereadAllocation reads o again; on an error it returns o as it was.
func (s *Syncer) rereadAllocation(ctx context.Context, op string, o paysync.AllocationOrder) (paysync.AllocationOrder, error) {
	fresh, err := s.store.GetAllocationOrder(ctx, o.AllocationNo)
	if err != nil {
		return o, storeError(op, err)
	}
	return fresh, nil
}
