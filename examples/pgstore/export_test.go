package pgstore

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// The statements whose plans the plan test reads.
const (
	ListAllocSQL      = listAllocSQL
	ListRefundsSQL    = listRefundsSQL
	OrderAnomaliesSQL = orderAnomaliesSQL
)

// ListOrdersSQL is the page query of kind's listing by, after a cursor or
// not.
func ListOrdersSQL(kind paysync.TradeType, by repository.ListBy, after bool) string {
	t, ok := orderTableOf(kind)
	if !ok {
		panic("unknown kind " + kind)
	}
	return listOrdersSQL(t, by, after)
}

// ListOpenAnomaliesSQL is the page query of open anomalies, of one kind or
// every kind, after a cursor or not.
func ListOpenAnomaliesSQL(ofKind, after bool) string { return listOpenAnomaliesSQL(ofKind, after) }

// MigrateTo applies the migrations up to version only, for the test that
// migrates a database made by an earlier version.
func (s *Store) MigrateTo(ctx context.Context, version int) error { return s.migrate(ctx, version) }

// ClaimSQL is the claim statement of kind.
func ClaimSQL(kind paysync.TradeType) string {
	t, ok := orderTableOf(kind)
	if !ok {
		panic("unknown kind " + kind)
	}
	return t.claimSQL()
}
