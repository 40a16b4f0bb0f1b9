package memstore

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
)

// TestCodecRoundTrip: each record reads back as it was stored, nil and empty
// slices kept apart, times in UTC truncated to microseconds.
func TestCodecRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
	old := time.Date(1900, 1, 1, 0, 0, 0, 999, time.UTC) // before 1970: negative microseconds
	want := func(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
	id := uuid.MustParse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")

	syncs := []paysync.SyncRecord{
		{},
		{ID: id, TradeType: paysync.TradePay, TradeNo: "P1", BizNo: "biz", OutNo: "out", Channel: "wechat",
			ChannelState: "success", Raw: []byte(`{"a":1}`), Adjusted: true, AdjustNo: "adj", ErrorCode: "E",
			ErrorMsg: "订单已关闭", ClientIP: "::1", Source: paysync.SourceAPI, CreatedAt: at,
			Anomalies: []paysync.AnomalyCode{paysync.AnomalyAmountMismatch, ""}},
		{ID: id, Raw: []byte{}, Anomalies: []paysync.AnomalyCode{}, CreatedAt: old},
	}
	for _, r := range syncs {
		got := decodeSync(encodeSync(nil, &r))
		r.CreatedAt = want(r.CreatedAt)
		if !reflect.DeepEqual(got, r) {
			t.Errorf("sync record:\n got %#v\nwant %#v", got, r)
		}
	}

	adjusts := []paysync.AdjustRecord{
		{},
		{AdjustNo: "adj", TradeType: paysync.TradeAllocation, TradeNo: "A1", Source: paysync.SourceSweep,
			Way: paysync.AdjustWay("alloc_receiver"), ReceiverNo: "r1", Before: "pending", After: "success", CreatedAt: at},
	}
	for _, a := range adjusts {
		rec := encodeAdjust(nil, &a)
		got := decodeAdjust(rec)
		a.CreatedAt = want(a.CreatedAt)
		if !reflect.DeepEqual(got, a) {
			t.Errorf("adjust record:\n got %#v\nwant %#v", got, a)
		}
		if no := adjustNoOf(rec); no != a.AdjustNo {
			t.Errorf("adjustNoOf = %q, want %q", no, a.AdjustNo)
		}
		if !isTradeType(rec, a.TradeType) || !isTradeType(rec, "") || isTradeType(rec, "other") {
			t.Errorf("isTradeType disagrees with %q", a.TradeType)
		}
	}

	events := []paysync.Event{
		{},
		{ID: id, Type: paysync.EventPaySuccess, TradeType: paysync.TradePay, TradeNo: "P1", Payload: []byte(`{}`), CreatedAt: at},
		{ID: id, Payload: []byte{}, CreatedAt: old},
	}
	for _, e := range events {
		rec := encodeEvent(nil, &e)
		got := decodeEvent(rec)
		e.CreatedAt = want(e.CreatedAt)
		if !reflect.DeepEqual(got, e) {
			t.Errorf("event:\n got %#v\nwant %#v", got, e)
		}
		if idOf(rec) != e.ID {
			t.Errorf("idOf = %v, want %v", idOf(rec), e.ID)
		}
	}
}

// TestDecodeCopies: a decoded record shares no memory with the store.
func TestDecodeCopies(t *testing.T) {
	r := paysync.SyncRecord{TradeNo: "P1", Raw: []byte("raw")}
	rec := encodeSync(nil, &r)
	got := decodeSync(rec)
	got.Raw[0] = 'X'
	if again := decodeSync(rec); string(again.Raw) != "raw" {
		t.Fatalf("changing a decoded Raw changed the stored record: %q", again.Raw)
	}
}

// FuzzCodecRoundTrip: whatever the strings and bytes, a record reads back
// as it was written.
func FuzzCodecRoundTrip(f *testing.F) {
	f.Add("P1", "success", []byte(`{"a":1}`), int64(1700000000000000), true)
	f.Add("", "", []byte(nil), int64(0), false)
	f.Add("\x00\xff订单", "\x80", []byte{}, int64(-1), true)
	f.Fuzz(func(t *testing.T, no, state string, raw []byte, micros int64, adjusted bool) {
		r := paysync.SyncRecord{TradeNo: no, ChannelState: state, Raw: raw, Adjusted: adjusted, AdjustNo: no + state,
			CreatedAt: time.UnixMicro(micros).UTC()}
		if got := decodeSync(encodeSync(nil, &r)); !reflect.DeepEqual(got, r) {
			t.Fatalf("got %#v\nwant %#v", got, r)
		}
		a := paysync.AdjustRecord{AdjustNo: state, TradeNo: no, Before: state, CreatedAt: r.CreatedAt}
		if got := decodeAdjust(encodeAdjust(nil, &a)); !reflect.DeepEqual(got, a) {
			t.Fatalf("got %#v\nwant %#v", got, a)
		}
	})
}
