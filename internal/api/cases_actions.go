package api

import (
	"context"
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

// Action bodies. Field names match the fields the workflow names in its
// errors (reasons, items[0].reason, opinion, tracking_no…).

type acceptInput struct {
	Owed     []string `json:"owed,omitempty"`      // 容缺: keys of non-key materials handed in later
	OwedDays int      `json:"owed_days,omitempty"` // working days for them; 0 = by the due date
	Note     string   `json:"note,omitempty"`
	// Confirm lists provided files the clerk checked and passes (审核通过);
	// they enter the applicant's material library.
	Confirm []workflow.MaterialConfirmation `json:"confirm,omitempty"`
}

type reasonsInput struct {
	Reasons []string `json:"reasons"` // required: they go on the notice and to supervisors
}

type deficiencyInput struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

type correctionInput struct {
	Items []deficiencyInput `json:"items"` // every missing or defective material, in ONE notice
}

type supplementInput struct {
	Materials []materialInput `json:"materials"`
}

type owedInput struct {
	Materials []materialInput `json:"materials"`
	InPerson  bool            `json:"in_person,omitempty"` // received at a window on a trip made for it
}

type opinionInput struct {
	Opinion string `json:"opinion"`
}

type specialInput struct {
	Kind string `json:"kind"` // 听证, 检验检测, 专家评审…
	Note string `json:"note,omitempty"`
}

type noteInput struct {
	Note string `json:"note,omitempty"`
}

type issueInput struct {
	ResultNo string `json:"result_no,omitempty"` // licence or decision number
	// Face: the e-licence's face items (照面) the approver confirmed or
	// filled in, by printed name, where the listing's result is a licence.
	Face map[string]string `json:"face,omitempty"`
}

type deliverInput struct {
	Method     tongban.DeliveryMethod `json:"method,omitempty"` // pickup | express; default the applicant's choice
	TrackingNo string                 `json:"tracking_no,omitempty"`
	// A pickup's 签收: collector self (identity_checked) or proxy (name, ID
	// number, power_of_attorney).
	Collector       tongban.Collector `json:"collector,omitempty"`
	IdentityChecked bool              `json:"identity_checked,omitempty"`
	CollectorName   string            `json:"collector_name,omitempty"`
	CollectorID     string            `json:"collector_id_number,omitempty"`
	PowerOfAttorney bool              `json:"power_of_attorney,omitempty"`
}

func (in deliverInput) workflow() workflow.DeliverInput {
	return workflow.DeliverInput{Method: in.Method, TrackingNo: in.TrackingNo, Collector: in.Collector,
		IdentityChecked: in.IdentityChecked, CollectorName: in.CollectorName, CollectorID: in.CollectorID,
		PowerOfAttorney: in.PowerOfAttorney}
}

type withdrawInput struct {
	Reason string `json:"reason,omitempty"`
}

type postCheckInput struct {
	Passed *bool  `json:"passed"` // required: was the commitment true?
	Note   string `json:"note,omitempty"`
}

// actionFunc runs one workflow action on case id.
type actionFunc[T any] func(ctx context.Context, req workflow.Request, id int64, in T) (*tongban.Case, error)

// act is the handler of an action endpoint: decode the body, find the case
// by number, run the action with If-Match, answer with the case.
func act[T any](a *API, run actionFunc[T]) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in T
		if err := decodeAction(w, r, &in); err != nil {
			return err
		}
		req, err := a.caseRequest(r)
		if err != nil {
			return err
		}
		c, err := a.Store.CaseByNumber(r.Context(), r.PathValue("number"))
		if err != nil {
			return err
		}
		if c, err = run(r.Context(), req, c.ID, in); err != nil {
			return err
		}
		return a.writeCase(w, r, http.StatusOK, c)
	}
}

