package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// payColumns is what every read of a pay order selects, in scanPayOrder's
// order. Amounts cross as text so no digit is lost.
const payColumns = `order_no, biz_order_no, out_order_no, channel, amount::text, currency, status,
	refund_status, refunded_amount::text, reserved_amount::text, expired_at, paid_at, closed_at,
	created_at, updated_at, version, next_sync_at, attempts, exhausted, lease_owner, lease_until`

// payTable is pay_orders (see orderTable).
func payTable() orderTable {
	return orderTable{name: "pay_orders", no: "order_no", biz: "biz_order_no", out: "out_order_no", columns: payColumns}
}

const (
	createPaySQL = `INSERT INTO pay_orders (order_no, biz_order_no, out_order_no, channel, amount,
	currency, status, refund_status, refunded_amount, reserved_amount, expired_at, paid_at, closed_at,
	created_at, updated_at, version, in_schedule, next_sync_at, attempts, exhausted)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $17, $18, $19)`

	getPaySQL      = `SELECT ` + payColumns + ` FROM pay_orders WHERE order_no = $1`
	getPayByBizSQL = `SELECT ` + payColumns + ` FROM pay_orders WHERE biz_order_no = $1`
	payExistsSQL   = `SELECT EXISTS (SELECT 1 FROM pay_orders WHERE order_no = $1)`

	// The numbers and created_at are never written. The lease survives a
	// commit only while the order stays in the schedule.
	updatePaySQL = `UPDATE pay_orders SET out_order_no = $37, channel = $38, amount = $39,
	currency = $40, status = $41, refund_status = $42, refunded_amount = $43, reserved_amount = $44,
	expired_at = $45, paid_at = $46, closed_at = $47, updated_at = $48, in_schedule = $49,
	next_sync_at = $50, attempts = $51, exhausted = $52,
	lease_owner = CASE WHEN $49 THEN lease_owner END,
	lease_until = CASE WHEN $49 THEN lease_until END,
	version = version + 1
	WHERE order_no = $35 AND version = $36
	RETURNING 1`
)

// validatePayOrder refuses, with paysync.ErrInvalidRequest, an order the
// port does not accept on create or commit: empty numbers, an unknown status
// or refund status, a zero CreatedAt. (A commit writes neither the numbers
// nor CreatedAt, but an order without them is not one the store made.)
func validatePayOrder(op string, o paysync.PayOrder) error {
	switch {
	case o.OrderNo == "" || o.BizOrderNo == "":
		return invalid(op, "order number and merchant order number are required")
	case !o.Status.Valid():
		return invalid(op, "unknown pay status "+string(o.Status))
	case o.RefundStatus != "" && !o.RefundStatus.Valid():
		return invalid(op, "unknown refund status "+string(o.RefundStatus))
	case o.CreatedAt.IsZero():
		return invalid(op, "order has no creation time")
	}
	return nil
}

// CreatePayOrder stores o as a new order with Version 1 (see
// repository.PayOrders). It returns an error wrapping paysync.ErrInvalidRequest
// for an order the port refuses, paysync.ErrDuplicate when a number is taken,
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails.
func (s *Store) CreatePayOrder(ctx context.Context, o paysync.PayOrder) error {
	const op = "pgstore.CreatePayOrder"
	if err := validatePayOrder(op, o); err != nil {
		return err
	}
	return s.inTx(ctx, op, func(b *pgx.Batch) { b.Queue(createPaySQL, payCreateArgs(o)...) }, nil)
}

// payCreateArgs returns the parameters of createPaySQL, which LoadPayOrders
// copies too.
func payCreateArgs(o paysync.PayOrder) []any {
	in, next := schedule(o.Scheduled(), o.Schedule, o.CreatedAt)
	return []any{o.OrderNo, o.BizOrderNo, o.OutOrderNo, o.Channel, o.Amount.String(), o.Currency,
		string(o.Status), string(o.RefundStatus), o.RefundedAmount.String(), o.ReservedAmount.String(),
		ts(o.ExpiredAt), ts(o.PaidAt), ts(o.ClosedAt), ts(o.CreatedAt), ts(o.UpdatedAt),
		in, next, int64(o.Schedule.Attempts), o.Schedule.Exhausted}
}

// GetPayOrder returns the order with system number orderNo. It returns an
// error wrapping paysync.ErrOrderNotFound when there is none,
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails.
func (s *Store) GetPayOrder(ctx context.Context, orderNo string) (paysync.PayOrder, error) {
	return get(ctx, s, "pgstore.GetPayOrder", getPaySQL, orderNo, scanPayOrder, paysync.ErrOrderNotFound)
}

