package workflow_test

import (
	"github.com/tongban/tongban"
)

// socialCardType is the 社会保障卡, a licence type of a person.
func socialCardType() *tongban.LicenseType {
	return &tongban.LicenseType{Code: "11100000000013127D001", Name: "社会保障卡", IssuerKind: "人力资源和社会保障部门",
		HolderKind: tongban.HolderPerson, ValidYears: 10, Fields: []tongban.LicenseField{
			{Key: "name", Name: "姓名", Required: true}, {Key: "card_no", Name: "社会保障号码", Required: true}}}
}

// licensingDept sets up, in w, the 广安区社会保险事业管理局 issuing typ
// through a published listing of its own (code), and the citizen 张三.
func licensingDept(w *world, typ *tongban.LicenseType, code string) (*tongban.Org, *tongban.Listing, *tongban.User) {
	ctx := w.ctx
	issuer := &tongban.Org{Code: "gaq-rsj-card", Name: "广安区社会保险事业管理局", Kind: tongban.OrgDepartment,
		RegionCode: "511602000000", CreditCode: "11511600MB1A00047U"}
	w.must(w.st.CreateOrg(ctx, issuer))
	w.must(w.st.PutLicenseType(ctx, typ))
	l := *w.card
	l.ID, l.Code, l.OrgID, l.OrgName = 0, code, issuer.ID, issuer.Name
	l.Result = tongban.Result{Name: typ.Name, Type: tongban.ResultLicense, LicenseType: typ.Code}
	w.publish(&l)
	return issuer, &l, w.zhangSan()
}

// publish stores l and its first published version.
func (w *world) publish(l *tongban.Listing) {
	w.must(w.st.CreateListing(w.ctx, l))
	v := tongban.NewListingVersion(*l, 0, w.clock.Now(), "发布")
	w.must(w.st.InsertListingVersion(w.ctx, &v))
}

// zhangSan registers the citizen 张三 (公民身份号码 11010519491231002X).
func (w *world) zhangSan() *tongban.User {
	id, err := tongban.ParseIDNumber("11010519491231002X")
	w.must(err)
	holder := &tongban.User{Kind: tongban.UserCitizen, Name: "张三", IDNumber: id, PasswordHash: "x", CreatedAt: w.clock.Now()}
	w.must(w.st.CreateUser(w.ctx, holder))
	return holder
}
