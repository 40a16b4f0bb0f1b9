package wechatpay_test

import (
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync/channel/wechatpay"
)

// The emulator stands in for api.mch.weixin.qq.com: it checks each request's
// Authorization against the merchant key the test generated, answers from a
// script, and signs every answer with the platform key the test generated —
// unless the script says to leave the signature off or to tamper with the
// body after signing.

const (
	testMchID   = "1900000109"
	testAppID   = "wxd678efh567hg6787"
	testSerial  = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
	testKeyID   = "PUB_KEY_ID_0114232134912410000000000000"
	testAPIv3   = "0123456789abcdef0123456789ABCDEF"
	gatewayHost = "api.mch.weixin.qq.com"
)

// Keys are generated once for the package: RSA generation is the slowest
// part of a test, and no test depends on a key being fresh.
var testKeys = sync.OnceValue(func() struct{ merchant, platform, stranger *rsa.PrivateKey } {
	gen := func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	}
	return struct{ merchant, platform, stranger *rsa.PrivateKey }{gen(), gen(), gen()}
})

// answer is one scripted reply.
type answer struct {
	status int
	body   string
	// unsigned sends no signature headers at all.
	unsigned bool
	// tamper rewrites the body after it was signed.
	tamper func(string) string
	// signer signs the answer instead of the platform key.
	signer *rsa.PrivateKey
}

// call is one request the emulator accepted.
type call struct {
	method, path string
	query        url.Values
	body         string
}

type emulator struct {
	t        *testing.T
	srv      *httptest.Server
	merchant *rsa.PublicKey
	platform *rsa.PrivateKey
	serial   string // what the Wechatpay-Serial answer header names

	mu       sync.Mutex
	script   map[string][]answer // answered in turn; the last one repeats
	calls    []call
	failures []string
}

func newEmulator(t *testing.T) *emulator {
	t.Helper()
	keys := testKeys()
	e := &emulator{t: t, merchant: &keys.merchant.PublicKey, platform: keys.platform, serial: testKeyID,
		script: map[string][]answer{}}
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

// on scripts the answer to method and path (without the query).
func (e *emulator) on(method, path string, a answer) { e.onSequence(method, path, a) }

// onSequence scripts answers given in turn; the last one repeats.
func (e *emulator) onSequence(method, path string, as ...answer) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.script[method+" "+path] = as
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

var authRE = regexp.MustCompile(`^WECHATPAY2-SHA256-RSA2048 (.+)$`)

func (e *emulator) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	if err := e.checkAuthorization(r, string(b)); err != nil {
		e.fail("%s %s: %v", r.Method, r.URL.RequestURI(), err)
		e.write(w, answer{status: http.StatusUnauthorized, body: `{"code":"SIGN_ERROR","message":"签名错误"}`})
		return
	}
	e.mu.Lock()
	e.calls = append(e.calls, call{method: r.Method, path: r.URL.Path, query: r.URL.Query(), body: string(b)})
	as, ok := e.script[r.Method+" "+r.URL.Path]
	var a answer
	if ok {
		a = as[0]
		if len(as) > 1 {
			e.script[r.Method+" "+r.URL.Path] = as[1:]
		}
	}
	e.mu.Unlock()
	if !ok {
		e.fail("no script for %s %s", r.Method, r.URL.Path)
		e.write(w, answer{status: http.StatusInternalServerError, body: `{"code":"SYSTEM_ERROR","message":"no script"}`})
		return
	}
	e.write(w, a)
}

// checkAuthorization verifies the request signature WeChat Pay requires:
// SHA256withRSA over "METHOD\nURI\ntimestamp\nnonce\nbody\n" with the
// merchant's key, naming the merchant and its certificate serial.
func (e *emulator) checkAuthorization(r *http.Request, body string) error {
	m := authRE.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return fmt.Errorf("authorization %q is not WECHATPAY2-SHA256-RSA2048", r.Header.Get("Authorization"))
	}
	f := map[string]string{}
	for _, kv := range strings.Split(m[1], ",") {
		k, v, _ := strings.Cut(kv, "=")
		f[k] = strings.Trim(v, `"`)
	}
	if f["mchid"] != testMchID || f["serial_no"] != testSerial {
		return fmt.Errorf("authorization names mchid %q serial %q", f["mchid"], f["serial_no"])
	}
	ts, err := strconv.ParseInt(f["timestamp"], 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		return fmt.Errorf("authorization timestamp %q", f["timestamp"])
	}
	msg := fmt.Sprintf("%s\n%s\n%s\n%s\n%s\n", r.Method, r.URL.RequestURI(), f["timestamp"], f["nonce_str"], body)
	sig, err := base64.StdEncoding.DecodeString(f["signature"])
	if err != nil {
		return err
	}
	h := sha256.Sum256([]byte(msg))
	return rsa.VerifyPKCS1v15(e.merchant, crypto.SHA256, h[:], sig)
}

