package store

import (
	"strconv"
	"strings"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// utc normalises times before they are stored, so that SQLite's text
// timestamps sort and compare correctly.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nullTime returns nil for a nil pointer, for nullable timestamp columns.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return utc(*t)
}

// where builds a WHERE clause with numbered placeholders, which both engines accept.
type where struct {
	conds []string
	args  []any
}

// add appends a condition; each "?" in cond becomes the next $N bound to the next value.
func (w *where) add(cond string, vals ...any) {
	var b strings.Builder
	for _, r := range cond {
		if r == '?' && len(vals) > 0 {
			w.args = append(w.args, vals[0])
			vals = vals[1:]
			b.WriteString("$" + itoa(len(w.args)))
			continue
		}
		b.WriteRune(r)
	}
	w.conds = append(w.conds, b.String())
}

// String is " WHERE a AND b", or "" without conditions.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// arg binds one more value and returns its placeholder, for LIMIT and the like.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + itoa(len(w.args))
}

// placeholders is "($first, …, $first+n-1)".
func placeholders(first, n int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + itoa(first+i))
	}
	b.WriteByte(')')
	return b.String()
}
