package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests check that the program works and checks itself, at sizes CI
// runs in a moment; they time nothing.

// lineKeys are the keys docs/performance.md#the-sweep-load-program asks of the last line, and
// the extras the program adds.
var lineKeys = []string{"orders", "elapsed", "rate", "limit", "ratio", "p50_ms", "p99_ms",
	"max_held", "max_leased", "heap_peak_mib", "rejections", "adjusted", "errors"}

func TestSmallRunPassesItsSelfCheck(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-orders", "500", "-latency", "1ms", "-rate", "1000000", "-concurrency", "16",
		"-batch", "50", "-progress", "0"}
	code := cli(context.Background(), args, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())

	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	kv := map[string]string{}
	for _, f := range strings.Fields(lines[len(lines)-1]) {
		k, v, ok := strings.Cut(f, "=")
		require.True(t, ok, "field %q is not key=value", f)
		kv[k] = v
	}
	for _, k := range lineKeys {
		assert.NotEmpty(t, kv[k], "key %s", k)
	}
	assert.Equal(t, "500", kv["orders"])
	assert.Equal(t, "0", kv["rejections"])
	assert.Equal(t, "0", kv["errors"])
	assert.Equal(t, "1000000", kv["limit"])
	assert.NotEqual(t, "0", kv["max_held"])
}

func TestSelfCheckCatchesRejections(t *testing.T) {
	// The Syncer may burst 100 calls at once into a fake whose bucket holds
	// one: the fake refuses, and the run must say so. The short back-off
	// keeps the test quick.
	o := options{orders: 40, rate: 1000, channelBurst: 1, headroom: 1, burst: 100,
		backoff: time.Millisecond, concurrency: 40, batch: 40, seed: 1}
	res, err := load(context.Background(), o, io.Discard)
	require.NoError(t, err)
	assert.Positive(t, res.rejections)
	require.Error(t, res.Check())
	assert.Contains(t, res.Check().Error(), "refused")
}

func TestCountRecords(t *testing.T) {
	rec := func(no string, src paysync.Source) paysync.SyncRecord {
		return paysync.SyncRecord{TradeType: paysync.TradePay, TradeNo: no, Source: src}
	}
	tests := []struct {
		name                        string
		recs                        []paysync.SyncRecord
		missing, duplicated, strays int
		wantErr                     string
	}{
		{name: "one each", recs: []paysync.SyncRecord{rec("L0", paysync.SourceSweep), rec("L1", paysync.SourceSweep),
			rec("L2", paysync.SourceSweep)}},
		{name: "other sources do not count", recs: []paysync.SyncRecord{rec("L0", paysync.SourceSweep),
			rec("L1", paysync.SourceAPI), rec("L1", paysync.SourceSweep), rec("L2", paysync.SourceSweep)}},
		{name: "missing", recs: []paysync.SyncRecord{rec("L0", paysync.SourceSweep), rec("L2", paysync.SourceSweep)},
			missing: 1, wantErr: "1 of 3 orders have no sweep SyncRecord"},
		{name: "twice", recs: []paysync.SyncRecord{rec("L0", paysync.SourceSweep), rec("L1", paysync.SourceSweep),
			rec("L1", paysync.SourceSweep), rec("L2", paysync.SourceSweep)},
			duplicated: 1, wantErr: "1 orders have more than one"},
		{name: "stray", recs: []paysync.SyncRecord{rec("L0", paysync.SourceSweep), rec("L1", paysync.SourceSweep),
			rec("L2", paysync.SourceSweep), rec("L3", paysync.SourceSweep), rec("X", paysync.SourceSweep)},
			strays: 2, wantErr: "2 records or writes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := result{orders: 3}
			r.countRecords(tt.recs)
			assert.Equal(t, tt.missing, r.missing, "missing")
			assert.Equal(t, tt.duplicated, r.duplicated, "duplicated")
			assert.Equal(t, tt.strays, r.strays, "strays")
			if tt.wantErr == "" {
				assert.NoError(t, r.Check())
				return
			}
			require.Error(t, r.Check())
			assert.Contains(t, r.Check().Error(), tt.wantErr)
		})
	}
}

func TestPercentiles(t *testing.T) {
	tests := []struct {
		name     string
		took     []int64
		p50, p99 int64
	}{
		{name: "none", took: []int64{0, 0}},
		{name: "one", took: []int64{0, 7}, p50: 7, p99: 7},
		{name: "hundred", took: hundred(), p50: 50, p99: 99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p50, p99 := percentiles(tt.took)
			assert.EqualValues(t, tt.p50, p50)
			assert.EqualValues(t, tt.p99, p99)
		})
	}
}

// hundred is 100..1 with a zero (an order never committed) among them.
func hundred() []int64 {
	v := []int64{0}
	for i := 100; i >= 1; i-- {
		v = append(v, int64(i))
	}
	return v
}

func TestParseFlagsRefusesOutOfRange(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"-orders", "0"}, "-orders"},
		{[]string{"-rate", "0"}, "-rate"},
		{[]string{"-latency", "-1ms"}, "-latency"},
		{[]string{"-headroom", "1.5"}, "-headroom"},
		{[]string{"-concurrency", "0"}, "-concurrency"},
		{[]string{"-paid", "2"}, "-paid"},
		{[]string{"extra"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, err := parseFlags(tt.args, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
