package repository

import (
	"context"

	"github.com/paysync/paysync"
)

// Anomalies reads the anomalies kept beside orders. They are written only
// as entries of a commit (AnomalySighting, AnomalyResolution).
type Anomalies interface {
	// OrderAnomalies returns every anomaly of one order, open or resolved,
	// ordered by Code; an empty slice when it has none (also when no such
	// order exists). Its cost grows with the order's anomalies only.
	OrderAnomalies(ctx context.Context, tradeType paysync.TradeType, tradeNo string) ([]paysync.Anomaly, error)

	// ListOpenAnomalies returns a page of open anomalies, oldest first
	// (OpenedAt, then TradeType, TradeNo, Code), of every kind or of
	// q.TradeType only. It returns an error wrapping
	// paysync.ErrInvalidRequest for an unknown TradeType, a negative Limit
	// or a cursor this store did not make.
	ListOpenAnomalies(ctx context.Context, q AnomalyQuery) (AnomalyPage, error)
}

// AnomalyQuery selects a page of open anomalies.
type AnomalyQuery struct {
	TradeType paysync.TradeType // empty: every kind
	Cursor    string            // AnomalyPage.Next of the page before; empty: the first page
	Limit     int               // 0: DefaultPageSize; above MaxPageSize: MaxPageSize
}

// AnomalyPage is one page of anomalies. Next is the cursor of the page that
// follows, empty when this is the last.
type AnomalyPage struct {
	Anomalies []paysync.Anomaly
	Next      string
}
