package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/outbox"
)

// MaxFormBytes bounds an application form; ~1 KB is typical.
const MaxFormBytes = 64 << 10

// Application is a new application.
type Application struct {
	ListingID      int64
	ListingVersion int // the version the applicant saw; 0 = current, if the source knows it
	// ApplicantID is the applicant a clerk identified at the window; online
	// it may be left 0 and must otherwise be the actor.
	ApplicantID int64
	Channel     tongban.Channel
	Form        json.RawMessage
	Materials   []tongban.CaseMaterial
	Delivery    tongban.DeliveryMethod // "" = pickup
	// PickupHallID is the hall the applicant chose to collect at (就近取件):
	// any hall serving the listing's region, for a 全市通办 listing any hall
	// of the city. 0 leaves it to routing.
	PickupHallID   int64
	IdempotencyKey string // a retried submit with the same key returns the first case
	// resolved are references resolved for this case before it was filed
	// (Claims), set only by PrepareStart.
	resolved []tongban.CaseMaterial
}

// Submit files an application: an applicant online (or by app, kiosk), or a
// clerk at a comprehensive window for an applicant standing there, which is
// the applicant's first visit. With an idempotency key, a retry returns the
// case the first attempt created, never a second one.
func (s *Service) Submit(ctx context.Context, r Request, in Application) (*tongban.Case, error) {
	c, _, err := s.create(ctx, r, in, tongban.ActionSubmit)
	return c, err
}

// SubmitIdempotent is Submit that also reports whether the answer is the
// case an earlier attempt with the same idempotency key created (a replay),
// so a caller need not look the key up itself. Retries arriving while the
// first attempt runs on this server wait for it and replay its case.
func (s *Service) SubmitIdempotent(ctx context.Context, r Request, in Application) (c *tongban.Case, replayed bool, err error) {
	return s.create(ctx, r, in, tongban.ActionSubmit)
}

// SaveDraft keeps an online application unsubmitted; SubmitDraft files it.
func (s *Service) SaveDraft(ctx context.Context, r Request, in Application) (*tongban.Case, error) {
	if in.Channel.AtWindow() {
		return nil, tongban.FieldError("channel", "窗口收件直接提交，不保存草稿")
	}
	c, _, err := s.create(ctx, r, in, tongban.ActionDraft)
	return c, err
}

