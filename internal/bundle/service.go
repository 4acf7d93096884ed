package bundle

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// Service keeps bundle definitions and runs bundle applications.
type Service struct {
	Store    tongban.Store
	Workflow *workflow.Service
	Clock    tongban.Clock
}

// New returns a Service.
func New(st tongban.Store, wf *workflow.Service, clock tongban.Clock) *Service {
	return &Service{Store: st, Workflow: wf, Clock: clock}
}

func (s *Service) requireOrg(ctx context.Context, st tongban.Store, r identity.Request, perm identity.Permission, orgID int64) error {
	if r.Actor == nil {
		return nil
	}
	return identity.Authorizer{Orgs: st}.RequireOrg(ctx, r.Actor, perm, orgID)
}

func (s *Service) audit(ctx context.Context, tx tongban.Store, r identity.Request, action, object, detail string) error {
	e := &tongban.AuditEntry{At: s.Clock.Now(), Actor: "系统", Action: action, Object: object, Detail: detail, IP: r.IP}
	if r.Actor != nil {
		e.ActorID, e.Actor = r.Actor.ID, r.Actor.Name
		if r.Actor.Username != "" {
			e.Actor += "(" + r.Actor.Username + ")"
		}
	}
	return audit.Append(ctx, tx, e)
}

func bundleObject(id int64) string { return "bundle:" + strconv.FormatInt(id, 10) }

// resolve fills in what a definition takes from the catalog: the lead
// department, each component's listing, name, department and promised
// days. It returns the component listings' current versions.
func resolve(ctx context.Context, st tongban.Store, b *tongban.Bundle) (Listings, error) {
	var lead *tongban.Org
	var err error
	if b.LeadOrgCode != "" {
		lead, err = st.OrgByCode(ctx, b.LeadOrgCode)
	} else {
		lead, err = st.Org(ctx, b.LeadOrgID)
	}
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, tongban.FieldError("lead_org_code", "牵头部门不存在：%s", b.LeadOrgCode)
	} else if err != nil {
		return nil, err
	}
	b.LeadOrgID, b.LeadOrgCode, b.LeadOrgName, b.RegionCode = lead.ID, lead.Code, lead.Name, lead.RegionCode
	ls := Listings{}
	for i := range b.Components {
		c := &b.Components[i]
		var l *tongban.Listing
		if c.ListingCode != "" {
			l, err = st.ListingByCode(ctx, c.ListingCode)
		} else {
			l, err = st.Listing(ctx, c.ListingID)
		}
		if tongban.IsCode(err, tongban.ENotFound) {
			return nil, tongban.FieldError(fmt.Sprintf("components[%d].listing_code", i), "实施清单不存在：%s", c.ListingCode)
		} else if err != nil {
			return nil, err
		}
		org, err := st.Org(ctx, l.OrgID)
		if err != nil {
			return nil, err
		}
		c.ListingID, c.ListingCode, c.Name, c.OrgID, c.OrgName, c.PromisedDays = l.ID, l.Code, l.Name, org.ID, org.Name, l.PromisedDays
		ls[c.Key] = l
	}
	return ls, nil
}

// Save stores the definition as a draft. A published bundle keeps its
// live version for applicants: the draft waits beside it (Pending) until
// Publish replaces the live version or DiscardDraft drops it. Any other
// bundle gets a new draft version. b.ID 0 creates one.
func (s *Service) Save(ctx context.Context, r identity.Request, b *tongban.Bundle) (*tongban.Bundle, error) {
	return s.save(ctx, r, b, false)
}

// Publish saves the definition and publishes it if it passes the quality
// check; otherwise nothing is written and the error lists every problem.
// It replaces the live version (a new published version) and clears any
// pending draft.
func (s *Service) Publish(ctx context.Context, r identity.Request, b *tongban.Bundle) (*tongban.Bundle, error) {
	return s.save(ctx, r, b, true)
}

