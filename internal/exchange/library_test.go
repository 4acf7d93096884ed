package exchange_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// A file staff confirm in one case enters the applicant's library under
// its standard material; another department's listing that asks the same
// standard material (under another name and key) takes it with nothing
// uploaded, the reference pointing at the entry and the file, and the use
// in the applicant's data record. Nobody else can claim it; an expired or
// deleted entry is refused naming the material.
func TestLibraryReuseAcrossListings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx := w.ctx
		field := func(err error) string { return tongban.AsError(err).Field }

		_, err := w.apply(w.zhang, w.move, reuse("m1", ""), upload("m2", "hukou"), upload("m3", "form"))
		if !tongban.IsCode(err, tongban.EInvalid) || field(err) != "materials[0].status" ||
			!strings.Contains(err.Error(), "迁移人员居民身份证") || !strings.Contains(err.Error(), "材料库中没有有效的") {
			t.Fatalf("reuse with an empty library: %v", err)
		}
		first, err := w.apply(w.zhang, w.move, upload("m1", "idcard"), upload("m2", "hukou"), upload("m3", "form"))
		if err != nil {
			t.Fatal(err)
		}

		// Confirmation: only the case's department, only provided files, dates checked.
		confirm := []workflow.MaterialConfirmation{{Key: "m1", ValidUntil: "2036-01-01"}, {Key: "m2"}, {Key: "m3"}}
		if _, err := w.wf.Accept(ctx, as(w.mzApprover), first.ID, workflow.AcceptInput{Confirm: confirm}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("another department confirmed: %v", err)
		}
		past := []workflow.MaterialConfirmation{{Key: "m1", ValidUntil: "2026-03-01"}}
		if _, err := w.wf.Accept(ctx, as(w.gaApprover), first.ID, workflow.AcceptInput{Confirm: past}); !tongban.IsCode(err, tongban.EInvalid) ||
			field(err) != "confirm[0].valid_until" {
			t.Errorf("an expired document confirmed: %v", err)
		}
		accepted, err := w.wf.Accept(ctx, as(w.gaApprover), first.ID, workflow.AcceptInput{Confirm: confirm})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"m1", "m2", "m3"} {
			if m, _ := accepted.Material(k); !m.Confirmed {
				t.Errorf("%s not marked confirmed", k)
			}
		}
		evs, _ := w.st.CaseEvents(ctx, first.ID)
		if e := evs[1]; e.Action != tongban.ActionConfirmMaterials || len(e.Materials) != 3 || !strings.Contains(e.Reason, "居民户口簿") {
			t.Errorf("confirmation event = %+v", e)
		}
		if _, err := w.wf.ConfirmMaterials(ctx, as(w.gaApprover), first.ID, []workflow.MaterialConfirmation{{Key: "m2"}}); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("confirmed twice: %v", err)
		}
		lib, err := w.ex.Library.Entries(ctx, w.zhang)
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]*tongban.LibraryEntry{}
		for _, e := range lib {
			byCode[e.Standard] = e
		}
		id, hukou := byCode["BZ0101"], byCode["BZ0102"]
		switch {
		case len(lib) != 2 || id == nil || hukou == nil:
			t.Fatalf("library = %+v, want 居民身份证 and 居民户口簿 (the form has no standard material)", lib)
		case id.ValidUntil != "2036-01-01" || id.BlobHash != "sha256:idcard" || id.CaseNumber != first.Number || id.ConfirmedOrg != w.ga.Name:
			t.Errorf("ID card entry = %+v", id)
		case hukou.ValidUntil != "2027-03-02": // 户口簿 is reusable for 12 months after confirmation
			t.Errorf("户口簿 valid until %s, want 2027-03-02", hukou.ValidUntil)
		}

		// Another department's listing takes both from the library.
		w.clock.Set(time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC))
		second, err := w.apply(w.zhang, w.marry, reuse("h1", ""), reuse("h2", strconv.FormatInt(hukou.ID, 10)), upload("h3", "statement"))
		if err != nil {
			t.Fatal(err)
		}
		for key, e := range map[string]*tongban.LibraryEntry{"h1": id, "h2": hukou} {
			m, _ := second.Material(key)
			if m.Ref == nil || m.Ref.Kind != tongban.RefLibrary || m.Ref.ID != strconv.FormatInt(e.ID, 10) || !m.Spared() ||
				m.BlobHash != e.BlobHash || m.Ref.Note != "来自材料库，于 "+first.Number+" 号办件中确认" {
				t.Errorf("%s = %+v ref %+v", key, m, m.Ref)
			}
		}
		uses, err := w.st.DataUses(ctx, w.zhang.ID, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(uses) != 2 {
			t.Fatalf("data uses = %d, want 2", len(uses))
		}
		for _, u := range uses {
			if u.Kind != tongban.DataUseLibrary || u.CaseNumber != second.Number || u.OrgName != w.mz.Name ||
				!strings.Contains(u.Reason, first.Number) {
				t.Errorf("use = %+v", u)
			}
		}

		// Not someone else's, not expired, not deleted.
		_, err = w.apply(w.li, w.marry, reuse("h1", strconv.FormatInt(id.ID, 10)), upload("h2", "x"), upload("h3", "y"))
		if !tongban.IsCode(err, tongban.EInvalid) || field(err) != "materials[0].status" || !strings.Contains(err.Error(), "没有该材料") {
			t.Errorf("李四 claimed 张三's entry: %v", err)
		}
		w.clock.Set(time.Date(2027, 3, 3, 2, 0, 0, 0, time.UTC))
		_, err = w.apply(w.zhang, w.marry, upload("h1", "a"), reuse("h2", strconv.FormatInt(hukou.ID, 10)), upload("h3", "b"))
		if !tongban.IsCode(err, tongban.EInvalid) || field(err) != "materials[1].status" || !strings.Contains(err.Error(), "已于 2027-03-02 过期") {
			t.Errorf("expired entry: %v", err)
		}
		if err := w.ex.Library.Delete(ctx, w.li, id.ID); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("李四 deleted 张三's entry: %v", err)
		}
		if err := w.ex.Library.Delete(ctx, w.zhang, id.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.apply(w.zhang, w.marry, reuse("h1", ""), upload("h2", "c"), upload("h3", "d"))
		if !tongban.IsCode(err, tongban.EInvalid) || field(err) != "materials[0].status" {
			t.Errorf("deleted entry reused: %v", err)
		}
		if kept, _ := w.st.Case(ctx, second.ID); kept.Materials[0].BlobHash != "sha256:idcard" {
			t.Errorf("the case that used a deleted entry lost its copy: %+v", kept.Materials[0])
		}
		if n, _ := w.st.DataUses(ctx, w.zhang.ID, 10, 0); len(n) != 2 {
			t.Errorf("refused claims left data uses: %d", len(n))
		}
	})
}
