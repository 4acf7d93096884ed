package bundle

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

// NoticeLine is one material of the bundle's single 补正 notice: asked by
// one or more departments, grouped and de-duplicated by the merged
// material (its standard material code).
type NoticeLine struct {
	Key        string   `json:"key"` // the checklist key the applicant supplements under
	Name       string   `json:"name"`
	Reasons    []string `json:"reasons"` // 「部门事项」：理由
	Components []string `json:"components"`
}

// needKey is the checklist line a sub-case's listing material belongs to.
func needKey(cl *Checklist, component, listingKey string) (string, string, bool) {
	for _, n := range cl.Materials {
		if n.ByListing[component] == listingKey {
			return n.Key, n.Name, true
		}
	}
	return "", "", false
}

// Notice gathers the 补正 notices of every sub-case awaiting correction
// into one, a line per material however many departments ask for it.
func Notice(cl *Checklist, subs []SubView) []NoticeLine {
	var out []NoticeLine
	at := map[string]int{}
	for _, sv := range subs {
		if sv.Case == nil || sv.Case.State != tongban.CaseAwaitingCorrection {
			continue
		}
		for _, d := range sv.Case.Corrections {
			key, name, ok := needKey(cl, sv.Component, d.Key)
			if !ok {
				key, name = sv.Component+"/"+d.Key, d.Name
			}
			i, seen := at[key]
			if !seen {
				i = len(out)
				at[key] = i
				out = append(out, NoticeLine{Key: key, Name: name})
			}
			out[i].Reasons = append(out[i].Reasons, "「"+sv.Name+"」："+d.Reason)
			if !slices.Contains(out[i].Components, sv.Name) {
				out[i].Components = append(out[i].Components, sv.Name)
			}
		}
	}
	return out
}

// Supplement (补正) hands in, once, every material of the bundle's notice:
// each sub-case that asked for one gets it, all in one transaction — an
// incomplete supplement changes nothing. Materials are keyed like the
// notice's lines.
func (s *Service) Supplement(ctx context.Context, r workflow.Request, id int64, materials []tongban.CaseMaterial) (*View, error) {
	bc, err := s.Store.BundleCase(ctx, id)
	if err != nil {
		return nil, err
	}
	_, cl, err := s.pinned(ctx, s.Store, bc)
	if err != nil {
		return nil, err
	}
	given := map[string]tongban.CaseMaterial{}
	for i, m := range materials {
		m.Key = strings.TrimSpace(m.Key)
		if _, dup := given[m.Key]; dup {
			return nil, tongban.FieldError(fmt.Sprintf("materials[%d].key", i), "材料「%s」重复提交", m.Key)
		}
		given[m.Key] = m
	}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		ws := s.Workflow.WithTx(tx)
		var subs []SubView
		for _, sc := range bc.Subs {
			if sc.CaseID == 0 {
				continue
			}
			c, err := tx.Case(ctx, sc.CaseID)
			if err != nil {
				return err
			}
			if err := ws.CanSee(ctx, r.Actor, c); err != nil {
				return err
			}
			subs = append(subs, SubView{SubCase: sc, Case: c})
		}
		notice := Notice(cl, subs)
		if len(notice) == 0 {
			return tongban.Errorf(tongban.EConflict, "办件 %s 没有待补正的材料", bc.Number)
		}
		var lacking []string
		for _, line := range notice {
			if _, ok := given[line.Key]; !ok {
				lacking = append(lacking, "「"+line.Name+"」")
			}
		}
		if len(lacking) > 0 {
			return tongban.FieldError("materials", "补正材料不全，还缺%s", strings.Join(lacking, ""))
		}
		for k := range given {
			if !slices.ContainsFunc(notice, func(l NoticeLine) bool { return l.Key == k }) {
				return tongban.FieldError("materials", "材料「%s」不在补正告知中", k)
			}
		}
		for _, sv := range subs {
			if sv.Case.State != tongban.CaseAwaitingCorrection {
				continue
			}
			var ms []tongban.CaseMaterial
			for _, d := range sv.Case.Corrections {
				key, _, ok := needKey(cl, sv.Component, d.Key)
				if !ok {
					key = sv.Component + "/" + d.Key
				}
				m := given[key]
				m.Key, m.Name = d.Key, ""
				ms = append(ms, m)
			}
			if _, err := ws.Supplement(ctx, r, sv.CaseID, ms); err != nil {
				return named(&tongban.BundleComponent{Key: sv.Component, Name: sv.Name}, err)
			}
		}
		// The parent keeps the newest copy of each merged material.
		locked, err := tx.BundleCaseForUpdate(ctx, bc.ID)
		if err != nil {
			return err
		}
		for i, m := range locked.Materials {
			if g, ok := given[m.Key]; ok {
				g.Name = m.Name
				if g.Status == "" {
					g.Status = tongban.MaterialProvided
				}
				g.Ref, g.Confirmed = nil, false
				locked.Materials[i] = g
			}
		}
		locked.UpdatedAt = s.Clock.Now()
		return tx.UpdateBundleCase(ctx, locked)
	})
	if err != nil {
		return nil, err
	}
	if bc, err = s.Store.BundleCase(ctx, id); err != nil {
		return nil, err
	}
	return s.View(ctx, bc)
}

// Handover hands every result over together (one pickup at the unified
// window, one trip; or one express parcel), unless the applicant asked
// for them one by one. Every sub-case must have its result (or decision)
// or have stopped; all are delivered in one transaction.
func (s *Service) Handover(ctx context.Context, r workflow.Request, id int64, in workflow.DeliverInput) (*View, error) {
	bc, err := s.Store.BundleCase(ctx, id)
	if err != nil {
		return nil, err
	}
	if bc.Separate {
		return nil, tongban.Errorf(tongban.EConflict, "申请人选择了分别领取结果，请逐项送达")
	}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		ws := s.Workflow.WithTx(tx)
		var ready []int64
		var waiting []string
		for _, sc := range bc.Subs {
			if sc.Status == tongban.SubStopped {
				continue
			}
			if sc.CaseID == 0 {
				waiting = append(waiting, "「"+sc.Name+"」（"+sc.OrgName+"）")
				continue
			}
			c, err := tx.Case(ctx, sc.CaseID)
			if err != nil {
				return err
			}
			switch c.State {
			case tongban.CaseResultIssued, tongban.CaseDenied:
				ready = append(ready, c.ID)
			case tongban.CaseClosed, tongban.CaseRejected, tongban.CaseWithdrawn:
			default:
				waiting = append(waiting, "「"+sc.Name+"」（"+sc.OrgName+"）")
			}
		}
		if len(waiting) > 0 {
			return tongban.Errorf(tongban.EConflict, "一件事的结果统一送达：%s尚未办结", strings.Join(waiting, ""))
		}
		if len(ready) == 0 {
			return tongban.Errorf(tongban.EConflict, "办件 %s 没有待送达的结果", bc.Number)
		}
		slices.Sort(ready) // lock in id order
		for i, cid := range ready {
			one := in
			one.SameTrip = i > 0
			if _, err := ws.Deliver(ctx, r, cid, one); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if bc, err = s.Store.BundleCase(ctx, id); err != nil {
		return nil, err
	}
	return s.View(ctx, bc)
}
