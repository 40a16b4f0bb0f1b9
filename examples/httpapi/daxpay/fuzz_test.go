package daxpay

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/paysync/paysync"
)

// FuzzDecodeRequest: decoding never panics, every refusal is a paysync
// invalid error, and anything accepted, once signed with SignBody, decodes
// to the same request whose sign verifies — the text the client signs is
// the text the server checks.
func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(vectorPay))
	f.Add([]byte(`{"allocNo":"A2024061200001","reqTime":1718000000}`))
	f.Add([]byte(`{"refundNo":"3001","bizRefundNo":"R0001","nonceStr":"n1","reqTime":1718000000}`))
	f.Add([]byte(`{"bizTransferNo":"T0001","clientIp":"::1","reqTime":"2024-06-10 14:13:20"}`))
	s := Signer{Type: HMACSHA256, Secret: "123456"}
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := DecodeObject(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) || paysync.ErrorCode(err) != paysync.CodeInvalid {
				t.Fatalf("DecodeObject err = %v, want ErrMalformed", err)
			}
		} else {
			again, err := DecodeObject(o.Encode())
			if err != nil {
				t.Fatalf("Encode output does not decode: %v\n%s", err, o.Encode())
			}
			if !maps.Equal(again.Fields(), o.Fields()) {
				t.Fatalf("Encode changed the fields:\n%v\n%v", o.Fields(), again.Fields())
			}
		}

		if p, err := DecodePay(body, nil); checkRefusal(t, err) {
			resigned, err := s.SignBody(body)
			if err != nil {
				t.Fatalf("SignBody of an accepted body: %v", err)
			}
			q, err := DecodePay(resigned, nil)
			if err != nil {
				t.Fatalf("re-signed body refused: %v\n%s", err, resigned)
			}
			checkSame(t, s, p.Common, q.Common)
			if p.OrderNo != q.OrderNo || p.BizOrderNo != q.BizOrderNo {
				t.Fatalf("numbers changed: %+v / %+v", p, q)
			}
		}
		if p, err := DecodeAllocation(body, nil); checkRefusal(t, err) {
			resigned, err := s.SignBody(body)
			if err != nil {
				t.Fatalf("SignBody of an accepted body: %v", err)
			}
			q, err := DecodeAllocation(resigned, nil)
			if err != nil {
				t.Fatalf("re-signed body refused: %v\n%s", err, resigned)
			}
			checkSame(t, s, p.Common, q.Common)
			if p.AllocationNo != q.AllocationNo || p.BizAllocationNo != q.BizAllocationNo {
				t.Fatalf("numbers changed: %+v / %+v", p, q)
			}
		}
		if p, err := DecodeRefund(body, nil); checkRefusal(t, err) {
			resigned, err := s.SignBody(body)
			if err != nil {
				t.Fatalf("SignBody of an accepted body: %v", err)
			}
			q, err := DecodeRefund(resigned, nil)
			if err != nil {
				t.Fatalf("re-signed body refused: %v\n%s", err, resigned)
			}
			checkSame(t, s, p.Common, q.Common)
			if p.RefundNo != q.RefundNo || p.BizRefundNo != q.BizRefundNo {
				t.Fatalf("numbers changed: %+v / %+v", p, q)
			}
		}
		if p, err := DecodeTransfer(body, nil); checkRefusal(t, err) {
			resigned, err := s.SignBody(body)
			if err != nil {
				t.Fatalf("SignBody of an accepted body: %v", err)
			}
			q, err := DecodeTransfer(resigned, nil)
			if err != nil {
				t.Fatalf("re-signed body refused: %v\n%s", err, resigned)
			}
			checkSame(t, s, p.Common, q.Common)
			if p.TransferNo != q.TransferNo || p.BizTransferNo != q.BizTransferNo {
				t.Fatalf("numbers changed: %+v / %+v", p, q)
			}
		}
	})
}

// checkRefusal fails t unless err is nil or a paysync invalid error with a
// message; it reports whether the body was accepted.
func checkRefusal(t *testing.T, err error) bool {
	t.Helper()
	if err == nil {
		return true
	}
	var pe *paysync.Error
	if !errors.As(err, &pe) || pe.Code != paysync.CodeInvalid || pe.Message == "" {
		t.Fatalf("refusal %v is not a paysync invalid error with a message", err)
	}
	return false
}

// checkSame checks that q, decoded from p's body re-signed, is p with a
// sign that verifies.
func checkSame(t *testing.T, s Signer, p, q Common) {
	t.Helper()
	if !maps.Equal(p.Fields, q.Fields) {
		t.Fatalf("signed fields changed:\n%v\n%v", p.Fields, q.Fields)
	}
	if !s.Verify(q.Fields, q.Sign) {
		t.Fatalf("re-signed body does not verify: %v sign %q", q.Fields, q.Sign)
	}
	if p.AppID != q.AppID || p.ClientIP != q.ClientIP || p.NonceStr != q.NonceStr || !p.ReqTime.Equal(q.ReqTime) {
		t.Fatalf("common fields changed: %+v / %+v", p, q)
	}
}

// FuzzVerifySign: signing never panics or fails for a known type, a sign
// verifies exactly when it equals the computed one, and the canonical string
// keeps no `"` or `\` before the secret.
func FuzzVerifySign(f *testing.F) {
	f.Add([]byte(vectorPay), "123456", vectors[0].hmac, false)
	f.Add([]byte(vectorPay), "123456", vectors[0].md5, true)
	f.Fuzz(func(t *testing.T, body []byte, secret, sign string, useMD5 bool) {
		fields := Fields{"body": string(body)}
		if o, err := DecodeObject(body); err == nil {
			fields = o.Fields()
		}
		s := Signer{Type: HMACSHA256, Secret: secret}
		wantLen := 64
		if useMD5 {
			s.Type, wantLen = MD5, 32
		}
		canon := Canonical(fields, secret)
		head, ok := strings.CutSuffix(canon, "&key="+secret)
		if !ok || strings.ContainsAny(head, `"\`) {
			t.Fatalf("Canonical = %q", canon)
		}
		want, err := s.Sign(fields)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != wantLen || strings.Trim(want, "0123456789abcdef") != "" {
			t.Fatalf("sign %q is not %d lower-case hex digits", want, wantLen)
		}
		if !s.Verify(fields, want) {
			t.Fatal("a computed sign does not verify")
		}
		if got := s.Verify(fields, sign); got != (sign == want) {
			t.Fatalf("Verify(%q) = %v, computed %q", sign, got, want)
		}
		flipped := []byte(want)
		flipped[len(flipped)/2] ^= 1
		if s.Verify(fields, string(flipped)) {
			t.Fatal("a sign with one bit flipped verifies")
		}
	})
}
