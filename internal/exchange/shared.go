package exchange

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// DefaultFresh is how old a pulled record may be before a lookup asks
// the provider again.
const DefaultFresh = 10 * time.Minute

// ConsentValidity is how long a consent waits for the case it was given for.
const ConsentValidity = 24 * time.Hour

// Data is shared data (政务信息资源共享): the resource catalog, providers'
// records, consent, and the `shared` resolver. Lookups that must ask a
// provider happen before any transaction (PrepareMaterial, Lookup); the
// resolver only reads what was stored.
type Data struct {
	Store tongban.Store
	Clock tongban.Clock
	Pull  *Puller
	// Fresh is how old a pulled record may be before it is pulled again;
	// 0 = DefaultFresh.
	Fresh time.Duration
	// Local makes records from what Tongban itself holds, by resource
	// code (企业登记信息 from the enterprise accounts).
	Local map[string]LocalSource
}

// LocalSource makes a subject's record of a resource from data Tongban
// holds itself; found is false when it holds none.
type LocalSource interface {
	LocalRecord(ctx context.Context, res *tongban.DataResource, subject string) (data map[string]string, found bool, err error)
}

var (
	_ workflow.MaterialResolver = (*Data)(nil)
	_ workflow.MaterialPreparer = (*Data)(nil)
	_ workflow.ClaimReader      = (*Data)(nil)
	_ workflow.SettledResolver  = (*Data)(nil)
)

// Resources lists the catalog.
func (d *Data) Resources(ctx context.Context) ([]*tongban.DataResource, error) {
	return d.Store.DataResources(ctx)
}

// ResourcesFor lists the resources whose records stand for a material
// for an applicant of the kind: shared ones first, 不予共享 last.
func (d *Data) ResourcesFor(ctx context.Context, st tongban.Store, m tongban.Material, applicant *tongban.User) ([]*tongban.DataResource, error) {
	if m.Standard == "" {
		return nil, nil
	}
	all, err := st.DataResources(ctx)
	if err != nil {
		return nil, err
	}
	var shared, none []*tongban.DataResource
	for _, r := range all {
		if !r.StandsFor(m.Standard) || tongban.SubjectOf(applicant, r.Subject) == "" {
			continue
		}
		if r.Share == tongban.ShareNone {
			none = append(none, r)
		} else {
			shared = append(shared, r)
		}
	}
	return append(shared, none...), nil
}

// resourceFor picks the resource a claim means: the one it names, or the
// first shared one that stands for the material.
func (d *Data) resourceFor(ctx context.Context, st tongban.Store, q workflow.MaterialClaim) (*tongban.DataResource, error) {
	if code := namedResource(q); code != "" {
		// Named: that one row, not the catalog.
		r, err := st.DataResource(ctx, code)
		return checkNamed(q, r, err)
	}
	list, err := d.ResourcesFor(ctx, st, q.Material, q.Applicant)
	if err != nil {
		return nil, err
	}
	code, _, _ := strings.Cut(strings.TrimSpace(q.Claimed.Claim), ":")
	for _, r := range list {
		if code == "" || r.Code == strings.ToUpper(code) {
			if r.Share == tongban.ShareNone {
				return nil, tongban.Errorf(tongban.EInvalid, "「%s」为不予共享资源，不能调取", r.Name)
			}
			return r, nil
		}
	}
	return nil, tongban.Errorf(tongban.EInvalid, "没有可代替该材料的共享数据资源")
}

// namedResource is the resource code the claim names ("GA-HJXX" or
// "GA-HJXX:17"), or "" when it names none or the material has no standard
// material (then no resource stands for it).
func namedResource(q workflow.MaterialClaim) string {
	if code, _, _ := strings.Cut(strings.TrimSpace(q.Claimed.Claim), ":"); code != "" && q.Material.Standard != "" {
		return strings.ToUpper(code)
	}
	return ""
}

// checkNamed is the resource a claim named, read with err, if it may
// spare the material for the applicant.
func checkNamed(q workflow.MaterialClaim, r *tongban.DataResource, err error) (*tongban.DataResource, error) {
	switch {
	case tongban.IsCode(err, tongban.ENotFound):
	case err != nil:
		return nil, err
	case !r.StandsFor(q.Material.Standard) || tongban.SubjectOf(q.Applicant, r.Subject) == "":
	case r.Share == tongban.ShareNone:
		return nil, tongban.Errorf(tongban.EInvalid, "「%s」为不予共享资源，不能调取", r.Name)
	default:
		return r, nil
	}
	return nil, tongban.Errorf(tongban.EInvalid, "没有可代替该材料的共享数据资源")
}

// applicantSubject is the kind of subject the applicant is and their
// number (ID number or credit code); "" for neither.
func applicantSubject(u *tongban.User) (tongban.SubjectKind, string) {
	for _, k := range []tongban.SubjectKind{tongban.SubjectPerson, tongban.SubjectEnterprise} {
		if s := tongban.SubjectOf(u, k); s != "" {
			return k, s
		}
	}
	return "", ""
}

