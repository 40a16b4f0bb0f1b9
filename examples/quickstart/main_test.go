package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A seed tells the same story every time, to the byte; another seed tells
// another.
func TestDeterministic(t *testing.T) {
	tell := func(seed uint64) string {
		var out bytes.Buffer
		_, err := run(context.Background(), demoConfig{Seed: seed, Orders: 300}, &out)
		require.NoError(t, err)
		return out.String()
	}
	first := tell(3)
	assert.Equal(t, first, tell(3))
	assert.NotEqual(t, first, tell(4))
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		name   string
		orders int
		ok     bool
	}{
		{"default", 0, true},
		{"smallest", minOrders, true},
		{"too few", minOrders - 1, false},
		{"negative", -5, false},
		{"too many", maxOrders + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := demoConfig{Orders: tc.orders}.Validate()
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, paysync.ErrInvalidRequest)
			_, err = run(context.Background(), demoConfig{Orders: tc.orders}, &bytes.Buffer{})
			assert.ErrorIs(t, err, paysync.ErrInvalidRequest)
		})
	}
}

// The smallest shop still tells the whole story, and keeps its promise.
func TestSmallestShop(t *testing.T) {
	for seed := range uint64(20) {
		sum, err := run(context.Background(), demoConfig{Seed: seed, Orders: minOrders}, &bytes.Buffer{})
		require.NoError(t, err, "seed %d", seed)
		assert.Equal(t, minOrders, sum.Agreement.Kinds[0].Orders, "seed %d", seed)
		assert.Empty(t, sum.Agreement.total().Unexplained, "seed %d", seed)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriteError(t *testing.T) {
	broken := errors.New("stdout closed")
	_, err := run(context.Background(), demoConfig{Orders: minOrders}, failingWriter{broken})
	assert.ErrorIs(t, err, broken)
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0", "0.00"},
		{"9.9", "9.90"},
		{"999.99", "999.99"},
		{"1000", "1,000.00"},
		{"1234567.891", "1,234,567.89"},
		{"-2500.5", "-2,500.50"},
	} {
		assert.Equal(t, tc.want, money(decimal.RequireFromString(tc.in)), tc.in)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1000: "-1,000"} {
		assert.Equal(t, want, group(n), "%d", n)
	}
	for _, tc := range []struct {
		n          int
		noun, want string
	}{
		{1, "anomaly", "1 anomaly"}, {3, "open anomaly", "3 open anomalies"}, {2, "payout", "2 payouts"},
		{1200, "order", "1,200 orders"}, {0, "refund", "0 refunds"}, {2, "day", "2 days"},
	} {
		assert.Equal(t, tc.want, count(tc.n, tc.noun))
	}
}

func TestParagraphWraps(t *testing.T) {
	var out bytes.Buffer
	w := &printer{w: &out}
	w.para(strings.Repeat("word ", 100))
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Greater(t, len(lines), 1)
	for _, l := range lines {
		assert.LessOrEqual(t, len(l), lineWidth)
		assert.False(t, strings.HasPrefix(l, " ") || strings.HasSuffix(l, " "), "line %q", l)
	}
	assert.Equal(t, 100, len(strings.Fields(out.String())))
}

func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	b := &progressBar{w: &printer{w: &out}, total: 10}
	for done := 1; done <= 10; done++ {
		b.update(syncer.Progress{Done: done, Total: 10})
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	for i, want := range []string{" 25%   3/10", " 50%   5/10", " 75%   8/10", "100%  10/10"} {
		assert.True(t, strings.HasSuffix(lines[i], want), "line %q, want suffix %q", lines[i], want)
	}
}
