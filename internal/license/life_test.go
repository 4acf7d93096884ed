package license_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// lifeWorld is a store with two issuing departments, their admins, a
// citizen, an enterprise and two licence types.
type lifeWorld struct {
	t                  *testing.T
	ctx                context.Context
	st                 tongban.Store
	clock              *tongban.ManualClock
	svc                *license.Service
	scjg, other        *tongban.Org
	admin, otherAdmin  *tongban.User
	citizen, firm      *tongban.User
	cardType, foodType *tongban.LicenseType
}

func newLifeWorld(t *testing.T, d sqldb.Dialect) *lifeWorld {
	t.Helper()
	w := &lifeWorld{t: t, ctx: context.Background(), st: storetest.Open(t, d),
		clock: tongban.NewManualClock(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))}
	w.svc = &license.Service{Store: w.st, Clock: w.clock}
	for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"}} {
		w.must(w.st.CreateRegion(w.ctx, &r))
	}
	w.scjg = &tongban.Org{Code: "gas-scjgj", Name: "广安市市场监督管理局", Kind: tongban.OrgDepartment,
		RegionCode: "511600000000", CreditCode: "11511600MB1A000116"}
	w.other = &tongban.Org{Code: "gas-rsj", Name: "广安市人力资源和社会保障局", Kind: tongban.OrgDepartment,
		RegionCode: "511600000000", CreditCode: "11511600MB1A00047U"}
	w.must(w.st.CreateOrg(w.ctx, w.scjg))
	w.must(w.st.CreateOrg(w.ctx, w.other))
	w.admin = w.user(&tongban.User{Kind: tongban.UserStaff, Username: "deptadmin", Name: "赵科长",
		Roles: []tongban.RoleGrant{{Role: tongban.RoleDeptAdmin, OrgID: w.scjg.ID}}})
	w.otherAdmin = w.user(&tongban.User{Kind: tongban.UserStaff, Username: "rsjadmin", Name: "钱科长",
		Roles: []tongban.RoleGrant{{Role: tongban.RoleDeptAdmin, OrgID: w.other.ID}}})
	id, err := tongban.ParseIDNumber("511602199003071232")
	w.must(err)
	w.citizen = w.user(&tongban.User{Kind: tongban.UserCitizen, Name: "张三", IDNumber: id})
	w.firm = w.user(&tongban.User{Kind: tongban.UserEnterprise, Name: "广安市蜀味餐饮管理有限公司", CreditCode: "91511602MA6AB1C2DE"})
	w.cardType = &tongban.LicenseType{Code: "11100000000013127D001", Name: "社会保障卡", HolderKind: tongban.HolderPerson,
		ValidYears: 10, Fields: []tongban.LicenseField{{Key: "name", Name: "姓名", Required: true}, {Key: "card_no", Name: "卡号"}}}
	w.foodType = &tongban.LicenseType{Code: "11100000MB0143028R002", Name: "食品经营许可证", HolderKind: tongban.HolderOrg,
		ValidYears: 5, Fields: []tongban.LicenseField{{Key: "entity_name", Name: "经营者名称", Required: true},
			{Key: "premises", Name: "经营场所", Required: true}, {Key: "business_items", Name: "经营项目"}}}
	w.must(w.st.PutLicenseType(w.ctx, w.cardType))
	w.must(w.st.PutLicenseType(w.ctx, w.foodType))
	return w
}

func (w *lifeWorld) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *lifeWorld) user(u *tongban.User) *tongban.User {
	w.t.Helper()
	roles := u.Roles
	u.PasswordHash, u.CreatedAt = "x", w.clock.Now()
	w.must(w.st.CreateUser(w.ctx, u))
	for _, g := range roles {
		w.must(w.st.GrantRole(w.ctx, u.ID, g))
	}
	u.Roles = roles
	return u
}

func as(u *tongban.User) identity.Request { return identity.Request{Actor: u, IP: "127.0.0.1"} }

func foodRow(number string) license.ImportRow {
	return license.ImportRow{TypeCode: "11100000MB0143028R002", Number: number, HolderName: "广安市蜀味餐饮管理有限公司",
		HolderCode: "91511602MA6AB1C2DE", IssuedOn: "2022-06-20", ValidTo: "2027-06-19",
		Face: map[string]string{"经营者名称": "广安市蜀味餐饮管理有限公司", "经营场所": "广安区建设路58号1楼", "经营项目": "热食类食品制售"}}
}

