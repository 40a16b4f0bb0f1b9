package repositorytest

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// The guard holds each renderer of compare.go to its type: the suite
// compares stored values only through the renderers, so a field a renderer
// leaves out is a field a store may drop unnoticed (issue 12: AdjustRecord's
// ReceiverNo was). It reflects over the type, recursing into nested structs
// and slices of structs, and fails when a field is not rendered under its
// path, when a rendered key names no field, or when changing a field does
// not change what is rendered under its path.

// testFieldGuard runs the guard over every type a store keeps.
func testFieldGuard(t *testing.T) {
	checks := []struct {
		name     string
		problems []string
	}{
		{"PayOrder", fieldProblems(payFields)},
		{"AllocationOrder", fieldProblems(allocationFields)},
		{"RefundOrder", fieldProblems(refundFields)},
		{"TransferOrder", fieldProblems(transferFields)},
		{"SyncRecord", fieldProblems(syncFields)},
		{"AdjustRecord", fieldProblems(adjustFields)},
		{"Event", fieldProblems(eventFields)},
		{"Anomaly", fieldProblems(anomalyFields)},
		{"OrderSummary", fieldProblems(summaryFields)},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			for _, p := range c.problems {
				t.Errorf("%s: %s; extend its renderer in compare.go", c.name, p)
			}
		})
	}
}

// leaf is a field the guard compares as a whole, reached from the top value
// through steps: a field index, or elemStep for a slice's first element.
type leaf struct {
	path  string
	steps []int
}

const elemStep = -1

var (
	timeType    = reflect.TypeFor[time.Time]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
	uuidType    = reflect.TypeFor[uuid.UUID]()
	index       = regexp.MustCompile(`\[\d+\]`)
)

// fieldProblems returns what render misses of T, one line per problem; none
// when it renders every field of T under the field's path and sees every
// change of it.
func fieldProblems[T any](render func(T) fields) []string {
	typ := reflect.TypeFor[T]()
	var problems []string
	leaves := leavesOf(typ, "", nil, &problems)

	sample := func() T {
		var v T
		fill(reflect.ValueOf(&v).Elem())
		return v
	}
	base := render(sample())
	rendered := map[string]bool{}
	for k := range base {
		if len(k) > 4 && k[:4] == "len(" {
			continue // a count beside a list's items
		}
		rendered[index.ReplaceAllString(k, "[]")] = true
	}
	known := map[string]bool{}
	for _, l := range leaves {
		known[l.path] = true
		if !rendered[l.path] {
			problems = append(problems, fmt.Sprintf("field %s is not rendered", l.path))
			continue
		}
		v := sample()
		if !vary(at(reflect.ValueOf(&v).Elem(), l.steps)) {
			problems = append(problems, fmt.Sprintf("field %s has a type the guard cannot vary", l.path))
			continue
		}
		key := replaceEmpty(l.path) // the first element of every list
		if render(v)[key] == base[key] {
			problems = append(problems, fmt.Sprintf("field %s changed but its rendering %q did not", l.path, base[key]))
		}
	}
	var stale []string
	for k := range rendered {
		if !known[k] {
			stale = append(stale, fmt.Sprintf("key %s names no field", k))
		}
	}
	slices.Sort(stale)
	return append(problems, stale...)
}

// replaceEmpty turns each "[]" of a path into "[0]".
func replaceEmpty(path string) string {
	out := make([]byte, 0, len(path)+4)
	for i := 0; i < len(path); i++ {
		if path[i] == '[' && i+1 < len(path) && path[i+1] == ']' {
			out = append(out, "[0]"...)
			i++
			continue
		}
		out = append(out, path[i])
	}
	return string(out)
}

// leavesOf lists the leaves of struct type typ, their paths prefixed by
// prefix.
func leavesOf(typ reflect.Type, prefix string, steps []int, problems *[]string) []leaf {
	var out []leaf
	for i := range typ.NumField() {
		f := typ.Field(i)
		path, at := prefix+f.Name, append(slices.Clone(steps), i)
		if !f.IsExported() {
			*problems = append(*problems, fmt.Sprintf("field %s is unexported: the guard cannot see it", path))
			continue
		}
		switch {
		case isLeaf(f.Type):
			out = append(out, leaf{path: path, steps: at})
		case f.Type.Kind() == reflect.Struct:
			out = append(out, leavesOf(f.Type, path+".", at, problems)...)
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct && !isLeaf(f.Type.Elem()):
			out = append(out, leavesOf(f.Type.Elem(), path+"[].", append(at, elemStep), problems)...)
		default:
			*problems = append(*problems, fmt.Sprintf("field %s has a type (%s) the guard does not know", path, f.Type))
		}
	}
	return out
}

// isLeaf reports whether a value of typ is compared as a whole.
func isLeaf(typ reflect.Type) bool {
	switch typ {
	case timeType, decimalType, uuidType:
		return true
	}
	switch typ.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	case reflect.Slice:
		return isLeaf(typ.Elem()) && typ.Elem().Kind() != reflect.Slice
	}
	return false
}

// at returns the value steps lead to from v.
func at(v reflect.Value, steps []int) reflect.Value {
	for _, s := range steps {
		if s == elemStep {
			v = v.Index(0)
			continue
		}
		v = v.Field(s)
	}
	return v
}

// fill sets every leaf under v to a value that is not zero, and every slice
// of structs to one filled element.
func fill(v reflect.Value) {
	switch v.Type() {
	case timeType:
		v.Set(reflect.ValueOf(time.Date(2024, 5, 12, 8, 0, 0, 0, time.UTC)))
		return
	case decimalType:
		v.Set(reflect.ValueOf(decimal.New(1050, -2)))
		return
	case uuidType:
		v.Set(reflect.ValueOf(uuid.UUID{1}))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	}
}

// vary changes leaf v to another value of its type; false when it cannot.
func vary(v reflect.Value) bool {
	switch v.Type() {
	case timeType:
		v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Second)))
		return true
	case decimalType:
		v.Set(reflect.ValueOf(v.Interface().(decimal.Decimal).Add(decimal.New(1, 0))))
		return true
	case uuidType:
		id := v.Interface().(uuid.UUID)
		id[0] ^= 0xff
		v.Set(reflect.ValueOf(id))
		return true
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "~")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Slice:
		more := reflect.New(v.Type().Elem()).Elem()
		fill(more)
		v.Set(reflect.Append(v, more))
	default:
		return false
	}
	return true
}
