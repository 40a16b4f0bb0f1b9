package syncer

import (
	"context"
	"errors"

	"github.com/paysync/paysync"
)

// storeError is what a sync returns for a store's error: ErrCanceled when
// the caller's ctx ended (the stores say so), the store's own sentinel for a
// lost race, and ErrInternal for anything else — a store that failed is not
// the caller's fault.
func storeError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, paysync.ErrCanceled):
		return paysync.E(op, paysync.ErrCanceled, err)
	case errors.Is(err, paysync.ErrVersionConflict):
		return paysync.E(op, paysync.ErrVersionConflict, err)
	}
	return paysync.E(op, paysync.ErrInternal, err)
}

// readError maps a store's answer to a read by number: notFound's sentinel
// for a missing order, else as storeError.
func readError(op string, err error, notFound *paysync.Error) error {
	if errors.Is(err, notFound) {
		return paysync.E(op, notFound, nil)
	}
	return storeError(op, err)
}

// noAnswer reports whether a channel call's error came from the caller's ctx
// ending before the channel answered: then nothing is written, and the call
// returns ErrCanceled.
func noAnswer(ctx context.Context) bool { return ctx.Err() != nil }
