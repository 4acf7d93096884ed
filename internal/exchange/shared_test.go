package exchange_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// resource saves a resource of org standing for the standard materials.
func (w *world) resource(code, name string, org *tongban.Org, share tongban.ShareCondition, pull string, standards ...string) *tongban.DataResource {
	w.t.Helper()
	r, err := w.ex.Data.SaveResource(w.ctx, w.req(w.catalogAdmin), tongban.DataResource{Code: code, Name: name, OrgID: org.ID,
		Subject: tongban.SubjectPerson, Share: share, UpdateCycle: "实时", Standards: standards, PullURL: pull,
		PullTimeoutMS: 300,
		Fields: []tongban.ResourceField{{Key: "name", Name: "姓名", Required: true, Personal: true},
			{Key: "status", Name: "状态", Required: true}, {Key: "address", Name: "住址", Personal: true}}})
	w.must(err)
	return r
}

func shared(key, claim string) tongban.CaseMaterial {
	return tongban.CaseMaterial{Key: key, Status: tongban.MaterialShared, Claim: claim}
}

// A provider pushes with its department's account: every record is
// checked and one bad record stores nothing; another department may not
// push; a 不予共享 resource takes nothing. What was pushed spares the
// material, sealed at rest.
func TestPushAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx := w.ctx
		w.resource("GA-HJXX", "户籍信息", w.ga, tongban.ShareUnconditional, "", "BZ0102")
		w.resource("GA-NONE", "涉密人口信息", w.ga, tongban.ShareNone, "")
		good := exchange.PushRecord{Subject: "511602199003071232", Data: map[string]string{"name": "张三", "status": "正常", "address": "广安区北辰路38号"}}
		li := exchange.PushRecord{Subject: "11010519491231002X", Data: map[string]string{"name": "李四", "status": "正常"}}
		bad := exchange.PushRecord{Subject: "110105194912310021", Data: map[string]string{"name": "王五", "status": "正常"}}
		push := func(u *tongban.User, code string, recs ...exchange.PushRecord) (*exchange.PushResult, error) {
			return w.ex.Data.Push(ctx, identity.Request{Actor: u}, code, recs)
		}
		field := func(err error) string { return tongban.AsError(err).Field }

		if _, err := push(w.gaAdmin, "GA-HJXX", good, li, bad); !tongban.IsCode(err, tongban.EInvalid) || field(err) != "records[2].subject" {
			t.Errorf("bad ID number: %v", err)
		}
		missing := li
		missing.Data = map[string]string{"name": "李四"}
		if _, err := push(w.gaAdmin, "GA-HJXX", good, missing); field(err) != "records[1].data.status" {
			t.Errorf("missing required item: %v", err)
		}
		unknown := li
		unknown.Data = map[string]string{"name": "李四", "status": "正常", "salary": "1"}
		if _, err := push(w.gaAdmin, "GA-HJXX", good, unknown); field(err) != "records[1].data.salary" {
			t.Errorf("unknown item: %v", err)
		}
		if _, err := push(w.gaAdmin, "GA-HJXX", good, good); field(err) != "records[1].subject" {
			t.Errorf("duplicate subject: %v", err)
		}
		res, _ := w.st.DataResource(ctx, "GA-HJXX")
		if n, _ := w.st.CountDataRecords(ctx, res.ID); n != 0 {
			t.Fatalf("refused pushes stored %d records", n)
		}
		if _, err := push(w.mzAdmin, "GA-HJXX", good); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("another department pushed: %v", err)
		}
		if _, err := push(w.gaAdmin, "GA-NONE", good); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("push to a 不予共享 resource: %v", err)
		}
		out, err := push(w.gaAdmin, "GA-HJXX", good, li)
		if err != nil || out.Created != 2 || out.Updated != 0 {
			t.Fatalf("push = %+v, %v", out, err)
		}
		gone := li
		gone.Delete = true
		good.Data["status"] = "迁出"
		if out, err = push(w.gaAdmin, "GA-HJXX", good, gone); err != nil || out.Created != 0 || out.Updated != 1 || out.Deleted != 1 {
			t.Fatalf("second push = %+v, %v", out, err)
		}
		rec, err := w.st.DataRecord(ctx, res.ID, "511602199003071232")
		if err != nil || rec.Data["status"] != "迁出" {
			t.Fatalf("record = %+v, %v", rec, err)
		}
		var raw string
		w.must(w.st.(interface{ DB() *sqldb.DB }).DB().QueryRowContext(ctx, `SELECT subject_sealed || data_sealed || subject_masked FROM data_records`).Scan(&raw))
		if strings.Contains(raw, "511602199003071232") || strings.Contains(raw, "张三") || strings.Contains(raw, "北辰路") {
			t.Errorf("a record is stored in the clear: %q", raw)
		}

		c, err := w.apply(w.zhang, w.move, upload("m1", "id"), shared("m2", ""), upload("m3", "form"))
		if err != nil {
			t.Fatal(err)
		}
		m, _ := c.Material("m2")
		if m.Ref == nil || m.Ref.Kind != tongban.RefShared || !strings.HasPrefix(m.Ref.ID, "GA-HJXX:") || !m.Spared() ||
			!strings.Contains(m.Ref.Note, "户籍信息") {
			t.Errorf("shared 户口簿 = %+v %+v", m, m.Ref)
		}
		_, err = w.apply(w.li, w.move, upload("m1", "id"), shared("m2", ""), upload("m3", "form"))
		if !tongban.IsCode(err, tongban.EInvalid) || field(err) != "materials[1].status" || !strings.Contains(err.Error(), "未查到") {
			t.Errorf("李四's deleted record: %v", err)
		}
	})
}

