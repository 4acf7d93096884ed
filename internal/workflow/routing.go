package workflow

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/tongban/tongban"
)

// Routing (前台综合受理、后台分类审批、统一窗口出件):
//
//   - A case taken at a window (counter, agent) is routed, on acceptance, to
//     the back-office board of its item's sector (投资建设, 市场准入…) in the
//     nearest hall whose region contains the case's region; at equal
//     distance the accepting window's own hall wins. The case stays in its
//     department's queue as well; either may work it.
//   - Online, mobile and kiosk applications go straight to the department.
//   - Results return to the result window a hall designates (统一出件, an
//     attribute of the hall): of the hall the applicant chose to collect at,
//     else of the routed board's hall, else of the accepting window's hall,
//     else of the nearest hall serving the region; failing that, to the
//     accepting window.

// halls returns the halls whose region contains region, nearest first.
func halls(ctx context.Context, tx tongban.Store, region string) ([]*tongban.Org, error) {
	all, err := tx.Orgs(ctx, tongban.OrgFilter{Kind: tongban.OrgHall})
	if err != nil {
		return nil, err
	}
	var out []*tongban.Org
	for _, h := range all {
		if tongban.RegionContains(h.RegionCode, region) {
			out = append(out, h)
		}
	}
	// Deeper region first; Orgs is sorted by region code then id, and a
	// stable sort keeps that order among equals.
	slices.SortStableFunc(out, func(a, b *tongban.Org) int {
		return cmp.Compare(tongban.RegionCodeLevel(b.RegionCode), tongban.RegionCodeLevel(a.RegionCode))
	})
	return out, nil
}

// route picks the board for a case of sector in region accepted at window
// (nil for non-window channels). It returns nil when no board serves it.
func route(ctx context.Context, tx tongban.Store, sector, region string, window *tongban.Org) (*tongban.Org, error) {
	if strings.TrimSpace(sector) == "" {
		return nil, nil
	}
	hs, err := halls(ctx, tx, region)
	if err != nil || len(hs) == 0 {
		return nil, err
	}
	boards, err := tx.Orgs(ctx, tongban.OrgFilter{Kind: tongban.OrgBoard})
	if err != nil {
		return nil, err
	}
	var best *tongban.Org
	bestRank := -1
	for _, b := range boards {
		if b.Sector != sector {
			continue
		}
		for i, h := range hs {
			if b.ParentID != h.ID {
				continue
			}
			// Rank by hall distance, then prefer the window's own hall.
			rank := (len(hs) - i) * 2
			if window != nil && window.ParentID == h.ID {
				rank++
			}
			if rank > bestRank {
				best, bestRank = b, rank
			}
		}
	}
	return best, nil
}

// pickupWindow is the 统一出件 window a result returns to: the result
// window designated by the first of the halls that has one.
func pickupWindow(ctx context.Context, tx tongban.Store, hallIDs []int64) (int64, error) {
	for _, id := range hallIDs {
		if id == 0 {
			continue
		}
		h, err := tx.Org(ctx, id)
		if err != nil {
			return 0, err
		}
		if h.ResultWindowID != 0 {
			return h.ResultWindowID, nil
		}
	}
	return 0, nil
}

// routeOnAccept records the board and the pickup window on an accepted case;
// a pickup window the applicant chose stays.
func (t *txn) routeOnAccept(window *tongban.Org) error {
	var hallIDs []int64
	if window != nil && t.c.Channel.AtWindow() {
		sector := ""
		if t.item != nil {
			sector = t.item.Sector
		}
		board, err := route(t.ctx, t.tx, sector, t.c.RegionCode, window)
		if err != nil {
			return err
		}
		if board != nil {
			t.c.BoardID = board.ID
			hallIDs = append(hallIDs, board.ParentID)
		}
	}
	if window != nil {
		hallIDs = append(hallIDs, window.ParentID)
	}
	hs, err := halls(t.ctx, t.tx, t.c.RegionCode)
	if err != nil {
		return err
	}
	for _, h := range hs {
		hallIDs = append(hallIDs, h.ID)
	}
	if t.c.Delivery.WindowID != 0 {
		return nil
	}
	id, err := pickupWindow(t.ctx, t.tx, hallIDs)
	if err != nil {
		return err
	}
	if id == 0 && window != nil {
		id = window.ID
	}
	t.c.Delivery.WindowID = id
	return nil
}
