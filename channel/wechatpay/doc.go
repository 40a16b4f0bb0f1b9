// Package wechatpay is the WeChat Pay APIv3 adapter of paysync, built on
// WeChat's own SDK (github.com/wechatpay-apiv3/wechatpay-go). It implements
// channel.Channel, channel.PayCloser, channel.AllocationQuerier and
// channel.RefundQuerier with the mapping tables of docs/channel.md, and
// parses WeChat's payment and refund notifications into reports for the
// engine.
//
// The numbers it sends: out_trade_no = PayOrder.OrderNo; out_refund_no =
// RefundOrder.RefundNo; profit-sharing out_order_no = AllocationNo with the
// pay order's OutOrderNo as transaction_id. Money arrives in fen and is
// converted to yuan exactly.
//
// Every answer the adapter gives a meaning is signed by WeChat Pay: the SDK
// checks the signature of 2xx answers, and the adapter checks error answers
// ("not found", "already paid") itself before it maps them, since they close
// orders too. Anything unsigned, malformed or unmapped is an error, which
// the engine treats as "unknown" and which changes nothing.
//
// Wiring it into a host:
//
//	key, _ := utils.LoadPrivateKeyWithPath("apiclient_key.pem")   // wechatpay-go/utils
//	pub, _ := utils.LoadPublicKeyWithPath("pub_key.pem")
//	wx, err := wechatpay.New(wechatpay.Config{
//		MchID:               "1900000109",
//		AppID:               "wxd678efh567hg6787",
//		MerchantSerialNo:    "5157F09EFDC096DE15EBE81A47057A72********",
//		MerchantPrivateKey:  key,
//		APIv3Key:            os.Getenv("WECHATPAY_APIV3_KEY"),
//		PlatformPublicKeyID: "PUB_KEY_ID_0114232134912410000000000000",
//		PlatformPublicKey:   pub,
//	})
//	if err != nil { … }
//	s, err := syncer.New(syncer.Config{Store: store, Channels: channel.NewRegistry(wx)})
//
//	// The notify_url handler:
//	http.HandleFunc("/notify/wechat", func(w http.ResponseWriter, r *http.Request) {
//		n, err := wx.ParseNotification(r.Context(), r)
//		if err != nil {
//			http.Error(w, "refused", http.StatusBadRequest) // WeChat sends it again
//			return
//		}
//		switch n.Kind {
//		case wechatpay.KindPay:
//			_, err = s.ApplyPayNotification(r.Context(), n.OrderNo, n.Pay, paysync.SourceCallback)
//		case wechatpay.KindRefund:
//			// s.ApplyRefundNotification(r.Context(), n.RefundNo, n.Refund, paysync.SourceCallback)
//		}
//		if err != nil {
//			http.Error(w, "retry", http.StatusInternalServerError)
//			return
//		}
//		w.WriteHeader(http.StatusNoContent)
//	})
package wechatpay
