// Command quickstart is paysync's demo: a shop's orders, refunds and
// payouts of the two hours its sweeper was down, many stuck because
// callbacks were lost; one sweep; and what it repaired, what waits for a
// person and why.
//
//	go run ./examples/quickstart            # seed 1, 1,000 pay orders
//	go run ./examples/quickstart -seed 7    # another shop, same story
//
// Everything runs in memory (memstore) against scripted channels
// (channeltest) with a fixed clock, so a seed always tells the same story.
// The refunds are made by Syncer.CreateRefund at the moments they happened,
// the clock set back for each, and last night's sweeps run as they did.
// Every figure printed is counted from the store — orders, records, outbox,
// anomalies — not from the script, and each table prints the total it must
// add up to: what a host would see.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	cfg := demoConfig{}
	flag.Uint64Var(&cfg.Seed, "seed", defaultSeed, "seed of the scenario: the same seed tells the same story")
	flag.IntVar(&cfg.Orders, "orders", defaultOrders, "pay orders the shop took")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}
