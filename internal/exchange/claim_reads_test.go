package exchange_test

import (
	"context"
	"reflect"
	"strconv"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license/licensetest"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// readCounter counts the claims' reads made outside a transaction: the
// read-ahead (ReadClaims, by keys) and the three single reads it stands
// for. With noReadAhead its ReadClaims fails, so the preparers read as
// they did before there was one.
type readCounter struct {
	tongban.Store
	noReadAhead bool
	readAheads  [][]tongban.ClaimKey
	singles     int
	inTx        bool // a transaction of this store is running
}

// Transact notes that a transaction runs while fn does.
func (s *readCounter) Transact(ctx context.Context, fn func(tongban.Store) error) error {
	return s.Store.Transact(ctx, func(tx tongban.Store) error {
		s.inTx = true
		defer func() { s.inTx = false }()
		return fn(tx)
	})
}

// fullResolver is what each of the three resolvers is.
type fullResolver interface {
	workflow.MaterialResolver
	workflow.MaterialPreparer
	workflow.ClaimReader
	workflow.SettledResolver
}

// resolveSpy notes, for each claim a resolver resolves, whether a
// transaction was running.
type resolveSpy struct {
	fullResolver
	st   *readCounter
	inTx []bool
}

func (r *resolveSpy) ResolveMaterial(ctx context.Context, tx tongban.Store, q workflow.MaterialClaim) (*tongban.MaterialRef, error) {
	r.inTx = append(r.inTx, r.st.inTx)
	return r.fullResolver.ResolveMaterial(ctx, tx, q)
}

func (s *readCounter) ReadClaims(ctx context.Context, keys []tongban.ClaimKey) (map[tongban.ClaimKey]tongban.ClaimRow, error) {
	s.readAheads = append(s.readAheads, keys)
	if s.noReadAhead {
		return nil, tongban.Errorf(tongban.EUnavailable, "数据库暂时不可用")
	}
	return s.Store.ReadClaims(ctx, keys)
}

func (s *readCounter) DataResourceRecord(ctx context.Context, code string, kind tongban.SubjectKind, subject string) (*tongban.DataResource, *tongban.DataRecord, error) {
	s.singles++
	return s.Store.DataResourceRecord(ctx, code, kind, subject)
}

func (s *readCounter) LicenseByIdentifier(ctx context.Context, identifier string) (*tongban.License, error) {
	s.singles++
	return s.Store.LicenseByIdentifier(ctx, identifier)
}

func (s *readCounter) LibraryEntry(ctx context.Context, id int64) (*tongban.LibraryEntry, error) {
	s.singles++
	return s.Store.LibraryEntry(ctx, id)
}

// TestClaimReadsTravelTogether: a submission sparing three materials — a
// shared-data record, an e-licence, a library entry, each named — reads
// the three rows before its transaction in one read-ahead (one round trip
// on PostgreSQL) and none singly; the case, its references and every
// refusal (field and message) are the same as when each preparer reads
// its own row.
func TestClaimReadsTravelTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx := w.ctx
		w.resource("GA-HJXX", "户籍信息", w.ga, tongban.ShareUnconditional, "", "BZ0102")
		w.resource("MZ-HYDJ", "婚姻登记信息", w.mz, tongban.ShareConditional, "", "BZ0102")
		rec := exchange.PushRecord{Subject: "511602199003071232", Data: map[string]string{"name": "张三", "status": "正常"}}
		_, err := w.ex.Data.Push(ctx, identity.Request{Actor: w.gaAdmin}, "GA-HJXX", []exchange.PushRecord{rec})
		w.must(err)

		issuer := &tongban.Org{Code: "gas-mzj-2", Name: "广安区民政局", Kind: tongban.OrgDepartment, RegionCode: "511600000000",
			CreditCode: "11511600MB1A000116"}
		w.must(w.st.CreateOrg(ctx, issuer))
		typ := &tongban.LicenseType{Code: "11100000000013338W011", Name: "结婚证", HolderKind: tongban.HolderPerson,
			Fields: []tongban.LicenseField{{Key: "name", Name: "姓名"}}}
		w.must(w.st.PutLicenseType(ctx, typ))
		sm, err := w.st.StandardMaterial(ctx, "BZ0201")
		w.must(err)
		sm.LicenseType = typ.Code
		w.must(w.st.SaveStandardMaterial(ctx, sm))
		lic := licensetest.Store(t, w.st, issuer, w.zhang, typ.Code, 1, 0, w.clock.Now())
		liLic := licensetest.Store(t, w.st, issuer, w.li, typ.Code, 2, 0, w.clock.Now())

		first, err := w.apply(w.zhang, w.move, upload("m1", "idcard"), upload("m2", "hukou"), upload("m3", "form"))
		w.must(err)
		entry := &tongban.LibraryEntry{OwnerID: w.zhang.ID, Standard: "BZ0101", Name: "迁移人员居民身份证", BlobHash: "sha256:idcard",
			ValidUntil: "2030-01-01", CaseID: first.ID, CaseNumber: first.Number, MaterialKey: "m1", ConfirmedBy: w.gaApprover.ID,
			ConfirmedOrg: w.ga.Name, ConfirmedAt: w.clock.Now()}
		w.must(w.st.AddLibraryEntry(ctx, entry))
		listing := w.listing(w.scjg, "三项材料免提交", []tongban.Material{
			{Key: "a", Name: "居民身份证", Standard: "BZ0101"},
			{Key: "b", Name: "居民户口簿", Standard: "BZ0102"},
			{Key: "c", Name: "结婚证", Standard: "BZ0201"},
		})

		// submit files zhang's application with the claims through a
		// workflow and resolvers over the counter; spies note where each
		// claim was resolved (true: in the transaction), in claim order.
		var spies []*resolveSpy
		submit := func(st *readCounter, claims ...tongban.CaseMaterial) (*tongban.Case, error) {
			ex := exchange.New(st, w.clock)
			wf := workflow.New(st, nil, workflow.StaticCalendar{S: calendar.Default()}, w.clock)
			spy := func(r fullResolver) *resolveSpy { return &resolveSpy{fullResolver: r, st: st} }
			spies = []*resolveSpy{spy(ex.Library), spy(ex.Data), spy(exchange.Licenses{Store: st, Standards: ex.Standards.Cache})}
			wf.Resolvers = map[tongban.MaterialStatus]workflow.MaterialResolver{tongban.MaterialReused: spies[0],
				tongban.MaterialShared: spies[1], tongban.MaterialELicense: spies[2]}
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: listing.ID, ListingVersion: listing.Version,
				Channel: tongban.ChannelOnline, Materials: claims})
		}
		resolvedIn := func() (where []bool) {
			for _, s := range spies {
				where = append(where, s.inTx...)
			}
			return where
		}
		licence := func(id string) tongban.CaseMaterial {
			return tongban.CaseMaterial{Key: "c", Status: tongban.MaterialELicense, Claim: id, Consent: true}
		}
		entryID := entry.ID
		good := []tongban.CaseMaterial{reuse("a", strconv.FormatInt(entryID, 10)), shared("b", "GA-HJXX"), licence(lic.Identifier)}

		ahead := &readCounter{Store: w.st}
		c, err := submit(ahead, good...)
		w.must(err)
		if len(ahead.readAheads) != 1 || len(ahead.readAheads[0]) != 3 || ahead.singles != 0 {
			t.Fatalf("reads before the transaction: %d read-aheads %v and %d single reads; want one of the three keys and none",
				len(ahead.readAheads), ahead.readAheads, ahead.singles)
		}
		// Each claim settled by its preparer's read is resolved once,
		// before the transaction, and its records written in it.
		if where := resolvedIn(); !reflect.DeepEqual(where, []bool{false, false, false}) {
			t.Errorf("claims resolved in a transaction: %v, want each once before it", where)
		}
		uses, err := w.st.DataUses(ctx, w.zhang.ID, 10, 0)
		w.must(err)
		if len(uses) < 3 {
			t.Fatalf("%d data uses, want the case's three", len(uses))
		}
		for _, u := range uses[:3] {
			if u.CaseNumber != c.Number || !u.At.Equal(c.CreatedAt) {
				t.Errorf("data use %s of %s at %v, want of %s at the case's %v", u.Kind, u.CaseNumber, u.At, c.Number, c.CreatedAt)
			}
		}
		alone := &readCounter{Store: w.st, noReadAhead: true}
		c2, err := submit(alone, good...)
		w.must(err)
		if alone.singles != 3 {
			t.Fatalf("without the read-ahead: %d single reads, want 3", alone.singles)
		}
		for _, k := range []string{"a", "b", "c"} {
			m, _ := c.Material(k)
			m2, _ := c2.Material(k)
			if m.Ref == nil || !m.Spared() || !reflect.DeepEqual(m.Ref, m2.Ref) || m.BlobHash != m2.BlobHash {
				t.Errorf("material %s: %+v with the read-ahead, %+v without", k, m.Ref, m2.Ref)
			}
		}
		if m, _ := c.Material("c"); m.Ref.ID != lic.Identifier {
			t.Errorf("licence reference %+v, want %s", m.Ref, lic.Identifier)
		}

		// A 有条件 resource uses its consent up in the transaction: one claim
		// not settled before it leaves all three to it.
		_, err = w.ex.Data.Push(ctx, w.req(w.mzAdmin), "MZ-HYDJ", []exchange.PushRecord{rec})
		w.must(err)
		_, err = w.ex.Data.Consent(ctx, w.req(w.zhang), w.zhang, "MZ-HYDJ", listing)
		w.must(err)
		c3, err := submit(&readCounter{Store: w.st}, good[0], shared("b", "MZ-HYDJ"), good[2])
		w.must(err)
		if where := resolvedIn(); !reflect.DeepEqual(where, []bool{true, true, true}) {
			t.Errorf("with a consent to use up, claims resolved in a transaction: %v, want all three", where)
		}
		if m, _ := c3.Material("b"); m.Ref == nil || m.Ref.Kind != tongban.RefShared {
			t.Errorf("the 有条件 resource's reference: %+v", m.Ref)
		}

		for _, bad := range []struct {
			name  string
			claim tongban.CaseMaterial
		}{
			{"no such entry", reuse("a", strconv.FormatInt(entryID+100, 10))},
			{"an unknown resource", shared("b", "XX-NONE")},
			{"a 有条件 resource without consent", shared("b", "MZ-HYDJ")},
			{"another person's licence", licence(liLic.Identifier)},
			{"no such licence", licence(lic.Identifier[:len(lic.Identifier)-3] + "999")},
		} {
			claims := append([]tongban.CaseMaterial(nil), good...)
			for i := range claims {
				if claims[i].Key == bad.claim.Key {
					claims[i] = bad.claim
				}
			}
			ahead, alone := &readCounter{Store: w.st}, &readCounter{Store: w.st, noReadAhead: true}
			_, err := submit(ahead, claims...)
			_, err2 := submit(alone, claims...)
			e, e2 := tongban.AsError(err), tongban.AsError(err2)
			if err == nil || e.Code != tongban.EInvalid || e.Field == "" || e.Code != e2.Code || e.Field != e2.Field || e.Message != e2.Message {
				t.Errorf("%s: %v (%s) with the read-ahead, %v (%s) without; want the same refusal naming the material",
					bad.name, err, e.Field, err2, e2.Field)
			}
			if len(ahead.readAheads) != 1 || ahead.singles != 0 {
				t.Errorf("%s: %d read-aheads and %d single reads", bad.name, len(ahead.readAheads), ahead.singles)
			}
		}
	})
}
