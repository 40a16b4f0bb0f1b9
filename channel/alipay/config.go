package alipay

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"time"

	"github.com/paysync/paysync"
	sdk "github.com/smartwalle/alipay/v3"
)

// DefaultName is the channel name used when Config.Name is empty: DaxPay's
// code for Alipay, so orders created by a DaxPay-compatible host match.
const DefaultName = "ali_pay"

// DefaultGateway is Alipay's production OpenAPI gateway.
const DefaultGateway = "https://openapi.alipay.com/gateway.do"

// DefaultTimeout bounds one call to the gateway when Config.HTTPClient is nil.
const DefaultTimeout = 10 * time.Second

// Config configures an Alipay OpenAPI adapter for one app.
//
// Alipay's answers and notifications are verified either with the Alipay
// public key (公钥模式: AlipayPublicKey) or with certificates (证书模式:
// AppCertificate, AlipayCertificate, AlipayRootCertificate, all three).
type Config struct {
	// Name is what Name returns and what orders carry in their Channel
	// field; empty means DefaultName.
	Name string
	// AppID is the app's id (APPID). Required; a notification for another
	// app is refused.
	AppID string
	// PrivateKey is the app's RSA private key (应用私钥), PKCS#1 or PKCS#8, in
	// PEM or as the bare base64 Alipay's key tool writes. Required: it signs
	// every request (RSA2).
	PrivateKey string
	// AlipayPublicKey is the Alipay public key (支付宝公钥), PEM or bare
	// base64, for the public-key mode.
	AlipayPublicKey string
	// AppCertificate (应用公钥证书), AlipayCertificate (支付宝公钥证书) and
	// AlipayRootCertificate (支付宝根证书), PEM, for the certificate mode.
	AppCertificate        string
	AlipayCertificate     string
	AlipayRootCertificate string
	// SellerID is the merchant's Alipay user id (2088…). Optional: when set,
	// a notification naming another seller is refused.
	SellerID string
	// Gateway is the OpenAPI endpoint; empty means DefaultGateway (the
	// sandbox is https://openapi-sandbox.dl.alipaydev.com/gateway.do).
	Gateway string
	// ReceiverTypes maps Alipay's royalty receiver types (trans_in_type:
	// userId, loginName, openId) to the types the host's allocation
	// receivers carry, e.g. {"userId": "user_id"}, so the engine can match a
	// receiver by type and account. A type absent from the map is reported
	// as Alipay spells it.
	ReceiverTypes map[string]string
	// HTTPClient sends the requests; nil means a client with DefaultTimeout.
	HTTPClient *http.Client
}

// withDefaults returns cfg with its zero fields filled in.
func (cfg Config) withDefaults() Config {
	// The adapter keeps its own copy: a host changing its map later must
	// not race with the calls reading it.
	cfg.ReceiverTypes = maps.Clone(cfg.ReceiverTypes)
	if cfg.Name == "" {
		cfg.Name = DefaultName
	}
	if cfg.Gateway == "" {
		cfg.Gateway = DefaultGateway
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: DefaultTimeout}
	}
	return cfg
}

// Validate reports whether cfg is usable. It returns an error wrapping
// paysync.ErrInvalidRequest naming the first bad field: a missing app id
// or private key; neither or both verification modes, or a certificate
// mode missing one of its three certificates; a key or certificate the SDK
// cannot read; a gateway that is not an absolute http(s) URL; a receiver
// type mapped from or to an empty string.
func (cfg Config) Validate() error {
	if err := cfg.check(); err != nil {
		return err
	}
	_, err := cfg.withDefaults().client()
	return err
}

