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

// affiliate is someone the shop pays a commission to, in one channel's
// terms.
type affiliate struct{ typ, account, name string }

// affiliates are the shop's payees, by channel.
func affiliates(ch string) []affiliate {
	if ch == alipay {
		return []affiliate{
			{"ALIPAY_USER_ID", "2088302281936615", "Li Na"},
			{"ALIPAY_USER_ID", "2088411093758204", "Zhou Jie"},
		}
	}
	return []affiliate{
		{"openid", "oUpF8uN7cXb2H0kqvTr9wSa1LmQe", "Chen Yu"},
		{"openid", "oUpF8uK3pDs8Fj2xYw5nVb0QzRtU", "Zhao Lei"},
	}
}

// transfers stores this morning's commission payouts — created through the
// store, as hosts do (docs/transfer-sync.md) — and scripts what the channels
// know: a few paid with their callbacks lost, one refused, one still paying,
// and one the channel never received.
func (s *seeder) transfers(ctx context.Context) error {
	kinds := []transferKind{transferFailed, transferProcessing, transferNotAtChannel}
	for range 2 + s.r.IntN(2) {
		kinds = append(kinds, transferPaid)
	}
	s.r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	for i, k := range kinds {
		if err := s.transfer(ctx, i+1, k); err != nil {
			return err
		}
	}
	return nil
}

// transfer stores payout i in part k and scripts its truth. Every payout is
// older than notFoundAfter, so a channel that does not know it has had its
// time.
func (s *seeder) transfer(ctx context.Context, i int, k transferKind) error {
	ch := wechat
	if s.r.IntN(2) == 0 {
		ch = alipay
	}
	payees := affiliates(ch)
	payee := payees[s.r.IntN(len(payees))]
	created := s.now.Add(-s.between(15*time.Minute, 105*time.Minute))
	t := paysync.TransferOrder{
		TransferNo:    fmt.Sprintf("4%06d", i),
		BizTransferNo: fmt.Sprintf("PO-%s-%03d", s.date, i),
		Channel:       ch,
		Amount:        decimal.New(2000+s.r.Int64N(60_000), -2),
		Currency:      paysync.DefaultCurrency,
		PayeeType:     payee.typ,
		PayeeAccount:  payee.account,
		PayeeName:     payee.name,
		Reason:        "affiliate commission",
		Status:        paysync.TransferProgress,
		CreatedAt:     created,
		UpdatedAt:     created,
	}
	t.Schedule.NextSyncAt = s.tables.Transfer.First(created, time.Time{})
	if err := s.store.CreateTransferOrder(ctx, t); err != nil {
		return err
	}

	var truth channel.TransferReport
	switch k {
	case transferPaid:
		truth = channeltest.TransferAnswer(t, channel.TransferSuccess)
		truth.FinishedAt = created.Add(s.between(10*time.Second, 3*time.Minute))
	case transferFailed:
		truth = channeltest.TransferAnswer(t, channel.TransferFailed)
		truth.FinishedAt = created.Add(s.between(10*time.Second, time.Minute))
		truth.ErrorCode, truth.ErrorMsg = "ACCOUNT_FROZEN", "该用户账户被冻结"
		if ch == alipay {
			truth.ErrorCode, truth.ErrorMsg = "PAYEE_NOT_EXIST", "收款账号不存在"
		}
	case transferProcessing:
		truth = channeltest.TransferAnswer(t, channel.TransferProgress)
	case transferNotAtChannel:
		truth = channel.TransferReport{State: channel.TransferNotFound}
		s.p.NotAtChannelNo = t.TransferNo
	}
	s.chans[ch].SetTransfer(t.TransferNo, truth)
	s.p.Transfer[k]++
	return nil
}
