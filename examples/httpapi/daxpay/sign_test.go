package daxpay

import (
	"errors"
	"testing"

	"github.com/paysync/paysync"
)

// The docs/wire.md#test-vectors, secret 123456.
var vectors = []struct {
	name      string
	fields    Fields
	canonical string
	md5, hmac string
}{
	{
		name:      "pay request",
		fields:    Fields{"bizOrderNo": "P0001", "clientIp": "127.0.0.1", "nonceStr": "abc123", "reqTime": "1715500231"},
		canonical: "bizOrderNo=P0001&clientIp=127.0.0.1&nonceStr=abc123&reqTime=1715500231&key=123456",
		md5:       "81b6e8e37f1202020cea2ad05c221584",
		hmac:      "ec85955a31fbb5f8d6ed47f15777ddcc31735a08d07956233729a05f4e0bf8d2",
	},
	{
		name:      "allocation request",
		fields:    Fields{"allocNo": "A2024061200001", "reqTime": "1718000000"},
		canonical: "allocNo=A2024061200001&reqTime=1718000000&key=123456",
		md5:       "06ceb8fa01ae3a94f4ab6ea24545bfc9",
		hmac:      "a04f738ff6d75e6d10457fc79dbd18f37ec89880e99a8cba0352ecd3499e360f",
	},
	{
		name:      "response data",
		fields:    Fields{"code": "0", "resTime": "1715500234", "status": "pay_success"},
		canonical: "code=0&resTime=1715500234&status=pay_success&key=123456",
		md5:       "bb458b6ceaa1f4772ad960918e994624",
		hmac:      "e8556185da6774dee6872d2fe922400ad85c048257fee61037b2f5a1ca99ce72",
	},
	{
		// The seed's failure answer (pay-sync-api.md): its sign is exactly
		// this rule with HMAC-SHA256 and secret 123456.
		name:      "seed failure answer",
		fields:    Fields{"code": "1", "msg": "支付订单不存在", "resTime": "1715499295"},
		canonical: "code=1&msg=支付订单不存在&resTime=1715499295&key=123456",
		md5:       "019a93880f39b03bf465b1b20e363a99",
		hmac:      "48145bb659db3a337ecbba4e46d3b57b5da6ef8006c1342ebbc9320d619bbad4",
	},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			if got := Canonical(v.fields, "123456"); got != v.canonical {
				t.Fatalf("Canonical = %q, want %q", got, v.canonical)
			}
			for typ, want := range map[SignType]string{MD5: v.md5, HMACSHA256: v.hmac} {
				s := Signer{Type: typ, Secret: "123456"}
				if got, err := s.Digest(v.canonical); err != nil || got != want {
					t.Errorf("%s Digest = %q, %v; want %q", typ, got, err, want)
				}
				if got, err := s.Sign(v.fields); err != nil || got != want {
					t.Errorf("%s Sign = %q, %v; want %q", typ, got, err, want)
				}
				if !s.Verify(v.fields, want) {
					t.Errorf("%s Verify(vector) = false", typ)
				}
			}
		})
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		name   string
		fields Fields
		secret string
		want   string
	}{
		{"empty", Fields{}, "s", "&key=s"},
		{"sign left out", Fields{"a": "1", "sign": "x"}, "s", "a=1&key=s"},
		{"byte order, upper case first", Fields{"b": "1", "B": "2", "a": "3"}, "s", "B=2&a=3&b=1&key=s"},
		{"empty value kept", Fields{"a": ""}, "s", "a=&key=s"},
		{"quotes and backslashes deleted", Fields{`a"\`: `x"y\z`}, "s", "a=xyz&key=s"},
		{"secret not filtered", Fields{"a": "1"}, `s"\`, `a=1&key=s"\`},
		{"no upper-casing, text as is", Fields{"m": "支付&<>=x"}, "k", "m=支付&<>=x&key=k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Canonical(tt.fields, tt.secret); got != tt.want {
				t.Fatalf("Canonical = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	f := vectors[0].fields
	s := Signer{Type: HMACSHA256, Secret: "123456"}
	good := vectors[0].hmac
	tests := []struct {
		name   string
		signer Signer
		sign   string
	}{
		{"upper-case hex", s, "EC85955A31FBB5F8D6ED47F15777DDCC31735A08D07956233729A05F4E0BF8D2"},
		{"truncated", s, good[:63]},
		{"extended", s, good + "0"},
		{"empty", s, ""},
		{"other secret", Signer{Type: HMACSHA256, Secret: "1234567"}, good},
		{"MD5 sign to an HMAC verifier", s, vectors[0].md5},
		{"unknown type", Signer{Type: "SM3", Secret: "123456"}, good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.signer.Verify(f, tt.sign) {
				t.Fatalf("Verify(%q) = true", tt.sign)
			}
		})
	}
}

func TestDigestUnknownType(t *testing.T) {
	_, err := Signer{Type: "SM3"}.Digest("x")
	if !errors.Is(err, paysync.ErrInvalidRequest) {
		t.Fatalf("err = %v, want ErrInvalidRequest", err)
	}
}

func TestParseSignType(t *testing.T) {
	tests := []struct {
		in      string
		want    SignType
		wantErr bool
	}{
		{"MD5", MD5, false},
		{"md5", MD5, false},
		{"HMAC_SHA256", HMACSHA256, false},
		{"hmac_sha256", HMACSHA256, false},
		{"SM3", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := ParseSignType(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseSignType(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && paysync.ErrorCode(err) != paysync.CodeInvalid {
			t.Errorf("ParseSignType(%q) code = %q", tt.in, paysync.ErrorCode(err))
		}
	}
}

func TestSignBody(t *testing.T) {
	s := Signer{Type: HMACSHA256, Secret: "123456"}
	body := `{"bizOrderNo":"P0001","clientIp":"127.0.0.1","nonceStr":"abc123","reqTime":1715500231}`
	got, err := s.SignBody([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"bizOrderNo":"P0001","clientIp":"127.0.0.1","nonceStr":"abc123","reqTime":1715500231,"sign":"` + vectors[0].hmac + `"}`
	if string(got) != want {
		t.Fatalf("SignBody =\n%s\nwant\n%s", got, want)
	}
	// An existing sign is replaced in place, and signing twice is stable.
	again, err := s.SignBody([]byte(`{"sign":"old","reqTime":1718000000,"allocNo":"A2024061200001"}`))
	if err != nil {
		t.Fatal(err)
	}
	want = `{"sign":"` + vectors[1].hmac + `","reqTime":1718000000,"allocNo":"A2024061200001"}`
	if string(again) != want {
		t.Fatalf("SignBody =\n%s\nwant\n%s", again, want)
	}
	if _, err := s.SignBody([]byte(`[1]`)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("SignBody([1]) err = %v, want ErrMalformed", err)
	}
}
