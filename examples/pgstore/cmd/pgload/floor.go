package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// floor does for n loaded orders what a sweep's adjusting sync does in the
// database, as raw SQL with concurrency workers: read the order, then one
// transaction that updates it (version-checked) and inserts its sync record,
// adjust record and event. It returns how long that took.
func floor(ctx context.Context, pool *pgxpool.Pool, n, concurrency int) (time.Duration, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, concurrency)
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				if err := floorSync(ctx, pool, fmt.Sprintf("L%07d", i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	return elapsed, <-errs
}

// floorSync is one order's reads and writes.
func floorSync(ctx context.Context, pool *pgxpool.Pool, no string) error {
	var (
		version int64
		biz     string
	)
	if err := pool.QueryRow(ctx, `SELECT version, biz_order_no FROM pay_orders WHERE order_no = $1`, no).
		Scan(&version, &biz); err != nil {
		return err
	}
	now := time.Now().UTC()
	rec, adj, ev := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7())
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var b pgx.Batch
		b.Queue(`UPDATE pay_orders SET status = 'success', paid_at = $3, updated_at = $3, in_schedule = false,
			next_sync_at = NULL, attempts = attempts + 1, version = version + 1 WHERE order_no = $1 AND version = $2`,
			no, version, now)
		b.Queue(`INSERT INTO sync_records (id, trade_type, trade_no, biz_no, out_no, channel, channel_state, raw,
			adjusted, adjust_no, anomalies, error_code, error_msg, client_ip, source, created_at)
			VALUES ($1, 'pay', $2, $3, $4, 'load', 'success', $5, true, $6, NULL, '', '', '', 'sweep', $7)`,
			rec, no, biz, "out-"+no, []byte(`{"state":"success"}`), adj, now)
		b.Queue(`INSERT INTO adjust_records (adjust_no, trade_type, trade_no, source, way, before, after, created_at)
			VALUES ($1, 'pay', $2, 'sweep', 'pay_success', 'progress', 'success', $3)`, adj, no, now)
		b.Queue(`INSERT INTO events (id, type, trade_type, trade_no, payload, created_at)
			VALUES ($1, 'pay.success', 'pay', $2, $3, $4)`, ev, no, []byte(`{"orderNo":"`+no+`"}`), now)
		res := tx.SendBatch(ctx, &b)
		tag, err := res.Exec()
		if err == nil && tag.RowsAffected() != 1 {
			err = fmt.Errorf("order %s moved under the floor", no)
		}
		for range 3 {
			if err != nil {
				break
			}
			_, err = res.Exec()
		}
		if cerr := res.Close(); err == nil {
			err = cerr
		}
		return err
	})
}
