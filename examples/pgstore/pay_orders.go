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
// order. The amount crosses as text so no digit is lost.
const payColumns = `order_no, biz_order_no, out_order_no, channel, amount::text, currency, status,
	refund_status, expired_at, paid_at, closed_at, created_at, updated_at, version, announced,
	next_sync_at, attempts, exhausted, lease_owner, lease_until`

const (
	createPaySQL = `INSERT INTO pay_orders (order_no, biz_order_no, out_order_no, channel, amount,
	currency, status, refund_status, expired_at, paid_at, closed_at, created_at, updated_at, version,
	announced, in_schedule, next_sync_at, attempts, exhausted)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $16, $17, $18)`

	getPaySQL      = `SELECT ` + payColumns + ` FROM pay_orders WHERE order_no = $1`
	getPayByBizSQL = `SELECT ` + payColumns + ` FROM pay_orders WHERE biz_order_no = $1`
	payExistsSQL   = `SELECT EXISTS (SELECT 1 FROM pay_orders WHERE order_no = $1)`

	// The lease survives a commit only while the order stays in the schedule.
	updatePaySQL = `UPDATE pay_orders SET out_order_no = $35, channel = $36, amount = $37,
	currency = $38, status = $39, refund_status = $40, expired_at = $41, paid_at = $42,
	closed_at = $43, created_at = $44, updated_at = $45, announced = $46, in_schedule = $47,
	next_sync_at = $48, attempts = $49, exhausted = $50,
	lease_owner = CASE WHEN $47 THEN lease_owner END,
	lease_until = CASE WHEN $47 THEN lease_until END,
	version = version + 1
	WHERE order_no = $33 AND version = $34`

	// The subquery walks pay_orders_due in due order, skipping rows another
	// claim or commit holds; the outer UPDATE finds the chosen rows by key.
	// ARRAY(...) keeps the planner from turning the subquery into a join.
	claimPaySQL = `UPDATE pay_orders SET lease_owner = $1, lease_until = $2
	WHERE order_no = ANY (ARRAY (
		SELECT order_no FROM pay_orders
		WHERE in_schedule AND next_sync_at <= $3 AND (lease_owner IS NULL OR lease_until <= $3)
		ORDER BY next_sync_at, order_no
		LIMIT $4
		FOR UPDATE SKIP LOCKED))
	RETURNING ` + payColumns

	releasePaySQL = `UPDATE pay_orders SET lease_owner = NULL, lease_until = NULL
	WHERE order_no = ANY ($2) AND lease_owner = $1`
)

// commitPaySQL is the whole commit statement for a pay order.
const commitPaySQL = commitHead + updatePaySQL + commitTail

// CreatePayOrder stores o as a new order with Version 1 (see
// repository.PayOrders). It returns an error wrapping paysync.ErrInvalidRequest
// when OrderNo or BizOrderNo is empty, paysync.ErrDuplicate when either is
// taken, and paysync.ErrInternal (with the cause) when the database fails.
func (s *Store) CreatePayOrder(ctx context.Context, o paysync.PayOrder) error {
	const op = "pgstore.CreatePayOrder"
	if o.OrderNo == "" || o.BizOrderNo == "" {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "order number and merchant order number are required", nil)
	}
	db, err := s.db(op)
	if err != nil {
		return err
	}
	in, next := schedule(o.Scheduled(), o.Schedule, o.CreatedAt)
	_, err = db.Exec(ctx, createPaySQL, o.OrderNo, o.BizOrderNo, o.OutOrderNo, o.Channel,
		o.Amount.String(), o.Currency, string(o.Status), string(o.RefundStatus), ts(o.ExpiredAt),
		ts(o.PaidAt), ts(o.ClosedAt), ts(o.CreatedAt), ts(o.UpdatedAt), codesArg(o.Announced),
		in, next, o.Schedule.Attempts, o.Schedule.Exhausted)
	return fail(ctx, op, err)
}

// GetPayOrder returns the order with system number orderNo. It returns an
// error wrapping paysync.ErrOrderNotFound when there is none, and
// paysync.ErrInternal when the database fails.
func (s *Store) GetPayOrder(ctx context.Context, orderNo string) (paysync.PayOrder, error) {
	return s.getPayOrder(ctx, "pgstore.GetPayOrder", getPaySQL, orderNo)
}

// GetPayOrderByBizNo returns the order with merchant number bizOrderNo. It
// returns an error wrapping paysync.ErrOrderNotFound when there is none, and
// paysync.ErrInternal when the database fails.
func (s *Store) GetPayOrderByBizNo(ctx context.Context, bizOrderNo string) (paysync.PayOrder, error) {
	return s.getPayOrder(ctx, "pgstore.GetPayOrderByBizNo", getPayByBizSQL, bizOrderNo)
}

