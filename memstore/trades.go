package memstore

// A trade number's chains through the journal live in the entry of the
// order with that number, so that a commit, which holds the entry, reaches
// them without a lookup. A pay order and an allocation order may share a
// number: the first one stored owns the chains, the other points to them.
// Records of a number no order has yet are kept in the journal's orphans,
// until an order with that number adopts them.

// tradeOf returns the chains of trade number no, nil when nothing about no
// was stored.
func (s *Store) tradeOf(no string) *chains {
	if e, ok := s.pays.byNo[no]; ok {
		return e.trade
	}
	if e, ok := s.allocations.byNo[no]; ok {
		return e.trade
	}
	return s.log.orphans[no]
}

// trade returns the chains of trade number no, made when it has none.
func (s *Store) trade(no string) *chains {
	if c := s.tradeOf(no); c != nil {
		return c
	}
	c := new(chains)
	s.log.orphans[no] = c
	return c
}

// adopt returns the chains of a new order numbered no, whose entry holds
// own: those of the order of the other kind numbered no, if one is stored,
// or else own, which takes over the orphans of no. The new order is not yet
// findable by no.
func (s *Store) adopt(no string, own *chains) *chains {
	if e, ok := s.pays.byNo[no]; ok {
		return e.trade
	}
	if e, ok := s.allocations.byNo[no]; ok {
		return e.trade
	}
	if c, ok := s.log.orphans[no]; ok {
		*own = *c
		delete(s.log.orphans, no)
	}
	return own
}

// commitTrade returns the function a commit of the order numbered no, whose
// chains are own, appends its rows with: most rows are about the order, and
// reach its chains without a lookup.
func (s *Store) commitTrade(no string, own *chains) func(string) *chains {
	return func(n string) *chains {
		if n == no {
			return own
		}
		return s.trade(n)
	}
}

// listHeads returns the chain heads a listing of tradeNo follows: those of
// tradeNo, none when nothing about it was stored, or, when tradeNo is empty,
// heads of -1, which each takes as every trade.
func (s *Store) listHeads(tradeNo string) chains {
	if tradeNo == "" {
		return chains{sync: -1, adjust: -1, event: -1}
	}
	if c := s.tradeOf(tradeNo); c != nil {
		return *c
	}
	return chains{}
}
