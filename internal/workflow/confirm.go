package workflow

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// MaterialConfirmation is staff's 审核通过 of one material the case holds as
// a file: it is the document it claims to be, legible and in force.
type MaterialConfirmation struct {
	Key string `json:"key"`
	// ValidUntil (YYYY-MM-DD) is the document's own expiry where it shows
	// one (an ID card's 有效期限, a lease's end); "" = the default validity.
	ValidUntil string `json:"valid_until,omitempty"`
}

// ConfirmedMaterial is one material staff confirmed, as a MaterialKeeper
// hears of it.
type ConfirmedMaterial struct {
	Material   tongban.Material     // as the listing asks it: name, standard material
	Held       tongban.CaseMaterial // as the case holds it: the file
	ValidUntil string               // the document's own expiry, or ""
}

// Confirmation is one 审核通过 action: who confirmed what in which case.
type Confirmation struct {
	Case      *tongban.Case
	By        *tongban.User
	OrgName   string // the department or window the staff member acted from
	Materials []ConfirmedMaterial
	Now       time.Time
}

// MaterialKeeper keeps what staff confirmed — the applicant's material
// library (internal/exchange). It runs inside the action's transaction.
type MaterialKeeper interface {
	KeepConfirmed(ctx context.Context, tx tongban.Store, c Confirmation) error
}

// ConfirmMaterials records staff's 审核通过 of provided files: the front
// desk before or at acceptance, the back office during review. Each one
// must be a file the case holds and not yet confirmed; each enters the
// applicant's material library (Service.Keeper), so it need not be
// handed over again.
func (s *Service) ConfirmMaterials(ctx context.Context, r Request, id int64, items []MaterialConfirmation) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := firstOf(t.frontDeskOnly, t.backOffice)
		if err != nil {
			return err
		}
		if err := checkFrom(t.c, tongban.ActionConfirmMaterials); err != nil {
			return err
		}
		if len(items) == 0 {
			return tongban.FieldError("items", "请选择审核通过的材料")
		}
		return t.confirm(a, items, "items")
	})
}

// confirm marks the materials confirmed, records the event and hands them
// to the keeper; field names the input list in errors.
func (t *txn) confirm(a *actor, items []MaterialConfirmation, field string) error {
	today := calendar.DateOf(t.now).String()
	seen := map[string]bool{}
	var done []ConfirmedMaterial
	var keys, names []string
	for i, it := range items {
		f := fmt.Sprintf("%s[%d]", field, i)
		key := strings.TrimSpace(it.Key)
		cm, ok := t.c.Material(key)
		lm, _ := t.listing.Material(key)
		switch {
		case !ok:
			return tongban.FieldError(f+".key", "办件中没有材料「%s」", key)
		case seen[key]:
			return tongban.FieldError(f+".key", "「%s」重复", cm.Name)
		case cm.Status != tongban.MaterialProvided || cm.BlobHash == "":
			return tongban.FieldError(f+".key", "「%s」不是申请人提交的文件，无需审核确认", cm.Name)
		case cm.Confirmed:
			return tongban.FieldError(f+".key", "「%s」已审核通过", cm.Name)
		}
		seen[key] = true
		until := strings.TrimSpace(it.ValidUntil)
		if until != "" {
			d, err := calendar.ParseDate(until)
			switch {
			case err != nil:
				return tongban.FieldError(f+".valid_until", "有效期应为 YYYY-MM-DD 格式的日期")
			case d.String() < today:
				return tongban.FieldError(f+".valid_until", "「%s」已于 %s 过期，不能审核通过", cm.Name, d)
			}
			until = d.String()
		}
		cm.Confirmed = true
		setMaterial(t.c, cm)
		done = append(done, ConfirmedMaterial{Material: lm, Held: cm, ValidUntil: until})
		keys = append(keys, key)
		names = append(names, "「"+cm.Name+"」")
	}
	t.record(a, tongban.ActionConfirmMaterials, t.c.State, "审核通过"+strings.Join(names, ""), keys, false)
	if t.s.Keeper == nil {
		return nil
	}
	org := ""
	if a.orgID != 0 {
		o, err := t.tx.Org(t.ctx, a.orgID)
		if err != nil {
			return err
		}
		org = o.Name
	}
	return t.s.Keeper.KeepConfirmed(t.ctx, t.tx, Confirmation{Case: t.c, By: a.user, OrgName: org, Materials: done, Now: t.now})
}
