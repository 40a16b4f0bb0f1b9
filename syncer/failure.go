package syncer

import (
	"context"
	"errors"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
)

// saveFailure writes rec, the record of a sync whose outcome is unknown. An
// attempt that counts (the order is in the schedule, and neither a rate
// limit nor a lost race stopped it) moves the order's due time with it, so a
// channel that is down is not asked again at once: commit builds and stores
// that (reporting whether the schedule ran out). Otherwise, or when the order
// moved on meanwhile, the record is stored alone. It reports whether the
// commit ended the schedule.
func (s *Syncer) saveFailure(ctx context.Context, counts bool, rec paysync.SyncRecord, commit func(context.Context) (bool, error)) (bool, error) {
	wctx := storeCtx(ctx)
	if counts {
		exhausted, err := commit(wctx)
		if err == nil || !errors.Is(err, paysync.ErrVersionConflict) {
			return exhausted && err == nil, err
		}
	}
	return false, s.store.SaveEntries(wctx, repository.Entries{Sync: rec})
}

// failureError is what a failed sync returns: the failure's sentinel
// wrapping its cause, or ErrInternal when even its record could not be
// written.
func failureError(op string, cause, storeErr error) error {
	if storeErr != nil {
		return paysync.E(op, paysync.ErrInternal, errors.Join(cause, storeErr))
	}
	sentinel, _ := failureKind(cause)
	return paysync.E(op, sentinel, cause)
}

// failureKind tells a failed sync's sentinel, and whether the attempt does
// not count (rate limit, lost version race, the caller gone): the order
// keeps its due time.
func failureKind(cause error) (sentinel *paysync.Error, keepDue bool) {
	switch {
	case errors.Is(cause, context.Canceled), errors.Is(cause, context.DeadlineExceeded):
		return paysync.ErrCanceled, true
	case errors.Is(cause, paysync.ErrVersionConflict):
		return paysync.ErrVersionConflict, true
	case errors.Is(cause, channel.ErrRateLimited):
		return paysync.ErrChannelUnavailable, true
	}
	return paysync.ErrChannelUnavailable, false
}
