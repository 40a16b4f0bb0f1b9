package memstore

import "slices"

// blobChunk is the size of the chunks blobs copies into: a chunk serves
// many commits, and holds no pointers, so the collector never scans it.
const blobChunk = 64 << 10

// blobs holds copies of the journal's byte slices (raw responses, event
// payloads) side by side in shared chunks, so that storing one costs a copy
// and, most of the time, no allocation. Nothing is ever freed, as nothing
// is ever deleted from the journal.
type blobs struct {
	free []byte // the current chunk: what is used, with room after it
}

// copy returns a copy of b, capped so that appending to it cannot overwrite
// the next copy. It keeps nil as nil, and empty as empty. A large b gets a
// slice of its own rather than waste most of a chunk.
func (bl *blobs) copy(b []byte) []byte {
	switch {
	case b == nil:
		return nil
	case len(b) == 0:
		return []byte{}
	case len(b) > blobChunk/8:
		c := slices.Clone(b)
		return c[:len(c):len(c)]
	case len(b) > cap(bl.free)-len(bl.free):
		bl.free = make([]byte, 0, blobChunk)
	}
	start := len(bl.free)
	bl.free = append(bl.free, b...)
	return bl.free[start:len(bl.free):len(bl.free)]
}
