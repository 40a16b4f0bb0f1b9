package repositorytest

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
)

// fields renders a value field by field as text, so two values compare by
// what they mean: decimals by value (10.5 and 10.50 render alike), times as
// instant and zone, nil and empty slices alike.
type fields map[string]string

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func stamp(t time.Time) string { return t.Format(time.RFC3339Nano) + " " + t.Location().String() }

func payFields(o paysync.PayOrder) fields {
	return fields{
		"OrderNo":      o.OrderNo,
		"BizOrderNo":   o.BizOrderNo,
		"OutOrderNo":   o.OutOrderNo,
		"Channel":      o.Channel,
		"Amount":       o.Amount.String(),
		"Currency":     o.Currency,
		"Status":       string(o.Status),
		"RefundStatus": string(o.RefundStatus),
		"ExpiredAt":    stamp(o.ExpiredAt),
		"PaidAt":       stamp(o.PaidAt),
		"ClosedAt":     stamp(o.ClosedAt),
		"CreatedAt":    stamp(o.CreatedAt),
		"UpdatedAt":    stamp(o.UpdatedAt),
		"Version":      strconv.FormatInt(o.Version, 10),
		"Announced":    fmt.Sprint(o.Announced),
	}.schedule(o.Schedule)
}

func allocationFields(o paysync.AllocationOrder) fields {
	f := fields{
		"AllocationNo":    o.AllocationNo,
		"BizAllocationNo": o.BizAllocationNo,
		"OutAllocationNo": o.OutAllocationNo,
		"OrderNo":         o.OrderNo,
		"OutOrderNo":      o.OutOrderNo,
		"Channel":         o.Channel,
		"Amount":          o.Amount.String(),
		"Status":          string(o.Status),
		"Result":          string(o.Result),
		"FinishedAt":      stamp(o.FinishedAt),
		"CreatedAt":       stamp(o.CreatedAt),
		"UpdatedAt":       stamp(o.UpdatedAt),
		"Version":         strconv.FormatInt(o.Version, 10),
		"Announced":       fmt.Sprint(o.Announced),
		"len(Receivers)":  strconv.Itoa(len(o.Receivers)),
	}
	for i, r := range o.Receivers {
		p := fmt.Sprintf("Receivers[%d].", i)
		f[p+"ReceiverNo"] = r.ReceiverNo
		f[p+"ReceiverType"] = r.ReceiverType
		f[p+"Account"] = r.Account
		f[p+"Name"] = r.Name
		f[p+"Amount"] = r.Amount.String()
		f[p+"Result"] = string(r.Result)
		f[p+"OutDetailID"] = r.OutDetailID
		f[p+"ErrorCode"] = r.ErrorCode
		f[p+"ErrorMsg"] = r.ErrorMsg
		f[p+"FinishedAt"] = stamp(r.FinishedAt)
	}
	return f.schedule(o.Schedule)
}

func (f fields) schedule(s paysync.Schedule) fields {
	f["Schedule.NextSyncAt"] = stamp(s.NextSyncAt)
	f["Schedule.Attempts"] = strconv.Itoa(s.Attempts)
	f["Schedule.Exhausted"] = strconv.FormatBool(s.Exhausted)
	f["Schedule.LeaseOwner"] = s.LeaseOwner
	f["Schedule.LeaseUntil"] = stamp(s.LeaseUntil)
	return f
}

func syncFields(r paysync.SyncRecord) fields {
	return fields{
		"ID":           r.ID.String(),
		"TradeType":    string(r.TradeType),
		"TradeNo":      r.TradeNo,
		"BizNo":        r.BizNo,
		"OutNo":        r.OutNo,
		"Channel":      r.Channel,
		"ChannelState": r.ChannelState,
		"Raw":          string(r.Raw),
		"Adjusted":     strconv.FormatBool(r.Adjusted),
		"AdjustNo":     r.AdjustNo,
		"Anomalies":    fmt.Sprint(r.Anomalies),
		"ErrorCode":    r.ErrorCode,
		"ErrorMsg":     r.ErrorMsg,
		"ClientIP":     r.ClientIP,
		"Source":       string(r.Source),
		"CreatedAt":    stamp(r.CreatedAt),
	}
}

func adjustFields(r paysync.AdjustRecord) fields {
	return fields{
		"AdjustNo":  r.AdjustNo,
		"TradeType": string(r.TradeType),
		"TradeNo":   r.TradeNo,
		"Source":    string(r.Source),
		"Way":       string(r.Way),
		"Before":    r.Before,
		"After":     r.After,
		"CreatedAt": stamp(r.CreatedAt),
	}
}

func eventFields(e paysync.Event) fields {
	return fields{
		"ID":          e.ID.String(),
		"Type":        string(e.Type),
		"TradeType":   string(e.TradeType),
		"TradeNo":     e.TradeNo,
		"Payload":     string(e.Payload),
		"CreatedAt":   stamp(e.CreatedAt),
		"DeliveredAt": stamp(e.DeliveredAt),
	}
}

// same fails t, naming every field that differs, unless got and want
// render alike.
func same(t *testing.T, what string, got, want fields) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var diffs []string
	for _, k := range keys {
		g, gok := got[k]
		w, wok := want[k]
		if g != w || gok != wok {
			diffs = append(diffs, fmt.Sprintf("  %s: got %q, want %q", k, g, w))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%s differs from what was expected:\n%s", what, strings.Join(diffs, "\n"))
	}
}

// sameList fails t unless got lists exactly the ids want does, in order.
func sameList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}
