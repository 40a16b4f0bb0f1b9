package memstore

import (
	"bytes"
	"testing"
)

func TestBlobsCopy(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"nil", nil},
		{"empty", []byte{}},
		{"small", []byte("raw response")},
		{"fills most of a chunk", bytes.Repeat([]byte("x"), blobChunk/8)},
		{"large", bytes.Repeat([]byte("y"), blobChunk/8+1)},
	}
	var bl blobs
	for round := range 20 { // enough rounds to need several chunks
		for _, tc := range tests {
			in := bytes.Clone(tc.in)
			got := bl.copy(in)
			if (got == nil) != (tc.in == nil) || !bytes.Equal(got, tc.in) {
				t.Fatalf("round %d, %s: copy = %q, want %q", round, tc.name, got, tc.in)
			}
			if len(in) > 0 {
				in[0]++ // the caller's slice is not the copy
				if got[0] != tc.in[0] {
					t.Fatalf("round %d, %s: the copy shares the caller's memory", round, tc.name)
				}
			}
			if cap(got) != len(got) {
				t.Fatalf("round %d, %s: copy has room %d after it: appending would overwrite the next", round, tc.name, cap(got)-len(got))
			}
		}
	}
}
