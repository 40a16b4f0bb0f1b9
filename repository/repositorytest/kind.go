package repositorytest

import (
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// kind lets one test assert a contract on pay orders and allocation orders
// alike: the ports of both are the same with other names.
type kind[O any] struct {
	tradeType  paysync.TradeType
	notFound   *paysync.Error
	newOrder   func(no string, at time.Time) O
	numbers    func(*O) (no, biz *string)
	schedule   func(*O) *paysync.Schedule
	version    func(*O) *int64
	timestamps func(*O) (createdAt, updatedAt *time.Time)
	announced  func(*O) *[]paysync.AnomalyCode
	// change edits o the way a sync that keeps it in the schedule would:
	// every field a commit may write, with at as the time of the change.
	change func(o *O, at time.Time)
	// scribble overwrites, in place, everything o holds by reference.
	scribble func(o *O)
	// fields renders o for comparison; utc normalises its times as a store
	// must.
	fields func(O) fields
	utc    func(O) O
	// scheduled and unscheduled are edits to statuses in and out of the
	// sweep schedule.
	scheduled   []edit[O]
	unscheduled []edit[O]

	// The port's methods, store first.
	create   func(repository.Store, context.Context, O) error
	get      func(repository.Store, context.Context, string) (O, error)
	getByBiz func(repository.Store, context.Context, string) (O, error)
	commit   func(repository.Store, context.Context, O, repository.Entries) error
	claim    func(repository.Store, context.Context, repository.Claim) ([]O, error)
	release  func(repository.Store, context.Context, string, ...string) error
}

type edit[O any] struct {
	name  string
	apply func(*O)
}

func (k kind[O]) no(o O) string {
	no, _ := k.numbers(&o)
	return *no
}

func (k kind[O]) nos(os []O) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = k.no(o)
	}
	return out
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
		schedule:   func(o *O) *paysync.Schedule { return &o.Schedule },
		version:    func(o *O) *int64 { return &o.Version },
		timestamps: func(o *O) (*time.Time, *time.Time) { return &o.CreatedAt, &o.UpdatedAt },
		announced:  func(o *O) *[]paysync.AnomalyCode { return &o.Announced },
		change: func(o *O, at time.Time) {
			o.OutOrderNo = "wx2-" + o.OrderNo
			o.Channel = "alipay"
			o.Amount = decimal.New(2000, -2)
			o.Currency = "USD"
			o.RefundStatus = paysync.PayRefundPartial
			o.ExpiredAt = at.Add(time.Hour)
			o.PaidAt = at.Add(-time.Minute)
			o.ClosedAt = at.Add(-2 * time.Minute)
			o.UpdatedAt = at
			o.Announced = append(o.Announced, paysync.AnomalyAmountMismatch, paysync.AnomalyRefundAtChannel)
			o.Schedule.Attempts++
			o.Schedule.NextSyncAt = at.Add(10 * time.Minute)
		},
		scribble: func(o *O) {
			for i := range o.Announced {
				o.Announced[i] = "scribbled"
			}
		},
		fields: payFields,
		utc: func(o O) O {
			o.ExpiredAt, o.PaidAt, o.ClosedAt = utc(o.ExpiredAt), utc(o.PaidAt), utc(o.ClosedAt)
			o.CreatedAt, o.UpdatedAt = utc(o.CreatedAt), utc(o.UpdatedAt)
			o.Schedule.NextSyncAt, o.Schedule.LeaseUntil = utc(o.Schedule.NextSyncAt), utc(o.Schedule.LeaseUntil)
			return o
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
		schedule:   func(o *O) *paysync.Schedule { return &o.Schedule },
		version:    func(o *O) *int64 { return &o.Version },
		timestamps: func(o *O) (*time.Time, *time.Time) { return &o.CreatedAt, &o.UpdatedAt },
		announced:  func(o *O) *[]paysync.AnomalyCode { return &o.Announced },
		change: func(o *O, at time.Time) {
			o.OutAllocationNo = "wx-alloc-" + o.AllocationNo
			o.Status = paysync.AllocFailed
			o.Result = paysync.AllocPartSuccess
			o.FinishedAt = at.Add(-time.Minute)
			o.UpdatedAt = at
			o.Announced = append(o.Announced, paysync.AnomalyReceiverMissing)
			o.Receivers = append(o.Receivers, paysync.AllocationReceiver{
				ReceiverNo: o.AllocationNo + "-3", ReceiverType: "login_name", Account: "a@example.com",
				Name: "Late", Amount: decimal.New(1, -2), Result: paysync.ReceiverIgnore,
			})
			for i := range o.Receivers {
				o.Receivers[i].OutDetailID = "detail-" + o.Receivers[i].ReceiverNo
			}
			o.Receivers[0].Result, o.Receivers[0].FinishedAt = paysync.ReceiverSuccess, at.Add(-2*time.Minute)
			o.Receivers[1].Result, o.Receivers[1].ErrorCode, o.Receivers[1].ErrorMsg = paysync.ReceiverFail, "NO_AUTH", "未授权"
			o.Schedule.Attempts++
			o.Schedule.NextSyncAt = at.Add(10 * time.Minute)
		},
		scribble: func(o *O) {
			for i := range o.Announced {
				o.Announced[i] = "scribbled"
			}
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
			o.Schedule.NextSyncAt, o.Schedule.LeaseUntil = utc(o.Schedule.NextSyncAt), utc(o.Schedule.LeaseUntil)
			return o
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
		create:   repository.Store.CreateAllocationOrder,
		get:      repository.Store.GetAllocationOrder,
		getByBiz: repository.Store.GetAllocationOrderByBizNo,
		commit:   repository.Store.CommitAllocationOrder,
		claim:    repository.Store.ClaimAllocationOrders,
		release:  repository.Store.ReleaseAllocationOrders,
	}
}
