package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/ttlcache"
)

// ListingSource returns a listing as it was at a version; the catalog store
// implements it. Versions are immutable, so the service caches them.
type ListingSource interface {
	ListingVersion(ctx context.Context, listingID int64, version int) (*tongban.Listing, error)
}

// ItemSource returns a base-catalog item: its name for case lists and its
// sector (业务领域) for back-office routing. The catalog store implements it.
type ItemSource interface {
	Item(ctx context.Context, id int64) (*tongban.Item, error)
}

// currentListing is the optional part of a ListingSource that knows the
// current version, so an application may leave the version out.
type currentListing interface {
	ListingCurrentVersion(ctx context.Context, id int64) (int, error)
}

// currentListingWithItem is the optional part of a ListingSource that
// reads the current version and the listing's item together.
type currentListingWithItem interface {
	ListingCurrentVersionWithItem(ctx context.Context, id int64) (int, *tongban.Item, error)
}

// Service runs the case workflow.
type Service struct {
	Store    tongban.Store
	Listings ListingSource
	Items    ItemSource // optional; without it cases are not routed to boards
	Calendar Calendar
	Clock    tongban.Clock
	Log      *slog.Logger // staff reads of cases are logged here; nil = slog.Default()
	// Resolvers check the materials an applicant asks to be spared, by
	// status (e_license, reused, shared); a status without one is refused.
	Resolvers map[tongban.MaterialStatus]MaterialResolver
	// Keeper keeps the files staff confirm (the material library); nil
	// keeps nothing beyond the case.
	Keeper MaterialKeeper
	// Outbox writes each case event (but drafts) to the outbox, for
	// department systems and notifications; on unless configured off.
	Outbox bool
	// Licenses issues the e-licence a listing names as its result, inside
	// the issue transaction; nil refuses to issue such a case.
	Licenses LicenseIssuer
	// Follower hears every case event in its transaction (bundles); nil
	// for none.
	Follower Follower

	listings listingCache                // immutable listing versions; see listingCache
	numbers  numberAllocator             // case numbers, reserved in blocks; see numberAllocator
	inflight inflightKeys                // idempotency keys being submitted here
	orgNames ttlcache.Map[int64, string] // departments' names for data-use records; see OrgNameTTL

	currentListings ttlcache.Map[int64, currentOf]     // listings' current versions for submissions; see CurrentListingTTL
	itemsByID       ttlcache.Map[int64, *tongban.Item] // the items of currentListings, one copy each
}

// New returns a Service. A nil listings reads the catalog from st. If
// listings also implements ItemSource (the catalog store does), it is used
// for items too. cal is typically the server's *calendar.Holder.
func New(st tongban.Store, listings ListingSource, cal Calendar, clock tongban.Clock) *Service {
	if listings == nil {
		listings = st
	}
	s := &Service{Store: st, Listings: listings, Calendar: cal, Clock: clock, Outbox: true}
	if items, ok := listings.(ItemSource); ok {
		s.Items = items
	}
	return s
}

// Request is who acts, from where, and optionally the case version they
// saw (an If-Match): when set, a case changed since is an EConflict.
type Request struct {
	Actor   *tongban.User
	IP      string
	Version int
}

type listingKey struct {
	id      int64
	version int
}

// listing returns the listing version a case applies under.
func (s *Service) listing(ctx context.Context, id int64, version int) (*tongban.Listing, error) {
	if version == 0 {
		cur, ok := s.Listings.(currentListing)
		if !ok {
			return nil, tongban.FieldError("listing_version", "请指明实施清单版本")
		}
		v, err := cur.ListingCurrentVersion(ctx, id)
		if tongban.IsCode(err, tongban.ENotFound) {
			return nil, &tongban.Error{Code: tongban.EInvalid, Field: "listing_id", Message: "实施清单不存在", Err: err}
		}
		if err != nil {
			return nil, err
		}
		version = v
	}
	l, err := s.ListingVersion(ctx, id, version)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, &tongban.Error{Code: tongban.EInvalid, Field: "listing_id", Message: "实施清单不存在", Err: err}
	}
	return l, err
}

// ListingVersion returns a listing as it was at a version, from a bounded
// in-process cache in front of s.Listings. Versions are immutable, so a
// cached one is never stale (see listingCache). The result is shared: do
// not modify it. Errors are the source's (ENotFound for a missing version).
func (s *Service) ListingVersion(ctx context.Context, id int64, version int) (*tongban.Listing, error) {
	k := listingKey{id, version}
	if l, ok := s.listings.get(k); ok {
		return l, nil
	}
	l, err := s.Listings.ListingVersion(ctx, id, version)
	if err != nil {
		return nil, err
	}
	s.listings.put(k, l)
	return l, nil
}

