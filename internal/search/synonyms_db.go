package search

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// SavedSynonyms is the synonym list in force, as an admin wrote it.
type SavedSynonyms struct {
	ID      int64 // 0: nobody saved one yet; Text is the shipped default
	Text    string
	SavedBy int64
	SavedAt time.Time
}

// MaxSynonymsText bounds a saved list (the default is a few KB).
const MaxSynonymsText = 256 << 10

// AuditSynonyms is the audit action of a synonym save.
const AuditSynonyms = "search_synonyms"

// Synonyms returns the synonym list in force.
func (s *Syncer) Synonyms(ctx context.Context) (*SavedSynonyms, error) {
	var out SavedSynonyms
	var by sql.NullInt64
	err := s.DB.QueryRowContext(ctx, `SELECT id, rules, saved_by, saved_at FROM search_synonyms ORDER BY id DESC LIMIT 1`).
		Scan(&out.ID, &out.Text, &by, &out.SavedAt)
	switch {
	case err == sql.ErrNoRows:
		return &SavedSynonyms{Text: defaultSynonymsText}, nil
	case err != nil:
		return nil, tongban.Wrap(tongban.EUnavailable, err, "读取同义词失败")
	}
	out.SavedBy = by.Int64
	return &out, nil
}

// SaveSynonyms checks and stores a new synonym list (the synonyms.txt form)
// and puts it in force here at once; other app servers pick it up at their
// next poll. The whole city's search depends on it, so it takes the
// publishing permission.
func (s *Syncer) SaveSynonyms(ctx context.Context, r identity.Request, text string) error {
	if r.Actor == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if err := (identity.Authorizer{Orgs: s.Store}).Require(r.Actor, identity.PermCatalogPublish); err != nil {
		return err
	}
	if len(text) > MaxSynonymsText {
		return tongban.FieldError("synonyms", "同义词表不能超过 %d KB", MaxSynonymsText>>10)
	}
	rules, err := ParseSynonyms(strings.NewReader(text))
	if err != nil {
		return err
	}
	if len(rules) == 0 {
		return tongban.FieldError("synonyms", "同义词表不能为空；要恢复默认，请点“恢复默认”")
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var id int64
	err = s.DB.QueryRowContext(ctx, `INSERT INTO search_synonyms (rules, saved_by, saved_at) VALUES ($1, $2, $3) RETURNING id`,
		text, r.Actor.ID, utc(now)).Scan(&id)
	if err != nil {
		return tongban.Wrap(tongban.EUnavailable, err, "保存同义词失败")
	}
	s.Index.SetSynonyms(rules)
	s.synID = id
	// The row itself records who saved what; the audit entry follows it
	// (the two live in different transactions), so a failure here is
	// reported but the list stays in force.
	e := &tongban.AuditEntry{At: now, ActorID: r.Actor.ID, Actor: r.Actor.Name, Action: AuditSynonyms,
		Object: "search_synonyms:" + itoa64(id), Detail: "保存搜索同义词（" + itoa64(int64(len(rules))) + "个词）", IP: r.IP}
	if r.Actor.Username != "" {
		e.Actor += "(" + r.Actor.Username + ")"
	}
	return audit.Append(ctx, s.Store, e)
}

// loadSynonyms installs the newest saved list if it is not in force yet; a
// list that no longer parses (saved by an older version) is logged and the
// one in force kept.
func (s *Syncer) loadSynonyms(ctx context.Context) error {
	var newest int64
	err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM search_synonyms`).Scan(&newest)
	if err != nil {
		return tongban.Wrap(tongban.EUnavailable, err, "读取同义词失败")
	}
	if newest == s.synID {
		return nil
	}
	saved, err := s.Synonyms(ctx)
	if err != nil {
		return err
	}
	rules, err := ParseSynonyms(strings.NewReader(saved.Text))
	if err != nil {
		s.Log.Warn("搜索同义词无法解析，继续使用原来的", "id", saved.ID, "err", err)
	} else {
		s.Index.SetSynonyms(rules)
	}
	s.synID = saved.ID
	return nil
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// DefaultSynonymsText is the shipped list (synonyms.txt), for "restore the defaults".
func DefaultSynonymsText() string { return defaultSynonymsText }
