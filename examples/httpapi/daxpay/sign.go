package daxpay

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"sort"
	"strings"

	"github.com/paysync/paysync"
)

// SignType names the digest of the DaxPay 2.0.x signature rule.
type SignType string

// Sign types, spelled as DaxPay's pay_platform_config.sign_type.
const (
	MD5        SignType = "MD5"
	HMACSHA256 SignType = "HMAC_SHA256"
)

// ParseSignType returns the SignType named s, ignoring case (DaxPay v3 spells
// them in lower case). Any other name is an ErrInvalidRequest error.
func ParseSignType(s string) (SignType, error) {
	switch {
	case strings.EqualFold(s, string(MD5)):
		return MD5, nil
	case strings.EqualFold(s, string(HMACSHA256)):
		return HMACSHA256, nil
	}
	return "", paysync.Ef("daxpay.ParseSignType", paysync.ErrInvalidRequest,
		"unknown sign type "+s+" (want MD5 or HMAC_SHA256)", nil)
}

// Fields are the fields of a JSON object rendered as the text the signature
// covers (see Object.Fields): key → text.
type Fields map[string]string

// Canonical returns the string the DaxPay 2.0.x rule digests: the keys of
// fields sorted by byte order, joined as k=v with &, every `"` and `\`
// deleted, then "&key=" and the secret appended (the secret is not filtered:
// the deletion happens before it is appended). There is no upper-casing (that
// is DaxPay v3). A field named "sign" is left out, whoever put it there.
func Canonical(fields Fields, secret string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k != signKey {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		writeFiltered(&b, k)
		b.WriteByte('=')
		writeFiltered(&b, fields[k])
	}
	b.WriteString("&key=")
	b.WriteString(secret)
	return b.String()
}

// writeFiltered writes s without `"` and `\`. Deleting them per part is the
// same as deleting them from the joined string: the separators are neither.
func writeFiltered(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '"' && c != '\\' {
			b.WriteByte(c)
		}
	}
}

// Signer signs and verifies with one sign type and secret.
type Signer struct {
	Type   SignType // MD5 or HMACSHA256
	Secret string   // appended as "&key=<secret>", and the HMAC key
}

// Digest returns the lower-case hex digest of text: MD5 of its UTF-8 bytes,
// or HMAC-SHA256 keyed with the raw secret. An unknown Type is an
// ErrInvalidRequest error.
func (s Signer) Digest(text string) (string, error) {
	var h hash.Hash
	switch s.Type {
	case MD5:
		h = md5.New()
	case HMACSHA256:
		h = hmac.New(sha256.New, []byte(s.Secret))
	default:
		return "", paysync.Ef("daxpay.Signer.Digest", paysync.ErrInvalidRequest,
			"unknown sign type "+string(s.Type), nil)
	}
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Sign returns the signature of fields: Digest(Canonical(fields, Secret)).
// An unknown Type is an ErrInvalidRequest error.
func (s Signer) Sign(fields Fields) (string, error) {
	return s.Digest(Canonical(fields, s.Secret))
}

// Verify reports whether sign is the signature of fields. The comparison is
// case-sensitive, as DaxPay 2.0.x's, and takes constant time for a sign of
// the right length. An unknown Type verifies nothing.
func (s Signer) Verify(fields Fields, sign string) bool {
	want, err := s.Sign(fields)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(sign)) == 1
}

// SignBody returns body, a JSON object, with its "sign" field set to the
// signature of its other fields (added at the end when absent). The other
// fields keep their order and their raw values (compacted, not HTML-escaped),
// so a server decoding the result covers exactly the text signed here. A body
// that is not a JSON object is an ErrMalformed error.
func (s Signer) SignBody(body []byte) ([]byte, error) {
	o, err := DecodeObject(body)
	if err != nil {
		return nil, err
	}
	sign, err := s.Sign(o.Fields())
	if err != nil {
		return nil, err
	}
	return o.With(signKey, quote(sign)).Encode(), nil
}
