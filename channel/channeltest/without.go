package channeltest

import "github.com/paysync/paysync/channel"

// Capability names one of the optional ports of channel.Channel.
type Capability int

// The optional capabilities a Channel implements.
const (
	CanClosePay Capability = 1 << iota
	CanQueryAllocation
	CanQueryRefund
	CanQueryTransfer
)

// Without returns c seen as a gateway that lacks caps: a type assertion for
// any of them fails, as it does for a real adapter that cannot do it, while
// every other call goes to c. (Embedding *Channel would bring every method
// along, so a test could not take one away.)
func Without(c *Channel, caps ...Capability) channel.Channel {
	var lack Capability
	for _, cp := range caps {
		lack |= cp
	}
	has := func(cp Capability) bool { return lack&cp == 0 }
	type (
		ch = channel.Channel
		cl = channel.PayCloser
		al = channel.AllocationQuerier
		rf = channel.RefundQuerier
		tr = channel.TransferQuerier
	)
	// One composite per set of capabilities kept: a struct of embedded
	// interfaces has exactly their methods.
	switch [4]bool{has(CanClosePay), has(CanQueryAllocation), has(CanQueryRefund), has(CanQueryTransfer)} {
	case [4]bool{false, false, false, false}:
		return struct{ ch }{c}
	case [4]bool{true, false, false, false}:
		return struct {
			ch
			cl
		}{c, c}
	case [4]bool{false, true, false, false}:
		return struct {
			ch
			al
		}{c, c}
	case [4]bool{false, false, true, false}:
		return struct {
			ch
			rf
		}{c, c}
	case [4]bool{false, false, false, true}:
		return struct {
			ch
			tr
		}{c, c}
	case [4]bool{true, true, false, false}:
		return struct {
			ch
			cl
			al
		}{c, c, c}
	case [4]bool{true, false, true, false}:
		return struct {
			ch
			cl
			rf
		}{c, c, c}
	case [4]bool{true, false, false, true}:
		return struct {
			ch
			cl
			tr
		}{c, c, c}
	case [4]bool{false, true, true, false}:
		return struct {
			ch
			al
			rf
		}{c, c, c}
	case [4]bool{false, true, false, true}:
		return struct {
			ch
			al
			tr
		}{c, c, c}
	case [4]bool{false, false, true, true}:
		return struct {
			ch
			rf
			tr
		}{c, c, c}
	case [4]bool{true, true, true, false}:
		return struct {
			ch
			cl
			al
			rf
		}{c, c, c, c}
	case [4]bool{true, true, false, true}:
		return struct {
			ch
			cl
			al
			tr
		}{c, c, c, c}
	case [4]bool{true, false, true, true}:
		return struct {
			ch
			cl
			rf
			tr
		}{c, c, c, c}
	case [4]bool{false, true, true, true}:
		return struct {
			ch
			al
			rf
			tr
		}{c, c, c, c}
	}
	return c // nothing taken away
}
