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
	ordered positions
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
	i, found := x.ordered.search(func(pos int) int { return x.compare(x.keyAt(pos), k) })
	if found {
		return x.ordered.at(i), true
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

// positions is an append-only list of row positions in fixed-size chunks,
// so that growing it never copies what it holds.
type positions struct {
	chunks [][]int
	n      int
}

func (p *positions) append(pos int) {
	if p.n%chunkRows == 0 {
		p.chunks = append(p.chunks, make([]int, 0, chunkRows))
	}
	last := &p.chunks[len(p.chunks)-1]
	*last = append(*last, pos)
	p.n++
}

func (p *positions) at(i int) int { return p.chunks[i/chunkRows][i%chunkRows] }

// search returns the index of the position for which cmp is 0, and whether
// there is one; cmp must grow with the index, as keys in ordered do.
func (p *positions) search(cmp func(pos int) int) (int, bool) {
	i := sort.Search(p.n, func(i int) bool { return cmp(p.at(i)) >= 0 })
	return i, i < p.n && cmp(p.at(i)) == 0
}
