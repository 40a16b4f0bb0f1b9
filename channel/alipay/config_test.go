package alipay_test

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/alipay"
)

// certificates issues, under a root the test makes, the app's and Alipay's
// certificates for the certificate mode.
type certificates struct {
	root, app, alipay *x509.Certificate
	rootPEM, appPEM   string
	alipayPEM         string
}

func issue(t *testing.T) certificates {
	t.Helper()
	keys := testKeys()
	mk := func(serial int64, cn string, pub *rsa.PublicKey, parent *x509.Certificate, signer *rsa.PrivateKey) (*x509.Certificate, string) {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			IsCA: parent == nil, BasicConstraintsValid: true}
		if parent == nil {
			parent = tmpl
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c, pemKey(t, "CERTIFICATE", der)
	}
	var cs certificates
	cs.root, cs.rootPEM = mk(1, "Ant Financial Certification Authority Class 2 R1", &keys.stranger.PublicKey, nil, keys.stranger)
	cs.app, cs.appPEM = mk(4001, testAppID, &keys.app.PublicKey, cs.root, keys.stranger)
	cs.alipay, cs.alipayPEM = mk(4002, "支付宝(中国)网络技术有限公司", &keys.alipay.PublicKey, cs.root, keys.stranger)
	return cs
}

// certSN is Alipay's serial of a certificate: MD5 of issuer and serial.
func certSN(c *x509.Certificate) string {
	sum := md5.Sum([]byte(c.Issuer.String() + c.SerialNumber.String()))
	return hex.EncodeToString(sum[:])
}

func TestConfigValidate(t *testing.T) {
	emu := newEmulator(t)
	cs := issue(t)
	pkcs1 := base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PrivateKey(testKeys().app))
	for _, tc := range []struct {
		name string
		edit func(*alipay.Config)
		ok   bool
	}{
		{"valid", func(*alipay.Config) {}, true},
		{"bare base64 PKCS#1 key", func(c *alipay.Config) { c.PrivateKey = pkcs1 }, true},
		{"certificate mode", func(c *alipay.Config) {
			c.AlipayPublicKey, c.AppCertificate, c.AlipayCertificate, c.AlipayRootCertificate = "", cs.appPEM, cs.alipayPEM, cs.rootPEM
		}, true},
		{"no seller (optional)", func(c *alipay.Config) { c.SellerID = "" }, true},
		{"default gateway", func(c *alipay.Config) { c.Gateway = "" }, true},
		{"no AppID", func(c *alipay.Config) { c.AppID = "" }, false},
		{"no private key", func(c *alipay.Config) { c.PrivateKey = "" }, false},
		{"private key not a key", func(c *alipay.Config) { c.PrivateKey = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" }, false},
		{"nothing to verify with", func(c *alipay.Config) { c.AlipayPublicKey = "" }, false},
		{"public key not a key", func(c *alipay.Config) { c.AlipayPublicKey = "not a key" }, false},
		{"both modes", func(c *alipay.Config) {
			c.AppCertificate, c.AlipayCertificate, c.AlipayRootCertificate = cs.appPEM, cs.alipayPEM, cs.rootPEM
		}, false},
		{"certificate mode without the root", func(c *alipay.Config) {
			c.AlipayPublicKey, c.AppCertificate, c.AlipayCertificate = "", cs.appPEM, cs.alipayPEM
		}, false},
		{"root certificate unreadable", func(c *alipay.Config) {
			c.AlipayPublicKey, c.AppCertificate, c.AlipayCertificate, c.AlipayRootCertificate = "", cs.appPEM, cs.alipayPEM, "garbage"
		}, false},
		{"gateway not a URL", func(c *alipay.Config) { c.Gateway = "openapi.alipay.com" }, false},
		{"empty receiver type", func(c *alipay.Config) { c.ReceiverTypes = map[string]string{"": "user_id"} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := emu.config(t)
			tc.edit(&cfg)
			err := cfg.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
			_, nerr := alipay.New(cfg)
			if (nerr == nil) != tc.ok {
				t.Fatalf("New() = %v, want ok=%v", nerr, tc.ok)
			}
			if !tc.ok && (!errors.Is(err, paysync.ErrInvalidRequest) || !errors.Is(nerr, paysync.ErrInvalidRequest)) {
				t.Errorf("errors must wrap ErrInvalidRequest: %v / %v", err, nerr)
			}
		})
	}
}

func TestNameDefaultsToDaxPaysCode(t *testing.T) {
	emu := newEmulator(t)
	if got := emu.channel(t).Name(); got != "ali_pay" {
		t.Errorf("Name() = %q", got)
	}
}

// In the certificate mode requests name the app's and the root's
// certificates, and answers name the Alipay certificate that signed them.
func TestCertificateMode(t *testing.T) {
	emu := newEmulator(t)
	cs := issue(t)
	cfg := emu.config(t)
	cfg.AlipayPublicKey, cfg.AppCertificate, cfg.AlipayCertificate, cfg.AlipayRootCertificate = "", cs.appPEM, cs.alipayPEM, cs.rootPEM
	c, err := alipay.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	emu.on(queryMethod, answer{biz: js(trade("TRADE_SUCCESS")), certSN: certSN(cs.alipay)})
	rep, err := c.QueryPay(context.Background(), payOrder())
	if err != nil || rep.State != channel.PaySuccess {
		t.Fatalf("QueryPay = %+v, %v", rep, err)
	}
	p := emu.received()[0].params
	if p.Get("app_cert_sn") != certSN(cs.app) || p.Get("alipay_root_cert_sn") != certSN(cs.root) {
		t.Errorf("app_cert_sn %q alipay_root_cert_sn %q", p.Get("app_cert_sn"), p.Get("alipay_root_cert_sn"))
	}
	emu.on(queryMethod, answer{biz: js(trade("TRADE_SUCCESS")), certSN: certSN(cs.alipay), signer: testKeys().stranger})
	if _, err := c.QueryPay(context.Background(), payOrder()); err == nil {
		t.Fatal("an answer signed by another key was accepted")
	}
}
