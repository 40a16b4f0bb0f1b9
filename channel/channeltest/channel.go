package channeltest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"golang.org/x/time/rate"
)

// The capabilities the engine finds by type assertion.
var (
	_ channel.Channel           = (*Channel)(nil)
	_ channel.PayCloser         = (*Channel)(nil)
	_ channel.AllocationQuerier = (*Channel)(nil)
	_ channel.RefundQuerier     = (*Channel)(nil)
	_ channel.TransferQuerier   = (*Channel)(nil)
)

// Channel is a scriptable fake payment channel. It is safe for concurrent
// use; scripting while calls are in flight is allowed, and a call sees the
// script as it is when the call answers.
type Channel struct {
	cfg Config
	// cfgErr is the Validate error of the Config New was given: every call
	// answers it, so a bad Config shows at the first call instead of a panic.
	cfgErr  error
	limiter *rate.Limiter // nil: no rate limit
	// errInjected is built once so that random faults cost no allocation.
	errInjected error

	randMu sync.Mutex
	rand   *rand.Rand

	mu        sync.Mutex
	pays      scripts[channel.PayReport]
	allocs    scripts[allocTruth]
	refunds   scripts[channel.RefundReport]
	transfers scripts[channel.TransferReport]
	// closeOutcomes holds what SetClose scripted (absent: CloseAuto) and
	// closeCalls counts ClosePay calls, by order number.
	closeOutcomes map[string]CloseOutcome
	closeCalls    map[string]int

	payQueries      atomic.Int64
	closes          atomic.Int64
	allocQueries    atomic.Int64
	refundQueries   atomic.Int64
	transferQueries atomic.Int64
	rejections      atomic.Int64
	injected        atomic.Int64
	timeouts        atomic.Int64
}

// New returns a fake channel configured by cfg, with defaults for its zero
// fields. New does not fail: when cfg does not pass Validate, the channel
// answers every call with that error
// (wrapping paysync.ErrInvalidRequest). Call cfg.Validate first to catch the
// mistake earlier.
func New(cfg Config) *Channel {
	cfg = cfg.withDefaults()
	c := &Channel{
		cfg:         cfg,
		cfgErr:      cfg.Validate(),
		errInjected: fmt.Errorf("channeltest %q: random fault: %w", cfg.Name, ErrInjected),
		// The seed fills both PCG words so that Seed alone decides the stream.
		rand:          rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(cfg.Seed))),
		pays:          make(scripts[channel.PayReport]),
		allocs:        make(scripts[allocTruth]),
		refunds:       make(scripts[channel.RefundReport]),
		transfers:     make(scripts[channel.TransferReport]),
		closeOutcomes: make(map[string]CloseOutcome),
		closeCalls:    make(map[string]int),
	}
	if c.cfgErr != nil {
		c.cfgErr = paysync.E("channeltest.New", paysync.ErrInvalidRequest, c.cfgErr)
	}
	if cfg.Rate > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(cfg.Rate), cfg.Burst)
	}
	return c
}

// Name returns Config.Name, or DefaultName when it was empty.
func (c *Channel) Name() string { return c.cfg.Name }

// Stats counts a channel's calls. Every call counts in its method's total
// whatever its outcome; Rejections, Injected and Timeouts count outcomes.
type Stats struct {
	PayQueries        int64 // QueryPay calls
	Closes            int64 // ClosePay calls
	AllocationQueries int64 // QueryAllocation calls
	RefundQueries     int64 // QueryRefund calls
	TransferQueries   int64 // QueryTransfer calls
	// Rejections counts calls refused by the rate limit.
	Rejections int64
	// Injected counts calls answered with an injected error: FailNext,
	// FailAllocationNext, FailRefundNext, FailTransferNext, Config.ErrorRate
	// and the CloseError outcome.
	Injected int64
	// Timeouts counts calls held until their ctx was done by an injected
	// timeout: TimeoutNext, TimeoutAllocationNext, TimeoutRefundNext,
	// TimeoutTransferNext, Config.TimeoutRate and the CloseTimeout outcome. Latency cut short by ctx is not counted.
	Timeouts int64
}

// Stats returns the counters so far. Each field is read atomically, but the
// fields are not one snapshot while calls are in flight.
func (c *Channel) Stats() Stats {
	return Stats{
		PayQueries:        c.payQueries.Load(),
		Closes:            c.closes.Load(),
		AllocationQueries: c.allocQueries.Load(),
		RefundQueries:     c.refundQueries.Load(),
		TransferQueries:   c.transferQueries.Load(),
		Rejections:        c.rejections.Load(),
		Injected:          c.injected.Load(),
		Timeouts:          c.timeouts.Load(),
	}
}

// Rejections returns how many calls the rate limit refused so far.
func (c *Channel) Rejections() int64 { return c.rejections.Load() }

// ErrInjected is wrapped by every error the fake makes up (FailNext,
// Config.ErrorRate, CloseError), so a test can tell them from real ones.
var ErrInjected = errors.New("channeltest: injected error")
