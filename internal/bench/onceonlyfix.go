package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/tongban/tongban"
)

// Standard materials of the once-only scenario and what spares each.
const (
	onceShared  = "BZ0301" // 营业执照: the 企业登记信息 record (SCJG-QYDJ, 无条件共享)
	onceLicence = "BZ0307" // 原食品经营许可证: the enterprise's e-licence (用证, with consent)
	onceLibrary = "BZ0302" // 法定代表人（负责人）身份证明: confirmed in an earlier case
	// onceLicenceType is 食品经营许可证, the licence type BZ0307 names.
	onceLicenceType = "11100000MB0143028R002"
	onceResource    = "SCJG-QYDJ"
)

// OnceOnlyFixture is a listing of three materials every applicant can be
// spared — a shared-data record, an e-licence, a library entry — on the
// Tongban under test, its applicants with the three files uploaded (the
// upload side) and with the three references staged as real ones are
// (the reference side).
type OnceOnlyFixture struct {
	*CaseFixture
	Refs [][]byte // per applicant: the submission body claiming the three references
}

// NewOnceOnlyFixture turns the approver's department's 食品经营许可延续
// into the scenario's listing (its 营业执照 and 原食品经营许可证, plus the
// 法定代表人（负责人）身份证明 its 核发 asks; accept, decide and conclude
// steps), registers n enterprises numbered from first with the files
// uploaded, imports a 食品经营许可证 for each (as a department's existing
// licences are), and passes each one's 法定代表人身份证明 in a first case
// (审核通过 at acceptance), so it is in their material library.
func NewOnceOnlyFixture(ctx context.Context, base string, n, first int) (*OnceOnlyFixture, error) {
	id, err := onceOnlyListing(ctx, base)
	if err != nil {
		return nil, err
	}
	cf, err := newCaseFixture(ctx, base, 0, func(l Listing) bool { return l.ID == id })
	if err != nil {
		return nil, err
	}
	if err := cf.addApplicants(ctx, base, n, first); err != nil {
		return nil, err
	}
	f := &OnceOnlyFixture{CaseFixture: cf, Refs: make([][]byte, n)}
	var full tongban.Listing
	if err := cf.Approver.Do(ctx, "GET", fmt.Sprintf("/api/v1/listings/%d", id), nil, &full); err != nil {
		return nil, err
	}
	keyOf := map[string]string{}
	for _, m := range full.Materials {
		keyOf[m.Standard] = m.Key
	}
	identifiers, err := f.importLicences(ctx, first)
	if err != nil {
		return nil, err
	}
	err = Parallel(ctx, n, 8, func(i int) error {
		entry, err := f.confirmLibrary(ctx, i, keyOf[onceLibrary])
		if err != nil {
			return fmt.Errorf("applicant %d: %w", i, err)
		}
		f.Refs[i], err = json.Marshal(map[string]any{"listing_id": id, "form": cf.Form, "materials": []map[string]any{
			{"key": keyOf[onceShared], "status": tongban.MaterialShared, "ref": onceResource},
			{"key": keyOf[onceLicence], "status": tongban.MaterialELicense, "ref": identifiers[i], "consent": true},
			{"key": keyOf[onceLibrary], "status": tongban.MaterialReused, "ref": fmt.Sprint(entry)}}})
		return err
	})
	return f, err
}

// onceOnlyListing saves and publishes, as the demo catalog admin, the
// scenario's listing and returns its id.
func onceOnlyListing(ctx context.Context, base string) (int64, error) {
	approver, err := TokenFor(ctx, base, "approver", DemoPassword)
	if err != nil {
		return 0, err
	}
	admin, err := TokenFor(ctx, base, "catalog", DemoPassword)
	if err != nil {
		return 0, err
	}
	var me struct {
		Roles []struct {
			OrgID int64 `json:"org_id"`
		} `json:"roles"`
	}
	if err := approver.Do(ctx, "GET", "/api/v1/me", nil, &me); err != nil {
		return 0, err
	}
	var page struct {
		Listings []Listing `json:"listings"`
	}
	if err := approver.Do(ctx, "GET", "/api/v1/listings?limit=1000", nil, &page); err != nil {
		return 0, err
	}
	// 延续 (营业执照 and 原食品经营许可证) and 核发 (its 法定代表人身份证明).
	var renewal, grant *tongban.Listing
	for _, l := range page.Listings {
		mine := slices.ContainsFunc(me.Roles, func(r struct {
			OrgID int64 `json:"org_id"`
		}) bool {
			return r.OrgID == l.OrgID
		})
		if !mine || l.Status != "published" || l.OnlineDepth != "fully_online" || l.Result.LicenseType != onceLicenceType {
			continue
		}
		var full tongban.Listing
		if err := approver.Do(ctx, "GET", fmt.Sprintf("/api/v1/listings/%d", l.ID), nil, &full); err != nil {
			return 0, err
		}
		std := func(code string) bool {
			return slices.ContainsFunc(full.Materials, func(m tongban.Material) bool { return m.Standard == code })
		}
		switch {
		case renewal == nil && std(onceShared) && std(onceLicence):
			renewal = &full
		case grant == nil && std(onceShared) && std(onceLibrary):
			grant = &full
		}
	}
	if renewal == nil || grant == nil {
		return 0, fmt.Errorf("bench: no 食品经营许可延续 and 核发 in the approver's department to build the once-only listing on")
	}
	var kept []tongban.Material
	for _, m := range renewal.Materials {
		if m.Standard == onceShared || m.Standard == onceLicence {
			m.Required = tongban.MaterialRequired
			kept = append(kept, m)
		}
	}
	for _, m := range grant.Materials {
		if m.Standard == onceLibrary {
			m.Key, m.Required = "m"+fmt.Sprint(len(renewal.Materials)+1), tongban.MaterialRequired
			kept = append(kept, m)
		}
	}
	var steps []tongban.Step
	for _, s := range renewal.Steps {
		if s.Role == tongban.StepAccept || s.Role == tongban.StepDecide || s.Role == tongban.StepConclude {
			steps = append(steps, s)
		}
	}
	renewal.Materials, renewal.Steps, renewal.Situations = kept, steps, nil
	path := fmt.Sprintf("/api/v1/listings/%d", renewal.ID)
	body := struct {
		tongban.Listing
		Reason string `json:"reason"`
	}{*renewal, "压测：三份材料均可由共享数据、电子证照和材料库免提交"}
	if err := admin.Do(ctx, "PUT", path, body, nil); err != nil {
		return 0, fmt.Errorf("bench: save the once-only listing: %w", err)
	}
	var e *APIError
	if err := admin.Do(ctx, "POST", path+"/publish", map[string]string{"reason": "压测"}, nil); err != nil &&
		!(errors.As(err, &e) && e.Code == "conflict") {
		return 0, fmt.Errorf("bench: publish the once-only listing: %w", err)
	}
	return renewal.ID, nil
}

