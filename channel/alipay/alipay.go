package alipay

import (
	"github.com/paysync/paysync/channel"
	sdk "github.com/smartwalle/alipay/v3"
)

// The capabilities the engine finds by type assertion.
var (
	_ channel.Channel           = (*Channel)(nil)
	_ channel.PayCloser         = (*Channel)(nil)
	_ channel.AllocationQuerier = (*Channel)(nil)
	_ channel.RefundQuerier     = (*Channel)(nil)
)

// Channel is the Alipay adapter. It is safe for concurrent use.
type Channel struct {
	cfg    Config
	client *sdk.Client
}

// New returns an adapter configured by cfg. It returns an error wrapping
// paysync.ErrInvalidRequest when cfg does not pass Validate. New makes no
// call to the gateway.
func New(cfg Config) (*Channel, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	client, err := cfg.client()
	if err != nil {
		return nil, err
	}
	return &Channel{cfg: cfg, client: client}, nil
}

// Name returns Config.Name, or DefaultName when it was empty.
func (c *Channel) Name() string { return c.cfg.Name }
