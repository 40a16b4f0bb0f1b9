package pgstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/require"
)

// loadPlanRows fills every table a plan test reads with 20,000 rows, enough
// that the planner would scan a table rather than walk an index when no
// index fits: most orders are in the schedule, a tenth are not, one in fifty
// is exhausted, statuses are spread, and most anomalies are resolved.
func loadPlanRows(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `
INSERT INTO pay_orders (order_no, biz_order_no, out_order_no, channel, amount, currency, status,
	refund_status, created_at, updated_at, version, in_schedule, next_sync_at, attempts, exhausted)
SELECT 'P' || i, 'B' || i, '', 'wechat', 10.5, '', (ARRAY['wait','progress','success','close'])[i % 4 + 1],
	'no_refund', now() - i * interval '1 minute', now(), 1,
	i % 10 <> 0, CASE WHEN i % 10 <> 0 THEN now() - i * interval '1 second' END, 0, i % 50 = 0
FROM generate_series(1, 20000) i;
INSERT INTO allocation_orders (allocation_no, biz_allocation_no, out_allocation_no, order_no,
	out_order_no, channel, amount, status, result, created_at, updated_at, version, in_schedule,
	next_sync_at, attempts, exhausted)
SELECT 'A' || i, 'B' || i, '', 'P' || (i % 5000), '', 'wechat', 10,
	(ARRAY['allocation_processing','allocation_end','finish'])[i % 3 + 1], 'all_pending',
	now() - i * interval '1 minute', now(), 1, i % 10 <> 0,
	CASE WHEN i % 10 <> 0 THEN now() - i * interval '1 second' END, 0, i % 50 = 0
FROM generate_series(1, 20000) i;
INSERT INTO refund_orders (refund_no, biz_refund_no, out_refund_no, order_no, channel, amount,
	currency, reason, status, watched, error_code, error_msg, created_at, updated_at, version,
	in_schedule, next_sync_at, attempts, exhausted)
SELECT 'R' || i, 'B' || i, '', 'P' || (i % 5000), 'wechat', 1, '', '',
	(ARRAY['progress','success','close','fail'])[i % 4 + 1], false, '', '',
	now() - i * interval '1 minute', now(), 1, i % 10 <> 0,
	CASE WHEN i % 10 <> 0 THEN now() - i * interval '1 second' END, 0, i % 50 = 0
FROM generate_series(1, 20000) i;
INSERT INTO transfer_orders (transfer_no, biz_transfer_no, out_transfer_no, channel, amount,
	currency, payee_type, payee_account, payee_name, reason, status, error_code, error_msg,
	created_at, updated_at, version, in_schedule, next_sync_at, attempts, exhausted)
SELECT 'T' || i, 'B' || i, '', 'wechat', 1, '', 'openid', 'o-' || i, '', '',
	(ARRAY['progress','success','close','fail'])[i % 4 + 1], '', '',
	now() - i * interval '1 minute', now(), 1, i % 10 <> 0,
	CASE WHEN i % 10 <> 0 THEN now() - i * interval '1 second' END, 0, i % 50 = 0
FROM generate_series(1, 20000) i;
INSERT INTO anomalies (trade_type, trade_no, code, first_seen_at, opened_at, last_seen_at,
	times_seen, resolved_at)
SELECT (ARRAY['pay','allocation','refund','transfer'])[i % 4 + 1], 'N' || i, 'amount_mismatch',
	now() - i * interval '1 minute', now() - i * interval '1 minute', now(), 1,
	CASE WHEN i % 10 <> 0 THEN now() END
FROM generate_series(1, 20000) i;
ANALYZE pay_orders; ANALYZE allocation_orders; ANALYZE refund_orders; ANALYZE transfer_orders;
ANALYZE anomalies`)
	require.NoError(t, err)
}

