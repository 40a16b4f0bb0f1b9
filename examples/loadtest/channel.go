package main

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
)

// timedChannel is the fake channel with each QueryPay's start told to m.
// The engine calls QueryPay once its rate limiter has let the call through,
// so what m times from here on excludes the limiter's wait. It forwards the
// optional capabilities of the fake, so the engine finds the same ones.
type timedChannel struct {
	fake *channeltest.Channel
	m    *meter
}

var (
	_ channel.Channel           = timedChannel{}
	_ channel.PayCloser         = timedChannel{}
	_ channel.AllocationQuerier = timedChannel{}
)

// Name returns the fake's name.
func (c timedChannel) Name() string { return c.fake.Name() }

// QueryPay is the fake's, with its start noted.
func (c timedChannel) QueryPay(ctx context.Context, o paysync.PayOrder) (channel.PayReport, error) {
	c.m.calling(o.OrderNo)
	return c.fake.QueryPay(ctx, o)
}

// ClosePay is the fake's.
func (c timedChannel) ClosePay(ctx context.Context, o paysync.PayOrder) error {
	return c.fake.ClosePay(ctx, o)
}

// QueryAllocation is the fake's.
func (c timedChannel) QueryAllocation(ctx context.Context, o paysync.AllocationOrder) (channel.AllocationReport, error) {
	return c.fake.QueryAllocation(ctx, o)
}
