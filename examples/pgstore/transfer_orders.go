package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// transferColumns is what every read of a transfer order selects, in
// scanTransferOrder's order.
const transferColumns = `transfer_no, biz_transfer_no, out_transfer_no, channel, amount::text,
	currency, payee_type, payee_account, payee_name, reason, status, finished_at, error_code,
	error_msg, created_at, updated_at, version, next_sync_at, attempts, exhausted, lease_owner,
	lease_until`

// transferTable is transfer_orders (see orderTable).
func transferTable() orderTable {
	return orderTable{name: "transfer_orders", no: "transfer_no", biz: "biz_transfer_no",
		out: "out_transfer_no", columns: transferColumns}
}

const (
	createTransferSQL = `INSERT INTO transfer_orders (transfer_no, biz_transfer_no, out_transfer_no,
	channel, amount, currency, payee_type, payee_account, payee_name, reason, status, finished_at,
	error_code, error_msg, created_at, updated_at, version, in_schedule, next_sync_at, attempts, exhausted)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18, $19, $20)`

	getTransferSQL      = `SELECT ` + transferColumns + ` FROM transfer_orders WHERE transfer_no = $1`
	getTransferByBizSQL = `SELECT ` + transferColumns + ` FROM transfer_orders WHERE biz_transfer_no = $1`
	transferExistsSQL   = `SELECT EXISTS (SELECT 1 FROM transfer_orders WHERE transfer_no = $1)`

	// See updatePaySQL.
	updateTransferSQL = `UPDATE transfer_orders SET out_transfer_no = $37, channel = $38,
	amount = $39, currency = $40, payee_type = $41, payee_account = $42, payee_name = $43,
	reason = $44, status = $45, finished_at = $46, error_code = $47, error_msg = $48,
	updated_at = $49, in_schedule = $50, next_sync_at = $51, attempts = $52, exhausted = $53,
	lease_owner = CASE WHEN $50 THEN lease_owner END,
	lease_until = CASE WHEN $50 THEN lease_until END,
	version = version + 1
	WHERE transfer_no = $35 AND version = $36
	RETURNING 1`
)

// validateTransfer refuses, with paysync.ErrInvalidRequest, a transfer the
// port does not accept on create or commit (see validatePayOrder): empty
// numbers, an unknown status, a zero CreatedAt.
func validateTransfer(op string, t paysync.TransferOrder) error {
	switch {
	case t.TransferNo == "" || t.BizTransferNo == "":
		return invalid(op, "transfer number and merchant transfer number are required")
	case !t.Status.Valid():
		return invalid(op, "unknown transfer status "+string(t.Status))
	case t.CreatedAt.IsZero():
		return invalid(op, "transfer has no creation time")
	}
	return nil
}

// CreateTransferOrder stores t as a new transfer with Version 1 (see
// repository.TransferOrders). It returns an error wrapping
// paysync.ErrInvalidRequest for a transfer the port refuses,
// paysync.ErrDuplicate when a number is taken, paysync.ErrCanceled when ctx
// ends and paysync.ErrInternal when the database fails.
func (s *Store) CreateTransferOrder(ctx context.Context, t paysync.TransferOrder) error {
	const op = "pgstore.CreateTransferOrder"
	if err := validateTransfer(op, t); err != nil {
		return err
	}
	in, next := schedule(t.Scheduled(), t.Schedule, t.CreatedAt)
	return s.inTx(ctx, op, func(b *pgx.Batch) {
		b.Queue(createTransferSQL, t.TransferNo, t.BizTransferNo, t.OutTransferNo,
			t.Channel, t.Amount.String(), t.Currency, t.PayeeType, t.PayeeAccount, t.PayeeName, t.Reason,
			string(t.Status), ts(t.FinishedAt), t.ErrorCode, t.ErrorMsg, ts(t.CreatedAt),
			ts(t.UpdatedAt), in, next, int64(t.Schedule.Attempts), t.Schedule.Exhausted)
	}, nil)
}

