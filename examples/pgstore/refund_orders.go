package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// refundColumns is what every read of a refund order selects, in
// scanRefundOrder's order.
const refundColumns = `refund_no, biz_refund_no, out_refund_no, order_no, channel, amount::text,
	currency, reason, status, watched, finished_at, error_code, error_msg, created_at, updated_at,
	version, next_sync_at, attempts, exhausted, lease_owner, lease_until`

// refundTable is refund_orders (see orderTable).
func refundTable() orderTable {
	return orderTable{name: "refund_orders", no: "refund_no", biz: "biz_refund_no", out: "out_refund_no",
		columns: refundColumns}
}

const (
	// An entries statement's write (see commit.go): parameters from $35.
	createRefundSQL = `INSERT INTO refund_orders (refund_no, biz_refund_no, out_refund_no, order_no,
	channel, amount, currency, reason, status, watched, finished_at, error_code, error_msg, created_at,
	updated_at, version, in_schedule, next_sync_at, attempts, exhausted)
VALUES ($35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, $46, $47, $48, $49, 1, $50, $51, $52, $53)
	RETURNING 1`

	getRefundSQL      = `SELECT ` + refundColumns + ` FROM refund_orders WHERE refund_no = $1`
	getRefundByBizSQL = `SELECT ` + refundColumns + ` FROM refund_orders WHERE biz_refund_no = $1`
	refundExistsSQL   = `SELECT EXISTS (SELECT 1 FROM refund_orders WHERE refund_no = $1)`

	// refund_orders_pay serves it in order.
	listRefundsSQL = `SELECT ` + refundColumns + ` FROM refund_orders WHERE order_no = $1
	ORDER BY created_at, refund_no`

	// See updatePaySQL; order_no is never written either.
	updateRefundSQL = `UPDATE refund_orders SET out_refund_no = $37, channel = $38, amount = $39,
	currency = $40, reason = $41, status = $42, watched = $43, finished_at = $44, error_code = $45,
	error_msg = $46, updated_at = $47, in_schedule = $48, next_sync_at = $49, attempts = $50,
	exhausted = $51,
	lease_owner = CASE WHEN $48 THEN lease_owner END,
	lease_until = CASE WHEN $48 THEN lease_until END,
	version = version + 1
	WHERE refund_no = $35 AND version = $36
	RETURNING 1`

	// payRefundSQL writes a refund's move on its pay order: a compare-and-
	// swap on the pay order's version that also requires the refund ($7) to
	// be one of that pay order's, so a refund never books money on another
	// order. Nothing else of the pay order changes.
	payRefundSQL = `UPDATE pay_orders SET refunded_amount = $3, reserved_amount = $4,
	refund_status = $5, updated_at = $6, version = version + 1
	WHERE order_no = $1 AND version = $2
		AND EXISTS (SELECT 1 FROM refund_orders WHERE refund_no = $7 AND order_no = $1)`

	// payRefundMissSQL explains a payRefundSQL that matched nothing.
	payRefundMissSQL = `SELECT EXISTS (SELECT 1 FROM pay_orders WHERE order_no = $1),
	EXISTS (SELECT 1 FROM refund_orders WHERE refund_no = $2 AND order_no = $1)`
)

// validateRefund refuses, with paysync.ErrInvalidRequest, a refund and pay
// order change the port does not accept on create or commit (see
// validatePayOrder): empty numbers, an unknown status or refund status, a
// zero CreatedAt, a pay change for another pay order.
func validateRefund(op string, r paysync.RefundOrder, pay *repository.PayRefundChange) error {
	switch {
	case r.RefundNo == "" || r.BizRefundNo == "" || r.OrderNo == "":
		return invalid(op, "refund number, merchant refund number and pay order number are required")
	case !r.Status.Valid():
		return invalid(op, "unknown refund status "+string(r.Status))
	case r.CreatedAt.IsZero():
		return invalid(op, "refund has no creation time")
	case pay == nil:
		return nil
	case pay.OrderNo == "" || pay.OrderNo != r.OrderNo:
		return invalid(op, "the pay order change names "+pay.OrderNo+", not the refund's pay order "+r.OrderNo)
	case !pay.RefundStatus.Valid():
		return invalid(op, "unknown pay refund status "+string(pay.RefundStatus))
	}
	return nil
}

