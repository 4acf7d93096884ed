package bundle_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// clone deep-copies a bundle through JSON, as an admin's edit would.
func clone(t *testing.T, b *tongban.Bundle) *tongban.Bundle {
	t.Helper()
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var c tongban.Bundle
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// The quality check gates publishing: a cycle, an unmapped field, a paper
// asked twice, an unpublished component are each refused with a Chinese
// message naming what is wrong, and nothing is written.
func TestQualityGatesPublishing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		c, ctx := loadCity(t, d), context.Background()
		admin := identity.Request{Actor: c.user(t, "catalog"), IP: "127.0.0.1"}
		base := c.bundle(t, "YJS-XSECS")

		cyc := clone(t, base)
		comp, _ := cyc.Component("birth_cert")
		comp.After = []string{"medical"}
		unmapped := clone(t, base)
		unmapped.Fields = unmapped.Fields[:len(unmapped.Fields)-1] // 联系电话 maps nowhere now
		for _, tc := range []struct {
			name string
			b    *tongban.Bundle
			want string
		}{
			{"cycle", cyc, "前置关系存在循环"},
			{"unmapped", unmapped, "「城乡居民基本医疗保险参保登记」的字段「联系电话」没有对应的表单字段"},
			{"longer promise", func() *tongban.Bundle { b := clone(t, base); b.PromisedDays = 30; return b }(), "超过各事项最长办理路径"},
		} {
			_, err := c.svc.Publish(ctx, admin, tc.b)
			if tongban.ErrorCodeOf(err) != tongban.EInvalid || !strings.Contains(tongban.AsError(err).Message, tc.want) {
				t.Errorf("%s: %v; want %q", tc.name, err, tc.want)
			}
		}
		if got := c.bundle(t, "YJS-XSECS"); got.Version != 1 || got.Status != tongban.BundlePublished {
			t.Errorf("a refused publish wrote version %d %s", got.Version, got.Status)
		}

		// Two components asking the same paper under one name without a
		// common standard code (出生医学证明补发 and 出生登记 both ask
		// 父母居民身份证): the merged list would ask it twice.
		shop := clone(t, base)
		shop.Components = append(shop.Components, tongban.BundleComponent{Key: "reissue",
			ListingCode: "000109502000-511600000000-000-11511600MB30807474-1-00", ListingAnswers: map[string]string{"s1": "a1"}})
		problems, err := c.svc.Check(ctx, shop)
		if err != nil {
			t.Fatal(err)
		}
		if !hasProblem(problems, "材料「父母居民身份证」在「出生登记（新生儿入户）」和「出生医学证明补发、换发」中重复要求") {
			t.Errorf("a paper asked twice passed: %v", problems)
		}

		// A component whose listing is not published.
		draft := clone(t, base)
		l, err := c.st.ListingByCode(ctx, draft.Components[0].ListingCode)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := (&catalog.Service{Store: c.st, Clock: c.clock}).Suspend(ctx, identity.Request{}, l.ID, l.Version, "系统升级"); err != nil {
			t.Fatal(err)
		}
		problems, _ = c.svc.Check(ctx, draft)
		if !hasProblem(problems, "当前已暂停，须先发布") {
			t.Errorf("an unpublished component passed: %v", problems)
		}
	})
}

func hasProblem(errs []*tongban.Error, sub string) bool {
	for _, e := range errs {
		if strings.Contains(e.Message, sub) {
			return true
		}
	}
	return false
}

