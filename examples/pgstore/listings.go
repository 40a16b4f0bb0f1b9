package pgstore

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// listOrdersSQL is a page query of table t: for ByStatus, the status is $1.
// After a cursor, its sort time and number are the next two parameters; the
// limit is the last. Each variant is a plain statement whose WHERE and ORDER
// BY match one index, which the plan test asserts:
//   - ByStatus: <table>_status (status, created_at DESC, number DESC);
//   - ByDue: <table>_due (next_sync_at, number) WHERE in_schedule;
//   - ByExhausted: <table>_exhausted (created_at DESC, number DESC) WHERE
//     exhausted.
//
// The row comparison resumes after the cursor's row, so a page reads the
// index entries it returns and one more, wherever it starts.
func listOrdersSQL(t orderTable, by repository.ListBy, after bool) string {
	sql := `SELECT ` + t.no + `, ` + t.biz + `, ` + t.out + `, channel, amount::text, currency, status,
	created_at, updated_at, version, next_sync_at, attempts, exhausted, lease_owner, lease_until
	FROM ` + t.name + ` WHERE `
	n := 1
	param := func() string { n++; return "$" + strconv.Itoa(n-1) }
	switch by {
	case repository.ByStatus:
		sql += `status = ` + param()
		if after {
			sql += ` AND (created_at, ` + t.no + `) < (` + param() + `, ` + param() + `)`
		}
		sql += ` ORDER BY created_at DESC, ` + t.no + ` DESC`
	case repository.ByDue:
		sql += `in_schedule`
		if after {
			sql += ` AND (next_sync_at, ` + t.no + `) > (` + param() + `, ` + param() + `)`
		}
		sql += ` ORDER BY next_sync_at, ` + t.no
	case repository.ByExhausted:
		sql += `exhausted`
		if after {
			sql += ` AND (created_at, ` + t.no + `) < (` + param() + `, ` + param() + `)`
		}
		sql += ` ORDER BY created_at DESC, ` + t.no + ` DESC`
	}
	return sql + ` LIMIT ` + param()
}

// pageLimit returns the page size a Limit asks for, or an error wrapping
// paysync.ErrInvalidRequest for a negative one.
func pageLimit(op string, limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, invalid(op, "negative page size")
	case limit == 0:
		return repository.DefaultPageSize, nil
	}
	return min(limit, repository.MaxPageSize), nil
}

// ListOrders returns a page of one kind's orders as q asks (see
// repository.Listings), reading one index from the cursor's position. It
// returns an error wrapping paysync.ErrInvalidRequest for an unknown
// TradeType or By, a ByStatus query without a Status, a negative Limit or a
// cursor this store did not make for q, paysync.ErrCanceled when ctx ends
// and paysync.ErrInternal when the database fails.
func (s *Store) ListOrders(ctx context.Context, q repository.OrderQuery) (repository.OrderPage, error) {
	const op = "pgstore.ListOrders"
	t, ok := orderTableOf(q.TradeType)
	switch {
	case !ok:
		return repository.OrderPage{}, invalid(op, "unknown trade type "+string(q.TradeType))
	case q.By != repository.ByStatus && q.By != repository.ByDue && q.By != repository.ByExhausted:
		return repository.OrderPage{}, invalid(op, "unknown listing "+strconv.Itoa(int(q.By)))
	case q.By == repository.ByStatus && q.Status == "":
		return repository.OrderPage{}, invalid(op, "a listing by status needs a status")
	}
	limit, err := pageLimit(op, q.Limit)
	if err != nil {
		return repository.OrderPage{}, err
	}
	var args []any
	if q.By == repository.ByStatus {
		args = append(args, q.Status)
	}
	after := q.Cursor != ""
	if after {
		c, err := decodeOrderCursor(q.Cursor, q)
		if err != nil {
			return repository.OrderPage{}, paysync.Ef(op, paysync.ErrInvalidRequest, "invalid cursor", err)
		}
		args = append(args, tsAlways(c.at()), c.No)
	}
	args = append(args, limit+1)
	got, err := query(ctx, s, op, listOrdersSQL(t, q.By, after), args, scanSummary(q.TradeType))
	if err != nil {
		return repository.OrderPage{}, err
	}
	page := repository.OrderPage{Orders: got}
	if len(got) > limit {
		page.Orders = got[:limit]
		page.Next = encodeOrderCursor(q, got[limit-1])
	}
	return page, nil
}

