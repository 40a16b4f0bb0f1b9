package channel

import (
	"fmt"
	"sync"

	"github.com/paysync/paysync"
)

// Registry maps channel names to adapters. The zero value is empty and ready
// to use; a Registry is safe for concurrent use.
type Registry struct {
	mu       sync.RWMutex
	channels map[string]Channel
}

// NewRegistry returns a Registry holding chs.
// It panics on a nil channel or a duplicate name, as a startup mistake.
func NewRegistry(chs ...Channel) *Registry {
	r := &Registry{}
	for _, c := range chs {
		if err := r.Register(c); err != nil {
			panic(err)
		}
	}
	return r
}

// Register adds c under c.Name(). It returns an error wrapping
// paysync.ErrInvalidRequest for a nil channel or an empty name and
// paysync.ErrDuplicate when the name is taken.
func (r *Registry) Register(c Channel) error {
	const op = "channel.Register"
	if c == nil || c.Name() == "" {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "channel is nil or has no name", nil)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.channels[c.Name()]; ok {
		return paysync.Ef(op, paysync.ErrDuplicate, fmt.Sprintf("channel %q registered twice", c.Name()), nil)
	}
	if r.channels == nil {
		r.channels = make(map[string]Channel)
	}
	r.channels[c.Name()] = c
	return nil
}

// Lookup returns the channel registered under name, or an error wrapping
// paysync.ErrUnknownChannel.
func (r *Registry) Lookup(name string) (Channel, error) {
	r.mu.RLock()
	c, ok := r.channels[name]
	r.mu.RUnlock()
	if !ok {
		return nil, paysync.Ef("channel.Lookup", paysync.ErrUnknownChannel, fmt.Sprintf("unknown channel %q", name), nil)
	}
	return c, nil
}

// Names returns the registered names in no particular order.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.channels))
	for n := range r.channels {
		names = append(names, n)
	}
	return names
}
