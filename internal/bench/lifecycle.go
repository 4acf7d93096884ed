package bench

import (
	"bytes"
	"context"
	"net/http"
)

// Step is one lifecycle transition and who performs it.
type Step struct {
	Action string // POST /api/v1/cases/{number}/<Action>
	Body   string
	staff  func(f *CaseFixture) *API
}

// Lifecycle is accept → approve → issue → deliver (closed): the window
// accepts, the department decides and issues, the unified window hands
// the result out.
var Lifecycle = []Step{
	{Action: "accept", Body: `{}`, staff: func(f *CaseFixture) *API { return f.Clerk }},
	{Action: "approve", Body: `{"opinion":"材料齐全，符合法定条件，准予办理"}`, staff: func(f *CaseFixture) *API { return f.Approver }},
	{Action: "issue", Body: `{"result_no":"JY-BENCH"}`, staff: func(f *CaseFixture) *API { return f.Approver }},
	{Action: "deliver", Body: `{"method":"pickup","collector":"self","identity_checked":true}`, staff: func(f *CaseFixture) *API { return f.Clerk }},
}

// SubmitRequest is applicant i's submission with an idempotency key.
func (f *CaseFixture) SubmitRequest(i int, key string) (*http.Request, error) {
	a := f.Applicants[i%len(f.Applicants)]
	req, err := http.NewRequest("POST", a.Base+"/api/v1/cases", bytes.NewReader(f.submitBody(i%len(f.Applicants))))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	a.Sign(req)
	return req, nil
}

// StepRequest is lifecycle step s on the case.
func (f *CaseFixture) StepRequest(s Step, number string) (*http.Request, error) {
	a := s.staff(f)
	body := s.Body
	if s.Action == "issue" && f.IssueBody != "" {
		body = f.IssueBody
	}
	req, err := http.NewRequest("POST", a.Base+"/api/v1/cases/"+number+"/"+s.Action, bytes.NewReader([]byte(body)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	a.Sign(req)
	return req, nil
}

// StatusRequest is applicant i reading their case.
func (f *CaseFixture) StatusRequest(i int, number string) (*http.Request, error) {
	a := f.Applicants[i%len(f.Applicants)]
	req, err := http.NewRequest("GET", a.Base+"/api/v1/cases/"+number, nil)
	if err != nil {
		return nil, err
	}
	a.Sign(req)
	return req, nil
}

// caseNumber is the "number" of a case answer, found without decoding the
// whole view (the load generator's own CPU is shared with the server).
func caseNumber(body []byte) string {
	const key = `"number":"`
	i := bytes.Index(body, []byte(key))
	if i < 0 {
		return ""
	}
	rest := body[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// Submit submits once and returns the case number.
func (f *CaseFixture) Submit(ctx context.Context, i int, key string) (string, error) {
	req, err := f.SubmitRequest(i, key)
	if err != nil {
		return "", err
	}
	var c struct {
		Number string `json:"number"`
	}
	err = f.Applicants[i%len(f.Applicants)].Send(req.WithContext(ctx), &c)
	return c.Number, err
}

// Step runs one lifecycle step.
func (f *CaseFixture) Step(ctx context.Context, s Step, number string) error {
	req, err := f.StepRequest(s, number)
	if err != nil {
		return err
	}
	return s.staff(f).Send(req.WithContext(ctx), nil)
}

// RatingBody is the applicant's 一事一评 of a decided case through the
// website: 非常满意, the common case (no reason, no ticket).
const RatingBody = `{"encounter":"case","channel":"web","level":5,"indicators":{"办事效率":5}}`
