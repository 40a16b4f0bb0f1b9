package daxpay

import (
	"encoding/json"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/paysync/paysync"
)

// keyRule is docs/wire.md#canonical-form's name rule, written as the regexp it is stated as,
// so that the fuzz target checks validKey against another implementation.
var keyRule = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// FuzzCanonicalForm checks docs/wire.md#canonical-form's property: two accepted bodies with
// equal signed strings decode to the same request. For each of two bodies
// it checks that DecodeRequestObject accepts exactly what the rules allow
// (against DecodeObject and keyRule), that an accepted body's signed string
// splits back into its fields, and that the body rebuilt from those fields,
// when accepted, is the same request; then, when both bodies are accepted
// and sign the same string, that they are the same request, on every
// endpoint.
func FuzzCanonicalForm(f *testing.F) {
	f.Add([]byte(vectorPay), []byte(`{"bizOrderNo":"P0001","clientIp":"127.0.0.1","nonce\"Str":"abc123","reqTime":1715500231}`))
	f.Add([]byte(`{"orderNo":"1","reqTime":1715500231}`), []byte(`{"orderNo":"1","reqTime":"1715500231","x":null}`))
	f.Add([]byte(`{"bizRefundNo":"R0001","refundNo":"3001","reqTime":1715500231}`),
		[]byte(`{"bizRefundNo":"R0001","refund\"No":"3001","reqTime":1715500231}`))
	f.Add([]byte(`{"bizTransferNo":"T0001&nonceStr=n1","reqTime":1715500231}`),
		[]byte(`{"bizTransferNo":"T0001","nonceStr":"n1","reqTime":1715500231}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		checkRules(t, a)
		checkRules(t, b)

		pa, errA := DecodePay(a, nil)
		pb, errB := DecodePay(b, nil)
		if errA == nil {
			checkSplitsBack(t, pa.Common, func(body []byte) (any, Common, error) {
				q, err := DecodePay(body, nil)
				return payRequest(q), q.Common, err
			}, payRequest(pa))
		}
		if errA == nil && errB == nil && signed(pa.Fields) == signed(pb.Fields) &&
			!sameCommon(pa.Common, pb.Common, payRequest(pa) == payRequest(pb)) {
			t.Fatalf("one signed string, two pay requests:\n%s\n%s\n%+v\n%+v", a, b, pa, pb)
		}

		qa, errA := DecodeAllocation(a, nil)
		qb, errB := DecodeAllocation(b, nil)
		if errA == nil {
			checkSplitsBack(t, qa.Common, func(body []byte) (any, Common, error) {
				q, err := DecodeAllocation(body, nil)
				return allocationRequest(q), q.Common, err
			}, allocationRequest(qa))
		}
		if errA == nil && errB == nil && signed(qa.Fields) == signed(qb.Fields) &&
			!sameCommon(qa.Common, qb.Common, allocationRequest(qa) == allocationRequest(qb)) {
			t.Fatalf("one signed string, two allocation requests:\n%s\n%s\n%+v\n%+v", a, b, qa, qb)
		}

		ra, errA := DecodeRefund(a, nil)
		rb, errB := DecodeRefund(b, nil)
		if errA == nil {
			checkSplitsBack(t, ra.Common, func(body []byte) (any, Common, error) {
				q, err := DecodeRefund(body, nil)
				return refundRequest(q), q.Common, err
			}, refundRequest(ra))
		}
		if errA == nil && errB == nil && signed(ra.Fields) == signed(rb.Fields) &&
			!sameCommon(ra.Common, rb.Common, refundRequest(ra) == refundRequest(rb)) {
			t.Fatalf("one signed string, two refund requests:\n%s\n%s\n%+v\n%+v", a, b, ra, rb)
		}

		ta, errA := DecodeTransfer(a, nil)
		tb, errB := DecodeTransfer(b, nil)
		if errA == nil {
			checkSplitsBack(t, ta.Common, func(body []byte) (any, Common, error) {
				q, err := DecodeTransfer(body, nil)
				return transferRequest(q), q.Common, err
			}, transferRequest(ta))
		}
		if errA == nil && errB == nil && signed(ta.Fields) == signed(tb.Fields) &&
			!sameCommon(ta.Common, tb.Common, transferRequest(ta) == transferRequest(tb)) {
			t.Fatalf("one signed string, two transfer requests:\n%s\n%s\n%+v\n%+v", a, b, ta, tb)
		}
	})
}

// checkRules checks DecodeRequestObject on body against an oracle: a body
// DecodeObject refuses, or with an object or array value, is ErrMalformed
// (or, when it is valid flat JSON with a repeated key, possibly the
// ErrInvalidRequest of a rule broken before it); a flat object is accepted, with DecodeObject's
// fields, exactly when its names match keyRule, its strings hold none of
// " \ & = and no control character, and it has at most MaxFields fields.
func checkRules(t *testing.T, body []byte) {
	t.Helper()
	got, err := DecodeRequestObject(body)
	if err != nil && paysync.ErrorCode(err) != paysync.CodeInvalid {
		t.Fatalf("refusal %v is not a paysync invalid error", err)
	}
	plain, perr := DecodeObject(body)
	if perr != nil {
		if err == nil {
			t.Fatalf("accepted a body DecodeObject refuses (%v): %q", perr, body)
		}
		// Only a repeated key can be found after a rule breaks earlier.
		repeated := utf8.Valid(body) && json.Valid(body) && flatObject(body)
		if !repeated && !errors.Is(err, ErrMalformed) {
			t.Fatalf("not a flat object, yet %v: %q", err, body)
		}
		return
	}
	flat, ok := true, len(plain.Keys()) <= MaxFields
	for _, k := range plain.Keys() {
		raw, _ := plain.Raw(k)
		switch raw[0] {
		case '{', '[':
			flat = false
		case '"':
			s, _ := text(raw)
			ok = ok && !strings.ContainsAny(s, "\"\\&=") && !strings.ContainsFunc(s, unicode.IsControl)
		}
		ok = ok && keyRule.MatchString(k)
	}
	switch {
	case !flat:
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("object or array value, yet %v: %q", err, body)
		}
	case !ok:
		if err == nil || errors.Is(err, ErrMalformed) {
			t.Fatalf("breaks a rule, yet %v: %q", err, body)
		}
	default:
		if err != nil {
			t.Fatalf("keeps every rule, yet %v: %q", err, body)
		}
		if !maps.Equal(got.Fields(), plain.Fields()) || !slices.Equal(got.Keys(), plain.Keys()) {
			t.Fatalf("fields %v, DecodeObject's %v", got.Fields(), plain.Fields())
		}
	}
}

// checkSplitsBack checks that c's signed string splits back into c.Fields,
// and that the body rebuilt from them (every value a string), if decode
// accepts it, is the same request as want.
func checkSplitsBack(t *testing.T, c Common, decode func([]byte) (any, Common, error), want any) {
	t.Helper()
	if got := splitSigned(t, Canonical(c.Fields, fuzzSecret), fuzzSecret); !maps.Equal(got, c.Fields) {
		t.Fatalf("signed string %q splits back to %v, want %v", Canonical(c.Fields, fuzzSecret), got, c.Fields)
	}
	var o Object
	for _, k := range slices.Sorted(maps.Keys(c.Fields)) {
		o = o.With(k, quote(c.Fields[k]))
	}
	got, gc, err := decode(o.Encode())
	if err != nil {
		return // e.g. reqTime -1 as a number reads, as a string it does not
	}
	if got != want || !maps.Equal(gc.Fields, c.Fields) || !gc.ReqTime.Equal(c.ReqTime) {
		t.Fatalf("rebuilt from its signed string %s, the request is %+v, want %+v", o.Encode(), got, want)
	}
}

const fuzzSecret = "123456"

func signed(f Fields) string { return Canonical(f, fuzzSecret) }

// payFields is what the host acts on from a pay request but its signed
// fields and time (compared apart: Fields with maps.Equal, time with Equal).
// The sign is left out: it is not part of the request.
type payFields struct{ AppID, ClientIP, NonceStr, OrderNo, BizOrderNo string }

// payRequest returns p's payFields.
func payRequest(p PayParams) any {
	return payFields{p.AppID, p.ClientIP, p.NonceStr, p.OrderNo, p.BizOrderNo}
}

// allocationFields is payFields for an allocation request.
type allocationFields struct{ AppID, ClientIP, NonceStr, AllocationNo, BizAllocationNo string }

// allocationRequest returns p's allocationFields.
func allocationRequest(p AllocationParams) any {
	return allocationFields{p.AppID, p.ClientIP, p.NonceStr, p.AllocationNo, p.BizAllocationNo}
}

// refundFields is payFields for a refund request.
type refundFields struct{ AppID, ClientIP, NonceStr, RefundNo, BizRefundNo string }

// refundRequest returns p's refundFields.
func refundRequest(p RefundParams) any {
	return refundFields{p.AppID, p.ClientIP, p.NonceStr, p.RefundNo, p.BizRefundNo}
}

// transferFields is payFields for a transfer request.
type transferFields struct{ AppID, ClientIP, NonceStr, TransferNo, BizTransferNo string }

// transferRequest returns p's transferFields.
func transferRequest(p TransferParams) any {
	return transferFields{p.AppID, p.ClientIP, p.NonceStr, p.TransferNo, p.BizTransferNo}
}

// sameCommon reports whether two requests, whose fields the host acts on
// are equal when sameRest, are the same request, signs aside: same time
// and signed fields too.
func sameCommon(p, q Common, sameRest bool) bool {
	return sameRest && p.ReqTime.Equal(q.ReqTime) && maps.Equal(p.Fields, q.Fields)
}