// PrepareMaterial makes sure the applicant's record is stored before the
// submission's transaction: pulled from the provider (or made locally)
// when the stored one is missing or stale. A 有条件 resource is not asked
// for without the applicant's open consent. A claim naming its resource
// reads it with the applicant's stored record in one statement (the
// record only of an 无条件 resource: a 有条件 one's is read after the
// consent is checked).
func (d *Data) PrepareMaterial(ctx context.Context, q workflow.MaterialClaim) (any, error) {
	var res *tongban.DataResource
	var stored *tongban.DataRecord
	var err error
	if code := namedResource(q); code != "" {
		kind, subject := applicantSubject(q.Applicant)
		res, stored, err = q.ReadFrom(d.Store).DataResourceRecord(ctx, code, kind, subject)
		res, err = checkNamed(q, res, err)
	} else {
		res, err = d.resourceFor(ctx, d.Store, q)
	}
	if err != nil {
		return nil, err
	}
	if res.Share == tongban.ShareConditional {
		if _, err := d.Store.OpenConsent(ctx, q.Applicant.ID, res.Code, q.Case.ListingID, q.Now); tongban.IsCode(err, tongban.ENotFound) {
			return nil, consentNeeded(res)
		} else if err != nil {
			return nil, err
		}
	}
	subject := tongban.SubjectOf(q.Applicant, res.Subject)
	if stored == nil {
		if stored, err = d.stored(ctx, res, subject); err != nil {
			return nil, err
		}
	}
	rec, found, err := d.refresh(ctx, res, subject, stored)
	if err != nil || !found || rec.ID == 0 { // a record just made has no id here: the resolver reads it
		return nil, err
	}
	return &sharedFound{res: res, rec: rec}, nil
}

// ClaimKeys names the row PrepareMaterial reads first for a claim naming
// its resource: the resource with the applicant's record.
func (d *Data) ClaimKeys(q workflow.MaterialClaim) []tongban.ClaimKey {
	code := namedResource(q)
	if code == "" {
		return nil
	}
	kind, subject := applicantSubject(q.Applicant)
	return []tongban.ClaimKey{{Resource: code, SubjectKind: kind, Subject: subject}}
}

// sharedFound is the resource and the stored record PrepareMaterial found:
// the resolver uses them rather than read them again in the transaction.
type sharedFound struct {
	res *tongban.DataResource
	rec *tongban.DataRecord
}

// Settled reports whether PrepareMaterial's read settles the claim: a
// resource shared 无条件 and the applicant's record found. A 有条件 one
// uses up a consent, in the transaction.
func (d *Data) Settled(q workflow.MaterialClaim) bool {
	found, _ := q.Prepared.(*sharedFound)
	return found != nil && found.rec != nil && found.res.Share != tongban.ShareConditional
}

func consentNeeded(res *tongban.DataResource) error {
	return tongban.Errorf(tongban.EInvalid, "「%s」为有条件共享资源，须经申请人同意后调取", res.Name)
}

// fetch returns the subject's stored record of the resource, first asking
// the provider (or the local source) when it is missing or older than
// Fresh. found is false when nobody holds one.
func (d *Data) fetch(ctx context.Context, res *tongban.DataResource, subject string) (*tongban.DataRecord, bool, error) {
	stored, err := d.stored(ctx, res, subject)
	if err != nil {
		return nil, false, err
	}
	return d.refresh(ctx, res, subject, stored)
}

// stored is the subject's stored record of the resource, nil if none.
func (d *Data) stored(ctx context.Context, res *tongban.DataResource, subject string) (*tongban.DataRecord, error) {
	stored, err := d.Store.DataRecord(ctx, res.ID, subject)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, nil
	}
	return stored, err
}

// refresh is fetch given the stored record (nil if none).
func (d *Data) refresh(ctx context.Context, res *tongban.DataResource, subject string, stored *tongban.DataRecord) (*tongban.DataRecord, bool, error) {
	var err error
	local := d.Local[res.Code]
	fresh := d.Fresh
	if fresh == 0 {
		fresh = DefaultFresh
	}
	now := d.Clock.Now()
	recent := stored != nil && now.Sub(stored.UpdatedAt) < fresh
	var data map[string]string
	var found bool
	source := "pull"
	switch {
	case res.PullURL != "": // asked of the provider, unless just asked
		if recent && stored.Source == "pull" {
			return stored, true, nil
		}
		if d.Pull == nil {
			return nil, false, tongban.Errorf(tongban.EUnavailable, "未配置共享数据调取")
		}
		data, found, err = d.Pull.Pull(ctx, res, subject)
	case local != nil: // made by Tongban, unless the provider pushed one
		if stored != nil && (stored.Source == "push" || recent) {
			return stored, true, nil
		}
		source = "accounts"
		data, found, err = local.LocalRecord(ctx, res, subject)
	default: // pushed by the provider: what is stored is all there is
		return stored, stored != nil, nil
	}
	if err != nil {
		return nil, false, err
	}
	remove := []string(nil)
	var put []*tongban.DataRecord
	if found {
		if data, err = checkData(res, data, "data"); err != nil {
			return nil, false, tongban.Wrap(tongban.EUnavailable, err, "%s（%s）返回的数据不符合资源目录：%s", res.Name, res.OrgName, tongban.AsError(err).Message)
		}
		put = []*tongban.DataRecord{{Subject: subject, Data: data, Source: source, UpdatedAt: now}}
	} else if stored != nil {
		remove = []string{subject} // the provider no longer holds it
	}
	if err := d.Store.Transact(ctx, func(tx tongban.Store) error {
		_, err := tx.PutDataRecords(ctx, res.ID, put, remove)
		return err
	}); err != nil {
		return nil, false, err
	}
	if !found {
		return nil, false, nil
	}
	return put[0], true, nil
}

