package main

import (
	"strings"

	"github.com/paysync/paysync/syncer"
)

// progressBar draws a sweep's progress at each quarter. Done grows by one per
// call, so each quarter is drawn at the same count on every run, whatever
// order the workers finish in.
type progressBar struct {
	w     *printer
	total int // orders due; the pass's own Total grows as it claims
	drawn int // quarters drawn so far
}

const barWidth = 24

// update is the sweep's Progress callback.
func (b *progressBar) update(p syncer.Progress) {
	total := max(b.total, p.Total, 1)
	for b.drawn < 4 && p.Done*4 >= (b.drawn+1)*total {
		b.drawn++
		fill := barWidth * b.drawn / 4
		b.w.printf("  [%s%s] %3d%%  %*d/%d\n", strings.Repeat("#", fill), strings.Repeat(".", barWidth-fill),
			25*b.drawn, digits(total), p.Done, total)
	}
}

// digits returns how many digits n has.
func digits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}