func (s *Service) save(ctx context.Context, r identity.Request, in *tongban.Bundle, publish bool) (*tongban.Bundle, error) {
	b := *in
	b.Pending = nil
	b.Code, b.Name = strings.TrimSpace(b.Code), strings.TrimSpace(b.Name)
	if err := b.Validate(); err != nil && !publish {
		return nil, err
	}
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		ls, err := resolve(ctx, tx, &b)
		if err != nil {
			return err
		}
		if err := s.requireOrg(ctx, tx, r, identity.PermCatalogEdit, b.LeadOrgID); err != nil {
			return err
		}
		b.Status, b.PublishedAt = tongban.BundleDraft, timeZero
		if publish {
			if err := s.requireOrg(ctx, tx, r, identity.PermCatalogPublish, b.LeadOrgID); err != nil {
				return err
			}
			if errs := Quality(&b, ls); len(errs) > 0 {
				return qualityError(b.Name, errs)
			}
			b.Status, b.PublishedAt = tongban.BundlePublished, s.Clock.Now()
		}
		var cur *tongban.Bundle
		if b.ID != 0 {
			if cur, err = tx.Bundle(ctx, b.ID); err != nil {
				return err
			}
			if b.Version == 0 {
				b.Version, b.PendingRev = cur.Version, cur.PendingRev
			}
		} else if prev, err := tx.BundleByCode(ctx, b.Code); err == nil {
			// an import of an existing code is its next version
			cur, b.ID, b.Version, b.PendingRev = prev, prev.ID, prev.Version, prev.PendingRev
		} else if !tongban.IsCode(err, tongban.ENotFound) {
			return err
		}
		if !publish && cur != nil && cur.Status == tongban.BundlePublished {
			// Beside the live version, which applicants keep reading:
			// nothing goes offline, so catalog.edit (checked above) is
			// enough; the lead department's as it is now, too.
			if err := s.requireOrg(ctx, tx, r, identity.PermCatalogEdit, cur.LeadOrgID); err != nil {
				return err
			}
			draft := b
			row := *cur
			row.Version, row.PendingRev, row.Pending = b.Version, b.PendingRev, &draft
			if err := tx.SaveBundlePending(ctx, &row); err != nil {
				return err
			}
			b.PendingRev = row.PendingRev
			return s.audit(ctx, tx, r, "bundle_save", bundleObject(b.ID),
				fmt.Sprintf("%s 草稿%d（第%d版仍在发布）", b.Name, b.PendingRev, b.Version))
		}
		b.UpdatedAt = s.Clock.Now()
		if err := tx.SaveBundle(ctx, &b); err != nil {
			return err
		}
		action := "bundle_save"
		if publish {
			action = "bundle_publish"
		}
		return s.audit(ctx, tx, r, action, bundleObject(b.ID), fmt.Sprintf("%s 第%d版 %s", b.Name, b.Version, b.Status.Label()))
	})
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// DiscardDraft drops the draft waiting beside a published bundle; the
// live version stays as it is. version and rev are what the editor
// started from (else EConflict). Like saving the draft, it takes nothing
// offline, so catalog.edit suffices.
func (s *Service) DiscardDraft(ctx context.Context, r identity.Request, id int64, version, rev int) (*tongban.Bundle, error) {
	var out *tongban.Bundle
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		b, err := tx.Bundle(ctx, id)
		if err != nil {
			return err
		}
		if err := s.requireOrg(ctx, tx, r, identity.PermCatalogEdit, b.LeadOrgID); err != nil {
			return err
		}
		if b.Pending == nil {
			return tongban.FieldError("action", "「%s」没有待发布的草稿", b.Name)
		}
		b.Version, b.PendingRev, b.Pending = version, rev, nil
		if err := tx.SaveBundlePending(ctx, b); err != nil {
			return err
		}
		out = b
		return s.audit(ctx, tx, r, "bundle_discard", bundleObject(b.ID), fmt.Sprintf("%s 放弃草稿（第%d版仍在发布）", b.Name, b.Version))
	})
	return out, err
}

// Withdraw takes a published bundle off (a new version, 已撤销).
func (s *Service) Withdraw(ctx context.Context, r identity.Request, id int64) (*tongban.Bundle, error) {
	var out *tongban.Bundle
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		b, err := tx.Bundle(ctx, id)
		if err != nil {
			return err
		}
		if err := s.requireOrg(ctx, tx, r, identity.PermCatalogPublish, b.LeadOrgID); err != nil {
			return err
		}
		b.Status, b.UpdatedAt = tongban.BundleWithdrawn, s.Clock.Now()
		if err := tx.SaveBundle(ctx, b); err != nil {
			return err
		}
		out = b
		return s.audit(ctx, tx, r, "bundle_withdraw", bundleObject(b.ID), b.Name)
	})
	return out, err
}

