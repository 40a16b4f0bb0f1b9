package main

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
)

// meter times each sync from its channel call to its commit.
type meter struct {
	mu    sync.Mutex
	start map[string]time.Time
	took  []time.Duration
}

func (m *meter) began(no string) {
	m.mu.Lock()
	if m.start == nil {
		m.start = make(map[string]time.Time)
	}
	m.start[no] = time.Now()
	m.mu.Unlock()
}

func (m *meter) committed(no string) {
	m.mu.Lock()
	if t, ok := m.start[no]; ok {
		m.took = append(m.took, time.Since(t))
		delete(m.start, no)
	}
	m.mu.Unlock()
}

// p99 is the 99th percentile of the times measured; 0 when none were.
func (m *meter) p99() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.took) == 0 {
		return 0
	}
	took := slices.Clone(m.took)
	slices.Sort(took)
	return took[(len(took)*99)/100]
}

// meteredChannel notes when each order's channel call begins.
type meteredChannel struct {
	*channeltest.Channel
	m *meter
}

func (c meteredChannel) QueryPay(ctx context.Context, o paysync.PayOrder) (channel.PayReport, error) {
	c.m.began(o.OrderNo)
	return c.Channel.QueryPay(ctx, o)
}

// meteredStore notes when each order's commit is done.
type meteredStore struct {
	repository.Store
	m *meter
}

func (s meteredStore) CommitPayOrder(ctx context.Context, o paysync.PayOrder, e repository.Entries) error {
	err := s.Store.CommitPayOrder(ctx, o, e)
	if err == nil {
		s.m.committed(o.OrderNo)
	}
	return err
}