func (s *Service) create(ctx context.Context, r Request, in Application, action tongban.CaseAction) (*tongban.Case, bool, error) {
	if r.Actor == nil {
		return nil, false, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	switch {
	case !in.Channel.Valid():
		return nil, false, tongban.FieldError("channel", "申请渠道应为 online、counter、mobile、kiosk 或 agent")
	case utf8.RuneCountInString(in.IdempotencyKey) > 128:
		return nil, false, tongban.FieldError("idempotency_key", "幂等键不能超过128个字符")
	}
	applicantID := in.ApplicantID
	if in.Channel.AtWindow() {
		if applicantID == 0 {
			return nil, false, tongban.FieldError("applicant_id", "请先核验申请人身份")
		}
	} else {
		if applicantID == 0 {
			applicantID = r.Actor.ID
		}
		if applicantID != r.Actor.ID {
			return nil, false, tongban.Errorf(tongban.EForbidden, "只能以本人名义提交申请；代他人办理请到窗口或选择代办")
		}
		if r.Actor.Kind == tongban.UserStaff {
			return nil, false, tongban.Errorf(tongban.EForbidden, "工作人员账号不能作为申请人提交申请")
		}
	}
	if in.IdempotencyKey == "" {
		c, err := s.createNew(ctx, r, in, action, applicantID)
		return c, false, err
	}
	defer s.inflight.lock(applicantID, in.IdempotencyKey)()
	c, err := s.createNew(ctx, r, in, action, applicantID)
	if err != nil {
		// Keys are almost always new, so they are not looked up first. A key
		// already used shows as a failure (its unique index, or a rule the
		// first attempt met and this one does not, such as a listing
		// suspended since; or a commit whose answer was lost), and then the
		// first attempt's case, if there is one, is the answer.
		if prev, lerr := s.Store.CaseByIdempotencyKey(ctx, applicantID, in.IdempotencyKey); lerr == nil {
			prev, err = replay(prev, in)
			return prev, true, err
		}
		return nil, false, err
	}
	return c, false, nil
}

// createNew stores a new case (see create).
func (s *Service) createNew(ctx context.Context, r Request, in Application, action tongban.CaseAction, applicantID int64) (*tongban.Case, error) {
	in.ApplicantID = applicantID
	pd, err := s.prepareNew(ctx, r, in, action, "", false, true)
	if err != nil {
		return nil, err
	}
	var out *tongban.Case
	write := func(tx tongban.Store) error {
		c, err := pd.Write(ctx, tx)
		out = c
		return err
	}
	err = s.Store.Transact(ctx, write)
	if tongban.ListingMoved(err) {
		// The listing's version (or its item's name), perhaps from
		// memory, was no longer current at the insert: prepared again
		// from what the database holds now, a suspension is refused and a
		// new version applied under.
		s.forgetCurrent(in.ListingID)
		pd.Release()
		if pd, err = s.prepareNew(ctx, r, in, action, "", false, false); err != nil {
			return nil, err
		}
		err = s.Store.Transact(ctx, write)
	}
	if tongban.LicenceWithdrawn(err) && pd.ForgetPrepared() {
		// A licence checked before the transaction was revoked or changed
		// since: checked again inside it, the claim is refused with its
		// material named (or, for a licence of the type not named, another
		// is found).
		err = s.Store.Transact(ctx, write)
	}
	if GivesNumberBack(err) {
		pd.Release()
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Pending is an application checked, numbered and ready to be written by
// Write in a transaction: a caller that writes several cases with records
// of its own (a bundle's parent and sub-cases) prepares each, then writes
// them all in one transaction, and releases the numbers if it fails.
type Pending struct {
	s         *Service
	r         Request
	in        Application
	action    tongban.CaseAction
	p         *prepared
	applicant *tongban.User
	actor     *actor
	materials []tongban.CaseMaterial
	form      json.RawMessage
	delivery  tongban.DeliveryMethod
	region    string
	pickup    int64
	number    string
	numbered  calendar.Date
	seq       int    // the reserved sequence number, 0 when the number was given
	orgName   string // the department's, when read before the transaction
	prepared  []any  // the claims' preparers' reads (MaterialClaim.Prepared)
	reason    string
	visit     bool
	early     *early // the claims resolved before the transaction (resolve_early.go)
}

// Prepare checks an application as Submit does and takes its number,
// without writing anything; see Pending. in.ApplicantID is required at a
// window and otherwise defaults to the actor.
func (s *Service) Prepare(ctx context.Context, r Request, in Application) (*Pending, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if !in.Channel.Valid() {
		return nil, tongban.FieldError("channel", "申请渠道应为 online、counter、mobile、kiosk 或 agent")
	}
	if in.ApplicantID == 0 {
		if in.Channel.AtWindow() {
			return nil, tongban.FieldError("applicant_id", "请先核验申请人身份")
		}
		in.ApplicantID = r.Actor.ID
	}
	if !in.Channel.AtWindow() {
		if in.ApplicantID != r.Actor.ID {
			return nil, tongban.Errorf(tongban.EForbidden, "只能以本人名义提交申请；代他人办理请到窗口或选择代办")
		}
		if r.Actor.Kind == tongban.UserStaff {
			return nil, tongban.Errorf(tongban.EForbidden, "工作人员账号不能作为申请人提交申请")
		}
	}
	return s.prepareNew(ctx, r, in, tongban.ActionSubmit, "", false, false)
}

// PrepareStart prepares a case the platform files for its applicant,
// under a number reserved earlier (a bundle's sub-case whose
// prerequisites were decided): the applicant is its actor, no window clerk
// is involved and no visit is counted. reason goes on its submit event.
// resolved are the materials Claims resolved for it at application: they
// keep their references, and are not resolved again.
func (s *Service) PrepareStart(ctx context.Context, in Application, number, reason string, resolved []tongban.CaseMaterial) (*Pending, error) {
	applicant, err := s.Store.User(ctx, in.ApplicantID)
	if err != nil {
		return nil, err
	}
	in.ApplicantID, in.PickupHallID, in.IdempotencyKey, in.resolved = applicant.ID, 0, "", resolved
	pd, err := s.prepareNew(ctx, Request{Actor: applicant, IP: "system"}, in, tongban.ActionSubmit, number, true, false)
	if err != nil {
		return nil, err
	}
	pd.reason, pd.visit = reason, false
	return pd, nil
}

// Number is the case number the application will have.
func (pd *Pending) Number() string { return pd.number }

// Applicant is who applies.
func (pd *Pending) Applicant() *tongban.User { return pd.applicant }

// Release gives a reserved number back after the transaction failed.
func (pd *Pending) Release() {
	if pd.seq != 0 {
		pd.s.numbers.giveBack(pd.region, dayKey(pd.numbered), pd.seq)
	}
}

// ReserveNumber takes a case number of the region for a case written
// later, and returns a function that gives it back.
func (s *Service) ReserveNumber(ctx context.Context, region string) (string, func(), error) {
	now := s.Clock.Now()
	numbered := calendar.DateOf(now)
	seq, err := s.numbers.next(ctx, s.Store, now, region, dayKey(numbered))
	if err != nil {
		return "", nil, err
	}
	return FormatNumber(region, numbered, seq), func() { s.numbers.giveBack(region, dayKey(numbered), seq) }, nil
}

// prepareNew does what a submission checks before its transaction; with a
// number given it takes none. byPlatform is a case the platform files for
// its applicant (see PrepareStart): no window clerk, whatever the channel.
// remembered lets the current listing come from memory (see prepare): only
// a caller that prepares again on tongban.ListingMoved passes it.
func (s *Service) prepareNew(ctx context.Context, r Request, in Application, action tongban.CaseAction, number string,
	byPlatform, remembered bool) (*Pending, error) {
	applicantID := in.ApplicantID
	p, err := s.prepare(ctx, in.ListingID, in.ListingVersion, true, remembered)
	if err != nil {
		return nil, err
	}
	l := p.listing
	// An application may name the version its applicant read; the listing
	// must still be open now (a suspension or withdrawal is a new version).
	status, err := s.currentStatus(ctx, l, in.ListingVersion)
	if err != nil {
		return nil, err
	}
	switch {
	case status != tongban.ListingPublished:
		return nil, tongban.Errorf(tongban.EConflict, "「%s」当前%s，暂不接受申请", l.Name, status.Label())
	case !in.Channel.AtWindow() && !byPlatform && l.OnlineDepth == tongban.DepthOnSite:
		return nil, tongban.FieldError("channel", "「%s」须到窗口办理，不能网上申请", l.Name)
	}
	form, err := checkForm(in.Form)
	if err != nil {
		return nil, err
	}
	materials, err := checkMaterials(l, in.Materials)
	if err != nil {
		return nil, err
	}
	carryResolved(materials, in.resolved)
	if byPlatform {
		// Filed inside another case's transaction: a claim not resolved at
		// application cannot be prepared here (a pull writes through the
		// store, see MaterialPreparer).
		for i, m := range materials {
			if m.Status.RefKind() != "" && m.Ref == nil {
				return nil, tongban.FieldError(fmt.Sprintf("materials[%d].status", i), "「%s」未在申请时核验%s，请上传材料", m.Name, m.Status.Label())
			}
		}
	}
	delivery := in.Delivery
	switch {
	case delivery == "":
		delivery = tongban.DeliveryPickup
	case !delivery.Valid():
		return nil, tongban.FieldError("delivery", "送达方式应为 pickup 或 express")
	case delivery == tongban.DeliveryExpress && !l.Flags.Express:
		return nil, tongban.FieldError("delivery", "「%s」不支持快递送达，请到窗口领取", l.Name)
	}

	// The department is read here, not in the transaction, when the region
	// needs it or a claimed reference's data-use record names it (the name
	// alone from memory, see OrgNameTTL).
	region, orgName := l.RegionCode, ""
	claims := slices.ContainsFunc(materials, func(m tongban.CaseMaterial) bool { return m.Status.RefKind() != "" })
	if region == "" {
		org, err := s.Store.Org(ctx, l.OrgID)
		if err != nil {
			return nil, err
		}
		region, orgName = org.RegionCode, org.Name
	} else if claims {
		if orgName, err = s.orgName(ctx, l.OrgID); err != nil {
			return nil, err
		}
	}
	pickupWindow, err := s.chosenPickup(ctx, l, region, delivery, in.PickupHallID)
	if err != nil {
		return nil, err
	}
	// Who applies and who records it are settled before the number is
	// taken, so a refused attempt does not use a number up. These are plain
	// reads, which inside the transaction would take no lock either.
	// Online the applicant is the actor, whom the authenticator loaded from
	// the store for this very request; at a window it is someone else.
	applicant := r.Actor
	if applicantID != r.Actor.ID {
		if applicant, err = s.Store.User(ctx, applicantID); tongban.IsCode(err, tongban.ENotFound) {
			return nil, tongban.FieldError("applicant_id", "申请人账号不存在")
		} else if err != nil {
			return nil, err
		}
	}
	if applicant.Kind != tongban.UserCitizen && applicant.Kind != tongban.UserEnterprise {
		return nil, tongban.FieldError("applicant_id", "申请人须为自然人或法人账号")
	}
	a := &actor{user: applicant, role: tongban.ActorApplicant}
	if in.Channel.AtWindow() && !byPlatform {
		if a, _, err = listingWindowClerk(ctx, s.Store, identity.Authorizer{Orgs: s.Store}, r.Actor, identity.PermCaseAccept, l, region); err != nil {
			return nil, err
		}
	}
	// Claims that need a provider asked (a shared-data pull) are prepared
	// now, outside any transaction.
	prepared, err := s.prepareClaims(ctx, r, &tongban.Case{ListingID: l.ID, ItemName: l.Name, OrgID: l.OrgID, RegionCode: region,
		ApplicantID: applicant.ID, Channel: in.Channel}, l, applicant, materials)
	if err != nil {
		return nil, err
	}
	pd := &Pending{s: s, r: r, in: in, action: action, p: p, applicant: applicant, actor: a, materials: materials,
		form: form, delivery: delivery, region: region, pickup: pickupWindow, number: number, orgName: orgName, prepared: prepared,
		// The applicant at the counter is a visit; an agent (代办) goes for them.
		visit: in.Channel == tongban.ChannelCounter && action == tongban.ActionSubmit}
	if number == "" {
		// The number is taken before the transaction (see numberAllocator): a
		// retried transaction keeps it, a refused one gives it back.
		now := s.Clock.Now()
		pd.numbered = calendar.DateOf(now)
		if pd.seq, err = s.numbers.next(ctx, s.Store, now, region, dayKey(pd.numbered)); err != nil {
			return nil, err
		}
		pd.number = FormatNumber(region, pd.numbered, pd.seq)
	}
	if prepared != nil {
		pd.resolveEarly(ctx, pd.newCase())
	}
	return pd, nil
}

// ForgetPrepared drops what the claims' preparers read before the
// transaction, so that a Write after a refusal (tongban.LicenceWithdrawn)
// resolves every claim inside its transaction. It reports whether there
// was anything to forget.
func (pd *Pending) ForgetPrepared() bool {
	had := pd.prepared != nil || pd.early != nil
	pd.prepared, pd.early = nil, nil
	return had
}

// newCase is the case the application will create, numbered, with the
// materials as applied for.
func (pd *Pending) newCase() *tongban.Case {
	l, in := pd.p.listing, pd.in
	c := &tongban.Case{Number: pd.number, ListingID: l.ID, ListingVersion: l.Version, ItemName: l.Name, ListingName: l.Name,
		OrgID: l.OrgID, RegionCode: pd.region, ApplicantID: pd.applicant.ID, ApplicantName: pd.applicant.Name,
		Channel: in.Channel, Form: pd.form, Materials: slices.Clone(pd.materials), Commitment: hasCommitment(pd.materials),
		Instant: l.CaseType == tongban.CaseInstant || l.PromisedDays == 0, PromisedDays: l.PromisedDays,
		Delivery: tongban.Delivery{Method: pd.delivery, WindowID: pd.pickup}, IdempotencyKey: in.IdempotencyKey}
	if pd.p.item != nil {
		c.ItemName = pd.p.item.Name
	}
	c.NeedsPostCheck = c.Commitment
	return c
}

// Write creates the case and its submission event in tx.
func (pd *Pending) Write(ctx context.Context, tx tongban.Store) (*tongban.Case, error) {
	c := pd.newCase()
	// The case's outbox row is written last, after its audit entry: on
	// PostgreSQL an insert into the outbox holds a lock the publisher's
	// horizon waits out (store.horizonOf), so it is held for the commit alone.
	dtx := outbox.Defer(tx)
	t := pd.s.newTxn(ctx, dtx, pd.r, c, pd.p)
	t.orgName, t.prepared, t.holdRecords, t.listingCurrent = pd.orgName, pd.prepared, true, pd.p.current
	if e := pd.early; e != nil {
		// Resolved before the transaction: written with the case row as
		// resolveMaterials' records are, at the time they were made. A
		// retried transaction writes the same records again.
		c.Materials, t.now = slices.Clone(e.materials), e.now
		t.held = &queuedUses{Store: dtx, uses: slices.Clone(e.records.uses), consents: slices.Clone(e.records.consents)}
	} else if err := t.resolveMaterials(c.Materials); err != nil {
		return nil, err
	}
	to := tongban.CaseSubmitted
	if pd.action == tongban.ActionDraft {
		to = tongban.CaseDraft
	}
	t.record(pd.actor, pd.action, to, pd.reason, keysOf(c.Materials), pd.visit)
	if err := t.commit(true); err != nil {
		return nil, err
	}
	return c, dtx.Flush(ctx)
}

func replay(c *tongban.Case, in Application) (*tongban.Case, error) {
	if c.ListingID != in.ListingID || c.Channel != in.Channel {
		return nil, &tongban.Error{Code: tongban.EConflict, Field: "idempotency_key",
			Message: "该幂等键已用于另一项申请（办件编号 " + c.Number + "）"}
	}
	return c, nil
}

// checkForm accepts a JSON object and stores it compacted. It accepts what
// encoding/json decodes into a map (no number beyond a float64, nothing
// nested deeper than 10000), in one pass that decodes nothing.
func checkForm(f json.RawMessage) (json.RawMessage, error) {
	if len(bytes.TrimSpace(f)) == 0 {
		return json.RawMessage(`{}`), nil
	}
	if len(f) > MaxFormBytes {
		return nil, tongban.FieldError("form", "申请表内容过大，不能超过64KB")
	}
	form, p := CompactForm(f, FormRules{Numbers: true})
	if p.Fault != 0 {
		return nil, tongban.FieldError("form", "申请表应为 JSON 对象")
	}
	return form, nil
}

// DraftEdit changes an unsubmitted application.
type DraftEdit struct {
	Form      json.RawMessage
	Materials []tongban.CaseMaterial
	Delivery  tongban.DeliveryMethod
}

// UpdateDraft replaces a draft's form, materials and delivery choice. A
// draft is not yet a case anyone acts on, so editing it writes no event.
func (s *Service) UpdateDraft(ctx context.Context, r Request, id int64, in DraftEdit) (*tongban.Case, error) {
	if err := s.prepareForCase(ctx, r, id, in.Materials); err != nil {
		return nil, err
	}
	return s.act(ctx, r, id, false, func(t *txn) error {
		if _, err := t.applicant(); err != nil {
			return err
		}
		if t.c.State != tongban.CaseDraft {
			return illegalBecause(t.c, tongban.ActionDraft, "只有草稿可以修改")
		}
		form, err := checkForm(in.Form)
		if err != nil {
			return err
		}
		materials, err := checkMaterials(t.listing, in.Materials)
		if err != nil {
			return err
		}
		if err := t.resolveMaterials(materials); err != nil {
			return err
		}
		switch {
		case in.Delivery == "":
			in.Delivery = tongban.DeliveryPickup
		case !in.Delivery.Valid():
			return tongban.FieldError("delivery", "送达方式应为 pickup 或 express")
		case in.Delivery == tongban.DeliveryExpress && !t.listing.Flags.Express:
			return tongban.FieldError("delivery", "「%s」不支持快递送达，请到窗口领取", t.listing.Name)
		}
		t.c.Form, t.c.Materials, t.c.Delivery.Method = form, materials, in.Delivery
		t.c.Commitment = hasCommitment(materials)
		t.c.NeedsPostCheck = t.c.Commitment
		return nil
	})
}

// SubmitDraft files a saved draft.
func (s *Service) SubmitDraft(ctx context.Context, r Request, id int64) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := t.applicant()
		if err != nil {
			return err
		}
		if err := checkFrom(t.c, tongban.ActionSubmit); err != nil {
			return err
		}
		if t.listing.Status != tongban.ListingPublished {
			return tongban.Errorf(tongban.EConflict, "「%s」当前%s，暂不接受申请", t.listing.Name, t.listing.Status.Label())
		}
		t.record(a, tongban.ActionSubmit, tongban.CaseSubmitted, "", keysOf(t.c.Materials), false)
		return nil
	})
}

