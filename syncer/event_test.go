package syncer

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// payPayload is what payEvent writes by hand, for encoding/json to check it.
type payPayload struct {
	OrderNo      string                  `json:"orderNo"`
	BizOrderNo   string                  `json:"bizOrderNo"`
	OutOrderNo   string                  `json:"outOrderNo,omitempty"`
	Channel      string                  `json:"channel"`
	Amount       decimal.Decimal         `json:"amount"`
	Currency     string                  `json:"currency"`
	Status       paysync.PayStatus       `json:"status"`
	RefundStatus paysync.PayRefundStatus `json:"refundStatus"`
	PaidAt       *time.Time              `json:"paidAt,omitempty"`
	ClosedAt     *time.Time              `json:"closedAt,omitempty"`
	Anomaly      paysync.AnomalyCode     `json:"anomaly,omitempty"`
}

// TestPayEventPayloadMatchesEncodingJSON: the hand-written payload is byte
// for byte what encoding/json writes, for awkward strings too.
func TestPayEventPayloadMatchesEncodingJSON(t *testing.T) {
	s := newEnv(t).s
	paid := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)
	for _, str := range []string{"", "P0001", `quote " back \ slash`, "<&>", "订单\u2028\u2029", "ctl\x00\x01\n\r\t\x1f", "bad\xff\xfeutf8", "é"} {
		for _, code := range []paysync.AnomalyCode{"", paysync.AnomalyRefundAtChannel} {
			o := paysync.PayOrder{OrderNo: str, BizOrderNo: "b" + str, OutOrderNo: str, Channel: str,
				Amount: decimal.RequireFromString("10.50"), Currency: str, Status: paysync.PaySuccess, PaidAt: paid}
			if str == "" {
				o.ClosedAt = paid.Add(time.Hour)
			}
			ev := s.payEvent(&o, paysync.EventPaySuccess, code, paid)
			want := payPayload{OrderNo: o.OrderNo, BizOrderNo: o.BizOrderNo, OutOrderNo: o.OutOrderNo, Channel: o.Channel,
				Amount: o.Amount, Currency: o.CurrencyOrDefault(), Status: o.Status, RefundStatus: paysync.PayRefundNone, Anomaly: code}
			want.PaidAt = &o.PaidAt
			if !o.ClosedAt.IsZero() {
				want.ClosedAt = &o.ClosedAt
			}
			b, err := json.Marshal(want)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(ev.Payload), "%q", str)
			assert.True(t, json.Valid(ev.Payload))
		}
	}
}

// FuzzAppendAmount: the payload's amount is what decimal's String writes
// with its default settings, for small and huge coefficients and any
// exponent a stored amount may have.
func FuzzAppendAmount(f *testing.F) {
	f.Add(int64(1000), int32(-2), "")
	f.Add(int64(-5), int32(-1), "")
	f.Add(int64(0), int32(-3), "")
	f.Add(int64(123), int32(4), "")
	f.Add(int64(999999999999999999), int32(-20), "")
	f.Add(int64(0), int32(0), "-12345678901234567890123.4500")
	f.Fuzz(func(t *testing.T, c int64, exp int32, s string) {
		exp %= 40 // String writes out every zero of a large exponent
		d := decimal.New(c, exp)
		if s != "" {
			var err error
			if d, err = decimal.NewFromString(s); err != nil || d.Exponent() > 40 || d.Exponent() < -40 {
				return
			}
		}
		want := `"` + d.String() + `"`
		if got := string(appendAmount(nil, d)); got != want {
			t.Fatalf("appendAmount(%s) = %s, want %s", d.String(), got, want)
		}
	})
}