// ResolveMaterial checks a claim that a shared-data record replaces the
// material: a resource standing for its standard material, shared, the
// applicant's consent for this case if 有条件 (used up by it), and the
// applicant's record stored. The read goes into the applicant's data-use
// record; the reference is the resource code and record id.
func (d *Data) ResolveMaterial(ctx context.Context, tx tongban.Store, q workflow.MaterialClaim) (*tongban.MaterialRef, error) {
	found, _ := q.Prepared.(*sharedFound)
	var res *tongban.DataResource
	var err error
	if found != nil {
		res = found.res
	} else if res, err = d.resourceFor(ctx, tx, q); err != nil {
		return nil, err
	}
	if res.Share == tongban.ShareConditional {
		c, err := tx.OpenConsent(ctx, q.Applicant.ID, res.Code, q.Case.ListingID, q.Now)
		if tongban.IsCode(err, tongban.ENotFound) {
			return nil, consentNeeded(res)
		} else if err != nil {
			return nil, err
		}
		if err := tx.UseConsent(ctx, c.ID, q.Case.Number, q.Now); err != nil {
			return nil, err
		}
	}
	var rec *tongban.DataRecord
	if found != nil {
		rec = found.rec // stored just before this transaction by PrepareMaterial
	} else {
		rec, err = tx.DataRecord(ctx, res.ID, tongban.SubjectOf(q.Applicant, res.Subject))
	}
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, tongban.Errorf(tongban.EInvalid, "未查到申请人的「%s」，请上传材料", res.Name)
	} else if err != nil {
		return nil, err
	}
	use, err := caseUse(ctx, tx, q, tongban.DataUseSharedLookup)
	if err != nil {
		return nil, err
	}
	use.Resource, use.Fields = res.Code, fieldNames(res, rec)
	use.Reason = fmt.Sprintf("办理「%s」，以%s（%s）的「%s」代替「%s」", q.Case.ItemName, res.OrgName, res.Share.Label(), res.Name, q.Material.Name)
	if err := tx.RecordDataUse(ctx, use); err != nil {
		return nil, err
	}
	return &tongban.MaterialRef{Kind: tongban.RefShared, ID: res.Code + ":" + strconv.FormatInt(rec.ID, 10),
		Note: fmt.Sprintf("来自共享数据「%s」（%s），更新于 %s", res.Name, res.OrgName, rec.UpdatedAt.In(cst()).Format("2006-01-02 15:04"))}, nil
}

// fieldNames are the names of the record's items, in the resource's order.
func fieldNames(res *tongban.DataResource, rec *tongban.DataRecord) []string {
	var out []string
	for _, f := range res.Fields {
		if _, ok := rec.Data[f.Key]; ok {
			out = append(out, f.Name)
		}
	}
	return out
}

// Consent records the applicant's consent to use a 有条件 resource for an
// application of the listing, given online by the applicant or taken at a
// window by a clerk (the applicant signs there). It stays open until a
// case uses it or ConsentValidity passes; the applicant may revoke it.
func (d *Data) Consent(ctx context.Context, r identity.Request, applicant *tongban.User, code string, l *tongban.Listing) (*tongban.Consent, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if r.Actor.ID != applicant.ID {
		if err := (identity.Authorizer{Orgs: d.Store}).Require(r.Actor, identity.PermCaseAccept); err != nil {
			return nil, tongban.Errorf(tongban.EForbidden, "只有申请人本人或窗口工作人员可以登记授权")
		}
	}
	res, err := d.Store.DataResource(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, tongban.FieldError("resource", "数据资源 %s 不存在", code)
	} else if err != nil {
		return nil, err
	}
	if res.Share != tongban.ShareConditional {
		return nil, tongban.FieldError("resource", "「%s」为%s资源，无需授权", res.Name, res.Share.Label())
	}
	now := d.Clock.Now()
	c := &tongban.Consent{SubjectID: applicant.ID, ResourceCode: res.Code, ListingID: l.ID,
		Purpose: "办理「" + l.Name + "」", GrantedAt: now, GrantedBy: r.Actor.ID, ExpiresAt: now.Add(ConsentValidity)}
	if err := d.Store.AddConsent(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// RevokeConsent withdraws the person's consent not yet used by a case.
func (d *Data) RevokeConsent(ctx context.Context, person *tongban.User, id int64) error {
	return d.Store.RevokeConsent(ctx, person.ID, id, d.Clock.Now())
}
