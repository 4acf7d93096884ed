package workflow_test

import (
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// TestIssueRenewsTheLicenceUsed: a case (e.g. 食品经营许可证延续) that used
// the holder's licence of the result's type, from the same issuer, issues
// its next version — same number, version 2, validity from the issue day,
// face items the form lacks kept from the old one — and the old version is
// 已变更 by that case, which the case's issue event names.
func TestIssueRenewsTheLicenceUsed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		wf.Licenses = license.NewIssuer()
		wf.Resolvers = map[tongban.MaterialStatus]workflow.MaterialResolver{tongban.MaterialELicense: exchange.Licenses{}}
		issuer := &tongban.Org{Code: "gaq-scjg-food", Name: "广安区市场监督管理局", Kind: tongban.OrgDepartment,
			RegionCode: "511602000000", CreditCode: "11511600MB1A00055N"}
		w.must(w.st.CreateOrg(ctx, issuer))
		typ := &tongban.LicenseType{Code: "11100000MB0143028R002", Name: "食品经营许可证", HolderKind: tongban.HolderPerson, ValidYears: 5,
			Fields: []tongban.LicenseField{{Key: "entity_name", Name: "经营者名称", Required: true}, {Key: "premises", Name: "经营场所", Required: true}}}
		w.must(w.st.PutLicenseType(ctx, typ))
		w.must(w.st.SaveStandardMaterial(ctx, &tongban.StandardMaterial{Code: "BZ0307", Name: "食品经营许可证", LicenseType: typ.Code,
			UpdatedAt: w.clock.Now()}))
		l := *w.card
		l.ID, l.Code, l.OrgID, l.OrgName = 0, "11511602MB1593001X4000333003", issuer.ID, issuer.Name
		l.Materials = append([]tongban.Material(nil), w.card.Materials...)
		l.Materials[1].Standard = "BZ0307"
		l.Result = tongban.Result{Name: "食品经营许可证", Type: tongban.ResultLicense, LicenseType: typ.Code}
		w.publish(&l)
		holder := w.zhangSan()

		// The first case issues version 1.
		apply := func(f map[string]string, ms []tongban.CaseMaterial) *tongban.Case {
			kv := []string{}
			for k, v := range f {
				kv = append(kv, k, v)
			}
			c := w.step(at(2026, 3, 3, 9, 0), "submit", func() (*tongban.Case, error) {
				return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: l.ID, ListingVersion: 1,
					ApplicantID: holder.ID, Channel: tongban.ChannelCounter, Form: form(kv...), Materials: ms})
			})
			c = w.step(at(2026, 3, 3, 9, 5), "accept", func() (*tongban.Case, error) {
				return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{})
			})
			return w.step(at(2026, 3, 3, 9, 20), "issue", func() (*tongban.Case, error) {
				return wf.Issue(ctx, as(w.clerk), c.ID, "")
			})
		}
		apply(map[string]string{"entity_name": "张三小吃店", "premises": "广安区建设路58号"}, provided("c1", "c2"))
		held, err := w.st.LicensesOfHolder(ctx, holder.ID)
		if err != nil || len(held) != 1 {
			t.Fatalf("first licence: %d %v", len(held), err)
		}
		first := held[0]

		// The second uses it (用证) and changes one item: version 2.
		w.clock.Set(at(2027, 5, 10, 9, 0))
		ms := append(provided("c1"), tongban.CaseMaterial{Key: "c2", Status: tongban.MaterialELicense, Claim: first.Identifier, Consent: true})
		c := apply(map[string]string{"premises": "广安区建设路60号"}, ms)
		held, err = w.st.LicensesOfHolder(ctx, holder.ID)
		w.must(err)
		if len(held) != 2 {
			t.Fatalf("after renewal the holder has %d licences", len(held))
		}
		old, err := w.st.LicenseByIdentifier(ctx, first.Identifier)
		w.must(err)
		var next *tongban.License
		for _, h := range held {
			if h.Identifier != first.Identifier {
				next = h
			}
		}
		p, _ := license.ParseIdentifier(next.Identifier)
		q, _ := license.ParseIdentifier(first.Identifier)
		if p.Version != 2 || p.Serial != q.Serial || next.Number != first.Number || next.Replaces != first.Identifier ||
			next.CaseID != c.ID || next.Face["经营场所"] != "广安区建设路60号" || next.Face["经营者名称"] != "张三小吃店" ||
			next.ValidFrom.Format("2006-01-02") != "2026-03-03" || next.ValidTo.Format("2006-01-02") != "2031-03-02" {
			t.Fatalf("renewed licence %+v", next)
		}
		if old.Status != tongban.LicenseChanged || !strings.Contains(old.StatusReason, c.Number) {
			t.Fatalf("old version %+v", old)
		}
		evs, err := w.st.CaseEvents(ctx, c.ID)
		w.must(err)
		last := evs[len(evs)-1]
		if last.Action != tongban.ActionIssue || !strings.Contains(last.Reason, next.Identifier) || !strings.Contains(last.Reason, first.Identifier) {
			t.Fatalf("issue event %+v", last)
		}
		if vr, err := license.Verify(ctx, w.st, next.Identifier, w.clock.Now()); err != nil || vr.Verdict != license.VerdictValid {
			t.Fatalf("renewed licence verifies as %+v %v", vr, err)
		}
	})
}

