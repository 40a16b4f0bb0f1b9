package wechatpay_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/paysync/paysync/channel"
)

const closePath = "/v3/pay/transactions/out-trade-no/1001/close"

func TestClosePay(t *testing.T) {
	orderPaid := `{"code":"ORDERPAID","message":"订单已支付"}`
	notExist := `{"code":"ORDER_NOT_EXIST","message":"订单不存在"}`
	for _, tc := range []struct {
		name   string
		answer answer
		want   error // nil: closed; otherwise the sentinel the error must wrap
		// unknown: an error that must wrap none of ErrAlreadyPaid and
		// ErrTradeNotExist (the engine must not act on it).
		unknown bool
	}{
		{name: "204 closed", answer: answer{status: http.StatusNoContent}},
		{name: "ORDERPAID", answer: answer{status: http.StatusBadRequest, body: orderPaid}, want: channel.ErrAlreadyPaid},
		{name: "ORDER_NOT_EXIST", answer: answer{status: http.StatusNotFound, body: notExist}, want: channel.ErrTradeNotExist},
		{name: "FREQUENCY_LIMITED", answer: answer{status: http.StatusTooManyRequests, body: `{"code":"FREQUENCY_LIMITED","message":"x"}`}, want: channel.ErrRateLimited, unknown: true},
		{name: "500", answer: answer{status: http.StatusInternalServerError, body: `{"code":"SYSTEM_ERROR","message":"x"}`}, unknown: true},
		{name: "garbage 502", answer: answer{status: http.StatusBadGateway, body: "<html>", unsigned: true}, unknown: true},
		{name: "ORDER_NOT_EXIST unsigned", answer: answer{status: http.StatusNotFound, body: notExist, unsigned: true}, unknown: true},
		{name: "ORDERPAID signed by a stranger", answer: answer{status: http.StatusBadRequest, body: orderPaid, signer: testKeys().stranger}, unknown: true},
		{name: "204 unsigned", answer: answer{status: http.StatusNoContent, unsigned: true}, unknown: true},
		{name: "204 signed by a stranger", answer: answer{status: http.StatusNoContent, signer: testKeys().stranger}, unknown: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			emu.on(http.MethodPost, closePath, tc.answer)
			err := c.ClosePay(context.Background(), payOrder())
			switch {
			case tc.want == nil && !tc.unknown:
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("err = %v, want it to wrap %v", err, tc.want)
			case tc.unknown && (err == nil || errors.Is(err, channel.ErrAlreadyPaid) || errors.Is(err, channel.ErrTradeNotExist)):
				t.Fatalf("err = %v, want an unknown outcome", err)
			}
			calls := emu.received()
			var sent struct{ Mchid string }
			if len(calls) != 1 || json.Unmarshal([]byte(calls[0].body), &sent) != nil || sent.Mchid != testMchID {
				t.Errorf("close must send the merchant id: %+v", calls)
			}
		})
	}
}
