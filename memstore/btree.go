package memstore

// A B-tree of (time, order id) items: the due and lease indexes. A sorted
// tree rather than a heap because claims always work at its low end, so the
// nodes they touch stay in cache however many orders are stored, and because
// a claim needs the due orders in order, not just the first one.

// degree bounds the node size: every node but the root holds between
// minItems and maxItems items. 32 keeps a million orders four levels deep.
const (
	degree   = 32
	maxItems = 2*degree - 1
	minItems = degree - 1
)

// item is an index entry: a time (unix microseconds) and the id of an order
// in its book. Items hold no pointers, so the collector never scans an index
// and moving items inside a node is a plain memory copy.
type item struct {
	at int64
	// key orders items of equal times before tie is asked: the due index
	// sets it to the prefix of the order's number, so most ties are settled
	// without reading the orders, which are far apart in memory.
	key uint64
	id  uint32
}

type node struct {
	items    []item
	children []*node // nil for a leaf
}

// btree is an ordered set of items: by at, then by key, then by tie.
type btree struct {
	root *node
	n    int
	// tie reports whether the order with id a sorts before the one with id
	// b when their times and keys are equal; nil orders them by id. It must
	// agree with the keys: a's key below b's means a sorts first.
	tie func(a, b uint32) bool
}

func (t *btree) less(a, b item) bool {
	switch {
	case a.at != b.at:
		return a.at < b.at
	case a.key != b.key:
		return a.key < b.key
	case a.id == b.id || t.tie == nil:
		return a.id < b.id
	}
	return t.tie(a.id, b.id)
}

// Len returns the number of items.
func (t *btree) Len() int { return t.n }

// Insert adds it, if the tree does not hold it yet.
func (t *btree) Insert(it item) {
	if t.root == nil {
		t.root = &node{items: make([]item, 0, maxItems)}
	}
	if len(t.root.items) >= maxItems {
		mid, right := t.root.split()
		t.root = &node{
			items:    append(make([]item, 0, maxItems), mid),
			children: append(make([]*node, 0, maxItems+1), t.root, right),
		}
	}
	if t.insert(t.root, it) {
		t.n++
	}
}

// Delete removes it and reports whether the tree held it.
func (t *btree) Delete(it item) bool {
	if t.root == nil {
		return false
	}
	_, ok := t.remove(t.root, it, removeItem)
	if ok {
		t.n--
	}
	if len(t.root.items) == 0 && len(t.root.children) > 0 {
		t.root = t.root.children[0]
	}
	return ok
}

// DeleteMin removes the least item and reports whether there was one.
func (t *btree) DeleteMin() (item, bool) {
	if t.root == nil {
		return item{}, false
	}
	out, ok := t.remove(t.root, item{}, removeMin)
	if ok {
		t.n--
	}
	if len(t.root.items) == 0 && len(t.root.children) > 0 {
		t.root = t.root.children[0]
	}
	return out, ok
}

// Ascend calls fn on the items in order until fn returns false.
func (t *btree) Ascend(fn func(item) bool) {
	if t.root != nil {
		t.root.ascend(fn)
	}
}

// Min returns the least item, if any.
func (t *btree) Min() (item, bool) {
	n := t.root
	if n == nil || len(n.items) == 0 {
		return item{}, false
	}
	for len(n.children) > 0 {
		n = n.children[0]
	}
	return n.items[0], true
}

// find returns the index of the first item of n not less than it, and
// whether that item is it.
func (t *btree) find(n *node, it item) (int, bool) {
	lo, hi := 0, len(n.items)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.less(n.items[m], it) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(n.items) && n.items[lo] == it
}

// split cuts a full node in two around its middle item, which it returns
// with the new right half; n keeps the left half.
func (n *node) split() (item, *node) {
	const i = maxItems / 2
	mid := n.items[i]
	right := &node{items: append(make([]item, 0, maxItems), n.items[i+1:]...)}
	n.items = n.items[:i]
	if len(n.children) > 0 {
		right.children = append(make([]*node, 0, maxItems+1), n.children[i+1:]...)
		clear(n.children[i+1:]) // for the collector
		n.children = n.children[:i+1]
	}
	return mid, right
}

