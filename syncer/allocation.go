package syncer

import (
	"context"
	"errors"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// SyncAllocation asks the channel what became of each receiver of one
// allocation order and repairs the local order per DESIGN §7
// (POST /unipay/sync/allocation).
//
// An ignore order, or one whose receivers are all ignore, is returned as it
// is with no channel call (RecordID is zero). When the channel does not know
// the allocation nothing changes and the result is returned with nil error.
// Errors: paysync.ErrInvalidRequest when both numbers are empty or Source is
// unknown; ErrAllocationNotFound (分账单不存在) when no order has the number;
// ErrUnknownChannel; ErrUnsupported when the channel cannot query
// allocations; ErrSyncInProgress; ErrChannelUnavailable wrapping the channel's
// error (the SyncRecord says why, nothing else changes); ErrVersionConflict
// past Config.ConflictRetries.
func (s *Syncer) SyncAllocation(ctx context.Context, req AllocationRequest) (AllocationOutcome, error) {
	const op = "syncer.SyncAllocation"
	src, err := s.sourceOf(req.Source, paysync.SourceAPI, op)
	if err != nil {
		return AllocationOutcome{}, err
	}
	o, err := s.findAllocation(ctx, op, req.AllocationNo, req.BizAllocationNo)
	if err != nil {
		return AllocationOutcome{}, err
	}
	return s.syncAllocation(ctx, op, o, src, req.ClientIP)
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
	if errors.Is(err, paysync.ErrAllocationNotFound) {
		return o, paysync.E(op, paysync.ErrAllocationNotFound, nil)
	}
	if err != nil {
		return o, paysync.E(op, paysync.ErrInternal, err)
	}
	return o, nil
}

func allocResult(o *paysync.AllocationOrder) AllocationOutcome {
	res := AllocationOutcome{Status: o.Status, Result: o.Result, Receivers: make([]ReceiverOutcome, len(o.Receivers))}
	for i, r := range o.Receivers {
		res.Receivers[i] = ReceiverOutcome{ReceiverNo: r.ReceiverNo, Result: r.Result}
	}
	return res
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

func (s *Syncer) syncAllocation(ctx context.Context, op string, o paysync.AllocationOrder, src paysync.Source, clientIP string) (AllocationOutcome, error) {
	if allIgnored(&o) {
		return allocResult(&o), nil
	}
	ch, err := s.channels.Lookup(o.Channel)
	if err != nil {
		return allocResult(&o), paysync.E(op, paysync.ErrUnknownChannel, err)
	}
	q, ok := ch.(channel.AllocationQuerier)
	if !ok {
		return allocResult(&o), paysync.Ef(op, paysync.ErrUnsupported, "channel "+o.Channel+" cannot query allocations", nil)
	}
	held, waited := s.allocLocks.acquire(ctx, o.AllocationNo, s.cfg.LockWait)
	if !held {
		return allocResult(&o), paysync.E(op, paysync.ErrSyncInProgress, ctx.Err())
	}
	defer s.allocLocks.release(o.AllocationNo)
	if waited { // the sync we waited for has likely moved the order on
		if o, err = s.store.GetAllocationOrder(ctx, o.AllocationNo); err != nil {
			return allocResult(&o), paysync.E(op, paysync.ErrInternal, err)
		}
	}

	var rep channel.AllocationReport
	err = s.limits.wait(ctx, o.Channel)
	if err == nil {
		rep, err = q.QueryAllocation(ctx, o)
	}
	notFound := errors.Is(err, channel.ErrAllocationNotAtChannel)
	if err != nil && !notFound {
		if ctx.Err() != nil {
			return allocResult(&o), paysync.E(op, paysync.ErrChannelUnavailable, err)
		}
		return s.allocFailed(ctx, op, o, src, clientIP, &rep, err)
	}
	now := s.clock()
	for attempt := 0; ; attempt++ {
		d, err := decideAllocation(&o, &rep, notFound, now)
		if err != nil {
			return allocResult(&o), paysync.E(op, paysync.ErrInternal, err)
		}
		res, err := s.writeAllocation(ctx, o, &rep, notFound, &d, now, src, clientIP)
		if !errors.Is(err, paysync.ErrVersionConflict) {
			if err != nil {
				return res, paysync.E(op, paysync.ErrInternal, err)
			}
			return res, nil
		}
		if attempt >= s.cfg.ConflictRetries {
			break
		}
		if o, err = s.store.GetAllocationOrder(storeCtx(ctx), o.AllocationNo); err != nil {
			return allocResult(&o), paysync.E(op, paysync.ErrInternal, err)
		}
	}
	return s.allocFailed(ctx, op, o, src, clientIP, &rep, paysync.E(op, paysync.ErrVersionConflict, nil))
}
