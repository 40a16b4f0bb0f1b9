package wechatpay_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/wechatpay"
)

func TestConfigValidate(t *testing.T) {
	emu := newEmulator(t)
	for _, tc := range []struct {
		name string
		edit func(*wechatpay.Config)
		ok   bool
	}{
		{"valid", func(*wechatpay.Config) {}, true},
		{"certificates instead of the public key", func(c *wechatpay.Config) {
			c.PlatformPublicKeyID, c.PlatformPublicKey = "", nil
			c.PlatformCertificates = []*x509.Certificate{platformCertificate(t)}
		}, true},
		{"certificates and the public key", func(c *wechatpay.Config) {
			c.PlatformCertificates = []*x509.Certificate{platformCertificate(t)}
		}, true},
		{"no AppID (optional)", func(c *wechatpay.Config) { c.AppID = "" }, true},
		{"no MchID", func(c *wechatpay.Config) { c.MchID = "" }, false},
		{"no serial", func(c *wechatpay.Config) { c.MerchantSerialNo = "" }, false},
		{"no private key", func(c *wechatpay.Config) { c.MerchantPrivateKey = nil }, false},
		{"no APIv3 key", func(c *wechatpay.Config) { c.APIv3Key = "" }, false},
		{"short APIv3 key", func(c *wechatpay.Config) { c.APIv3Key = "0123456789" }, false},
		{"public key without id", func(c *wechatpay.Config) { c.PlatformPublicKeyID = "" }, false},
		{"id without public key", func(c *wechatpay.Config) { c.PlatformPublicKey = nil }, false},
		{"nothing to verify with", func(c *wechatpay.Config) { c.PlatformPublicKeyID, c.PlatformPublicKey = "", nil }, false},
		{"nil certificate", func(c *wechatpay.Config) { c.PlatformCertificates = []*x509.Certificate{nil} }, false},
		{"empty receiver type", func(c *wechatpay.Config) { c.ReceiverTypes = map[string]string{"MERCHANT_ID": ""} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := emu.config()
			tc.edit(&cfg)
			err := cfg.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
			_, nerr := wechatpay.New(cfg)
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
	if got := emu.channel(t).Name(); got != "wechat_pay" {
		t.Errorf("Name() = %q", got)
	}
	cfg := emu.config()
	cfg.Name = "wechat_mini"
	c, err := wechatpay.New(cfg)
	if err != nil || c.Name() != "wechat_mini" {
		t.Errorf("Name() = %q, %v", c.Name(), err)
	}
}

// Merchants still on platform certificates, or moving to the public key
// with both configured, verify answers by the serial the answer names.
func TestVerifiesWithPlatformCertificates(t *testing.T) {
	cert := platformCertificate(t)
	certSerial := fmt.Sprintf("%X", cert.SerialNumber.Bytes())
	for _, tc := range []struct {
		name      string
		publicKey bool
		serial    string
	}{
		{"certificates only", false, certSerial},
		{"both, answer names the certificate", true, certSerial},
		{"both, answer names the public key", true, testKeyID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			emu.serial = tc.serial
			cfg := emu.config()
			cfg.PlatformCertificates = []*x509.Certificate{cert}
			if !tc.publicKey {
				cfg.PlatformPublicKeyID, cfg.PlatformPublicKey = "", nil
			}
			c, err := wechatpay.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			emu.on(http.MethodGet, payPath, answer{status: http.StatusOK, body: js(trade("SUCCESS"))})
			rep, err := c.QueryPay(context.Background(), payOrder())
			if err != nil || rep.State != channel.PaySuccess {
				t.Fatalf("QueryPay = %+v, %v", rep.State, err)
			}
			emu.on(http.MethodGet, payPath, answer{status: http.StatusOK, body: js(trade("SUCCESS")), signer: testKeys().stranger})
			if _, err := c.QueryPay(context.Background(), payOrder()); err == nil {
				t.Fatal("an answer signed by another key was accepted")
			}
		})
	}
}
