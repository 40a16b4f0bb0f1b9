package pgstore

import (
	"strconv"
	"strings"
)

// where builds the WHERE and LIMIT of a list query from the filter fields
// that are set, so each combination gets a plain statement the planner can
// match to an index.
type where struct {
	conds []string
	args  []any
}

// eq adds "column = value" when value is not empty.
func (w *where) eq(column, value string) {
	if value == "" {
		return
	}
	w.args = append(w.args, value)
	w.conds = append(w.conds, column+" = $"+strconv.Itoa(len(w.args)))
}

// is adds a condition that takes no argument.
func (w *where) is(cond string) { w.conds = append(w.conds, cond) }

// query returns head with the conditions, ordered by seq and limited to limit
// rows when limit > 0.
func (w *where) query(head string, limit int) string {
	var b strings.Builder
	b.WriteString(head)
	if len(w.conds) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(w.conds, " AND "))
	}
	b.WriteString(" ORDER BY seq")
	if limit > 0 {
		w.args = append(w.args, limit)
		b.WriteString(" LIMIT $" + strconv.Itoa(len(w.args)))
	}
	return b.String()
}
