package license_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestPreparedSignatureOnlyForTheBytesSigned: the signature PrepareLicense
// makes before the issue's transaction is the licence's only when the
// licence built in the transaction has exactly the bytes signed; face
// items confirmed otherwise, or a case form that changed in between, are
// filled and signed again there. A key rotated in between is never used:
// storing the licence refuses it, and preparing again signs with the new
// key. Every licence verifies.
func TestPreparedSignatureOnlyForTheBytesSigned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newLifeWorld(t, d)
		key, err := license.NewSealKey(w.other.ID)
		w.must(err)
		key.CreatedAt = w.clock.Now()
		w.must(w.st.CreateSealKey(w.ctx, key))
		l := &tongban.Listing{Result: tongban.Result{Name: w.cardType.Name, Type: tongban.ResultLicense, LicenseType: w.cardType.Code}}
		issuer := license.NewIssuer()
		n := int64(0)
		issue := func(prepFace, txFace map[string]string, txForm string, between func()) (*tongban.License, []byte) {
			t.Helper()
			n++
			c := &tongban.Case{Number: fmt.Sprintf("511600000000-20260302-%06d", n), OrgID: w.other.ID, RegionCode: "511600000000",
				ApplicantID: w.citizen.ID, Form: []byte(`{"name":"张三"}`)}
			serial := &tongban.LicenseSerial{IssuerID: w.other.ID, Year: 2026, N: n}
			p := issuer.PrepareLicense(w.ctx, w.st, c, l, w.citizen, w.clock.Now(), prepFace, serial)
			pre := license.PreparedSignature(p)
			if pre == nil {
				t.Fatal("nothing signed before the transaction")
			}
			if between != nil {
				between()
			}
			if txForm != "" { // the case as the transaction locks it
				changed := *c
				changed.Form = []byte(txForm)
				c = &changed
			}
			var out *tongban.License
			w.must(w.st.Transact(w.ctx, func(tx tongban.Store) (err error) {
				out, err = issuer.IssueLicense(w.ctx, tx, c, l, w.citizen, w.clock.Now(), txFace, serial, p)
				return err
			}))
			v, err := license.VerifyLicense(w.ctx, w.st, out, w.clock.Now())
			w.must(err)
			if v.Verdict != license.VerdictValid {
				t.Fatalf("licence %s: verdict %s", out.Identifier, v.Verdict)
			}
			return out, pre
		}

		same := map[string]string{"卡号": "A0001"}
		lic, pre := issue(same, same, "", nil)
		if !bytes.Equal(lic.Signature, pre) {
			t.Fatal("the licence built in the transaction has the bytes signed before it, yet was signed again")
		}

		lic, pre = issue(same, map[string]string{"卡号": "A0002"}, "", nil)
		if bytes.Equal(lic.Signature, pre) || lic.Face["卡号"] != "A0002" {
			t.Fatalf("a face changed after preparing kept the signature over the old one (face %v)", lic.Face)
		}
		lic, pre = issue(nil, nil, `{"name":"张三","card_no":"B0003"}`, nil)
		if bytes.Equal(lic.Signature, pre) || lic.Face["卡号"] != "B0003" {
			t.Fatalf("a form changed after preparing kept the face or signature made before (face %v)", lic.Face)
		}

		// A key rotated between preparing and storing is not used: the
		// licence's insert refuses it and nothing is stored; preparing
		// again, as the workflow's retry does, signs with the new key.
		held, err := w.st.LicensesOfHolder(w.ctx, w.citizen.ID)
		w.must(err)
		n++
		c := &tongban.Case{Number: fmt.Sprintf("511600000000-20260302-%06d", n), OrgID: w.other.ID, RegionCode: "511600000000",
			ApplicantID: w.citizen.ID, Form: []byte(`{"name":"张三"}`)}
		serial := &tongban.LicenseSerial{IssuerID: w.other.ID, Year: 2026, N: n}
		p := issuer.PrepareLicense(w.ctx, w.st, c, l, w.citizen, w.clock.Now(), same, serial)
		rotated, err := w.svc.RotateSealKey(w.ctx, identity.Request{}, w.other.ID)
		w.must(err)
		storeWith := func(p any) (*tongban.License, error) {
			var out *tongban.License
			err := w.st.Transact(w.ctx, func(tx tongban.Store) (err error) {
				out, err = issuer.IssueLicense(w.ctx, tx, c, l, w.citizen, w.clock.Now(), same, serial, p)
				return err
			})
			return out, err
		}
		if _, err := storeWith(p); !tongban.SealKeyRetired(err) {
			t.Fatalf("a licence signed by the key rotated meanwhile: %v, want refused (key_id)", err)
		}
		after, err := w.st.LicensesOfHolder(w.ctx, w.citizen.ID)
		w.must(err)
		if len(after) != len(held) {
			t.Fatalf("the refused licence was stored: %d licences, %d before", len(after), len(held))
		}
		lic, err = storeWith(issuer.PrepareLicense(w.ctx, w.st, c, l, w.citizen, w.clock.Now(), same, serial))
		w.must(err)
		if lic.KeyID != rotated.ID {
			t.Fatalf("signed again by %s, want the new key %s", lic.KeyID, rotated.ID)
		}
		v, err := license.VerifyLicense(w.ctx, w.st, lic, w.clock.Now())
		w.must(err)
		if v.Verdict != license.VerdictValid {
			t.Fatalf("licence %s: verdict %s", lic.Identifier, v.Verdict)
		}
	})
}