// GetTransferOrder returns the transfer with system number transferNo. It
// returns an error wrapping paysync.ErrTransferNotFound when there is none,
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails.
func (s *Store) GetTransferOrder(ctx context.Context, transferNo string) (paysync.TransferOrder, error) {
	return get(ctx, s, "pgstore.GetTransferOrder", getTransferSQL, transferNo, scanTransferOrder,
		paysync.ErrTransferNotFound)
}

// GetTransferOrderByBizNo returns the transfer with merchant number
// bizTransferNo, with the errors of GetTransferOrder.
func (s *Store) GetTransferOrderByBizNo(ctx context.Context, bizTransferNo string) (paysync.TransferOrder, error) {
	return get(ctx, s, "pgstore.GetTransferOrderByBizNo", getTransferByBizSQL, bizTransferNo,
		scanTransferOrder, paysync.ErrTransferNotFound)
}

// CommitTransferOrder stores t and e together (see repository.TransferOrders),
// with the errors of CommitPayOrder and paysync.ErrTransferNotFound for a
// missing transfer.
func (s *Store) CommitTransferOrder(ctx context.Context, t paysync.TransferOrder, e repository.Entries) error {
	const op = "pgstore.CommitTransferOrder"
	if err := validateTransfer(op, t); err != nil {
		return err
	}
	in, next := schedule(t.Scheduled(), t.Schedule, t.UpdatedAt)
	w := write{sql: updateTransferSQL, exists: transferExistsSQL, key: t.TransferNo,
		notFound: paysync.ErrTransferNotFound,
		args: []any{t.TransferNo, t.Version, t.OutTransferNo, t.Channel, t.Amount.String(), t.Currency,
			t.PayeeType, t.PayeeAccount, t.PayeeName, t.Reason, string(t.Status), ts(t.FinishedAt),
			t.ErrorCode, t.ErrorMsg, ts(t.UpdatedAt), in, next, int64(t.Schedule.Attempts),
			t.Schedule.Exhausted}}
	return s.commit(ctx, op, w, e, nil, "")
}

// ClaimTransferOrders leases up to c.Limit due transfers to c.Owner until
// c.Until and returns them in due order (NextSyncAt, then TransferNo), with
// the errors of ClaimPayOrders.
func (s *Store) ClaimTransferOrders(ctx context.Context, c repository.Claim) ([]paysync.TransferOrder, error) {
	return claim(ctx, s, "pgstore.ClaimTransferOrders", transferTable(), c, scanTransferOrder,
		func(o *paysync.TransferOrder) (time.Time, string) { return o.Schedule.NextSyncAt, o.TransferNo })
}

// ReleaseTransferOrders drops owner's leases on transferNos, with the errors
// of ReleasePayOrders.
func (s *Store) ReleaseTransferOrders(ctx context.Context, owner string, transferNos ...string) error {
	return s.release(ctx, "pgstore.ReleaseTransferOrders", transferTable(), owner, transferNos)
}

// scanTransferOrder reads one row of transferColumns.
func scanTransferOrder(row pgx.Row) (paysync.TransferOrder, error) {
	var (
		t                                            paysync.TransferOrder
		amount, status                               string
		finished, created, updated, next, leaseUntil pgtype.Timestamptz
		leaseOwner                                   pgtype.Text
	)
	err := row.Scan(&t.TransferNo, &t.BizTransferNo, &t.OutTransferNo, &t.Channel, &amount, &t.Currency,
		&t.PayeeType, &t.PayeeAccount, &t.PayeeName, &t.Reason, &status, &finished, &t.ErrorCode,
		&t.ErrorMsg, &created, &updated, &t.Version, &next, &t.Schedule.Attempts, &t.Schedule.Exhausted,
		&leaseOwner, &leaseUntil)
	if err != nil {
		return paysync.TransferOrder{}, err
	}
	if t.Amount, err = parseAmount(amount); err != nil {
		return paysync.TransferOrder{}, err
	}
	t.Status = paysync.TransferStatus(status)
	t.FinishedAt, t.CreatedAt, t.UpdatedAt = timeOf(finished), timeOf(created), timeOf(updated)
	t.Schedule.NextSyncAt = timeOf(next)
	t.Schedule.LeaseOwner, t.Schedule.LeaseUntil = textOf(leaseOwner), timeOf(leaseUntil)
	return t, nil
}
