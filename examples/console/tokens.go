package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// csrfLifetime is how long a form's token is accepted: a working day, so a
// page left open over lunch still submits, one left overnight does not.
const csrfLifetime = 12 * time.Hour

// keys signs what the console hands out and must get back unchanged: CSRF
// tokens and the result messages carried across a redirect. Each use has
// its own label, so a value signed for one is never accepted as the other.
type keys struct {
	key []byte
	now func() time.Time
}

var b64 = base64.RawURLEncoding

func (k keys) mac(parts ...string) []byte {
	m := hmac.New(sha256.New, k.key)
	for _, p := range parts {
		m.Write([]byte(strconv.Itoa(len(p)))) // length-prefixed: no two part lists sign alike
		m.Write([]byte{':'})
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

// csrf returns a token for operator's forms: its issue time and a MAC over
// that time and the operator's name. It needs no server state, and a token
// taken from one person's page is worthless to another.
func (k keys) csrf(operator string) string {
	ts := strconv.FormatInt(k.now().Unix(), 36)
	return ts + "." + b64.EncodeToString(k.mac("csrf", ts, operator))
}

// validCSRF reports whether tok is operator's, issued within csrfLifetime
// (and not in the future, beyond a minute of clock skew). The MAC is
// compared in constant time.
func (k keys) validCSRF(operator, tok string) bool {
	ts, sig, ok := strings.Cut(tok, ".")
	if !ok {
		return false
	}
	got, err := b64.DecodeString(sig)
	if err != nil {
		return false
	}
	if !hmac.Equal(got, k.mac("csrf", ts, operator)) {
		return false
	}
	sec, err := strconv.ParseInt(ts, 36, 64)
	if err != nil {
		return false
	}
	age := k.now().Sub(time.Unix(sec, 0))
	return age > -time.Minute && age <= csrfLifetime
}

// flash is a result message shown once on the page a POST redirects to.
type flash struct {
	OK   bool
	Text string
}

// sealFlash signs f for operator, for a redirect's query string: a link
// someone else made cannot put words on the console's pages.
func (k keys) sealFlash(operator string, f flash) string {
	kind := "err"
	if f.OK {
		kind = "ok"
	}
	body := kind + ":" + f.Text
	return b64.EncodeToString([]byte(body)) + "." + b64.EncodeToString(k.mac("flash", body, operator))
}

// openFlash returns the message sealed in v for operator, or false.
func (k keys) openFlash(operator, v string) (flash, bool) {
	enc, sig, ok := strings.Cut(v, ".")
	if !ok {
		return flash{}, false
	}
	body, err1 := b64.DecodeString(enc)
	got, err2 := b64.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(got, k.mac("flash", string(body), operator)) {
		return flash{}, false
	}
	kind, text, _ := strings.Cut(string(body), ":")
	return flash{OK: kind == "ok", Text: text}, true
}
