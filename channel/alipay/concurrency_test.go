package alipay_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/paysync/paysync/channel"
)

// The engine calls one adapter from many goroutines (the sweeper's
// concurrency); under -race this checks the adapter and the SDK share
// nothing unguarded, and that each call keeps its own raw answer.
func TestConcurrentCalls(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	emu.on(queryMethod, answer{biz: js(trade("TRADE_SUCCESS"))})
	emu.on(refundQueryMethod, answer{biz: js(refundAnswer(false))})
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				rep, err := c.QueryPay(context.Background(), payOrder())
				if err == nil && (rep.State != channel.PaySuccess || !strings.Contains(string(rep.Raw), "alipay_trade_query_response")) {
					t.Errorf("QueryPay = %q with Raw %s", rep.State, rep.Raw)
				}
				errs <- err
				return
			}
			rep, err := c.QueryRefund(context.Background(), refundOrder())
			if err == nil && (rep.State != channel.RefundNotFound || !strings.Contains(string(rep.Raw), "alipay_trade_fastpay_refund_query_response")) {
				t.Errorf("QueryRefund = %q with Raw %s", rep.State, rep.Raw)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
