package alipay

import (
	"errors"
	"fmt"
	"strings"

	"github.com/paysync/paysync/channel"
	sdk "github.com/smartwalle/alipay/v3"
)

// GatewayError is an answer from Alipay that the adapter gave no meaning:
// an HTTP status other than 200, or a business failure (code ≠ 10000) with
// its sub_code. Errors the adapter returns wrap it when Alipay answered, so
// a host can read the codes with errors.As.
type GatewayError struct {
	HTTPStatus int // the status when it was not 200; zero otherwise
	Code       string
	Msg        string
	SubCode    string
	SubMsg     string
	// Signed reports whether the answer's signature verified. An unsigned
	// failure (error_response, or an answer without a sign) is never acted
	// upon.
	Signed bool
}

func (e *GatewayError) Error() string {
	if e.HTTPStatus != 0 {
		return fmt.Sprintf("alipay: HTTP %d", e.HTTPStatus)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "alipay: %s %s", e.Code, e.Msg)
	if e.SubCode != "" {
		fmt.Fprintf(&b, ": %s %s", e.SubCode, e.SubMsg)
	}
	if !e.Signed {
		b.WriteString(" (unsigned)")
	}
	return b.String()
}

// failure is the error for a business failure Alipay answered; a rate limit
// (40005, signed or not) wraps channel.ErrRateLimited.
func failure(e sdk.Error, signed bool) error {
	ge := &GatewayError{Code: string(e.Code), Msg: e.Msg, SubCode: e.SubCode, SubMsg: e.SubMsg, Signed: signed}
	if e.Code == sdk.CodeCallLimited {
		return fmt.Errorf("%w: %w", ge, channel.ErrRateLimited)
	}
	return ge
}

// refusal sorts out an error an SDK call returned. The SDK returns an
// *sdk.Error for an error_response and for an answer that carries no sign:
// neither is verified, so neither may mean "not found" or "already paid".
// Anything else (transport, ctx, bad signature, bad JSON) passes on.
func refusal(err error) error {
	var ae *sdk.Error
	if errors.As(err, &ae) {
		if ae == nil {
			// The SDK decodes a JSON null into a nil *Error and returns it.
			return errors.New("alipay: empty error answer")
		}
		return failure(*ae, false)
	}
	return err
}

// errEmpty is the error for a signed answer whose content is null: the SDK
// returns neither an answer nor an error for it.
var errEmpty = errors.New("alipay: empty answer")
