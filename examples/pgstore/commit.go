package pgstore

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// An order's write and its entries' records and events are one statement:
// the write (a compare-and-swap UPDATE on the order's version, or the INSERT
// of a new order, ending in RETURNING 1) is the CTE "upd", and the INSERTs
// select from it, so the records and events are stored exactly when the
// order is, in one round trip. The entries take parameters $1..$34
// (entriesArgs); the write's start at $35. SaveEntries, which writes no
// order, puts SELECT 1 in "upd".
const (
	entriesHead = `WITH upd AS (`
	entriesTail = `),
sync AS (
	INSERT INTO sync_records (id, trade_type, trade_no, biz_no, out_no, channel, channel_state,
		raw, adjusted, adjust_no, anomalies, error_code, error_msg, client_ip, source, created_at)
	SELECT $1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text,
		$8::bytea, $9::boolean, $10::text, $11::text[], $12::text, $13::text, $14::text, $15::text, $16::timestamptz
	FROM upd WHERE $1::uuid IS NOT NULL
),
adj AS (
	INSERT INTO adjust_records (adjust_no, trade_type, trade_no, source, way, before, after, created_at,
		receiver_no, operator, reason)
	SELECT a.adjust_no, a.trade_type, a.trade_no, a.source, a.way, a.before, a.after, a.created_at,
		a.receiver_no, a.operator, a.reason
	FROM upd, unnest($17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[],
		$23::text[], $24::timestamptz[], $32::text[], $33::text[], $34::text[]) WITH ORDINALITY
		AS a(adjust_no, trade_type, trade_no, source, way, before, after, created_at, receiver_no,
			operator, reason, ord)
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

// entriesArgs returns the parameters $1..$34 of an entries statement for e.
// A SyncRecord with the nil id is taken as absent and not stored.
func entriesArgs(e repository.Entries) []any {
	r := e.Sync
	id := pgtype.UUID{Bytes: r.ID, Valid: r.ID != uuid.Nil}
	args := make([]any, 0, 34+20)
	args = append(args, id, string(r.TradeType), r.TradeNo, r.BizNo, r.OutNo, r.Channel, r.ChannelState,
		r.Raw, r.Adjusted, r.AdjustNo, codesArg(r.Anomalies), r.ErrorCode, r.ErrorMsg, r.ClientIP,
		string(r.Source), ts(r.CreatedAt))

	n := len(e.Adjusts)
	adjNo, adjTradeType, adjTradeNo := make([]string, n), make([]string, n), make([]string, n)
	adjSource, adjWay, adjBefore, adjAfter := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	adjAt, adjReceiver := make([]pgtype.Timestamptz, n), make([]string, n)
	adjOperator, adjReason := make([]string, n), make([]string, n)
	for i, a := range e.Adjusts {
		adjNo[i], adjTradeType[i], adjTradeNo[i] = a.AdjustNo, string(a.TradeType), a.TradeNo
		adjSource[i], adjWay[i], adjBefore[i], adjAfter[i] = string(a.Source), string(a.Way), a.Before, a.After
		adjAt[i], adjReceiver[i] = ts(a.CreatedAt), a.ReceiverNo
		adjOperator[i], adjReason[i] = a.Operator, a.Reason
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
	return append(args, evID, evType, evTradeType, evTradeNo, evPayload, evAt, evDelivered,
		adjReceiver, adjOperator, adjReason)
}

// write is one order's part of a commit or create.
type write struct {
	// sql is the order's statement, ending in RETURNING 1: a compare-and-swap
	// UPDATE (which may match nothing) or an INSERT. Its parameters start at
	// $35 and are args.
	sql  string
	args []any
	// exists tells, when the UPDATE matched nothing, a missing order
	// (notFound) from a stale version: a query of key returning one boolean.
	exists   string
	key      string
	notFound *paysync.Error
}

// commit stores w and e and, when pay is not nil, the change pay makes to
// the pay order of refund refundNo: all of it or nothing, in one
// transaction. It returns an error wrapping paysync.ErrVersionConflict when
// an order's version is stale or an anomaly disagrees with e, w.notFound or
// paysync.ErrOrderNotFound for a missing order, paysync.ErrInvalidRequest
// for an anomaly entry it refuses or a refund that is not the pay order's,
// paysync.ErrDuplicate for a taken key, paysync.ErrCanceled when ctx ends,
// and paysync.ErrInternal when the database fails.
//
// The order's write and its entries are one statement; the pay order's
// change and the anomaly steps follow it in the same batch, so the
// transaction takes two round trips (BEGIN with the batch, COMMIT) however
// much it writes (see inTx). The server runs the batch's statements in
// order; any of them may refuse the commit after the order's write has run,
// and a refusal is only explained (missed, payMissed) once the batch is read.
func (s *Store) commit(ctx context.Context, op string, w write, e repository.Entries, pay *repository.PayRefundChange, refundNo string) error {
	if err := validateAnomalyEntries(op, e); err != nil {
		return err
	}
	queue := func(b *pgx.Batch) {
		b.Queue(entriesHead+w.sql+entriesTail, append(entriesArgs(e), w.args...)...).QueryRow(func(row pgx.Row) error {
			var n int64
			if err := row.Scan(&n); err != nil {
				return err
			}
			return matched(n, orderNoRow)
		})
		if pay != nil {
			queuePayChange(b, *pay, refundNo)
		}
		queueAnomalies(b, op, e)
	}
	return s.inTx(ctx, op, queue, func(conn *pgxpool.Conn, err error) error {
		switch err {
		case orderNoRow:
			return missed(ctx, op, conn, w)
		case payNoRow:
			return payMissed(ctx, op, conn, *pay, refundNo)
		}
		return err
	})
}

// noRow is what a batch's callback returns for a compare-and-swap that
// matched no row; the transaction then asks the database why, which it
// cannot do while the batch is being read.
type noRow string

const (
	orderNoRow noRow = "the order's write"
	payNoRow   noRow = "the pay order's change"
)

func (e noRow) Error() string { return string(e) + " matched no row" }

// matched returns nil when a compare-and-swap wrote one row, else miss.
func matched(rows int64, miss noRow) error {
	if rows != 1 {
		return miss
	}
	return nil
}

// missed explains a write that matched no order: w.notFound when the order
// is missing, paysync.ErrVersionConflict when its version moved on.
func missed(ctx context.Context, op string, conn *pgxpool.Conn, w write) error {
	var found bool
	if err := conn.QueryRow(ctx, w.exists, w.key).Scan(&found); err != nil {
		return err
	}
	if !found {
		return paysync.E(op, w.notFound, nil)
	}
	return paysync.E(op, paysync.ErrVersionConflict, nil)
}
