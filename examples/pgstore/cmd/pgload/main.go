// Command pgload measures paysync on PostgreSQL (docs/performance.md,
// the PostgreSQL load program), in two phases over fresh schemas:
//
//  1. The store's cost: one Syncer sweeps -orders due pay orders that the
//     channel (latency 0) reports paid, -concurrency syncs at once; rate is
//     its sweep syncs per second. floor_rate is the same reads and writes
//     done as raw SQL at the same concurrency — one order read, one
//     transaction updating the order and inserting its record, adjust record
//     and event — and floor_ratio = rate ÷ floor_rate.
//  2. How hosts add up: channel latency -latency, -concurrency syncs per
//     Syncer, no rate limit: one Syncer sweeps -orders orders, then -hosts
//     Syncers, each with its own pool, sweep as many; speedup is the second
//     rate ÷ the first.
//
// It prints one line of key=value pairs last (rate, floor_rate,
// floor_ratio, rate_1host, rate_<hosts>hosts, speedup, p99_ms) and checks itself:
// exactly one sweep SyncRecord and one AdjustRecord per order in every run,
// else it says why on stderr and exits 1.
//
//	go run ./cmd/pgload -dsn postgres://postgres@127.0.0.1:5432/paysync?sslmode=disable -orders 5000
//
// Run it from examples/pgstore (its own module, so pgx stays out of the
// core). Never under -race: the detector's cost is what it would measure.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(cli(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command-line flags.
type options struct {
	dsn         string
	orders      int
	concurrency int
	latency     time.Duration
	hosts       int
}

// cli runs the command and returns its exit status: 0 when every run passed
// its self-check, 1 when one did not, 2 for bad flags or a failed setup.
func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pgload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.dsn, "dsn", os.Getenv("PAYSYNC_TEST_DATABASE_URL"), "PostgreSQL URL (default $PAYSYNC_TEST_DATABASE_URL)")
	fs.IntVar(&o.orders, "orders", 5000, "due pay orders per run")
	fs.IntVar(&o.concurrency, "concurrency", 8, "syncs at once per Syncer (and floor workers)")
	fs.DurationVar(&o.latency, "latency", 20*time.Millisecond, "channel latency of phase 2")
	fs.IntVar(&o.hosts, "hosts", 4, "Syncers of phase 2's second run")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case o.dsn == "":
		fmt.Fprintln(stderr, "pgload: -dsn is required")
		return 2
	case o.orders < 1 || o.concurrency < 1 || o.hosts < 1 || o.latency < 0:
		fmt.Fprintln(stderr, "pgload: -orders, -concurrency and -hosts must be positive, -latency not negative")
		return 2
	}
	res, err := measure(ctx, o, stderr)
	var failed checkError
	switch {
	case errors.As(err, &failed):
		fmt.Fprintln(stdout, res.line())
		fmt.Fprintln(stderr, "pgload: self-check failed:", err)
		return 1
	case err != nil:
		fmt.Fprintln(stderr, "pgload:", err)
		return 2
	}
	fmt.Fprintln(stdout, res.line())
	return 0
}

// result is what the phases measured.
type result struct {
	orders                     int
	rate, floorRate            float64
	rateOneHost, rateManyHosts float64
	hosts                      int
	p99                        time.Duration
}

func (r result) line() string {
	ratio, speedup := 0.0, 0.0
	if r.floorRate > 0 {
		ratio = r.rate / r.floorRate
	}
	if r.rateOneHost > 0 {
		speedup = r.rateManyHosts / r.rateOneHost
	}
	return fmt.Sprintf("orders=%d rate=%.0f floor_rate=%.0f floor_ratio=%.2f rate_1host=%.0f rate_%dhosts=%.0f speedup=%.2f p99_ms=%.1f",
		r.orders, r.rate, r.floorRate, ratio, r.rateOneHost, r.hosts, r.rateManyHosts, speedup,
		float64(r.p99.Microseconds())/1000)
}

// checkError is a run that synced an order twice, or not at all.
type checkError struct{ msg string }

func (e checkError) Error() string { return e.msg }
