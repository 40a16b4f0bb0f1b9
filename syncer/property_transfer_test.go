//go:build go1.25

package syncer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPropertyTransfer drives a dozen payouts through random mixes of
// channel truths moving along real paths (a payout the channel never got,
// one it gets late, one failed and sent again), syncs and callbacks (current
// and stale) from two Syncers over one store, sweeps, clock moves and
// injected channel errors; after every step it checks what
// docs/transfer-sync.md promises, and after a fault-free drain that every
// payout agrees with its channel or waits for a person.
func TestPropertyTransfer(t *testing.T) {
	seeds, steps := propertySeeds[:12], 250
	if testing.Short() {
		seeds, steps = seeds[:3], 120
	}
	var total transferPropCounts
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := newTransferProp(t, seed)
				drive(p.e.clock, func() {
					for range steps {
						p.step()
						if t.Failed() {
							return
						}
					}
					p.drain()
				})
				if t.Failed() {
					t.Fatalf("seed %d: stopped at step %d (%s)", seed, p.n.steps, p.last)
				}
				total.add(p.n)
			})
		})
	}
	t.Logf("transfer property: %d seeds, %s", len(seeds), total)
}

// How the channel recorded a payout.
const (
	transferFaithful    = iota
	transferOtherPayee  // it names another payee: nothing may follow
	transferOtherAmount // it records another amount: it must never succeed
)

type transferProp struct {
	t     *testing.T
	e     *env
	hosts []*Syncer
	r     *rand.Rand
	nos   []string
	base  map[string]paysync.TransferOrder
	kind  map[string]int
	hist  map[string][]channel.TransferState // every truth scripted, in order
	seen  map[string]paysync.TransferOrder   // the transfer after the last step
	moved map[string]int                     // its AdjustRecords after the last step
	n     transferPropCounts
	last  string
}

type transferPropCounts struct {
	steps, moves, syncs, callbacks, stale, faults, sweeps, clock, changes, notAtChannel int
}

func (c *transferPropCounts) add(o transferPropCounts) {
	c.steps += o.steps
	c.moves += o.moves
	c.syncs += o.syncs
	c.callbacks += o.callbacks
	c.stale += o.stale
	c.faults += o.faults
	c.sweeps += o.sweeps
	c.clock += o.clock
	c.changes += o.changes
	c.notAtChannel += o.notAtChannel
}

func (c transferPropCounts) String() string {
	return fmt.Sprintf("%d steps: %d truth moves, %d syncs, %d callbacks (%d stale), %d channel errors, %d sweeps, "+
		"%d clock moves; %d status changes, %d payouts the channel never got left to a person",
		c.steps, c.moves, c.syncs, c.callbacks, c.stale, c.faults, c.sweeps, c.clock, c.changes, c.notAtChannel)
}

func newTransferProp(t *testing.T, seed uint64) *transferProp {
	e := newEnv(t)
	p := &transferProp{t: t, e: e, hosts: []*Syncer{e.s, e.syncer()}, r: newRand(seed),
		base: map[string]paysync.TransferOrder{}, kind: map[string]int{}, hist: map[string][]channel.TransferState{},
		seen: map[string]paysync.TransferOrder{}, moved: map[string]int{}}
	for i := range 12 {
		no := fmt.Sprintf("T%02d", i)
		created := e.clock.Now().Add(-time.Duration(p.r.IntN(20)) * time.Minute) // some within the not-found grace
		tr := e.newTransfer(no, paysync.TransferProgress, created, func(o *paysync.TransferOrder) {
			o.Schedule.NextSyncAt = created.Add(time.Minute)
		})
		p.nos = append(p.nos, no)
		p.base[no], p.seen[no] = tr, tr
		switch i {
		case 10:
			p.kind[no] = transferOtherPayee
		case 11:
			p.kind[no] = transferOtherAmount
		}
		first := channel.TransferProgress
		if i%4 == 0 {
			first = channel.TransferNotFound // the host's call never reached the channel (yet)
		}
		p.script(no, first)
	}
	return p
}

