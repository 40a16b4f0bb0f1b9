package memstore

import "sort"

// keys finds a table's rows by a unique key: sync record and event ids,
// adjust numbers. Keys mostly arrive in increasing order — uuid v7 ids, and
// their strings, grow with time — so keys keeps those as a list of positions
// in key order, where adding one is an append and ruling a new key out is
// one comparison with the greatest. Only keys that arrive out of order, from
// another id source or a clock behind, go into a map. A map of every key
// would cost a random memory access and, now and then, a rehash on every
// commit.
type keys[K comparable] struct {
	compare func(a, b K) int
	keyAt   func(pos int) K // the key of the row at pos
	// ordered holds the positions of the keys that were greater than every
	// key before them, so in key order; max is the last of those keys, and
	// greater than every key in others too.
	ordered chunks[int]
	max     K
	others  map[K]int
}

func newKeys[K comparable](compare func(a, b K) int, keyAt func(pos int) K) keys[K] {
	return keys[K]{compare: compare, keyAt: keyAt}
}

// find returns the position of the row with key k, and false when there is
// none.
func (x *keys[K]) find(k K) (int, bool) {
	if x.ordered.n == 0 || x.compare(k, x.max) > 0 {
		return 0, false // a new greatest key: the common case
	}
	// ordered is in key order: search it, then the keys that came out of order.
	cmp := func(i int) int { return x.compare(x.keyAt(*x.ordered.at(i)), k) }
	if i := sort.Search(x.ordered.n, func(i int) bool { return cmp(i) >= 0 }); i < x.ordered.n && cmp(i) == 0 {
		return *x.ordered.at(i), true
	}
	pos, ok := x.others[k]
	return pos, ok
}

// add records that the row at pos has key k, which find did not find.
func (x *keys[K]) add(k K, pos int) {
	if x.ordered.n == 0 || x.compare(k, x.max) > 0 {
		x.ordered.append(pos)
		x.max = k
		return
	}
	if x.others == nil {
		x.others = make(map[K]int)
	}
	x.others[k] = pos
}