// importLicences imports a 食品经营许可证 for every applicant, issued by the
// approver's department (as its administrator), and returns their
// identifiers in order.
func (f *OnceOnlyFixture) importLicences(ctx context.Context, first int) ([]string, error) {
	var rows []map[string]any
	for i := range f.Applicants {
		code := EnterpriseCode(500_000 + first + i)
		rows = append(rows, map[string]any{"type_code": onceLicenceType, "number": fmt.Sprintf("JY2511600%07d", first+i),
			"holder_name": "压测申请人", "holder_code": code, "issued_on": "2024-01-10", "valid_to": "2029-01-09",
			"face": map[string]string{"经营者名称": "压测申请人", "社会信用代码（身份证号码）": code, "法定代表人（负责人）": "压测法人",
				"住所": "四川省广安市广安区建设路58号", "经营场所": "四川省广安市广安区建设路58号1楼",
				"主体业态": "餐饮服务经营者（小型餐馆）", "经营项目": "热食类食品制售"}})
	}
	var out struct {
		Identifiers []string `json:"identifiers"`
	}
	// The department's administrator (赵科长, 市场监管) manages its licences.
	admin, err := TokenFor(ctx, f.Approver.Base, "deptadmin", DemoPassword)
	if err != nil {
		return nil, err
	}
	if err := admin.Do(ctx, "POST", "/api/v1/licenses/import", map[string]any{"rows": rows}, &out); err != nil {
		return nil, fmt.Errorf("bench: import 食品经营许可证: %w", err)
	}
	if len(out.Identifiers) != len(rows) {
		return nil, fmt.Errorf("bench: imported %d licences of %d", len(out.Identifiers), len(rows))
	}
	return out.Identifiers, nil
}

// confirmLibrary files applicant i's first case with the files and has the
// clerk accept it passing the file of key (审核通过), which puts it in the
// applicant's library; it returns the entry's id.
func (f *OnceOnlyFixture) confirmLibrary(ctx context.Context, i int, key string) (int64, error) {
	number, err := f.Submit(ctx, i, fmt.Sprintf("bench-once-first-%d", i))
	if err != nil {
		return 0, fmt.Errorf("first case: %w", err)
	}
	if err := f.Clerk.Do(ctx, "POST", "/api/v1/cases/"+number+"/accept",
		map[string]any{"confirm": []map[string]string{{"key": key}}}, nil); err != nil {
		return 0, fmt.Errorf("accept passing %s: %w", key, err)
	}
	var entries []tongban.LibraryEntry
	if err := f.Applicants[i].Do(ctx, "GET", "/api/v1/me/library", nil, &entries); err != nil {
		return 0, err
	}
	for _, e := range entries {
		if e.Standard == onceLibrary {
			return e.ID, nil
		}
	}
	return 0, fmt.Errorf("the passed %s is not in the library", onceLibrary)
}

// RefsRequest is applicant i's submission claiming the three references.
func (f *OnceOnlyFixture) RefsRequest(i int, key string) (*http.Request, error) {
	a := f.Applicants[i%len(f.Applicants)]
	req, err := http.NewRequest("POST", a.Base+"/api/v1/cases", strings.NewReader(string(f.Refs[i%len(f.Applicants)])))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	a.Sign(req)
	return req, nil
}

// submitOnce files one once-only submission, by reference or with the
// uploads, and checks it was accepted.
func (f *OnceOnlyFixture) submitOnce(ctx context.Context, refs bool, key string) error {
	var req *http.Request
	var err error
	if refs {
		req, err = f.RefsRequest(0, key)
	} else {
		req, err = f.SubmitRequest(0, key)
	}
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("submit: %d %s", resp.StatusCode, trim(body))
	}
	return nil
}
