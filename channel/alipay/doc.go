// Package alipay is the Alipay OpenAPI adapter of paysync, built on
// github.com/smartwalle/alipay/v3. It implements channel.Channel,
// channel.PayCloser, channel.AllocationQuerier and channel.RefundQuerier
// with the mapping tables of docs/channel.md, and parses Alipay's trade and
// refund notifications into reports for the engine.
//
// The numbers it sends: out_trade_no = PayOrder.OrderNo; out_request_no =
// RefundOrder.RefundNo (with the pay order's OrderNo as out_trade_no);
// settlement out_request_no = AllocationNo with the pay order's OutOrderNo
// as trade_no. Amounts are read exactly from Alipay's yuan strings.
//
// Only answers whose RSA2 signature verifies are given a meaning: a
// failure Alipay reports in error_response, or an answer without a sign, is
// an error whatever its sub_code says. Anything unsigned, malformed or
// unmapped is an error, which the engine treats as "unknown" and which
// changes nothing.
//
// Wiring it into a host:
//
//	ali, err := alipay.New(alipay.Config{
//		AppID:           "2021000000000001",
//		PrivateKey:      os.Getenv("ALIPAY_APP_PRIVATE_KEY"),
//		AlipayPublicKey: os.Getenv("ALIPAY_PUBLIC_KEY"),
//		SellerID:        "2088000000000001",
//	})
//	if err != nil { … }
//	s, err := syncer.New(syncer.Config{Store: store, Channels: channel.NewRegistry(ali)})
//
//	// The notify_url handler:
//	http.HandleFunc("/notify/alipay", func(w http.ResponseWriter, r *http.Request) {
//		n, err := ali.ParseNotification(r.Context(), r)
//		if err != nil {
//			http.Error(w, "refused", http.StatusBadRequest) // Alipay sends it again
//			return
//		}
//		switch n.Kind {
//		case alipay.KindPay:
//			_, err = s.ApplyPayNotification(r.Context(), n.OrderNo, n.Pay, paysync.SourceCallback)
//		case alipay.KindRefund:
//			// s.ApplyRefundNotification(r.Context(), n.RefundNo, n.Refund, paysync.SourceCallback)
//		}
//		if err != nil {
//			http.Error(w, "retry", http.StatusInternalServerError)
//			return
//		}
//		io.WriteString(w, "success") // what Alipay waits for
//	})
package alipay