// Saving a published bundle keeps the draft beside its live version;
// publishing it makes a new version (the old one stays readable); export
// writes what import reads back to the same definitions; an import with
// one bad bundle writes none.
func TestVersionsImportExport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		c, ctx := loadCity(t, d), context.Background()
		admin := identity.Request{Actor: c.user(t, "catalog"), IP: "127.0.0.1"}
		b := clone(t, c.bundle(t, "YJS-TX"))
		b.Summary = "退休一次办"
		saved, err := c.svc.Save(ctx, admin, b)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != 1 || saved.Status != tongban.BundleDraft || saved.PendingRev != 1 {
			t.Fatalf("saved beside version %d %s, draft %d", saved.Version, saved.Status, saved.PendingRev)
		}
		v1 := c.bundle(t, "YJS-TX")
		if v1.Summary == "退休一次办" || v1.Status != tongban.BundlePublished || v1.Pending == nil || v1.Pending.Summary != "退休一次办" {
			t.Fatalf("live version 1 = %+v (draft %+v)", v1, v1.Pending)
		}
		stale := clone(t, b)
		stale.ID, stale.Version = saved.ID, 1
		if _, err := c.svc.Save(ctx, admin, stale); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a stale save: %v; want conflict", err)
		}
		pub, err := c.svc.Publish(ctx, admin, saved)
		if err != nil || pub.Version != 2 || pub.Status != tongban.BundlePublished {
			t.Fatalf("publish: %+v %v", pub, err)
		}
		if old, err := c.st.BundleVersion(ctx, pub.ID, 1); err != nil || old.Summary == "退休一次办" || old.Status != tongban.BundlePublished {
			t.Fatalf("version 1 = %+v, %v", old, err)
		}

		out, err := c.svc.Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var before []*tongban.Bundle
		for _, code := range []string{"YJS-KBCYD", "YJS-QYXXBG", "YJS-SH", "YJS-TX", "YJS-XSECS"} {
			before = append(before, c.bundle(t, code))
		}
		if n, err := c.svc.Import(ctx, admin, out, true); err != nil || n != 5 {
			t.Fatalf("re-import: %d %v", n, err)
		}
		for _, prev := range before {
			now := c.bundle(t, prev.Code)
			if now.Version != prev.Version+1 || now.Status != tongban.BundlePublished {
				t.Errorf("%s: version %d→%d %s", prev.Code, prev.Version, now.Version, now.Status)
			}
			a, _ := json.Marshal(exportedView(prev))
			b, _ := json.Marshal(exportedView(now))
			if !bytes.Equal(a, b) {
				t.Errorf("%s changed through export and import:\n%s\n%s", prev.Code, a, b)
			}
		}

		var bad []map[string]any
		if err := json.Unmarshal(out, &bad); err != nil {
			t.Fatal(err)
		}
		bad[1]["components"].([]any)[0].(map[string]any)["after"] = []string{"nowhere"}
		data, _ := json.Marshal(bad)
		_, err = c.svc.Import(ctx, admin, data, true)
		if e := tongban.AsError(err); e.Code != tongban.EInvalid || !strings.Contains(e.Message, "第2个一件事") ||
			!strings.Contains(e.Message, "前置事项「nowhere」不在本一件事中") {
			t.Errorf("a bad import: %v", err)
		}
		for _, prev := range before {
			if now := c.bundle(t, prev.Code); now.Version != prev.Version+1 {
				t.Errorf("%s: a failed import wrote version %d", prev.Code, now.Version)
			}
		}
		// Applicants do not see what is not published.
		if _, err := c.svc.Withdraw(ctx, admin, pub.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc.Published(ctx, pub.ID); tongban.ErrorCodeOf(err) != tongban.ENotFound {
			t.Errorf("a withdrawn bundle: %v", err)
		}
		// A clerk may not edit bundles.
		clerk := identity.Request{Actor: c.user(t, "clerk")}
		if _, err := c.svc.Save(ctx, clerk, clone(t, before[0])); tongban.ErrorCodeOf(err) != tongban.EForbidden {
			t.Errorf("a clerk saved a bundle: %v", err)
		}
	})
}

// exportedView is the part of a definition that is the admin's, not the
// store's (ids, versions, times).
func exportedView(b *tongban.Bundle) tongban.Bundle {
	e := *b
	e.ID, e.Version, e.UpdatedAt, e.PublishedAt = 0, 0, timeZero, timeZero
	return e
}
