package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const proposalColumns = `id, listing_id, version, proposed_by, proposed_at, reason, status, decided_by, decided_at, note, action, content`

func (s *Store) CreateListingProposal(ctx context.Context, p *tongban.ListingProposal) error {
	p.Status = tongban.ProposalOpen
	if p.Action == "" {
		p.Action = tongban.ProposeToPublish
	}
	var content []byte
	if p.Proposed != nil {
		var err error
		if content, err = json.Marshal(p.Proposed); err != nil {
			return tongban.Wrap(tongban.EInternal, err, "encode proposed listing")
		}
	}
	err := s.db.ScanReturning(ctx, s.q, []any{&p.ID}, `INSERT INTO listing_proposals (listing_id, version, proposed_by, proposed_at, reason, status,
		action, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, p.ListingID, p.Version, p.ProposedBy,
		utc(p.ProposedAt), p.Reason, string(p.Status), string(p.Action), string(content))
	if sqldb.IsUniqueViolation(err) {
		return tongban.Errorf(tongban.EConflict, "该清单已有待审核的发布申请")
	}
	return classify(err)
}

func scanProposal(sc interface{ Scan(...any) error }) (*tongban.ListingProposal, error) {
	p := &tongban.ListingProposal{}
	var by sql.NullInt64
	var at sql.NullTime
	var status, action, content string
	if err := sc.Scan(&p.ID, &p.ListingID, &p.Version, &p.ProposedBy, &p.ProposedAt, &p.Reason, &status, &by, &at, &p.Note,
		&action, &content); err != nil {
		return nil, err
	}
	p.Action = tongban.ProposalAction(action)
	if content != "" {
		p.Proposed = &tongban.Listing{}
		if err := json.Unmarshal([]byte(content), p.Proposed); err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "decode proposed listing %d", p.ID)
		}
	}
	p.Status, p.DecidedBy, p.DecidedAt = tongban.ProposalStatus(status), by.Int64, at.Time
	return p, nil
}

func (s *Store) OpenListingProposal(ctx context.Context, listingID int64) (*tongban.ListingProposal, error) {
	p, err := scanProposal(s.q.QueryRowContext(ctx, `SELECT `+proposalColumns+` FROM listing_proposals
		WHERE listing_id = $1 AND status = 'open'`, listingID))
	if err != nil {
		return nil, notFound(err, "该清单没有待审核的发布申请")
	}
	return p, nil
}

func (s *Store) ListingProposals(ctx context.Context, f tongban.ProposalFilter) ([]*tongban.ListingProposal, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+proposalColumns+` FROM listing_proposals
		WHERE ($1 = 0 OR listing_id = $1) AND ($2 = '' OR status = $2)
		ORDER BY proposed_at DESC, id DESC LIMIT $3`, f.ListingID, string(f.Status), f.Limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.ListingProposal
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, p)
	}
	return out, classify(rows.Err())
}

func (s *Store) CloseListingProposal(ctx context.Context, id int64, status tongban.ProposalStatus, by int64, at time.Time, note string) error {
	if status == tongban.ProposalOpen || !status.Valid() {
		return tongban.FieldError("status", "发布申请的结果无效：%s", status)
	}
	res, err := s.q.ExecContext(ctx, `UPDATE listing_proposals SET status = $1, decided_by = $2, decided_at = $3, note = $4
		WHERE id = $5 AND status = 'open'`, string(status), by, utc(at), note, id)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "该发布申请已处理或不存在")
	}
	return nil
}
