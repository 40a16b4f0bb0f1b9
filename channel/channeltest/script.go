package channeltest

import "time"

// script is what the channel knows about one order (pay, allocation, refund
// or transfer): the truth it answers now, scripted changes to come, faults to
// inject and counters. Every kind uses it, so a count, a step or a fault
// means the same for all of them.
type script[T any] struct {
	truth T
	// known is false while the truth is the default the channel has not yet
	// built (pay orders build it from the first order they are asked about).
	known  bool
	steps  []step[T]
	faults []fault
	// calls counts every call about the order; answers counts the calls
	// answered with the truth. Steps count answers, not calls, so injected
	// faults and rate limits do not shift the sequence of truths a test sees.
	calls   int64
	answers int64
}

// scripts are the scripts of one kind of order by order number. c.mu guards
// them.
type scripts[T any] map[string]*script[T]

// of returns no's script, creating it.
func (m scripts[T]) of(no string) *script[T] {
	s, ok := m[no]
	if !ok {
		s = &script[T]{}
		m[no] = s
	}
	return s
}

// peek returns no's truth as of now without counting a query, and false
// when there is none yet (never scripted and never asked about).
func (m scripts[T]) peek(no string, now func() time.Time) (T, bool) {
	s, ok := m[no]
	if !ok {
		var none T
		return none, false
	}
	s.advance(now)
	return s.truth, s.known
}

// calls returns how many calls were made about no; 0 for one never asked
// about.
func (m scripts[T]) calls(no string) int {
	if s, ok := m[no]; ok {
		return int(s.calls)
	}
	return 0
}

// step is a scripted change of truth, due after a number of answers or at a
// time.
type step[T any] struct {
	byTime  bool
	at      time.Time
	answers int64 // due once the script has given this many answers
	truth   T
}

// set replaces the truth now and drops pending steps, which belonged to the
// script being replaced.
func (s *script[T]) set(t T) {
	s.truth = t
	s.known = true
	s.steps = nil
}

// after schedules t for the answers that follow the next k; k < 0 counts as 0.
func (s *script[T]) after(k int, t T) {
	s.steps = append(s.steps, step[T]{answers: s.answers + int64(max(k, 0)), truth: t})
}

// at schedules t from time at on.
func (s *script[T]) at(at time.Time, t T) {
	s.steps = append(s.steps, step[T]{byTime: true, at: at, truth: t})
}

// current brings the truth up to date and returns it. An order never
// scripted gets first() as its truth, kept from then on as a channel keeps
// what it recorded.
func (s *script[T]) current(now func() time.Time, first func() T) T {
	if !s.known {
		s.truth, s.known = first(), true
	}
	s.advance(now)
	return s.truth
}

// advance applies the steps that are due, in the order they were scripted,
// so the last one due wins. now is only called when a step needs it.
func (s *script[T]) advance(now func() time.Time) {
	if len(s.steps) == 0 {
		return
	}
	var t time.Time
	for _, st := range s.steps {
		if st.byTime {
			t = now()
			break
		}
	}
	kept := s.steps[:0]
	for _, st := range s.steps {
		due := s.answers >= st.answers
		if st.byTime {
			due = !t.Before(st.at)
		}
		if due {
			s.truth = st.truth
			s.known = true
			continue
		}
		kept = append(kept, st)
	}
	clear(s.steps[len(kept):]) // let dropped truths be collected
	s.steps = kept
	if len(s.steps) == 0 {
		s.steps = nil
	}
}

// inject queues n faults; n <= 0 queues none.
func (s *script[T]) inject(n int, err error) {
	if n > 0 {
		s.faults = append(s.faults, fault{err: err, n: n})
	}
}

// nextFault takes one fault from the queue.
func (s *script[T]) nextFault() (fault, bool) {
	if len(s.faults) == 0 {
		return fault{}, false
	}
	f := s.faults[0]
	s.faults[0].n--
	if s.faults[0].n == 0 {
		s.faults = s.faults[1:]
		if len(s.faults) == 0 {
			s.faults = nil
		}
	}
	return f, true
}
