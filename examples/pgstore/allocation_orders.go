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
	channel, amount::text, currency, status, result, receivers, finished_at, created_at, updated_at,
	version, next_sync_at, attempts, exhausted, lease_owner, lease_until`

// allocTable is allocation_orders (see orderTable).
func allocTable() orderTable {
	return orderTable{name: "allocation_orders", no: "allocation_no", biz: "biz_allocation_no",
		out: "out_allocation_no", columns: allocColumns}
}

const (
	createAllocSQL = `INSERT INTO allocation_orders (allocation_no, biz_allocation_no,
	out_allocation_no, order_no, out_order_no, channel, amount, currency, status, result, receivers,
	finished_at, created_at, updated_at, version, in_schedule, next_sync_at, attempts, exhausted)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $16, $17, $18)`

	getAllocSQL      = `SELECT ` + allocColumns + ` FROM allocation_orders WHERE allocation_no = $1`
	getAllocByBizSQL = `SELECT ` + allocColumns + ` FROM allocation_orders WHERE biz_allocation_no = $1`
	allocExistsSQL   = `SELECT EXISTS (SELECT 1 FROM allocation_orders WHERE allocation_no = $1)`

	// allocation_orders_pay serves it in order.
	listAllocSQL = `SELECT ` + allocColumns + ` FROM allocation_orders WHERE order_no = $1
	ORDER BY created_at, allocation_no`

	// See updatePaySQL.
	updateAllocSQL = `UPDATE allocation_orders SET out_allocation_no = $37, order_no = $38,
	out_order_no = $39, channel = $40, amount = $41, currency = $42, status = $43, result = $44,
	receivers = $45, finished_at = $46, updated_at = $47, in_schedule = $48, next_sync_at = $49,
	attempts = $50, exhausted = $51,
	lease_owner = CASE WHEN $48 THEN lease_owner END,
	lease_until = CASE WHEN $48 THEN lease_until END,
	version = version + 1
	WHERE allocation_no = $35 AND version = $36
	RETURNING 1`
)

// validateAllocationOrder refuses, with paysync.ErrInvalidRequest, an order
// the port does not accept on create or commit (see validatePayOrder): empty
// numbers, an unknown status, result or receiver result, a zero CreatedAt.
func validateAllocationOrder(op string, o paysync.AllocationOrder) error {
	switch {
	case o.AllocationNo == "" || o.BizAllocationNo == "":
		return invalid(op, "allocation number and merchant allocation number are required")
	case !o.Status.Valid():
		return invalid(op, "unknown allocation status "+string(o.Status))
	case o.Result != "" && !o.Result.Valid():
		return invalid(op, "unknown allocation result "+string(o.Result))
	case o.CreatedAt.IsZero():
		return invalid(op, "order has no creation time")
	}
	for _, r := range o.Receivers {
		if !r.Result.Valid() {
			return invalid(op, "receiver "+r.ReceiverNo+" has unknown result "+string(r.Result))
		}
	}
	return nil
}

// CreateAllocationOrder stores o as a new order with Version 1 (see
// repository.AllocationOrders); an order in allocation_processing without a
// Result is stored all_pending. It returns an error wrapping
// paysync.ErrInvalidRequest for an order the port refuses,
// paysync.ErrDuplicate when a number is taken, paysync.ErrCanceled when ctx
// ends and paysync.ErrInternal when the database fails.
func (s *Store) CreateAllocationOrder(ctx context.Context, o paysync.AllocationOrder) error {
	const op = "pgstore.CreateAllocationOrder"
	if err := validateAllocationOrder(op, o); err != nil {
		return err
	}
	if o.Status == paysync.AllocProcessing && o.Result == "" {
		o.Result = paysync.AllocAllPending
	}
	receivers, err := receiversArg(o.Receivers)
	if err != nil {
		return paysync.E(op, paysync.ErrInternal, err)
	}
	in, next := schedule(o.Scheduled(), o.Schedule, o.CreatedAt)
	return s.inTx(ctx, op, func(b *pgx.Batch) {
		b.Queue(createAllocSQL, o.AllocationNo, o.BizAllocationNo, o.OutAllocationNo,
			o.OrderNo, o.OutOrderNo, o.Channel, o.Amount.String(), o.Currency, string(o.Status),
			string(o.Result), receivers, ts(o.FinishedAt), ts(o.CreatedAt), ts(o.UpdatedAt),
			in, next, int64(o.Schedule.Attempts), o.Schedule.Exhausted)
	}, nil)
}

// GetAllocationOrder returns the order with system number allocationNo. It
// returns an error wrapping paysync.ErrAllocationNotFound when there is none,
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails.
func (s *Store) GetAllocationOrder(ctx context.Context, allocationNo string) (paysync.AllocationOrder, error) {
	return get(ctx, s, "pgstore.GetAllocationOrder", getAllocSQL, allocationNo, scanAllocationOrder,
		paysync.ErrAllocationNotFound)
}

// GetAllocationOrderByBizNo returns the order with merchant number
// bizAllocationNo, with the errors of GetAllocationOrder.
func (s *Store) GetAllocationOrderByBizNo(ctx context.Context, bizAllocationNo string) (paysync.AllocationOrder, error) {
	return get(ctx, s, "pgstore.GetAllocationOrderByBizNo", getAllocByBizSQL, bizAllocationNo,
		scanAllocationOrder, paysync.ErrAllocationNotFound)
}

// ListAllocationOrders returns the allocation orders of pay order orderNo in
// creation order; an empty slice when there are none. It returns an error
// wrapping paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the
// database fails.
func (s *Store) ListAllocationOrders(ctx context.Context, orderNo string) ([]paysync.AllocationOrder, error) {
	return query(ctx, s, "pgstore.ListAllocationOrders", listAllocSQL, []any{orderNo},
		func(row pgx.CollectableRow) (paysync.AllocationOrder, error) { return scanAllocationOrder(row) })
}

// CommitAllocationOrder stores o, its receivers whole, and e together (see
// repository.AllocationOrders), with the errors of CommitPayOrder and
// paysync.ErrAllocationNotFound for a missing order.
func (s *Store) CommitAllocationOrder(ctx context.Context, o paysync.AllocationOrder, e repository.Entries) error {
	const op = "pgstore.CommitAllocationOrder"
	if err := validateAllocationOrder(op, o); err != nil {
		return err
	}
	receivers, err := receiversArg(o.Receivers)
	if err != nil {
		return paysync.E(op, paysync.ErrInternal, err)
	}
	in, next := schedule(o.Scheduled(), o.Schedule, o.UpdatedAt)
	w := write{sql: updateAllocSQL, exists: allocExistsSQL, key: o.AllocationNo,
		notFound: paysync.ErrAllocationNotFound,
		args: []any{o.AllocationNo, o.Version, o.OutAllocationNo, o.OrderNo, o.OutOrderNo, o.Channel,
			o.Amount.String(), o.Currency, string(o.Status), string(o.Result), receivers,
			ts(o.FinishedAt), ts(o.UpdatedAt), in, next, int64(o.Schedule.Attempts), o.Schedule.Exhausted}}
	return s.commit(ctx, op, w, e, nil, "")
}

// ClaimAllocationOrders leases up to c.Limit due orders to c.Owner until
// c.Until and returns them in due order (NextSyncAt, then AllocationNo), with
// the errors of ClaimPayOrders.
func (s *Store) ClaimAllocationOrders(ctx context.Context, c repository.Claim) ([]paysync.AllocationOrder, error) {
	return claim(ctx, s, "pgstore.ClaimAllocationOrders", allocTable(), c, scanAllocationOrder,
		func(o *paysync.AllocationOrder) (time.Time, string) { return o.Schedule.NextSyncAt, o.AllocationNo })
}

// ReleaseAllocationOrders drops owner's leases on allocationNos, with the
// errors of ReleasePayOrders.
func (s *Store) ReleaseAllocationOrders(ctx context.Context, owner string, allocationNos ...string) error {
	return s.release(ctx, "pgstore.ReleaseAllocationOrders", allocTable(), owner, allocationNos)
}

// scanAllocationOrder reads one row of allocColumns.
func scanAllocationOrder(row pgx.Row) (paysync.AllocationOrder, error) {
	var (
		o                                            paysync.AllocationOrder
		amount, status, result                       string
		receivers                                    []byte
		finished, created, updated, next, leaseUntil pgtype.Timestamptz
		leaseOwner                                   pgtype.Text
	)
	err := row.Scan(&o.AllocationNo, &o.BizAllocationNo, &o.OutAllocationNo, &o.OrderNo, &o.OutOrderNo,
		&o.Channel, &amount, &o.Currency, &status, &result, &receivers, &finished, &created, &updated,
		&o.Version, &next, &o.Schedule.Attempts, &o.Schedule.Exhausted, &leaseOwner, &leaseUntil)
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
	o.Schedule.NextSyncAt = timeOf(next)
	o.Schedule.LeaseOwner, o.Schedule.LeaseUntil = textOf(leaseOwner), timeOf(leaseUntil)
	return o, nil
}
