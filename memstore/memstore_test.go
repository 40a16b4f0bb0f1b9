package memstore_test

import (
	"testing"

	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/repository/repositorytest"
)

func newStore(testing.TB) repository.Store { return memstore.New() }

func TestConformance(t *testing.T) {
	repositorytest.Run(t, newStore, repositorytest.Options{})
}

// The costs docs/performance.md#store-benchmarks bounds: at a million orders stored, at most twice
// the cost at ten thousand.
func BenchmarkClaim10k(b *testing.B) { repositorytest.BenchmarkClaim(b, newStore, 10_000) }
func BenchmarkClaim1M(b *testing.B)  { repositorytest.BenchmarkClaim(b, newStore, 1_000_000) }
func BenchmarkClaimRefunds10k(b *testing.B) {
	repositorytest.BenchmarkClaimRefunds(b, newStore, 10_000)
}
func BenchmarkClaimRefunds1M(b *testing.B) {
	repositorytest.BenchmarkClaimRefunds(b, newStore, 1_000_000)
}
func BenchmarkCommit10k(b *testing.B) { repositorytest.BenchmarkCommit(b, newStore, 10_000) }
func BenchmarkCommit1M(b *testing.B)  { repositorytest.BenchmarkCommit(b, newStore, 1_000_000) }
