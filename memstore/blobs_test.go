package memstore

import (
	"bytes"
	"testing"
)

func TestBlobsPutGet(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", []byte{}},
		{"small", []byte("raw response")},
		{"fills most of a chunk", bytes.Repeat([]byte("x"), blobChunk-100)},
		{"larger than a chunk", bytes.Repeat([]byte("y"), blobChunk+1)},
	}
	var bl blobs
	var ats []blobAt
	for round := range 5 { // enough rounds to need several chunks
		for _, tc := range tests {
			in := bytes.Clone(tc.in)
			ats = append(ats, bl.put(in))
			if len(in) > 0 {
				in[0]++ // the caller's slice is not the copy
			}
		}
		for i, at := range ats { // nothing stored later overwrote anything
			tc := tests[i%len(tests)]
			if got := bl.get(at); !bytes.Equal(got, tc.in) || cap(got) != len(got) {
				t.Fatalf("round %d, %s: get = %d bytes (room %d), want %d bytes", round, tc.name, len(got), cap(got)-len(got), len(tc.in))
			}
		}
	}
}