// insert adds it below n, splitting full children on the way down so a split
// never has to travel back up. It reports whether the tree grew.
func (t *btree) insert(n *node, it item) bool {
	i, found := t.find(n, it)
	if found {
		return false
	}
	if len(n.children) == 0 {
		n.items = insertAt(n.items, i, it)
		return true
	}
	if len(n.children[i].items) >= maxItems {
		mid, right := n.children[i].split()
		n.items = insertAt(n.items, i, mid)
		n.children = insertAt(n.children, i+1, right)
		switch {
		case mid == it:
			return false
		case t.less(mid, it):
			i++
		}
	}
	return t.insert(n.children[i], it)
}

type removal int

const (
	removeItem removal = iota
	removeMin
	removeMax
)

// remove deletes it (or, for removeMin and removeMax, the least or the
// greatest item) below n. It makes
// sure a child holds more than minItems items before it descends, so a
// removal never has to travel back up either.
func (t *btree) remove(n *node, it item, how removal) (item, bool) {
	var i int
	var found bool
	switch how {
	case removeMin:
		if len(n.children) == 0 {
			if len(n.items) == 0 {
				return item{}, false
			}
			out := n.items[0]
			n.items = removeAt(n.items, 0)
			return out, true
		}
	case removeMax:
		i = len(n.items)
		if len(n.children) == 0 {
			if i == 0 {
				return item{}, false
			}
			out := n.items[i-1]
			n.items = n.items[:i-1]
			return out, true
		}
	default:
		i, found = t.find(n, it)
		if len(n.children) == 0 {
			if !found {
				return item{}, false
			}
			n.items = removeAt(n.items, i)
			return it, true
		}
	}
	if len(n.children[i].items) <= minItems {
		n.grow(i)
		return t.remove(n, it, how)
	}
	if found {
		// The child left of items[i] has items to spare: its greatest
		// takes the removed item's place.
		n.items[i], _ = t.remove(n.children[i], item{}, removeMax)
		return it, true
	}
	return t.remove(n.children[i], it, how)
}

// grow gives child i more than minItems items, by taking one from a sibling
// through n, or by merging it with a sibling.
func (n *node) grow(i int) {
	child := n.children[i]
	switch {
	case i > 0 && len(n.children[i-1].items) > minItems:
		left := n.children[i-1]
		child.items = insertAt(child.items, 0, n.items[i-1])
		n.items[i-1] = left.items[len(left.items)-1]
		left.items = left.items[:len(left.items)-1]
		if len(left.children) > 0 {
			last := len(left.children) - 1
			child.children = insertAt(child.children, 0, left.children[last])
			left.children[last] = nil
			left.children = left.children[:last]
		}
	case i < len(n.items) && len(n.children[i+1].items) > minItems:
		right := n.children[i+1]
		child.items = append(child.items, n.items[i])
		n.items[i] = right.items[0]
		right.items = removeAt(right.items, 0)
		if len(right.children) > 0 {
			child.children = append(child.children, right.children[0])
			right.children = removeAt(right.children, 0)
		}
	default:
		if i >= len(n.items) {
			i--
			child = n.children[i]
		}
		right := n.children[i+1]
		child.items = append(child.items, n.items[i])
		child.items = append(child.items, right.items...)
		child.children = append(child.children, right.children...)
		n.items = removeAt(n.items, i)
		n.children = removeAt(n.children, i+1)
	}
}

func (n *node) ascend(fn func(item) bool) bool {
	for i, it := range n.items {
		if len(n.children) > 0 && !n.children[i].ascend(fn) {
			return false
		}
		if !fn(it) {
			return false
		}
	}
	if len(n.children) > 0 {
		return n.children[len(n.children)-1].ascend(fn)
	}
	return true
}

func insertAt[T any](s []T, i int, v T) []T {
	var zero T
	s = append(s, zero)
	copy(s[i+1:], s[i:])
	s[i] = v
	return s
}

// removeAt deletes s[i], zeroing the freed slot so the collector can reclaim
// what it referenced.
func removeAt[T any](s []T, i int) []T {
	var zero T
	copy(s[i:], s[i+1:])
	s[len(s)-1] = zero
	return s[:len(s)-1]
}
