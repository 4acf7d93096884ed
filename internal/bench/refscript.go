package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"

	"github.com/tongban/tongban/internal/sqldb"
)

// A reference script is one endpoint's SQL written once, in pgbench's
// script language, and run by pgbench on PostgreSQL and by RunScript (a
// small interpreter of the same text) on SQLite, which pgbench cannot
// drive. The subset understood here:
//
//	-- comment
//	\set name random(lo, hi)      (or an integer)
//	BEGIN;  …  COMMIT;             one transaction (retried like sqldb.Transact on SQLite)
//	SQL …;                         may span lines; :name is a variable
//	SQL … \gset                    stores the first row's columns as variables
//	\startpipeline … \endpipeline  (outside a transaction, no \gset) the
//	                               statements between in one round trip on
//	                               PostgreSQL, as Tongban's pgx batch of a
//	                               submission's claim reads (sqldb.QueryRows);
//	                               on SQLite one after the other, as there
//
// On SQLite " FOR UPDATE" is dropped, as Tongban drops it (its write
// transactions are exclusive from the start). Scripts CAST the parameters
// whose type PostgreSQL cannot infer under pgbench -M prepared (pgx sends
// typed parameters); CAST reads the same on both engines.

type cmdKind int

const (
	cmdSet cmdKind = iota
	cmdSQL
	cmdBegin
	cmdCommit
	cmdPipeline // \startpipeline or \endpipeline: pgbench's; nothing to RunOnce
)

type scriptCmd struct {
	kind   cmdKind
	name   string // \set
	lo, hi int64  // \set random(lo, hi); lo == hi for a constant
	loVar  string // or bounds from variables: random(:a, :b)
	hiVar  string
	sql    string
	gset   bool
	// Made once at parse time for RunOnce, which runs a script thousands of
	// times a second and would otherwise spend longer scanning a long
	// statement's text with varRe than SQLite spends running it (0.4 ms a
	// run of onceonly_refs.sql): the statement as SQLite runs it, every
	// :name a $n parameter, those names in order, and whether it returns rows.
	lite      string
	liteNames []string
	rowsBack  bool
}

// Script is a parsed reference script.
type Script struct {
	Text string
	cmds []scriptCmd
}

var setRe = regexp.MustCompile(`^\\set\s+(\w+)\s+(?:random\(\s*(-?\d+|:\w+)\s*,\s*(-?\d+|:\w+)\s*\)|(-?\d+))\s*$`)

