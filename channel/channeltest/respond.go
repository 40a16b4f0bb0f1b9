package channeltest

import "context"

// respond answers one call about order no of m, once admit has answered
// admitErr: the call counts; then admitErr, the order's next scripted fault,
// or its current truth (first() for an order never scripted). It takes c.mu
// for the script and answers a fault outside it.
func respond[R any](c *Channel, ctx context.Context, admitErr error, m scripts[R], no string, first func() R) (R, error) {
	var none R
	c.mu.Lock()
	s := m.of(no)
	s.calls++
	if admitErr != nil {
		c.mu.Unlock()
		return none, admitErr
	}
	if f, ok := s.nextFault(); ok {
		c.mu.Unlock()
		return none, c.fail(ctx, f)
	}
	r := s.current(c.cfg.Clock.Now, first)
	s.answers++
	c.mu.Unlock()
	return r, nil
}
