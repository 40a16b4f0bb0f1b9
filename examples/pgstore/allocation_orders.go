package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// allocColumns is what every read of an allocation order selects, in
// scanAllocationOrder's order.
const allocColumns = `allocation_no, biz_allocation_no, out_allocation_no, order_no, out_order_no,
	channel, amount::text, status, result, receivers, finished_at, created_at, updated_at, version,
	announced, next_sync_at, attempts, exhausted, lease_owner, lease_until`

const (
	createAllocSQL = `INSERT INTO allocation_orders (allocation_no, biz_allocation_no,
	out_allocation_no, order_no, out_order_no, channel, amount, status, result, receivers,
	finished_at, created_at, updated_at, version, announced, in_schedule, next_sync_at, attempts,
	exhausted)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $16, $17, $18)`

	getAllocSQL      = `SELECT ` + allocColumns + ` FROM allocation_orders WHERE allocation_no = $1`
	getAllocByBizSQL = `SELECT ` + allocColumns + ` FROM allocation_orders WHERE biz_allocation_no = $1`
	allocExistsSQL   = `SELECT EXISTS (SELECT 1 FROM allocation_orders WHERE allocation_no = $1)`

	updateAllocSQL = `UPDATE allocation_orders SET out_allocation_no = $35, order_no = $36,
	out_order_no = $37, channel = $38, amount = $39, status = $40, result = $41, receivers = $42,
	finished_at = $43, created_at = $44, updated_at = $45, announced = $46, in_schedule = $47,
	next_sync_at = $48, attempts = $49, exhausted = $50,
	lease_owner = CASE WHEN $47 THEN lease_owner END,
	lease_until = CASE WHEN $47 THEN lease_until END,
	version = version + 1
	WHERE allocation_no = $33 AND version = $34`

	commitAllocSQL = commitHead + updateAllocSQL + commitTail

	// See claimPaySQL.
	claimAllocSQL = `UPDATE allocation_orders SET lease_owner = $1, lease_until = $2
	WHERE allocation_no = ANY (ARRAY (
		SELECT allocation_no FROM allocation_orders
		WHERE in_schedule AND next_sync_at <= $3 AND (lease_owner IS NULL OR lease_until <= $3)
		ORDER BY next_sync_at, allocation_no
		LIMIT $4
		FOR UPDATE SKIP LOCKED))
	RETURNING ` + allocColumns

	releaseAllocSQL = `UPDATE allocation_orders SET lease_owner = NULL, lease_until = NULL
	WHERE allocation_no = ANY ($2) AND lease_owner = $1`
)

// CreateAllocationOrder stores o as a new order with Version 1 (see
// repository.AllocationOrders). It returns an error wrapping
// paysync.ErrInvalidRequest when AllocationNo or BizAllocationNo is empty,
// paysync.ErrDuplicate when either is taken, and paysync.ErrInternal when the
// database fails.
func (s *Store) CreateAllocationOrder(ctx context.Context, o paysync.AllocationOrder) error {
	const op = "pgstore.CreateAllocationOrder"
	if o.AllocationNo == "" || o.BizAllocationNo == "" {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "allocation number and merchant allocation number are required", nil)
	}
	db, err := s.db(op)
	if err != nil {
		return err
	}
	receivers, err := receiversArg(o.Receivers)
	if err != nil {
		return paysync.E(op, paysync.ErrInternal, err)
	}
	in, next := schedule(o.Scheduled(), o.Schedule, o.CreatedAt)
	_, err = db.Exec(ctx, createAllocSQL, o.AllocationNo, o.BizAllocationNo, o.OutAllocationNo,
		o.OrderNo, o.OutOrderNo, o.Channel, o.Amount.String(), string(o.Status), string(o.Result),
		receivers, ts(o.FinishedAt), ts(o.CreatedAt), ts(o.UpdatedAt), codesArg(o.Announced),
		in, next, o.Schedule.Attempts, o.Schedule.Exhausted)
	return fail(ctx, op, err)
}

// GetAllocationOrder returns the order with system number allocationNo. It
// returns an error wrapping paysync.ErrAllocationNotFound when there is none,
// and paysync.ErrInternal when the database fails.
func (s *Store) GetAllocationOrder(ctx context.Context, allocationNo string) (paysync.AllocationOrder, error) {
	return s.getAllocationOrder(ctx, "pgstore.GetAllocationOrder", getAllocSQL, allocationNo)
}

