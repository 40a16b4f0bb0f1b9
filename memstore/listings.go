package memstore

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// listing is what ListOrders and CountOrders need of a table, whatever its
// kind of order.
type listing interface {
	list(op string, q repository.OrderQuery, limit int) (repository.OrderPage, error)
	count(now time.Time) repository.OrderCounts
}

// ListOrders returns a page of one kind's orders as q asks.
func (s *Store) ListOrders(ctx context.Context, q repository.OrderQuery) (repository.OrderPage, error) {
	const op = "memstore.ListOrders"
	return view(ctx, s, op, func() (repository.OrderPage, error) {
		limit, err := pageSize(op, q.Limit)
		if err != nil {
			return repository.OrderPage{}, err
		}
		l, ok := s.listings[q.TradeType]
		if !ok {
			return repository.OrderPage{}, invalid(op, "unknown trade type "+string(q.TradeType))
		}
		return l.list(op, q, limit)
	})
}

// CountOrders returns the overview of one kind at now. It reads every order
// of the kind, as the port allows an overview to.
func (s *Store) CountOrders(ctx context.Context, tradeType paysync.TradeType, now time.Time) (repository.OrderCounts, error) {
	const op = "memstore.CountOrders"
	return view(ctx, s, op, func() (repository.OrderCounts, error) {
		l, ok := s.listings[tradeType]
		if !ok {
			return repository.OrderCounts{}, invalid(op, "unknown trade type "+string(tradeType))
		}
		c := l.count(utc(now))
		c.OpenAnomalies = s.anomalies.open[tradeType].Len()
		return c, nil
	})
}

// orderCursor is where a page of orders starts: the key of its first order,
// and the query it belongs to.
type orderCursor struct {
	Kind   paysync.TradeType
	By     repository.ListBy
	Status string
	At     int64
	No     string
}

// list returns the page of q that starts at q.Cursor, reading the index
// entries of the page and one more: the first of the next page.
func (t *table[O]) list(op string, q repository.OrderQuery, limit int) (repository.OrderPage, error) {
	var ix *index[O]
	var from key // where the first page starts
	switch q.By {
	case repository.ByStatus:
		if q.Status == "" {
			return repository.OrderPage{}, invalid(op, "a listing by status needs a status")
		}
		ix, from = t.byStatus, key{q.Status, math.MaxInt64, ""}
	case repository.ByDue:
		ix, from = t.due, key{"", math.MinInt64, ""}
	case repository.ByExhausted:
		ix, from = t.exhausted, key{"", math.MaxInt64, ""}
	default:
		return repository.OrderPage{}, invalid(op, "unknown listing order")
	}
	if q.Cursor != "" {
		var c orderCursor
		if !decodeCursor(q.Cursor, &c) || c.Kind != q.TradeType || c.By != q.By || c.Status != q.Status {
			return repository.OrderPage{}, invalid(op, "not a cursor of this query")
		}
		from.at, from.no = c.At, c.No
	}
	page := repository.OrderPage{Orders: []repository.OrderSummary{}}
	ix.AscendGreaterOrEqual(item[O]{key: from}, func(it item[O]) bool {
		t.visited()
		if it.group != from.group {
			return false
		}
		if len(page.Orders) == limit {
			page.Next = encodeCursor(orderCursor{q.TradeType, q.By, q.Status, it.at, it.no})
			return false
		}
		page.Orders = append(page.Orders, t.kind.summary(it.e.order))
		return true
	})
	return page, nil
}

// count returns the overview of the table at now, but for its anomalies.
func (t *table[O]) count(now time.Time) repository.OrderCounts {
	c := repository.OrderCounts{ByStatus: map[string]int{}, Exhausted: t.exhausted.Len()}
	t.byStatus.Ascend(func(it item[O]) bool {
		c.ByStatus[it.group]++
		return true
	})
	t.due.Ascend(func(it item[O]) bool {
		if it.at > now.UnixMicro() {
			return false
		}
		if c.Due == 0 {
			c.OldestDue = time.UnixMicro(it.at).UTC()
		}
		c.Due++
		return true
	})
	return c
}

// pageSize returns the page size limit asks for, or ErrInvalidRequest when
// it is negative.
func pageSize(op string, limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, invalid(op, "a limit cannot be negative")
	case limit == 0:
		return repository.DefaultPageSize, nil
	}
	return min(limit, repository.MaxPageSize), nil
}

// A cursor is JSON in URL-safe base64: opaque to a caller, and checked field
// by field when it comes back.

func encodeCursor(c any) string {
	b, err := json.Marshal(c)
	if err != nil {
		panic("memstore: a cursor does not encode: " + err.Error()) // its fields are strings, numbers and times
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reports whether s is a cursor of c's type, decoded into c.
func decodeCursor(s string, c any) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(c) == nil && !d.More()
}