// ParseScript parses the subset of pgbench's language above.
func ParseScript(text string) (*Script, error) {
	s := &Script{Text: text}
	var cur strings.Builder
	for n, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if cur.Len() == 0 && (t == "" || strings.HasPrefix(t, "--")) {
			continue
		}
		if cur.Len() == 0 && (t == `\startpipeline` || t == `\endpipeline`) {
			s.cmds = append(s.cmds, scriptCmd{kind: cmdPipeline, name: t})
			continue
		}
		if cur.Len() == 0 && strings.HasPrefix(t, `\`) {
			m := setRe.FindStringSubmatch(t)
			if m == nil {
				return nil, fmt.Errorf("line %d: unsupported meta-command %q", n+1, t)
			}
			c := scriptCmd{kind: cmdSet, name: m[1]}
			if m[4] != "" {
				c.lo, _ = strconv.ParseInt(m[4], 10, 64)
				c.hi = c.lo
			} else {
				c.lo, _ = strconv.ParseInt(m[2], 10, 64)
				c.hi, _ = strconv.ParseInt(m[3], 10, 64)
				c.loVar, _ = strings.CutPrefix(m[2], ":")
				c.hiVar, _ = strings.CutPrefix(m[3], ":")
				if c.loVar == m[2] {
					c.loVar = ""
				}
				if c.hiVar == m[3] {
					c.hiVar = ""
				}
			}
			s.cmds = append(s.cmds, c)
			continue
		}
		cur.WriteString(line + "\n")
		end, gset := strings.HasSuffix(t, ";"), strings.HasSuffix(t, `\gset`)
		if !end && !gset {
			continue
		}
		q := strings.TrimSpace(cur.String())
		cur.Reset()
		q = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(q, `\gset`), ";"))
		switch strings.ToUpper(q) {
		case "BEGIN":
			s.cmds = append(s.cmds, scriptCmd{kind: cmdBegin})
		case "COMMIT":
			s.cmds = append(s.cmds, scriptCmd{kind: cmdCommit})
		default:
			s.cmds = append(s.cmds, sqlCmd(q, gset))
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		return nil, fmt.Errorf("unterminated statement: %s", firstLine(cur.String()))
	}
	return s, nil
}

var varRe = regexp.MustCompile(`(^|[^:]):([A-Za-z_]\w*)`)

// sqlCmd is statement q, with what RunOnce needs of it made beforehand.
func sqlCmd(q string, gset bool) scriptCmd {
	c := scriptCmd{kind: cmdSQL, sql: q, gset: gset}
	c.lite = varRe.ReplaceAllStringFunc(strings.ReplaceAll(q, " FOR UPDATE", ""), func(m string) string {
		sub := varRe.FindStringSubmatch(m)
		c.liteNames = append(c.liteNames, sub[2])
		return sub[1] + "$" + strconv.Itoa(len(c.liteNames))
	})
	upper := strings.ToUpper(c.lite)
	c.rowsBack = gset || strings.HasPrefix(upper, "SELECT") || strings.Contains(upper, "RETURNING")
	return c
}

// bind turns :name variables into $n parameters; an undefined name is
// left as it is, as pgbench leaves it (a colon inside a literal).
func bind(q string, vars map[string]any) (string, []any) {
	var args []any
	q = varRe.ReplaceAllStringFunc(q, func(m string) string {
		sub := varRe.FindStringSubmatch(m)
		v, ok := vars[sub[2]]
		if !ok {
			return m
		}
		args = append(args, v)
		return sub[1] + "$" + strconv.Itoa(len(args))
	})
	return q, args
}

// RunOnce runs the script once on SQLite for client c, with the defines,
// its statements kept prepared as Tongban's are (as pgbench -M prepared
// does on PostgreSQL).
func (s *Script) RunOnce(ctx context.Context, db *sqldb.DB, c int, defines map[string]string) error {
	vars := map[string]any{"client_id": int64(c)}
	for k, v := range defines {
		vars[k] = value(v)
	}
	var inTx []scriptCmd
	tx := false
	for _, cmd := range s.cmds {
		switch {
		case cmd.kind == cmdPipeline: // SQLite's reads cost no round trip: in turn, as Tongban runs them there
		case cmd.kind == cmdBegin:
			tx, inTx = true, nil
		case cmd.kind == cmdCommit:
			tx = false
			err := db.Transact(ctx, func(t *sql.Tx) error {
				local := copyVars(vars)
				for _, c := range inTx {
					if err := runCmd(ctx, db.InTx(t), c, local); err != nil {
						return err
					}
				}
				vars = local
				return nil
			})
			if err != nil {
				return err
			}
		case tx:
			inTx = append(inTx, cmd)
		default:
			if err := runCmd(ctx, db.Pool(), cmd, vars); err != nil {
				return err
			}
		}
	}
	return nil
}

func copyVars(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func value(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return s
}

func runCmd(ctx context.Context, q sqldb.Querier, cmd scriptCmd, vars map[string]any) error {
	if cmd.kind == cmdSet {
		lo, hi := cmd.lo, cmd.hi
		for _, b := range []struct {
			name string
			dst  *int64
		}{{cmd.loVar, &lo}, {cmd.hiVar, &hi}} {
			if b.name == "" {
				continue
			}
			n, ok := vars[b.name].(int64)
			if !ok {
				return fmt.Errorf("\\set %s: :%s is not an integer", cmd.name, b.name)
			}
			*b.dst = n
		}
		vars[cmd.name] = lo
		if hi > lo {
			vars[cmd.name] = lo + rand.Int64N(hi-lo+1)
		}
		return nil
	}
	text, args := cmd.lite, make([]any, len(cmd.liteNames))
	for i, name := range cmd.liteNames {
		v, ok := vars[name]
		if !ok { // a colon in a literal, say: bind leaves it as pgbench does
			text, args = bind(strings.ReplaceAll(cmd.sql, " FOR UPDATE", ""), vars)
			break
		}
		args[i] = v
	}
	if !cmd.rowsBack {
		_, err := q.ExecContext(ctx, text, args...)
		return err
	}
	rows, err := q.QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	first := true
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if cmd.gset && first {
			for i, col := range cols {
				if b, ok := vals[i].([]byte); ok {
					vals[i] = string(b)
				}
				vars[col] = vals[i]
			}
		}
		first = false
	}
	if cmd.gset && first {
		return fmt.Errorf("\\gset: no row from %s", firstLine(text))
	}
	return rows.Err()
}
