package main

import (
	"context"
	"slices"
	"strings"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// The demo counts what the store holds through the listings a console uses
// (repository.Listings, repository.Anomalies): a page at a time, as a host
// with a million orders would.

// statusesOf returns every status an order of kind tt can have.
func statusesOf(tt paysync.TradeType) []string {
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	switch tt {
	case paysync.TradePay:
		for _, s := range paysync.PayStatuses() {
			add(string(s))
		}
	case paysync.TradeAllocation:
		for _, s := range paysync.AllocationStatuses() {
			add(string(s))
		}
	case paysync.TradeRefund:
		for _, s := range paysync.RefundOrderStatuses() {
			add(string(s))
		}
	case paysync.TradeTransfer:
		for _, s := range paysync.TransferStatuses() {
			add(string(s))
		}
	}
	return out
}

// listOrders returns every order of kind tt in the store, in number order.
func listOrders(ctx context.Context, store repository.Store, tt paysync.TradeType) ([]repository.OrderSummary, error) {
	var out []repository.OrderSummary
	for _, status := range statusesOf(tt) {
		q := repository.OrderQuery{TradeType: tt, By: repository.ByStatus, Status: status, Limit: repository.MaxPageSize}
		for {
			page, err := store.ListOrders(ctx, q)
			if err != nil {
				return nil, err
			}
			out = append(out, page.Orders...)
			if page.Next == "" {
				break
			}
			q.Cursor = page.Next
		}
	}
	slices.SortFunc(out, func(a, b repository.OrderSummary) int { return strings.Compare(a.TradeNo, b.TradeNo) })
	return out, nil
}

// listOpenAnomalies returns every open anomaly in the store, oldest first.
func listOpenAnomalies(ctx context.Context, store repository.Store) ([]paysync.Anomaly, error) {
	var out []paysync.Anomaly
	q := repository.AnomalyQuery{Limit: repository.MaxPageSize}
	for {
		page, err := store.ListOpenAnomalies(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Anomalies...)
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}