// verify checks a stored licence against its key as any verifier would.
func (w *lifeWorld) verify(identifier string) *license.Verification {
	w.t.Helper()
	v, err := license.Verify(w.ctx, w.st, identifier, w.clock.Now())
	w.must(err)
	return v
}

func (w *lifeWorld) audited(action, object string) bool {
	w.t.Helper()
	if _, err := audit.Seal(w.ctx, w.st); err != nil {
		w.t.Fatal(err)
	}
	es, err := w.st.SearchAudit(w.ctx, tongban.AuditFilter{Action: action, Limit: 50})
	w.must(err)
	for _, e := range es {
		if e.Object == object {
			return true
		}
	}
	return false
}

// TestLicenceImportAllOrNothing: a department loads licences issued before
// Tongban; each row is checked (type, holder code check character, the
// holder's account and name, dates, duplicates in the file and on record,
// face items) and one bad row stores nothing, naming every bad row; good
// rows become signed 历史导入 licences of the department.
func TestLicenceImportAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newLifeWorld(t, d)
		person := license.ImportRow{TypeCode: "11100000000013127D001", Number: "SB511600A0001", HolderName: "张三",
			HolderCode: "511602199003071232", IssuedOn: "2019-09-01", ValidTo: "2029-08-31", Face: map[string]string{"姓名": "张三"}}

		bad := []struct {
			name  string
			row   func() license.ImportRow
			field string
			want  string
		}{
			{"unknown type", func() license.ImportRow { r := foodRow("JY1"); r.TypeCode = "11100000MB0143028R999"; return r },
				"rows[1].type_code", "不存在"},
			{"wrong check character", func() license.ImportRow { r := foodRow("JY1"); r.HolderCode = "91511602MA6AB1C2DF"; return r },
				"rows[1].holder_code", "校验"},
			{"wrong ID check character", func() license.ImportRow { r := person; r.HolderCode = "511602199003071233"; return r },
				"rows[1].holder_code", "公民身份号码"},
			{"holder without an account, bad phone", func() license.ImportRow {
				r := person
				r.HolderCode, r.HolderName, r.HolderPhone = "11010519491231002X", "李四", "1391234"
				return r
			}, "rows[1].holder_phone", "手机号"},
			{"name not the account's", func() license.ImportRow { r := person; r.HolderName = "张四"; return r },
				"rows[1].holder_name", "不一致"},
			{"bad date", func() license.ImportRow { r := foodRow("JY1"); r.IssuedOn = "2022/06/20"; return r },
				"rows[1].issued_on", "发证日期"},
			{"future issue", func() license.ImportRow { r := foodRow("JY1"); r.IssuedOn = "2026-03-03"; return r },
				"rows[1].issued_on", "晚于今天"},
			{"ends before it starts", func() license.ImportRow { r := foodRow("JY1"); r.ValidTo = "2021-01-01"; return r },
				"rows[1].valid_to", "早于"},
			{"duplicate in the file", func() license.ImportRow { return foodRow("JY0") }, "rows[1].number", "第1条重复"},
			{"required face item missing", func() license.ImportRow { r := foodRow("JY1"); delete(r.Face, "经营场所"); return r },
				"rows[1].face.经营场所", "经营场所"},
			{"face item of another type", func() license.ImportRow { r := foodRow("JY1"); r.Face["注册资本"] = "50万元"; return r },
				"rows[1].face.注册资本", "没有照面项"},
		}
		for _, c := range bad {
			_, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{foodRow("JY0"), c.row()})
			e := tongban.AsError(err)
			if e == nil || e.Code != tongban.EInvalid || e.Field != c.field || !strings.Contains(e.Message, c.want) ||
				!strings.Contains(e.Message, "全部未导入") || !strings.Contains(e.Message, "第2条") {
				t.Fatalf("%s: %v, want %s naming %q", c.name, err, c.field, c.want)
			}
		}
		if mine, _ := w.st.LicensesOfHolder(w.ctx, w.firm.ID); len(mine) != 0 {
			t.Fatalf("refused imports stored %d licences", len(mine))
		}
		// Every bad row is named, not only the first.
		two := foodRow("JY2")
		two.IssuedOn = "bad"
		_, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{foodRow("JY1"), two, {TypeCode: "x", Line: 4}})
		if e := tongban.AsError(err); e == nil || !strings.Contains(e.Message, "2条证照记录有误") ||
			!strings.Contains(e.Message, "第2条") || !strings.Contains(e.Message, "第4行") {
			t.Fatalf("two bad rows: %v", err)
		}
		// Another department's admin may not load into this one.
		if _, err := w.svc.Import(w.ctx, as(w.otherAdmin), w.scjg.ID, []license.ImportRow{foodRow("JY1")}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Fatalf("other department's import: %v", err)
		}

		res, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{foodRow("JY1"), person})
		w.must(err)
		if res.Imported != 2 || len(res.Identifiers) != 2 {
			t.Fatalf("import result %+v", res)
		}
		for _, id := range res.Identifiers {
			l, err := w.st.LicenseByIdentifier(w.ctx, id)
			w.must(err)
			parsed, err := license.ParseIdentifier(id)
			w.must(err)
			if l.Source != tongban.LicenseImported || l.Source.Label() != "历史导入" || l.IssuerID != w.scjg.ID ||
				parsed.IssuerCode != w.scjg.CreditCode || !strings.HasPrefix(parsed.Serial, l.IssuedOn.Format("2006")) {
				t.Fatalf("imported licence %+v", l)
			}
			if v := w.verify(id); v.Verdict != license.VerdictValid || !v.SignatureValid {
				t.Fatalf("imported licence verifies as %+v", v)
			}
		}
		food, _ := w.st.LicenseByIdentifier(w.ctx, res.Identifiers[0])
		if food.HolderID != w.firm.ID || food.Face["经营场所"] != "广安区建设路58号1楼" || food.ValidTo.Format("2006-01-02") != "2027-06-19" {
			t.Fatalf("imported food licence %+v", food)
		}
		card, _ := w.st.LicenseByIdentifier(w.ctx, res.Identifiers[1])
		if card.HolderID != w.citizen.ID || card.HolderCode != "511602199003071232" || card.HolderCodeMasked == card.HolderCode {
			t.Fatalf("imported card %+v", card)
		}
		if !w.audited(license.AuditImport, "org:"+w.scjg.Code) {
			t.Fatal("import not audited")
		}
		// Loading the same number again is a duplicate of the record.
		_, err = w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{foodRow("JY1")})
		if e := tongban.AsError(err); e == nil || e.Field != "rows[0].number" || !strings.Contains(e.Message, "已在证照库中") {
			t.Fatalf("re-import: %v", err)
		}
	})
}