// TestApproverConfirmsTheFace: a required face item the form lacks refuses
// `issue`, naming it; the approver's entry fills it (and overrides the
// form), and license.Face shows the approver what each item would be and
// where it comes from (the form, the applicant's account).
func TestApproverConfirmsTheFace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		wf.Licenses = license.NewIssuer()
		typ := &tongban.LicenseType{Code: "11100000000013127D002", Name: "退休证", HolderKind: tongban.HolderPerson,
			Fields: []tongban.LicenseField{{Key: "name", Name: "姓名", Required: true}, {Key: "retired_on", Name: "退休时间", Required: true},
				{Key: "employer", Name: "原工作单位"}}}
		_, l, holder := licensingDept(w, typ, "11511602MB1593001X4000444004")
		c := w.step(at(2026, 3, 3, 9, 0), "submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: l.ID, ListingVersion: 1,
				ApplicantID: holder.ID, Channel: tongban.ChannelCounter, Form: form("employer", "广安市第一中学"), Materials: provided("c1", "c2")})
		})
		c = w.step(at(2026, 3, 3, 9, 5), "accept", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{})
		})
		items, err := license.ConfirmFace(ctx, w.st, c, l, holder)
		w.must(err)
		got := map[string]license.FaceEntry{}
		for _, it := range items {
			got[it.Name] = it
		}
		if got["姓名"].Value != "张三" || got["姓名"].Source != license.FromAccount || got["原工作单位"].Source != license.FromForm ||
			got["退休时间"].Value != "" || !got["退休时间"].Required {
			t.Fatalf("face to confirm: %+v", items)
		}
		w.refuse("issue without 退休时间", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.clerk), c.ID, "")
		}, "退休时间")
		c = w.step(at(2026, 3, 3, 9, 20), "issue with the approver's face", func() (*tongban.Case, error) {
			return wf.IssueWithFace(ctx, as(w.clerk), c.ID, "", map[string]string{"退休时间": "2026年3月", "原工作单位": "广安市第一中学（已核对）"})
		})
		held, err := w.st.LicensesOfHolder(ctx, holder.ID)
		if err != nil || len(held) != 1 {
			t.Fatalf("licences: %d %v", len(held), err)
		}
		if f := held[0].Face; f["退休时间"] != "2026年3月" || f["原工作单位"] != "广安市第一中学（已核对）" || f["姓名"] != "张三" || c.ResultNo != held[0].Number {
			t.Fatalf("issued face %+v", f)
		}
	})
}
