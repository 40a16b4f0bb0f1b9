package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// measure runs both phases, each run on a schema of its own, and drops the
// schemas before it returns. It returns a checkError when a run's self-check
// fails (with the figures measured so far).
func measure(ctx context.Context, o options, log io.Writer) (result, error) {
	res := result{orders: o.orders, hosts: o.hosts}
	// The orders of every run were made an hour ago: they are due.
	loadedAt := time.Now().UTC().Truncate(time.Microsecond).Add(-time.Hour)
	admin, err := pgx.Connect(ctx, o.dsn)
	if err != nil {
		return res, err
	}
	defer admin.Close(context.Background())
	var schemas []string
	defer func() {
		for _, s := range schemas {
			_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+s+" CASCADE")
		}
	}()
	// run gives one run a fresh, migrated, loaded schema and n pools on it.
	run := func(n int) ([]*pgxpool.Pool, error) {
		var b [6]byte
		_, _ = rand.Read(b[:])
		name := "pgload_" + hex.EncodeToString(b[:])
		if _, err := admin.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
			return nil, err
		}
		schemas = append(schemas, name)
		pools := make([]*pgxpool.Pool, n)
		for i := range pools {
			cfg, err := pgxpool.ParseConfig(o.dsn)
			if err != nil {
				return nil, err
			}
			cfg.ConnConfig.RuntimeParams["search_path"] = name
			cfg.MaxConns = int32(o.concurrency + 2) // the workers, a claim and a release
			if pools[i], err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
				return nil, err
			}
		}
		st := pgstore.New(pools[0])
		if err := st.Migrate(ctx); err != nil {
			return nil, err
		}
		return pools, st.LoadPayOrders(ctx, dueOrders(o.orders, loadedAt))
	}
	closeAll := func(pools []*pgxpool.Pool) {
		for _, p := range pools {
			p.Close()
		}
	}

	fmt.Fprintf(log, "phase 1: the store's cost (%d orders, concurrency %d, latency 0)\n", o.orders, o.concurrency)
	pools, err := run(1)
	if err != nil {
		return res, err
	}
	var m meter
	elapsed, err := sweepAll(ctx, pools, o, loadedAt, 0, &m)
	if err == nil {
		err = check(ctx, pools[0], o.orders, "engine")
	}
	closeAll(pools)
	if err != nil {
		return res, err
	}
	res.rate, res.p99 = rate(o.orders, elapsed), m.p99()
	fmt.Fprintf(log, "  engine: %v, %.0f syncs/s, p99 %v\n", elapsed.Round(time.Millisecond), res.rate, res.p99)

	if pools, err = run(1); err != nil {
		return res, err
	}
	elapsed, err = floor(ctx, pools[0], o.orders, o.concurrency)
	if err == nil {
		err = check(ctx, pools[0], o.orders, "floor")
	}
	closeAll(pools)
	if err != nil {
		return res, err
	}
	res.floorRate = rate(o.orders, elapsed)
	fmt.Fprintf(log, "  floor:  %v, %.0f syncs/s\n", elapsed.Round(time.Millisecond), res.floorRate)

	fmt.Fprintf(log, "phase 2: hosts (%d orders, concurrency %d per host, latency %v)\n", o.orders, o.concurrency, o.latency)
	for _, hosts := range []int{1, o.hosts} {
		if pools, err = run(hosts); err != nil {
			return res, err
		}
		elapsed, err = sweepAll(ctx, pools, o, loadedAt, o.latency, nil)
		if err == nil {
			err = check(ctx, pools[0], o.orders, fmt.Sprintf("%d hosts", hosts))
		}
		closeAll(pools)
		if err != nil {
			return res, err
		}
		r := rate(o.orders, elapsed)
		if hosts == 1 {
			res.rateOneHost = r
		} else {
			res.rateManyHosts = r
		}
		fmt.Fprintf(log, "  %d host(s): %v, %.0f syncs/s\n", hosts, elapsed.Round(time.Millisecond), r)
	}
	return res, nil
}

func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

// dueOrders returns n pay orders in progress, made at loadedAt and due a
// minute later, not expired.
func dueOrders(n int, loadedAt time.Time) []paysync.PayOrder {
	out := make([]paysync.PayOrder, n)
	for i := range out {
		no := fmt.Sprintf("L%07d", i)
		out[i] = paysync.PayOrder{OrderNo: no, BizOrderNo: "B" + no, Channel: "load",
			Amount: decimal.New(int64(100+i%9900), -2), Currency: "CNY", Status: paysync.PayProgress,
			RefundStatus: paysync.PayRefundNone, CreatedAt: loadedAt, UpdatedAt: loadedAt,
			Schedule: paysync.Schedule{NextSyncAt: loadedAt.Add(time.Minute)}}
	}
	return out
}

// sweepAll runs one Syncer per pool over one fake gateway that knows every
// order of dueOrders(o.orders, loadedAt) paid and answers after latency, each sweeping until nothing is due,
// and returns how long the slowest took. m, when set, times every sync from
// its channel call to its commit.
func sweepAll(ctx context.Context, pools []*pgxpool.Pool, o options, loadedAt time.Time, latency time.Duration, m *meter) (time.Duration, error) {
	gw := channeltest.New(channeltest.Config{Name: "load", Latency: latency})
	for _, ord := range dueOrders(o.orders, loadedAt) {
		gw.SetPay(ord.OrderNo, channeltest.Paid(ord))
	}
	var ch channel.Channel = gw
	hosts := make([]*syncer.Syncer, len(pools))
	for i, pool := range pools {
		var st repository.Store = pgstore.New(pool)
		if m != nil {
			ch = meteredChannel{gw, m}
			st = meteredStore{st, m}
		}
		s, err := syncer.New(syncer.Config{Store: st, Channels: channel.NewRegistry(ch), Owner: fmt.Sprintf("host-%d", i),
			Concurrency: o.concurrency, ClaimBatch: 10 * o.concurrency})
		if err != nil {
			return 0, err
		}
		hosts[i] = s
	}
	start := time.Now()
	errs := make(chan error, len(hosts))
	var wg sync.WaitGroup
	for _, s := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				rep, err := s.Sweep(ctx, syncer.SweepOptions{})
				if err != nil {
					errs <- err
					return
				}
				if rep.Due == 0 {
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
