package pgstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/require"
)

// TestCursorsAreChecked: a cursor works only for the listing that made it.
// One that was cut or edited, or one of another listing (another kind,
// order, status or the anomaly inbox), is refused with ErrInvalidRequest.
func TestCursorsAreChecked(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for _, no := range []string{"P1", "P2", "P3"} {
		require.NoError(t, s.CreatePayOrder(ctx, payOrder(no)))
		require.NoError(t, s.SaveEntries(ctx, repository.Entries{
			Sightings: []repository.AnomalySighting{sighting(no, paysync.AnomalyAmountMismatch, true)}}))
	}
	byStatus := repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByStatus,
		Status: string(paysync.PayProgress), Limit: 1}
	page, err := s.ListOrders(ctx, byStatus)
	require.NoError(t, err)
	require.NotEmpty(t, page.Next)
	orderCursor := page.Next
	anomalies, err := s.ListOpenAnomalies(ctx, repository.AnomalyQuery{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, anomalies.Next)
	anomalyCursor := anomalies.Next

	next := byStatus
	next.Cursor = orderCursor
	page, err = s.ListOrders(ctx, next)
	require.NoError(t, err, "the cursor works for its own listing")
	require.Equal(t, "P2", page.Orders[0].TradeNo)

	edited := []byte(orderCursor)
	i := strings.Index(orderCursor, ".") + 3
	edited[i] ^= 1
	for _, tc := range []struct {
		name string
		q    repository.OrderQuery
	}{
		{"cut", with(byStatus, orderCursor[:len(orderCursor)-2])},
		{"edited", with(byStatus, string(edited))},
		{"another kind's", func() repository.OrderQuery {
			q := with(byStatus, orderCursor)
			q.TradeType = paysync.TradeRefund
			return q
		}()},
		{"another status's", func() repository.OrderQuery {
			q := with(byStatus, orderCursor)
			q.Status = string(paysync.PayWait)
			return q
		}()},
		{"another order's", repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByDue, Cursor: orderCursor}},
		{"the anomaly inbox's", with(byStatus, anomalyCursor)},
	} {
		_, err := s.ListOrders(ctx, tc.q)
		require.ErrorIs(t, err, paysync.ErrInvalidRequest, tc.name)
	}
	for _, tc := range []struct {
		name string
		q    repository.AnomalyQuery
	}{
		{"an order listing's", repository.AnomalyQuery{Cursor: orderCursor}},
		{"another kind's", repository.AnomalyQuery{TradeType: paysync.TradePay, Cursor: anomalyCursor}},
		{"cut", repository.AnomalyQuery{Cursor: anomalyCursor[:len(anomalyCursor)-1]}},
	} {
		_, err := s.ListOpenAnomalies(ctx, tc.q)
		require.ErrorIs(t, err, paysync.ErrInvalidRequest, tc.name)
	}
}

func with(q repository.OrderQuery, cursor string) repository.OrderQuery {
	q.Cursor = cursor
	return q
}
