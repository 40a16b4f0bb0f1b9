package memstore

// chunkRows is the size of a chunk: big enough that a chunk is allocated
// once in many commits, small enough to waste little.
const chunkRows = 512

// chunks is an append-only list kept in fixed-size chunks, so that growing
// it never copies what it holds, and an element's address never changes.
type chunks[T any] struct {
	list [][]T
	n    int
}

// append adds v and returns the new length: 1 + v's position.
func (c *chunks[T]) append(v T) int {
	if c.n%chunkRows == 0 {
		c.list = append(c.list, make([]T, 0, chunkRows))
	}
	last := &c.list[len(c.list)-1]
	*last = append(*last, v)
	c.n++
	return c.n
}

func (c *chunks[T]) at(i int) *T { return &c.list[i/chunkRows][i%chunkRows] }
