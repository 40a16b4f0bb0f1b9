package alipay

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// yuan reads an amount Alipay writes in yuan ("88.88", "10", "0.5"):
// digits with at most two decimal places, nothing else — no sign, no
// exponent, no spaces — converted exactly, never through a float. Anything
// else is refused: a figure that is not plainly money is not money.
func yuan(s string) (decimal.Decimal, error) {
	digits, point, decimals := 0, false, 0
	for _, r := range s {
		switch {
		case r == '.' && !point && digits > 0:
			point = true
		case r >= '0' && r <= '9' && !point:
			digits++
		case r >= '0' && r <= '9' && point:
			decimals++
		default:
			return decimal.Decimal{}, fmt.Errorf("amount %q is not yuan", s)
		}
	}
	if digits == 0 || point && (decimals == 0 || decimals > 2) {
		return decimal.Decimal{}, fmt.Errorf("amount %q is not yuan with at most two decimals", s)
	}
	return decimal.NewFromString(s)
}

// timeLayout is how Alipay writes times, in Beijing time.
const timeLayout = "2006-01-02 15:04:05"

// when reads an Alipay time; an empty string is the zero time.
func when(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(timeLayout, s, beijing())
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	return t.UTC(), nil
}