// CreateRefundOrder stores refund r with Version 1 and its pay order's
// refund fields (pay), with e, in one transaction (see
// repository.RefundOrders). It returns an error wrapping paysync.ErrDuplicate
// when a refund number (or a record or event id, an adjust number) is taken,
// paysync.ErrOrderNotFound when the pay order does not exist,
// paysync.ErrVersionConflict when its version is not pay.Version or an
// anomaly disagrees with e, paysync.ErrInvalidRequest for a refund or change
// the port refuses, paysync.ErrCanceled when ctx ends and paysync.ErrInternal
// when the database fails. In each case nothing of either order is stored.
func (s *Store) CreateRefundOrder(ctx context.Context, r paysync.RefundOrder, pay repository.PayRefundChange, e repository.Entries) error {
	const op = "pgstore.CreateRefundOrder"
	if err := validateRefund(op, r, &pay); err != nil {
		return err
	}
	in, next := schedule(r.Scheduled(), r.Schedule, r.CreatedAt)
	w := write{sql: createRefundSQL, exists: refundExistsSQL, key: r.RefundNo, notFound: paysync.ErrRefundNotFound,
		args: []any{r.RefundNo, r.BizRefundNo, r.OutRefundNo, r.OrderNo, r.Channel, r.Amount.String(),
			r.Currency, r.Reason, string(r.Status), r.Watched, ts(r.FinishedAt), r.ErrorCode, r.ErrorMsg,
			ts(r.CreatedAt), ts(r.UpdatedAt), in, next, int64(r.Schedule.Attempts), r.Schedule.Exhausted}}
	return s.commit(ctx, op, w, e, &pay, r.RefundNo)
}

// GetRefundOrder returns the refund with system number refundNo. It returns
// an error wrapping paysync.ErrRefundNotFound when there is none,
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails.
func (s *Store) GetRefundOrder(ctx context.Context, refundNo string) (paysync.RefundOrder, error) {
	return get(ctx, s, "pgstore.GetRefundOrder", getRefundSQL, refundNo, scanRefundOrder, paysync.ErrRefundNotFound)
}

// GetRefundOrderByBizNo returns the refund with merchant number bizRefundNo,
// with the errors of GetRefundOrder.
func (s *Store) GetRefundOrderByBizNo(ctx context.Context, bizRefundNo string) (paysync.RefundOrder, error) {
	return get(ctx, s, "pgstore.GetRefundOrderByBizNo", getRefundByBizSQL, bizRefundNo, scanRefundOrder,
		paysync.ErrRefundNotFound)
}

// ListRefundOrders returns the refunds of pay order orderNo in creation
// order; an empty slice when there are none. It returns an error wrapping
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails.
func (s *Store) ListRefundOrders(ctx context.Context, orderNo string) ([]paysync.RefundOrder, error) {
	return query(ctx, s, "pgstore.ListRefundOrders", listRefundsSQL, []any{orderNo},
		func(row pgx.CollectableRow) (paysync.RefundOrder, error) { return scanRefundOrder(row) })
}

// CommitRefundOrder stores r as the refund's new state and, when pay is not
// nil, its pay order's refund fields, with e, in one transaction (see
// repository.RefundOrders). It returns an error wrapping
// paysync.ErrVersionConflict when either order's version is stale or an
// anomaly disagrees with e, paysync.ErrRefundNotFound for a missing refund,
// paysync.ErrOrderNotFound for a missing pay order,
// paysync.ErrDuplicate for a taken record or event id or adjust number,
// paysync.ErrInvalidRequest for a refund or change the port refuses (a pay
// change for a pay order other than the stored refund's included),
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails; in each case nothing is stored.
func (s *Store) CommitRefundOrder(ctx context.Context, r paysync.RefundOrder, pay *repository.PayRefundChange, e repository.Entries) error {
	const op = "pgstore.CommitRefundOrder"
	if err := validateRefund(op, r, pay); err != nil {
		return err
	}
	in, next := schedule(r.Scheduled(), r.Schedule, r.UpdatedAt)
	w := write{sql: updateRefundSQL, exists: refundExistsSQL, key: r.RefundNo, notFound: paysync.ErrRefundNotFound,
		args: []any{r.RefundNo, r.Version, r.OutRefundNo, r.Channel, r.Amount.String(), r.Currency, r.Reason,
			string(r.Status), r.Watched, ts(r.FinishedAt), r.ErrorCode, r.ErrorMsg, ts(r.UpdatedAt), in, next,
			int64(r.Schedule.Attempts), r.Schedule.Exhausted}}
	return s.commit(ctx, op, w, e, pay, r.RefundNo)
}

