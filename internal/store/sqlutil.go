package store

import (
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/internal/sqldb"
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

// placeholders is "($first, …, $first+n-1)", built in one allocation: a
// submission's statements take several.
func placeholders(first, n int) string {
	var num [20]byte
	var b strings.Builder
	b.Grow(2 + n*(4+len(strconv.AppendInt(num[:0], int64(first+n), 10))))
	writePlaceholders(&b, first, n)
	return b.String()
}

// writeRow writes a row of n placeholders, binding from $first, to a
// multi-row statement whose every parameter is its rows', in order. On
// SQLite they are anonymous (?, ?, …): the driver binds each parameter
// by asking SQLite its name, and SQLite finds a numbered parameter's name
// by walking the statement's list of names, so binding (and preparing) a
// statement of n $-parameters costs n² steps. For a batch of 256 visits
// (1,280 parameters) that was most of the write. A ? has no name to look up.
func (s *Store) writeRow(b *strings.Builder, first, n int) {
	if s.db.Dialect == sqldb.SQLite {
		b.WriteByte('(')
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('?')
		}
		b.WriteByte(')')
		return
	}
	writePlaceholders(b, first, n)
}

// writePlaceholders writes placeholders(first, n) to b, for a statement
// built there.
func writePlaceholders(b *strings.Builder, first, n int) {
	var num [20]byte
	b.WriteByte('(')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.Write(strconv.AppendInt(num[:0], int64(first+i), 10))
	}
	b.WriteByte(')')
}
