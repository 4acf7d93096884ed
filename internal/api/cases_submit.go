package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// submitCase files an application. With an Idempotency-Key, the workflow
// answers a retry with the case the first attempt created: 201 the first
// time, 200 (and Idempotent-Replayed: true) when the key had already
// created a case. Two copies in flight at the same instant still get one
// case; both may then see 201.
func (a *API) submitCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	in, err := decodeApplication(w, r)
	if err != nil {
		return err
	}
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	req, err := a.caseRequest(r)
	if err != nil {
		return err
	}
	app := workflow.Application{ListingID: in.ListingID, ListingVersion: in.ListingVersion,
		Form: in.Form, Materials: caseMaterials(in.Materials), Delivery: in.Delivery, PickupHallID: in.PickupHallID,
		IdempotencyKey: key}
	if app.ApplicantID, app.Channel, err = a.applicantAndChannel(ctx, req, in); err != nil {
		return err
	}
	// The workflow handles the key and says whether it replayed.
	c, replayed, err := a.Workflow.SubmitIdempotent(ctx, req, app)
	if err != nil {
		if e := tongban.AsError(err); e.Field == "applicant_id" {
			return renamed(err, "applicant_id_number")
		}
		return err
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.Number)
	return a.writeCase(w, r, status, c)
}

// applicantAndChannel settles who applies and how, and checks the uploads:
// a window clerk names the applicant (identified, or recorded as a walk-in);
// the channel defaults to online, or counter for staff.
func (a *API) applicantAndChannel(ctx context.Context, req workflow.Request, in applicationInput) (int64, tongban.Channel, error) {
	u, applicantID, channel := req.Actor, int64(0), in.Channel
	if in.ApplicantIDNumber != "" || in.ApplicantCreditCode != "" {
		applicant, err := a.identifyApplicant(ctx, u, in, req.IP)
		if err != nil {
			return 0, "", err
		}
		applicantID = applicant.ID
	}
	if channel == "" {
		channel = tongban.ChannelOnline
		if u.Kind == tongban.UserStaff {
			channel = tongban.ChannelCounter
		}
	}
	if channel.AtWindow() && applicantID == 0 {
		return 0, "", tongban.FieldError("applicant_id_number", "窗口收件须先核验申请人身份：请填写申请人身份证号或统一社会信用代码")
	}
	return applicantID, channel, a.checkUploads(in.Materials, u.Kind != tongban.UserStaff)
}

// identifyApplicant finds the applicant a window clerk submits for, or
// records one who has no account (一窗受理); identity decides who may.
func (a *API) identifyApplicant(ctx context.Context, u *tongban.User, in applicationInput, ip string) (*tongban.User, error) {
	applicant, _, err := a.Identity.Applicant(ctx, identity.WalkIn{IDNumber: in.ApplicantIDNumber,
		CreditCode: in.ApplicantCreditCode, Name: in.ApplicantName, Phone: in.ApplicantPhone,
		LegalRepName: in.ApplicantLegalRepName}, identity.Request{Actor: u, IP: ip})
	return applicant, err
}

// checkUploads requires every referenced upload to be stored. An applicant
// hands materials in as uploads, so a material they provide needs one;
// staff at a window may record paper they saw.
func (a *API) checkUploads(ms []materialInput, needFile bool) error {
	for i, m := range ms {
		field := func() string { return fmt.Sprintf("materials[%d].blob_hash", i) } // for an error only
		provided := m.Status == "" || m.Status == tongban.MaterialProvided
		switch {
		case m.BlobHash != "" && !a.Blobs.Exists(m.BlobHash):
			return tongban.FieldError(field(), "文件不存在，请重新上传后再提交")
		case m.BlobHash == "" && provided && needFile:
			return tongban.FieldError(field(), "请上传该材料的文件")
		}
	}
	return nil
}

func caseMaterials(ms []materialInput) []tongban.CaseMaterial {
	if ms == nil {
		return nil
	}
	out := make([]tongban.CaseMaterial, len(ms))
	for i, m := range ms {
		out[i] = tongban.CaseMaterial{Key: m.Key, BlobHash: m.BlobHash, Status: m.Status, Claim: strings.TrimSpace(m.Ref),
			Consent: m.Consent, UseReason: strings.TrimSpace(m.Reason)}
	}
	return out
}

// holdsAnywhere reports whether any of u's roles carries perm, in any org;
// the org itself is the workflow's to check.
func holdsAnywhere(u *tongban.User, perm identity.Permission) bool {
	for _, g := range u.Roles {
		if slices.Contains(identity.PermissionsOf(g.Role), perm) {
			return true
		}
	}
	return false
}