// script makes state the channel's truth for no, as the channel recorded it.
func (p *transferProp) script(no string, state channel.TransferState) {
	rep := channeltest.TransferAnswer(p.base[no], state)
	switch p.kind[no] {
	case transferOtherPayee:
		rep.PayeeAccount = "someone-else"
	case transferOtherAmount:
		rep.Amount = rep.Amount.Add(decimal.RequireFromString("1"))
	}
	if state == channel.TransferNotFound {
		rep = channel.TransferReport{State: channel.TransferNotFound}
	}
	p.e.ch.SetTransfer(no, rep)
	p.hist[no] = append(p.hist[no], state)
}

func (p *transferProp) truth(no string) channel.TransferState {
	h := p.hist[no]
	return h[len(h)-1]
}

func (p *transferProp) step() {
	p.n.steps++
	no := p.nos[p.r.IntN(len(p.nos))]
	s := p.hosts[p.r.IntN(2)]
	ctx := p.e.ctx
	switch x := p.r.IntN(100); {
	case x < 25:
		// The channel moves along a real path.
		next := map[channel.TransferState][]channel.TransferState{
			channel.TransferNotFound: {channel.TransferNotFound, channel.TransferProgress}, // received late, or never
			channel.TransferProgress: {channel.TransferSuccess, channel.TransferFailed, channel.TransferClosed},
			channel.TransferFailed:   {channel.TransferProgress}, // the host sent it again
		}[p.truth(no)]
		if len(next) == 0 {
			return // success and closed are final at a channel
		}
		st := next[p.r.IntN(len(next))]
		p.last = "channel " + no + " → " + string(st)
		p.script(no, st)
		p.n.moves++
	case x < 50:
		p.last = "sync " + no
		req := TransferRequest{TransferNo: no}
		if p.r.IntN(2) == 0 {
			req = TransferRequest{BizTransferNo: "biz-" + no}
		}
		_, err := s.SyncTransfer(ctx, req)
		require.NoError(p.t, err, p.last)
		p.n.syncs++
	case x < 70:
		h := p.hist[no]
		i := len(h) - 1
		if p.r.IntN(3) == 0 {
			i = p.r.IntN(len(h)) // a late callback about an older state
			p.n.stale++
		}
		if h[i] == channel.TransferNotFound {
			return // a channel sends no callback about a payout it does not know
		}
		p.last = "callback " + no + " " + string(h[i])
		rep := channeltest.TransferAnswer(p.base[no], h[i])
		if p.kind[no] == transferOtherPayee {
			rep.PayeeAccount = "someone-else"
		}
		if p.kind[no] == transferOtherAmount {
			rep.Amount = rep.Amount.Add(decimal.RequireFromString("1"))
		}
		_, err := s.ApplyTransferNotification(ctx, no, rep, paysync.SourceCallback)
		require.NoError(p.t, err, p.last)
		p.n.callbacks++
	case x < 75:
		p.last = "sync " + no + " with the channel down"
		before := p.e.getTransfer(no)
		p.e.ch.FailTransferNext(no, 1, errors.New("gateway 502"))
		_, err := s.SyncTransfer(ctx, TransferRequest{TransferNo: no})
		require.ErrorIs(p.t, err, paysync.ErrChannelUnavailable, p.last)
		after := p.e.getTransfer(no)
		assert.Equal(p.t, before.Status, after.Status, "%s: an unknown answer changed the status", p.last)
		p.n.faults++
	case x < 85:
		p.last = "sweep"
		_, err := s.Sweep(ctx, SweepOptions{})
		require.NoError(p.t, err)
		p.n.sweeps++
	default:
		d := time.Duration(1+p.r.IntN(60)) * time.Minute
		p.last = "clock +" + d.String()
		p.e.clock.Add(d)
		p.n.clock++
	}
	p.checkAll()
}

// checkAll checks every transfer after a step.
func (p *transferProp) checkAll() {
	for _, no := range p.nos {
		p.check(no)
	}
}

