package channeltest

import "context"

// respond answers one call about an order whose script get returns, once
// admit has answered admitErr: the call counts; then admitErr, the order's
// next scripted fault, or its truth — made by first for an order never
// scripted, and kept from then on as a channel keeps what it recorded. It
// takes c.mu for the script and answers a fault outside it.
func respond[R any](c *Channel, ctx context.Context, admitErr error, get func() *script[R], first func() R) (R, error) {
	var none R
	c.mu.Lock()
	s := get()
	s.calls++
	if admitErr != nil {
		c.mu.Unlock()
		return none, admitErr
	}
	if f, ok := s.nextFault(); ok {
		c.mu.Unlock()
		return none, c.fail(ctx, f)
	}
	if !s.known {
		s.truth, s.known = first(), true
	}
	s.advance(c.cfg.Clock.Now)
	s.answers++
	r := s.truth
	c.mu.Unlock()
	return r, nil
}

// scriptOf returns no's script in m, creating it. c.mu must be held.
func scriptOf[R any](m map[string]*script[R], no string) *script[R] {
	s, ok := m[no]
	if !ok {
		s = &script[R]{}
		m[no] = s
	}
	return s
}
