package syncer

import "github.com/paysync/paysync"

// The audit trail an order leaves in the store, and what the docs say it
// must hold, for the tests that check trails after random runs.

// wantPayEvent is the status event docs/domain.md#status-events names for a move.
func wantPayEvent(from, to paysync.PayStatus) paysync.EventType {
	switch to {
	case paysync.PayProgress:
		return paysync.EventPayProgress
	case paysync.PaySuccess:
		if from == paysync.PayClose || from == paysync.PayCancel {
			return paysync.EventPayPaidAfterClose
		}
		return paysync.EventPaySuccess
	case paysync.PayClose:
		return paysync.EventPayClosed
	case paysync.PayCancel:
		return paysync.EventPayCancelled
	case paysync.PayFail:
		return paysync.EventPayFailed
	}
	return ""
}

// wantPayWay lists the adjust ways a move may carry.
func wantPayWay(a paysync.AdjustRecord) []paysync.AdjustWay {
	switch paysync.PayStatus(a.After) {
	case paysync.PayProgress:
		return []paysync.AdjustWay{paysync.WayPayProgress}
	case paysync.PaySuccess:
		return []paysync.AdjustWay{paysync.WayPaySuccess}
	case paysync.PayClose:
		return []paysync.AdjustWay{paysync.WayPayCloseLocal, paysync.WayPayCloseGateway}
	case paysync.PayCancel:
		return []paysync.AdjustWay{paysync.WayPayCancel}
	case paysync.PayFail:
		return []paysync.AdjustWay{paysync.WayPayFail}
	}
	return nil
}
