package daxpay

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
)

const vectorTime = 1715500231 // reqTime of the pay vector

func TestDecodePay(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	han := strings.Repeat("支", 100) // 100 characters, 300 bytes
	tests := []struct {
		name    string
		body    string
		want    PayParams
		wantErr string // "" = accepted; else the message
	}{
		{name: "vector", body: `{"bizOrderNo":"P0001","clientIp":"127.0.0.1","nonceStr":"abc123","reqTime":1715500231,"sign":"s"}`,
			want: PayParams{Common: Common{ClientIP: "127.0.0.1", NonceStr: "abc123", Sign: "s", ReqTime: time.Unix(vectorTime, 0)}, BizOrderNo: "P0001"}},
		{name: "both numbers, appId", body: `{"appId":"A1","orderNo":"1001","bizOrderNo":"P0001","reqTime":"1715500231"}`,
			want: PayParams{Common: Common{AppID: "A1", ReqTime: time.Unix(vectorTime, 0)}, OrderNo: "1001", BizOrderNo: "P0001"}},
		{name: "datetime reqTime, IPv6", body: `{"orderNo":"1","clientIp":"::1","reqTime":"2024-05-12 15:50:31"}`,
			want: PayParams{Common: Common{ClientIP: "::1", ReqTime: time.Unix(vectorTime, 0)}, OrderNo: "1"}},
		{name: "nulls are absent", body: `{"orderNo":"1","bizOrderNo":null,"clientIp":null,"sign":null,"reqTime":1}`,
			want: PayParams{Common: Common{ReqTime: time.Unix(1, 0)}, OrderNo: "1"}},
		{name: "numeric sign kept as text", body: `{"orderNo":"1","sign":123,"reqTime":1}`,
			want: PayParams{Common: Common{Sign: "123", ReqTime: time.Unix(1, 0)}, OrderNo: "1"}},
		{name: "limits reached", body: `{"appId":"` + long(32) + `","nonceStr":"` + long(32) + `","orderNo":"` + long(32) + `","bizOrderNo":"` + han + `","reqTime":1}`,
			want: PayParams{Common: Common{AppID: long(32), NonceStr: long(32), ReqTime: time.Unix(1, 0)}, OrderNo: long(32), BizOrderNo: han}},
		{name: "signed text with <> and Chinese", body: `{"bizOrderNo":"P\u003c<>支付1","reqTime":1}`,
			want: PayParams{Common: Common{ReqTime: time.Unix(1, 0)}, BizOrderNo: "P<<>支付1"}},
		{name: "reqTime past int64 is far ahead", body: `{"orderNo":"1","reqTime":99999999999999999999}`,
			want: PayParams{Common: Common{ReqTime: time.Unix(maxEpoch, 0)}, OrderNo: "1"}},
		{name: "reqTime near 2^63 is far ahead", body: `{"orderNo":"1","reqTime":"9223372036854775807"}`,
			want: PayParams{Common: Common{ReqTime: time.Unix(maxEpoch, 0)}, OrderNo: "1"}},
		{name: "reqTime before -2^63 is far behind", body: `{"orderNo":"1","reqTime":-99999999999999999999}`,
			want: PayParams{Common: Common{ReqTime: time.Unix(-maxEpoch, 0)}, OrderNo: "1"}},

		{name: "no numbers", body: `{"reqTime":1}`, wantErr: "orderNo and bizOrderNo cannot both be empty"},
		{name: "empty numbers", body: `{"orderNo":"","bizOrderNo":"","reqTime":1}`, wantErr: "orderNo and bizOrderNo cannot both be empty"},
		{name: "no reqTime", body: `{"orderNo":"1"}`, wantErr: "reqTime is required"},
		{name: "null reqTime", body: `{"orderNo":"1","reqTime":null}`, wantErr: "reqTime is required"},
		{name: "orderNo too long", body: `{"orderNo":"` + long(33) + `","reqTime":1}`, wantErr: "orderNo is longer than 32 characters"},
		{name: "bizOrderNo too long", body: `{"bizOrderNo":"` + han + `x","reqTime":1}`, wantErr: "bizOrderNo is longer than 100 characters"},
		{name: "nonceStr too long", body: `{"orderNo":"1","nonceStr":"` + long(33) + `","reqTime":1}`, wantErr: "nonceStr is longer than 32 characters"},
		{name: "appId too long", body: `{"orderNo":"1","appId":"` + long(33) + `","reqTime":1}`, wantErr: "appId is longer than 32 characters"},
		{name: "clientIp too long", body: `{"orderNo":"1","clientIp":"` + long(65) + `","reqTime":1}`, wantErr: "clientIp is longer than 64 characters"},
		{name: "orderNo a number", body: `{"orderNo":1001,"reqTime":1}`, wantErr: "orderNo must be a string"},
		{name: "clientIp not an IP", body: `{"orderNo":"1","clientIp":"localhost","reqTime":1}`, wantErr: "clientIp is not an IPv4 or IPv6 address"},
		{name: "clientIp leading zeros", body: `{"orderNo":"1","clientIp":"127.000.000.001","reqTime":1}`, wantErr: "clientIp is not an IPv4 or IPv6 address"},
		{name: "clientIp with zone", body: `{"orderNo":"1","clientIp":"fe80::1%eth0","reqTime":1}`, wantErr: "clientIp is not an IPv4 or IPv6 address"},
		{name: "clientIp with port", body: `{"orderNo":"1","clientIp":"127.0.0.1:80","reqTime":1}`, wantErr: "clientIp is not an IPv4 or IPv6 address"},
		{name: "reqTime fraction", body: `{"orderNo":"1","reqTime":1.5}`, wantErr: "reqTime must be epoch seconds or yyyy-MM-dd HH:mm:ss"},
		{name: "reqTime exponent", body: `{"orderNo":"1","reqTime":1e9}`, wantErr: "reqTime must be epoch seconds or yyyy-MM-dd HH:mm:ss"},
		{name: "reqTime bool", body: `{"orderNo":"1","reqTime":true}`, wantErr: "reqTime must be epoch seconds or yyyy-MM-dd HH:mm:ss"},
		{name: "reqTime ISO", body: `{"orderNo":"1","reqTime":"2024-05-12T15:50:31"}`, wantErr: "reqTime must be epoch seconds or yyyy-MM-dd HH:mm:ss"},
		{name: "reqTime with fraction", body: `{"orderNo":"1","reqTime":"2024-05-12 15:50:31.5"}`, wantErr: "reqTime must be epoch seconds or yyyy-MM-dd HH:mm:ss"},
		{name: "reqTime one-digit hour", body: `{"orderNo":"1","reqTime":"2024-05-12 5:50:31"}`, wantErr: "reqTime must be epoch seconds or yyyy-MM-dd HH:mm:ss"},
		{name: "reqTime exponent past int64", body: `{"orderNo":"1","reqTime":1e400}`, wantErr: "reqTime must be epoch seconds or yyyy-MM-dd HH:mm:ss"},
		{name: "orderNo with &", body: `{"orderNo":"1&x","reqTime":1}`, wantErr: `orderNo holds a character the signature cannot bind (" \ & = or a control character)`},
		{name: "reqTime empty string", body: `{"orderNo":"1","reqTime":""}`, wantErr: "reqTime must be epoch seconds or yyyy-MM-dd HH:mm:ss"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePay([]byte(tt.body), nil)
			if tt.wantErr != "" {
				if !errors.Is(err, paysync.ErrInvalidRequest) || paysync.ErrorMessage(err) != tt.wantErr {
					t.Fatalf("err = %v, want ErrInvalidRequest %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.Fields = nil // covered by TestObjectFields
			if !got.ReqTime.Equal(tt.want.ReqTime) {
				t.Fatalf("ReqTime = %v, want %v", got.ReqTime, tt.want.ReqTime)
			}
			got.ReqTime, tt.want.ReqTime = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
	for _, body := range []string{`{"orderNo":"1","reqTime":1`, `{"orderNo":"1","reqTime":{}}`} {
		if _, err := DecodePay([]byte(body), nil); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%s: err = %v, want ErrMalformed", body, err)
		}
	}
}

func TestDecodePayLocation(t *testing.T) {
	body := []byte(`{"orderNo":"1","reqTime":"2024-05-12 07:50:31"}`)
	p, err := DecodePay(body, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if !p.ReqTime.Equal(time.Unix(vectorTime, 0)) {
		t.Fatalf("ReqTime in UTC = %v", p.ReqTime)
	}
}

func TestDecodeAllocation(t *testing.T) {
	tests := []struct {
		name            string
		body            string
		wantNo, wantBiz string
		wantErr         string
	}{
		{name: "seed names", body: `{"allocationNo":"2001","bizAllocationNo":"A0001","reqTime":1}`, wantNo: "2001", wantBiz: "A0001"},
		{name: "SDK names", body: `{"allocNo":"2001","bizAllocNo":"A0001","reqTime":1}`, wantNo: "2001", wantBiz: "A0001"},
		{name: "same value under both names", body: `{"allocationNo":"2001","allocNo":"2001","reqTime":1}`, wantNo: "2001"},
		{name: "alias fills a blank name", body: `{"allocationNo":"","allocNo":"2001","reqTime":1}`, wantNo: "2001"},
		{name: "biz only", body: `{"bizAllocNo":"A0001","reqTime":1}`, wantBiz: "A0001"},
		{name: "names differ", body: `{"allocationNo":"2001","allocNo":"2002","reqTime":1}`, wantErr: "allocationNo and allocNo differ"},
		{name: "biz names differ", body: `{"bizAllocationNo":"A1","bizAllocNo":"A2","reqTime":1}`, wantErr: "bizAllocationNo and bizAllocNo differ"},
		{name: "none", body: `{"reqTime":1}`, wantErr: "allocationNo and bizAllocationNo cannot both be empty"},
		{name: "allocNo too long", body: `{"allocNo":"` + strings.Repeat("1", 33) + `","reqTime":1}`, wantErr: "allocNo is longer than 32 characters"},
		{name: "bizAllocationNo too long", body: `{"bizAllocationNo":"` + strings.Repeat("1", 101) + `","reqTime":1}`, wantErr: "bizAllocationNo is longer than 100 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeAllocation([]byte(tt.body), nil)
			if tt.wantErr != "" {
				if !errors.Is(err, paysync.ErrInvalidRequest) || paysync.ErrorMessage(err) != tt.wantErr {
					t.Fatalf("err = %v, want ErrInvalidRequest %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.AllocationNo != tt.wantNo || got.BizAllocationNo != tt.wantBiz {
				t.Fatalf("got %q/%q, want %q/%q", got.AllocationNo, got.BizAllocationNo, tt.wantNo, tt.wantBiz)
			}
		})
	}
}

func TestCheckReqTime(t *testing.T) {
	now := time.Unix(vectorTime, 0)
	w := 5 * time.Minute
	tests := []struct {
		name    string
		reqTime time.Time
		wantMsg string
	}{
		{"now", now, ""},
		{"exactly window old", now.Add(-w), ""},
		{"exactly window ahead", now.Add(w), ""},
		{"one second too old", now.Add(-w - time.Second), "请求已过期，请重新发送！"},
		{"one second too far ahead", now.Add(w + time.Second), "请求时间晚于服务器接收到的时间，请检查"},
		{"epoch zero", time.Unix(0, 0), "请求已过期，请重新发送！"},
		{"far future", time.Unix(maxEpoch, 0), "请求时间晚于服务器接收到的时间，请检查"},
		{"far past", time.Unix(-maxEpoch, 0), "请求已过期，请重新发送！"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkReqTime(now, tt.reqTime, w)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, paysync.ErrInvalidRequest) || paysync.ErrorMessage(err) != tt.wantMsg {
				t.Fatalf("err = %v, want %q", err, tt.wantMsg)
			}
		})
	}
}

// The field rules of the refund and transfer endpoints, one table for both:
// each number at most 100 characters, one of the two required, both kept
// (the engine lets the system number win), strings only; the other
// endpoints' numbers do not stand in for them.
func TestDecodeRefundTransfer(t *testing.T) {
	type numbers struct{ no, biz string }
	decoders := []struct {
		no, biz string // the field names
		decode  func([]byte) (numbers, error)
	}{
		{"refundNo", "bizRefundNo", func(b []byte) (numbers, error) {
			p, err := DecodeRefund(b, nil)
			return numbers{p.RefundNo, p.BizRefundNo}, err
		}},
		{"transferNo", "bizTransferNo", func(b []byte) (numbers, error) {
			p, err := DecodeTransfer(b, nil)
			return numbers{p.TransferNo, p.BizTransferNo}, err
		}},
	}
	han100 := strings.Repeat("退", 100) // 100 characters, 300 bytes
	x100 := strings.Repeat("x", 100)
	tests := []struct {
		name    string
		body    string // NO and BIZ stand for the endpoint's field names
		want    numbers
		wantErr string // NO and BIZ replaced too
	}{
		{name: "system number", body: `{"NO":"3001","reqTime":1}`, want: numbers{no: "3001"}},
		{name: "merchant number", body: `{"BIZ":"R0001","reqTime":1}`, want: numbers{biz: "R0001"}},
		{name: "both, both kept", body: `{"NO":"3001","BIZ":"R0002","reqTime":1}`, want: numbers{"3001", "R0002"}},
		{name: "empty system number, merchant number", body: `{"NO":"","BIZ":"R0001","reqTime":1}`, want: numbers{biz: "R0001"}},
		{name: "null system number", body: `{"NO":null,"BIZ":"R0001","reqTime":1}`, want: numbers{biz: "R0001"}},
		{name: "100 characters each", body: `{"NO":"` + x100 + `","BIZ":"` + han100 + `","reqTime":1}`, want: numbers{x100, han100}},
		{name: "33 characters, over pay's 32", body: `{"NO":"` + strings.Repeat("1", 33) + `","reqTime":1}`, want: numbers{no: strings.Repeat("1", 33)}},
		{name: "escaped text", body: `{"NO":"R\u00e9<1>","reqTime":1}`, want: numbers{no: "Ré<1>"}},

		{name: "no numbers", body: `{"reqTime":1}`, wantErr: "NO and BIZ cannot both be empty"},
		{name: "empty numbers", body: `{"NO":"","BIZ":"","reqTime":1}`, wantErr: "NO and BIZ cannot both be empty"},
		{name: "null numbers", body: `{"NO":null,"BIZ":null,"reqTime":1}`, wantErr: "NO and BIZ cannot both be empty"},
		{name: "pay numbers do not count", body: `{"orderNo":"1005","bizOrderNo":"P0005","reqTime":1}`, wantErr: "NO and BIZ cannot both be empty"},
		{name: "system number 101 characters", body: `{"NO":"` + x100 + `x","reqTime":1}`, wantErr: "NO is longer than 100 characters"},
		{name: "merchant number 101 characters", body: `{"BIZ":"` + han100 + `退","reqTime":1}`, wantErr: "BIZ is longer than 100 characters"},
		{name: "system number a number", body: `{"NO":3001,"reqTime":1}`, wantErr: "NO must be a string"},
		{name: "merchant number a boolean", body: `{"NO":"3001","BIZ":true,"reqTime":1}`, wantErr: "BIZ must be a string"},
		{name: "no reqTime", body: `{"NO":"3001"}`, wantErr: "reqTime is required"},
		{name: "bad clientIp", body: `{"NO":"3001","clientIp":"::1%lo","reqTime":1}`, wantErr: "clientIp is not an IPv4 or IPv6 address"},
		{name: "nonceStr too long", body: `{"NO":"3001","nonceStr":"` + strings.Repeat("n", 33) + `","reqTime":1}`, wantErr: "nonceStr is longer than 32 characters"},
		{name: "& in the number", body: `{"NO":"3001&BIZ=R0002","reqTime":1}`, wantErr: `NO holds a character the signature cannot bind (" \ & = or a control character)`},
	}
	for _, d := range decoders {
		names := strings.NewReplacer("BIZ", d.biz, "NO", d.no)
		for _, tt := range tests {
			t.Run(d.no+"/"+tt.name, func(t *testing.T) {
				got, err := d.decode([]byte(names.Replace(tt.body)))
				if tt.wantErr != "" {
					want := names.Replace(tt.wantErr)
					if !errors.Is(err, paysync.ErrInvalidRequest) || paysync.ErrorMessage(err) != want {
						t.Fatalf("err = %v, want ErrInvalidRequest %q", err, want)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
			})
		}
		for _, body := range []string{`{"NO":"1","reqTime":1`, `{"NO":"1","reqTime":{}}`, `{"NO":["1"],"reqTime":1}`} {
			if _, err := d.decode([]byte(names.Replace(body))); !errors.Is(err, ErrMalformed) {
				t.Fatalf("%s: err = %v, want ErrMalformed", body, err)
			}
		}
	}
}

// The common fields decode on the refund and transfer endpoints as on pay.
func TestDecodeRefundTransferCommon(t *testing.T) {
	const common = `"appId":"A1","clientIp":"::1","nonceStr":"n1","reqTime":"2024-05-12 15:50:31","sign":"s"}`
	want := Common{AppID: "A1", ClientIP: "::1", NonceStr: "n1", Sign: "s"}
	r, err := DecodeRefund([]byte(`{"refundNo":"3001",`+common), nil)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := DecodeTransfer([]byte(`{"bizTransferNo":"T0001",`+common), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Common{r.Common, tr.Common} {
		if !c.ReqTime.Equal(time.Unix(vectorTime, 0)) {
			t.Fatalf("ReqTime = %v", c.ReqTime)
		}
		if len(c.Fields) != 5 || c.Fields["sign"] != "" || c.Fields["reqTime"] != "2024-05-12 15:50:31" {
			t.Fatalf("Fields = %v", c.Fields)
		}
		c.ReqTime, c.Fields = time.Time{}, nil
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("got %+v, want %+v", c, want)
		}
	}
}
