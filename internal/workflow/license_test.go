package workflow_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// TestIssueCreatesSignedLicence: `issue` on a case whose listing names a
// licence type creates the licence in the same transaction — GB/T 36904
// identifier, GB/T 36903 metadata, face from the form, a signature the
// issuer's published key verifies, a license.issued event — and a failure
// to issue leaves the case unissued.
func TestIssueCreatesSignedLicence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		wf.Licenses = license.NewIssuer()
		typ := socialCardType()
		issuer, l, holder := licensingDept(w, typ, "11511602MB1593001X4000222002")

		apply := func(who *tongban.User, f map[string]string) *tongban.Case {
			kv := []string{}
			for k, v := range f {
				kv = append(kv, k, v)
			}
			c := w.step(at(2026, 3, 3, 9, 0), "submit", func() (*tongban.Case, error) {
				return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: l.ID, ListingVersion: 1,
					ApplicantID: who.ID, Channel: tongban.ChannelCounter, Form: form(kv...), Materials: provided("c1", "c2")})
			})
			return w.step(at(2026, 3, 3, 9, 5), "accept", func() (*tongban.Case, error) {
				return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{})
			})
		}

		// The form lacks a required face item (姓名 comes from the
		// applicant's account; 社会保障号码 from nowhere): nothing is issued.
		c := apply(holder, map[string]string{"name": "张三"})
		w.refuse("issue without a required face item", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.clerk), c.ID, "")
		}, "社会保障号码")
		if mine, _ := w.st.LicensesOfHolder(ctx, holder.ID); len(mine) != 0 {
			t.Fatalf("a refused issue left %d licences", len(mine))
		}
		if got, _ := w.st.Case(ctx, c.ID); got.State == tongban.CaseResultIssued {
			t.Fatal("a refused issue moved the case")
		}

		c = apply(holder, map[string]string{"name": "张三", "card_no": "511602194912310028"})
		c = w.step(at(2026, 3, 3, 9, 20), "issue", func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.clerk), c.ID, "")
		})
		mine, err := w.st.LicensesOfHolder(ctx, holder.ID)
		if err != nil || len(mine) != 1 {
			t.Fatalf("licences of the holder: %d, %v", len(mine), err)
		}
		lic := mine[0]
		parsed, err := license.ParseIdentifier(lic.Identifier)
		if err != nil || parsed.TypeCode != typ.Code || parsed.IssuerCode != issuer.CreditCode || parsed.Version != 1 ||
			parsed.Serial != "20260000001" {
			t.Fatalf("identifier %s: %+v, %v", lic.Identifier, parsed, err)
		}
		if lic.CaseID != c.ID || c.ResultNo != lic.Number || lic.HolderCode != "11010519491231002X" || lic.HolderKind != tongban.HolderPerson ||
			lic.IssuerName != issuer.Name || lic.Face["姓名"] != "张三" || lic.Face["社会保障号码"] != "511602194912310028" ||
			lic.IssuedOn.Format("2006-01-02") != "2026-03-03" || lic.ValidTo.Format("2006-01-02") != "2036-03-02" ||
			lic.Status != tongban.LicenseValid {
			t.Fatalf("licence metadata: %+v (case result %q)", lic, c.ResultNo)
		}
		key, err := w.st.SealKey(ctx, lic.KeyID)
		w.must(err)
		payload, err := license.Canonical(lic)
		w.must(err)
		if ok, err := license.VerifySignature(key.PublicPEM, payload, lic.Signature); !ok || err != nil {
			t.Fatalf("stored licence does not verify with the issuer's key: %v", err)
		}
		events, err := w.st.OutboxEvents(ctx, 0, 1<<62, 1000)
		w.must(err)
		found := false
		for _, e := range events {
			if e.Type == license.EventIssued && e.Subject == "license:"+lic.Identifier && e.OrgID == issuer.ID {
				found = true
			}
		}
		if !found {
			t.Fatalf("no %s event among %d", license.EventIssued, len(events))
		}

		// A 社会保障卡 is a person's: an enterprise applicant is refused by
		// the type's holder kind, and nothing is issued.
		firm := &tongban.User{Kind: tongban.UserEnterprise, Name: "广安市蜀味餐饮管理有限公司", CreditCode: "91511602MA6AB1C2DE",
			PasswordHash: "x", CreatedAt: w.clock.Now()}
		w.must(w.st.CreateUser(ctx, firm))
		c = apply(firm, map[string]string{"name": "张三", "card_no": "511602194912310028"})
		w.refuse("a person's licence type issued to an enterprise", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.clerk), c.ID, "")
		}, "持证主体应为自然人")
		if mine, _ := w.st.LicensesOfHolder(ctx, firm.ID); len(mine) != 0 {
			t.Fatalf("a refused issue left %d licences of the enterprise", len(mine))
		}

		// An applicant without a verified ID number cannot hold a licence.
		c = apply(w.zhang, map[string]string{"name": "张三丰", "card_no": "1"})
		w.refuse("issue to an applicant without an ID number", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.clerk), c.ID, "")
		}, "证件号码")
		// Without an issuer wired in, the case is not issued either.
		wf.Licenses = nil
		w.refuse("issue without licence issuing", tongban.EUnavailable, func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.clerk), c.ID, "")
		}, "电子证照")
	})
}

