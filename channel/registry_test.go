package channel_test

import (
	"context"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type named string

func (n named) Name() string { return string(n) }

func (n named) QueryPay(context.Context, paysync.PayOrder) (channel.PayReport, error) {
	return channel.PayReport{State: channel.PayProgress}, nil
}

func TestRegistry(t *testing.T) {
	var r channel.Registry // the zero value is ready
	_, err := r.Lookup("wechat")
	require.ErrorIs(t, err, paysync.ErrUnknownChannel)

	require.NoError(t, r.Register(named("wechat")))
	require.NoError(t, r.Register(named("alipay")))
	c, err := r.Lookup("wechat")
	require.NoError(t, err)
	assert.Equal(t, "wechat", c.Name())
	assert.ElementsMatch(t, []string{"wechat", "alipay"}, r.Names())

	assert.ErrorIs(t, r.Register(named("wechat")), paysync.ErrDuplicate)
	assert.ErrorIs(t, r.Register(named("")), paysync.ErrInvalidRequest)
	assert.ErrorIs(t, r.Register(nil), paysync.ErrInvalidRequest)

	assert.Panics(t, func() { channel.NewRegistry(named("a"), named("a")) }, "a duplicate at startup is a programming error")
	assert.Equal(t, []string{"a"}, channel.NewRegistry(named("a")).Names())
}

func TestPayStates(t *testing.T) {
	assert.Len(t, channel.PayStates(), 8)
	for _, s := range channel.PayStates() {
		assert.True(t, s.Valid(), s)
	}
	assert.False(t, channel.PayState("SUCCESS").Valid(), "adapters map the channel's vocabulary")
}
