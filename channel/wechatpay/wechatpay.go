package wechatpay

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/validators"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/notify"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/native"
	"github.com/wechatpay-apiv3/wechatpay-go/services/profitsharing"
	"github.com/wechatpay-apiv3/wechatpay-go/services/refunddomestic"
)

// The capabilities the engine finds by type assertion.
var (
	_ channel.Channel           = (*Channel)(nil)
	_ channel.PayCloser         = (*Channel)(nil)
	_ channel.AllocationQuerier = (*Channel)(nil)
	_ channel.RefundQuerier     = (*Channel)(nil)
)

// Channel is the WeChat Pay APIv3 adapter. It is safe for concurrent use.
type Channel struct {
	cfg Config
	// answers checks the signature of error answers, which the SDK passes on
	// unchecked; an error answer means something here only when it is signed.
	answers *validators.WechatPayResponseValidator
	// Query and close by out_trade_no are one endpoint for every product
	// (JSAPI, Native, App, H5); the Native service is used for all of them.
	pay     native.NativeApiService
	refunds refunddomestic.RefundsApiService
	sharing profitsharing.OrdersApiService
	notices *notify.Handler
}

// New returns an adapter configured by cfg. It returns an error wrapping
// paysync.ErrInvalidRequest when cfg does not pass Validate or the SDK
// refuses it. New makes no call to the gateway.
func New(cfg Config) (*Channel, error) {
	const op = "wechatpay.New"
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	verifier := platformVerifier(cfg)
	client, err := core.NewClient(context.Background(),
		option.WithMerchantCredential(cfg.MchID, cfg.MerchantSerialNo, cfg.MerchantPrivateKey),
		option.WithVerifier(verifier),
		option.WithHTTPClient(cfg.HTTPClient),
	)
	if err != nil {
		return nil, paysync.E(op, paysync.ErrInvalidRequest, err)
	}
	notices, err := notify.NewRSANotifyHandler(cfg.APIv3Key, verifier)
	if err != nil {
		return nil, paysync.E(op, paysync.ErrInvalidRequest, err)
	}
	return &Channel{
		cfg:     cfg,
		answers: validators.NewWechatPayResponseValidator(verifier),
		pay:     native.NativeApiService{Client: client},
		refunds: refunddomestic.RefundsApiService{Client: client},
		sharing: profitsharing.OrdersApiService{Client: client},
		notices: notices,
	}, nil
}

// platformVerifier checks signatures with the public key, the certificates,
// or both (the serial a message names picks one).
func platformVerifier(cfg Config) auth.Verifier {
	certs := core.NewCertificateMapWithList(cfg.PlatformCertificates)
	switch {
	case cfg.PlatformPublicKey == nil:
		return verifiers.NewSHA256WithRSAVerifier(certs)
	case len(cfg.PlatformCertificates) == 0:
		return verifiers.NewSHA256WithRSAPubkeyVerifier(cfg.PlatformPublicKeyID, *cfg.PlatformPublicKey)
	default:
		return verifiers.NewSHA256WithRSACombinedVerifier(certs, cfg.PlatformPublicKeyID, *cfg.PlatformPublicKey)
	}
}

// Name returns Config.Name, or DefaultName when it was empty.
func (c *Channel) Name() string { return c.cfg.Name }