// TestELicenceMaterialNeedsAResolvedLicence: an `e_license` claim is spared
// only by a licence the server finds — the applicant's own, of the type the
// material's standard material names, valid, its signature intact — and
// each use is recorded in the holder's data-use record (用证记录).
func TestELicenceMaterialNeedsAResolvedLicence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		// As the app wires it: the claimed licence is verified before the
		// transaction, which reads it once more to see it unchanged.
		wf.Resolvers = map[tongban.MaterialStatus]workflow.MaterialResolver{tongban.MaterialELicense: exchange.Licenses{Store: w.st}}
		issuer := &tongban.Org{Code: "gaq-scjgj-2", Name: "广安区行政审批局", Kind: tongban.OrgDepartment,
			RegionCode: "511602000000", CreditCode: "11511600MB1A00055N"}
		w.must(w.st.CreateOrg(ctx, issuer))
		typ := &tongban.LicenseType{Code: "11100000MB0143028R001", Name: "营业执照", HolderKind: tongban.HolderOrg,
			Fields: []tongban.LicenseField{{Key: "entity_name", Name: "名称"}}}
		w.must(w.st.PutLicenseType(ctx, typ))
		w.must(w.st.SaveStandardMaterial(ctx, &tongban.StandardMaterial{Code: "BZ0301", Name: "营业执照", LicenseType: typ.Code,
			UpdatedAt: w.clock.Now()}))
		l := *w.food
		l.ID, l.Code, l.Version = 0, "11511602MB1592736X4000111009", 1
		l.Materials = append([]tongban.Material(nil), w.food.Materials...)
		l.Materials[1].Standard = "BZ0301"
		w.publish(&l)
		holder := w.zhangSan()
		consent, reason := true, ""
		submit := func(who *tongban.User, claim string) (*tongban.Case, error) {
			ms := provided("m1", "m3", "m4", "m5", "m6")
			ms = append(ms, tongban.CaseMaterial{Key: "m2", Status: tongban.MaterialELicense, Claim: claim, Consent: consent, UseReason: reason})
			return wf.Submit(ctx, as(who), workflow.Application{ListingID: l.ID, ListingVersion: 1, ApplicantID: who.ID,
				Channel: tongban.ChannelOnline, Materials: ms})
		}
		// No licence: the claim is refused, naming the material.
		w.refuse("e_license without a licence", tongban.EInvalid, func() (*tongban.Case, error) { return submit(holder, "") }, "营业执照", "请上传材料")

		day := w.clock.Now().UTC().Truncate(24 * time.Hour)
		lic := &tongban.License{Identifier: license.Identifier{TypeCode: typ.Code, IssuerCode: issuer.CreditCode, Serial: "20250000001", Version: 1}.String(),
			TypeCode: typ.Code, TypeName: typ.Name, Number: "511602202500000001", IssuerID: issuer.ID, IssuerName: issuer.Name,
			IssuerCode: issuer.CreditCode, IssuedOn: day, ValidFrom: day, HolderID: holder.ID, HolderName: holder.Name,
			HolderKind: tongban.HolderPerson, HolderCode: holder.IDNumber.Reveal(), HolderCodeMasked: holder.IDNumber.Masked(), RegionCode: issuer.RegionCode,
			Status: tongban.LicenseValid, Version: 1, Face: map[string]string{"名称": "张三小吃店"}, CreatedAt: w.clock.Now()}
		w.must(w.st.Transact(ctx, func(tx tongban.Store) error { return license.SignAndStore(ctx, tx, lic) }))

		// Someone else cannot use it, even naming it.
		w.refuse("another person's licence", tongban.EInvalid, func() (*tongban.Case, error) { return submit(w.li, lic.Identifier) }, "没有")
		// Without the holder's consent for this case, no licence is used.
		consent = false
		w.refuse("a licence without consent", tongban.EInvalid, func() (*tongban.Case, error) { return submit(holder, lic.Identifier) }, "授权")
		consent, reason = true, strings.Repeat("长", 101)
		w.refuse("a 用证事由 too long", tongban.EInvalid, func() (*tongban.Case, error) { return submit(holder, lic.Identifier) }, "用证事由")
		if cs, _ := w.st.LicenseConsents(ctx, lic.ID); len(cs) != 0 {
			t.Fatalf("refused claims left %d consents", len(cs))
		}
		reason = "食品经营许可证延续"
		c := w.step(w.clock.Now(), "submit with the licence", func() (*tongban.Case, error) { return submit(holder, lic.Identifier) })
		m, _ := c.Material("m2")
		if m.Ref == nil || m.Ref.Kind != tongban.RefLicense || m.Ref.ID != lic.Identifier || m.Ref.Version != 1 || !m.Spared() {
			t.Fatalf("material spared by %+v", m.Ref)
		}
		uses, err := w.st.DataUses(ctx, holder.ID, 10, 0)
		w.must(err)
		if len(uses) != 1 || uses[0].Kind != tongban.DataUseLicense || uses[0].Resource != lic.Identifier || uses[0].CaseNumber != c.Number {
			t.Fatalf("用证记录: %+v", uses)
		}
		cs, err := w.st.LicenseConsents(ctx, lic.ID)
		w.must(err)
		if len(cs) != 1 || cs[0].CaseNumber != c.Number || cs[0].Reason != "食品经营许可证延续" || cs[0].Version != 1 ||
			cs[0].HolderID != holder.ID || cs[0].GivenBy != holder.ID || !strings.Contains(uses[0].Reason, "食品经营许可证延续") {
			t.Fatalf("用证授权: %+v", cs)
		}
		// Verified before a transaction and revoked before it runs: the
		// resolver takes the licence as verified and does not read it
		// again, and the consent's insert sees the change and refuses all.
		app := workflow.Application{ListingID: l.ID, ListingVersion: 1, ApplicantID: holder.ID, Channel: tongban.ChannelOnline,
			Materials: append(provided("m1", "m3", "m4", "m5", "m6"),
				tongban.CaseMaterial{Key: "m2", Status: tongban.MaterialELicense, Claim: lic.Identifier, Consent: true})}
		pd, err := wf.Prepare(ctx, as(holder), app)
		w.must(err)
		defer pd.Release()
		revokes := &storetest.BeforeFirstTransact{Store: w.st, Before: func() error {
			return w.st.SetLicenseStatus(ctx, lic.ID, tongban.LicenseRevoked, "吊销", w.clock.Now())
		}}
		wf.Store = revokes
		w.must(revokes.Before())
		err = w.st.Transact(ctx, func(tx tongban.Store) error {
			_, err := pd.Write(ctx, tx)
			return err
		})
		if !tongban.LicenceWithdrawn(err) {
			t.Fatalf("a licence revoked after it was verified: %v; want LicenceWithdrawn", err)
		}
		if _, err := w.st.(interface{ DB() *sqldb.DB }).DB().ExecContext(ctx, `UPDATE licenses SET status = 'valid' WHERE id = $1`, lic.ID); err != nil {
			t.Fatal(err)
		}
		// Submit checks the claim again in a new transaction and refuses
		// it with the material named, as if revoked before the submission.
		_, err = submit(holder, lic.Identifier)
		if e := tongban.AsError(err); e.Code != tongban.EInvalid || e.Field != "materials[5].status" || !strings.Contains(e.Message, "已注销") {
			t.Fatalf("a submission whose licence is revoked mid-way = %v; want the material refused as 已注销", err)
		}
		if revokes.Transactions != 2 {
			t.Fatalf("%d transactions; want the refused one and one checking the claim again", revokes.Transactions)
		}
		if cs, _ := w.st.LicenseConsents(ctx, lic.ID); len(cs) != 1 {
			t.Fatalf("a refused claim left a consent: %d consents, want the first case's only", len(cs))
		}
		wf.Store = w.st
		w.refuse("a revoked licence", tongban.EInvalid, func() (*tongban.Case, error) { return submit(holder, "") }, "请上传材料")
		w.refuse("a revoked licence named", tongban.EInvalid, func() (*tongban.Case, error) { return submit(holder, lic.Identifier) }, "已注销")
	})
}
