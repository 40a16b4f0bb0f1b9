package main

import (
	"fmt"
	"io"
)

// printer writes the demo's output and keeps the first write error, so the
// story reads straight and run checks once at the end.
type printer struct {
	w   io.Writer
	err error
}

// Write writes b unless an earlier write failed; it returns that failure.
func (p *printer) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.w.Write(b)
	p.err = err
	return n, err
}

func (p *printer) printf(format string, args ...any) { fmt.Fprintf(p, format, args...) }