func (p *transferProp) check(no string) {
	t := p.t
	was, now := p.seen[no], p.e.getTransfer(no)
	p.seen[no] = now
	if was.Status == paysync.TransferSuccess {
		assert.Equal(t, paysync.TransferSuccess, now.Status, "%s: %s left success", p.last, no)
	}
	if now.Status == paysync.TransferClose {
		assert.Contains(t, p.hist[no], channel.TransferClosed,
			"%s: %s closed though the channel never closed it (a payout is never closed for not_found)", p.last, no)
	}
	switch p.kind[no] {
	case transferOtherPayee:
		assert.Equal(t, paysync.TransferProgress, now.Status, "%s: %s moved on an answer naming another payee", p.last, no)
	case transferOtherAmount:
		assert.NotEqual(t, paysync.TransferSuccess, now.Status, "%s: %s succeeded with another amount", p.last, no)
	}

	// The trail: every change a move of the table, each with its records
	// and one status event; every anomaly announced once.
	tr := loadTrail(t, p.e.store, paysync.TradeTransfer, no)
	checkTransferTrail(t, p.e.store, p.base[no].Status, now, tr)
	p.n.changes += len(tr.adjusts) - p.moved[no]
	p.moved[no] = len(tr.adjusts)

	// Anomalies open only for what the rules name.
	open := openAnomalies(t, p.e.store, paysync.TradeTransfer, no)
	for _, code := range open {
		switch code {
		case paysync.AnomalyTransferNotAtChannel:
			denied := slices.Contains(p.hist[no], channel.TransferNotFound) ||
				now.Status == paysync.TransferSuccess && slices.ContainsFunc(p.hist[no], func(s channel.TransferState) bool { return s != channel.TransferSuccess })
			assert.True(t, denied, "%s: %s: transfer_not_at_channel without a channel that denied it", p.last, no)
		case paysync.AnomalyTradeMismatch:
			assert.Equal(t, transferOtherPayee, p.kind[no], "%s: %s: trade_mismatch for its own payee", p.last, no)
		case paysync.AnomalyAmountMismatch:
			assert.Equal(t, transferOtherAmount, p.kind[no], "%s: %s: amount_mismatch for its own amount", p.last, no)
		default:
			t.Errorf("%s: %s: unexpected anomaly %s", p.last, no, code)
		}
	}
}

// drain: the channel is sure now; a fault-free sync of every transfer
// leaves each one agreeing with its channel, or waiting for a person.
func (p *transferProp) drain() {
	p.e.clock.Add(time.Hour) // past every not-found grace
	for _, no := range p.nos {
		_, err := p.hosts[0].SyncTransfer(p.e.ctx, TransferRequest{TransferNo: no})
		require.NoError(p.t, err, "drain "+no)
	}
	p.last = "drain"
	p.checkAll()
	for _, no := range p.nos {
		got := p.e.getTransfer(no)
		open := openAnomalies(p.t, p.e.store, paysync.TradeTransfer, no)
		switch p.kind[no] {
		case transferOtherPayee:
			assert.Contains(p.t, open, paysync.AnomalyTradeMismatch, "%s waits for a person", no)
			continue
		case transferOtherAmount:
			if p.truth(no) == channel.TransferSuccess {
				assert.Contains(p.t, open, paysync.AnomalyAmountMismatch, "%s waits for a person", no)
				continue
			}
		}
		want := map[channel.TransferState]paysync.TransferStatus{
			channel.TransferSuccess:  paysync.TransferSuccess,
			channel.TransferFailed:   paysync.TransferFail,
			channel.TransferClosed:   paysync.TransferClose,
			channel.TransferProgress: paysync.TransferProgress,
			channel.TransferNotFound: paysync.TransferProgress, // never closed: a person decides
		}[p.truth(no)]
		assert.Equal(p.t, want, got.Status, "%s after the drain (truths %v)", no, p.hist[no])
		if p.truth(no) == channel.TransferNotFound {
			assert.Contains(p.t, open, paysync.AnomalyTransferNotAtChannel, "%s: a payout the channel does not know waits for a person", no)
			p.n.notAtChannel++
		}
	}
}