// queuePayChange adds the write of pay to b, after refund refundNo's own
// write; a change that matches no row ends the batch with payNoRow.
func queuePayChange(b *pgx.Batch, pay repository.PayRefundChange, refundNo string) {
	b.Queue(payRefundSQL, pay.OrderNo, pay.Version, pay.RefundedAmount.String(), pay.ReservedAmount.String(),
		string(pay.RefundStatus), ts(pay.UpdatedAt), refundNo).Exec(func(tag pgconn.CommandTag) error {
		return matched(tag.RowsAffected(), payNoRow)
	})
}

// payMissed explains, in conn's transaction, a change of pay that matched no row: an error
// wrapping paysync.ErrOrderNotFound when the pay order is missing,
// paysync.ErrInvalidRequest when refund refundNo is not one of its refunds,
// and paysync.ErrVersionConflict when its version is not pay.Version; the
// caller then rolls the transaction back, refund and all.
func payMissed(ctx context.Context, op string, conn *pgxpool.Conn, pay repository.PayRefundChange, refundNo string) error {
	var payFound, ofPay bool
	if err := conn.QueryRow(ctx, payRefundMissSQL, pay.OrderNo, refundNo).Scan(&payFound, &ofPay); err != nil {
		return err
	}
	switch {
	case !payFound:
		return paysync.E(op, paysync.ErrOrderNotFound, nil)
	case !ofPay:
		return invalid(op, "refund "+refundNo+" is not a refund of pay order "+pay.OrderNo)
	}
	return paysync.E(op, paysync.ErrVersionConflict, nil)
}

// ClaimRefundOrders leases up to c.Limit due refunds to c.Owner until
// c.Until and returns them in due order (NextSyncAt, then RefundNo), with the
// errors of ClaimPayOrders.
func (s *Store) ClaimRefundOrders(ctx context.Context, c repository.Claim) ([]paysync.RefundOrder, error) {
	return claim(ctx, s, "pgstore.ClaimRefundOrders", refundTable(), c, scanRefundOrder,
		func(o *paysync.RefundOrder) (time.Time, string) { return o.Schedule.NextSyncAt, o.RefundNo })
}

// ReleaseRefundOrders drops owner's leases on refundNos, with the errors of
// ReleasePayOrders.
func (s *Store) ReleaseRefundOrders(ctx context.Context, owner string, refundNos ...string) error {
	return s.release(ctx, "pgstore.ReleaseRefundOrders", refundTable(), owner, refundNos)
}

// scanRefundOrder reads one row of refundColumns.
func scanRefundOrder(row pgx.Row) (paysync.RefundOrder, error) {
	var (
		r                                            paysync.RefundOrder
		amount, status                               string
		finished, created, updated, next, leaseUntil pgtype.Timestamptz
		leaseOwner                                   pgtype.Text
	)
	err := row.Scan(&r.RefundNo, &r.BizRefundNo, &r.OutRefundNo, &r.OrderNo, &r.Channel, &amount,
		&r.Currency, &r.Reason, &status, &r.Watched, &finished, &r.ErrorCode, &r.ErrorMsg, &created,
		&updated, &r.Version, &next, &r.Schedule.Attempts, &r.Schedule.Exhausted, &leaseOwner, &leaseUntil)
	if err != nil {
		return paysync.RefundOrder{}, err
	}
	if r.Amount, err = parseAmount(amount); err != nil {
		return paysync.RefundOrder{}, err
	}
	r.Status = paysync.RefundOrderStatus(status)
	r.FinishedAt, r.CreatedAt, r.UpdatedAt = timeOf(finished), timeOf(created), timeOf(updated)
	r.Schedule.NextSyncAt = timeOf(next)
	r.Schedule.LeaseOwner, r.Schedule.LeaseUntil = textOf(leaseOwner), timeOf(leaseUntil)
	return r, nil
}
