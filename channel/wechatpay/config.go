package wechatpay

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"maps"
	"net/http"
	"time"

	"github.com/paysync/paysync"
)

// DefaultName is the channel name used when Config.Name is empty: DaxPay's
// code for WeChat Pay, so orders created by a DaxPay-compatible host match.
const DefaultName = "wechat_pay"

// DefaultTimeout bounds one call to the gateway when Config.HTTPClient is nil.
const DefaultTimeout = 10 * time.Second

// Config configures a WeChat Pay APIv3 adapter for one direct merchant.
//
// The platform's answers and notifications are verified with the WeChat Pay
// public key (PlatformPublicKeyID and PlatformPublicKey), with platform
// certificates (PlatformCertificates), or with both while a merchant moves
// from certificates to the public key. Certificates are never downloaded:
// the adapter keeps no state of its own beyond what Config gives it.
type Config struct {
	// Name is what Name returns and what orders carry in their Channel
	// field; empty means DefaultName.
	Name string
	// MchID is the merchant id (商户号). Required. An answer or notification
	// naming another merchant is refused.
	MchID string
	// AppID is the app the orders are paid in. Optional: when set, an answer
	// or notification naming another app is refused.
	AppID string
	// MerchantSerialNo is the serial number of the merchant API certificate
	// (商户API证书序列号) and MerchantPrivateKey its private key; together they
	// sign every request. Required.
	MerchantSerialNo   string
	MerchantPrivateKey *rsa.PrivateKey
	// APIv3Key is the merchant's APIv3 key, 32 bytes; it decrypts the
	// resource of every notification (AEAD_AES_256_GCM). Required.
	APIv3Key string
	// PlatformPublicKeyID and PlatformPublicKey are the WeChat Pay public key
	// (微信支付公钥) and its id (PUB_KEY_ID_…). Set both or neither.
	PlatformPublicKeyID string
	PlatformPublicKey   *rsa.PublicKey
	// PlatformCertificates are WeChat Pay platform certificates (平台证书).
	// At least one of them or the public key is required.
	PlatformCertificates []*x509.Certificate
	// ReceiverTypes maps WeChat's profit-sharing receiver types
	// (MERCHANT_ID, PERSONAL_OPENID, PERSONAL_SUB_OPENID) to the types the
	// host's allocation receivers carry, e.g. {"MERCHANT_ID": "merchant_no"},
	// so the engine can match a receiver by type and account. A type absent
	// from the map is reported as WeChat spells it.
	ReceiverTypes map[string]string
	// HTTPClient sends the requests; nil means a client with DefaultTimeout.
	// The SDK has the gateway's host built in: a host that must reach it
	// through a proxy, or a test pointing it at an emulator, does so with
	// this client's Transport.
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
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: DefaultTimeout}
	}
	return cfg
}

// Validate reports whether cfg is usable. It returns an error wrapping
// paysync.ErrInvalidRequest naming the first bad field: a missing merchant
// id, serial number, private key or APIv3 key; an APIv3 key that is not 32
// bytes; a public key without its id or an id without its key; no public
// key and no certificate; a nil or non-RSA certificate; a receiver type
// mapped from or to an empty string.
func (cfg Config) Validate() error {
	const op = "wechatpay.Config.Validate"
	bad := func(format string, args ...any) error {
		return paysync.Ef(op, paysync.ErrInvalidRequest, fmt.Sprintf(format, args...), nil)
	}
	switch {
	case cfg.MchID == "":
		return bad("MchID is required")
	case cfg.MerchantSerialNo == "":
		return bad("MerchantSerialNo is required")
	case cfg.MerchantPrivateKey == nil:
		return bad("MerchantPrivateKey is required")
	case len(cfg.APIv3Key) != 32:
		return bad("APIv3Key must be 32 bytes, not %d", len(cfg.APIv3Key))
	case cfg.PlatformPublicKeyID == "" && cfg.PlatformPublicKey != nil:
		return bad("PlatformPublicKey is set without PlatformPublicKeyID")
	case cfg.PlatformPublicKeyID != "" && cfg.PlatformPublicKey == nil:
		return bad("PlatformPublicKeyID is set without PlatformPublicKey")
	case cfg.PlatformPublicKey == nil && len(cfg.PlatformCertificates) == 0:
		return bad("PlatformPublicKey or PlatformCertificates is required to verify WeChat Pay's answers")
	}
	for i, c := range cfg.PlatformCertificates {
		if c == nil {
			return bad("PlatformCertificates[%d] is nil", i)
		}
		if _, ok := c.PublicKey.(*rsa.PublicKey); !ok {
			return bad("PlatformCertificates[%d] does not hold an RSA key", i)
		}
	}
	for from, to := range cfg.ReceiverTypes {
		if from == "" || to == "" {
			return bad("ReceiverTypes maps %q to %q; neither may be empty", from, to)
		}
	}
	return nil
}
