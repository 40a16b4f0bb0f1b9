// Command loadtest measures one background sweep over a large backlog: it
// loads -orders pay orders in progress, all due, into a memstore, puts a
// channeltest fake with -latency and a rate limit of -rate calls per second
// behind a Syncer, runs one Sweep with -concurrency workers and prints the
// figures of docs/performance.md#the-sweep-load-program as one line of key=value pairs on stdout.
//
//	go run ./examples/loadtest -orders 20000 -latency 10ms -rate 5000 -concurrency 128
//
// The Syncer is limited to -headroom × -rate, so the fake, whose bucket holds
// -channel-burst calls, never has to refuse a call. The program checks itself:
// exactly one sweep SyncRecord per order and no rate-limit rejection by the
// fake, else it says why on stderr and exits 1. Never run it under -race: the
// detector's cost is what it would measure.
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

// cli runs the command and returns its exit status: 0 when the run passed its
// self-check, 1 when it did not, 2 for bad flags or a failed setup.
func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	res, err := load(ctx, o, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	fmt.Fprintln(stdout, res.Line())
	if err := res.Check(); err != nil {
		fmt.Fprintln(stderr, "loadtest: self-check failed:", err)
		return 1
	}
	return 0
}

// options are the command-line flags.
type options struct {
	orders       int
	latency      time.Duration
	rate         float64       // the fake channel's limit, calls per second
	channelBurst int           // the fake's bucket; 0: rate/10
	headroom     float64       // the Syncer's limit as a fraction of rate
	burst        int           // the Syncer's bucket; 0: rate/1000
	backoff      time.Duration // the Syncer's pause after a rate-limit answer; 0: its default
	concurrency  int
	batch        int
	paid         float64 // fraction of orders the channel reports paid
	seed         uint64
	cpuProfile   string
	memProfile   string
	progress     time.Duration // between progress lines; 0: none
}

// parseFlags reads args. It returns flag.ErrHelp for -h and an error naming
// the flag for an unknown or out-of-range one.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.orders, "orders", 20000, "pay orders in progress, all due")
	fs.DurationVar(&o.latency, "latency", 10*time.Millisecond, "the fake channel's latency per call")
	fs.Float64Var(&o.rate, "rate", 5000, "the fake channel's rate limit, calls per second")
	fs.IntVar(&o.channelBurst, "channel-burst", 0, "the fake channel's bucket size (0: rate/10, 100 ms of calls)")
	fs.Float64Var(&o.headroom, "headroom", 0.98, "the Syncer's own limit as a fraction of -rate")
	fs.IntVar(&o.burst, "burst", 0, "the Syncer's bucket size (0: rate/1000, 1 ms of calls)")
	fs.DurationVar(&o.backoff, "backoff", 0, "how long the Syncer leaves the channel alone after a rate-limit answer (0: the Syncer's default)")
	fs.IntVar(&o.concurrency, "concurrency", 128, "syncs the sweep runs at once")
	fs.IntVar(&o.batch, "batch", 500, "orders per claim")
	fs.Float64Var(&o.paid, "paid", 0.1, "fraction of orders the channel reports paid (the rest stay in progress)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed choosing the paid orders")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the sweep to this file")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile (allocations since start, live at the sweep's end) to this file")
	fs.DurationVar(&o.progress, "progress", time.Second, "interval of the progress lines on stderr (0: none)")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return o, o.validate()
}

// validate returns an error naming the first flag out of range.
func (o options) validate() error {
	switch {
	case o.orders < 1:
		return errors.New("-orders must be at least 1")
	case o.latency < 0:
		return errors.New("-latency must not be negative")
	case !(o.rate > 0) || o.rate > 1e9:
		return errors.New("-rate must be in (0, 1e9]")
	case o.channelBurst < 0, o.burst < 0, o.backoff < 0:
		return errors.New("-channel-burst, -burst and -backoff must not be negative")
	case !(o.headroom > 0 && o.headroom <= 1):
		return errors.New("-headroom must be in (0, 1]")
	case o.concurrency < 1:
		return errors.New("-concurrency must be at least 1")
	case o.batch < 1:
		return errors.New("-batch must be at least 1")
	case !(o.paid >= 0 && o.paid <= 1):
		return errors.New("-paid must be in [0, 1]")
	case o.progress < 0:
		return errors.New("-progress must not be negative")
	}
	return nil
}

// channelBucket is the fake's bucket: room for the calls of 100 ms, so that
// goroutines the scheduler wakes late and then all at once are not refused.
func (o options) channelBucket() int {
	if o.channelBurst > 0 {
		return o.channelBurst
	}
	return max(1, int(o.rate/10))
}

// syncerBucket is the Syncer's bucket: small, so the Syncer never gets ahead
// of the fake by more than the fake's bucket can absorb.
func (o options) syncerBucket() int {
	if o.burst > 0 {
		return o.burst
	}
	return max(1, int(o.rate/1000))
}
