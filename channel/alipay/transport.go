package alipay

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/paysync/paysync/channel"
)

// maxAnswer bounds the bytes read from one answer; Alipay's are a few KiB.
const maxAnswer = 1 << 20

// exchange holds the bytes Alipay sent for one call. The SDK hands back only
// the decoded answer, while the engine stores the raw one in its sync
// record; the transport finds the exchange through the request's context.
type exchange struct{ body []byte }

type exchangeKey struct{}

// recording returns a ctx whose call keeps its raw answer in the exchange.
func recording(ctx context.Context) (context.Context, *exchange) {
	x := &exchange{}
	return context.WithValue(ctx, exchangeKey{}, x), x
}

// transport wraps the host's transport. The SDK never looks at the HTTP
// status and would report a proxy's 502 page as "bad JSON"; here a status
// other than 200 is an error of its own (429 wrapping channel.ErrRateLimited),
// and the body of a 200 is kept for the call's exchange.
type transport struct{ next http.RoundTripper }

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
		_ = resp.Body.Close()
		ge := &GatewayError{HTTPStatus: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests {
			return nil, fmt.Errorf("%w: %w", ge, channel.ErrRateLimited)
		}
		return nil, ge
	}
	x, ok := r.Context().Value(exchangeKey{}).(*exchange)
	if !ok {
		return resp, nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if len(b) > maxAnswer {
		return nil, fmt.Errorf("alipay: answer longer than %d bytes", maxAnswer)
	}
	x.body = b
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}