func (cfg Config) check() error {
	const op = "alipay.Config.Validate"
	bad := func(format string, args ...any) error {
		return paysync.Ef(op, paysync.ErrInvalidRequest, fmt.Sprintf(format, args...), nil)
	}
	certs := 0
	for _, c := range []string{cfg.AppCertificate, cfg.AlipayCertificate, cfg.AlipayRootCertificate} {
		if c != "" {
			certs++
		}
	}
	switch {
	case cfg.AppID == "":
		return bad("AppID is required")
	case cfg.PrivateKey == "":
		return bad("PrivateKey is required")
	case cfg.AlipayPublicKey == "" && certs == 0:
		return bad("AlipayPublicKey or the three certificates are required to verify Alipay's answers")
	case cfg.AlipayPublicKey != "" && certs > 0:
		return bad("AlipayPublicKey and certificates are both set; choose one mode")
	case certs > 0 && certs < 3:
		return bad("the certificate mode needs AppCertificate, AlipayCertificate and AlipayRootCertificate")
	}
	if cfg.Gateway != "" {
		u, err := url.Parse(cfg.Gateway)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return bad("Gateway %q is not an absolute http(s) URL", cfg.Gateway)
		}
	}
	for from, to := range cfg.ReceiverTypes {
		if from == "" || to == "" {
			return bad("ReceiverTypes maps %q to %q; neither may be empty", from, to)
		}
	}
	return nil
}

// client builds the SDK client cfg describes; cfg has its defaults. The
// client's transport is wrapped so every call keeps the bytes Alipay sent
// and an HTTP failure is an error (see transport).
func (cfg Config) client() (*sdk.Client, error) {
	const op = "alipay.Config.Validate"
	hc := *cfg.HTTPClient
	hc.Transport = transport{next: hc.Transport}
	// isProduction only picks the default host and whether an unknown
	// certificate serial is downloaded; the gateway is always cfg.Gateway.
	c, err := sdk.New(cfg.AppID, cfg.PrivateKey, true,
		sdk.WithProductionGateway(cfg.Gateway),
		sdk.WithHTTPClient(&hc),
		// Alipay reads the request timestamp as Beijing time.
		sdk.WithTimeLocation(beijing()))
	if err != nil {
		return nil, paysync.Ef(op, paysync.ErrInvalidRequest, "PrivateKey is not an RSA private key", err)
	}
	load := func(field string, f func(string) error, v string) error {
		if err := f(v); err != nil {
			return paysync.Ef(op, paysync.ErrInvalidRequest, field+" cannot be read", err)
		}
		return nil
	}
	if cfg.AlipayPublicKey != "" {
		if err := load("AlipayPublicKey", c.LoadAliPayPublicKey, cfg.AlipayPublicKey); err != nil {
			return nil, err
		}
		return c, nil
	}
	// The SDK skips, without a word, an Alipay certificate that holds no RSA
	// key and root certificates it cannot read: it would then fail at the
	// first answer instead of at startup.
	if !hasRSACertificate(cfg.AlipayCertificate, func(c *x509.Certificate) bool {
		_, ok := c.PublicKey.(*rsa.PublicKey)
		return ok
	}) {
		return nil, paysync.Ef(op, paysync.ErrInvalidRequest, "AlipayCertificate holds no RSA certificate", nil)
	}
	if !hasRSACertificate(cfg.AlipayRootCertificate, func(c *x509.Certificate) bool {
		return c.SignatureAlgorithm == x509.SHA256WithRSA || c.SignatureAlgorithm == x509.SHA1WithRSA
	}) {
		return nil, paysync.Ef(op, paysync.ErrInvalidRequest, "AlipayRootCertificate holds no RSA-signed certificate", nil)
	}
	if err := load("AppCertificate", c.LoadAppCertPublicKey, cfg.AppCertificate); err != nil {
		return nil, err
	}
	if err := load("AlipayCertificate", c.LoadAlipayCertPublicKey, cfg.AlipayCertificate); err != nil {
		return nil, err
	}
	if err := load("AlipayRootCertificate", c.LoadAliPayRootCert, cfg.AlipayRootCertificate); err != nil {
		return nil, err
	}
	return c, nil
}

// beijing is the zone Alipay writes its times in (UTC+8, no daylight
// saving), fixed so that no tz database is needed.
func beijing() *time.Location { return time.FixedZone("Asia/Shanghai", 8*60*60) }

// hasRSACertificate reports whether the PEM text holds a certificate that
// parses and satisfies ok. Alipay's root bundle also holds certificates Go
// cannot parse (SM2); those are skipped, as the SDK skips them.
func hasRSACertificate(text string, ok func(*x509.Certificate) bool) bool {
	rest := []byte(text)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return false
		}
		if c, err := x509.ParseCertificate(block.Bytes); err == nil && ok(c) {
			return true
		}
	}
}
