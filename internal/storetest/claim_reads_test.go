package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license/licensetest"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestReadClaimsReadsWhatSingleReadsDo: ReadClaims gives every key what
// its single read gives — the resource with the subject's record (or
// none: a 有条件 resource, another subject), a licence, a library entry,
// decoded alike, and not found with the same message for a key with no
// row — outside a transaction (one batch on PostgreSQL) and inside one;
// a key asked twice is read once and a key naming nothing is left out.
func TestReadClaimsReadsWhatSingleReadsDo(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		dept, _, holder, c := seedCitizenCase(t, st)
		issuer := &tongban.Org{Code: "gas-zjj", Name: "广安市住房和城乡建设局", Kind: tongban.OrgDepartment,
			RegionCode: "511600000000", CreditCode: "11511600MB1A000116"}
		must(t, st.CreateOrg(ctx, issuer))
		for _, r := range []*tongban.DataResource{
			{Code: "GA-HJXX", Name: "户籍信息", Share: tongban.ShareUnconditional},
			{Code: "MZ-HYDJ", Name: "婚姻登记信息", Share: tongban.ShareConditional},
		} {
			r.OrgID, r.Subject, r.UpdatedAt, r.Standards = dept.ID, tongban.SubjectPerson, now, []string{"BZ0102"}
			r.Fields = []tongban.ResourceField{{Key: "name", Name: "姓名", Required: true, Personal: true}}
			must(t, st.SaveDataResource(ctx, r))
			rec := &tongban.DataRecord{Subject: string(holder.IDNumber), Data: map[string]string{"name": "张三"}, Source: "push", UpdatedAt: now}
			if _, err := st.PutDataRecords(ctx, r.ID, []*tongban.DataRecord{rec}, nil); err != nil {
				t.Fatal(err)
			}
		}
		typ := &tongban.LicenseType{Code: "11100000000013338W011", Name: "建筑工程施工许可证", IssuerKind: "住房和城乡建设部门",
			HolderKind: tongban.HolderPerson, Fields: []tongban.LicenseField{{Key: "project", Name: "工程名称"}}}
		must(t, st.PutLicenseType(ctx, typ))
		lic := licensetest.Store(t, st, issuer, holder, typ.Code, 1, 5, now)
		must(t, st.SaveStandardMaterial(ctx, &tongban.StandardMaterial{Code: "BZ0101", Name: "居民身份证", UpdatedAt: now}))
		entry := &tongban.LibraryEntry{OwnerID: holder.ID, Standard: "BZ0101", Name: "居民身份证", BlobHash: "sm3:id",
			ValidUntil: "2030-01-01", CaseID: c.ID, CaseNumber: c.Number, MaterialKey: "m1", ConfirmedOrg: dept.Name, ConfirmedAt: now}
		must(t, st.AddLibraryEntry(ctx, entry))

		subject := string(holder.IDNumber)
		person := tongban.SubjectPerson
		keys := []tongban.ClaimKey{
			{Resource: "GA-HJXX", SubjectKind: person, Subject: subject},
			{Resource: "MZ-HYDJ", SubjectKind: person, Subject: subject},              // 有条件: no record
			{Resource: "GA-HJXX", SubjectKind: person, Subject: "511602199003071232"}, // another subject
			{Resource: "XX-NONE", SubjectKind: person, Subject: subject},
			{License: lic.Identifier},
			{License: "11100000000013338W011115116000MB1A0001162026999999901"},
			{LibraryEntry: entry.ID},
			{LibraryEntry: entry.ID + 100},
			{LibraryEntry: entry.ID}, // asked twice
			{},                       // names nothing
		}
		single := func(st tongban.Store, k tongban.ClaimKey) tongban.ClaimRow {
			var r tongban.ClaimRow
			switch {
			case k.Resource != "":
				r.Resource, r.Record, r.Err = st.DataResourceRecord(ctx, k.Resource, k.SubjectKind, k.Subject)
			case k.License != "":
				r.License, r.Err = st.LicenseByIdentifier(ctx, k.License)
			default:
				r.Entry, r.Err = st.LibraryEntry(ctx, k.LibraryEntry)
			}
			return r
		}
		check := func(where string, st tongban.Store) {
			got, err := st.ReadClaims(ctx, keys)
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if len(got) != len(keys)-2 {
				t.Errorf("%s: %d rows for %d distinct keys naming a row", where, len(got), len(keys)-2)
			}
			if _, ok := got[tongban.ClaimKey{}]; ok {
				t.Errorf("%s: a row for the empty key", where)
			}
			for _, k := range keys[:len(keys)-1] {
				want, row := single(st, k), got[k]
				if !reflect.DeepEqual(row.Resource, want.Resource) || !reflect.DeepEqual(row.Record, want.Record) ||
					!reflect.DeepEqual(row.License, want.License) || !reflect.DeepEqual(row.Entry, want.Entry) {
					t.Errorf("%s: %+v read %+v; the single read gives %+v", where, k, row, want)
				}
				if (row.Err == nil) != (want.Err == nil) || row.Err != nil && (tongban.AsError(row.Err).Code != tongban.AsError(want.Err).Code ||
					row.Err.Error() != want.Err.Error()) {
					t.Errorf("%s: %+v: error %v; the single read's %v", where, k, row.Err, want.Err)
				}
			}
			// What the rows are, not only that they agree.
			if r := got[keys[0]]; r.Resource == nil || r.Record == nil || r.Record.Data["name"] != "张三" || r.Record.Subject != subject {
				t.Errorf("%s: GA-HJXX = %+v, want the resource and 张三's record", where, r)
			}
			if r := got[keys[1]]; r.Resource == nil || r.Resource.Share != tongban.ShareConditional || r.Record != nil || r.Err != nil {
				t.Errorf("%s: MZ-HYDJ = %+v, want the resource without its record", where, r)
			}
			if r := got[keys[3]]; !tongban.IsCode(r.Err, tongban.ENotFound) || r.Resource != nil {
				t.Errorf("%s: an unknown resource = %+v, want not found", where, r)
			}
			if r := got[keys[4]]; r.License == nil || r.License.ID != lic.ID || r.License.HolderCode != subject || len(r.License.Signature) == 0 {
				t.Errorf("%s: licence = %+v", where, r)
			}
			if r := got[keys[5]]; !tongban.IsCode(r.Err, tongban.ENotFound) || r.License != nil {
				t.Errorf("%s: an unknown licence = %+v, want not found", where, r)
			}
			if r := got[keys[6]]; r.Entry == nil || r.Entry.ID != entry.ID || r.Entry.BlobHash != "sm3:id" {
				t.Errorf("%s: entry = %+v", where, r)
			}
			if r := got[keys[7]]; !tongban.IsCode(r.Err, tongban.ENotFound) || r.Entry != nil {
				t.Errorf("%s: an unknown entry = %+v, want not found", where, r)
			}
		}
		check("outside a transaction", st)
		must(t, st.Transact(ctx, func(tx tongban.Store) error {
			check("in a transaction", tx)
			return nil
		}))
		if rows, err := st.ReadClaims(ctx, nil); err != nil || len(rows) != 0 {
			t.Errorf("no keys: %v, %v", rows, err)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
