package pgstore_test

import (
	"fmt"
	"testing"

	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/repository/repositorytest"
)

// factory gives each test of the suite a store on a schema of its own.
func factory(tb testing.TB) repository.Store { return newStore(tb) }

func TestConformance(t *testing.T) {
	testDatabase(t) // one skip, not one per contract
	repositorytest.Run(t, factory, repositorytest.Options{})
}

func BenchmarkClaim(b *testing.B) {
	for _, stored := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			repositorytest.BenchmarkClaim(b, factory, stored)
		})
	}
}

func BenchmarkCommit(b *testing.B) {
	for _, stored := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			repositorytest.BenchmarkCommit(b, factory, stored)
		})
	}
}
