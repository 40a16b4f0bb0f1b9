package repositorytest

import (
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// bogus is a value no status, result or receiver result has.
const bogus = "bogus"

// names returns statuses as the strings a listing filters by.
func names[S ~string](statuses []S) []string {
	out := make([]string, len(statuses))
	for i, s := range statuses {
		out[i] = string(s)
	}
	return out
}

// scheduleUTC normalises the times of s as a store must.
func scheduleUTC(s paysync.Schedule) paysync.Schedule {
	s.NextSyncAt, s.LeaseUntil = utc(s.NextSyncAt), utc(s.LeaseUntil)
	return s
}

func payKind() kind[paysync.PayOrder] {
	type O = paysync.PayOrder
	set := func(s paysync.PayStatus, channel string) func(*O) {
		return func(o *O) { o.Status, o.Channel = s, channel }
	}
	return kind[O]{
		tradeType:  paysync.TradePay,
		notFound:   paysync.ErrOrderNotFound,
		newOrder:   NewPayOrder,
		numbers:    func(o *O) (*string, *string) { return &o.OrderNo, &o.BizOrderNo },
		kept:       func(o *O) []*string { return []*string{&o.BizOrderNo} },
		schedule:   func(o *O) *paysync.Schedule { return &o.Schedule },
		version:    func(o *O) *int64 { return &o.Version },
		timestamps: func(o *O) (*time.Time, *time.Time) { return &o.CreatedAt, &o.UpdatedAt },
		statuses:   names(paysync.PayStatuses()),
		change: func(o *O, at time.Time) {
			o.OutOrderNo = "wx2-" + o.OrderNo
			o.Channel = "alipay"
			o.Amount = decimal.New(2000, -2)
			o.Currency = "USD"
			o.RefundStatus = paysync.PayRefundPartial
			o.RefundedAmount = decimal.New(150, -2)
			o.ReservedAmount = decimal.New(225, -2)
			o.ExpiredAt = at.Add(time.Hour)
			o.PaidAt = at.Add(-time.Minute)
			o.ClosedAt = at.Add(-2 * time.Minute)
			o.UpdatedAt = at
			o.Schedule.Attempts++
			o.Schedule.NextSyncAt = at.Add(10 * time.Minute)
		},
		scribble: func(*O) {}, // a pay order holds nothing by reference
		fields:   payFields,
		utc: func(o O) O {
			o.ExpiredAt, o.PaidAt, o.ClosedAt = utc(o.ExpiredAt), utc(o.PaidAt), utc(o.ClosedAt)
			o.CreatedAt, o.UpdatedAt = utc(o.CreatedAt), utc(o.UpdatedAt)
			o.Schedule = scheduleUTC(o.Schedule)
			return o
		},
		summary: func(o O) repository.OrderSummary {
			return repository.OrderSummary{
				TradeType: paysync.TradePay, TradeNo: o.OrderNo, BizNo: o.BizOrderNo, OutNo: o.OutOrderNo,
				Channel: o.Channel, Amount: o.Amount, Currency: o.Currency, Status: string(o.Status),
				CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version, Schedule: o.Schedule,
			}
		},
		scheduled: []edit[O]{
			{"progress", set(paysync.PayProgress, "wechat")},
			{"wait with channel", set(paysync.PayWait, "wechat")},
		},
		unscheduled: []edit[O]{
			{"wait without channel", set(paysync.PayWait, "")},
			{"success", set(paysync.PaySuccess, "wechat")},
			{"close", set(paysync.PayClose, "wechat")},
			{"cancel", set(paysync.PayCancel, "wechat")},
			{"fail", set(paysync.PayFail, "wechat")},
		},
		invalid: []edit[O]{
			{"unknown status", func(o *O) { o.Status = bogus }},
			{"no status", func(o *O) { o.Status = "" }},
			{"unknown refund status", func(o *O) { o.RefundStatus = bogus }},
		},
		create:   repository.Store.CreatePayOrder,
		get:      repository.Store.GetPayOrder,
		getByBiz: repository.Store.GetPayOrderByBizNo,
		commit:   repository.Store.CommitPayOrder,
		claim:    repository.Store.ClaimPayOrders,
		release:  repository.Store.ReleasePayOrders,
	}
}

func allocationKind() kind[paysync.AllocationOrder] {
	type O = paysync.AllocationOrder
	set := func(s paysync.AllocationStatus) func(*O) {
		return func(o *O) { o.Status = s }
	}
	return kind[O]{
		tradeType:  paysync.TradeAllocation,
		notFound:   paysync.ErrAllocationNotFound,
		newOrder:   NewAllocationOrder,
		numbers:    func(o *O) (*string, *string) { return &o.AllocationNo, &o.BizAllocationNo },
		kept:       func(o *O) []*string { return []*string{&o.BizAllocationNo} },
		schedule:   func(o *O) *paysync.Schedule { return &o.Schedule },
		version:    func(o *O) *int64 { return &o.Version },
		timestamps: func(o *O) (*time.Time, *time.Time) { return &o.CreatedAt, &o.UpdatedAt },
		statuses:   names(paysync.AllocationStatuses()),
		change: func(o *O, at time.Time) {
			o.OutAllocationNo = "wx-alloc-" + o.AllocationNo
			o.OutOrderNo = "wx2-pay-" + o.AllocationNo
			o.Channel = "alipay"
			o.Amount = decimal.New(1001, -2)
			o.Currency = "USD"
			o.Status = paysync.AllocFailed
			o.Result = paysync.AllocPartSuccess
			o.FinishedAt = at.Add(-time.Minute)
			o.UpdatedAt = at
			if len(o.Receivers) < 3 { // once: receiver numbers stay unique
				o.Receivers = append(o.Receivers, paysync.AllocationReceiver{
					ReceiverNo: o.AllocationNo + "-3", ReceiverType: "login_name", Account: "a@example.com",
					Name: "Late", Amount: decimal.New(1, -2), Result: paysync.ReceiverIgnore,
				})
			}
			for i := range o.Receivers {
				o.Receivers[i].OutDetailID = "detail-" + o.Receivers[i].ReceiverNo
			}
			r0 := &o.Receivers[0] // stored whole: every field of a receiver may change
			r0.ReceiverNo, r0.ReceiverType, r0.Account = o.AllocationNo+"-1b", "merchant_id", "1900000009"
			r0.Name, r0.Amount = "Shop One Ltd", decimal.New(599, -2)
			r0.Result, r0.FinishedAt = paysync.ReceiverSuccess, at.Add(-2*time.Minute)
			o.Receivers[1].Result, o.Receivers[1].ErrorCode, o.Receivers[1].ErrorMsg = paysync.ReceiverFail, "NO_AUTH", "未授权"
			o.Schedule.Attempts++
			o.Schedule.NextSyncAt = at.Add(10 * time.Minute)
		},
		scribble: func(o *O) {
			for i := range o.Receivers {
				o.Receivers[i] = paysync.AllocationReceiver{ReceiverNo: "scribbled", Amount: decimal.New(-1, 0)}
			}
		},
		fields: allocationFields,
		utc: func(o O) O {
			o.Receivers = append([]paysync.AllocationReceiver(nil), o.Receivers...)
			for i := range o.Receivers {
				o.Receivers[i].FinishedAt = utc(o.Receivers[i].FinishedAt)
			}
			o.FinishedAt, o.CreatedAt, o.UpdatedAt = utc(o.FinishedAt), utc(o.CreatedAt), utc(o.UpdatedAt)
			o.Schedule = scheduleUTC(o.Schedule)
			return o
		},
		summary: func(o O) repository.OrderSummary {
			return repository.OrderSummary{
				TradeType: paysync.TradeAllocation, TradeNo: o.AllocationNo, BizNo: o.BizAllocationNo,
				OutNo: o.OutAllocationNo, Channel: o.Channel, Amount: o.Amount, Currency: o.Currency,
				Status: string(o.Status), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version,
				Schedule: o.Schedule,
			}
		},
		scheduled: []edit[O]{
			{"allocation_processing", set(paysync.AllocProcessing)},
			{"allocation_failed", set(paysync.AllocFailed)},
		},
		unscheduled: []edit[O]{
			{"allocation_end", set(paysync.AllocEnd)},
			{"finish", set(paysync.AllocFinish)},
			{"finish_failed", set(paysync.AllocFinishFailed)},
			{"ignore", set(paysync.AllocIgnore)},
		},
		invalid: []edit[O]{
			{"unknown status", func(o *O) { o.Status = bogus }},
			{"no status", func(o *O) { o.Status = "" }},
			{"unknown result", func(o *O) { o.Result = bogus }},
			{"unknown receiver result", func(o *O) { o.Receivers[1].Result = bogus }},
			{"no receiver result", func(o *O) { o.Receivers[0].Result = "" }},
		},
		payOrder: func(o *O) *string { return &o.OrderNo },
		create:   repository.Store.CreateAllocationOrder,
		get:      repository.Store.GetAllocationOrder,
		getByBiz: repository.Store.GetAllocationOrderByBizNo,
		commit:   repository.Store.CommitAllocationOrder,
		claim:    repository.Store.ClaimAllocationOrders,
		release:  repository.Store.ReleaseAllocationOrders,
		list:     repository.Store.ListAllocationOrders,
	}
}

func refundKind() kind[paysync.RefundOrder] {
	type O = paysync.RefundOrder
	set := func(s paysync.RefundOrderStatus, watched bool) func(*O) {
		return func(o *O) { o.Status, o.Watched = s, watched }
	}
	return kind[O]{
		tradeType:  paysync.TradeRefund,
		notFound:   paysync.ErrRefundNotFound,
		newOrder:   NewRefundOrder,
		numbers:    func(o *O) (*string, *string) { return &o.RefundNo, &o.BizRefundNo },
		kept:       func(o *O) []*string { return []*string{&o.BizRefundNo, &o.OrderNo} },
		schedule:   func(o *O) *paysync.Schedule { return &o.Schedule },
		version:    func(o *O) *int64 { return &o.Version },
		timestamps: func(o *O) (*time.Time, *time.Time) { return &o.CreatedAt, &o.UpdatedAt },
		statuses:   names(paysync.RefundOrderStatuses()),
		change: func(o *O, at time.Time) {
			// Closed on a not_found answer and watched: still scheduled.
			o.OutRefundNo = "wx-refund-" + o.RefundNo
			o.Channel = "alipay"
			o.Amount = decimal.New(301, -2)
			o.Currency = "USD"
			o.Reason = "changed mind"
			o.Status, o.Watched = paysync.RefundClose, true
			o.FinishedAt = at.Add(-time.Minute)
			o.ErrorCode, o.ErrorMsg = "NOT_FOUND", "退款不存在"
			o.UpdatedAt = at
			o.Schedule.Attempts++
			o.Schedule.NextSyncAt = at.Add(10 * time.Minute)
		},
		scribble: func(*O) {}, // a refund holds nothing by reference
		fields:   refundFields,
		utc: func(o O) O {
			o.FinishedAt, o.CreatedAt, o.UpdatedAt = utc(o.FinishedAt), utc(o.CreatedAt), utc(o.UpdatedAt)
			o.Schedule = scheduleUTC(o.Schedule)
			return o
		},
		summary: func(o O) repository.OrderSummary {
			return repository.OrderSummary{
				TradeType: paysync.TradeRefund, TradeNo: o.RefundNo, BizNo: o.BizRefundNo, OutNo: o.OutRefundNo,
				Channel: o.Channel, Amount: o.Amount, Currency: o.Currency, Status: string(o.Status),
				CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version, Schedule: o.Schedule,
			}
		},
		scheduled: []edit[O]{
			{"progress", set(paysync.RefundProgress, false)},
			{"close watched", set(paysync.RefundClose, true)},
		},
		unscheduled: []edit[O]{
			{"close unwatched", set(paysync.RefundClose, false)},
			{"success", set(paysync.RefundSuccess, false)},
			{"fail", set(paysync.RefundFail, false)},
			{"success still marked watched", set(paysync.RefundSuccess, true)},
		},
		invalid: []edit[O]{
			{"unknown status", func(o *O) { o.Status = bogus }},
			{"no status", func(o *O) { o.Status = "" }},
		},
		payOrder: func(o *O) *string { return &o.OrderNo },
		prepare: func(st repository.Store, ctx context.Context, r O) error {
			_, err := ensurePaid(st, ctx, r.OrderNo)
			return err
		},
		create: func(st repository.Store, ctx context.Context, r O) error {
			return createRefund(st, ctx, r, repository.Entries{})
		},
		get:      repository.Store.GetRefundOrder,
		getByBiz: repository.Store.GetRefundOrderByBizNo,
		commit: func(st repository.Store, ctx context.Context, r O, e repository.Entries) error {
			return st.CommitRefundOrder(ctx, r, nil, e)
		},
		claim:   repository.Store.ClaimRefundOrders,
		release: repository.Store.ReleaseRefundOrders,
		list:    repository.Store.ListRefundOrders,
	}
}

func transferKind() kind[paysync.TransferOrder] {
	type O = paysync.TransferOrder
	set := func(s paysync.TransferStatus) func(*O) {
		return func(o *O) { o.Status = s }
	}
	return kind[O]{
		tradeType:  paysync.TradeTransfer,
		notFound:   paysync.ErrTransferNotFound,
		newOrder:   NewTransferOrder,
		numbers:    func(o *O) (*string, *string) { return &o.TransferNo, &o.BizTransferNo },
		kept:       func(o *O) []*string { return []*string{&o.BizTransferNo} },
		schedule:   func(o *O) *paysync.Schedule { return &o.Schedule },
		version:    func(o *O) *int64 { return &o.Version },
		timestamps: func(o *O) (*time.Time, *time.Time) { return &o.CreatedAt, &o.UpdatedAt },
		statuses:   names(paysync.TransferStatuses()),
		change: func(o *O, at time.Time) {
			// Still in progress (the only scheduled status); every other
			// field moves.
			o.OutTransferNo = "ali-" + o.TransferNo
			o.Channel = "wechat"
			o.Amount = decimal.New(2501, -2)
			o.Currency = "USD"
			o.PayeeType, o.PayeeAccount, o.PayeeName = "openid", "o-xyz", "李四"
			o.Reason = "prize"
			o.FinishedAt = at.Add(-time.Minute)
			o.ErrorCode, o.ErrorMsg = "PAYEE_BUSY", "收款方繁忙"
			o.UpdatedAt = at
			o.Schedule.Attempts++
			o.Schedule.NextSyncAt = at.Add(10 * time.Minute)
		},
		scribble: func(*O) {}, // a transfer holds nothing by reference
		fields:   transferFields,
		utc: func(o O) O {
			o.FinishedAt, o.CreatedAt, o.UpdatedAt = utc(o.FinishedAt), utc(o.CreatedAt), utc(o.UpdatedAt)
			o.Schedule = scheduleUTC(o.Schedule)
			return o
		},
		summary: func(o O) repository.OrderSummary {
			return repository.OrderSummary{
				TradeType: paysync.TradeTransfer, TradeNo: o.TransferNo, BizNo: o.BizTransferNo,
				OutNo: o.OutTransferNo, Channel: o.Channel, Amount: o.Amount, Currency: o.Currency,
				Status: string(o.Status), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version,
				Schedule: o.Schedule,
			}
		},
		scheduled: []edit[O]{
			{"progress", set(paysync.TransferProgress)},
		},
		unscheduled: []edit[O]{
			{"success", set(paysync.TransferSuccess)},
			{"close", set(paysync.TransferClose)},
			{"fail", set(paysync.TransferFail)},
		},
		invalid: []edit[O]{
			{"unknown status", func(o *O) { o.Status = bogus }},
			{"no status", func(o *O) { o.Status = "" }},
		},
		create:   repository.Store.CreateTransferOrder,
		get:      repository.Store.GetTransferOrder,
		getByBiz: repository.Store.GetTransferOrderByBizNo,
		commit:   repository.Store.CommitTransferOrder,
		claim:    repository.Store.ClaimTransferOrders,
		release:  repository.Store.ReleaseTransferOrders,
	}
}
