package pgstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// anomalyColumns is what every read of an anomaly selects, in scanAnomaly's
// order.
const anomalyColumns = `trade_type, trade_no, code, first_seen_at, opened_at, last_seen_at, times_seen,
	resolved_at, resolved_by, note`

// How a commit's anomaly entries are applied, under READ COMMITTED, with two
// hosts possibly seeing the same anomaly at once. Each statement decides on
// the latest committed row, not on the transaction's snapshot, and says by
// its row count whether the stored anomaly agreed with the engine:
//
//   - An opening sighting is INSERT … ON CONFLICT DO UPDATE … WHERE the row
//     is resolved. When another transaction has inserted the same key and
//     not yet committed, PostgreSQL makes this one wait for it; then it either
//     inserts (the other rolled back) or takes the conflict path, locks the
//     row and evaluates the WHERE against its latest version. Of two hosts
//     opening one new anomaly, the second finds it open, matches no row and
//     its commit is refused: the anomaly is opened, and announced, once.
//   - A repeat sighting and a resolution are UPDATEs WHERE the row is open:
//     an UPDATE waits for a concurrent writer of the row and re-checks its
//     WHERE on the new version, so a resolution committed meanwhile makes it
//     match nothing.
//
// Row locks taken up front (SELECT … FOR UPDATE) would not do: there is no
// row to lock while the anomaly is absent, which is exactly when two hosts
// race to open it. A transaction applies its entries in key order, so two
// commits that touch the same anomalies lock them in one order and do not
// deadlock.
const (
	openAnomalySQL = `INSERT INTO anomalies AS a (trade_type, trade_no, code, first_seen_at, opened_at,
		last_seen_at, times_seen)
	VALUES ($1, $2, $3, $4, $4, $4, 1)
	ON CONFLICT (trade_type, trade_no, code) DO UPDATE
	SET opened_at = excluded.opened_at, last_seen_at = excluded.last_seen_at,
		times_seen = a.times_seen + 1, resolved_at = NULL, resolved_by = '', note = ''
	WHERE a.resolved_at IS NOT NULL`

	seeAnomalySQL = `UPDATE anomalies SET last_seen_at = $4, times_seen = times_seen + 1
	WHERE trade_type = $1 AND trade_no = $2 AND code = $3 AND resolved_at IS NULL`

	resolveAnomalySQL = `UPDATE anomalies SET resolved_at = $4, resolved_by = $5, note = $6
	WHERE trade_type = $1 AND trade_no = $2 AND code = $3 AND resolved_at IS NULL`

	orderAnomaliesSQL = `SELECT ` + anomalyColumns + ` FROM anomalies
	WHERE trade_type = $1 AND trade_no = $2 ORDER BY code`

	listAnomaliesHead = `SELECT ` + anomalyColumns + ` FROM anomalies WHERE resolved_at IS NULL`
)

// anomalyStep is one sighting or resolution, as the statement that applies
// it.
type anomalyStep struct {
	tradeType, tradeNo, code string
	sql                      string
	args                     []any
}

// validateAnomalyEntries refuses, with paysync.ErrInvalidRequest, a sighting
// or resolution without a known trade type, a number, a code or a time: a
// zero resolution time would read back as "open".
func validateAnomalyEntries(op string, e repository.Entries) error {
	check := func(t paysync.TradeType, no string, code paysync.AnomalyCode, at time.Time) error {
		switch {
		case !t.Valid():
			return invalid(op, "anomaly of unknown trade type "+string(t))
		case no == "" || code == "":
			return invalid(op, "anomaly without a trade number or a code")
		case at.IsZero():
			return invalid(op, "anomaly "+string(code)+" without a time")
		}
		return nil
	}
	for _, a := range e.Sightings {
		if err := check(a.TradeType, a.TradeNo, a.Code, a.At); err != nil {
			return err
		}
	}
	for _, a := range e.Resolutions {
		if err := check(a.TradeType, a.TradeNo, a.Code, a.At); err != nil {
			return err
		}
	}
	return nil
}

// queueAnomalies adds e's sightings and resolutions to b in key order
// (sightings before resolutions of one key, each in the order given). A
// step the stored anomaly disagrees with ends the batch with an error
// wrapping paysync.ErrVersionConflict, on which the caller rolls back.
func queueAnomalies(b *pgx.Batch, op string, e repository.Entries) {
	steps := make([]anomalyStep, 0, len(e.Sightings)+len(e.Resolutions))
	for _, a := range e.Sightings {
		sql := seeAnomalySQL
		if a.Opens {
			sql = openAnomalySQL
		}
		steps = append(steps, anomalyStep{string(a.TradeType), a.TradeNo, string(a.Code), sql,
			[]any{string(a.TradeType), a.TradeNo, string(a.Code), tsAlways(a.At)}})
	}
	for _, a := range e.Resolutions {
		steps = append(steps, anomalyStep{string(a.TradeType), a.TradeNo, string(a.Code), resolveAnomalySQL,
			[]any{string(a.TradeType), a.TradeNo, string(a.Code), tsAlways(a.At), a.By, a.Note}})
	}
	slices.SortStableFunc(steps, func(a, b anomalyStep) int {
		return cmp.Or(cmp.Compare(a.tradeType, b.tradeType), cmp.Compare(a.tradeNo, b.tradeNo),
			cmp.Compare(a.code, b.code))
	})
	for _, st := range steps {
		b.Queue(st.sql, st.args...).Exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() != 1 {
				return paysync.Ef(op, paysync.ErrVersionConflict,
					"anomaly "+st.code+" of "+st.tradeType+" "+st.tradeNo+" changed since it was read", nil)
			}
			return nil
		})
	}
}

