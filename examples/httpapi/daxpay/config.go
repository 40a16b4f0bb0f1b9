package daxpay

import (
	"log/slog"
	"time"

	"github.com/paysync/paysync"
)

// Defaults of Config.
const (
	DefaultReqTimeWindow = 5 * time.Minute
	DefaultMaxBodyBytes  = 64 << 10 // 64 KiB: a request is a few hundred bytes
	DefaultMaxInFlight   = 256
	DefaultEngineTimeout = 20 * time.Second
)

// Config configures a Handler. Zero values mean the defaults named on each
// field; only Secret is required.
type Config struct {
	Secret   string   // the shared signing secret; required
	SignType SignType // default HMACSHA256

	// Location is the zone a yyyy-MM-dd HH:mm:ss reqTime is read in; default
	// DefaultLocation (UTC+8).
	Location *time.Location
	// ReqTimeWindow is how far reqTime may be from now, either way; default
	// DefaultReqTimeWindow.
	ReqTimeWindow time.Duration

	// NonceTTL is how long a nonceStr is remembered; default DefaultNonceTTL.
	// It must be at least twice ReqTimeWindow, or a replay could outlive it.
	NonceTTL time.Duration
	// NonceCapacity bounds the nonces remembered; default DefaultNonceCapacity.
	NonceCapacity int

	// MaxBodyBytes is the largest body read; a larger one is answered with
	// HTTP 413 and code 10005, at once when its Content-Length says so, else
	// once that many bytes have been read. Default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxInFlight bounds the requests the Handler serves at once; one more
	// is answered 10007 at once, before its body is read. With MaxBodyBytes
	// it bounds the memory a burst of requests can take. Default
	// DefaultMaxInFlight.
	MaxInFlight int
	// EngineTimeout bounds one engine call; default DefaultEngineTimeout. Keep
	// it below the server's WriteTimeout so the answer can still be written.
	EngineTimeout time.Duration

	Now    func() time.Time // default time.Now; tests inject a clock
	Logger *slog.Logger     // default discards
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	if c.SignType == "" {
		c.SignType = HMACSHA256
	}
	if c.Location == nil {
		c.Location = DefaultLocation()
	}
	if c.ReqTimeWindow == 0 {
		c.ReqTimeWindow = DefaultReqTimeWindow
	}
	if c.NonceTTL == 0 {
		c.NonceTTL = DefaultNonceTTL
	}
	if c.NonceCapacity == 0 {
		c.NonceCapacity = DefaultNonceCapacity
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.EngineTimeout == 0 {
		c.EngineTimeout = DefaultEngineTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate returns an ErrInvalidRequest error naming the first problem: an
// empty Secret, an unknown SignType, a negative duration, capacity, body
// limit or in-flight bound, or a NonceTTL shorter than twice ReqTimeWindow
// (defaults applied).
func (c Config) Validate() error {
	const op = "daxpay.Config.Validate"
	bad := func(msg string) error { return paysync.Ef(op, paysync.ErrInvalidRequest, msg, nil) }
	d := c.withDefaults()
	switch {
	case c.Secret == "":
		return bad("Secret is required")
	case d.SignType != MD5 && d.SignType != HMACSHA256:
		return bad("unknown SignType " + string(c.SignType))
	case c.ReqTimeWindow < 0, c.NonceTTL < 0, c.EngineTimeout < 0:
		return bad("durations must not be negative")
	case c.NonceCapacity < 0:
		return bad("NonceCapacity must not be negative")
	case c.MaxBodyBytes < 0:
		return bad("MaxBodyBytes must not be negative")
	case c.MaxInFlight < 0:
		return bad("MaxInFlight must not be negative")
	case d.NonceTTL < 2*d.ReqTimeWindow:
		return bad("NonceTTL must be at least twice ReqTimeWindow")
	}
	return nil
}