// item returns the listing's item, or nil when no ItemSource is wired.
func (s *Service) item(ctx context.Context, l *tongban.Listing) (*tongban.Item, error) {
	if s.Items == nil || l.ItemID == 0 {
		return nil, nil
	}
	it, err := s.Items.Item(ctx, l.ItemID)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, nil
	}
	return it, err
}

// now is the clock at the precision both engines store.
func (s *Service) now() time.Time { return s.Clock.Now().UTC().Truncate(time.Microsecond) }

// txn is one action in progress: the locked case, what it applies under,
// and the events it will write.
type txn struct {
	s       *Service
	ctx     context.Context
	tx      tongban.Store
	r       Request
	authz   identity.Authorizer
	c       *tongban.Case
	listing *tongban.Listing
	item    *tongban.Item
	proc    Process
	sched   *calendar.Schedule
	now     time.Time
	history []*tongban.CaseEvent // stored events, loaded on demand
	loaded  bool
	pending []*tongban.CaseEvent
	// orgName is the case's department's name when read before the
	// transaction (a submission claiming references), for their records.
	orgName string
	// prepared are the claims' preparers' reads, by material index (see
	// MaterialClaim.Prepared).
	prepared []any
	// holdRecords keeps the records resolveMaterials queues (held) for the
	// new case's insert, which writes them with the case row (commit).
	holdRecords bool
	held        *queuedUses
	// listingCurrent: a new case's insert checks its listing's version
	// and item are still current (prepared.current).
	listingCurrent bool
}

// prepared is what an action reads before its transaction: immutable or
// slow-changing data (the listing version, the item, the calendar), so the
// transaction itself holds its locks briefly.
type prepared struct {
	listing *tongban.Listing
	item    *tongban.Item
	sched   *calendar.Schedule
	// current: the listing's version and its item were read as current,
	// perhaps from memory; a new case's insert checks they still are.
	current bool
}

