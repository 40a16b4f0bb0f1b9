package alipay_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/paysync/paysync/channel"
)

const closeMethod = "alipay.trade.close"

func TestClosePay(t *testing.T) {
	closed := `{"code":"10000","msg":"Success","trade_no":"202401012200140000000001001","out_trade_no":"1001"}`
	statusError := `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_STATUS_ERROR","sub_msg":"交易状态不合法"}`
	notExist := `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`
	for _, tc := range []struct {
		name   string
		answer answer
		want   error // nil and !unknown: closed; otherwise the sentinel the error must wrap
		// unknown: an error that wraps none of ErrAlreadyPaid and
		// ErrTradeNotExist, so the engine leaves the order as it is.
		unknown bool
	}{
		{name: "closed", answer: answer{biz: closed}},
		{name: "ACQ.TRADE_STATUS_ERROR", answer: answer{biz: statusError}, want: channel.ErrAlreadyPaid},
		{name: "ACQ.TRADE_NOT_EXIST", answer: answer{biz: notExist}, want: channel.ErrTradeNotExist},
		{name: "40005", answer: answer{biz: `{"code":"40005","msg":"Call Limited"}`}, want: channel.ErrRateLimited, unknown: true},
		{name: "HTTP 429", answer: answer{status: http.StatusTooManyRequests, raw: "x"}, want: channel.ErrRateLimited, unknown: true},
		{name: "system error", answer: answer{biz: `{"code":"20000","msg":"Service Currently Unavailable","sub_code":"ACQ.SYSTEM_ERROR"}`}, unknown: true},
		{name: "HTTP 503", answer: answer{status: http.StatusServiceUnavailable, raw: "x"}, unknown: true},
		{name: "garbage", answer: answer{raw: "{"}, unknown: true},
		{name: "closed, unsigned", answer: answer{biz: closed, unsigned: true}, unknown: true},
		{name: "closed, signed by a stranger", answer: answer{biz: closed, signer: testKeys().stranger}, unknown: true},
		{name: "closed, another trade", answer: answer{biz: `{"code":"10000","msg":"Success","out_trade_no":"1002"}`}, unknown: true},
		{name: "not exist, unsigned", answer: answer{biz: notExist, unsigned: true}, unknown: true},
		{name: "not exist, as error_response", answer: answer{raw: `{"error_response":` + notExist + `}`}, unknown: true},
		{name: "status error, signed by a stranger", answer: answer{biz: statusError, signer: testKeys().stranger}, unknown: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			emu.on(closeMethod, tc.answer)
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
			if len(calls) != 1 || calls[0].biz["out_trade_no"] != "1001" {
				t.Errorf("close must send OrderNo as out_trade_no: %+v", calls)
			}
		})
	}
}
