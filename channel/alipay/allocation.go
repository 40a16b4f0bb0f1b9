package alipay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	sdk "github.com/smartwalle/alipay/v3"
)

// settleQueryMethod has no typed call in smartwalle/alipay; it goes through
// the SDK's generic Request, which signs and verifies as the typed calls do.
const settleQueryMethod = "alipay.trade.order.settle.query"

// settleQuery is the answer of alipay.trade.order.settle.query.
type settleQuery struct {
	sdk.Error
	OutRequestNo      string          `json:"out_request_no"`
	OperationDt       string          `json:"operation_dt"`
	RoyaltyDetailList []royaltyDetail `json:"royalty_detail_list"`
}

type royaltyDetail struct {
	OperationType string `json:"operation_type"`
	ExecuteDt     string `json:"execute_dt"`
	TransIn       string `json:"trans_in"`
	TransInType   string `json:"trans_in_type"`
	// Amount is a JSON number in Alipay's examples and a string in some
	// answers; json.Number takes both, and yuan reads it exactly.
	Amount    json.Number `json:"amount"`
	State     string      `json:"state"`
	DetailID  string      `json:"detail_id"`
	ErrorCode string      `json:"error_code"`
	ErrorDesc string      `json:"error_desc"`
}

// QueryAllocation asks Alipay for the settlement whose out_request_no is
// order.AllocationNo, of the trade whose trade_no is order.OutOrderNo
// (alipay.trade.order.settle.query).
//
// Each royalty line of operation_type transfer becomes a ReceiverReport:
// trans_in_type (through Config.ReceiverTypes), trans_in, amount, detail_id
// as OutDetailID, state PROCESSING → pending, SUCCESS → success, FAIL →
// fail, error_code and error_desc, execute_dt as FinishedAt for a final
// state. Lines of other operations (replenish, and the refunds of a
// transfer or a replenish) move other money and are left out.
//
// Errors: one wrapping channel.ErrAllocationNotAtChannel for a signed
// ACQ.TRADE_NOT_EXIST (no trade, so no settlement of it); the others are
// unknown — one wrapping channel.ErrRateLimited for 40005 or HTTP 429, one
// wrapping *GatewayError for any other failure or one that is not signed,
// one for an order without OutOrderNo, for an answer about another
// out_request_no, whose signature does not verify, or with a line whose
// state is unknown or whose amount is not plain yuan; ctx's error when ctx
// ends first.
func (c *Channel) QueryAllocation(ctx context.Context, order paysync.AllocationOrder) (channel.AllocationReport, error) {
	fail := func(err error) (channel.AllocationReport, error) {
		return channel.AllocationReport{}, fmt.Errorf("alipay: query allocation %s: %w", order.AllocationNo, err)
	}
	if order.OutOrderNo == "" {
		return fail(errors.New("the allocation has no OutOrderNo (trade_no), which Alipay requires"))
	}
	p := sdk.NewPayload(settleQueryMethod).
		AddBizField("out_request_no", order.AllocationNo).
		AddBizField("trade_no", order.OutOrderNo)
	ctx, x := recording(ctx)
	var rsp *settleQuery
	err := c.client.Request(ctx, p, &rsp)
	switch {
	case err != nil:
		return fail(refusal(err))
	case rsp == nil:
		return fail(errEmpty)
	case rsp.Code != sdk.CodeSuccess && rsp.SubCode == "ACQ.TRADE_NOT_EXIST":
		return fail(fmt.Errorf("%w: %w", failure(rsp.Error, true), channel.ErrAllocationNotAtChannel))
	case rsp.Code != sdk.CodeSuccess:
		return fail(failure(rsp.Error, true))
	case rsp.OutRequestNo != "" && rsp.OutRequestNo != order.AllocationNo:
		return fail(fmt.Errorf("answer is for out_request_no %q", rsp.OutRequestNo))
	}
	rep := channel.AllocationReport{Raw: x.body}
	for i, d := range rsp.RoyaltyDetailList {
		if d.OperationType != "" && d.OperationType != "transfer" {
			continue
		}
		r, err := c.receiver(d)
		if err != nil {
			return fail(fmt.Errorf("royalty_detail_list[%d]: %w", i, err))
		}
		rep.Receivers = append(rep.Receivers, r)
	}
	return rep, nil
}

func (c *Channel) receiver(d royaltyDetail) (channel.ReceiverReport, error) {
	r := channel.ReceiverReport{ReceiverType: d.TransInType, Account: d.TransIn, OutDetailID: d.DetailID,
		ErrorCode: d.ErrorCode, ErrorMsg: d.ErrorDesc}
	switch d.State {
	case "PROCESSING":
		r.State = channel.ReceiverPending
	case "SUCCESS":
		r.State = channel.ReceiverSuccess
	case "FAIL":
		r.State = channel.ReceiverFail
	default:
		return channel.ReceiverReport{}, fmt.Errorf("unknown state %q", d.State)
	}
	if t, ok := c.cfg.ReceiverTypes[r.ReceiverType]; ok {
		r.ReceiverType = t
	}
	var err error
	if r.Amount, err = yuan(d.Amount.String()); err != nil {
		return channel.ReceiverReport{}, err
	}
	if r.State != channel.ReceiverPending {
		if r.FinishedAt, err = when(d.ExecuteDt); err != nil {
			return channel.ReceiverReport{}, err
		}
	}
	return r, nil
}
