package repositorytest

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// toy is a stored type in small: leaves of each kind, a nested struct and a
// list of structs.
type toy struct {
	No     string
	Amount decimal.Decimal
	At     time.Time
	Count  int
	On     bool
	Codes  []paysync.AnomalyCode
	Raw    []byte
	Sched  toySchedule
	Lines  []toyLine
}

type toySchedule struct {
	Next  time.Time
	Owner string
}

type toyLine struct {
	Name  string
	Price decimal.Decimal
}

// renderToy renders every field of toy, leaving out those named in skip
// and rendering those named in swap from the wrong field.
func renderToy(skip, swap string) func(toy) fields {
	return func(v toy) fields {
		f := fields{
			"No":     v.No,
			"Amount": v.Amount.String(),
			"At":     stamp(v.At),
			"Count":  strconv.Itoa(v.Count),
			"On":     strconv.FormatBool(v.On),
			"Codes": strings.Join(slices.Collect(func(yield func(string) bool) {
				for _, c := range v.Codes {
					if !yield(string(c)) {
						return
					}
				}
			}), ","),
			"Raw":         string(v.Raw),
			"Sched.Next":  stamp(v.Sched.Next),
			"Sched.Owner": v.Sched.Owner,
		}
		for i, l := range v.Lines {
			p := "Lines[" + strconv.Itoa(i) + "]."
			f[p+"Name"] = l.Name
			f[p+"Price"] = l.Price.String()
		}
		if swap != "" {
			f[swap] = v.No // rendered under its name, but from another field
		}
		for k := range f {
			if k == skip || strings.HasSuffix(k, "]."+skip) {
				delete(f, k)
			}
		}
		return f
	}
}

func TestFieldProblems(t *testing.T) {
	tests := []struct {
		name       string
		render     func(toy) fields
		wantAbout  string // a problem names this; empty: no problem
		wantReason string
	}{
		{"every field rendered", renderToy("", ""), "", ""},
		{"a field left out", renderToy("Count", ""), "Count", "not rendered"},
		{"a nested field left out", renderToy("Sched.Owner", ""), "Sched.Owner", "not rendered"},
		{"a field of a list left out", renderToy("Price", ""), "Lines[].Price", "not rendered"},
		{"a field rendered from another", renderToy("", "Sched.Owner"), "Sched.Owner", "did not"},
		{"a list rendered from another field", renderToy("", "Codes"), "Codes", "did not"},
		{"a key that names no field", func(v toy) fields {
			f := renderToy("", "")(v)
			f["Gone"] = "x"
			return f
		}, "Gone", "names no field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			problems := fieldProblems(tc.render)
			if tc.wantAbout == "" {
				if len(problems) > 0 {
					t.Errorf("problems %q, want none", problems)
				}
				return
			}
			found := slices.ContainsFunc(problems, func(p string) bool {
				return strings.Contains(p, tc.wantAbout) && strings.Contains(p, tc.wantReason)
			})
			if !found || len(problems) != 1 {
				t.Errorf("problems %q, want exactly one about %s (%s)", problems, tc.wantAbout, tc.wantReason)
			}
		})
	}
}

// TestFieldProblemsKnowsTypes: a field of a type the guard cannot compare
// (a map, a pointer) is a problem, not a field passed over.
func TestFieldProblemsKnowsTypes(t *testing.T) {
	type odd struct {
		Tags map[string]string
		Next *time.Time
	}
	problems := fieldProblems(func(odd) fields { return fields{} })
	for _, f := range []string{"Tags", "Next"} {
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "field "+f+" ") }) {
			t.Errorf("problems %q say nothing of field %s", problems, f)
		}
	}
}

// TestRenderersCoverStoredTypes runs the guard on the suite's own
// renderers, as Run does for every store.
func TestRenderersCoverStoredTypes(t *testing.T) { testFieldGuard(t) }

// TestChangeWritesEveryField: each kind's change edits every field a commit
// writes, so that a store that drops a field from its commit fails Commit.
// It leaves alone the numbers, CreatedAt, Version, the lease and Exhausted
// (kept, or asserted by the schedule tests) and, where the kind has a single
// scheduled status, Status (asserted by CommitLeavesSchedule).
func TestChangeWritesEveryField(t *testing.T) {
	common := []string{"CreatedAt", "Version", "Schedule.LeaseOwner", "Schedule.LeaseUntil", "Schedule.Exhausted"}
	checkChange(t, payKind(), append(common, "OrderNo", "BizOrderNo", "Status"))
	checkChange(t, allocationKind(), append(common, "AllocationNo", "BizAllocationNo", "OrderNo"))
	checkChange(t, refundKind(), append(common, "RefundNo", "BizRefundNo", "OrderNo"))
	checkChange(t, transferKind(), append(common, "TransferNo", "BizTransferNo", "Status"))
}

func checkChange[O any](t *testing.T, k kind[O], left []string) {
	t.Run(string(k.tradeType), func(t *testing.T) {
		o := k.newOrder("o-1", base())
		before := k.fields(o)
		k.change(&o, base().Add(time.Minute))
		// A field of a list counts as changed when it changed in any item
		// that was there before.
		changed := map[string]bool{}
		for key, v := range k.fields(o) {
			path := index.ReplaceAllString(key, "[]")
			if was, ok := before[key]; ok && was != v {
				changed[path] = true
			} else if !changed[path] {
				changed[path] = false
			}
		}
		var unchanged []string
		for path, c := range changed {
			if !c && !slices.Contains(left, path) && !strings.HasPrefix(path, "len(") {
				unchanged = append(unchanged, path)
			}
		}
		slices.Sort(unchanged)
		if len(unchanged) > 0 {
			t.Errorf("change leaves %q as they were: a store could drop them from a commit unnoticed", unchanged)
		}
	})
}
