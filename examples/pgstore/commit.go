package pgstore

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// A commit is one statement: the order's UPDATE (a compare-and-swap on its
// version) in the CTE "upd", and INSERTs that select from it, so the records
// and events are stored exactly when the order is. One statement is one
// implicit transaction and one round trip. The entries take parameters
// $1..$32 (entriesArgs); the UPDATE's start at $33. A commit statement is
// commitHead + the UPDATE + commitTail.
const (
	commitHead = `WITH upd AS (`
	commitTail = ` RETURNING 1),
sync AS (
	INSERT INTO sync_records (id, trade_type, trade_no, biz_no, out_no, channel, channel_state,
		raw, adjusted, adjust_no, anomalies, error_code, error_msg, client_ip, source, created_at)
	SELECT $1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text,
		$8::bytea, $9::boolean, $10::text, $11::text[], $12::text, $13::text, $14::text, $15::text, $16::timestamptz
	FROM upd WHERE $1::uuid IS NOT NULL
),
adj AS (
	INSERT INTO adjust_records (adjust_no, trade_type, trade_no, source, way, before, after, created_at, receiver_no)
	SELECT a.adjust_no, a.trade_type, a.trade_no, a.source, a.way, a.before, a.after, a.created_at, a.receiver_no
	FROM upd, unnest($17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[],
		$23::text[], $24::timestamptz[], $32::text[]) WITH ORDINALITY
		AS a(adjust_no, trade_type, trade_no, source, way, before, after, created_at, receiver_no, ord)
	ORDER BY a.ord
),
ev AS (
	INSERT INTO events (id, type, trade_type, trade_no, payload, created_at, delivered_at)
	SELECT e.id, e.type, e.trade_type, e.trade_no, e.payload, e.created_at, e.delivered_at
	FROM upd, unnest($25::uuid[], $26::text[], $27::text[], $28::text[], $29::bytea[],
		$30::timestamptz[], $31::timestamptz[]) WITH ORDINALITY
		AS e(id, type, trade_type, trade_no, payload, created_at, delivered_at, ord)
	ORDER BY e.ord
)
SELECT count(*) FROM upd`
)

// entriesArgs returns the parameters $1..$32 of commitSQL for e. A SyncRecord
// with the nil id is taken as absent and not stored.
func entriesArgs(e repository.Entries) []any {
	r := e.Sync
	id := pgtype.UUID{Bytes: r.ID, Valid: r.ID != uuid.Nil}
	args := make([]any, 0, 32+20)
	args = append(args, id, string(r.TradeType), r.TradeNo, r.BizNo, r.OutNo, r.Channel, r.ChannelState,
		r.Raw, r.Adjusted, r.AdjustNo, codesArg(r.Anomalies), r.ErrorCode, r.ErrorMsg, r.ClientIP,
		string(r.Source), ts(r.CreatedAt))

	n := len(e.Adjusts)
	adjNo, adjTradeType, adjTradeNo := make([]string, n), make([]string, n), make([]string, n)
	adjSource, adjWay, adjBefore, adjAfter := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	adjAt, adjReceiver := make([]pgtype.Timestamptz, n), make([]string, n)
	for i, a := range e.Adjusts {
		adjReceiver[i] = a.ReceiverNo
		adjNo[i], adjTradeType[i], adjTradeNo[i] = a.AdjustNo, string(a.TradeType), a.TradeNo
		adjSource[i], adjWay[i], adjBefore[i], adjAfter[i] = string(a.Source), string(a.Way), a.Before, a.After
		adjAt[i] = ts(a.CreatedAt)
	}
	args = append(args, adjNo, adjTradeType, adjTradeNo, adjSource, adjWay, adjBefore, adjAfter, adjAt)

	n = len(e.Events)
	evID := make([]pgtype.UUID, n)
	evType, evTradeType, evTradeNo := make([]string, n), make([]string, n), make([]string, n)
	evPayload := make([][]byte, n)
	evAt, evDelivered := make([]pgtype.Timestamptz, n), make([]pgtype.Timestamptz, n)
	for i, v := range e.Events {
		evID[i] = pgtype.UUID{Bytes: v.ID, Valid: true}
		evType[i], evTradeType[i], evTradeNo[i] = string(v.Type), string(v.TradeType), v.TradeNo
		evPayload[i] = v.Payload
		evAt[i], evDelivered[i] = ts(v.CreatedAt), ts(v.DeliveredAt)
	}
	return append(args, evID, evType, evTradeType, evTradeNo, evPayload, evAt, evDelivered, adjReceiver)
}

// commit runs a commit statement and, when it matched no order, tells a
// missing order (notFound) from a stale version by looking the order up.
func (s *Store) commit(ctx context.Context, op, sql string, args []any, exists string, key string, notFound *paysync.Error) error {
	db, err := s.db(op)
	if err != nil {
		return err
	}
	var n int64
	if err := db.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		return fail(ctx, op, err)
	}
	if n == 1 {
		return nil
	}
	var found bool
	if err := db.QueryRow(ctx, exists, key).Scan(&found); err != nil {
		return fail(ctx, op, err)
	}
	if !found {
		return paysync.E(op, notFound, nil)
	}
	return paysync.E(op, paysync.ErrVersionConflict, nil)
}
