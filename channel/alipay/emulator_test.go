package alipay_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync/channel/alipay"
)

// The emulator stands in for Alipay's OpenAPI gateway: it checks each
// request's RSA2 signature against the app key the test generated, answers
// from a script by method, and signs every answer with the Alipay key the
// test generated — unless the script says to leave the sign off, to sign
// with another key, or to tamper with the answer after signing.

const (
	testAppID    = "2021000000000001"
	testSellerID = "2088000000000001"
)

// Keys are generated once for the package: RSA generation is the slowest
// part of a test, and no test depends on a key being fresh.
var testKeys = sync.OnceValue(func() struct{ app, alipay, stranger *rsa.PrivateKey } {
	gen := func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	}
	return struct{ app, alipay, stranger *rsa.PrivateKey }{gen(), gen(), gen()}
})

// answer is one scripted reply.
type answer struct {
	// biz is the JSON of <method>_response; the sign covers exactly it.
	biz      string
	unsigned bool
	signer   *rsa.PrivateKey
	// tamper rewrites the whole body after it was signed.
	tamper func(string) string
	// raw, when set, is the whole body, sent as it is.
	raw    string
	status int // zero: 200
	// certSN, when set, is sent as alipay_cert_sn (the certificate mode).
	certSN string
}

// call is one request the emulator accepted.
type call struct {
	method string
	biz    map[string]any
	params url.Values
}

type emulator struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	script   map[string][]answer // by method; answered in turn, the last repeats
	calls    []call
	failures []string
}

func newEmulator(t *testing.T) *emulator {
	t.Helper()
	e := &emulator{t: t, script: map[string][]answer{}}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(func() {
		e.srv.Close()
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, f := range e.failures {
			t.Errorf("emulator: %s", f)
		}
	})
	return e
}

func (e *emulator) on(method string, as ...answer) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.script[method] = as
}

func (e *emulator) received() []call {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]call(nil), e.calls...)
}

func (e *emulator) fail(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failures = append(e.failures, fmt.Sprintf(format, args...))
}

func (e *emulator) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		e.fail("form: %v", err)
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	p := r.PostForm
	method := p.Get("method")
	errorResponse := func(sub, msg string) {
		_, _ = fmt.Fprintf(w, `{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":%q,"sub_msg":%q}}`, sub, msg)
	}
	if err := e.checkRequest(p); err != nil {
		e.fail("%s: %v", method, err)
		errorResponse("isv.invalid-signature", err.Error())
		return
	}
	var biz map[string]any
	if err := json.Unmarshal([]byte(p.Get("biz_content")), &biz); err != nil {
		e.fail("%s: biz_content: %v", method, err)
	}
	e.mu.Lock()
	e.calls = append(e.calls, call{method: method, biz: biz, params: p})
	as, ok := e.script[method]
	var a answer
	if ok {
		a = as[0]
		if len(as) > 1 {
			e.script[method] = as[1:]
		}
	}
	e.mu.Unlock()
	if !ok {
		e.fail("no script for %s", method)
		errorResponse("isp.unknown-error", "no script")
		return
	}
	if a.status != 0 {
		w.WriteHeader(a.status)
	}
	_, _ = fmt.Fprint(w, answerBody(method, a))
}

// checkRequest verifies a request as Alipay does: the app, the common
// parameters, a timestamp in Beijing time near now, and the RSA2 signature
// over every parameter but sign, sorted by name, empty ones left out.
func (e *emulator) checkRequest(p url.Values) error {
	switch {
	case p.Get("app_id") != testAppID:
		return fmt.Errorf("app_id %q", p.Get("app_id"))
	case p.Get("sign_type") != "RSA2" || p.Get("charset") != "utf-8" || p.Get("format") != "JSON" || p.Get("version") != "1.0":
		return fmt.Errorf("common parameters %v", p)
	}
	ts, err := time.ParseInLocation("2006-01-02 15:04:05", p.Get("timestamp"), time.FixedZone("CST", 8*3600))
	if err != nil || time.Since(ts).Abs() > 5*time.Minute {
		return fmt.Errorf("timestamp %q is not Beijing time now", p.Get("timestamp"))
	}
	sig, err := base64.StdEncoding.DecodeString(p.Get("sign"))
	if err != nil {
		return err
	}
	h := sha256.Sum256([]byte(signingString(p, "sign")))
	return rsa.VerifyPKCS1v15(&testKeys().app.PublicKey, crypto.SHA256, h[:], sig)
}

// signingString is Alipay's content to sign: k=v pairs, keys sorted, empty
// values and the excluded keys left out, joined with &.
func signingString(p url.Values, exclude ...string) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		skip := p.Get(k) == ""
		for _, x := range exclude {
			skip = skip || k == x
		}
		if !skip {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + p.Get(k)
	}
	return strings.Join(pairs, "&")
}

func rsa2(key *rsa.PrivateKey, s string) string {
	h := sha256.Sum256([]byte(s))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// answerBody writes an answer as Alipay does: the method's response object
// and, beside it, the RSA2 signature of that object's exact bytes.
func answerBody(method string, a answer) string {
	if a.raw != "" {
		return a.raw
	}
	field := strings.ReplaceAll(method, ".", "_") + "_response"
	body := fmt.Sprintf(`{%q:%s`, field, a.biz)
	if a.certSN != "" {
		body += fmt.Sprintf(`,"alipay_cert_sn":%q`, a.certSN)
	}
	if !a.unsigned {
		signer := a.signer
		if signer == nil {
			signer = testKeys().alipay
		}
		body += fmt.Sprintf(`,"sign":%q`, rsa2(signer, a.biz))
	}
	body += "}"
	if a.tamper != nil {
		body = a.tamper(body)
	}
	return body
}

func pemKey(t *testing.T, typ string, der []byte) string {
	t.Helper()
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// config is a valid Config (public-key mode) whose requests reach e.
func (e *emulator) config(t *testing.T) alipay.Config {
	t.Helper()
	keys := testKeys()
	priv, err := x509.MarshalPKCS8PrivateKey(keys.app)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&keys.alipay.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return alipay.Config{
		AppID:           testAppID,
		PrivateKey:      pemKey(t, "PRIVATE KEY", priv),
		AlipayPublicKey: pemKey(t, "PUBLIC KEY", pub),
		SellerID:        testSellerID,
		Gateway:         e.srv.URL + "/gateway.do",
		HTTPClient:      &http.Client{Timeout: 10 * time.Second},
	}
}

func (e *emulator) channel(t *testing.T) *alipay.Channel {
	t.Helper()
	c, err := alipay.New(e.config(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// notification builds the form Alipay posts to a notify_url, signed with
// key over every field but sign and sign_type.
func notification(key *rsa.PrivateKey, fields map[string]string) *http.Request {
	v := url.Values{}
	for k, x := range fields {
		v.Set(k, x)
	}
	v.Set("sign_type", "RSA2")
	v.Set("sign", rsa2(key, signingString(v, "sign", "sign_type")))
	return notifyRequest(v)
}

func notifyRequest(v url.Values) *http.Request {
	r := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/notify/alipay", strings.NewReader(v.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return r
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
