package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/atrest"
	"github.com/tongban/tongban/internal/sqldb"
)

// A form naming a family member, with her ID number, phone and address.
const (
	familyName  = "欧阳秀娜"
	familyID    = "51160219800101002X"
	familyPhone = "13912345678"
	familyForm  = `{"家庭成员":[{"姓名":"` + familyName + `","身份证号":"` + familyID + `","手机":"` + familyPhone +
		`"}],"住址":"广安区北辰路88号"}`
)

func rawForm(t *testing.T, st interface{ DB() *sqldb.DB }, id int64) string {
	t.Helper()
	var form string
	if err := st.DB().QueryRowContext(context.Background(), `SELECT form FROM cases WHERE id = $1`, id).Scan(&form); err != nil {
		t.Fatal(err)
	}
	return form
}

func assertNoPlainFamilyData(t *testing.T, stored string) {
	t.Helper()
	for _, s := range []string{familyName, familyID, familyPhone, "北辰路", "身份证号"} {
		if strings.Contains(stored, s) {
			t.Errorf("stored form holds %q in the clear: %s", s, stored)
		}
	}
}

func TestCaseFormsSealedAtRest(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		c := newCase(dept, u, "511602000000-20260302-000001", "key-1")
		c.Form = json.RawMessage(familyForm)
		if err := st.CreateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		assertNoPlainFamilyData(t, rawForm(t, st, c.ID))

		// Every read path opens the form.
		reads := map[string]func() (*tongban.Case, error){
			"Case":          func() (*tongban.Case, error) { return st.Case(ctx, c.ID) },
			"CaseByNumber":  func() (*tongban.Case, error) { return st.CaseByNumber(ctx, c.Number) },
			"CaseByIdemKey": func() (*tongban.Case, error) { return st.CaseByIdempotencyKey(ctx, u.ID, "key-1") },
			"CaseForUpdate": func() (*tongban.Case, error) { return st.CaseForUpdate(ctx, c.ID) },
			"Cases": func() (*tongban.Case, error) {
				list, err := st.Cases(ctx, tongban.CaseFilter{ApplicantID: u.ID})
				if err != nil || len(list) != 1 {
					return nil, err
				}
				return list[0], nil
			},
		}
		for name, read := range reads {
			got, err := read()
			if err != nil || got == nil || string(got.Form) != familyForm {
				t.Errorf("%s: form = %v, %v; want the plain form back", name, got, err)
			}
		}

		// An update seals the new form; an empty form stays "{}".
		updated := strings.Replace(familyForm, "88号", "99号", 1)
		c.Form = json.RawMessage(updated)
		if err := st.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		assertNoPlainFamilyData(t, rawForm(t, st, c.ID))
		if got, err := st.Case(ctx, c.ID); err != nil || string(got.Form) != updated {
			t.Errorf("after update: %v, %v", got, err)
		}
		empty := newCase(dept, u, "511602000000-20260302-000002", "key-2")
		empty.Form = nil
		if err := st.CreateCase(ctx, empty); err != nil {
			t.Fatal(err)
		}
		if raw := rawForm(t, st, empty.ID); raw != "{}" {
			t.Errorf("empty form stored as %q", raw)
		}
	})
}

// A database from before migration 00018 holds plain forms: they read as
// they are, and the upgrade step seals each of them once.
func TestPlainFormsSealedOnUpgrade(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i, key := range []string{"k1", "k2", "k3"} {
			c := newCase(dept, u, "511602000000-20260302-00000"+string(rune('1'+i)), key)
			if err := st.CreateCase(ctx, c); err != nil {
				t.Fatal(err)
			}
			// Written as the code before 00018 wrote it.
			if _, err := st.DB().ExecContext(ctx, `UPDATE cases SET form = $1 WHERE id = $2`, familyForm, c.ID); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		if raw := rawForm(t, st, ids[0]); raw != familyForm {
			t.Fatalf("setup: stored form %q", raw)
		}
		if got, err := st.Case(ctx, ids[0]); err != nil || string(got.Form) != familyForm {
			t.Fatalf("a plain form does not read before the upgrade: %v, %v", got, err)
		}
		n, err := atrest.SealForms(ctx, st)
		if err != nil || n != 3 {
			t.Fatalf("SealForms = %d, %v; want 3", n, err)
		}
		for _, id := range ids {
			assertNoPlainFamilyData(t, rawForm(t, st, id))
			if got, err := st.Case(ctx, id); err != nil || string(got.Form) != familyForm || got.Version != 1 {
				t.Errorf("case %d after the upgrade: %v, %v", id, got, err)
			}
		}
		// Idempotent: a second start finds nothing to do.
		if n, err := atrest.SealForms(ctx, st); err != nil || n != 0 {
			t.Errorf("second SealForms = %d, %v; want 0", n, err)
		}
	})
}
