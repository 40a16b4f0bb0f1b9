package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/require"
)

// TestMigrateFrom0001 brings a database made by the first schema, holding
// orders with announced anomaly codes, up to date: every announced code is
// an open anomaly seen once at the order's last change (so seeing it again
// does not open, nor announce, it again), the announced columns are gone,
// and the old rows read back as they were, with the new fields at their
// zero values.
func TestMigrateFrom0001(t *testing.T) {
	schema := newSchema(t)
	pool := schema.openUnmigrated(4)
	ctx := context.Background()
	s := pgstore.New(pool)
	require.NoError(t, s.MigrateTo(ctx, 1))

	updated := time.Date(2024, 3, 4, 5, 6, 7, 891011000, time.UTC)
	created := updated.Add(-time.Hour)
	for _, stmt := range []struct {
		sql  string
		args []any
	}{{`
INSERT INTO pay_orders (order_no, biz_order_no, out_order_no, channel, amount, currency, status,
	refund_status, created_at, updated_at, version, announced, in_schedule, next_sync_at, attempts, exhausted)
VALUES
	('P1', 'B1', 'wx-1', 'wechat', 12.30, 'CNY', 'success', 'partial_refund', $1, $2, 7,
		ARRAY['refund_at_channel', 'amount_mismatch', 'amount_mismatch'], false, NULL, 3, false),
	('P2', 'B2', '', 'wechat', 1, '', 'progress', 'no_refund', NULL, NULL, 1, NULL, true, $1, 0, false),
	('P3', 'B3', '', 'wechat', 1, '', 'progress', 'no_refund', $1, $2, 2, ARRAY[]::text[], true, $1, 0, false)`,
		[]any{created, updated}}, {`
INSERT INTO allocation_orders (allocation_no, biz_allocation_no, out_allocation_no, order_no,
	out_order_no, channel, amount, status, result, created_at, updated_at, version, announced,
	in_schedule, next_sync_at, attempts, exhausted)
VALUES ('A1', 'BA1', '', 'P1', 'wx-1', 'wechat', 5, 'allocation_end', 'all_success', $1, NULL, 4,
	ARRAY['receiver_missing'], false, NULL, 1, false)`, []any{created}}, {`
INSERT INTO adjust_records (adjust_no, trade_type, trade_no, source, way, before, after, created_at)
VALUES ('ADJ1', 'pay', 'P1', 'sweep', 'pay_success', 'progress', 'success', $1)`, []any{updated}},
	} {
		_, err := pool.Exec(ctx, stmt.sql, stmt.args...)
		require.NoError(t, err)
	}

	require.NoError(t, s.Migrate(ctx))

	var columns int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'announced'`).Scan(&columns))
	require.Zero(t, columns, "the announced columns are dropped")

	open := func(kind paysync.TradeType, no string, code paysync.AnomalyCode, at time.Time) paysync.Anomaly {
		return paysync.Anomaly{TradeType: kind, TradeNo: no, Code: code, FirstSeenAt: at, OpenedAt: at,
			LastSeenAt: at, TimesSeen: 1}
	}
	for _, tc := range []struct {
		kind paysync.TradeType
		no   string
		want []paysync.Anomaly
	}{
		{paysync.TradePay, "P1", []paysync.Anomaly{
			open(paysync.TradePay, "P1", paysync.AnomalyAmountMismatch, updated),
			open(paysync.TradePay, "P1", paysync.AnomalyRefundAtChannel, updated),
		}},
		{paysync.TradePay, "P2", []paysync.Anomaly{}},
		{paysync.TradePay, "P3", []paysync.Anomaly{}},
		// No updated_at: the creation time is the best known.
		{paysync.TradeAllocation, "A1", []paysync.Anomaly{
			open(paysync.TradeAllocation, "A1", paysync.AnomalyReceiverMissing, created),
		}},
	} {
		got, err := s.OrderAnomalies(ctx, tc.kind, tc.no)
		require.NoError(t, err)
		require.Equal(t, tc.want, got, "%s %s", tc.kind, tc.no)
	}

	p1, err := s.GetPayOrder(ctx, "P1")
	require.NoError(t, err)
	require.Equal(t, int64(7), p1.Version)
	require.Equal(t, paysync.PayRefundPartial, p1.RefundStatus)
	require.True(t, p1.RefundedAmount.IsZero() && p1.ReservedAmount.IsZero())
	require.Equal(t, created, p1.CreatedAt)
	p2, err := s.GetPayOrder(ctx, "P2")
	require.NoError(t, err)
	require.True(t, p2.CreatedAt.IsZero() && p2.UpdatedAt.IsZero(), "a NULL time still reads as zero")
	a1, err := s.GetAllocationOrder(ctx, "A1")
	require.NoError(t, err)
	require.Empty(t, a1.Currency)
	adjusts, err := s.ListAdjustRecords(ctx, repository.RecordFilter{TradeNo: "P1"})
	require.NoError(t, err)
	require.Len(t, adjusts, 1)
	require.Empty(t, adjusts[0].Operator+adjusts[0].Reason)

	// The migrated anomalies are open: seeing one again is no opening, and
	// an engine that thinks it opens one is refused.
	at := updated.Add(time.Hour)
	seen := repository.AnomalySighting{TradeType: paysync.TradePay, TradeNo: "P1",
		Code: paysync.AnomalyAmountMismatch, At: at}
	require.NoError(t, s.SaveEntries(ctx, repository.Entries{Sightings: []repository.AnomalySighting{seen}}))
	seen.Code, seen.Opens = paysync.AnomalyRefundAtChannel, true
	err = s.SaveEntries(ctx, repository.Entries{Sightings: []repository.AnomalySighting{seen},
		Events: []paysync.Event{newEvent(paysync.EventPayAnomaly, paysync.TradePay, "P1")}})
	require.ErrorIs(t, err, paysync.ErrVersionConflict)
	events, err := s.ListEvents(ctx, repository.EventFilter{})
	require.NoError(t, err)
	require.Empty(t, events, "the refused opening announced nothing")
	got, err := s.OrderAnomalies(ctx, paysync.TradePay, "P1")
	require.NoError(t, err)
	seenAgain := open(paysync.TradePay, "P1", paysync.AnomalyAmountMismatch, updated)
	seenAgain.LastSeenAt, seenAgain.TimesSeen = at, 2
	require.Equal(t, []paysync.Anomaly{seenAgain, open(paysync.TradePay, "P1", paysync.AnomalyRefundAtChannel, updated)}, got)

	page, err := s.ListOpenAnomalies(ctx, repository.AnomalyQuery{})
	require.NoError(t, err)
	require.Len(t, page.Anomalies, 3)
	require.Empty(t, page.Next)
}
