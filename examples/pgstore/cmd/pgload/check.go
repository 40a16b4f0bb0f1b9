package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// check counts what a run left: every one of the n orders paid, synced by
// exactly one sweep record and changed by exactly one adjust record. It
// returns a checkError naming what is off.
func check(ctx context.Context, pool *pgxpool.Pool, n int, run string) error {
	var paid, records, synced, adjusts, adjusted int
	err := pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM pay_orders WHERE status = 'success'),
		(SELECT count(*) FROM sync_records WHERE source = 'sweep'),
		(SELECT count(DISTINCT trade_no) FROM sync_records WHERE source = 'sweep'),
		(SELECT count(*) FROM adjust_records),
		(SELECT count(DISTINCT trade_no) FROM adjust_records)`).Scan(&paid, &records, &synced, &adjusts, &adjusted)
	if err != nil {
		return err
	}
	if paid != n || records != n || synced != n || adjusts != n || adjusted != n {
		return checkError{fmt.Sprintf("%s: %d orders: %d paid, %d sweep records for %d orders, %d adjust records for %d orders",
			run, n, paid, records, synced, adjusts, adjusted)}
	}
	return nil
}
