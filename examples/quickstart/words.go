package main

import (
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// lineWidth is where paragraphs wrap.
const lineWidth = 96

func table(w *printer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

// para writes text wrapped at lineWidth, then a newline.
func (p *printer) para(text string) {
	n := 0
	for i, word := range strings.Fields(text) {
		switch {
		case i == 0:
		case n+1+len([]rune(word)) > lineWidth:
			p.printf("\n")
			n = 0
		default:
			p.printf(" ")
			n++
		}
		p.printf("%s", word)
		n += len([]rune(word))
	}
	p.printf("\n")
}

// group renders n with thousands separators.
func group(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + group(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// money renders d, an amount in the demo's one currency (CNY), at its
// minor-unit scale with thousands separators.
func money(d decimal.Decimal) string {
	s := paysync.FormatAmount(d, paysync.DefaultCurrency)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.Atoi(whole)
	if err != nil { // beyond int: leave it ungrouped
		return sign + s
	}
	return sign + group(n) + "." + frac
}

// count renders "1 order", "3 orders", "2 open anomalies".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if stem, ok := strings.CutSuffix(noun, "y"); ok && !strings.HasSuffix(stem, "a") && !strings.HasSuffix(stem, "e") {
		return group(n) + " " + stem + "ies"
	}
	return group(n) + " " + noun + "s"
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
