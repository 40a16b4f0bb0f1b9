package memstore

// blobChunk is the size of the chunks blobs stores into: a chunk serves
// many records, and holds no pointers, so the collector never scans it.
const blobChunk = 64 << 10

// blobs holds the journal's records, encoded (see codec.go), side by side in
// shared chunks, so that storing one costs a copy and, most of the time, no
// allocation. Nothing is ever freed, as nothing is ever deleted from the
// journal. A record is found by its blobAt, which holds no pointer either:
// a table of them is not scanned by the collector.
type blobs struct {
	chunks [][]byte // the last one is being filled
}

// blobAt is where a record is: its chunk, its offset there and its length.
type blobAt struct {
	chunk, off, n uint32
}

// put stores a copy of b and returns where it is. A b larger than a chunk
// gets a chunk of its own.
func (bl *blobs) put(b []byte) blobAt {
	last := len(bl.chunks) - 1
	if last < 0 || len(b) > cap(bl.chunks[last])-len(bl.chunks[last]) {
		bl.chunks = append(bl.chunks, make([]byte, 0, max(blobChunk, len(b))))
		last++
	}
	c := &bl.chunks[last]
	at := blobAt{chunk: uint32(last), off: uint32(len(*c)), n: uint32(len(b))}
	*c = append(*c, b...)
	return at
}

// get returns the record at at. It is the store's memory: read it, never
// change it or hand it out.
func (bl *blobs) get(at blobAt) []byte {
	return bl.chunks[at.chunk][at.off : at.off+at.n : at.off+at.n]
}
