package wechatpay

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// amount converts a figure WeChat reports in fen, with the currency it names
// (nil when the answer names none), into major units and the currency to
// report: exactly, as a decimal with two places, never through a float.
//
// WeChat Pay's domestic APIs move CNY only, whose minor unit is the fen. An
// answer in another currency, or a negative figure, is refused: converting
// it with the wrong exponent would misstate money by a factor of 100.
func amount(fen int64, currency *string) (decimal.Decimal, string, error) {
	cur := ""
	if currency != nil {
		cur = *currency
	}
	if cur != "" && cur != "CNY" {
		return decimal.Decimal{}, "", fmt.Errorf("amount in %q: only CNY is supported", cur)
	}
	if fen < 0 {
		return decimal.Decimal{}, "", fmt.Errorf("negative amount %d fen", fen)
	}
	return decimal.New(fen, -2), cur, nil
}
