package rating

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// DeviceEncounterWindow is how long after a visit the window's device
// still offers it for rating: the applicant rates while at the window.
const DeviceEncounterWindow = 2 * time.Hour

// HashDeviceToken is what the store keeps of a device token.
func HashDeviceToken(token string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(h[:])
}

// mayManageDevices: the window's own clerks (who set the tablet up) and
// whoever manages the org.
func (s *Service) mayManageDevices(ctx context.Context, st tongban.Store, u *tongban.User, windowID int64) error {
	a := s.authz(st)
	if a.RequireOrg(ctx, u, identity.PermCaseAccept, windowID) == nil || a.RequireOrg(ctx, u, identity.PermOrgManage, windowID) == nil {
		return nil
	}
	return tongban.Errorf(tongban.EForbidden, "只有该窗口的工作人员或机构管理员能管理其评价器")
}

// IssueDevice registers a rating device for a window and returns it with
// its token, shown once: only its hash is kept.
func (s *Service) IssueDevice(ctx context.Context, r identity.Request, windowID int64, label string) (*tongban.WindowDevice, string, error) {
	u := r.Actor
	if u == nil {
		return nil, "", tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	label = strings.TrimSpace(label)
	if label == "" || utf8.RuneCountInString(label) > 50 {
		return nil, "", tongban.FieldError("label", "请填写评价器名称（不超过50字），如“3号窗口评价器”")
	}
	org, err := s.Store.Org(ctx, windowID)
	if err != nil || org.Kind != tongban.OrgWindow {
		return nil, "", tongban.FieldError("window_id", "请选择办事窗口")
	}
	if err := s.mayManageDevices(ctx, s.Store, u, windowID); err != nil {
		return nil, "", err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", tongban.Wrap(tongban.EInternal, err, "生成评价器令牌失败")
	}
	token := hex.EncodeToString(raw)
	d := &tongban.WindowDevice{WindowID: windowID, Label: label, TokenHash: HashDeviceToken(token), IssuedBy: u.ID, IssuedAt: s.Clock.Now()}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateWindowDevice(ctx, d); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: d.IssuedAt, ActorID: u.ID, Actor: u.Name, Action: "rating.device.issue",
			Object: "window_device:" + strconv.FormatInt(d.ID, 10), Detail: org.Name + " " + label, IP: r.IP})
	})
	if err != nil {
		return nil, "", err
	}
	return d, token, nil
}

// RevokeDevice stops a device: its token is refused from then on.
func (s *Service) RevokeDevice(ctx context.Context, r identity.Request, id int64) error {
	u := r.Actor
	if u == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	return s.Store.Transact(ctx, func(tx tongban.Store) error {
		d, err := tx.WindowDevice(ctx, id)
		if err != nil {
			return err
		}
		if err := s.mayManageDevices(ctx, tx, u, d.WindowID); err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := tx.RevokeWindowDevice(ctx, id, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, ActorID: u.ID, Actor: u.Name, Action: "rating.device.revoke",
			Object: "window_device:" + strconv.FormatInt(id, 10), Detail: d.Label, IP: r.IP})
	})
}

// Devices lists the devices of the windows given that u may manage.
func (s *Service) Devices(ctx context.Context, r identity.Request, windowIDs []int64) ([]*tongban.WindowDevice, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	var mine []int64
	for _, id := range windowIDs {
		if s.mayManageDevices(ctx, s.Store, r.Actor, id) == nil {
			mine = append(mine, id)
		}
	}
	return s.Store.WindowDevices(ctx, mine)
}

// Device is the registered, unrevoked device whose token this is.
func (s *Service) Device(ctx context.Context, token string) (*tongban.WindowDevice, error) {
	if strings.TrimSpace(token) == "" {
		return nil, tongban.Errorf(tongban.EUnauthorized, "本评价器尚未登记，请工作人员在控制台签发令牌后配对")
	}
	d, err := s.Store.WindowDeviceByToken(ctx, HashDeviceToken(token))
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, tongban.Errorf(tongban.EUnauthorized, "评价器令牌无效，请工作人员重新签发")
	}
	if err != nil {
		return nil, err
	}
	if !d.RevokedAt.IsZero() {
		return nil, tongban.Errorf(tongban.EUnauthorized, "本评价器已停用，请工作人员重新签发令牌")
	}
	return d, nil
}

// WindowEncounter is what a window's device shows: the window's latest
// visit, not yet rated, with the clerk's name masked.
type WindowEncounter struct {
	Event      *tongban.CaseEvent
	Case       *tongban.Case
	ClerkName  string // masked
	WindowName string
}

// CurrentEncounter is the window's latest in-person visit within
// DeviceEncounterWindow that is not rated yet; nil when there is none.
func (s *Service) CurrentEncounter(ctx context.Context, d *tongban.WindowDevice) (*WindowEncounter, error) {
	e, err := s.Store.LastVisitAt(ctx, d.WindowID, s.Clock.Now().Add(-DeviceEncounterWindow))
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c, err := s.Store.Case(ctx, e.CaseID)
	if err != nil {
		return nil, err
	}
	if _, err := s.Store.RatingOf(ctx, c.ID, strconv.FormatInt(e.ID, 10)); err == nil {
		return nil, nil // rated already
	} else if !tongban.IsCode(err, tongban.ENotFound) {
		return nil, err
	}
	// The event's actor name carries the username; the tablet shows the
	// person's name, masked, as the pages do.
	name, _, _ := strings.Cut(e.ActorName, "(")
	if u, err := s.Store.User(ctx, e.ActorID); err == nil {
		name = u.Name
	}
	w := &WindowEncounter{Event: e, Case: c, ClerkName: tongban.MaskName(name)}
	if org, err := s.Store.Org(ctx, d.WindowID); err == nil {
		w.WindowName = org.Name
	}
	return w, nil
}

// RateAtWindow records, through the window_device channel, the rating the
// applicant at the window gives of its current encounter: the device
// proves the channel and the encounter, and the rater is the case's
// applicant, who stands there. Any other encounter is refused: a device
// rates only what its window is serving now, once.
func (s *Service) RateAtWindow(ctx context.Context, d *tongban.WindowDevice, encounter string, in Input) (*Rated, error) {
	cur, err := s.CurrentEncounter(ctx, d)
	if err != nil {
		return nil, err
	}
	if cur == nil || strconv.FormatInt(cur.Event.ID, 10) != encounter {
		return nil, tongban.Errorf(tongban.EConflict, "该次服务已评价，或窗口已开始新的服务，请在评价器上重新评价")
	}
	in.Encounter, in.Channel, in.Link, in.FromClient = encounter, tongban.RatingWindowDevice, "", false
	return s.submit(ctx, cur.Case, cur.Case.ApplicantID, in)
}
