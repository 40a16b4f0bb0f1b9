package daxpay

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"unicode/utf8"

	"github.com/paysync/paysync"
)

// signKey is the field that carries the signature and is never signed.
const signKey = "sign"

// Object is one JSON object as received: its top-level keys in order and
// each key's raw value. Keys are matched exactly (encoding/json's
// case-insensitive struct matching would let "ORDERNO" fill orderNo while
// the signature covered "ORDERNO").
type Object struct {
	keys []string
	raw  map[string]json.RawMessage
}

// DecodeObject parses body as exactly one JSON object. It returns an
// ErrMalformed error when body is not valid UTF-8, is not a JSON object,
// has anything but white space after it, or repeats a key (two parsers could
// disagree on which of two values counts, the signer and the server among
// them). It takes any object; a request must also be in canonical form (see
// DecodeRequestObject).
func DecodeObject(body []byte) (Object, error) {
	return decodeObject(body, false)
}

// decodeObject is DecodeObject; with canonical, each field must also follow
// the canonical-form rules as it is read, and the first that does not ends
// the decoding (see DecodeRequestObject).
func decodeObject(body []byte, canonical bool) (Object, error) {
	const op = "daxpay.DecodeObject"
	malformed := func(msg string, cause error) (Object, error) {
		return Object{}, paysync.Ef(op, ErrMalformed, "请求体无法解析: "+msg, cause)
	}
	if !utf8.Valid(body) {
		return malformed("not valid UTF-8", nil)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return malformed("not JSON", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return malformed("not a JSON object", nil)
	}
	o := Object{raw: make(map[string]json.RawMessage)}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return malformed("bad key", err)
		}
		key, ok := tok.(string)
		if !ok {
			return malformed("bad key", nil)
		}
		if canonical {
			if err := checkKey(len(o.keys)+1, key); err != nil {
				return Object{}, err
			}
		}
		if _, dup := o.raw[key]; dup {
			return malformed("duplicate key "+key, nil)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return malformed("bad value of "+key, err)
		}
		v = bytes.TrimSpace(v)
		if canonical {
			if err := checkValue(key, v); err != nil {
				return Object{}, err
			}
		}
		o.keys = append(o.keys, key)
		o.raw[key] = v
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return malformed("unterminated object", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return malformed("data after the object", err)
	}
	return o, nil
}

// Keys returns the keys in the order received.
func (o Object) Keys() []string { return slices.Clone(o.keys) }

// Raw returns the raw JSON value of key, and false when key is absent.
func (o Object) Raw(key string) (json.RawMessage, bool) {
	v, ok := o.raw[key]
	return v, ok
}

// Text returns the signed text of key's value (see Fields), and false when
// key is absent or null.
func (o Object) Text(key string) (string, bool) {
	v, ok := o.raw[key]
	if !ok {
		return "", false
	}
	return text(v)
}

// Fields returns what the signature covers: every field but "sign", nulls
// dropped, each value rendered as text — a string as its decoded value, a
// number as the digits received, a boolean as true/false, an object or array
// as its compact JSON as received (keys not re-sorted, escapes kept). An
// empty string is kept ("k=").
func (o Object) Fields() Fields {
	f := make(Fields, len(o.keys))
	for _, k := range o.keys {
		if k == signKey {
			continue
		}
		if t, ok := text(o.raw[k]); ok {
			f[k] = t
		}
	}
	return f
}

// With returns a copy of o with key set to value, a JSON value (appended
// when key is new). o is not changed.
func (o Object) With(key string, value json.RawMessage) Object {
	c := Object{keys: slices.Clone(o.keys), raw: make(map[string]json.RawMessage, len(o.raw)+1)}
	for k, v := range o.raw {
		c.raw[k] = v
	}
	if _, ok := c.raw[key]; !ok {
		c.keys = append(c.keys, key)
	}
	c.raw[key] = value
	return c
}

// Encode returns o as compact JSON, keys in order, values as received minus
// insignificant space, with no HTML escaping, so decoding it again yields
// the same Fields.
func (o Object) Encode() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(quote(k))
		b.WriteByte(':')
		if err := json.Compact(&b, o.raw[k]); err != nil {
			b.WriteString("null") // unreachable: values come from DecodeObject or quote
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// text renders one raw value for signing; false for null.
func text(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case 'n':
		return "", false
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return string(raw), true // unreachable: the decoder checked the string
		}
		return s, true
	case '{', '[':
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return string(raw), true // unreachable, as above
		}
		return b.String(), true
	}
	return string(raw), true // a number's digits, true or false
}

// quote returns s as a JSON string without HTML escaping.
func quote(s string) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimRight(b.Bytes(), "\n")
}
