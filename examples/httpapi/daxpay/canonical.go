package daxpay

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/paysync/paysync"
)

// MaxFields is the most top-level fields a request may have, sign and nulls
// included. A DaxPay request has six or seven.
const MaxFields = 32

// maxKeyLen is the longest field name, in bytes (names are ASCII).
const maxKeyLen = 64

// DecodeRequestObject parses a request body: DecodeObject, in canonical
// form. The DaxPay rule deletes every `"` and `\` and joins k=v with & and
// =, so two bodies can share one signed string and yet ask for different
// things (a key nonce"Str that the host does not read as nonceStr; a value
// "P1&nonceStr=x" standing in for two fields). A body in canonical form has
// exactly one request behind its signed string:
//   - every field name, as decoded, matches [A-Za-z][A-Za-z0-9_]{0,63};
//   - every string value, as decoded, holds no `"`, `\`, `&`, `=` or control
//     character;
//   - every value is a string, number, boolean or null (no object or array);
//   - there are at most MaxFields fields.
//
// So the signed string splits back into its fields at each & and the first
// = after it, and nothing is deleted from it: two accepted bodies with equal
// signed strings have equal Fields.
//
// It returns an ErrMalformed error when body is not one flat JSON object
// (not UTF-8, not JSON, not an object, an object or array as a value, data
// after it, a repeated key) and an ErrInvalidRequest error for a name, a
// value or a field count the rules refuse. It stops at the first field that
// breaks a rule, so a body of thousands of fields costs one pass over its
// bytes and the first MaxFields+1 fields, however it is made.
func DecodeRequestObject(body []byte) (Object, error) {
	const op = "daxpay.DecodeRequestObject"
	malformed := func(msg string) (Object, error) {
		return Object{}, paysync.Ef(op, ErrMalformed, "请求体无法解析: "+msg, nil)
	}
	// Both scans are single passes that allocate nothing; they settle 10005
	// before the field rules (10006) look at anything.
	switch {
	case !utf8.Valid(body):
		return malformed("not valid UTF-8")
	case !json.Valid(body):
		return malformed("not JSON")
	case !flatObject(body):
		return malformed("not a flat JSON object")
	}
	return decodeObject(body, true)
}

// flatObject reports whether body, valid JSON, is an object none of whose
// values is an object or array: no { or [ outside a string but the first.
func flatObject(body []byte) bool {
	body = bytes.TrimLeft(body, " \t\r\n")
	if len(body) == 0 || body[0] != '{' {
		return false
	}
	inString, escaped := false, false
	for _, c := range body[1:] {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			return false
		}
	}
	return true
}

// checkKey returns an ErrInvalidRequest error when the n-th field (from 1)
// is one too many, or when its name breaks [A-Za-z][A-Za-z0-9_]{0,63}. The
// message does not repeat a refused name: it may be long and it is the
// client's text, and answers are logged.
func checkKey(n int, key string) error {
	const op = "daxpay.checkKey"
	if n > MaxFields {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "more than "+strconv.Itoa(MaxFields)+" fields", nil)
	}
	if !validKey(key) {
		return paysync.Ef(op, paysync.ErrInvalidRequest,
			"the name of field "+strconv.Itoa(n)+" does not match [A-Za-z][A-Za-z0-9_]{0,63}", nil)
	}
	return nil
}

// validKey reports whether key matches [A-Za-z][A-Za-z0-9_]{0,63}.
func validKey(key string) bool {
	if len(key) == 0 || len(key) > maxKeyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		letter := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
		if !letter && (i == 0 || c != '_' && (c < '0' || c > '9')) {
			return false
		}
	}
	return true
}

// checkValue returns an ErrInvalidRequest error when raw, the value of key
// (a valid name), is a string whose decoded text holds a character the
// signed string cannot bind. Numbers, booleans and null are their own text
// and hold none of them.
func checkValue(key string, raw json.RawMessage) error {
	if len(raw) == 0 || raw[0] != '"' {
		return nil
	}
	s, _ := text(raw)
	for _, r := range s {
		if r == '"' || r == '\\' || r == '&' || r == '=' || unicode.IsControl(r) {
			return paysync.Ef("daxpay.checkValue", paysync.ErrInvalidRequest,
				key+` holds a character the signature cannot bind (" \ & = or a control character)`, nil)
		}
	}
	return nil
}
