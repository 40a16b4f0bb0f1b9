package repositorytest

import (
	"context"
	"errors"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// kind lets one test assert a contract on every kind of order: the ports of
// pay orders, allocation orders, refunds and transfers are the same with
// other names. kinds.go holds the four.
type kind[O any] struct {
	tradeType paysync.TradeType
	notFound  *paysync.Error
	newOrder  func(no string, at time.Time) O
	numbers   func(*O) (no, biz *string)
	// kept lists the other fields a commit keeps as stored: the merchant
	// number, and a refund's pay order number.
	kept       func(*O) []*string
	schedule   func(*O) *paysync.Schedule
	version    func(*O) *int64
	timestamps func(*O) (createdAt, updatedAt *time.Time)
	// statuses lists every status of the kind.
	statuses []string
	// change edits o the way a sync that keeps it in the schedule would:
	// every field a commit may write, with at as the time of the change.
	change func(o *O, at time.Time)
	// scribble overwrites, in place, everything o holds by reference.
	scribble func(o *O)
	// fields renders o for comparison; utc normalises its times as a store
	// must; summary is o as a listing shows it.
	fields  func(O) fields
	utc     func(O) O
	summary func(O) repository.OrderSummary
	// scheduled and unscheduled are edits to states in and out of the
	// sweep schedule.
	scheduled   []edit[O]
	unscheduled []edit[O]
	// invalid are the kind's own edits a store refuses on create and commit
	// (an unknown status, result or receiver result); the numbers and
	// CreatedAt are common to every kind.
	invalid []edit[O]
	// payOrder points at the number of the order's pay order; nil for a
	// kind that has none.
	payOrder func(*O) *string

	// prepare stores what must exist before o can be created (a refund's
	// pay order); nil when nothing must.
	prepare func(repository.Store, context.Context, O) error
	// The port's methods, store first. create is the plain create of the
	// kind (for refunds: prepare, then a reserving create with no entries).
	create   func(repository.Store, context.Context, O) error
	get      func(repository.Store, context.Context, string) (O, error)
	getByBiz func(repository.Store, context.Context, string) (O, error)
	commit   func(repository.Store, context.Context, O, repository.Entries) error
	claim    func(repository.Store, context.Context, repository.Claim) ([]O, error)
	release  func(repository.Store, context.Context, string, ...string) error
	// list lists the orders of a pay order; nil for a kind without.
	list func(repository.Store, context.Context, string) ([]O, error)
}

type edit[O any] struct {
	name  string
	apply func(*O)
}

func (k kind[O]) no(o O) string {
	no, _ := k.numbers(&o)
	return *no
}

func (k kind[O]) biz(o O) string {
	_, biz := k.numbers(&o)
	return *biz
}

// status is o's status, as a listing shows it.
func (k kind[O]) status(o O) string { return k.summary(o).Status }

func (k kind[O]) nos(os []O) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = k.no(o)
	}
	return out
}

// ensurePaid returns pay order orderNo, creating it paid (at the suite's
// base time, whatever the refund's) when it is missing.
func ensurePaid(st repository.Store, ctx context.Context, orderNo string) (paysync.PayOrder, error) {
	pay, err := st.GetPayOrder(ctx, orderNo)
	if !errors.Is(err, paysync.ErrOrderNotFound) {
		return pay, err
	}
	if err := st.CreatePayOrder(ctx, NewPaidOrder(orderNo, base())); err != nil {
		return paysync.PayOrder{}, err
	}
	return st.GetPayOrder(ctx, orderNo)
}

// createRefund creates r on its pay order (made paid when missing),
// reserving r's amount, with entries e.
func createRefund(st repository.Store, ctx context.Context, r paysync.RefundOrder, e repository.Entries) error {
	pay, err := ensurePaid(st, ctx, r.OrderNo)
	if err != nil {
		return err
	}
	return st.CreateRefundOrder(ctx, r, ReserveRefund(pay, r), e)
}