// OrderAnomalies returns every anomaly of one order, open or resolved, by
// code (the primary key's order); an empty slice when it has none. It
// returns an error wrapping paysync.ErrCanceled when ctx ends and
// paysync.ErrInternal when the database fails.
func (s *Store) OrderAnomalies(ctx context.Context, tradeType paysync.TradeType, tradeNo string) ([]paysync.Anomaly, error) {
	const op = "pgstore.OrderAnomalies"
	return query(ctx, s, op, orderAnomaliesSQL, []any{string(tradeType), tradeNo}, scanAnomaly)
}

// ListOpenAnomalies returns a page of open anomalies, oldest first, read
// from the partial index of open anomalies (of every kind, or of one). It
// returns an error wrapping paysync.ErrInvalidRequest for an unknown
// TradeType, a negative Limit or a cursor this store did not make for q,
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails.
func (s *Store) ListOpenAnomalies(ctx context.Context, q repository.AnomalyQuery) (repository.AnomalyPage, error) {
	const op = "pgstore.ListOpenAnomalies"
	if q.TradeType != "" && !q.TradeType.Valid() {
		return repository.AnomalyPage{}, invalid(op, "unknown trade type "+string(q.TradeType))
	}
	limit, err := pageLimit(op, q.Limit)
	if err != nil {
		return repository.AnomalyPage{}, err
	}
	var args []any
	if q.TradeType != "" {
		args = append(args, string(q.TradeType))
	}
	after := q.Cursor != ""
	if after {
		c, err := decodeAnomalyCursor(q.Cursor, q.TradeType)
		if err != nil {
			return repository.AnomalyPage{}, paysync.Ef(op, paysync.ErrInvalidRequest, "invalid cursor", err)
		}
		args = append(args, tsAlways(c.openedAt()))
		if q.TradeType == "" {
			args = append(args, c.TradeType)
		}
		args = append(args, c.TradeNo, c.Code)
	}
	args = append(args, limit+1)
	got, err := query(ctx, s, op, listOpenAnomaliesSQL(q.TradeType != "", after), args, scanAnomaly)
	if err != nil {
		return repository.AnomalyPage{}, err
	}
	page := repository.AnomalyPage{Anomalies: got}
	if len(got) > limit {
		page.Anomalies = got[:limit]
		page.Next = encodeAnomalyCursor(q.TradeType, got[limit-1])
	}
	return page, nil
}

// listOpenAnomaliesSQL is the page query, in four plain variants whose
// WHERE and ORDER BY match anomalies_open: of one kind (the kind is $1) or
// of every kind, after a cursor (its opened_at, trade_type unless the kind
// is fixed, trade_no and code are the next parameters) or from the start,
// limited by the last parameter. A cursor of one kind's listing is of that
// kind, so its row comparison names $1 for trade_type and stays the
// index's whole key.
func listOpenAnomaliesSQL(ofKind, after bool) string {
	const order = ` ORDER BY opened_at, trade_type, trade_no, code LIMIT `
	switch {
	case ofKind && after:
		return listAnomaliesHead + ` AND trade_type = $1
	AND (opened_at, trade_type, trade_no, code) > ($2, $1, $3, $4)` + order + `$5`
	case ofKind:
		return listAnomaliesHead + ` AND trade_type = $1` + order + `$2`
	case after:
		return listAnomaliesHead + ` AND (opened_at, trade_type, trade_no, code) > ($1, $2, $3, $4)` + order + `$5`
	}
	return listAnomaliesHead + order + `$1`
}

// scanAnomaly reads one row of anomalyColumns.
func scanAnomaly(row pgx.CollectableRow) (paysync.Anomaly, error) {
	var (
		a                                       paysync.Anomaly
		tradeType, code                         string
		firstSeen, opened, lastSeen, resolvedAt pgtype.Timestamptz
	)
	err := row.Scan(&tradeType, &a.TradeNo, &code, &firstSeen, &opened, &lastSeen, &a.TimesSeen,
		&resolvedAt, &a.ResolvedBy, &a.Note)
	a.TradeType, a.Code = paysync.TradeType(tradeType), paysync.AnomalyCode(code)
	a.FirstSeenAt, a.OpenedAt, a.LastSeenAt = timeOf(firstSeen), timeOf(opened), timeOf(lastSeen)
	a.ResolvedAt = timeOf(resolvedAt)
	return a, err
}
