package repositorytest

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// BenchmarkClaim measures what docs/performance.md#store-benchmarks bounds: with stored pay orders
// stored and due, claim 100 of them. The orders are loaded outside the
// timer; so is re-arming each claim's orders, which moves them behind every
// other due order (each at a due time of its own) and drops their lease, so
// that consecutive claims take different orders, as a sweeper's do, rather
// than the same cache-hot hundred. A store meets the design when the cost at
// a million orders is at most twice the cost at ten thousand.
func BenchmarkClaim(b *testing.B, newStore Factory, stored int) {
	if stored < 1 {
		b.Fatalf("stored is %d; want at least 1", stored)
	}
	st := newStore(b)
	load(b, st, stored)
	benchClaim(b, st, payKind(), stored)
}

// BenchmarkClaimRefunds is BenchmarkClaim for refunds: stored refunds in
// progress, all of one pay order, claimed 100 at a time.
func BenchmarkClaimRefunds(b *testing.B, newStore Factory, stored int) {
	if stored < 1 {
		b.Fatalf("stored is %d; want at least 1", stored)
	}
	st := newStore(b)
	loadRefunds(b, st, stored)
	benchClaim(b, st, refundKind(), stored)
}

// benchClaim claims, in the timed loop, the 100 orders of kind k due first.
// The claims' now is past every due time the loop gives, so every order is
// due; an order claimed comes round again only after all the others (when
// stored is at least twice 100).
func benchClaim[O any](b *testing.B, st repository.Store, k kind[O], stored int) {
	ctx := b.Context()
	limit := min(100, stored)
	now := base().Add(24 * 365 * time.Hour)
	c := repository.Claim{Now: now, Owner: "bench", Until: now.Add(time.Minute), Limit: limit}
	tail := base().Add(time.Duration(stored) * time.Microsecond) // after every loaded due time
	nos := make([]string, 0, limit)
	settle()

	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		got, err := k.claim(st, ctx, c)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if len(got) != limit {
			b.Fatalf("claimed %d orders, want %d", len(got), limit)
		}
		nos = nos[:0]
		for _, o := range got {
			tail = tail.Add(time.Microsecond)
			k.schedule(&o).NextSyncAt = tail
			if err := k.commit(st, ctx, o, repository.Entries{}); err != nil {
				b.Fatal(err)
			}
			nos = append(nos, k.no(o))
		}
		if err := k.release(st, ctx, "bench", nos...); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkCommit measures what docs/performance.md#store-benchmarks bounds: with stored pay orders
// stored, commit one status change with its SyncRecord, AdjustRecord and
// Event. Each iteration commits the next order, from progress to success
// (or, once every order has had its turn, back), at the version it holds.
// Loading is outside the timer; so is making the numbers the commits use.
func BenchmarkCommit(b *testing.B, newStore Factory, stored int) {
	if stored < 1 {
		b.Fatalf("stored is %d; want at least 1", stored)
	}
	ctx := b.Context()
	st := newStore(b)
	nos, bizNos := load(b, st, stored)
	versions := make([]int64, stored)
	for i := range versions {
		versions[i] = 1
	}
	adjustNos := make([]string, b.N)
	for i := range adjustNos {
		adjustNos[i] = fmt.Sprintf("adj-%012d", i)
	}
	o := NewPayOrder("", base())
	sync := NewSyncRecord(paysync.TradePay, "", base())
	sync.Adjusted = true
	adjusts := []paysync.AdjustRecord{NewAdjustRecord(paysync.TradePay, "", base())}
	events := []paysync.Event{NewEvent(paysync.EventPaySuccess, paysync.TradePay, "", base())}
	at := base().Add(time.Hour)
	settle()

	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		j := i % stored
		o.OrderNo, o.BizOrderNo, o.Version = nos[j], bizNos[j], versions[j]
		from, to := paysync.PayProgress, paysync.PaySuccess
		if versions[j]%2 == 0 {
			from, to = to, from
		}
		o.Status, o.UpdatedAt, o.Schedule.NextSyncAt = to, at, at.Add(time.Minute)
		sync.ID, sync.TradeNo, sync.AdjustNo = seqID(1, i), nos[j], adjustNos[i]
		adjusts[0].AdjustNo, adjusts[0].TradeNo = adjustNos[i], nos[j]
		adjusts[0].Before, adjusts[0].After = string(from), string(to)
		events[0].ID, events[0].TradeNo = seqID(2, i), nos[j]
		if err := st.CommitPayOrder(ctx, o, repository.Entries{Sync: sync, Adjusts: adjusts, Events: events}); err != nil {
			b.Fatal(err)
		}
		versions[j]++
	}
}

// settle collects the garbage of loading, so that the timed loop does not
// pay for marking what the setup left: with a million orders that takes
// longer than many iterations.
func settle() { runtime.GC() }

// load creates n pay orders, due one microsecond apart from base(), and
// returns their numbers and merchant numbers. A store that is a
// repository.PayOrderLoader gets them in batches, which is what makes a
// million orders loadable into a database.
func load(tb testing.TB, st repository.Store, n int) (nos, bizNos []string) {
	tb.Helper()
	const batch = 10_000
	nos, bizNos = make([]string, n), make([]string, n)
	loader, bulk := st.(repository.PayOrderLoader)
	pending := make([]paysync.PayOrder, 0, min(n, batch))
	flush := func() {
		if err := loader.LoadPayOrders(tb.Context(), pending); err != nil {
			tb.Fatal(err)
		}
		pending = pending[:0]
	}
	for i := range n {
		o := NewPayOrder("", base())
		nos[i] = fmt.Sprintf("P%010d", i)
		bizNos[i] = "biz-" + nos[i]
		at := base().Add(time.Duration(i) * time.Microsecond)
		o.OrderNo, o.BizOrderNo = nos[i], bizNos[i]
		o.CreatedAt, o.UpdatedAt, o.Schedule.NextSyncAt = at, at, at
		if !bulk {
			if err := st.CreatePayOrder(tb.Context(), o); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		if pending = append(pending, o); len(pending) == batch {
			flush()
		}
	}
	if bulk && len(pending) > 0 {
		flush()
	}
	return nos, bizNos
}

// loadRefunds creates n refunds in progress of one pay order, due one
// microsecond apart from base().
func loadRefunds(tb testing.TB, st repository.Store, n int) {
	tb.Helper()
	pay := NewPaidOrder("P-refunded", base())
	pay.Amount = decimal.New(int64(n)*100, 0)
	if err := st.CreatePayOrder(tb.Context(), pay); err != nil {
		tb.Fatal(err)
	}
	change := repository.PayRefundChange{OrderNo: pay.OrderNo, Version: 1, RefundStatus: paysync.PayRefunding}
	for i := range n {
		r := NewRefundOrder(fmt.Sprintf("R%010d", i), base().Add(time.Duration(i)*time.Microsecond))
		r.OrderNo = pay.OrderNo
		change.ReservedAmount = change.ReservedAmount.Add(r.Amount)
		change.UpdatedAt = r.CreatedAt
		if err := st.CreateRefundOrder(tb.Context(), r, change, repository.Entries{}); err != nil {
			tb.Fatal(err)
		}
		change.Version++
	}
}

// seqID returns the i-th uuid of series s: unique within a run without the
// cost of reading random bytes inside a timed loop.
func seqID(s byte, i int) uuid.UUID {
	var id uuid.UUID
	id[0] = s
	binary.BigEndian.PutUint64(id[8:], uint64(i))
	id[6] = 0x70              // version 7
	id[8] = 0x80 | id[8]&0x3f // RFC 4122 variant
	return id
}
