package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestPgload runs both phases on a small load against the test database
// (.ci/postgres.sh sets PAYSYNC_TEST_DATABASE_URL): the run must pass its
// own check and print every key its last line promises. Figures are not
// checked here — they are measured, not tested (docs/performance.md).
func TestPgload(t *testing.T) {
	dsn := os.Getenv("PAYSYNC_TEST_DATABASE_URL")
	if dsn == "" {
		t.Skip("PAYSYNC_TEST_DATABASE_URL is not set (bash .ci/postgres.sh sets it)")
	}
	var out, log bytes.Buffer
	code := cli(context.Background(), []string{"-dsn", dsn, "-orders", "60", "-latency", "1ms", "-hosts", "2"}, &out, &log)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), log.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	for _, key := range []string{"orders=60", "rate=", "floor_rate=", "floor_ratio=", "rate_1host=", "rate_2hosts=", "speedup=", "p99_ms="} {
		if !strings.Contains(last, key) {
			t.Errorf("last line %q lacks %q", last, key)
		}
	}
}

// TestFlags: a missing DSN and bad sizes are refused before anything runs.
func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-dsn", ""},
		{"-dsn", "x", "-orders", "0"},
		{"-dsn", "x", "-concurrency", "0"},
		{"-dsn", "x", "-hosts", "0"},
		{"-dsn", "x", "-latency", "-1s"},
		{"-nope"},
	} {
		t.Setenv("PAYSYNC_TEST_DATABASE_URL", "")
		var out, log bytes.Buffer
		if code := cli(context.Background(), args, &out, &log); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestLine: the ratios are computed from the rates.
func TestLine(t *testing.T) {
	r := result{orders: 10, rate: 50, floorRate: 100, rateOneHost: 10, rateManyHosts: 35, hosts: 4}
	got := r.line()
	for _, want := range []string{"floor_ratio=0.50", "speedup=3.50", "rate_4hosts=35"} {
		if !strings.Contains(got, want) {
			t.Errorf("line %q lacks %q", got, want)
		}
	}
}
