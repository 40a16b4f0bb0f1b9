package memstore

import (
	"context"
	"math"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// The methods of the four kinds of order share these.

func create[O any](ctx context.Context, s *Store, op string, t *table[O], o O) error {
	return s.update(ctx, op, func() error {
		e, err := t.fresh(op, o)
		if err != nil {
			return err
		}
		t.insert(e)
		return nil
	})
}

// get returns a copy of the order filed under no in by: t.byNo or t.byBiz.
func get[O any](ctx context.Context, s *Store, op string, t *table[O], by map[string]*entry[O], no string) (O, error) {
	return view(ctx, s, op, func() (O, error) {
		e, ok := by[no]
		if !ok {
			var none O
			return none, paysync.E(op, t.kind.notFound, nil)
		}
		return t.kind.clone(e.order), nil
	})
}

// children returns copies of pay order orderNo's orders of t's kind, in
// creation order.
func children[O any](ctx context.Context, s *Store, op string, t *table[O], orderNo string) ([]O, error) {
	return view(ctx, s, op, func() ([]O, error) {
		out := []O{}
		t.children.AscendGreaterOrEqual(item[O]{key: key{orderNo, math.MinInt64, ""}}, func(it item[O]) bool {
			if it.group != orderNo {
				return false
			}
			out = append(out, t.kind.clone(it.e.order))
			return true
		})
		return out, nil
	})
}

func commit[O any](ctx context.Context, s *Store, op string, t *table[O], o O, e repository.Entries) error {
	return s.update(ctx, op, func() error {
		o, err := t.in(op, o)
		if err != nil {
			return err
		}
		sum := t.kind.summary(o)
		cur, err := t.check(op, sum.TradeNo, sum.Version)
		if err != nil {
			return err
		}
		b, err := s.prepare(op, e)
		if err != nil {
			return err
		}
		t.commit(cur, o)
		s.write(b)
		return nil
	})
}

func claim[O any](ctx context.Context, s *Store, op string, t *table[O], c repository.Claim) (out []O, err error) {
	err = s.update(ctx, op, func() error {
		c.Now, c.Until = utc(c.Now), utc(c.Until)
		if err := c.Validate(); err != nil {
			return paysync.Ef(op, paysync.ErrInvalidRequest, "invalid claim", err)
		}
		out = t.claim(c)
		return nil
	})
	return out, err
}

func release[O any](ctx context.Context, s *Store, op string, t *table[O], owner string, nos []string) error {
	return s.update(ctx, op, func() error {
		t.release(owner, nos)
		return nil
	})
}
