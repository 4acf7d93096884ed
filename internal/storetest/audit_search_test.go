package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/sqldb"
)

// SearchAudit filters by actor, action, object prefix and time, newest
// first, and pages by sequence number; LIKE wildcards in a query are text.
func TestSearchAudit(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		entries := []tongban.AuditEntry{
			{At: t0, Actor: "赵科长", Action: tongban.AuditRoleGrant, Object: "user:12"},
			{At: t0.Add(time.Hour), Actor: "赵科长", Action: tongban.AuditUserCreate, Object: "user:120"},
			{At: t0.Add(2 * time.Hour), Actor: "陈窗口", Action: tongban.AuditLogin, Object: "user:3"},
			{At: t0.Add(3 * time.Hour), Actor: "系统管理员", Action: tongban.AuditRoleGrant, Object: "case:5116"},
			{At: t0.Add(4 * time.Hour), Actor: "a_b", Action: tongban.AuditLogin, Object: "user:5"},
		}
		for i := range entries {
			if err := audit.Append(ctx, st, &entries[i]); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := audit.Seal(ctx, st); err != nil {
			t.Fatal(err)
		}
		seqs := func(f tongban.AuditFilter) []int64 {
			t.Helper()
			es, err := st.SearchAudit(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, e := range es {
				out = append(out, e.Seq)
			}
			return out
		}
		for name, c := range map[string]struct {
			f    tongban.AuditFilter
			want []int64
		}{
			"all, newest first": {tongban.AuditFilter{}, []int64{5, 4, 3, 2, 1}},
			"actor":             {tongban.AuditFilter{Actor: "科长"}, []int64{2, 1}},
			"action":            {tongban.AuditFilter{Action: tongban.AuditRoleGrant}, []int64{4, 1}},
			"object prefix":     {tongban.AuditFilter{Object: "user:12"}, []int64{2, 1}},
			"object kind":       {tongban.AuditFilter{Object: "case:"}, []int64{4}},
			"time range":        {tongban.AuditFilter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, []int64{3, 2}},
			"page":              {tongban.AuditFilter{Before: 4, Limit: 2}, []int64{3, 2}},
			"wildcard is text":  {tongban.AuditFilter{Actor: "_"}, []int64{5}},
			"nothing":           {tongban.AuditFilter{Actor: "周", Action: tongban.AuditLogin}, nil},
		} {
			if got := seqs(c.f); !equalInts(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
	})
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