// GetPayOrderByBizNo returns the order with merchant number bizOrderNo, with
// the errors of GetPayOrder.
func (s *Store) GetPayOrderByBizNo(ctx context.Context, bizOrderNo string) (paysync.PayOrder, error) {
	return get(ctx, s, "pgstore.GetPayOrderByBizNo", getPayByBizSQL, bizOrderNo, scanPayOrder, paysync.ErrOrderNotFound)
}

// CommitPayOrder stores o and e together (see repository.PayOrders). It
// returns an error wrapping paysync.ErrVersionConflict when the stored
// version is not o.Version or an anomaly disagrees with e,
// paysync.ErrOrderNotFound when there is no such order, paysync.ErrDuplicate
// when a record or event id or an adjust number is taken,
// paysync.ErrInvalidRequest for an order or entry the port refuses,
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails; in each case nothing is stored.
func (s *Store) CommitPayOrder(ctx context.Context, o paysync.PayOrder, e repository.Entries) error {
	const op = "pgstore.CommitPayOrder"
	if err := validatePayOrder(op, o); err != nil {
		return err
	}
	in, next := schedule(o.Scheduled(), o.Schedule, o.UpdatedAt)
	w := write{sql: updatePaySQL, exists: payExistsSQL, key: o.OrderNo, notFound: paysync.ErrOrderNotFound,
		args: []any{o.OrderNo, o.Version, o.OutOrderNo, o.Channel, o.Amount.String(), o.Currency,
			string(o.Status), string(o.RefundStatus), o.RefundedAmount.String(), o.ReservedAmount.String(),
			ts(o.ExpiredAt), ts(o.PaidAt), ts(o.ClosedAt), ts(o.UpdatedAt), in, next,
			int64(o.Schedule.Attempts), o.Schedule.Exhausted}}
	return s.commit(ctx, op, w, e, nil, "")
}

// ClaimPayOrders leases up to c.Limit due orders to c.Owner until c.Until and
// returns them in due order (see repository.PayOrders). It returns an empty
// slice when none is due, an error wrapping paysync.ErrInvalidRequest when c
// is invalid, paysync.ErrCanceled when ctx ends and paysync.ErrInternal when
// the database fails.
func (s *Store) ClaimPayOrders(ctx context.Context, c repository.Claim) ([]paysync.PayOrder, error) {
	return claim(ctx, s, "pgstore.ClaimPayOrders", payTable(), c, scanPayOrder,
		func(o *paysync.PayOrder) (time.Time, string) { return o.Schedule.NextSyncAt, o.OrderNo })
}

// ReleasePayOrders drops owner's leases on orderNos; orders that are missing
// or not leased to owner are passed over. It returns an error wrapping
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails.
func (s *Store) ReleasePayOrders(ctx context.Context, owner string, orderNos ...string) error {
	return s.release(ctx, "pgstore.ReleasePayOrders", payTable(), owner, orderNos)
}

// scanPayOrder reads one row of payColumns.
func scanPayOrder(row pgx.Row) (paysync.PayOrder, error) {
	var (
		o                                                      paysync.PayOrder
		amount, refunded, reserved, status, refund             string
		expired, paid, closed, created, updated, next, leaseTo pgtype.Timestamptz
		leaseOwner                                             pgtype.Text
	)
	err := row.Scan(&o.OrderNo, &o.BizOrderNo, &o.OutOrderNo, &o.Channel, &amount, &o.Currency, &status,
		&refund, &refunded, &reserved, &expired, &paid, &closed, &created, &updated, &o.Version,
		&next, &o.Schedule.Attempts, &o.Schedule.Exhausted, &leaseOwner, &leaseTo)
	if err != nil {
		return paysync.PayOrder{}, err
	}
	if o.Amount, err = parseAmount(amount); err != nil {
		return paysync.PayOrder{}, err
	}
	if o.RefundedAmount, err = parseAmount(refunded); err != nil {
		return paysync.PayOrder{}, err
	}
	if o.ReservedAmount, err = parseAmount(reserved); err != nil {
		return paysync.PayOrder{}, err
	}
	o.Status, o.RefundStatus = paysync.PayStatus(status), paysync.PayRefundStatus(refund)
	o.ExpiredAt, o.PaidAt, o.ClosedAt = timeOf(expired), timeOf(paid), timeOf(closed)
	o.CreatedAt, o.UpdatedAt = timeOf(created), timeOf(updated)
	o.Schedule.NextSyncAt = timeOf(next)
	o.Schedule.LeaseOwner, o.Schedule.LeaseUntil = textOf(leaseOwner), timeOf(leaseTo)
	return o, nil
}