// scanSummary returns the reader of one row of a listOrdersSQL query.
func scanSummary(tradeType paysync.TradeType) pgx.RowToFunc[repository.OrderSummary] {
	return func(row pgx.CollectableRow) (repository.OrderSummary, error) {
		var (
			o                                  = repository.OrderSummary{TradeType: tradeType}
			amount                             string
			created, updated, next, leaseUntil pgtype.Timestamptz
			leaseOwner                         pgtype.Text
		)
		err := row.Scan(&o.TradeNo, &o.BizNo, &o.OutNo, &o.Channel, &amount, &o.Currency, &o.Status,
			&created, &updated, &o.Version, &next, &o.Schedule.Attempts, &o.Schedule.Exhausted,
			&leaseOwner, &leaseUntil)
		if err != nil {
			return repository.OrderSummary{}, err
		}
		if o.Amount, err = parseAmount(amount); err != nil {
			return repository.OrderSummary{}, err
		}
		o.CreatedAt, o.UpdatedAt = timeOf(created), timeOf(updated)
		o.Schedule.NextSyncAt = timeOf(next)
		o.Schedule.LeaseOwner, o.Schedule.LeaseUntil = textOf(leaseOwner), timeOf(leaseUntil)
		return o, nil
	}
}

// countSQL returns the overview's statements for table t: counts by status,
// the due backlog and its oldest due time at $1, and the exhausted orders.
// They scan the table, which the port allows: a person's overview, never the
// engine's path.
func countSQL(t orderTable) (byStatus, due, exhausted string) {
	return `SELECT status, count(*) FROM ` + t.name + ` GROUP BY status`,
		`SELECT count(*), min(next_sync_at) FROM ` + t.name + ` WHERE in_schedule AND next_sync_at <= $1`,
		`SELECT count(*) FROM ` + t.name + ` WHERE exhausted`
}

const countOpenAnomaliesSQL = `SELECT count(*) FROM anomalies WHERE trade_type = $1 AND resolved_at IS NULL`

// CountOrders returns the overview of one kind at now, from four queries
// sent in one round trip. It returns an error wrapping
// paysync.ErrInvalidRequest for an unknown TradeType, paysync.ErrCanceled
// when ctx ends and paysync.ErrInternal when the database fails.
func (s *Store) CountOrders(ctx context.Context, tradeType paysync.TradeType, now time.Time) (repository.OrderCounts, error) {
	const op = "pgstore.CountOrders"
	t, ok := orderTableOf(tradeType)
	if !ok {
		return repository.OrderCounts{}, invalid(op, "unknown trade type "+string(tradeType))
	}
	db, err := s.db(op)
	if err != nil {
		return repository.OrderCounts{}, err
	}
	byStatus, due, exhausted := countSQL(t)
	counts := repository.OrderCounts{ByStatus: map[string]int{}}
	var oldest pgtype.Timestamptz
	var b pgx.Batch
	b.Queue(byStatus).Query(func(rows pgx.Rows) error {
		var (
			status string
			n      int
		)
		_, err := pgx.ForEachRow(rows, []any{&status, &n}, func() error {
			counts.ByStatus[status] = n
			return nil
		})
		return err
	})
	b.Queue(due, tsAlways(now)).QueryRow(func(row pgx.Row) error { return row.Scan(&counts.Due, &oldest) })
	b.Queue(exhausted).QueryRow(func(row pgx.Row) error { return row.Scan(&counts.Exhausted) })
	b.Queue(countOpenAnomaliesSQL, string(tradeType)).QueryRow(func(row pgx.Row) error {
		return row.Scan(&counts.OpenAnomalies)
	})
	if err := db.SendBatch(ctx, &b).Close(); err != nil {
		return repository.OrderCounts{}, fail(ctx, op, err)
	}
	counts.OldestDue = timeOf(oldest)
	return counts, nil
}
