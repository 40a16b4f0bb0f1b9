package pgstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// A cursor is the position of the last row of a page, with the query it was
// made for, as "v1.<base64url JSON>.<base64url check>". The check is the
// first 9 bytes of a SHA-256 of the JSON: a cursor that was cut, edited or
// made by something else fails it and is refused. It is a check, not a
// secret: a store holds no key that every host and every restart would
// share, and a crafted cursor could only move a listing its caller may read
// anyway. Times are Unix microseconds, what the database keeps.
const cursorVersion = "v1"

// orderCursor is a ListOrders position: the last row's sort time (CreatedAt,
// or NextSyncAt for ByDue) and number, and the query it belongs to.
type orderCursor struct {
	Kind   paysync.TradeType `json:"k"`
	By     repository.ListBy `json:"b"`
	Status string            `json:"s,omitempty"`
	At     int64             `json:"t"`
	No     string            `json:"n"`
}

func (c orderCursor) at() time.Time { return time.UnixMicro(c.At).UTC() }

// anomalyCursor is a ListOpenAnomalies position: the last row's key in the
// listing's order, and the kind the query asked for (empty: every kind).
type anomalyCursor struct {
	Query     paysync.TradeType `json:"q,omitempty"`
	OpenedAt  int64             `json:"t"`
	TradeType string            `json:"k"`
	TradeNo   string            `json:"n"`
	Code      string            `json:"c"`
}

func (c anomalyCursor) openedAt() time.Time { return time.UnixMicro(c.OpenedAt).UTC() }

// encodeOrderCursor returns the cursor of the page of q after o.
func encodeOrderCursor(q repository.OrderQuery, o repository.OrderSummary) string {
	c := orderCursor{Kind: q.TradeType, By: q.By, No: o.TradeNo, At: o.CreatedAt.UnixMicro()}
	if q.By == repository.ByStatus {
		c.Status = q.Status
	}
	if q.By == repository.ByDue {
		c.At = o.Schedule.NextSyncAt.UnixMicro()
	}
	return encodeCursor(c)
}

// decodeOrderCursor reads a cursor that encodeOrderCursor made for a query
// like q.
func decodeOrderCursor(s string, q repository.OrderQuery) (orderCursor, error) {
	var c orderCursor
	if err := decodeCursor(s, &c); err != nil {
		return orderCursor{}, err
	}
	want := orderCursor{Kind: q.TradeType, By: q.By}
	if q.By == repository.ByStatus {
		want.Status = q.Status
	}
	if c.Kind != want.Kind || c.By != want.By || c.Status != want.Status {
		return orderCursor{}, errors.New("cursor of another listing")
	}
	return c, nil
}

// encodeAnomalyCursor returns the cursor of the page of open anomalies of
// kind (empty: every kind) after a.
func encodeAnomalyCursor(kind paysync.TradeType, a paysync.Anomaly) string {
	return encodeCursor(anomalyCursor{Query: kind, OpenedAt: a.OpenedAt.UnixMicro(),
		TradeType: string(a.TradeType), TradeNo: a.TradeNo, Code: string(a.Code)})
}

// decodeAnomalyCursor reads a cursor that encodeAnomalyCursor made for the
// same kind.
func decodeAnomalyCursor(s string, kind paysync.TradeType) (anomalyCursor, error) {
	var c anomalyCursor
	if err := decodeCursor(s, &c); err != nil {
		return anomalyCursor{}, err
	}
	if c.Query != kind || kind != "" && c.TradeType != string(kind) {
		return anomalyCursor{}, errors.New("cursor of another listing")
	}
	return c, nil
}

func encodeCursor(v any) string {
	body, _ := json.Marshal(v) // strings and integers only: it cannot fail
	enc := base64.RawURLEncoding
	return cursorVersion + "." + enc.EncodeToString(body) + "." + enc.EncodeToString(cursorCheck(body))
}

func decodeCursor(s string, v any) error {
	version, rest, _ := strings.Cut(s, ".")
	b64, check, ok := strings.Cut(rest, ".")
	if version != cursorVersion || !ok {
		return errors.New("not a cursor of this store")
	}
	enc := base64.RawURLEncoding
	body, err := enc.DecodeString(b64)
	if err != nil {
		return err
	}
	sum, err := enc.DecodeString(check)
	if err != nil {
		return err
	}
	if !bytes.Equal(sum, cursorCheck(body)) {
		return errors.New("cursor check failed")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// cursorCheck is the check of a cursor's body.
func cursorCheck(body []byte) []byte {
	sum := sha256.Sum256(append([]byte("pgstore cursor "+cursorVersion+"\x00"), body...))
	return sum[:9]
}