func (e *emulator) write(w http.ResponseWriter, a answer) {
	signer := a.signer
	if signer == nil {
		signer = e.platform
	}
	if !a.unsigned {
		for k, v := range signHeaders(signer, e.serial, a.body) {
			w.Header().Set(k, v)
		}
	}
	body := a.body
	if a.tamper != nil {
		body = a.tamper(body)
	}
	w.Header().Set("Request-ID", "08F78BB5AF0610D302A0A8B4E20A")
	if body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, body)
}

// signHeaders signs body as WeChat Pay signs its answers and notifications:
// SHA256withRSA over "timestamp\nnonce\nbody\n".
func signHeaders(key *rsa.PrivateKey, serial, body string) map[string]string {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := randomHex(16)
	h := sha256.Sum256([]byte(ts + "\n" + nonce + "\n" + body + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	if err != nil {
		panic(err)
	}
	return map[string]string{
		"Wechatpay-Timestamp": ts,
		"Wechatpay-Nonce":     nonce,
		"Wechatpay-Signature": base64.StdEncoding.EncodeToString(sig),
		"Wechatpay-Serial":    serial,
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// redirect sends the SDK's requests for the gateway to the emulator; the
// request URI, which the signature covers, is unchanged.
type redirect struct{ to *url.URL }

func (rd redirect) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != gatewayHost {
		return nil, fmt.Errorf("request to unexpected host %q", r.URL.Host)
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = rd.to.Scheme, rd.to.Host
	return http.DefaultTransport.RoundTrip(r)
}

// config is a valid Config whose requests reach e.
func (e *emulator) config() wechatpay.Config {
	keys := testKeys()
	to, _ := url.Parse(e.srv.URL)
	return wechatpay.Config{
		MchID:               testMchID,
		AppID:               testAppID,
		MerchantSerialNo:    testSerial,
		MerchantPrivateKey:  keys.merchant,
		APIv3Key:            testAPIv3,
		PlatformPublicKeyID: testKeyID,
		PlatformPublicKey:   &keys.platform.PublicKey,
		HTTPClient:          &http.Client{Transport: redirect{to: to}, Timeout: 10 * time.Second},
	}
}

func (e *emulator) channel(t *testing.T) *wechatpay.Channel {
	t.Helper()
	c, err := wechatpay.New(e.config())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// platformCertificate is a self-signed certificate for the platform key,
// for the certificate mode of verification.
func platformCertificate(t *testing.T) *x509.Certificate {
	t.Helper()
	keys := testKeys()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(0x3A7F09EFDC096DE1),
		Subject:      pkix.Name{CommonName: "Tenpay.com Root CA"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &keys.platform.PublicKey, keys.platform)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// notification builds the request WeChat Pay posts to a notify_url: the
// resource encrypted under the APIv3 key, the body signed with key.
func notification(t *testing.T, key *rsa.PrivateKey, eventType, resourceType string, resource any) *http.Request {
	t.Helper()
	body := notificationBody(t, testAPIv3, eventType, resourceType, resource)
	return notifyRequest(body, signHeaders(key, testKeyID, body))
}

// notificationBody is a notification's JSON body, its resource encrypted
// with AEAD_AES_256_GCM under apiV3Key.
func notificationBody(t *testing.T, apiV3Key, eventType, resourceType string, resource any) string {
	t.Helper()
	plain, err := json.Marshal(resource)
	if err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher([]byte(apiV3Key))
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	nonce := randomHex(6) // 12 characters, used as the 12 nonce bytes
	ad := resourceType
	sealed := gcm.Seal(nil, []byte(nonce), plain, []byte(ad))
	return js(map[string]any{
		"id":            "EV-2018022511223320873",
		"create_time":   time.Now().Format(time.RFC3339),
		"resource_type": "encrypt-resource",
		"event_type":    eventType,
		"summary":       "通知",
		"resource": map[string]string{
			"original_type":   resourceType,
			"algorithm":       "AEAD_AES_256_GCM",
			"ciphertext":      base64.StdEncoding.EncodeToString(sealed),
			"associated_data": ad,
			"nonce":           nonce,
		},
	})
}

func notifyRequest(body string, headers map[string]string) *http.Request {
	r := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/notify/wechat", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}