// TestPlansUseIndexes asserts that every claim, every listing page (first
// and after a cursor) and every per-order list reads its index in order (no
// scan of the table, no sort), with the plan PostgreSQL makes for the given
// values and with the generic plan a cached prepared statement may switch
// to. This is how pgstore proves the port's cost contracts: a claim costs
// about Limit index entries and a page about its size, however many rows are
// stored.
func TestPlansUseIndexes(t *testing.T) {
	pool := newPool(t)
	ctx := context.Background()
	loadPlanRows(t, pool)

	// A plan reads index; a listing, which stops after a page, must also
	// read it in order. A list of one order's allocations or refunds takes
	// all of them and may sort those few rows.
	type plan struct {
		name, sql, params, index string
		all                      bool
	}
	claim := "('a', now() + interval '1 minute', now(), 100)"
	plans := []plan{
		{"allocations of a pay order", pgstore.ListAllocSQL, "('P7')", "allocation_orders_pay", true},
		{"refunds of a pay order", pgstore.ListRefundsSQL, "('P7')", "refund_orders_pay", true},
		{"anomalies of an order", pgstore.OrderAnomaliesSQL, "('pay', 'N4')", "anomalies_pkey", true},
		{"open anomalies", pgstore.ListOpenAnomaliesSQL(false, false), "(51)", "anomalies_open", false},
		{"open anomalies/after", pgstore.ListOpenAnomaliesSQL(false, true),
			"(now() - interval '1 day', 'pay', 'N1440', 'amount_mismatch', 51)", "anomalies_open", false},
		{"open anomalies of a kind", pgstore.ListOpenAnomaliesSQL(true, false), "('refund', 51)",
			"anomalies_open", false},
		{"open anomalies of a kind/after", pgstore.ListOpenAnomaliesSQL(true, true),
			"('refund', now() - interval '1 day', 'N1440', 'amount_mismatch', 51)", "anomalies_open", false},
	}
	tables := map[paysync.TradeType]struct{ table, first, status string }{
		paysync.TradePay:        {"pay_orders", "P", "progress"},
		paysync.TradeAllocation: {"allocation_orders", "A", "allocation_processing"},
		paysync.TradeRefund:     {"refund_orders", "R", "progress"},
		paysync.TradeTransfer:   {"transfer_orders", "T", "success"},
	}
	for _, kind := range paysync.TradeTypes() {
		k := tables[kind]
		cursor := "now() - interval '1 day', '" + k.first + "1440'"
		plans = append(plans,
			plan{"claim/" + string(kind), pgstore.ClaimSQL(kind), claim, k.table + "_due", false},
			plan{"list/" + string(kind) + "/by status", pgstore.ListOrdersSQL(kind, repository.ByStatus, false),
				"('" + k.status + "', 51)", k.table + "_status", false},
			plan{"list/" + string(kind) + "/by status/after", pgstore.ListOrdersSQL(kind, repository.ByStatus, true),
				"('" + k.status + "', " + cursor + ", 51)", k.table + "_status", false},
			plan{"list/" + string(kind) + "/by due", pgstore.ListOrdersSQL(kind, repository.ByDue, false),
				"(51)", k.table + "_due", false},
			plan{"list/" + string(kind) + "/by due/after", pgstore.ListOrdersSQL(kind, repository.ByDue, true),
				"(" + cursor + ", 51)", k.table + "_due", false},
			plan{"list/" + string(kind) + "/exhausted", pgstore.ListOrdersSQL(kind, repository.ByExhausted, false),
				"(51)", k.table + "_exhausted", false},
			plan{"list/" + string(kind) + "/exhausted/after", pgstore.ListOrdersSQL(kind, repository.ByExhausted, true),
				"(" + cursor + ", 51)", k.table + "_exhausted", false},
		)
	}

	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	for _, p := range plans {
		for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
			t.Run(p.name+"/"+mode, func(t *testing.T) {
				_, err := conn.Exec(ctx, "SET plan_cache_mode = "+mode)
				require.NoError(t, err)
				// PREPARE infers the parameters' types from the statement.
				_, err = conn.Exec(ctx, "PREPARE plan_test AS "+p.sql)
				require.NoError(t, err)
				defer conn.Exec(ctx, "DEALLOCATE plan_test") //nolint:errcheck // the next PREPARE would fail loudly
				rows, err := conn.Query(ctx, "EXPLAIN (COSTS OFF) EXECUTE plan_test "+p.params)
				require.NoError(t, err)
				var lines []string
				for rows.Next() {
					var line string
					require.NoError(t, rows.Scan(&line))
					lines = append(lines, line)
				}
				require.NoError(t, rows.Err())
				plan := strings.Join(lines, "\n")
				require.NotContains(t, plan, "Seq Scan", plan)
				if p.all {
					require.Regexp(t, `Index Scan (using|on) `+p.index+`\s`, plan)
					return
				}
				require.Contains(t, plan, "Index Scan using "+p.index+" ", plan)
				require.NotContains(t, plan, "Sort", plan)
				require.NotContains(t, plan, "Bitmap", plan)
			})
		}
	}
}