// provider is a department's pull endpoint started by the test.
type provider struct {
	srv   *httptest.Server
	calls atomic.Int32
	delay atomic.Int64 // nanoseconds before answering
	down  atomic.Bool
}

func newProvider(t *testing.T, records map[string]map[string]string) *provider {
	p := &provider{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		p.calls.Add(1)
		if p.down.Load() {
			http.Error(rw, "维护中", http.StatusServiceUnavailable)
			return
		}
		if d := time.Duration(p.delay.Load()); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		var in struct{ Resource, Subject string }
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil {
			http.Error(rw, "bad request", http.StatusBadRequest)
			return
		}
		data, ok := records[in.Subject]
		rw.Header().Set("Content-Type", "application/json")
		json.NewEncoder(rw).Encode(map[string]any{"found": ok, "data": data})
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// Pulls go to an HTTP server started by the test, before the submission's
// transaction: a found record spares the material and is kept (the
// resolver reads it from the database); a record pulled a moment ago is
// not asked for again; a provider that is down or too slow is a clear 503
// naming the resource and department, and a private address is refused
// unless allowed.
func TestPullProviders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx := w.ctx
		p := newProvider(t, map[string]map[string]string{"511602199003071232": {"name": "张三", "status": "已婚"}})
		w.ex.Data.Pull = exchange.NewPuller(time.Second, true) // the test's server is on loopback
		w.resource("MZ-HYDJ", "婚姻登记信息", w.mz, tongban.ShareUnconditional, p.srv.URL, "BZ0102")

		c, err := w.apply(w.zhang, w.move, upload("m1", "id"), shared("m2", "MZ-HYDJ"), upload("m3", "form"))
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := c.Material("m2"); m.Ref == nil || !strings.HasPrefix(m.Ref.ID, "MZ-HYDJ:") {
			t.Fatalf("pulled record not referenced: %+v", m)
		}
		if p.calls.Load() != 1 {
			t.Errorf("provider called %d times, want 1", p.calls.Load())
		}
		if _, err := w.apply(w.zhang, w.move, upload("m1", "id"), shared("m2", ""), upload("m3", "form")); err != nil {
			t.Fatal(err)
		}
		if p.calls.Load() != 1 {
			t.Errorf("a record pulled a moment ago was pulled again (%d calls)", p.calls.Load())
		}
		_, err = w.apply(w.li, w.move, upload("m1", "id"), shared("m2", ""), upload("m3", "form"))
		if !tongban.IsCode(err, tongban.EInvalid) || !strings.Contains(err.Error(), "未查到") {
			t.Errorf("not found at the provider: %v", err)
		}

		w.clock.Advance(time.Hour) // stale: asked again
		p.down.Store(true)
		_, err = w.apply(w.zhang, w.move, upload("m1", "id"), shared("m2", ""), upload("m3", "form"))
		if !tongban.IsCode(err, tongban.EUnavailable) || !strings.Contains(err.Error(), "婚姻登记信息（广安市民政局）暂时无法查询") {
			t.Errorf("provider down: %v", err)
		}
		p.down.Store(false)
		p.delay.Store(int64(2 * time.Second))
		_, err = w.apply(w.zhang, w.move, upload("m1", "id"), shared("m2", ""), upload("m3", "form"))
		if !tongban.IsCode(err, tongban.EUnavailable) || !strings.Contains(err.Error(), "在300ms内未响应") {
			t.Errorf("slow provider: %v, want the resource's own 300ms timeout named", err)
		}
		p.delay.Store(0)

		w.ex.Data.Pull = exchange.NewPuller(time.Second, false)
		_, err = w.apply(w.zhang, w.move, upload("m1", "id"), shared("m2", ""), upload("m3", "form"))
		if !tongban.IsCode(err, tongban.EUnavailable) || !strings.Contains(err.Error(), "内部网络") {
			t.Errorf("loopback provider without --pull-private: %v", err)
		}
		if n, _ := w.st.CountCases(ctx, tongban.CaseFilter{}); n != 2 {
			t.Errorf("%d cases, want the 2 that were spared by a record", n)
		}
	})
}