// currentStatus is the status of l's listing now: l's own when l is the
// current version (asked for without a version), else the current
// version's, from the version cache.
func (s *Service) currentStatus(ctx context.Context, l *tongban.Listing, asked int) (tongban.ListingStatus, error) {
	cur, ok := s.Listings.(currentListing)
	if asked == 0 || !ok {
		return l.Status, nil
	}
	v, err := cur.ListingCurrentVersion(ctx, l.ID)
	if err != nil || v == l.Version {
		return l.Status, err
	}
	now, err := s.ListingVersion(ctx, l.ID, v)
	if err != nil {
		return "", err
	}
	return now.Status, nil
}

// chosenPickup checks the hall an applicant chose to collect at and returns
// its result window: a hall serving the listing's region (for 全市通办, any
// hall of the city) that designates one.
func (s *Service) chosenPickup(ctx context.Context, l *tongban.Listing, region string, delivery tongban.DeliveryMethod, hallID int64) (int64, error) {
	if hallID == 0 {
		return 0, nil
	}
	if delivery != tongban.DeliveryPickup {
		return 0, tongban.FieldError("pickup_hall_id", "快递送达无需选择领取大厅")
	}
	hall, err := s.Store.Org(ctx, hallID)
	if tongban.IsCode(err, tongban.ENotFound) || err == nil && hall.Kind != tongban.OrgHall {
		return 0, tongban.FieldError("pickup_hall_id", "领取大厅不存在")
	} else if err != nil {
		return 0, err
	}
	served, citywide := servedRegion(l, region)
	if !tongban.RegionContains(hall.RegionCode, served) && !(citywide && tongban.RegionContains(served, hall.RegionCode)) {
		return 0, tongban.FieldError("pickup_hall_id", "「%s」不能在%s领取结果", l.Name, hall.Name)
	}
	if hall.ResultWindowID == 0 {
		return 0, tongban.FieldError("pickup_hall_id", "%s未设出件窗口", hall.Name)
	}
	return hall.ResultWindowID, nil
}
