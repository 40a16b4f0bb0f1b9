package memstore

import (
	"context"
	"iter"
	"slices"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// journal holds one kind of row that commits append and nothing deletes, in
// the order stored, with maps to find a row by id and the rows about one
// trade number (of whatever trade type). Each row is a copy of its own: a
// slice of pointers grows by copying pointers, where a slice of records
// would copy every record it holds each time it grows.
type journal[T any, ID comparable] struct {
	rows    []*T
	at      map[ID]int       // position by id
	byTrade map[string][]int // positions by trade number
	id      func(T) ID
	tradeNo func(T) string
}

func newJournal[T any, ID comparable](id func(T) ID, tradeNo func(T) string) *journal[T, ID] {
	return &journal[T, ID]{at: map[ID]int{}, byTrade: map[string][]int{}, id: id, tradeNo: tradeNo}
}

// taken returns the first id of rows that is stored already or repeated
// within rows, and whether there is one.
func (j *journal[T, ID]) taken(rows []T) (ID, bool) {
	for i, r := range rows {
		id := j.id(r)
		_, ok := j.at[id]
		if ok || slices.ContainsFunc(rows[:i], func(r T) bool { return j.id(r) == id }) {
			return id, true
		}
	}
	var none ID
	return none, false
}

// add stores r, which the caller made a copy of its own.
func (j *journal[T, ID]) add(r T) {
	no := j.tradeNo(r)
	j.at[j.id(r)] = len(j.rows)
	j.byTrade[no] = append(j.byTrade[no], len(j.rows))
	j.rows = append(j.rows, &r)
}

// positions yields the positions of the rows about tradeNo, of every row
// when tradeNo is empty, in the order stored.
func (j *journal[T, ID]) positions(tradeNo string) iter.Seq[int] {
	if tradeNo != "" {
		return slices.Values(j.byTrade[tradeNo])
	}
	return func(yield func(int) bool) {
		for i := range j.rows {
			if !yield(i) {
				return
			}
		}
	}
}

// list returns copies of j's rows at positions that match, up to limit (0:
// no limit), or ErrInvalidRequest for a negative limit.
func (j *journal[T, ID]) list(op string, positions iter.Seq[int], limit int, match func(*T) bool, copy func(T) T) ([]T, error) {
	if limit < 0 {
		return nil, invalid(op, "a limit cannot be negative")
	}
	out := []T{}
	for at := range positions {
		if limit > 0 && len(out) == limit {
			break
		}
		if match(j.rows[at]) {
			out = append(out, copy(*j.rows[at]))
		}
	}
	return out, nil
}

// SaveEntries stores e without touching any order, all or nothing.
func (s *Store) SaveEntries(ctx context.Context, e repository.Entries) error {
	const op = "memstore.SaveEntries"
	return s.update(ctx, op, func() error {
		b, err := s.prepare(op, e)
		if err != nil {
			return err
		}
		s.write(b)
		return nil
	})
}

// GetSyncRecord returns the sync record with id.
func (s *Store) GetSyncRecord(ctx context.Context, id uuid.UUID) (paysync.SyncRecord, error) {
	const op = "memstore.GetSyncRecord"
	return view(ctx, s, op, func() (paysync.SyncRecord, error) {
		at, ok := s.syncs.at[id]
		if !ok {
			return paysync.SyncRecord{}, paysync.E(op, paysync.ErrRecordNotFound, nil)
		}
		return copySync(*s.syncs.rows[at]), nil
	})
}

// ListSyncRecords returns the sync records that match f in the order stored.
func (s *Store) ListSyncRecords(ctx context.Context, f repository.RecordFilter) ([]paysync.SyncRecord, error) {
	const op = "memstore.ListSyncRecords"
	return view(ctx, s, op, func() ([]paysync.SyncRecord, error) {
		match := func(r *paysync.SyncRecord) bool { return f.TradeType == "" || r.TradeType == f.TradeType }
		return s.syncs.list(op, s.syncs.positions(f.TradeNo), f.Limit, match, copySync)
	})
}

// ListAdjustRecords returns the adjust records that match f in the order
// stored.
func (s *Store) ListAdjustRecords(ctx context.Context, f repository.RecordFilter) ([]paysync.AdjustRecord, error) {
	const op = "memstore.ListAdjustRecords"
	return view(ctx, s, op, func() ([]paysync.AdjustRecord, error) {
		match := func(a *paysync.AdjustRecord) bool { return f.TradeType == "" || a.TradeType == f.TradeType }
		same := func(a paysync.AdjustRecord) paysync.AdjustRecord { return a } // it has no slices
		return s.adjusts.list(op, s.adjusts.positions(f.TradeNo), f.Limit, match, same)
	})
}
