package pgstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/paysync/paysync/examples/pgstore"
	"github.com/stretchr/testify/require"
)

// TestClaimPlanUsesDueIndex asserts that a claim reads the partial due index
// in order (no scan of the table, no sort of the due orders), with the plan
// PostgreSQL makes for the given values and with the generic plan a cached
// prepared statement may switch to.
func TestClaimPlanUsesDueIndex(t *testing.T) {
	pool := newPool(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
INSERT INTO pay_orders (order_no, biz_order_no, out_order_no, channel, amount, currency, status,
	refund_status, created_at, updated_at, version, in_schedule, next_sync_at, attempts, exhausted)
SELECT 'P' || i, 'B' || i, '', 'wechat', 10.5, '', 'progress', 'no_refund', now(), now(), 1,
	i % 10 <> 0, CASE WHEN i % 10 <> 0 THEN now() - i * interval '1 second' END, 0, false
FROM generate_series(1, 20000) i;
INSERT INTO allocation_orders (allocation_no, biz_allocation_no, out_allocation_no, order_no,
	out_order_no, channel, amount, status, result, created_at, updated_at, version, in_schedule,
	next_sync_at, attempts, exhausted)
SELECT 'A' || i, 'B' || i, '', 'P' || i, '', 'wechat', 10, 'allocation_processing', 'all_pending',
	now(), now(), 1, i % 10 <> 0, CASE WHEN i % 10 <> 0 THEN now() - i * interval '1 second' END, 0, false
FROM generate_series(1, 20000) i;
ANALYZE pay_orders; ANALYZE allocation_orders`)
	require.NoError(t, err)

	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	for _, tc := range []struct{ name, sql, index string }{
		{"pay", pgstore.ClaimPaySQL, "pay_orders_due"},
		{"allocation", pgstore.ClaimAllocSQL, "allocation_orders_due"},
	} {
		for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				_, err := conn.Exec(ctx, "SET plan_cache_mode = "+mode)
				require.NoError(t, err)
				_, err = conn.Exec(ctx, "PREPARE claim_plan (text, timestamptz, timestamptz, integer) AS "+tc.sql)
				require.NoError(t, err)
				defer conn.Exec(ctx, "DEALLOCATE claim_plan") //nolint:errcheck // the next PREPARE would fail loudly
				rows, err := conn.Query(ctx, "EXPLAIN (COSTS OFF) EXECUTE claim_plan ('a', now() + interval '1 minute', now(), 100)")
				require.NoError(t, err)
				var lines []string
				for rows.Next() {
					var line string
					require.NoError(t, rows.Scan(&line))
					lines = append(lines, line)
				}
				require.NoError(t, rows.Err())
				plan := strings.Join(lines, "\n")
				require.Contains(t, plan, "Index Scan using "+tc.index, plan)
				require.NotContains(t, plan, "Seq Scan", plan)
				require.NotContains(t, plan, "Sort", plan)
			})
		}
	}
}
