package repository

import (
	"time"

	"github.com/paysync/paysync"
)

// Claim asks a store for due orders: "give me up to Limit orders due for sync
// at Now, leased to Owner until Until".
type Claim struct {
	Now   time.Time
	Owner string
	Until time.Time
	Limit int
}

// Validate returns an error wrapping paysync.ErrInvalidRequest when the claim
// has no owner, a Limit below 1, or a lease that does not end after Now.
func (c Claim) Validate() error {
	const op = "repository.Claim"
	switch {
	case c.Owner == "":
		return paysync.Ef(op, paysync.ErrInvalidRequest, "claim has no owner", nil)
	case c.Limit < 1:
		return paysync.Ef(op, paysync.ErrInvalidRequest, "claim limit must be at least 1", nil)
	case !c.Until.After(c.Now):
		return paysync.Ef(op, paysync.ErrInvalidRequest, "claim lease must end after now", nil)
	}
	return nil
}
