package daxpay

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/paysync/paysync"
)

// fieldsBody returns a flat object of n fields k1…kn, all "v".
func fieldsBody(n int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":"v"`, i)
	}
	b.WriteByte('}')
	return b.String()
}

func TestDecodeRequestObject(t *testing.T) {
	const malformed, invalid = "10005", "10006"
	key64 := "K" + strings.Repeat("x_9", 21)
	tests := []struct {
		name string
		body string
		want string // "" accepted; else malformed or invalid
		msg  string // the message of an invalid body
	}{
		{name: "a request", body: `{"bizOrderNo":"P0001","clientIp":"127.0.0.1","nonceStr":"abc123","reqTime":1715500231,"sign":"s"}`},
		{name: "scalars of every kind", body: `{"s":"x","n":-1.50e3,"t":true,"f":false,"z":null,"e":""}`},
		{name: "escaped name and value", body: `{"\u006eonceStr":"\u0061b<>支付 %+'"}`},
		{name: "64-character name", body: `{"` + key64 + `":"v"}`},
		{name: "names of one letter, digits, underscores", body: `{"a":"1","Z9":"2","a_b_":"3"}`},
		{name: "32 fields", body: fieldsBody(32)},
		{name: "empty object", body: `{}`},

		{name: `name with "`, body: `{"nonce\"Str":"abc"}`, want: invalid, msg: "the name of field 1 does not match [A-Za-z][A-Za-z0-9_]{0,63}"},
		{name: `name with \`, body: `{"a":"1","nonceStr\\":"abc"}`, want: invalid, msg: "the name of field 2 does not match [A-Za-z][A-Za-z0-9_]{0,63}"},
		{name: "name with &", body: `{"a&b":"1"}`, want: invalid},
		{name: "name with =", body: `{"a=b":"1"}`, want: invalid},
		{name: "name starting with a digit", body: `{"1a":"1"}`, want: invalid},
		{name: "name starting with _", body: `{"_a":"1"}`, want: invalid},
		{name: "name with -", body: `{"a-b":"1"}`, want: invalid},
		{name: "name with a space", body: `{"a b":"1"}`, want: invalid},
		{name: "non-ASCII name", body: `{"ключ":"1"}`, want: invalid},
		{name: "empty name", body: `{"":"1"}`, want: invalid},
		{name: "65-character name", body: `{"` + key64 + `x":"v"}`, want: invalid},
		{name: "escaped quote in a name", body: `{"order\u0022No":"1"}`, want: invalid},
		{name: "33 fields", body: fieldsBody(33), want: invalid, msg: "more than 32 fields"},

		{name: `value with "`, body: `{"nonceStr":"abc\""}`, want: invalid, msg: `nonceStr holds a character the signature cannot bind (" \ & = or a control character)`},
		{name: `value with \`, body: `{"nonceStr":"abc\\"}`, want: invalid},
		{name: "value with &", body: `{"bizOrderNo":"P1&nonceStr=x"}`, want: invalid},
		{name: "value with =", body: `{"a":"x=y"}`, want: invalid},
		{name: "value with escaped &", body: `{"a":"x\u0026y"}`, want: invalid},
		{name: "value with escaped =", body: `{"a":"x\u003dy"}`, want: invalid},
		{name: "value with a newline", body: `{"a":"x\ny"}`, want: invalid},
		{name: "value with a tab", body: `{"a":"x\ty"}`, want: invalid},
		{name: "value with NUL", body: `{"a":"x\u0000"}`, want: invalid},
		{name: "value with DEL", body: "{\"a\":\"x\x7f\"}", want: invalid},
		{name: "value with a C1 control", body: `{"a":"x\u0085"}`, want: invalid},
		{name: "sign with &", body: `{"a":"1","sign":"x&y"}`, want: invalid},

		{name: "object value", body: `{"a":"1","extra":{"b":1}}`, want: malformed},
		{name: "array value", body: `{"a":[]}`, want: malformed},
		{name: "empty object value", body: `{"a":{}}`, want: malformed},
		{name: "array", body: `[{"a":"1"}]`, want: malformed},
		{name: "string", body: `"x"`, want: malformed},
		{name: "not JSON", body: `orderNo=1`, want: malformed},
		{name: "empty", body: ``, want: malformed},
		{name: "duplicate key", body: `{"a":"1","\u0061":"2"}`, want: malformed},
		{name: "data after the object", body: `{"a":"1"}{}`, want: malformed},
		{name: "invalid UTF-8", body: "{\"a\":\"\xff\"}", want: malformed},
		// 10005 is settled over the whole body before any field rule: a
		// bad name early does not hide a nested value later.
		{name: "bad name, then an object value", body: `{"a b":"1","c":{}}`, want: malformed},
		{name: "34 fields, then broken JSON", body: strings.TrimSuffix(fieldsBody(34), "}"), want: malformed},
		{name: "braces inside strings are text", body: `{"a":"{[x]}"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := DecodeRequestObject([]byte(tt.body))
			switch tt.want {
			case "":
				if err != nil {
					t.Fatalf("err = %v, want accepted", err)
				}
				plain, err := DecodeObject([]byte(tt.body))
				if err != nil || !maps.Equal(o.Fields(), plain.Fields()) {
					t.Fatalf("fields %v differ from DecodeObject's %v (%v)", o.Fields(), plain.Fields(), err)
				}
			case malformed:
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
			case invalid:
				if !errors.Is(err, paysync.ErrInvalidRequest) || errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want ErrInvalidRequest", err)
				}
				if tt.msg != "" && paysync.ErrorMessage(err) != tt.msg {
					t.Fatalf("msg = %q, want %q", paysync.ErrorMessage(err), tt.msg)
				}
			}
		})
	}
}

