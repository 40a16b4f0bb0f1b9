package memstore

import (
	"cmp"
	"math/rand/v2"
	"testing"
)

// TestKeysAgreeWithAMap adds keys that mostly grow, as v7 ids do, with runs
// out of order and repeats, and checks every find against a plain map.
func TestKeysAgreeWithAMap(t *testing.T) {
	for _, tc := range []struct {
		name     string
		disorder float64 // share of keys not above every earlier one
	}{
		{"in order", 0}, {"mostly in order", 0.05}, {"random", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var rows []int64 // the table: row position → key
			x := newKeys(cmp.Compare[int64], func(pos int) int64 { return rows[pos] })
			want := map[int64]int{}
			next := int64(0)
			for range 3 * chunkRows {
				next += 1 + rng.Int64N(3)
				k := next
				if rng.Float64() < tc.disorder {
					k = rng.Int64N(next + 1)
				}
				pos, found := x.find(k)
				wpos, wfound := want[k]
				if found != wfound || pos != wpos {
					t.Fatalf("find(%d) = %d, %v; want %d, %v", k, pos, found, wpos, wfound)
				}
				if found {
					continue // a duplicate: the store refuses it
				}
				rows = append(rows, k)
				x.add(k, len(rows)-1)
				want[k] = len(rows) - 1
			}
			for k := int64(-1); k <= next+1; k++ {
				pos, found := x.find(k)
				wpos, wfound := want[k]
				if found != wfound || pos != wpos {
					t.Fatalf("after loading: find(%d) = %d, %v; want %d, %v", k, pos, found, wpos, wfound)
				}
			}
			if tc.disorder == 0 && x.others != nil {
				t.Fatalf("keys in order went to the map: %d of them", len(x.others))
			}
		})
	}
}
