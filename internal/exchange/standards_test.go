package exchange_test

import (
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A new deployment starts from the built-in list (30+ common papers, each
// valid); seeding twice changes nothing; catalog admins maintain the list,
// others may not; a name is unique and a bad field is named.
func TestStandardMaterialsSeededAndMaintained(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, std := w.ctx, w.ex.Standards
		list, err := std.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) < 30 {
			t.Fatalf("seeded %d standard materials, want 30 or more", len(list))
		}
		names := map[string]string{}
		for _, m := range list {
			names[m.Name] = m.Code
		}
		for _, n := range []string{"居民身份证", "居民户口簿", "结婚证", "营业执照", "不动产权证书", "房屋租赁合同", "法定代表人（负责人）身份证明"} {
			if names[n] == "" {
				t.Errorf("the seed lacks %s", n)
			}
		}
		if again, err := exchange.SeedStandards(ctx, w.st, w.clock); err != nil || again {
			t.Errorf("second seed = %v, %v; want nothing done", again, err)
		}

		m := tongban.StandardMaterial{Code: "BZ0901", Name: "农村土地承包经营权证", Category: "不动产与住房",
			Issuer: "县级人民政府", Aliases: []string{" 承包经营权证 ", "承包经营权证"}, Reusable: true}
		if _, err := std.Save(ctx, w.req(w.clerk), m); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("a clerk saved a standard material: %v", err)
		}
		saved, err := std.Save(ctx, w.req(w.catalogAdmin), m)
		if err != nil {
			t.Fatal(err)
		}
		if len(saved.Aliases) != 1 || saved.Aliases[0] != "承包经营权证" {
			t.Errorf("aliases = %q, want one trimmed alias", saved.Aliases)
		}
		got, err := w.st.StandardMaterial(ctx, "BZ0901")
		if err != nil || got.Name != m.Name || !got.Reusable || got.UpdatedBy != w.catalogAdmin.ID {
			t.Errorf("stored = %+v, %v", got, err)
		}
		dup := m
		dup.Code = "BZ0902"
		if _, err := std.Save(ctx, w.req(w.catalogAdmin), dup); !tongban.IsCode(err, tongban.EConflict) || tongban.AsError(err).Field != "name" {
			t.Errorf("a second code with the same name: %v, want conflict on name", err)
		}
		bad := m
		bad.Code = "bz 1"
		if _, err := std.Save(ctx, w.req(w.catalogAdmin), bad); !tongban.IsCode(err, tongban.EInvalid) || tongban.AsError(err).Field != "code" {
			t.Errorf("a malformed code: %v, want invalid on code", err)
		}
		m.Retired, m.Note = true, "已并入不动产权证书"
		if _, err := std.Save(ctx, w.req(w.catalogAdmin), m); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.st.StandardMaterial(ctx, "BZ0901"); !got.Retired || !strings.Contains(got.Note, "并入") {
			t.Errorf("update not stored: %+v", got)
		}
		if _, err := w.st.StandardMaterial(ctx, "BZ9999"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("unknown code: %v, want not found", err)
		}
	})
}
