package pgstore

import (
	"encoding/json"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// receiverJSON is how a receiver is kept in allocation_orders.receivers: the
// receivers live in the order's row so a commit stays one row update. The
// amount is a JSON string so no digit is lost.
type receiverJSON struct {
	ReceiverNo   string     `json:"receiver_no"`
	ReceiverType string     `json:"receiver_type"`
	Account      string     `json:"account"`
	Name         string     `json:"name"`
	Amount       string     `json:"amount"`
	Result       string     `json:"result"`
	OutDetailID  string     `json:"out_detail_id"`
	ErrorCode    string     `json:"error_code"`
	ErrorMsg     string     `json:"error_msg"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
}

// receiversArg encodes receivers for a jsonb parameter, in the order given; a
// nil slice is stored as NULL so it reads back nil.
func receiversArg(rs []paysync.AllocationReceiver) ([]byte, error) {
	if rs == nil {
		return nil, nil
	}
	out := make([]receiverJSON, len(rs))
	for i, r := range rs {
		out[i] = receiverJSON{ReceiverNo: r.ReceiverNo, ReceiverType: r.ReceiverType, Account: r.Account,
			Name: r.Name, Amount: r.Amount.String(), Result: string(r.Result), OutDetailID: r.OutDetailID,
			ErrorCode: r.ErrorCode, ErrorMsg: r.ErrorMsg}
		if !r.FinishedAt.IsZero() {
			t := r.FinishedAt.UTC().Truncate(time.Microsecond)
			out[i].FinishedAt = &t
		}
	}
	return json.Marshal(out)
}

// receiversOf decodes a scanned receivers column.
func receiversOf(b []byte) ([]paysync.AllocationReceiver, error) {
	if b == nil {
		return nil, nil
	}
	var in []receiverJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, err
	}
	out := make([]paysync.AllocationReceiver, len(in))
	for i, r := range in {
		amount, err := decimal.NewFromString(r.Amount)
		if err != nil {
			return nil, err
		}
		out[i] = paysync.AllocationReceiver{ReceiverNo: r.ReceiverNo, ReceiverType: r.ReceiverType,
			Account: r.Account, Name: r.Name, Amount: amount, Result: paysync.ReceiverResult(r.Result),
			OutDetailID: r.OutDetailID, ErrorCode: r.ErrorCode, ErrorMsg: r.ErrorMsg}
		if r.FinishedAt != nil {
			out[i].FinishedAt = r.FinishedAt.UTC()
		}
	}
	return out, nil
}
