package bench

import (
	"bufio"
	"bytes"
	"os"
	"regexp"
	"strings"
)

// TraceSettings make a Cluster log every statement with its database name,
// for Statements. (No spaces or shell characters: pg_ctl passes them
// through a shell.)
var TraceSettings = []string{"log_statement=all", "log_line_prefix=db=%d:"}

// LogSize is the current size of the cluster's log: a mark to read from.
func (c *Cluster) LogSize() int64 {
	fi, err := os.Stat(c.LogPath())
	if err != nil {
		return 0
	}
	return fi.Size()
}

var stmtRe = regexp.MustCompile(`^db=([^:]*):LOG:\s+(?:statement|execute [^:]*):\s?(.*)$`)

// Statements returns the statements database db ran since the log mark,
// in order, each with its whitespace collapsed; the cluster must run with
// TraceSettings. It is how the pgbench reference of an endpoint is checked
// against what the store layer really issues.
func (c *Cluster) Statements(db string, since int64) ([]string, error) {
	b, err := os.ReadFile(c.LogPath())
	if err != nil {
		return nil, err
	}
	if since > int64(len(b)) {
		since = 0
	}
	var out []string
	var cur *strings.Builder // nil between statements
	flush := func() {
		// pgx's connection check ("-- ping") is not the endpoint's SQL.
		if cur == nil {
			return
		}
		if s := strings.Join(strings.Fields(cur.String()), " "); s != "-- ping" {
			out = append(out, s)
		}
		cur = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(b[since:]))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\t") {
			if cur != nil {
				cur.WriteString(" " + line)
			}
			continue
		}
		flush()
		if m := stmtRe.FindStringSubmatch(line); m != nil && m[1] == db {
			cur = &strings.Builder{}
			cur.WriteString(m[2])
		}
	}
	flush()
	return out, sc.Err()
}
