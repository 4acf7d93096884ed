package bundle

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/workflow"
)

// Application is one bundle application: the situation answers, the merged
// form, one material per line of the checklist (keyed by its Need key).
type Application struct {
	BundleID    int64
	Answers     map[string]string
	ApplicantID int64 // at a window, the applicant the clerk identified
	Channel     tongban.Channel
	Form        json.RawMessage
	Materials   []tongban.CaseMaterial
	Delivery    tongban.DeliveryMethod
	// Separate asks for the results one by one instead of together.
	Separate       bool
	IdempotencyKey string
}

// Apply files a bundle application: the parent and one sub-case per
// applicable component, in ONE transaction. Components with no pending
// prerequisite start at once, routed to their departments; the others
// wait with a reserved number. A merged value failing a component's rule,
// a missing material, answers selecting nothing: a clear error, nothing
// written. With an idempotency key a retry returns the first application.
func (s *Service) Apply(ctx context.Context, r workflow.Request, in Application) (*tongban.BundleCase, bool, error) {
	if r.Actor == nil {
		return nil, false, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	if len(in.IdempotencyKey) > 128 {
		return nil, false, tongban.FieldError("idempotency_key", "幂等键不能超过128个字符")
	}
	if !in.Channel.AtWindow() && in.ApplicantID == 0 {
		in.ApplicantID = r.Actor.ID
	}
	if in.IdempotencyKey != "" && in.ApplicantID != 0 {
		if prev, err := s.Store.BundleCaseByIdempotencyKey(ctx, in.ApplicantID, in.IdempotencyKey); err == nil {
			return replay(prev, in)
		}
	}
	bc, err := s.apply(ctx, r, in)
	if err != nil && in.IdempotencyKey != "" && in.ApplicantID != 0 {
		// Two attempts at once: the second meets the first one's key.
		if prev, lerr := s.Store.BundleCaseByIdempotencyKey(ctx, in.ApplicantID, in.IdempotencyKey); lerr == nil {
			return replay(prev, in)
		}
	}
	return bc, false, err
}

func replay(prev *tongban.BundleCase, in Application) (*tongban.BundleCase, bool, error) {
	if prev.BundleID != in.BundleID {
		return nil, false, &tongban.Error{Code: tongban.EConflict, Field: "idempotency_key",
			Message: "该幂等键已用于另一项申请（办件编号 " + prev.Number + "）"}
	}
	return prev, true, nil
}

func (s *Service) apply(ctx context.Context, r workflow.Request, in Application) (*tongban.BundleCase, error) {
	b, err := s.Published(ctx, in.BundleID)
	if err != nil {
		return nil, err
	}
	ls, err := s.Listings(ctx, b)
	if err != nil {
		return nil, err
	}
	cl, err := Tailor(b, ls, in.Answers)
	if err != nil {
		return nil, err
	}
	forms, err := Split(b, cl, in.Form)
	if err != nil {
		return nil, err
	}
	given, err := checkGiven(cl, in.Materials)
	if err != nil {
		return nil, err
	}
	var releases []func()
	release := func() {
		for _, f := range releases {
			f()
		}
	}
	bc := &tongban.BundleCase{BundleID: b.ID, BundleVersion: b.Version, BundleName: b.Name, LeadOrgID: b.LeadOrgID,
		RegionCode: b.RegionCode, Channel: in.Channel, Answers: in.Answers, Materials: given, Delivery: in.Delivery,
		Separate: in.Separate, IdempotencyKey: in.IdempotencyKey}
	if bc.Delivery == "" {
		bc.Delivery = tongban.DeliveryPickup
	}
	if bc.Form, err = compact(in.Form); err != nil {
		return nil, err
	}
	var pending []*workflow.Pending
	var started []*tongban.SubCase
	var comps []*tongban.BundleComponent // of pending
	var claims []waitingClaims
	for _, c := range cl.Components {
		l := ls[c.Key]
		sc := &tongban.SubCase{Component: c.Key, Name: c.Name, ListingID: l.ID, ListingVersion: l.Version,
			OrgID: c.OrgID, OrgName: c.OrgName, Status: tongban.SubWaiting, After: applicableAfter(c, cl)}
		bc.Subs = append(bc.Subs, sc)
		if len(sc.After) > 0 {
			number, giveBack, err := s.Workflow.ReserveNumber(ctx, l.RegionCode)
			if err != nil {
				release()
				return nil, err
			}
			releases = append(releases, giveBack)
			sc.Number = number
			wc, err := s.Workflow.PrepareClaims(ctx, r, workflow.Application{ListingID: l.ID, ListingVersion: l.Version,
				ApplicantID: in.ApplicantID, Channel: in.Channel, Materials: materialsFor(c, cl, given, nil)}, number)
			if err != nil {
				release()
				return nil, named(c, atBundleMaterial(c, cl, given, err))
			}
			if wc != nil {
				claims = append(claims, waitingClaims{sub: sc, comp: c, claims: wc})
			}
			continue
		}
		app := workflow.Application{ListingID: l.ID, ListingVersion: l.Version, ApplicantID: in.ApplicantID,
			Channel: in.Channel, Form: labelled(c, forms[c.Key], nil), Materials: materialsFor(c, cl, given, nil),
			Delivery: deliveryFor(bc.Delivery, l)}
		pd, err := s.Workflow.Prepare(ctx, r, app)
		if err != nil {
			release()
			return nil, named(c, atBundleMaterial(c, cl, given, err))
		}
		releases = append(releases, pd.Release)
		pending, started, comps = append(pending, pd), append(started, sc), append(comps, c)
		sc.Number, sc.Status = pd.Number(), tongban.SubStarted
		bc.ApplicantID, bc.ApplicantName = pd.Applicant().ID, pd.Applicant().Name
	}
	number, giveBack, err := s.Workflow.ReserveNumber(ctx, b.RegionCode)
	if err != nil {
		release()
		return nil, err
	}
	releases = append(releases, giveBack)
	bc.Number = number
	write := func(tx tongban.Store) error {
		for i, pd := range pending {
			c, err := pd.Write(ctx, tx)
			if err != nil {
				return named(comps[i], atBundleMaterial(comps[i], cl, given, err))
			}
			started[i].CaseID = c.ID
		}
		for _, wc := range claims {
			spared, err := wc.claims.Resolve(ctx, tx)
			if err != nil {
				return named(wc.comp, atBundleMaterial(wc.comp, cl, given, err))
			}
			wc.sub.Spared = spared
		}
		now := s.Clock.Now()
		bc.CreatedAt, bc.UpdatedAt = now, now
		if err := tx.CreateBundleCase(ctx, bc); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, ActorID: r.Actor.ID, Actor: r.Actor.Name,
			Action: "bundle_apply", Object: "case:" + bc.Number, IP: r.IP,
			Detail: fmt.Sprintf("%s：%d个事项，%d个即时办理", b.Name, len(bc.Subs), len(pending))})
	}
	err = s.Store.Transact(ctx, write)
	if tongban.LicenceWithdrawn(err) && forgetPrepared(pending, claims) {
		// A licence checked before the transaction was revoked or changed
		// since: checked again inside it, the claim is refused by name.
		err = s.Store.Transact(ctx, write)
	}
	if err != nil {
		// Only a refusal certainly wrote nothing: after a failed commit (a
		// client gone mid-commit) the rows may be stored, numbers and all.
		if workflow.GivesNumberBack(err) {
			release()
		}
		return nil, err
	}
	return bc, nil
}

