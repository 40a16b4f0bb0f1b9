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
)

// BenchmarkClaim measures what DESIGN §10 bounds: with stored pay orders
// stored and due, claim 100 of them. The orders are loaded, and each claim's
// orders released, outside the timer. A store meets the design when the cost
// at a million orders is at most twice the cost at ten thousand.
func BenchmarkClaim(b *testing.B, newStore Factory, stored int) {
	if stored < 1 {
		b.Fatalf("stored is %d; want at least 1", stored)
	}
	ctx := b.Context()
	st := newStore(b)
	load(b, st, stored)
	limit := min(100, stored)
	now := base().Add(time.Duration(stored)*time.Microsecond + time.Hour)
	c := repository.Claim{Now: now, Owner: "bench", Until: now.Add(time.Minute), Limit: limit}
	nos := make([]string, 0, limit)
	settle()

	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		got, err := st.ClaimPayOrders(ctx, c)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if len(got) != limit {
			b.Fatalf("claimed %d orders, want %d", len(got), limit)
		}
		nos = nos[:0]
		for _, o := range got {
			nos = append(nos, o.OrderNo)
		}
		if err := st.ReleasePayOrders(ctx, "bench", nos...); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkCommit measures what DESIGN §10 bounds: with stored pay orders
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
