package syncer

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Hand-written JSON for the pay event payload (see payEvent).

func appendField(b []byte, sep byte, key, value string) []byte {
	b = append(b, sep, '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return appendJSONString(b, value)
}

func appendTime(b []byte, key string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':', '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendJSONString appends s as a JSON string the way encoding/json writes
// it: control characters, quotes, backslashes, <, >, & and U+2028/2029
// escaped, invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendAmount appends d as a JSON string the way decimal's String writes it
// with the package's default settings: plain digits, trailing fractional
// zeros trimmed. It does not follow a host's changes to those settings, so a
// payload reads the same whatever the host set. The amounts payments carry
// (at most 18 digits) are written without String's allocations.
func appendAmount(b []byte, d decimal.Decimal) []byte {
	b = append(b, '"')
	exp := d.Exponent()
	if exp > 0 || d.NumDigits() > 18 {
		// StringFixed at the decimal's own places rounds nothing, and never
		// writes an exponent.
		s := d.StringFixed(max(0, -exp))
		if exp < 0 {
			s = trimFraction(s)
		}
		return append(append(b, s...), '"')
	}
	c := d.CoefficientInt64() // |c| < 10^18: no overflow negating it
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	var buf [20]byte
	digits := strconv.AppendInt(buf[:0], c, 10)
	// digits = integer part, then places fractional digits; a number
	// smaller than 1 has an integer part of 0 and leading fractional zeros.
	places, lead := int(-exp), 0
	if split := len(digits) - places; split > 0 {
		b = append(b, digits[:split]...)
		digits = digits[split:]
	} else {
		b = append(b, '0')
		lead = -split
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' { // what is left is the fraction
		digits = digits[:len(digits)-1]
	}
	if len(digits) > 0 {
		b = append(b, '.')
		for range lead {
			b = append(b, '0')
		}
		b = append(b, digits...)
	}
	return append(b, '"')
}

// trimFraction drops the trailing zeros of s's fraction, and its point when
// nothing is left after it.
func trimFraction(s string) string {
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

func quote(s string) string { return string(appendJSONString(nil, s)) }
