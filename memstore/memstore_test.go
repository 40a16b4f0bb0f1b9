package memstore_test

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/repository/repositorytest"
)

func newStore(testing.TB) repository.Store { return memstore.New() }

func TestConformance(t *testing.T) {
	repositorytest.Run(t, newStore, repositorytest.Options{})
}

func BenchmarkClaim10k(b *testing.B)  { repositorytest.BenchmarkClaim(b, newStore, 10_000) }
func BenchmarkClaim1M(b *testing.B)   { repositorytest.BenchmarkClaim(b, newStore, 1_000_000) }
func BenchmarkCommit10k(b *testing.B) { repositorytest.BenchmarkCommit(b, newStore, 10_000) }
func BenchmarkCommit1M(b *testing.B)  { repositorytest.BenchmarkCommit(b, newStore, 1_000_000) }

// BenchmarkGetPayOrder measures the read that starts every sync: an order
// that has announced an anomaly, so its copy has a slice to copy.
func BenchmarkGetPayOrder(b *testing.B) {
	s := memstore.New()
	o := repositorytest.NewPayOrder("P1", time.Date(2024, 5, 12, 8, 0, 0, 0, time.UTC))
	o.Announced = []paysync.AnomalyCode{paysync.AnomalyAmountMismatch}
	if err := s.CreatePayOrder(b.Context(), o); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.GetPayOrder(b.Context(), "P1"); err != nil {
			b.Fatal(err)
		}
	}
}
