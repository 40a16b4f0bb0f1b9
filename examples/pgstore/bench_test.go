package pgstore_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/repository/repositorytest"
)

// loadOrders stores n due pay orders numbered P0000000… with COPY.
func loadOrders(b *testing.B, pool *pgxpool.Pool, n int) {
	b.Helper()
	at := time.Date(2024, 5, 12, 8, 0, 0, 0, time.UTC)
	const batch = 10000
	for i := 0; i < n; i += batch {
		orders := make([]paysync.PayOrder, 0, batch)
		for j := i; j < min(i+batch, n); j++ {
			orders = append(orders, repositorytest.NewPayOrder(fmt.Sprintf("P%07d", j), at))
		}
		if err := pgstore.New(pool).LoadPayOrders(context.Background(), orders); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := pool.Exec(context.Background(), "ANALYZE pay_orders"); err != nil {
		b.Fatal(err)
	}
}

// runWorkers runs b.N calls of do spread over workers goroutines, worker w
// making its calls with w; the first error fails b.
func runWorkers(b *testing.B, workers int, do func(worker int) error) {
	b.Helper()
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		errs = make([]error, workers)
	)
	for w := range workers {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if err := do(w); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommitVsFloor measures one status change committed with its
// SyncRecord, AdjustRecord and Event (docs/performance.md#store-benchmarks), by the store and by the
// same UPDATE and INSERTs written directly in one pgx transaction (the floor),
// with 1 and 8 goroutines, each on an order of its own, among stored orders.
func BenchmarkCommitVsFloor(b *testing.B) {
	for _, stored := range []int{10_000, 100_000} {
		// Loaded once per size: each run reads its orders' versions afresh.
		pool := newPool(b)
		loadOrders(b, pool, stored)
		for _, workers := range []int{1, 8} {
			name := fmt.Sprintf("stored=%d/workers=%d", stored, workers)
			b.Run("store/"+name, func(b *testing.B) { benchCommit(b, pool, stored, workers, commitStore) })
			b.Run("floor/"+name, func(b *testing.B) { benchCommit(b, pool, stored, workers, commitFloor) })
		}
	}
}

// committer commits o (read at o.Version) with e.
type committer func(ctx context.Context, pool *pgxpool.Pool, o paysync.PayOrder, e repository.Entries) error

func benchCommit(b *testing.B, pool *pgxpool.Pool, stored, workers int, commit committer) {
	s := pgstore.New(pool)
	ctx := context.Background()
	orders := make([]paysync.PayOrder, workers)
	for w := range orders {
		o, err := s.GetPayOrder(ctx, fmt.Sprintf("P%07d", w*(stored/workers)))
		if err != nil {
			b.Fatal(err)
		}
		orders[w] = o
	}
	b.ReportAllocs()
	b.ResetTimer()
	runWorkers(b, workers, func(w int) error {
		o := &orders[w]
		// A status change that keeps the order in the schedule, so the
		// next iteration can change it back.
		if o.Status == paysync.PayProgress {
			o.Status = paysync.PayWait
		} else {
			o.Status = paysync.PayProgress
		}
		o.UpdatedAt = o.UpdatedAt.Add(time.Second)
		o.Schedule.NextSyncAt = o.UpdatedAt.Add(time.Minute)
		o.Schedule.Attempts++
		if err := commit(ctx, pool, *o, repositorytest.NewEntries(paysync.TradePay, o.OrderNo, o.UpdatedAt)); err != nil {
			return err
		}
		o.Version++
		return nil
	})
}

func commitStore(ctx context.Context, pool *pgxpool.Pool, o paysync.PayOrder, e repository.Entries) error {
	return pgstore.New(pool).CommitPayOrder(ctx, o, e)
}

// commitFloor is the commit written directly: BEGIN, the UPDATE and the
// three INSERTs in one batch, COMMIT. It writes only what the benchmark
// changes, and checks the version like the store does.
func commitFloor(ctx context.Context, pool *pgxpool.Pool, o paysync.PayOrder, e repository.Entries) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		r, a, ev := e.Sync, e.Adjusts[0], e.Events[0]
		var batch pgx.Batch
		batch.Queue(`UPDATE pay_orders SET status = $3, updated_at = $4, next_sync_at = $5,
			attempts = $6, version = version + 1 WHERE order_no = $1 AND version = $2`,
			o.OrderNo, o.Version, string(o.Status), o.UpdatedAt, o.Schedule.NextSyncAt, o.Schedule.Attempts)
		batch.Queue(`INSERT INTO sync_records (id, trade_type, trade_no, biz_no, out_no, channel,
			channel_state, raw, adjusted, adjust_no, anomalies, error_code, error_msg, client_ip, source,
			created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			r.ID, string(r.TradeType), r.TradeNo, r.BizNo, r.OutNo, r.Channel, r.ChannelState, r.Raw,
			r.Adjusted, r.AdjustNo, []string(nil), r.ErrorCode, r.ErrorMsg, r.ClientIP, string(r.Source), r.CreatedAt)
		batch.Queue(`INSERT INTO adjust_records (adjust_no, trade_type, trade_no, source, way, before,
			after, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			a.AdjustNo, string(a.TradeType), a.TradeNo, string(a.Source), string(a.Way), a.Before, a.After, a.CreatedAt)
		batch.Queue(`INSERT INTO events (id, type, trade_type, trade_no, payload, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			ev.ID, string(ev.Type), string(ev.TradeType), ev.TradeNo, ev.Payload, ev.CreatedAt)
		res := tx.SendBatch(ctx, &batch)
		tag, err := res.Exec()
		if err == nil && tag.RowsAffected() != 1 {
			err = fmt.Errorf("order %s: no row at version %d", o.OrderNo, o.Version)
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

// BenchmarkClaimLoaded is a claim benchmark (claim 100 due orders, release
// them outside the timer) on stores loaded with COPY up to the million
// orders docs/performance.md#store-benchmarks names, in one PostgreSQL
// round trip per batch of rows.
func BenchmarkClaimLoaded(b *testing.B) {
	for _, stored := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			pool := newPool(b)
			loadOrders(b, pool, stored)
			s := pgstore.New(pool)
			ctx := context.Background()
			now := time.Date(2024, 5, 12, 9, 0, 0, 0, time.UTC)
			c := repository.Claim{Now: now, Owner: "bench", Until: now.Add(time.Minute), Limit: 100}
			nos := make([]string, 0, c.Limit)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				got, err := s.ClaimPayOrders(ctx, c)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if len(got) != c.Limit {
					b.Fatalf("claimed %d orders, want %d", len(got), c.Limit)
				}
				nos = nos[:0]
				for _, o := range got {
					nos = append(nos, o.OrderNo)
				}
				if err := s.ReleasePayOrders(ctx, "bench", nos...); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkCommitWith measures the commits that write more than the order's
// row and its records: a pay order's commit that sees two open anomalies
// again, and a refund's commit that books its amount on its pay order.
func BenchmarkCommitWith(b *testing.B) {
	b.Run("sightings=2", func(b *testing.B) {
		s := pgstore.New(newPool(b))
		ctx := context.Background()
		o := payOrder("P1")
		if err := s.CreatePayOrder(ctx, o); err != nil {
			b.Fatal(err)
		}
		codes := []paysync.AnomalyCode{paysync.AnomalyAmountMismatch, paysync.AnomalyTradeMismatch}
		for _, code := range codes {
			e := repository.Entries{Sightings: []repository.AnomalySighting{sighting("P1", code, true)}}
			if err := s.SaveEntries(ctx, e); err != nil {
				b.Fatal(err)
			}
		}
		o.Version = 1
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			o.UpdatedAt = o.UpdatedAt.Add(time.Second)
			e := repository.Entries{Sync: newSync(paysync.TradePay, "P1")}
			for _, code := range codes {
				e.Sightings = append(e.Sightings, sighting("P1", code, false))
			}
			if err := s.CommitPayOrder(ctx, o, e); err != nil {
				b.Fatal(err)
			}
			o.Version++
		}
	})
	b.Run("pay change", func(b *testing.B) {
		s := pgstore.New(newPool(b))
		ctx := context.Background()
		pay := payOrder("P1")
		pay.Status = paysync.PaySuccess
		if err := s.CreatePayOrder(ctx, pay); err != nil {
			b.Fatal(err)
		}
		pay.Version = 1
		change := reserve(pay, "1.00")
		if err := s.CreateRefundOrder(ctx, refundOrder("R1", "P1"), change, repository.Entries{}); err != nil {
			b.Fatal(err)
		}
		r, err := s.GetRefundOrder(ctx, "R1")
		if err != nil {
			b.Fatal(err)
		}
		change.Version++
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			r.UpdatedAt, change.UpdatedAt = r.UpdatedAt.Add(time.Second), change.UpdatedAt.Add(time.Second)
			e := repository.Entries{Sync: newSync(paysync.TradeRefund, "R1")}
			if err := s.CommitRefundOrder(ctx, r, &change, e); err != nil {
				b.Fatal(err)
			}
			r.Version++
			change.Version++
		}
	})
}