// A 有条件 resource needs the applicant's consent for the case: refused
// without one, used up by the case that takes it, not usable twice, and
// revocable before use. Every use is in the applicant's data record.
func TestConsentForConditionalResource(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx := w.ctx
		w.resource("MZ-HYDJ", "婚姻登记信息", w.mz, tongban.ShareConditional, "", "BZ0102")
		if _, err := w.ex.Data.Push(ctx, w.req(w.mzAdmin), "MZ-HYDJ", []exchange.PushRecord{
			{Subject: "511602199003071232", Data: map[string]string{"name": "张三", "status": "已婚"}}}); err != nil {
			t.Fatal(err)
		}
		apply := func() (*tongban.Case, error) {
			return w.apply(w.zhang, w.move, upload("m1", "id"), shared("m2", ""), upload("m3", "form"))
		}
		if _, err := apply(); !tongban.IsCode(err, tongban.EInvalid) || !strings.Contains(err.Error(), "须经申请人同意") {
			t.Fatalf("without consent: %v", err)
		}
		if _, err := w.ex.Data.Consent(ctx, w.req(w.li), w.zhang, "MZ-HYDJ", w.move); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("李四 consented for 张三: %v", err)
		}
		consent, err := w.ex.Data.Consent(ctx, w.req(w.zhang), w.zhang, "MZ-HYDJ", w.move)
		if err != nil {
			t.Fatal(err)
		}
		c, err := apply()
		if err != nil {
			t.Fatal(err)
		}
		list, _ := w.st.Consents(ctx, w.zhang.ID)
		if len(list) != 1 || list[0].ID != consent.ID || list[0].CaseNumber != c.Number || list[0].UsedAt.IsZero() {
			t.Errorf("consent after use = %+v", list[0])
		}
		if _, err := apply(); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("one consent spared two cases: %v", err)
		}
		if err := w.ex.Data.RevokeConsent(ctx, w.zhang, consent.ID); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("a used consent was revoked: %v", err)
		}
		again, _ := w.ex.Data.Consent(ctx, w.req(w.clerk), w.zhang, "MZ-HYDJ", w.move) // taken at a window
		if err := w.ex.Data.RevokeConsent(ctx, w.zhang, again.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := apply(); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("a revoked consent was used: %v", err)
		}
		uses, _ := w.st.DataUses(ctx, w.zhang.ID, 10, 0)
		if len(uses) != 1 || uses[0].Kind != tongban.DataUseSharedLookup || uses[0].Resource != "MZ-HYDJ" ||
			uses[0].CaseNumber != c.Number || strings.Join(uses[0].Fields, ",") != "姓名,状态" {
			t.Errorf("data uses = %+v", uses)
		}
	})
}
