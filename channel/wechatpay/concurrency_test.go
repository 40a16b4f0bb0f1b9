package wechatpay_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/paysync/paysync/channel"
)

// The engine calls one adapter from many goroutines (the sweeper's
// concurrency); under -race this checks the adapter and the SDK share
// nothing unguarded, and that each call gets its own answer.
func TestConcurrentCalls(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	emu.on(http.MethodGet, payPath, answer{status: http.StatusOK, body: js(trade("SUCCESS"))})
	emu.on(http.MethodGet, refundPath, answer{status: http.StatusOK, body: js(refundAnswer("PROCESSING"))})
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				rep, err := c.QueryPay(context.Background(), payOrder())
				if err == nil && rep.State != channel.PaySuccess {
					t.Errorf("QueryPay state %q", rep.State)
				}
				errs <- err
				return
			}
			rep, err := c.QueryRefund(context.Background(), refundOrder())
			if err == nil && rep.State != channel.RefundProgress {
				t.Errorf("QueryRefund state %q", rep.State)
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
