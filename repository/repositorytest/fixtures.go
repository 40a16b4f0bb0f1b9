package repositorytest

import (
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// NewPayOrder returns a valid pay order numbered orderNo (merchant number
// "biz-"+orderNo): 10.50 CNY in progress on channel "wechat", created and
// due at at, expiring two hours later, Version 0.
func NewPayOrder(orderNo string, at time.Time) paysync.PayOrder {
	return paysync.PayOrder{
		OrderNo:      orderNo,
		BizOrderNo:   "biz-" + orderNo,
		OutOrderNo:   "wx-" + orderNo,
		Channel:      "wechat",
		Amount:       decimal.New(1050, -2),
		Currency:     paysync.DefaultCurrency,
		Status:       paysync.PayProgress,
		RefundStatus: paysync.PayRefundNone,
		ExpiredAt:    at.Add(2 * time.Hour),
		CreatedAt:    at,
		UpdatedAt:    at,
		Schedule:     paysync.Schedule{NextSyncAt: at},
	}
}

// NewAllocationOrder returns a valid allocation order numbered allocationNo
// (merchant number "biz-"+allocationNo) of pay order "pay-"+allocationNo:
// 10.00 split 6.00 + 4.00 between two pending receivers, processing on
// channel "wechat", created and due at at, Version 0.
func NewAllocationOrder(allocationNo string, at time.Time) paysync.AllocationOrder {
	return paysync.AllocationOrder{
		AllocationNo:    allocationNo,
		BizAllocationNo: "biz-" + allocationNo,
		OrderNo:         "pay-" + allocationNo,
		OutOrderNo:      "wx-pay-" + allocationNo,
		Channel:         "wechat",
		Amount:          decimal.New(1000, -2),
		Currency:        paysync.DefaultCurrency,
		Status:          paysync.AllocProcessing,
		Result:          paysync.AllocAllPending,
		Receivers: []paysync.AllocationReceiver{
			{ReceiverNo: allocationNo + "-1", ReceiverType: "merchant_no", Account: "1900000001",
				Name: "Shop One", Amount: decimal.New(600, -2), Result: paysync.ReceiverPending},
			{ReceiverNo: allocationNo + "-2", ReceiverType: "openid", Account: "o-abc",
				Name: "Courier", Amount: decimal.New(400, -2), Result: paysync.ReceiverPending},
		},
		CreatedAt: at,
		UpdatedAt: at,
		Schedule:  paysync.Schedule{NextSyncAt: at},
	}
}

// NewRefundOrder returns a valid refund numbered refundNo (merchant number
// "biz-"+refundNo) of pay order "pay-"+refundNo (NewPaidOrder makes one):
// 3.00 CNY in progress on channel "wechat", created and due at at, Version 0.
func NewRefundOrder(refundNo string, at time.Time) paysync.RefundOrder {
	return paysync.RefundOrder{
		RefundNo:    refundNo,
		BizRefundNo: "biz-" + refundNo,
		OrderNo:     "pay-" + refundNo,
		Channel:     "wechat",
		Amount:      decimal.New(300, -2),
		Currency:    paysync.DefaultCurrency,
		Reason:      "damaged in transit",
		Status:      paysync.RefundProgress,
		CreatedAt:   at,
		UpdatedAt:   at,
		Schedule:    paysync.Schedule{NextSyncAt: at},
	}
}

// NewPaidOrder returns NewPayOrder(orderNo, at) paid at at: a pay order a
// refund can be created on, out of the schedule.
func NewPaidOrder(orderNo string, at time.Time) paysync.PayOrder {
	o := NewPayOrder(orderNo, at)
	o.Status, o.PaidAt, o.Schedule = paysync.PaySuccess, at, paysync.Schedule{}
	return o
}

// ReserveRefund returns the change CreateRefundOrder makes to pay when it
// creates r: r's amount reserved, RefundStatus refunding, at the Version pay
// holds, updated when r was created.
func ReserveRefund(pay paysync.PayOrder, r paysync.RefundOrder) repository.PayRefundChange {
	return repository.PayRefundChange{
		OrderNo:        pay.OrderNo,
		Version:        pay.Version,
		RefundedAmount: pay.RefundedAmount,
		ReservedAmount: pay.ReservedAmount.Add(r.Amount),
		RefundStatus:   paysync.PayRefunding,
		UpdatedAt:      r.CreatedAt,
	}
}

// NewTransferOrder returns a valid transfer numbered transferNo (merchant
// number "biz-"+transferNo): 25.00 CNY to an Alipay user, in progress on
// channel "alipay", created and due at at, Version 0.
func NewTransferOrder(transferNo string, at time.Time) paysync.TransferOrder {
	return paysync.TransferOrder{
		TransferNo:    transferNo,
		BizTransferNo: "biz-" + transferNo,
		Channel:       "alipay",
		Amount:        decimal.New(2500, -2),
		Currency:      paysync.DefaultCurrency,
		PayeeType:     "ALIPAY_USER_ID",
		PayeeAccount:  "2088000000000001",
		PayeeName:     "张三",
		Reason:        "deposit returned",
		Status:        paysync.TransferProgress,
		CreatedAt:     at,
		UpdatedAt:     at,
		Schedule:      paysync.Schedule{NextSyncAt: at},
	}
}

// NewSighting returns the first sighting of anomaly code on trade tradeNo,
// at at: Opens is true, as the engine sets it when it found no anomaly.
func NewSighting(tradeType paysync.TradeType, tradeNo string, code paysync.AnomalyCode, at time.Time) repository.AnomalySighting {
	return repository.AnomalySighting{TradeType: tradeType, TradeNo: tradeNo, Code: code, At: at, Opens: true}
}

// NewResolution returns a person's resolution of anomaly code on trade
// tradeNo, at at.
func NewResolution(tradeType paysync.TradeType, tradeNo string, code paysync.AnomalyCode, at time.Time) repository.AnomalyResolution {
	return repository.AnomalyResolution{
		TradeType: tradeType, TradeNo: tradeNo, Code: code, At: at,
		By: "ops@example.com", Note: "the channel confirmed it",
	}
}

// NewSyncRecord returns a sync record with a new uuid v7 of a sweep that
// found trade tradeNo in progress at at.
func NewSyncRecord(tradeType paysync.TradeType, tradeNo string, at time.Time) paysync.SyncRecord {
	return paysync.SyncRecord{
		ID:           newID(),
		TradeType:    tradeType,
		TradeNo:      tradeNo,
		BizNo:        "biz-" + tradeNo,
		OutNo:        "wx-" + tradeNo,
		Channel:      "wechat",
		ChannelState: "progress",
		Raw:          []byte(`<xml><trade_state>NOTPAY</trade_state></xml>`),
		Source:       paysync.SourceSweep,
		CreatedAt:    at,
	}
}

// NewAdjustRecord returns an adjust record with a new unique number of trade
// tradeNo moving to success (an allocation order: to allocation_end) at at.
func NewAdjustRecord(tradeType paysync.TradeType, tradeNo string, at time.Time) paysync.AdjustRecord {
	way, before, after := paysync.WayPaySuccess, "progress", "success"
	switch tradeType {
	case paysync.TradeAllocation:
		way, before, after = paysync.WayAllocStatus, string(paysync.AllocProcessing), string(paysync.AllocEnd)
	case paysync.TradeRefund:
		way = paysync.WayRefundSuccess
	case paysync.TradeTransfer:
		way = paysync.WayTransferSuccess
	}
	return paysync.AdjustRecord{
		AdjustNo:  "adj-" + newID().String(),
		TradeType: tradeType,
		TradeNo:   tradeNo,
		Source:    paysync.SourceSweep,
		Way:       way,
		Before:    before,
		After:     after,
		CreatedAt: at,
	}
}

// NewEvent returns an undelivered event of type typ with a new uuid v7 about
// trade tradeNo, created at at.
func NewEvent(typ paysync.EventType, tradeType paysync.TradeType, tradeNo string, at time.Time) paysync.Event {
	return paysync.Event{
		ID:        newID(),
		Type:      typ,
		TradeType: tradeType,
		TradeNo:   tradeNo,
		// One key and jsonb's spacing, so a store keeping JSON as jsonb
		// gives back the same bytes.
		Payload:   []byte(`{"tradeNo": "` + tradeNo + `"}`),
		CreatedAt: at,
	}
}

// NewEntries returns what a commit of one status change of trade tradeNo at
// at stores: a sync record, an adjust record and a status event, all with new
// ids.
func NewEntries(tradeType paysync.TradeType, tradeNo string, at time.Time) repository.Entries {
	typ := map[paysync.TradeType]paysync.EventType{
		paysync.TradePay:        paysync.EventPaySuccess,
		paysync.TradeAllocation: paysync.EventAllocationEnd,
		paysync.TradeRefund:     paysync.EventRefundSuccess,
		paysync.TradeTransfer:   paysync.EventTransferSuccess,
	}[tradeType]
	sync := NewSyncRecord(tradeType, tradeNo, at)
	adjust := NewAdjustRecord(tradeType, tradeNo, at)
	sync.Adjusted, sync.AdjustNo = true, adjust.AdjustNo
	return repository.Entries{
		Sync:    sync,
		Adjusts: []paysync.AdjustRecord{adjust},
		Events:  []paysync.Event{NewEvent(typ, tradeType, tradeNo, at)},
	}
}

// newID returns a uuid v7. Reading the system's random source does not fail
// on any platform Go supports, so Must never panics here.
func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
