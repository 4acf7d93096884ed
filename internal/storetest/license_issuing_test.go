package storetest

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestLicenseIssuingReadsWhatThreeReadsDo: the one statement an issue
// reads its type, org and seal key with answers what LicenseType, Org and
// SealKeyOf answer — before the org has a key, after, and after a rotation.
func TestLicenseIssuingReadsWhatThreeReadsDo(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		seedRegionsAndOrgs(t, st)
		org := &tongban.Org{Code: "gas-scj", Name: "广安市市场监督管理局", Kind: tongban.OrgDepartment,
			RegionCode: "511600000000", CreditCode: "11511600MB1A000116"}
		if err := st.CreateOrg(ctx, org); err != nil {
			t.Fatal(err)
		}
		typ := &tongban.LicenseType{Code: "11100000MB0143028R002", Name: "食品经营许可证", IssuerKind: "市场监督管理部门",
			HolderKind: tongban.HolderOrg, ValidYears: 5, Fields: []tongban.LicenseField{{Key: "credit_code", Name: "社会信用代码（身份证号码）", Required: true}}}
		if err := st.PutLicenseType(ctx, typ); err != nil {
			t.Fatal(err)
		}
		same := func(in *tongban.LicenseIssuing, wantKey *tongban.SealKey) {
			t.Helper()
			wantOrg, _ := st.Org(ctx, org.ID)
			wantType, _ := st.LicenseType(ctx, typ.Code)
			if *in.Org != *wantOrg {
				t.Fatalf("org = %+v, want %+v", in.Org, wantOrg)
			}
			if in.Type.Code != wantType.Code || in.Type.Name != wantType.Name || in.Type.HolderKind != wantType.HolderKind ||
				in.Type.ValidYears != 5 || in.Type.IssuerKind != wantType.IssuerKind || len(in.Type.Fields) != 1 ||
				in.Type.Fields[0] != wantType.Fields[0] {
				t.Fatalf("type = %+v, want %+v", in.Type, wantType)
			}
			switch {
			case wantKey == nil && in.Key != nil:
				t.Fatalf("key %s before the org has one", in.Key.ID)
			case wantKey != nil && (in.Key == nil || in.Key.ID != wantKey.ID || string(in.Key.PrivateDER) != string(wantKey.PrivateDER) ||
				in.Key.PublicPEM != wantKey.PublicPEM || in.Key.OrgID != org.ID || !in.Key.RetiredAt.IsZero()):
				t.Fatalf("key = %+v, want %s", in.Key, wantKey.ID)
			}
		}
		in, err := st.LicenseIssuing(ctx, typ.Code, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(in, nil)

		first, _ := license.NewSealKey(org.ID)
		first.CreatedAt = t0
		if err := st.CreateSealKey(ctx, first); err != nil {
			t.Fatal(err)
		}
		if in, err = st.LicenseIssuing(ctx, typ.Code, org.ID); err != nil {
			t.Fatal(err)
		}
		same(in, first)

		// A rotation: the newest key not retired is the one that signs.
		second, _ := license.NewSealKey(org.ID)
		second.CreatedAt = t0.Add(1)
		if err := st.CreateSealKey(ctx, second); err != nil {
			t.Fatal(err)
		}
		if err := st.RetireSealKey(ctx, first.ID, t0.Add(2)); err != nil {
			t.Fatal(err)
		}
		if in, err = st.LicenseIssuing(ctx, typ.Code, org.ID); err != nil {
			t.Fatal(err)
		}
		current, _ := st.SealKeyOf(ctx, org.ID)
		if current.ID != second.ID {
			t.Fatalf("SealKeyOf = %s after the rotation", current.ID)
		}
		same(in, second)

		if _, err := st.LicenseIssuing(ctx, "11100000MB0143028R999", org.ID); tongban.AsError(err).Code != tongban.ENotFound ||
			tongban.AsError(err).Field != "type_code" {
			t.Fatalf("unknown type: %v", err)
		}
		if _, err := st.LicenseIssuing(ctx, typ.Code, org.ID+1000); !tongban.IsCode(err, tongban.ENotFound) ||
			tongban.AsError(err).Field == "type_code" {
			t.Fatalf("unknown org: %v", err)
		}
	})
}
