package repositorytest

import (
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runLoader holds a store that is a repository.PayOrderLoader to that
// contract. A store without the capability has nothing to hold.
func runLoader(t *testing.T, s suite) {
	probe, ok := s.newStore(t).(repository.PayOrderLoader)
	if !ok || probe == nil {
		t.Log("the store is not a repository.PayOrderLoader: no contract to check")
		return
	}
	fresh := func(t *testing.T) (repository.Store, repository.PayOrderLoader) {
		st := s.newStore(t)
		return st, st.(repository.PayOrderLoader)
	}
	t.Run("LoadsLikeCreate", func(t *testing.T) {
		st, l := fresh(t)
		a, b := NewPayOrder("L1", base()), NewPayOrder("L2", base())
		require.NoError(t, l.LoadPayOrders(t.Context(), []paysync.PayOrder{a, b}))
		for _, want := range []paysync.PayOrder{a, b} {
			got, err := st.GetPayOrder(t.Context(), want.OrderNo)
			require.NoError(t, err)
			assert.Equal(t, int64(1), got.Version)
			got, err = st.GetPayOrderByBizNo(t.Context(), want.BizOrderNo)
			require.NoError(t, err)
			assert.Equal(t, want.OrderNo, got.OrderNo)
		}
		require.NoError(t, l.LoadPayOrders(t.Context(), nil))
	})
	t.Run("AllOrNothing", func(t *testing.T) {
		st, l := fresh(t)
		require.NoError(t, st.CreatePayOrder(t.Context(), NewPayOrder("L1", base())))
		err := l.LoadPayOrders(t.Context(), []paysync.PayOrder{NewPayOrder("L2", base()), NewPayOrder("L1", base())})
		require.ErrorIs(t, err, paysync.ErrDuplicate)
		_, err = st.GetPayOrder(t.Context(), "L2")
		require.ErrorIs(t, err, paysync.ErrOrderNotFound, "nothing of a failed load is stored")

		// Each order is validated as CreatePayOrder validates it.
		for _, e := range invalidEdits(payKind()) {
			bad := NewPayOrder("L3", base())
			e.apply(&bad)
			err = l.LoadPayOrders(t.Context(), []paysync.PayOrder{NewPayOrder("L4", base()), bad})
			require.ErrorIs(t, err, paysync.ErrInvalidRequest, e.name)
			_, err = st.GetPayOrder(t.Context(), "L4")
			require.ErrorIs(t, err, paysync.ErrOrderNotFound, "nothing of a load with an order %s is stored", e.name)
		}
	})
}
