package pgstore

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// ts converts t for a timestamptz parameter: UTC, truncated to the
// microsecond PostgreSQL keeps, and NULL for the zero time.
func ts(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t.UTC().Truncate(time.Microsecond), Valid: true}
}

// tsAlways is ts for a column that must not be NULL: the zero time is stored
// as itself (0001-01-01 UTC), which reads back as the zero time.
func tsAlways(t time.Time) pgtype.Timestamptz {
	return pgtype.Timestamptz{Time: t.UTC().Truncate(time.Microsecond), Valid: true}
}

// timeOf converts a scanned timestamptz back: UTC, NULL as the zero time.
func timeOf(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC().Truncate(time.Microsecond)
}

// textOf returns a scanned nullable text, NULL as "".
func textOf(t pgtype.Text) string { return t.String }

// parseAmount reads a numeric that was selected as text.
func parseAmount(s string) (decimal.Decimal, error) { return decimal.NewFromString(s) }

// codesArg converts anomaly codes for a text[] parameter, keeping nil apart
// from empty so a slice reads back as it was written.
func codesArg(codes []paysync.AnomalyCode) []string {
	if codes == nil {
		return nil
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = string(c)
	}
	return out
}

// codesOf converts a scanned text[] back to anomaly codes.
func codesOf(s []string) []paysync.AnomalyCode {
	if s == nil {
		return nil
	}
	out := make([]paysync.AnomalyCode, len(s))
	for i, c := range s {
		out[i] = paysync.AnomalyCode(c)
	}
	return out
}

// schedule decides where an order stands in the sweep: whether it is in the
// schedule and, if so, when it is due. fallback is the due time of an order
// that names none (CreatedAt on create, UpdatedAt on commit).
func schedule(scheduled bool, s paysync.Schedule, fallback time.Time) (in bool, next pgtype.Timestamptz) {
	if !scheduled || s.Exhausted {
		return false, pgtype.Timestamptz{}
	}
	if s.NextSyncAt.IsZero() {
		return true, tsAlways(fallback)
	}
	return true, tsAlways(s.NextSyncAt)
}
