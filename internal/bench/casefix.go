package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/tongban/tongban"
)

// DemoPassword is every demo account's password (README).
const DemoPassword = "Tongban@2026"

// Listing is what the scenarios need of a published listing.
type Listing struct {
	ID          int64  `json:"id"`
	Version     int    `json:"version"`
	Name        string `json:"name"`
	OrgID       int64  `json:"org_id"`
	RegionCode  string `json:"region_code"`
	Status      string `json:"status"`
	OnlineDepth string `json:"online_depth"`
	Materials   []struct {
		Key    string `json:"key"`
		Name   string `json:"name"`
		Source string `json:"source"`
	} `json:"materials"`
	Steps []struct {
		Role string `json:"role"`
	} `json:"steps"`
	Result struct {
		LicenseType string `json:"license_type"`
	} `json:"result"`
}

// MaterialRef is one material of a submission body.
type MaterialRef struct {
	Key      string `json:"key"`
	BlobHash string `json:"blob_hash,omitempty"`
	Status   string `json:"status,omitempty"`
}

// CaseFixture is what submissions need on a running Tongban: the demo
// window clerk and approver with API tokens, registered applicants with
// theirs, an online listing of the approver's department with 3–8
// materials, each applicant's uploads of them, and a ~1 KB form.
type CaseFixture struct {
	Clerk      *API
	Approver   *API
	Applicants []*API
	Listing    Listing
	Materials  [][]MaterialRef // per applicant
	Form       json.RawMessage
	// IssueBody is the issue step's body: with the licence face the
	// approver fills in when the result is a licence (LearnFace).
	IssueBody string
}

// NewCaseFixture prepares n applicants on the Tongban at base (through
// the API, as real clients would).
func NewCaseFixture(ctx context.Context, base string, n int) (*CaseFixture, error) {
	return newCaseFixture(ctx, base, n, simpleSteps)
}

// NewPlainCaseFixture is NewCaseFixture on a listing whose result is not a
// licence (issue signs nothing), with its own n applicants.
func NewPlainCaseFixture(ctx context.Context, base string, n, first int) (*CaseFixture, error) {
	plain := func(l Listing) bool { return l.Result.LicenseType == "" }
	f, err := newCaseFixture(ctx, base, 0, func(l Listing) bool { return plain(l) && simpleSteps(l) })
	if err != nil {
		// The demo department's only plain result (准予注销登记通知书) has a
		// special procedure on its way; this scratch server's copy drops it.
		if err = simplifyListing(ctx, base, plain); err != nil {
			return nil, err
		}
		if f, err = newCaseFixture(ctx, base, 0, func(l Listing) bool { return plain(l) && simpleSteps(l) }); err != nil {
			return nil, err
		}
	}
	return f, f.addApplicants(ctx, base, n, first)
}

func newCaseFixture(ctx context.Context, base string, n int, want func(Listing) bool) (*CaseFixture, error) {
	f := &CaseFixture{Form: SampleForm()}
	var err error
	if f.Clerk, err = TokenFor(ctx, base, "clerk", DemoPassword); err != nil {
		return nil, err
	}
	if f.Approver, err = TokenFor(ctx, base, "approver", DemoPassword); err != nil {
		return nil, err
	}
	if f.Listing, err = pickListing(ctx, f.Approver, want); err != nil {
		return nil, err
	}
	return f, f.addApplicants(ctx, base, n, 0)
}

