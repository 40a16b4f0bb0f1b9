package main

import (
	"context"
	"fmt"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
)

// party is someone who takes a share of a sale.
type party struct {
	typ, account, name string
	share              decimal.Decimal // of the order's amount
}

// parties are the receivers a shop splits its sales with, by channel: the
// same businesses, as each channel names their accounts.
func parties(ch string) []party {
	if ch == alipay {
		return []party{
			{"userId", "2088102146225135", "Pinecone Logistics", decimal.New(10, -2)},
			{"loginName", "finance@harbor-storage.example", "Harbor Storage", decimal.New(5, -2)},
			{"userId", "2088301194649043", "Wang Fang (affiliate)", decimal.New(3, -2)},
		}
	}
	return []party{
		{"merchant_no", "1900000109", "Pinecone Logistics", decimal.New(10, -2)},
		{"merchant_no", "1900000231", "Harbor Storage", decimal.New(5, -2)},
		{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "Wang Fang (affiliate)", decimal.New(3, -2)},
	}
}

// allocations stores one allocation order per paid order in bases: all but
// the last three split cleanly, then one mixed, one still pending, one
// marked failed here but done at the channel.
func (s *seeder) allocations(ctx context.Context, bases []string) error {
	for i, no := range bases {
		k := allocSuccess
		if j := len(bases) - i; j <= 3 {
			k = allocKind(int(numAllocKinds) - j)
		}
		if err := s.allocation(ctx, i, k, s.orders[no]); err != nil {
			return err
		}
	}
	return nil
}

// allocation stores allocation order i of part k over the paid order base
// and scripts what the channel says about its receivers.
func (s *seeder) allocation(ctx context.Context, i int, k allocKind, base paysync.PayOrder) error {
	n := 2 + s.r.IntN(2)
	switch k {
	case allocMixed:
		n = 3
	case allocPending:
		n = 2
	}
	created := base.PaidAt.Add(time.Minute)
	o := paysync.AllocationOrder{
		AllocationNo:    fmt.Sprintf("2%06d", i+1),
		BizAllocationNo: fmt.Sprintf("SPLIT-%s-%03d", s.date, i+1),
		OrderNo:         base.OrderNo,
		OutOrderNo:      base.OutOrderNo,
		Channel:         base.Channel,
		Amount:          decimal.Zero,
		Status:          paysync.AllocProcessing,
		Result:          paysync.AllocAllPending,
		CreatedAt:       created,
		UpdatedAt:       created,
	}
	if k == allocRestarted {
		o.Status = paysync.AllocFailed
	}
	for j, pt := range parties(base.Channel)[:n] {
		amt := base.Amount.Mul(pt.share).Round(2)
		o.Amount = o.Amount.Add(amt)
		o.Receivers = append(o.Receivers, paysync.AllocationReceiver{
			ReceiverNo: fmt.Sprintf("%s-%d", o.AllocationNo, j+1), ReceiverType: pt.typ,
			Account: pt.account, Name: pt.name, Amount: amt, Result: paysync.ReceiverPending,
		})
	}
	o.Schedule.NextSyncAt = s.tables.Allocation.First(o.CreatedAt, time.Time{})
	if err := s.store.CreateAllocationOrder(ctx, o); err != nil {
		return err
	}

	var truth channel.AllocationReport
	switch k {
	case allocSuccess, allocRestarted:
		truth = channeltest.Allocated(o, channel.ReceiverSuccess)
		s.p.ReceiversSucceeded += n
	case allocMixed:
		truth = channeltest.Allocated(o, channel.ReceiverSuccess)
		truth.Receivers[1].State = channel.ReceiverFail
		truth.Receivers[1].ErrorCode = "ACCOUNT_ABNORMAL"
		truth.Receivers[1].ErrorMsg = "分账接收账户异常"
		s.p.ReceiversSucceeded += n - 1
		s.p.ReceiversFailed++
	case allocPending:
		truth = channeltest.Allocated(o, channel.ReceiverPending)
	}
	s.chans[o.Channel].SetAllocation(o.AllocationNo, truth)
	s.p.Alloc[k]++
	return nil
}