// TestLicenceImportCSV: the console's CSV upload reads the same rows, by
// Chinese headers, face items by printed name, errors by line.
func TestLicenceImportCSV(t *testing.T) {
	csv := "\ufeff证照类型代码,证照编号,持证主体,持证主体代码,发证日期,有效期至,经营者名称,经营场所,姓名\n" +
		"11100000MB0143028R002,JY1,广安市蜀味餐饮管理有限公司,91511602MA6AB1C2DE,2022-06-20,2027-06-19,广安市蜀味餐饮管理有限公司,建设路58号,\n" +
		"11100000000013127D001,SB1,张三,511602199003071232,2019-09-01,长期,,,张三\n"
	rows, err := license.ParseImportCSV(strings.NewReader(csv))
	if err != nil || len(rows) != 2 {
		t.Fatalf("parse: %v %+v", err, rows)
	}
	if rows[0].Line != 2 || rows[0].Face["经营场所"] != "建设路58号" || len(rows[0].Face) != 2 || rows[1].Face["姓名"] != "张三" ||
		rows[1].ValidTo != "长期" || rows[1].HolderCode != "511602199003071232" {
		t.Fatalf("rows %+v", rows)
	}
	if _, err := license.ParseImportCSV(strings.NewReader("证照编号,持证主体\nx,y\n")); tongban.AsError(err) == nil ||
		!strings.Contains(err.Error(), "证照类型代码") {
		t.Fatalf("missing column: %v", err)
	}
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newLifeWorld(t, d)
		bad := strings.Replace(csv, "2019-09-01", "2019-13-01", 1)
		rows, err := license.ParseImportCSV(strings.NewReader(bad))
		w.must(err)
		if _, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, rows); err == nil || !strings.Contains(err.Error(), "第3行") {
			t.Fatalf("bad line: %v", err)
		}
		rows, _ = license.ParseImportCSV(strings.NewReader(csv))
		if res, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, rows); err != nil || res.Imported != 2 {
			t.Fatalf("csv import: %+v %v", res, err)
		}
	})
}

