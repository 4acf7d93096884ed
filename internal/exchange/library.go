package exchange

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/workflow"
)

// DefaultLibraryMonths is how long a confirmed copy stays reusable when
// neither the document nor its standard material says otherwise.
const DefaultLibraryMonths = 12

// Library is the applicants' material libraries (材料库). It keeps the files
// staff confirm (a workflow.MaterialKeeper) and checks claims to reuse
// them (the workflow's resolver for the `reused` status).
type Library struct {
	Store tongban.Store
	Clock tongban.Clock
	// DefaultMonths is the validity of a confirmed copy whose document and
	// standard material name none; 0 = DefaultLibraryMonths.
	DefaultMonths int
}

var (
	_ workflow.MaterialKeeper   = (*Library)(nil)
	_ workflow.MaterialResolver = (*Library)(nil)
	_ workflow.MaterialPreparer = (*Library)(nil)
	_ workflow.ClaimReader      = (*Library)(nil)
	_ workflow.SettledResolver  = (*Library)(nil)
)

// KeepConfirmed puts every confirmed file whose material is a reusable
// standard material into the applicant's library. The same file confirmed
// again for the same standard material extends its entry instead of
// adding one.
func (l *Library) KeepConfirmed(ctx context.Context, tx tongban.Store, c workflow.Confirmation) error {
	for _, m := range c.Materials {
		if m.Material.Standard == "" {
			continue
		}
		sm, err := tx.StandardMaterial(ctx, m.Material.Standard)
		if tongban.IsCode(err, tongban.ENotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if !sm.Reusable {
			continue
		}
		e := &tongban.LibraryEntry{OwnerID: c.Case.ApplicantID, Standard: sm.Code, Name: m.Held.Name,
			BlobHash: m.Held.BlobHash, ValidUntil: l.validUntil(c.Now, sm, m.ValidUntil), CaseID: c.Case.ID,
			CaseNumber: c.Case.Number, MaterialKey: m.Held.Key, ConfirmedBy: c.By.ID, ConfirmedOrg: c.OrgName,
			ConfirmedAt: c.Now}
		have, err := tx.LibraryEntries(ctx, e.OwnerID, e.Standard, "")
		if err != nil {
			return err
		}
		var same *tongban.LibraryEntry
		for _, h := range have {
			if h.BlobHash == e.BlobHash {
				same = h
				break
			}
		}
		if same == nil {
			if err := tx.AddLibraryEntry(ctx, e); err != nil {
				return err
			}
			continue
		}
		e.ID = same.ID
		e.ValidUntil = max(e.ValidUntil, same.ValidUntil)
		if err := tx.ExtendLibraryEntry(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// validUntil is the last day a copy confirmed now may be reused: the
// standard material's reuse period (or the default) from today, but never
// past the document's own expiry; a document with an expiry and a standard
// material without a period of its own is good until that expiry.
func (l *Library) validUntil(now time.Time, sm *tongban.StandardMaterial, own string) string {
	today := calendar.DateOf(now)
	months := sm.ValidMonths
	if months == 0 && own != "" {
		return own
	}
	if months == 0 {
		months = l.DefaultMonths
	}
	if months == 0 {
		months = DefaultLibraryMonths
	}
	until := calendar.NewDate(today.Year(), today.Month()+time.Month(months), today.Day()).String()
	if own != "" && own < until {
		return own
	}
	return until
}

// PrepareMaterial finds and checks the claimed entry before the
// submission's transaction, so that the transaction does not read it (on
// SQLite every statement in it holds the one writer). An entry found
// usable here is used as read: its owner, standard material and file
// never change, an extension only lengthens it, and one deleted or
// expiring after this read is as if the submission came just before —
// the case keeps its copy either way. Any doubt is left to the resolver,
// which then reads and checks in the transaction: nothing is refused here.
func (l *Library) PrepareMaterial(ctx context.Context, q workflow.MaterialClaim) (any, error) {
	if l.Store == nil {
		return nil, nil
	}
	e, err := l.entry(ctx, q.ReadFrom(l.Store), q)
	if err != nil {
		return nil, nil
	}
	return &libraryFound{e: e, day: calendar.DateOf(q.Now).String()}, nil
}

// ClaimKeys names the entry PrepareMaterial reads for a claim naming one
// by its number.
func (l *Library) ClaimKeys(q workflow.MaterialClaim) []tongban.ClaimKey {
	id, err := strconv.ParseInt(strings.TrimSpace(q.Claimed.Claim), 10, 64)
	if l.Store == nil || q.Material.Standard == "" || err != nil || id <= 0 {
		return nil
	}
	return []tongban.ClaimKey{{LibraryEntry: id}}
}

// libraryFound is the entry PrepareMaterial found usable on day.
type libraryFound struct {
	e   *tongban.LibraryEntry
	day string
}

// ResolveMaterial checks a claim to reuse a library entry for a material:
// the entry (the one claimed, or else the newest valid one) must be the
// applicant's, not deleted, still valid and of the material's standard
// material. The use is recorded in the applicant's data-use record.
func (l *Library) ResolveMaterial(ctx context.Context, tx tongban.Store, q workflow.MaterialClaim) (*tongban.MaterialRef, error) {
	var e *tongban.LibraryEntry
	if found := foundStill(q); found != nil {
		e = found.e
	} else {
		var err error
		if e, err = l.entry(ctx, tx, q); err != nil {
			return nil, err
		}
	}
	use, err := caseUse(ctx, tx, q, tongban.DataUseLibrary)
	if err != nil {
		return nil, err
	}
	use.Resource, use.Fields = e.Standard, []string{e.Name}
	use.Reason = fmt.Sprintf("办理「%s」，复用材料库中于 %s 号办件确认的「%s」", q.Case.ItemName, e.CaseNumber, e.Name)
	if err := tx.RecordDataUse(ctx, use); err != nil {
		return nil, err
	}
	return &tongban.MaterialRef{Kind: tongban.RefLibrary, ID: strconv.FormatInt(e.ID, 10),
		Note: fmt.Sprintf("来自材料库，于 %s 号办件中确认", e.CaseNumber), File: e.BlobHash}, nil
}

// Settled reports whether the entry PrepareMaterial found is used as read
// (see there): then resolving reads nothing.
func (l *Library) Settled(q workflow.MaterialClaim) bool { return foundStill(q) != nil }

// foundStill is the entry PrepareMaterial found, if found today for this
// applicant and material; nil else.
func foundStill(q workflow.MaterialClaim) *libraryFound {
	found, _ := q.Prepared.(*libraryFound)
	if found != nil && found.day == calendar.DateOf(q.Now).String() &&
		found.e.OwnerID == q.Applicant.ID && found.e.Standard == q.Material.Standard {
		return found
	}
	return nil
}

// entry is the library entry the claim means, checked usable on q.Now's
// day: the one it names, or the applicant's newest valid one.
func (l *Library) entry(ctx context.Context, st tongban.Store, q workflow.MaterialClaim) (*tongban.LibraryEntry, error) {
	code := q.Material.Standard
	if code == "" {
		return nil, tongban.Errorf(tongban.EInvalid, "该材料未关联标准材料，不能从材料库复用")
	}
	today := calendar.DateOf(q.Now).String()
	var e *tongban.LibraryEntry
	if claim := strings.TrimSpace(q.Claimed.Claim); claim != "" {
		id, err := strconv.ParseInt(claim, 10, 64)
		if err != nil || id <= 0 {
			return nil, tongban.Errorf(tongban.EInvalid, "材料库编号无效")
		}
		e, err = st.LibraryEntry(ctx, id)
		switch {
		case tongban.IsCode(err, tongban.ENotFound) || (err == nil && e.OwnerID != q.Applicant.ID):
			return nil, tongban.Errorf(tongban.EInvalid, "申请人的材料库中没有该材料")
		case err != nil:
			return nil, err
		case !e.DeletedAt.IsZero():
			return nil, tongban.Errorf(tongban.EInvalid, "该材料已从材料库删除")
		case e.Standard != code:
			return nil, tongban.Errorf(tongban.EInvalid, "材料库中的「%s」不是本事项要求的材料", e.Name)
		case !e.ValidOn(today):
			return nil, tongban.Errorf(tongban.EInvalid, "材料库中的「%s」已于 %s 过期，请重新提交", e.Name, e.ValidUntil)
		}
	} else {
		list, err := st.LibraryEntries(ctx, q.Applicant.ID, code, today)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, tongban.Errorf(tongban.EInvalid, "申请人的材料库中没有有效的该项材料")
		}
		e = list[0]
	}
	return e, nil
}

// Entries lists the applicant's library, newest first, expired ones too.
func (l *Library) Entries(ctx context.Context, owner *tongban.User) ([]*tongban.LibraryEntry, error) {
	return l.Store.LibraryEntries(ctx, owner.ID, "", "")
}

// Offers returns, per material key, the applicant's newest valid library
// entry of the material's standard material, for the application form to
// offer with one click.
func (l *Library) Offers(ctx context.Context, owner *tongban.User, materials []tongban.Material) (map[string]*tongban.LibraryEntry, error) {
	out := map[string]*tongban.LibraryEntry{}
	if owner == nil {
		return out, nil
	}
	today := calendar.DateOf(l.Clock.Now()).String()
	var entries []*tongban.LibraryEntry
	loaded := false
	for _, m := range materials {
		if m.Standard == "" {
			continue
		}
		if !loaded {
			var err error
			if entries, err = l.Store.LibraryEntries(ctx, owner.ID, "", today); err != nil {
				return nil, err
			}
			loaded = true
		}
		for _, e := range entries {
			if e.Standard == m.Standard {
				out[m.Key] = e
				break
			}
		}
	}
	return out, nil
}

// Delete removes an entry from the owner's library. Cases that used it
// keep their copy; it is offered no more.
func (l *Library) Delete(ctx context.Context, owner *tongban.User, id int64) error {
	if owner == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	return l.Store.DeleteLibraryEntry(ctx, owner.ID, id, l.Clock.Now())
}
