package exchange_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// DataResourceRecord reads what DataResource and DataRecord read, in one
// statement: the subject's record of an 无条件 resource of the subject's
// kind, none of a 有条件 one (read after consent), of another kind, of
// another subject, or of a subject with no record; an unknown code is not
// found.
func TestDataResourceRecordReadsWhatTwoReadsDo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx := w.ctx
		w.resource("GA-HJXX", "户籍信息", w.ga, tongban.ShareUnconditional, "", "BZ0102")
		w.resource("MZ-HYDJ", "婚姻登记信息", w.mz, tongban.ShareConditional, "", "BZ0201")
		const zhang, li = "511602199003071232", "11010519491231002X"
		rec := exchange.PushRecord{Subject: zhang, Data: map[string]string{"name": "张三", "status": "正常", "address": "广安区北辰路38号"}}
		if _, err := w.ex.Data.Push(ctx, identity.Request{Actor: w.gaAdmin}, "GA-HJXX", []exchange.PushRecord{rec}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ex.Data.Push(ctx, identity.Request{Actor: w.mzAdmin}, "MZ-HYDJ", []exchange.PushRecord{rec}); err != nil {
			t.Fatal(err)
		}

		res, got, err := w.st.DataResourceRecord(ctx, "GA-HJXX", tongban.SubjectPerson, zhang)
		if err != nil {
			t.Fatal(err)
		}
		wantRes, _ := w.st.DataResource(ctx, "GA-HJXX")
		want, _ := w.st.DataRecord(ctx, wantRes.ID, zhang)
		if res.ID != wantRes.ID || res.OrgName != wantRes.OrgName || len(res.Fields) != len(wantRes.Fields) || res.Share != wantRes.Share {
			t.Errorf("resource = %+v; want %+v", res, wantRes)
		}
		if got == nil || got.ID != want.ID || got.ResourceID != res.ID || got.Subject != zhang || got.Data["address"] != "广安区北辰路38号" ||
			got.Source != want.Source || !got.UpdatedAt.Equal(want.UpdatedAt) {
			t.Errorf("record = %+v; want %+v", got, want)
		}

		for _, c := range []struct {
			name, code string
			kind       tongban.SubjectKind
			subject    string
		}{
			{"有条件 resource", "MZ-HYDJ", tongban.SubjectPerson, zhang},
			{"another kind", "GA-HJXX", tongban.SubjectEnterprise, zhang},
			{"another subject", "GA-HJXX", tongban.SubjectPerson, li},
			{"no subject", "GA-HJXX", tongban.SubjectPerson, ""},
		} {
			res, got, err := w.st.DataResourceRecord(ctx, c.code, c.kind, c.subject)
			if err != nil || res == nil || res.Code != c.code || got != nil {
				t.Errorf("%s: %+v, %+v, %v; want the resource and no record", c.name, res, got, err)
			}
		}
		if _, _, err := w.st.DataResourceRecord(ctx, "XX-NONE", tongban.SubjectPerson, zhang); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("unknown resource: %v, want not found", err)
		}
	})
}
