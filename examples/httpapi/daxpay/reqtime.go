package daxpay

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/paysync/paysync"
)

// DateTimeLayout is the yyyy-MM-dd HH:mm:ss form of reqTime.
const DateTimeLayout = "2006-01-02 15:04:05"

// DefaultLocation returns the zone a yyyy-MM-dd HH:mm:ss reqTime is read in
// unless configured: UTC+8, DaxPay's home (China has no daylight saving).
func DefaultLocation() *time.Location { return time.FixedZone("UTC+8", 8*60*60) }

// maxEpoch bounds the epoch seconds of a reqTime either way. time.Unix wraps
// past about 2^63 − 2^36 seconds (a reqTime near 2^63 became a date in the
// past, "expired"); any second beyond 2^62, 146 billion years away, is as far
// out of the window as the next, so one past it is read as 2^62.
const maxEpoch = 1 << 62

// parseReqTime reads reqTime: a JSON integer or a string of ASCII digits
// (epoch seconds; beyond ±maxEpoch, even beyond int64, read as ±maxEpoch), or
// a string in DateTimeLayout read in loc. Anything else is an
// ErrInvalidRequest error.
func parseReqTime(raw json.RawMessage, loc *time.Location) (time.Time, error) {
	bad := func(cause error) (time.Time, error) {
		return time.Time{}, paysync.Ef("daxpay.parseReqTime", paysync.ErrInvalidRequest,
			"reqTime must be epoch seconds or "+"yyyy-MM-dd HH:mm:ss", cause)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f' {
		return bad(nil)
	}
	s, _ := text(raw)
	if raw[0] != '"' || digits(s) {
		// strconv rejects fractions and exponents: reqTime is whole seconds.
		// On ErrRange, n is the int64 bound of the same sign.
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return bad(err)
		}
		return time.Unix(min(max(n, -maxEpoch), maxEpoch), 0), nil
	}
	t, err := time.ParseInLocation(DateTimeLayout, s, loc)
	if err != nil {
		return bad(err)
	}
	// time.Parse also takes "12:00:00.5" and one-digit hours; the layout is
	// exact, so only text that formats back to itself counts.
	if t.Format(DateTimeLayout) != s {
		return bad(nil)
	}
	return t, nil
}

// digits reports whether s is a non-empty run of ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkReqTime returns an ErrInvalidRequest error, with DaxPay's messages,
// when reqTime is more than window before or after now.
func checkReqTime(now, reqTime time.Time, window time.Duration) error {
	const op = "daxpay.checkReqTime"
	switch d := now.Sub(reqTime); {
	case d > window:
		return paysync.Ef(op, paysync.ErrInvalidRequest, "请求已过期，请重新发送！", nil)
	case d < -window:
		return paysync.Ef(op, paysync.ErrInvalidRequest, "请求时间晚于服务器接收到的时间，请检查", nil)
	}
	return nil
}