// TestLicenceRevokeAndChange: the issuing department 注销s a licence with a
// reason (verification then says 已注销) and changes another (a new version,
// same number, the old one 已变更); both are audited with outbox events;
// another department may do neither; a licence no longer valid cannot be
// changed again.
func TestLicenceRevokeAndChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newLifeWorld(t, d)
		res, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{foodRow("JY1"), foodRow("JY2")})
		w.must(err)
		first, second := res.Identifiers[0], res.Identifiers[1]

		if _, err := w.svc.Revoke(w.ctx, as(w.admin), first, " "); tongban.AsError(err).Field != "reason" {
			t.Fatalf("revoke without a reason: %v", err)
		}
		if _, err := w.svc.Revoke(w.ctx, as(w.otherAdmin), first, "经营者申请注销"); !tongban.IsCode(err, tongban.EForbidden) {
			t.Fatalf("another department revoked: %v", err)
		}
		bad := first[:len(first)-1] + map[bool]string{true: "A", false: "B"}[first[len(first)-1] != 'A']
		if _, err := w.svc.Revoke(w.ctx, as(w.admin), bad, "x"); tongban.AsError(err).Field != "identifier" {
			t.Fatalf("wrong check character: %v", err)
		}
		w.clock.Advance(time.Hour)
		l, err := w.svc.Revoke(w.ctx, as(w.admin), first, "经营者申请注销")
		w.must(err)
		if v := w.verify(first); v.Verdict != license.VerdictRevoked || v.Label != "已注销" || !v.SignatureValid {
			t.Fatalf("revoked licence verifies as %+v", v)
		}
		back, _ := w.st.LicenseByIdentifier(w.ctx, first)
		if back.Status != tongban.LicenseRevoked || back.StatusReason != "经营者申请注销" || !back.StatusAt.Equal(w.clock.Now()) || l.Status != back.Status {
			t.Fatalf("revoked record %+v", back)
		}
		if _, err := w.svc.Revoke(w.ctx, as(w.admin), first, "再次注销"); !tongban.IsCode(err, tongban.EConflict) {
			t.Fatalf("revoking twice: %v", err)
		}
		if _, err := w.svc.Change(w.ctx, as(w.admin), first, license.Change{Reason: "变更"}); !tongban.IsCode(err, tongban.EConflict) {
			t.Fatalf("changing a revoked licence: %v", err)
		}
		if !w.audited(license.AuditRevoke, "license:"+first) {
			t.Fatal("revocation not audited")
		}

		// Changes are checked: items of the type, required ones not emptied, dates.
		for _, c := range []struct {
			in    license.Change
			field string
		}{
			{license.Change{Face: map[string]string{"经营场所": "x"}}, "reason"},
			{license.Change{Face: map[string]string{"注册资本": "1"}, Reason: "r"}, "face.注册资本"},
			{license.Change{Face: map[string]string{"经营场所": " "}, Reason: "r"}, "face.经营场所"},
			{license.Change{ValidTo: "2020-01-01", Reason: "r"}, "valid_to"},
			{license.Change{ValidTo: "明年", Reason: "r"}, "valid_to"},
		} {
			if _, err := w.svc.Change(w.ctx, as(w.admin), second, c.in); tongban.AsError(err).Field != c.field {
				t.Fatalf("change %+v: %v, want field %s", c.in, err, c.field)
			}
		}
		next, err := w.svc.Change(w.ctx, as(w.admin), second, license.Change{Face: map[string]string{"经营场所": "广安区建设路60号"},
			ValidTo: "2028-06-19", Reason: "经营场所门牌号变更"})
		w.must(err)
		old, _ := w.st.LicenseByIdentifier(w.ctx, second)
		if old.Status != tongban.LicenseChanged || old.StatusReason != "经营场所门牌号变更" {
			t.Fatalf("old version %+v", old)
		}
		p, _ := license.ParseIdentifier(next.Identifier)
		q, _ := license.ParseIdentifier(second)
		if p.Version != 2 || p.Serial != q.Serial || next.Number != old.Number || next.Replaces != second ||
			next.Face["经营场所"] != "广安区建设路60号" || next.Face["经营者名称"] != old.Face["经营者名称"] ||
			next.ValidTo.Format("2006-01-02") != "2028-06-19" || next.HolderID != w.firm.ID {
			t.Fatalf("next version %+v", next)
		}
		if v := w.verify(second); v.Verdict != license.VerdictChanged || v.Label != "已变更" {
			t.Fatalf("old version verifies as %+v", v)
		}
		if v := w.verify(next.Identifier); v.Verdict != license.VerdictValid || !v.SignatureValid || v.Version != 2 {
			t.Fatalf("new version verifies as %+v", v)
		}
		if !w.audited(license.AuditChange, "license:"+second) {
			t.Fatal("change not audited")
		}
		events, err := w.st.OutboxEvents(w.ctx, 0, 1<<62, 1000)
		w.must(err)
		kinds := map[string]bool{}
		for _, e := range events {
			kinds[e.Type+" "+e.Subject] = true
		}
		if !kinds[license.EventRevoked+" license:"+first] || !kinds[license.EventChanged+" license:"+next.Identifier] {
			t.Fatalf("outbox events: %v", kinds)
		}
	})
}

