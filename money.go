package paysync

import "github.com/shopspring/decimal"

// MinorUnits returns how many decimals an amount in currency carries (ISO
// 4217): 2 for CNY, USD and most others, 0 for JPY, 3 for KWD. An empty
// currency is DefaultCurrency's.
func MinorUnits(currency string) int32 {
	switch currency {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
		"XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	case "CLF", "UYW":
		return 4
	}
	return 2
}

// FormatAmount writes d at currency's minor-unit scale ("10.00" for CNY,
// "1000" for JPY), rounding half away from zero only if d is finer than the
// currency allows. It reads no package setting of decimal, so what a host
// sets there cannot change an event payload.
func FormatAmount(d decimal.Decimal, currency string) string {
	return d.StringFixed(MinorUnits(currency))
}

// FitsMinorUnit reports whether d has no more decimals than currency allows.
func FitsMinorUnit(d decimal.Decimal, currency string) bool {
	return d.Equal(d.Truncate(MinorUnits(currency)))
}

// currencyOrDefault is the rule every order's CurrencyOrDefault applies: an
// empty currency is DefaultCurrency.
func currencyOrDefault(currency string) string {
	if currency == "" {
		return DefaultCurrency
	}
	return currency
}