// addApplicants registers n applicants, numbered from first (distinct
// fixtures on one server use distinct ranges), with their uploads.
func (f *CaseFixture) addApplicants(ctx context.Context, base string, n, first int) error {
	f.Applicants = make([]*API, n)
	f.Materials = make([][]MaterialRef, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 4) // password hashing is the cost: keep it to a few at once
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			f.Applicants[i], f.Materials[i], errs[i] = f.newApplicant(ctx, base, first+i)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// LearnFace takes one case of applicant 0 through the lifecycle before any
// load. When the result is a licence, issue refuses each face item the
// form lacks by its printed name (「…」), as it asks the approver; the
// approver fills each in, and the issue body that finally passes is the
// one the lifecycle scenario sends, so its issues sign real licences.
func (f *CaseFixture) LearnFace(ctx context.Context) error {
	if f.IssueBody != "" { // learned already
		return nil
	}
	number, err := f.Submit(ctx, 0, "bench-learn-face")
	if err != nil {
		return fmt.Errorf("bench: trial submission: %w", err)
	}
	for _, s := range Lifecycle[:2] {
		if err := f.Step(ctx, s, number); err != nil {
			return fmt.Errorf("bench: trial %s: %w", s.Action, err)
		}
	}
	face := map[string]string{}
	for range 30 {
		body, _ := json.Marshal(map[string]any{"result_no": "JY-BENCH", "face": face})
		err := f.Approver.Do(ctx, "POST", "/api/v1/cases/"+number+"/issue", json.RawMessage(body), nil)
		if err == nil {
			f.IssueBody = string(body)
			return f.Step(ctx, Lifecycle[3], number)
		}
		var e *APIError
		_, rest, _ := strings.Cut(fmt.Sprint(err), "「")
		name, _, _ := strings.Cut(rest, "」")
		if !errors.As(err, &e) || !strings.HasPrefix(e.Field, "face.") || name == "" || face[name] != "" {
			return fmt.Errorf("bench: trial issue: %w", err)
		}
		face[name] = "压测照面：" + name
	}
	return fmt.Errorf("bench: trial issue: the face never completed")
}

// newApplicant registers enterprise i, gives them a token and uploads their
// materials.
func (f *CaseFixture) newApplicant(ctx context.Context, base string, i int) (*API, []MaterialRef, error) {
	anon, err := NewAPI(base)
	if err != nil {
		return nil, nil, err
	}
	// Enterprises: the department's results (营业执照, 食品经营许可证) are
	// licences an organisation holds, and issue checks the holder.
	code := EnterpriseCode(500_000 + i)
	err = anon.Do(ctx, "POST", "/api/v1/register/enterprise", map[string]string{"name": "压测申请人", "credit_code": code,
		"legal_rep_name": "压测法人", "legal_rep_id_number": CitizenID(500_000 + i), "phone": Phone(500_000 + i),
		"password": DemoPassword}, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("register applicant %d: %w", i, err)
	}
	a, err := TokenFor(ctx, base, code, DemoPassword)
	if err != nil {
		return nil, nil, err
	}
	var refs []MaterialRef
	for j, m := range f.Listing.Materials {
		req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/uploads", bytes.NewReader(SamplePDF(i, j)))
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "application/pdf")
		var info struct {
			Hash string `json:"hash"`
		}
		if err := a.Send(req, &info); err != nil {
			return nil, nil, fmt.Errorf("upload %s: %w", m.Key, err)
		}
		refs = append(refs, MaterialRef{Key: m.Key, BlobHash: info.Hash})
	}
	return a, refs, nil
}

// pickListing finds a published, fully online listing of the approver's
// department with 3–8 materials to upload that want accepts (the case
// scenarios want steps of accept, decide and conclude only, so accept →
// approve → issue → deliver closes a case), the one with the fewest uploads. Every material is uploaded now that none
// is spared without a resolved reference, and the demo department has no
// such listing with 3–5.
func pickListing(ctx context.Context, approver *API, want func(Listing) bool) (Listing, error) {
	var me struct {
		Roles []struct {
			OrgID int64 `json:"org_id"`
		} `json:"roles"`
	}
	if err := approver.Do(ctx, "GET", "/api/v1/me", nil, &me); err != nil {
		return Listing{}, err
	}
	var orgs []int64
	for _, r := range me.Roles {
		orgs = append(orgs, r.OrgID)
	}
	// The department's own listings: on a server holding the scaled
	// catalog, the first page of all listings may hold none of them.
	var listings []Listing
	for _, org := range orgs {
		var page struct {
			Listings []Listing `json:"listings"`
		}
		if err := approver.Do(ctx, "GET", fmt.Sprintf("/api/v1/listings?org=%d&limit=1000", org), nil, &page); err != nil {
			return Listing{}, err
		}
		listings = append(listings, page.Listings...)
	}
	var best Listing
	for _, l := range listings {
		if l.Status != "published" || l.OnlineDepth != "fully_online" || !slices.Contains(orgs, l.OrgID) ||
			uploads(l) < 3 || uploads(l) > 8 || !want(l) {
			continue
		}
		if best.ID == 0 || uploads(l) < uploads(best) {
			best = l
		}
	}
	if best.ID == 0 {
		return best, fmt.Errorf("bench: no published online listing with 3–8 uploads in the approver's department (orgs %v)", orgs)
	}
	return best, nil
}