// named says which component refused, keeping the field.
func named(c *tongban.BundleComponent, err error) error {
	e := tongban.AsError(err)
	if e.Code == tongban.EInternal || e.Code == tongban.EUnavailable {
		return err
	}
	return &tongban.Error{Code: e.Code, Field: e.Field, Message: "「" + componentName(c) + "」：" + e.Message, Err: err}
}

// applicableAfter are the component's prerequisites that apply here.
func applicableAfter(c *tongban.BundleComponent, cl *Checklist) []string {
	var out []string
	for _, a := range c.After {
		if cl.Applies(a) {
			out = append(out, a)
		}
	}
	return out
}

// checkGiven requires one material per checklist line (a missing one is
// named), each known and handed over once.
func checkGiven(cl *Checklist, in []tongban.CaseMaterial) ([]tongban.CaseMaterial, error) {
	byKey := map[string]tongban.CaseMaterial{}
	for i, m := range in {
		m.Key = strings.TrimSpace(m.Key)
		n, ok := cl.Need(m.Key)
		switch {
		case !ok:
			return nil, tongban.FieldError(fmt.Sprintf("materials[%d].key", i), "材料「%s」不在本次一件事的材料清单中", m.Key)
		case byKey[m.Key].Key != "":
			return nil, tongban.FieldError(fmt.Sprintf("materials[%d].key", i), "材料「%s」重复提交", n.Name)
		}
		if m.Status == "" {
			m.Status = tongban.MaterialProvided
		}
		// A reference (e-licence with consent, library entry, shared
		// record) is resolved by the workflow in each sub-case that takes
		// the material, as for a single application; the claim and consent
		// travel with it. Only a resolver sets Ref.
		m.Name, m.Ref, m.Confirmed = n.Name, nil, false
		byKey[m.Key] = m
	}
	out := make([]tongban.CaseMaterial, 0, len(cl.Materials))
	for _, n := range cl.Materials {
		m, ok := byKey[n.Key]
		if !ok {
			return nil, tongban.FieldError("materials", "缺少材料「%s」（%s需要）", n.Name, strings.Join(n.Components, "、"))
		}
		out = append(out, m)
	}
	return out, nil
}