// prepare reads what an action on a case of listingID at version (0: the
// current one) needs. With remembered, a current version and its item may
// come from memory (rememberedCurrent), and prepared.current says the case's
// insert must find them still current.
func (s *Service) prepare(ctx context.Context, listingID int64, version int, withItem, remembered bool) (*prepared, error) {
	var item *tongban.Item
	current := false
	if src, ok := s.Listings.(currentListingWithItem); ok && version == 0 && withItem && s.Items != nil {
		// One statement for the current version and the item; anything
		// unusual (no such listing, no item) is left to the reads below.
		if remembered {
			if cur, err := s.rememberedCurrent(ctx, src, listingID); err == nil {
				version, item, current = cur.version, cur.item, true
			}
		} else if v, it, err := src.ListingCurrentVersionWithItem(ctx, listingID); err == nil {
			version, item = v, it
		}
	}
	l, err := s.listing(ctx, listingID, version)
	if err != nil {
		return nil, err
	}
	p := &prepared{listing: l, current: current && item != nil && item.ID == l.ItemID}
	if item != nil && item.ID == l.ItemID {
		p.item = item
	} else if withItem {
		if p.item, err = s.item(ctx, l); err != nil {
			return nil, err
		}
	}
	if p.sched, err = s.Calendar.Schedule(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// act runs fn on the locked case in one transaction, then writes the case,
// the events fn recorded and their audit entries.
func (s *Service) act(ctx context.Context, r Request, id int64, withItem bool, fn func(t *txn) error) (*tongban.Case, error) {
	return s.actAfter(ctx, r, id, withItem, nil, fn)
}

// actAfter is act with before run first, outside the transaction, on the
// case as it was read and what was prepared: what must not be taken
// inside the transaction (a licence serial) is taken there.
func (s *Service) actAfter(ctx context.Context, r Request, id int64, withItem bool, before func(c0 *tongban.Case, p *prepared) error, fn func(t *txn) error) (*tongban.Case, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	c0, err := s.Store.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.prepare(ctx, c0.ListingID, c0.ListingVersion, withItem, false)
	if err != nil {
		return nil, err
	}
	if before != nil {
		if err := before(c0, p); err != nil {
			return nil, err
		}
	}
	var out *tongban.Case
	err = s.Store.Transact(ctx, func(raw tongban.Store) error {
		// The action's outbox events (the case's, an issued licence's)
		// are written together at the end, in one statement.
		deferred := outbox.Defer(raw)
		tx := newOrgsOnce(deferred)
		c, err := tx.CaseForUpdate(ctx, id)
		if err != nil {
			return err
		}
		// Who may not see the case learns nothing of it, not even that it
		// changed: permission first, then the version.
		if err := s.canSeeIn(ctx, tx, r.Actor, c, p.listing); err != nil {
			return err
		}
		if r.Version != 0 && r.Version != c.Version {
			return tongban.Errorf(tongban.EConflict, "办件 %s 已被他人更新，请刷新后重试", c.Number)
		}
		t := s.newTxn(ctx, tx, r, c, p)
		if err := fn(t); err != nil {
			return err
		}
		if err := t.commit(false); err != nil {
			return err
		}
		out = t.c
		return deferred.Flush(ctx)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) newTxn(ctx context.Context, tx tongban.Store, r Request, c *tongban.Case, p *prepared) *txn {
	return &txn{s: s, ctx: ctx, tx: tx, r: r, authz: identity.Authorizer{Orgs: tx}, c: c,
		listing: p.listing, item: p.item, proc: ProcessOf(p.listing), sched: p.sched, now: s.now()}
}

// events returns the stored history plus what this action recorded so far.
func (t *txn) events() ([]*tongban.CaseEvent, error) {
	if !t.loaded && t.c.ID != 0 {
		h, err := t.tx.CaseEvents(t.ctx, t.c.ID)
		if err != nil {
			return nil, err
		}
		t.history, t.loaded = h, true
	}
	return append(append([]*tongban.CaseEvent(nil), t.history...), t.pending...), nil
}

// record adds an event for moving the case to state to.
func (t *txn) record(a *actor, action tongban.CaseAction, to tongban.CaseState, reason string, materials []string, visit bool) *tongban.CaseEvent {
	e := &tongban.CaseEvent{CaseID: t.c.ID, At: t.now, ActorID: a.user.ID, ActorName: a.name(), Role: a.role,
		OrgID: a.orgID, Action: action, From: t.c.State, To: to, Step: t.c.Step, Reason: reason,
		Materials: materials, Visit: visit, Facts: startFacts(a, action, to)}
	t.pending = append(t.pending, e)
	t.c.State = to
	return e
}

// pausing actions change the clock; the due date is recomputed after them.
var pausing = map[tongban.CaseAction]bool{
	tongban.ActionAccept: true, tongban.ActionRequestCorrection: true, tongban.ActionSupplement: true,
	tongban.ActionSpecialStart: true, tongban.ActionSpecialEnd: true, tongban.ActionWithdraw: true,
}

// commit writes the case (created or updated), then each event and its
// audit entry. Visits are counted from the same events, in the same
// transaction, so the cached count cannot drift from them.
func (t *txn) commit(create bool) error {
	recompute := false
	for _, e := range t.pending {
		if e.Visit {
			t.c.Visits++
		}
		recompute = recompute || pausing[e.Action]
	}
	if recompute && !t.c.AcceptedAt.IsZero() {
		evs, err := t.events()
		if err != nil {
			return err
		}
		setDeadline(t.sched, t.c, evs)
	}
	t.completeFacts()
	t.c.UpdatedAt = t.now
	held := t.held
	t.held = nil
	if create {
		t.c.CreatedAt = t.now
		rec := tongban.CaseRecords{ListingCurrent: t.listingCurrent}
		if held != nil {
			rec.Consents, rec.Uses = held.consents, held.uses
		}
		if len(t.pending) > 0 {
			rec.Event = t.pending[0] // stored with the case (one statement on PostgreSQL)
		}
		if err := t.tx.CreateCaseRecording(t.ctx, t.c, rec); err != nil {
			return err
		}
	} else {
		if held != nil {
			if err := held.flush(t.ctx); err != nil {
				return err
			}
		}
		if err := t.tx.UpdateCase(t.ctx, t.c); err != nil {
			return err
		}
	}
	for i, e := range t.pending {
		if !create || i > 0 {
			e.CaseID = t.c.ID
			if err := t.tx.AppendCaseEvent(t.ctx, e); err != nil {
				return err
			}
		}
		if err := t.announce(e); err != nil {
			return err
		}
		if t.s.Follower != nil {
			if err := t.s.Follower.Follow(t.ctx, t.tx, t.c, e); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%s→%s", stateName(e.From), e.To.Label())
		if e.Reason != "" {
			detail += " " + e.Reason
		}
		if err := audit.Append(t.ctx, t.tx, &tongban.AuditEntry{At: e.At, ActorID: e.ActorID, Actor: e.ActorName,
			Action: "case_" + string(e.Action), Object: "case:" + t.c.Number, Detail: detail, IP: t.r.IP}); err != nil {
			return err
		}
	}
	t.history, t.pending = append(t.history, t.pending...), nil
	if create || t.loaded {
		t.c.Events = slices.Clone(t.history)
	}
	return nil
}

func stateName(s tongban.CaseState) string {
	if s == "" {
		return "新建"
	}
	return s.Label()
}

// cleanList trims entries and drops empty ones.
func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