// TestSealKeyRotation: rotating keeps the old public key published and
// verifying what it signed; new licences are signed with the new key; only
// the org's department admin (or a system admin) may rotate.
func TestSealKeyRotation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newLifeWorld(t, d)
		res, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{foodRow("JY1")})
		w.must(err)
		before, _ := w.st.LicenseByIdentifier(w.ctx, res.Identifiers[0])

		if _, err := w.svc.RotateSealKey(w.ctx, as(w.otherAdmin), w.scjg.ID); !tongban.IsCode(err, tongban.EForbidden) {
			t.Fatalf("other department rotated: %v", err)
		}
		if _, err := w.svc.RotateSealKey(w.ctx, as(w.citizen), w.scjg.ID); !tongban.IsCode(err, tongban.EForbidden) {
			t.Fatalf("citizen rotated: %v", err)
		}
		w.clock.Advance(time.Hour)
		key, err := w.svc.RotateSealKey(w.ctx, as(w.admin), w.scjg.ID)
		w.must(err)
		if key.ID == before.KeyID {
			t.Fatal("rotation kept the key")
		}
		if cur, err := w.st.SealKeyOf(w.ctx, w.scjg.ID); err != nil || cur.ID != key.ID {
			t.Fatalf("current key after rotation: %v", err)
		}
		keys, err := w.st.SealKeys(w.ctx)
		w.must(err)
		published := map[string]tongban.SealKey{}
		for _, k := range keys {
			published[k.ID] = *k
		}
		if old, ok := published[before.KeyID]; !ok || old.RetiredAt.IsZero() || !published[key.ID].RetiredAt.IsZero() {
			t.Fatalf("published keys after rotation: %+v", published)
		}
		if v := w.verify(before.Identifier); v.Verdict != license.VerdictValid || !v.SignatureValid || v.KeyID != before.KeyID {
			t.Fatalf("a licence of the old key: %+v", v)
		}
		res, err = w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{foodRow("JY2")})
		w.must(err)
		after, _ := w.st.LicenseByIdentifier(w.ctx, res.Identifiers[0])
		if after.KeyID != key.ID {
			t.Fatalf("new licence signed with %s, want the new key %s", after.KeyID, key.ID)
		}
		payload, _ := license.Canonical(after)
		if ok, _ := license.VerifySignature(published[before.KeyID].PublicPEM, payload, after.Signature); ok {
			t.Fatal("the old key verifies the new key's signature")
		}
		if !w.audited(license.AuditRotate, "org:"+w.scjg.Code) {
			t.Fatal("rotation not audited")
		}
		if err := w.st.RetireSealKey(w.ctx, before.KeyID, w.clock.Now()); !tongban.IsCode(err, tongban.EConflict) {
			t.Fatalf("retiring a retired key: %v", err)
		}
	})
}