// GetAllocationOrderByBizNo returns the order with merchant number
// bizAllocationNo. It returns an error wrapping paysync.ErrAllocationNotFound
// when there is none, and paysync.ErrInternal when the database fails.
func (s *Store) GetAllocationOrderByBizNo(ctx context.Context, bizAllocationNo string) (paysync.AllocationOrder, error) {
	return s.getAllocationOrder(ctx, "pgstore.GetAllocationOrderByBizNo", getAllocByBizSQL, bizAllocationNo)
}

func (s *Store) getAllocationOrder(ctx context.Context, op, sql, key string) (paysync.AllocationOrder, error) {
	return get(ctx, s, op, sql, key, scanAllocationOrder, paysync.ErrAllocationNotFound)
}

// CommitAllocationOrder stores o, its receivers whole, and e together in one
// statement (see repository.AllocationOrders). It returns an error wrapping
// paysync.ErrVersionConflict when the stored version is not o.Version,
// paysync.ErrAllocationNotFound when there is no such order,
// paysync.ErrDuplicate when a record or event id is taken, and
// paysync.ErrInternal when the database fails; in each case nothing is stored.
func (s *Store) CommitAllocationOrder(ctx context.Context, o paysync.AllocationOrder, e repository.Entries) error {
	const op = "pgstore.CommitAllocationOrder"
	receivers, err := receiversArg(o.Receivers)
	if err != nil {
		return paysync.E(op, paysync.ErrInternal, err)
	}
	in, next := schedule(o.Scheduled(), o.Schedule, o.UpdatedAt)
	args := append(entriesArgs(e), o.AllocationNo, o.Version, o.OutAllocationNo, o.OrderNo,
		o.OutOrderNo, o.Channel, o.Amount.String(), string(o.Status), string(o.Result), receivers,
		ts(o.FinishedAt), ts(o.CreatedAt), ts(o.UpdatedAt), codesArg(o.Announced), in, next,
		o.Schedule.Attempts, o.Schedule.Exhausted)
	return s.commit(ctx, op, commitAllocSQL, args, allocExistsSQL, o.AllocationNo, paysync.ErrAllocationNotFound)
}

// ClaimAllocationOrders leases up to c.Limit due orders to c.Owner until
// c.Until and returns them in due order (NextSyncAt, then AllocationNo). It
// returns an empty slice when none is due, an error wrapping
// paysync.ErrInvalidRequest when c is invalid, and paysync.ErrInternal when
// the database fails.
func (s *Store) ClaimAllocationOrders(ctx context.Context, c repository.Claim) ([]paysync.AllocationOrder, error) {
	return claim(ctx, s, "pgstore.ClaimAllocationOrders", claimAllocSQL, c, scanAllocationOrder,
		func(o *paysync.AllocationOrder) (time.Time, string) { return o.Schedule.NextSyncAt, o.AllocationNo })
}

// ReleaseAllocationOrders drops owner's leases on allocationNos; orders that
// are missing or not leased to owner are passed over. It returns an error
// wrapping paysync.ErrInternal when the database fails.
func (s *Store) ReleaseAllocationOrders(ctx context.Context, owner string, allocationNos ...string) error {
	return s.release(ctx, "pgstore.ReleaseAllocationOrders", releaseAllocSQL, owner, allocationNos)
}

// scanAllocationOrder reads one row of allocColumns.
func scanAllocationOrder(row pgx.Row) (paysync.AllocationOrder, error) {
	var (
		o                                            paysync.AllocationOrder
		amount, status, result                       string
		receivers                                    []byte
		finished, created, updated, next, leaseUntil pgtype.Timestamptz
		announced                                    []string
		leaseOwner                                   pgtype.Text
	)
	err := row.Scan(&o.AllocationNo, &o.BizAllocationNo, &o.OutAllocationNo, &o.OrderNo, &o.OutOrderNo,
		&o.Channel, &amount, &status, &result, &receivers, &finished, &created, &updated, &o.Version,
		&announced, &next, &o.Schedule.Attempts, &o.Schedule.Exhausted, &leaseOwner, &leaseUntil)
	if err != nil {
		return paysync.AllocationOrder{}, err
	}
	if o.Amount, err = parseAmount(amount); err != nil {
		return paysync.AllocationOrder{}, err
	}
	if o.Receivers, err = receiversOf(receivers); err != nil {
		return paysync.AllocationOrder{}, err
	}
	o.Status, o.Result = paysync.AllocationStatus(status), paysync.AllocationResult(result)
	o.FinishedAt, o.CreatedAt, o.UpdatedAt = timeOf(finished), timeOf(created), timeOf(updated)
	o.Announced = codesOf(announced)
	o.Schedule.NextSyncAt = timeOf(next)
	o.Schedule.LeaseOwner, o.Schedule.LeaseUntil = textOf(leaseOwner), timeOf(leaseUntil)
	return o, nil
}