func (s *Store) getPayOrder(ctx context.Context, op, sql, key string) (paysync.PayOrder, error) {
	return get(ctx, s, op, sql, key, scanPayOrder, paysync.ErrOrderNotFound)
}

// CommitPayOrder stores o and e together in one statement (see
// repository.PayOrders). It returns an error wrapping
// paysync.ErrVersionConflict when the stored version is not o.Version,
// paysync.ErrOrderNotFound when there is no such order, paysync.ErrDuplicate
// when a record or event id is taken, and paysync.ErrInternal when the
// database fails; in each case nothing is stored.
func (s *Store) CommitPayOrder(ctx context.Context, o paysync.PayOrder, e repository.Entries) error {
	const op = "pgstore.CommitPayOrder"
	in, next := schedule(o.Scheduled(), o.Schedule, o.UpdatedAt)
	args := append(entriesArgs(e), o.OrderNo, o.Version, o.OutOrderNo, o.Channel, o.Amount.String(),
		o.Currency, string(o.Status), string(o.RefundStatus), ts(o.ExpiredAt), ts(o.PaidAt),
		ts(o.ClosedAt), ts(o.CreatedAt), ts(o.UpdatedAt), codesArg(o.Announced), in, next,
		o.Schedule.Attempts, o.Schedule.Exhausted)
	return s.commit(ctx, op, commitPaySQL, args, payExistsSQL, o.OrderNo, paysync.ErrOrderNotFound)
}

// ClaimPayOrders leases up to c.Limit due orders to c.Owner until c.Until and
// returns them in due order (see repository.PayOrders). It returns an empty
// slice when none is due, an error wrapping paysync.ErrInvalidRequest when c
// is invalid, and paysync.ErrInternal when the database fails.
func (s *Store) ClaimPayOrders(ctx context.Context, c repository.Claim) ([]paysync.PayOrder, error) {
	return claim(ctx, s, "pgstore.ClaimPayOrders", claimPaySQL, c, scanPayOrder,
		func(o *paysync.PayOrder) (time.Time, string) { return o.Schedule.NextSyncAt, o.OrderNo })
}

// ReleasePayOrders drops owner's leases on orderNos; orders that are missing
// or not leased to owner are passed over. It returns an error wrapping
// paysync.ErrInternal when the database fails.
func (s *Store) ReleasePayOrders(ctx context.Context, owner string, orderNos ...string) error {
	const op = "pgstore.ReleasePayOrders"
	return s.release(ctx, op, releasePaySQL, owner, orderNos)
}

// release runs a release statement; with nothing to release it asks nothing
// of the database.
func (s *Store) release(ctx context.Context, op, sql, owner string, keys []string) error {
	if len(keys) == 0 || owner == "" {
		return fail(ctx, op, ctx.Err())
	}
	db, err := s.db(op)
	if err != nil {
		return err
	}
	_, err = db.Exec(ctx, sql, owner, keys)
	return fail(ctx, op, err)
}

// scanPayOrder reads one row of payColumns.
func scanPayOrder(row pgx.Row) (paysync.PayOrder, error) {
	var (
		o                                                      paysync.PayOrder
		amount, status, refund                                 string
		expired, paid, closed, created, updated, next, leaseTo pgtype.Timestamptz
		announced                                              []string
		leaseOwner                                             pgtype.Text
	)
	err := row.Scan(&o.OrderNo, &o.BizOrderNo, &o.OutOrderNo, &o.Channel, &amount, &o.Currency, &status,
		&refund, &expired, &paid, &closed, &created, &updated, &o.Version, &announced,
		&next, &o.Schedule.Attempts, &o.Schedule.Exhausted, &leaseOwner, &leaseTo)
	if err != nil {
		return paysync.PayOrder{}, err
	}
	if o.Amount, err = parseAmount(amount); err != nil {
		return paysync.PayOrder{}, err
	}
	o.Status, o.RefundStatus = paysync.PayStatus(status), paysync.PayRefundStatus(refund)
	o.ExpiredAt, o.PaidAt, o.ClosedAt = timeOf(expired), timeOf(paid), timeOf(closed)
	o.CreatedAt, o.UpdatedAt = timeOf(created), timeOf(updated)
	o.Announced = codesOf(announced)
	o.Schedule.NextSyncAt = timeOf(next)
	o.Schedule.LeaseOwner, o.Schedule.LeaseUntil = textOf(leaseOwner), timeOf(leaseTo)
	return o, nil
}
