package exchange_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// 免提交率 counts only what a reference the server resolved spared, by
// kind, from the events: a shared record and a library entry count, an
// upload does not, a refused claim leaves nothing; the rollups rebuilt
// from the events give the same numbers. The report for catalog admins
// names a material a resource could spare that a listing still asks for.
func TestMeasuresCountOnlyResolvedReferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx := w.ctx
		w.resource("GA-HJXX", "户籍信息", w.ga, tongban.ShareUnconditional, "", "BZ0102")
		if _, err := w.ex.Data.Push(ctx, w.req(w.gaAdmin), "GA-HJXX", []exchange.PushRecord{
			{Subject: "511602199003071232", Data: map[string]string{"name": "张三", "status": "正常"}}}); err != nil {
			t.Fatal(err)
		}
		// 1: every paper uploaded; its ID card confirmed into the library.
		first, err := w.apply(w.zhang, w.move, upload("m1", "id"), upload("m2", "hukou"), upload("m3", "form"))
		w.must(err)
		_, err = w.wf.Accept(ctx, as(w.gaApprover), first.ID, workflow.AcceptInput{Confirm: []workflow.MaterialConfirmation{{Key: "m1"}}})
		w.must(err)
		// 2: the ID card from the library, the 户口簿 from shared data.
		_, err = w.apply(w.zhang, w.marry, reuse("h1", ""), shared("h2", ""), upload("h3", "statement"))
		w.must(err)
		// 3: 李四 claims both, has neither: refused, counts nothing.
		if _, err := w.apply(w.li, w.marry, reuse("h1", ""), shared("h2", ""), upload("h3", "x")); err == nil {
			t.Fatal("李四's claims were accepted")
		}

		agg := stats.NewAggregator(w.st, slog.New(slog.NewTextHandler(io.Discard, nil)))
		w.must(agg.Refresh(ctx))
		total := func() tongban.RollupCounts {
			sums, err := w.st.SumRollups(ctx, tongban.RollupFilter{})
			w.must(err)
			var c tongban.RollupCounts
			for _, s := range sums {
				c.Add(s)
			}
			return c
		}
		c := total()
		if c.Submitted != 2 || c.MaterialsAsked != 6 || c.MaterialsByLibrary != 1 || c.MaterialsByShared != 1 ||
			c.MaterialsByLicense != 0 || c.MaterialsNotHanded != 2 {
			t.Errorf("rollups = %+v, want 2 cases, 6 materials asked, 1 spared by the library and 1 by shared data", c)
		}
		m := stats.Cases(c)
		if m.NoSubmitRate == nil || *m.NoSubmitRate != 2.0/6 || *m.NoSubmitByKind.Shared != 1.0/6 || *m.NoSubmitByKind.License != 0 {
			t.Errorf("免提交率 = %v by kind %+v", m.NoSubmitRate, m.NoSubmitByKind)
		}
		w.must(agg.Rebuild(ctx))
		if again := total(); again != c {
			t.Errorf("rebuilt from the events: %+v, live %+v", again, c)
		}

		supervisor := &tongban.User{Kind: tongban.UserStaff, Name: "马骏", Username: "jc", PasswordHash: "x", CreatedAt: w.clock.Now()}
		w.must(w.st.CreateUser(ctx, supervisor))
		w.must(w.st.GrantRole(ctx, supervisor.ID, tongban.RoleGrant{Role: tongban.RoleSupervisor, OrgID: w.bureau.ID}))
		supervisor, _ = w.st.User(ctx, supervisor.ID)
		rows, err := w.ex.Reports.NoSubmit(ctx, identity.Request{Actor: supervisor}, tongban.RollupFilter{})
		w.must(err)
		if len(rows) != 2 {
			t.Fatalf("by listing = %+v", rows)
		}
		for _, r := range rows {
			want := 0.0
			if r.ListingID == w.marry.ID {
				want = 2.0 / 3
			}
			if r.Rate == nil || *r.Rate != want {
				t.Errorf("%s: 免提交率 %v, want %v", r.Name, r.Rate, want)
			}
		}
		if _, err := w.ex.Reports.NoSubmit(ctx, w.req(w.zhang), tongban.RollupFilter{}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("a citizen read the measures: %v", err)
		}

		// Both listings ask 居民户口簿 from the applicant (no source set),
		// though 户籍信息 stands for it: both are reported.
		spare, err := w.ex.Reports.Sparable(ctx, w.req(w.catalogAdmin), "")
		w.must(err)
		var got []string
		for _, s := range spare {
			got = append(got, s.Listing+":"+s.Key)
			if len(s.By) == 0 || s.By[0].Kind != tongban.MaterialShared || s.By[0].Resource != "户籍信息" {
				t.Errorf("%s %s: could come from %v", s.Listing, s.Material, s.By)
			}
		}
		if strings.Join(got, ",") != "户口迁移（迁入）:m2,内地居民结婚登记:h2" {
			t.Errorf("sparable = %v", got)
		}
	})
}