// qualityError is the check's refusal, every problem named.
func qualityError(name string, errs []*tongban.Error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Message
	}
	return &tongban.Error{Code: tongban.EInvalid, Field: errs[0].Field,
		Message: fmt.Sprintf("「%s」未通过质量检查，有%d项问题——%s", name, len(errs), strings.Join(msgs, "；"))}
}

// Check runs the quality check on a definition without saving it.
func (s *Service) Check(ctx context.Context, b *tongban.Bundle) ([]*tongban.Error, error) {
	c := *b
	ls, err := resolve(ctx, s.Store, &c)
	if err != nil {
		return nil, err
	}
	return Quality(&c, ls), nil
}

// Published returns a published bundle; others are not found to applicants.
func (s *Service) Published(ctx context.Context, id int64) (*tongban.Bundle, error) {
	b, err := s.Store.Bundle(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.Status != tongban.BundlePublished {
		return nil, tongban.Errorf(tongban.ENotFound, "一件事 %d 不存在", id)
	}
	return b, nil
}

// Listings reads the listing versions a bundle's components apply under now.
func (s *Service) Listings(ctx context.Context, b *tongban.Bundle) (Listings, error) {
	ls := Listings{}
	for _, c := range b.Components {
		l, err := s.Store.Listing(ctx, c.ListingID)
		if err != nil {
			return nil, err
		}
		ls[c.Key] = l
	}
	return ls, nil
}

// Checklist tailors a published bundle to the answers.
func (s *Service) Checklist(ctx context.Context, id int64, answers map[string]string) (*tongban.Bundle, *Checklist, error) {
	b, err := s.Published(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ls, err := s.Listings(ctx, b)
	if err != nil {
		return nil, nil, err
	}
	cl, err := Tailor(b, ls, answers)
	return b, cl, err
}

// exported is a definition as a file holds it: listings and the lead
// department by code, nothing the catalog resolves.
func exported(b *tongban.Bundle) tongban.Bundle {
	e := *b
	e.ID, e.LeadOrgID, e.LeadOrgName, e.RegionCode, e.Version, e.UpdatedAt, e.PublishedAt = 0, 0, "", "", 0, timeZero, timeZero
	e.Components = make([]tongban.BundleComponent, len(b.Components))
	for i, c := range b.Components {
		c.ListingID, c.Name, c.OrgID, c.OrgName, c.PromisedDays = 0, "", 0, "", 0
		e.Components[i] = c
	}
	return e
}

// Definition is one bundle as the import file holds it: what an editor
// changes and saves back.
func Definition(b *tongban.Bundle) tongban.Bundle { return exported(b) }

// Export writes every bundle (not withdrawn ones) as a JSON array that
// Import reads back.
func (s *Service) Export(ctx context.Context) ([]byte, error) {
	bs, err := s.Store.Bundles(ctx, tongban.BundleFilter{})
	if err != nil {
		return nil, err
	}
	out := []tongban.Bundle{}
	for _, b := range bs {
		if b.Status != tongban.BundleWithdrawn {
			out = append(out, exported(b))
		}
	}
	return json.MarshalIndent(out, "", "  ")
}

// Import reads a JSON array of definitions and saves each as a new
// version, published when asked and the status says so. Any error writes
// nothing; it names the bundle and the field.
func (s *Service) Import(ctx context.Context, r identity.Request, data []byte, publish bool) (int, error) {
	var in []tongban.Bundle
	if err := json.Unmarshal(data, &in); err != nil {
		return 0, tongban.FieldError("file", "一件事文件应为 JSON 数组：%v", err)
	}
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		sub := &Service{Store: tx, Workflow: s.Workflow, Clock: s.Clock}
		for i := range in {
			b := in[i]
			b.ID, b.Version = 0, 0
			var err error
			if publish && b.Status != tongban.BundleDraft {
				_, err = sub.Publish(ctx, r, &b)
			} else {
				_, err = sub.Save(ctx, r, &b)
			}
			if err != nil {
				e := tongban.AsError(err)
				return &tongban.Error{Code: e.Code, Field: fmt.Sprintf("[%d].%s", i, e.Field),
					Message: fmt.Sprintf("第%d个一件事「%s」：%s", i+1, b.Name, e.Message), Err: err}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(in), nil
}
