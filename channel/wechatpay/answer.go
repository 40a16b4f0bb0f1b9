package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/paysync/paysync/channel"
	"github.com/wechatpay-apiv3/wechatpay-go/core"
)

// GatewayError is an error answer from WeChat Pay (an HTTP status outside
// 2xx with a code and a message) that the adapter gave no meaning. Errors
// the adapter returns wrap it when the gateway answered, so a host can read
// the code with errors.As.
type GatewayError struct {
	StatusCode int
	Code       string
	Message    string
}

func (e *GatewayError) Error() string {
	return fmt.Sprintf("wechatpay: HTTP %d %s: %s", e.StatusCode, e.Code, e.Message)
}

// refusal sorts out an error an SDK call returned with res.
//
// A rate-limit answer returns an error wrapping channel.ErrRateLimited. A
// signed error answer returns itself and its body, for the caller to map the
// codes it knows (ORDER_NOT_EXIST, ORDERPAID, …). Everything else returns
// the error to pass on as "unknown": no answer (transport, ctx), an error
// answer whose signature does not verify — the SDK checks signatures of 2xx
// answers only, so a forged "not found" would otherwise close an order — and
// a 2xx answer the SDK refused (bad signature, bad body).
func (c *Channel) refusal(ctx context.Context, err error, res *core.APIResult) (*GatewayError, []byte, error) {
	var apiErr *core.APIError
	if !errors.As(err, &apiErr) {
		return nil, nil, err
	}
	ge := &GatewayError{StatusCode: apiErr.StatusCode, Code: apiErr.Code, Message: apiErr.Message}
	if ge.StatusCode == http.StatusTooManyRequests || ge.Code == "FREQUENCY_LIMITED" || ge.Code == "RATELIMIT_EXCEED" {
		return nil, nil, fmt.Errorf("%w: %w", ge, channel.ErrRateLimited)
	}
	if res == nil || res.Response == nil {
		return nil, nil, ge
	}
	if verr := c.answers.Validate(ctx, res.Response); verr != nil {
		return nil, nil, fmt.Errorf("%w (signature does not verify: %v)", ge, verr)
	}
	return ge, []byte(apiErr.Body), nil
}

// body returns the body of an answer the SDK has read; the SDK leaves it
// readable again.
func body(res *core.APIResult) []byte {
	if res == nil || res.Response == nil || res.Response.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(res.Response.Body)
	return b
}