func (a *API) actionRoutes() {
	add := func(path, summary string, acc access, in any, h func(http.ResponseWriter, *http.Request) error) {
		a.add(Route{Method: "POST", Path: "/api/v1/cases/{number}/" + path, Tag: "cases", Access: acc,
			Summary: summary + "。可带 If-Match: 版本号；状态不允许时 409 并说明当前状态，无权办理时 403",
			In:      in, Out: caseView{}, handle: h})
	}
	add("accept", "受理（综合窗口；网上申请也可由承办部门受理）；owed 列出容缺材料", staffOnly, acceptInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in acceptInput) (*tongban.Case, error) {
			return a.Workflow.Accept(ctx, req, id, workflow.AcceptInput{Owed: in.Owed, OwedDays: in.OwedDays, Note: in.Note,
				Confirm: in.Confirm})
		}))
	add("reject", "不予受理（须说明理由 reasons）", staffOnly, reasonsInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in reasonsInput) (*tongban.Case, error) {
			return a.Workflow.Reject(ctx, req, id, in.Reasons)
		}))
	add("correction", "一次性告知补正：一次列明全部需补正的材料及理由（受理后办理时限暂停）", staffOnly, correctionInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in correctionInput) (*tongban.Case, error) {
			items := make([]tongban.Deficiency, len(in.Items))
			for i, d := range in.Items {
				items[i] = tongban.Deficiency{Key: d.Key, Reason: d.Reason}
			}
			return a.Workflow.RequestCorrection(ctx, req, id, items)
		}))
	add("supplement", "补正材料（申请人上传；或窗口人员代收）", signedIn, supplementInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in supplementInput) (*tongban.Case, error) {
			ms, err := a.materialsFor(req, in.Materials)
			if err != nil {
				return nil, err
			}
			return a.Workflow.Supplement(ctx, req, id, ms)
		}))
	add("review", "环节审查通过，转下一环节（须填写意见 opinion）", staffOnly, opinionInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in opinionInput) (*tongban.Case, error) {
			return a.Workflow.Review(ctx, req, id, in.Opinion)
		}))
	add("approve", "准予办理（决定环节）", staffOnly, opinionInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in opinionInput) (*tongban.Case, error) {
			return a.Workflow.Approve(ctx, req, id, in.Opinion)
		}))
	add("deny", "不予办理（决定环节；须说明理由 reasons，列入否定备案）", staffOnly, reasonsInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in reasonsInput) (*tongban.Case, error) {
			return a.Workflow.Deny(ctx, req, id, in.Reasons)
		}))
	add("special-start", "开始特别程序（听证、检验检测、专家评审等；时限暂停）", staffOnly, specialInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in specialInput) (*tongban.Case, error) {
			return a.Workflow.StartSpecial(ctx, req, id, in.Kind, in.Note)
		}))
	add("special-end", "结束特别程序（时限继续计算）", staffOnly, noteInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in noteInput) (*tongban.Case, error) {
			return a.Workflow.EndSpecial(ctx, req, id, in.Note)
		}))
	add("issue", "出具办理结果（证照或决定文书编号 result_no）；结果为电子证照的，face 为审批人核对、补填的照面项（按照面项名称），申请表缺少必填照面项且未补填的不予签发", staffOnly, issueInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in issueInput) (*tongban.Case, error) {
			return a.Workflow.IssueWithFace(ctx, req, id, in.ResultNo, in.Face)
		}))
	add("deliver", "送达并办结：办理结果或不予许可（办理）决定书，在办件所在大厅的出件窗口领取并签收（collector：self 本人，须 identity_checked；"+
		"proxy 代领，须 collector_name、collector_id_number 和 power_of_attorney 授权委托书），或快递（须填运单号 tracking_no）", staffOnly, deliverInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in deliverInput) (*tongban.Case, error) {
			return a.Workflow.Deliver(ctx, req, id, in.workflow())
		}))
	add("close", "办结：结果无需交付时（如电子证照已推送）；不予许可（办理）决定书须经送达（deliver）办结", staffOnly, noteInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in noteInput) (*tongban.Case, error) {
			return a.Workflow.Close(ctx, req, id, in.Note)
		}))
	add("withdraw", "撤回申请（申请人本人，作出决定前）", signedIn, withdrawInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in withdrawInput) (*tongban.Case, error) {
			return a.Workflow.Withdraw(ctx, req, id, in.Reason)
		}))
	add("owed", "补齐容缺材料（申请人上传；或窗口人员代收）", signedIn, owedInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in owedInput) (*tongban.Case, error) {
			ms, err := a.materialsFor(req, in.Materials)
			if err != nil {
				return nil, err
			}
			return a.Workflow.ProvideOwed(ctx, req, id, ms, in.InPerson)
		}))
	add("post-check", "事后核查告知承诺（passed 必填；不实须写明情况 note）", staffOnly, postCheckInput{},
		act(a, func(ctx context.Context, req workflow.Request, id int64, in postCheckInput) (*tongban.Case, error) {
			if in.Passed == nil {
				return nil, tongban.FieldError("passed", "请选择核查结果：属实（true）或不实（false）")
			}
			return a.Workflow.PostCheck(ctx, req, id, workflow.PostCheckInput{Passed: *in.Passed, Note: in.Note})
		}))
}

// materialsFor checks materials handed in after submission like those of
// a submission.
func (a *API) materialsFor(req workflow.Request, in []materialInput) ([]tongban.CaseMaterial, error) {
	ms, err := checkMaterialInputs(in)
	if err != nil {
		return nil, err
	}
	if err := a.checkUploads(ms, req.Actor.Kind != tongban.UserStaff); err != nil {
		return nil, err
	}
	return caseMaterials(ms), nil
}
