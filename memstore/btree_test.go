package memstore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// check fails t unless every node but the root holds minItems to maxItems
// items, every leaf is at the same depth, items ascend, and Len is right.
func (t *btree) check(tb testing.TB) {
	tb.Helper()
	if t.root == nil {
		if t.n != 0 {
			tb.Fatalf("empty tree has Len %d", t.n)
		}
		return
	}
	var items []item
	leafDepth := -1
	var walk func(n *node, depth int, lo, hi *item)
	walk = func(n *node, depth int, lo, hi *item) {
		if n != t.root && (len(n.items) < minItems || len(n.items) > maxItems) {
			tb.Fatalf("node at depth %d holds %d items", depth, len(n.items))
		}
		for _, it := range n.items {
			if (lo != nil && !t.less(*lo, it)) || (hi != nil && !t.less(it, *hi)) {
				tb.Fatalf("item %v out of its node's range", it)
			}
		}
		if len(n.children) == 0 {
			if leafDepth >= 0 && depth != leafDepth {
				tb.Fatalf("leaves at depths %d and %d", leafDepth, depth)
			}
			leafDepth = depth
			items = append(items, n.items...)
			return
		}
		if len(n.children) != len(n.items)+1 {
			tb.Fatalf("node with %d items has %d children", len(n.items), len(n.children))
		}
		for i, c := range n.children {
			clo, chi := lo, hi
			if i > 0 {
				clo = &n.items[i-1]
			}
			if i < len(n.items) {
				chi = &n.items[i]
			}
			walk(c, depth+1, clo, chi)
			if i < len(n.items) {
				items = append(items, n.items[i])
			}
		}
	}
	walk(t.root, 0, nil, nil)
	if len(items) != t.n {
		tb.Fatalf("tree holds %d items, Len says %d", len(items), t.n)
	}
	if !slices.IsSortedFunc(items, t.compare) {
		tb.Fatal("items do not ascend")
	}
}

func (t *btree) compare(a, b item) int {
	switch {
	case t.less(a, b):
		return -1
	case t.less(b, a):
		return 1
	}
	return 0
}

// TestBtreeMatchesSortedSlice applies random inserts and deletes to a tree
// and to a sorted slice, and compares them as it goes.
func TestBtreeMatchesSortedSlice(t *testing.T) {
	// Ties broken by a name, in an order that is not the ids'. The names'
	// first eight bytes tell some of them apart, so that keyed items are
	// ordered partly by key and partly by tie.
	names := make([]string, 64)
	for i := range names {
		names[i] = fmt.Sprintf("order-%03d", (i*37)%64)
	}
	byName := func(a, b uint32) bool { return names[a] < names[b] }
	tests := []struct {
		name     string
		times    int // distinct times drawn from
		ops      int
		deleteIn int // one operation in deleteIn is a delete
		tie      func(a, b uint32) bool
		keyed    bool // items carry their name's prefix as key
	}{
		{"small, churning", 5, 2000, 2, nil, false},
		{"deep, growing", 500, 8000, 4, nil, false},
		{"deep, churning, ties by name", 300, 8000, 2, byName, false},
		{"deep, churning, keys and ties by name", 300, 8000, 2, byName, true},
		{"few times, keys and ties by name", 3, 8000, 3, byName, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.times)))
			tr := btree{tie: tc.tie}
			var want []item
			for op := range tc.ops {
				it := item{at: int64(rng.IntN(tc.times)), id: uint32(rng.IntN(len(names)))}
				if tc.keyed {
					it.key = prefix(names[it.id])
				}
				i, found := slices.BinarySearchFunc(want, it, tr.compare)
				if rng.IntN(tc.deleteIn) == 0 {
					if got := tr.Delete(it); got != found {
						t.Fatalf("op %d: Delete(%v) = %v, want %v", op, it, got, found)
					}
					if found {
						want = slices.Delete(want, i, i+1)
					}
				} else {
					tr.Insert(it)
					if !found {
						want = slices.Insert(want, i, it)
					}
				}
				if op%397 == 0 || op == tc.ops-1 {
					tr.check(t)
					var got []item
					tr.Ascend(func(it item) bool { got = append(got, it); return true })
					if !slices.Equal(got, want) {
						t.Fatalf("op %d: tree holds %d items, want %d, or out of order", op, len(got), len(want))
					}
				}
			}
			first, ok := tr.Min()
			if ok != (len(want) > 0) || (ok && first != want[0]) {
				t.Fatalf("Min() = %v, %v; want the first of %v", first, ok, want)
			}
			// Draining leaves an empty, valid tree.
			for _, it := range want {
				if !tr.Delete(it) {
					t.Fatalf("Delete(%v) found nothing", it)
				}
			}
			tr.check(t)
			if _, ok := tr.Min(); ok || tr.Len() != 0 {
				t.Fatalf("drained tree: Len %d, Min found %v", tr.Len(), ok)
			}
		})
	}
}

func TestBtreeAscendStops(t *testing.T) {
	var tr btree
	for i := range 1000 {
		tr.Insert(item{at: int64(i)})
	}
	var seen []int64
	tr.Ascend(func(it item) bool {
		seen = append(seen, it.at)
		return len(seen) < 70 // past the first leaf
	})
	if len(seen) != 70 || seen[0] != 0 || seen[69] != 69 {
		t.Fatalf("Ascend saw %d items from %d to %d, want 0 to 69", len(seen), seen[0], seen[len(seen)-1])
	}
}

func TestBtreeInsertTwice(t *testing.T) {
	var tr btree
	for i := range 200 {
		tr.Insert(item{at: int64(i), id: 1})
	}
	for i := range 200 {
		tr.Insert(item{at: int64(i), id: 1})
	}
	tr.check(t)
	if tr.Len() != 200 {
		t.Fatalf("Len %d after inserting every item twice, want 200", tr.Len())
	}
}

// TestPrefixOrdersAsStrings checks the promise the due index relies on: when
// two prefixes differ, they order as the strings do.
func TestPrefixOrdersAsStrings(t *testing.T) {
	strs := []string{"", "\x00", "\x00\x00", "a", "a\x00", "ab", "abcdefgh", "abcdefgh\x00", "abcdefghi",
		"abcdefgz", "b", "\xff", "\xff\xff\xff\xff\xff\xff\xff\xff\xff", "O1", "O10", "O2", "P2024051200001"}
	for _, a := range strs {
		for _, b := range strs {
			pa, pb := prefix(a), prefix(b)
			if pa != pb && (pa < pb) != (a < b) {
				t.Errorf("prefix(%q) = %#x, prefix(%q) = %#x: out of the strings' order", a, pa, b, pb)
			}
		}
	}
}
