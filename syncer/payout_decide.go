package syncer

import (
	"strings"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// The statuses of a refund or a transfer, and the states a channel reports
// about one, as the shared table reads them: both kinds use the same words
// (paysync.RefundOrderStatus, paysync.TransferStatus; channel.RefundState,
// channel.TransferState).
const (
	pProgress = "progress"
	pSuccess  = "success"
	pClose    = "close"
	pFail     = "fail"

	cSuccess  = "success"
	cProgress = "progress"
	cClosed   = "closed"
	cFailed   = "failed"
	cNotFound = "not_found"
)

// payoutReport is a channel's answer about a refund or a transfer, in the
// terms the shared table reads.
type payoutReport struct {
	State        string
	No           string // the number the channel answered for; empty when not reported
	OutNo        string
	Amount       decimal.Decimal // zero when not reported
	Currency     string          // empty when not reported
	FinishedAt   time.Time
	ErrorCode    string
	ErrorMsg     string
	PayeeType    string // transfers; empty when not reported
	PayeeAccount string
	Raw          []byte
}

// payoutRules is what differs between the refund and the transfer table.
type payoutRules struct {
	notAtChannel paysync.AnomalyCode
	// closeNotFound: a progress order the channel does not know, older than
	// NotFoundAfter, is closed and watched (refunds) rather than raised to
	// a person (transfers: a payout closed here could be paid twice if the
	// host sent it again).
	closeNotFound bool
	checkPayee    bool
	events        map[string]paysync.EventType // target status → status event
	ways          map[string]paysync.AdjustWay // target status → adjust way
	afterClose    paysync.EventType            // close → success
}

// payoutDecision is what one sync does to a refund or a transfer.
type payoutDecision struct {
	to        string // == the order's status when nothing moves
	way       paysync.AdjustWay
	watch     bool // closed because the channel does not know it: keep asking
	fill      bool // success stays success: copy OutNo / FinishedAt where missing
	anomalies []paysync.AnomalyCode
}

// decidePayout applies the refund and transfer table (docs/refund-sync.md,
// docs/transfer-sync.md) to an order in status, created at created, of
// amount in currency, numbered no with payee (type, account), given answer
// a at now. It is pure: a sync that lost a version race calls it again on
// the fresh order with the same answer.
func decidePayout(r *payoutRules, o payoutView, a *payoutReport, notFoundAfter time.Duration, now time.Time) payoutDecision {
	d := payoutDecision{to: o.status}
	// The answer must be about this order, and this payee, before anything
	// follows from it.
	if a.No != "" && a.No != o.no ||
		r.checkPayee && (a.PayeeType != "" && a.PayeeType != o.payeeType || a.PayeeAccount != "" && a.PayeeAccount != o.payeeAccount) {
		d.anomalies = append(d.anomalies, paysync.AnomalyTradeMismatch)
		return d
	}
	switch o.status {
	case pProgress:
		switch a.State {
		case cSuccess:
			d.succeed(r, o, a)
		case cClosed:
			d.move(r, pClose)
		case cFailed:
			d.move(r, pFail)
		case cNotFound:
			if now.Sub(o.created) <= notFoundAfter { // the host may not have sent it yet
				break
			}
			if r.closeNotFound {
				d.move(r, pClose)
				d.watch = true
			} else {
				d.anomalies = append(d.anomalies, r.notAtChannel)
			}
		}
	case pFail:
		switch a.State {
		case cSuccess:
			d.succeed(r, o, a)
		case cProgress:
			d.move(r, pProgress)
		case cClosed:
			d.move(r, pClose)
		}
	case pClose:
		switch a.State {
		case cSuccess:
			d.succeed(r, o, a)
		case cProgress:
			d.move(r, pProgress)
		}
	case pSuccess:
		if a.State == cSuccess {
			d.fill = true
		} else {
			d.anomalies = append(d.anomalies, r.notAtChannel)
		}
	}
	return d
}

// payoutView is what the table reads of an order.
type payoutView struct {
	no, status              string
	amount                  decimal.Decimal
	currency                string
	created                 time.Time
	payeeType, payeeAccount string
}

func (d *payoutDecision) move(r *payoutRules, to string) {
	d.to, d.way = to, r.ways[to]
}

// event is the status event of a move from → to, made by a sync or by a
// person: the event follows from the move. It reports false for a status
// the kind has no event for.
func (r *payoutRules) event(from, to string) (paysync.EventType, bool) {
	if to == pSuccess && from == pClose {
		return r.afterClose, true
	}
	et, ok := r.events[to]
	return et, ok
}

// succeed moves to success when the money is the order's money (footnote
// 1): otherwise a person decides.
func (d *payoutDecision) succeed(r *payoutRules, o payoutView, a *payoutReport) {
	if !a.Amount.IsZero() && !a.Amount.Equal(o.amount) {
		d.anomalies = append(d.anomalies, paysync.AnomalyAmountMismatch)
	}
	if a.Currency != "" && !strings.EqualFold(a.Currency, o.currency) {
		d.anomalies = append(d.anomalies, paysync.AnomalyCurrencyMismatch)
	}
	if len(d.anomalies) > 0 {
		return
	}
	d.move(r, pSuccess)
}
