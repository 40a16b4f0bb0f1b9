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
	"github.com/paysync/paysync/repository"
)

// fields renders a value field by field as text, so two values compare by
// what they mean: decimals by value (10.5 and 10.50 render alike), times as
// instant and zone, nil and empty slices alike. Each key is the field's path
// ("Schedule.NextSyncAt", "Receivers[0].Amount"); guard.go holds every
// renderer to rendering every field of its type.
type fields map[string]string

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func stamp(t time.Time) string { return t.Format(time.RFC3339Nano) + " " + t.Location().String() }

func payFields(o paysync.PayOrder) fields {
	return fields{
		"OrderNo":        o.OrderNo,
		"BizOrderNo":     o.BizOrderNo,
		"OutOrderNo":     o.OutOrderNo,
		"Channel":        o.Channel,
		"Amount":         o.Amount.String(),
		"Currency":       o.Currency,
		"Status":         string(o.Status),
		"RefundStatus":   string(o.RefundStatus),
		"RefundedAmount": o.RefundedAmount.String(),
		"ReservedAmount": o.ReservedAmount.String(),
		"ExpiredAt":      stamp(o.ExpiredAt),
		"PaidAt":         stamp(o.PaidAt),
		"ClosedAt":       stamp(o.ClosedAt),
		"CreatedAt":      stamp(o.CreatedAt),
		"UpdatedAt":      stamp(o.UpdatedAt),
		"Version":        strconv.FormatInt(o.Version, 10),
	}.schedule("Schedule.", o.Schedule)
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
		"Currency":        o.Currency,
		"Status":          string(o.Status),
		"Result":          string(o.Result),
		"FinishedAt":      stamp(o.FinishedAt),
		"CreatedAt":       stamp(o.CreatedAt),
		"UpdatedAt":       stamp(o.UpdatedAt),
		"Version":         strconv.FormatInt(o.Version, 10),
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
	return f.schedule("Schedule.", o.Schedule)
}

func refundFields(o paysync.RefundOrder) fields {
	return fields{
		"RefundNo":    o.RefundNo,
		"BizRefundNo": o.BizRefundNo,
		"OutRefundNo": o.OutRefundNo,
		"OrderNo":     o.OrderNo,
		"Channel":     o.Channel,
		"Amount":      o.Amount.String(),
		"Currency":    o.Currency,
		"Reason":      o.Reason,
		"Status":      string(o.Status),
		"Watched":     strconv.FormatBool(o.Watched),
		"FinishedAt":  stamp(o.FinishedAt),
		"ErrorCode":   o.ErrorCode,
		"ErrorMsg":    o.ErrorMsg,
		"CreatedAt":   stamp(o.CreatedAt),
		"UpdatedAt":   stamp(o.UpdatedAt),
		"Version":     strconv.FormatInt(o.Version, 10),
	}.schedule("Schedule.", o.Schedule)
}

func transferFields(o paysync.TransferOrder) fields {
	return fields{
		"TransferNo":    o.TransferNo,
		"BizTransferNo": o.BizTransferNo,
		"OutTransferNo": o.OutTransferNo,
		"Channel":       o.Channel,
		"Amount":        o.Amount.String(),
		"Currency":      o.Currency,
		"PayeeType":     o.PayeeType,
		"PayeeAccount":  o.PayeeAccount,
		"PayeeName":     o.PayeeName,
		"Reason":        o.Reason,
		"Status":        string(o.Status),
		"FinishedAt":    stamp(o.FinishedAt),
		"ErrorCode":     o.ErrorCode,
		"ErrorMsg":      o.ErrorMsg,
		"CreatedAt":     stamp(o.CreatedAt),
		"UpdatedAt":     stamp(o.UpdatedAt),
		"Version":       strconv.FormatInt(o.Version, 10),
	}.schedule("Schedule.", o.Schedule)
}

func (f fields) schedule(prefix string, s paysync.Schedule) fields {
	f[prefix+"NextSyncAt"] = stamp(s.NextSyncAt)
	f[prefix+"Attempts"] = strconv.Itoa(s.Attempts)
	f[prefix+"Exhausted"] = strconv.FormatBool(s.Exhausted)
	f[prefix+"LeaseOwner"] = s.LeaseOwner
	f[prefix+"LeaseUntil"] = stamp(s.LeaseUntil)
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
		"AdjustNo":   r.AdjustNo,
		"TradeType":  string(r.TradeType),
		"TradeNo":    r.TradeNo,
		"Source":     string(r.Source),
		"Way":        string(r.Way),
		"ReceiverNo": r.ReceiverNo,
		"Before":     r.Before,
		"After":      r.After,
		"Operator":   r.Operator,
		"Reason":     r.Reason,
		"CreatedAt":  stamp(r.CreatedAt),
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

func anomalyFields(a paysync.Anomaly) fields {
	return fields{
		"TradeType":   string(a.TradeType),
		"TradeNo":     a.TradeNo,
		"Code":        string(a.Code),
		"FirstSeenAt": stamp(a.FirstSeenAt),
		"OpenedAt":    stamp(a.OpenedAt),
		"LastSeenAt":  stamp(a.LastSeenAt),
		"TimesSeen":   strconv.Itoa(a.TimesSeen),
		"ResolvedAt":  stamp(a.ResolvedAt),
		"ResolvedBy":  a.ResolvedBy,
		"Note":        a.Note,
	}
}

func summaryFields(s repository.OrderSummary) fields {
	return fields{
		"TradeType": string(s.TradeType),
		"TradeNo":   s.TradeNo,
		"BizNo":     s.BizNo,
		"OutNo":     s.OutNo,
		"Channel":   s.Channel,
		"Amount":    s.Amount.String(),
		"Currency":  s.Currency,
		"Status":    s.Status,
		"CreatedAt": stamp(s.CreatedAt),
		"UpdatedAt": stamp(s.UpdatedAt),
		"Version":   strconv.FormatInt(s.Version, 10),
	}.schedule("Schedule.", s.Schedule)
}

// listFields renders a list of values, one prefix per item, so a list
// compares item by item and field by field.
func listFields[T any](render func(T) fields, items []T) fields {
	f := fields{"len": strconv.Itoa(len(items))}
	for i, it := range items {
		for k, v := range render(it) {
			f[fmt.Sprintf("[%d].%s", i, k)] = v
		}
	}
	return f
}

// same fails t, naming every field that differs, unless got and want
// render alike.
func same(t testing.TB, what string, got, want fields) {
	t.Helper()
	diffs := diff(got, want)
	if len(diffs) > maxDiffs { // a whole snapshot can differ: the first lines tell
		diffs = append(diffs[:maxDiffs], fmt.Sprintf("  … and %d more", len(diffs)-maxDiffs))
	}
	if len(diffs) > 0 {
		t.Errorf("%s differs from what was expected:\n%s", what, strings.Join(diffs, "\n"))
	}
}

const maxDiffs = 40

// diff lists the fields in which got and want differ, in key order.
func diff(got, want fields) []string {
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
	return diffs
}

// sameList fails t unless got lists exactly the ids want does, in order.
func sameList(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}