// A body of thousands of fields costs no more to refuse than one of 33: the
// decoder stops at the first field past MaxFields. Counted in allocations,
// which do not depend on the machine's speed.
func TestDecodeRequestObjectStopsEarly(t *testing.T) {
	small, big := []byte(fieldsBody(MaxFields+1)), []byte(fieldsBody(6000))
	if len(big) < 60<<10 {
		t.Fatalf("the big body is only %d bytes", len(big))
	}
	allocs := func(body []byte) float64 {
		return testing.AllocsPerRun(20, func() {
			if _, err := DecodeRequestObject(body); !errors.Is(err, paysync.ErrInvalidRequest) {
				t.Fatalf("err = %v, want ErrInvalidRequest", err)
			}
		})
	}
	if a, b := allocs(small), allocs(big); b > a+8 {
		t.Fatalf("refusing 6000 fields took %.0f allocations, 33 fields %.0f", b, a)
	}
}

// Every string value's text and every name are what the signed string
// holds: for an accepted body, the signed string splits back into exactly
// its fields.
func TestSignedStringSplitsBack(t *testing.T) {
	for _, body := range []string{
		`{"bizOrderNo":"P0001","clientIp":"127.0.0.1","nonceStr":"abc123","reqTime":1715500231}`,
		`{"key":"k","a":"","Z":"支付<>","n":1.5e-3,"t":true,"z":null,"sign":"x"}`,
	} {
		o, err := DecodeRequestObject([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if got := splitSigned(t, Canonical(o.Fields(), "123456"), "123456"); !maps.Equal(got, o.Fields()) {
			t.Fatalf("%s: split back to %v, want %v", body, got, o.Fields())
		}
	}
}

// splitSigned inverts Canonical for fields in canonical form: the secret's
// suffix off, then each & and the first = after it. It fails t when the
// string cannot have come from Canonical.
func splitSigned(t testing.TB, signed, secret string) Fields {
	t.Helper()
	head, ok := strings.CutSuffix(signed, "&key="+secret)
	if !ok {
		t.Fatalf("%q does not end with the secret", signed)
	}
	f := Fields{}
	if head == "" {
		return f
	}
	for _, kv := range strings.Split(head, "&") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("%q: part %q has no =", signed, kv)
		}
		f[k] = v
	}
	return f
}