// materialsFor maps the merged materials onto the component's listing
// keys; a paper a prerequisite's result is (resultOf: standard code →
// result number) is recorded as handed over by that result.
func materialsFor(c *tongban.BundleComponent, cl *Checklist, given []tongban.CaseMaterial, resultOf map[string]string) []tongban.CaseMaterial {
	var out []tongban.CaseMaterial
	for _, n := range cl.Materials {
		lk, ok := n.ByListing[c.Key]
		if !ok {
			continue
		}
		for _, m := range given {
			if m.Key == n.Key {
				m.Key, m.Name = lk, ""
				out = append(out, m)
			}
		}
	}
	for _, k := range sortedKeys(resultOf) {
		if lk, ok := cl.fromResult[c.Key][k]; ok {
			out = append(out, tongban.CaseMaterial{Key: lk, Status: tongban.MaterialProvided})
		}
	}
	return out
}

// labelled is the component's own form, keyed by its field labels as its
// department reads them, with the values carried from prerequisites.
func labelled(c *tongban.BundleComponent, values map[string]string, results map[string]string) json.RawMessage {
	out := map[string]string{}
	for _, f := range c.Fields {
		if f.FromResult != "" {
			if v := results[f.FromResult]; v != "" {
				out[f.Label] = v
			}
			continue
		}
		if v := values[f.Key]; v != "" {
			out[f.Label] = v
		}
	}
	data, _ := json.Marshal(out)
	return data
}

// deliveryFor is the applicant's choice where the listing offers it; a
// listing without express hands its result over at the window.
func deliveryFor(d tongban.DeliveryMethod, l *tongban.Listing) tongban.DeliveryMethod {
	if d == tongban.DeliveryExpress && !l.Flags.Express {
		return tongban.DeliveryPickup
	}
	return d
}

func compact(f json.RawMessage) (json.RawMessage, error) {
	if len(strings.TrimSpace(string(f))) == 0 {
		return json.RawMessage(`{}`), nil
	}
	var obj map[string]any
	if err := json.Unmarshal(f, &obj); err != nil || obj == nil {
		return nil, tongban.FieldError("form", "申请表应为 JSON 对象")
	}
	data, _ := json.Marshal(obj)
	return data, nil
}

// forgetPrepared drops what the preparers of the pending cases and of the
// waiting claims read, so that the next transaction resolves every claim
// itself (see workflow.Pending.ForgetPrepared); it reports whether any had.
func forgetPrepared(pending []*workflow.Pending, claims []waitingClaims) bool {
	had := false
	for _, pd := range pending {
		had = pd.ForgetPrepared() || had
	}
	for _, wc := range claims {
		had = wc.claims.ForgetPrepared() || had
	}
	return had
}
