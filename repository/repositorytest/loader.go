package repositorytest

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// runLoader holds a store that is a repository.PayOrderLoader to that
// contract: each order stored as CreatePayOrder would store it, all or
// nothing. A store without the capability has nothing to hold.
func runLoader(t *testing.T, s suite) {
	if _, ok := s.newStore(t).(repository.PayOrderLoader); !ok {
		t.Log("the store is not a repository.PayOrderLoader: no contract to check")
		return
	}
	k := payKind()
	fresh := func(t *testing.T) (repository.Store, repository.PayOrderLoader) {
		st := s.newStore(t)
		return st, st.(repository.PayOrderLoader)
	}
	t.Run("LoadsLikeCreate", func(t *testing.T) {
		st, l := fresh(t)
		a, b := NewPayOrder("L1", zoned(0)), NewPayOrder("L2", zoned(time.Second))
		k.change(&b, zoned(time.Minute)) // every field set
		b.Version = 7                    // ignored, as by a create
		b.Schedule.LeaseOwner, b.Schedule.LeaseUntil = "ghost", zoned(time.Hour)
		must(t, l.LoadPayOrders(t.Context(), []paysync.PayOrder{a, b}))
		for _, o := range []paysync.PayOrder{a, b} {
			want := expect(k, o, 1, paysync.Schedule{})
			same(t, "loaded "+o.OrderNo, k.fields(stored(t, st, k, o.OrderNo)), want)
			got, err := k.getByBiz(st, t.Context(), o.BizOrderNo)
			must(t, err)
			same(t, "loaded "+o.OrderNo+" by merchant number", k.fields(got), want)
		}
		// In the schedule as a create puts them: a claim takes both.
		sameList(t, "claim of the loaded orders", claimed(t, st, k, "a", zoned(time.Hour), zoned(2*time.Hour), 10),
			[]string{"L1", "L2"})
		must(t, l.LoadPayOrders(t.Context(), nil))
	})
	t.Run("AllOrNothing", func(t *testing.T) {
		st, l := fresh(t)
		created(t, st, k, "L1", base())
		looks := []look{lookOrder(k, "L1", "biz-L1"), lookOrder(k, "L2", "biz-L2"), lookOrder(k, "L3", "biz-L3")}
		before := snapshot(t, st, looks...)
		numbered := func(no, biz string) paysync.PayOrder {
			o := NewPayOrder(no, base())
			o.BizOrderNo = biz
			return o
		}
		type refusal struct {
			name   string
			orders []paysync.PayOrder
			want   error
		}
		refused := []refusal{
			{"number taken", []paysync.PayOrder{numbered("L2", "biz-L2"), numbered("L1", "biz-L3")}, paysync.ErrDuplicate},
			{"merchant number taken", []paysync.PayOrder{numbered("L2", "biz-L2"), numbered("L3", "biz-L1")}, paysync.ErrDuplicate},
			{"number twice", []paysync.PayOrder{numbered("L2", "biz-L2"), numbered("L2", "biz-L3")}, paysync.ErrDuplicate},
			{"merchant number twice", []paysync.PayOrder{numbered("L2", "biz-L2"), numbered("L3", "biz-L2")}, paysync.ErrDuplicate},
		}
		// Each order is validated as CreatePayOrder validates it.
		for _, e := range invalidEdits(k) {
			bad := numbered("L3", "biz-L3")
			e.apply(&bad)
			refused = append(refused, refusal{e.name, []paysync.PayOrder{numbered("L2", "biz-L2"), bad}, paysync.ErrInvalidRequest})
		}
		for _, tc := range refused {
			wantErr(t, "load, "+tc.name, l.LoadPayOrders(t.Context(), tc.orders), tc.want)
			same(t, "store after the refused load, "+tc.name, snapshot(t, st, looks...), before)
		}
		sameList(t, "claim after the refused loads", claimed(t, st, k, "a", base().Add(time.Hour), base().Add(2*time.Hour), 10),
			[]string{"L1"})
	})
}