// simplifyListing saves and publishes, as the demo catalog admin, a copy
// of the first listing of the approver's department that want accepts
// with only its accept, decide and conclude steps kept.
func simplifyListing(ctx context.Context, base string, want func(Listing) bool) error {
	approver, err := TokenFor(ctx, base, "approver", DemoPassword)
	if err != nil {
		return err
	}
	l, err := pickListing(ctx, approver, want)
	if err != nil {
		return err
	}
	admin, err := TokenFor(ctx, base, "catalog", DemoPassword)
	if err != nil {
		return err
	}
	var full tongban.Listing // what a save takes: the view's extra fields are left out
	path := fmt.Sprintf("/api/v1/listings/%d", l.ID)
	if err := admin.Do(ctx, "GET", path, nil, &full); err != nil {
		return err
	}
	var kept []tongban.Step
	for _, s := range full.Steps {
		if s.Role == tongban.StepAccept || s.Role == tongban.StepDecide || s.Role == tongban.StepConclude {
			kept = append(kept, s)
		}
	}
	full.Steps = kept
	body := struct {
		tongban.Listing
		Reason string `json:"reason"`
	}{full, "压测：去掉特别程序，作为不发证照的对照"}
	if err := admin.Do(ctx, "PUT", path, body, nil); err != nil {
		return fmt.Errorf("bench: simplify 「%s」: %w", l.Name, err)
	}
	// Saving a published listing publishes the new version (no review on
	// the bench's server); publish only what the save left unpublished.
	var e *APIError
	if err := admin.Do(ctx, "POST", path+"/publish", map[string]string{"reason": "压测"}, nil); err != nil &&
		!(errors.As(err, &e) && e.Code == "conflict") {
		return fmt.Errorf("bench: publish 「%s」: %w", l.Name, err)
	}
	return nil
}

func simpleSteps(l Listing) bool {
	for _, s := range l.Steps {
		if s.Role != "accept" && s.Role != "decide" && s.Role != "conclude" {
			return false
		}
	}
	return len(l.Steps) > 0
}

// uploads is how many files an application of l uploads: every material,
// since a material is spared only by a reference the server resolves.
func uploads(l Listing) int { return len(l.Materials) }

// SamplePDF is a small PDF, distinct per applicant and material.
func SamplePDF(applicant, material int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n% tongban bench material\n")
	fmt.Fprintf(&b, "%% applicant %d material %d\n", applicant, material)
	b.WriteString(strings.Repeat("% 申请材料扫描件 scanned page of an application material\n", 300))
	b.WriteString("%%EOF\n")
	return b.Bytes()
}

// SampleForm is a realistic application form of about 1 KB.
func SampleForm() json.RawMessage {
	form := map[string]any{
		"经营者名称":    "广安市蜀味餐饮管理有限公司",
		"统一社会信用代码": "91511602MA6AB1C2DE",
		"法定代表人":    "张三",
		"联系电话":     "13800138000",
		"电子邮箱":     "shuwei@example.cn",
		"经营场所":     "四川省广安市广安区金安大道一段166号附3号",
		"主体业态":     "餐饮服务经营者（中型餐馆）",
		"经营项目":     []string{"热食类食品制售", "冷食类食品制售", "自制饮品制售"},
		"许可证编号":    "JY25116020012345",
		"有效期至":     "2026-12-31",
		"从业人员":     map[string]any{"总数": 18, "持健康证明": 18, "食品安全管理员": "李四"},
		"设施设备": map[string]any{"冷藏冷冻设备": 4, "消毒保洁设施": "餐具集中消毒柜2台", "防蝇防鼠设施": true,
			"油烟净化": "已安装并定期清洗"},
		"变更情况": "许可事项无变化，申请延续有效期",
		"承诺事项": "本单位承诺所提交材料真实有效，经营场所、设施设备和食品安全管理制度符合食品安全法律法规要求",
		"送达地址": "四川省广安市广安区金安大道一段166号附3号 张三 收",
	}
	b, _ := json.Marshal(form)
	return b
}

// submitBody is the JSON of an online submission of the fixture's listing
// by applicant i.
func (f *CaseFixture) submitBody(i int) []byte {
	b, _ := json.Marshal(map[string]any{"listing_id": f.Listing.ID, "form": f.Form, "materials": f.Materials[i]})
	return b
}
