package bench

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"github.com/tongban/tongban/internal/sqldb"
)

// The reference scripts (refsql/*.sql) repeat the statements the store
// issues, as `tongban-bench trace-sql` shows them; these column lists are
// the store's, copied from that trace. If the store's SQL changes, the
// trace shows it and the scripts follow.
//
//go:embed refsql/*.sql
var refFiles embed.FS

const (
	userColumns       = `id, kind, name, COALESCE(username, ''), id_number_sealed, phone_sealed, COALESCE(credit_code, ''), legal_rep_name, legal_rep_sealed, password_hash, disabled, created_at`
	caseColumns       = `id, number, listing_id, listing_version, item_name, listing_name, org_id, region_code, COALESCE(board_id, 0), applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, COALESCE(owed_due, ''), commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days, accepted_at, COALESCE(due_date, ''), provisional, paused_days, paused_since, decided_at, visits, delivery_method, tracking_no, COALESCE(pickup_window_id, 0), reasons, result_no, COALESCE(idempotency_key, ''), created_at, updated_at, version`
	listingColumns    = `l.id, l.item_id, i.code, l.code, l.org_id, o.name, l.region_code, l.version, l.status, l.name, l.promised_days, l.case_type, l.online_depth, l.trips, l.place, l.hours, l.phone, l.complaint_phone, l.conditions, l.steps, l.fees, l.materials, l.situations, l.faq, l.flags, l.result, l.updated_at, l.published_at`
	joinedItemColumns = `i.id, i.code, i.name, i.main_item, i.type, i.levels, i.legal_basis, i.statutory_days, i.sector, i.audience, i.person_themes, i.enterprise_themes, i.aliases, i.updated_at`
	itemColumns       = `id, code, name, main_item, type, levels, legal_basis, statutory_days, sector, audience, person_themes, enterprise_themes, aliases, updated_at`
	eventColumns      = `id, case_id, seq, at, COALESCE(actor_id, 0), actor_name, role, COALESCE(org_id, 0), action, from_state, to_state, step, reason, materials, visit, facts`
	// joinedEventColumns are eventColumns qualified for a join with the case (alias e).
	joinedEventColumns = `e.id, e.case_id, e.seq, e.at, COALESCE(e.actor_id, 0), e.actor_name, e.role, COALESCE(e.org_id, 0), e.action, e.from_state, e.to_state, e.step, e.reason, e.materials, e.visit, e.facts`
	orgColumns         = `id, code, name, short_name, kind, region_code, COALESCE(parent_id, 0), sector, phone, address, review_body, court, COALESCE(result_window_id, 0), COALESCE(credit_code, '')`
)

// Reference is one endpoint's reference: its script and the values it runs with.
type Reference struct {
	Name    string // as printed: "pgbench: POST /api/v1/cases SQL"
	Script  *Script
	Defines map[string]string
	PerRun  int // operations per script run (the lifecycle script makes four transitions)
	At      int // run only at this client count (a diagnostic); 0 = at every count
}

// postgresFlag is the scripts' {{if .Postgres}}: where the store's SQL
// differs by engine (on PostgreSQL an action's queued audit entry and its
// outbox rows are one statement, store.AppendOutboxAudited), the script
// follows it. Non-empty on PostgreSQL.
func postgresFlag(db *sqldb.DB) string {
	if db.Dialect == sqldb.Postgres {
		return "yes"
	}
	return ""
}

// eventIDTemplate is what a script's case_events insert adds for the id:
// on SQLite the table has no rowid (migration 00066), so the insert hands
// out the next id as the store does (appendEventSQLite); PostgreSQL's
// identity column gives its own.
func eventIDTemplate(data map[string]string) {
	data["EventID"], data["NextEventID"] = "", ""
	if data["Postgres"] == "" {
		data["EventID"], data["NextEventID"] = "id, ", "(SELECT COALESCE(MAX(id), 0) + 1 FROM case_events), "
	}
}

// eventIDsCopied is eventIDTemplate for an insert of many events in one
// statement: on SQLite the ids after the largest, in the order given.
func eventIDsCopied(db *sqldb.DB, order string) (column, value string) {
	if db.Dialect == sqldb.Postgres {
		return "", ""
	}
	return "id, ", "(SELECT COALESCE(MAX(id), 0) FROM case_events) + ROW_NUMBER() OVER (ORDER BY " + order + "), "
}

// sqlLiteral quotes s for a SQL string literal. pgbench reads ":name" as
// a variable even inside a literal, so a space follows every colon that
// precedes a name (JSON's "key":"value", "sha256:…"): one byte more.
func sqlLiteral(s string) string {
	s = colonName.ReplaceAllString(s, ": $1")
	return strings.ReplaceAll(s, "'", "''")
}

var colonName = regexp.MustCompile(`:([\p{L}\p{N}_"])`)

// LoadReference renders refsql/<file> for fixture f and reads the values it
// needs (ids, token hashes, the day's counter, the cases to act on) from
// the server's database. Each of flags sets a flag the script tests
// ({{if .NoOutbox}}); the rest are unset.
func LoadReference(ctx context.Context, db *sqldb.DB, f *CaseFixture, file string, flags ...string) (*Reference, error) {
	tpl, err := refTemplate(file)
	if err != nil {
		return nil, err
	}
	type material struct {
		Key      string `json:"key"`
		Name     string `json:"name"`
		BlobHash string `json:"blob_hash,omitempty"`
		Status   string `json:"status"`
	}
	var ms []material
	var keys []string
	for i, m := range f.Materials[0] {
		st := m.Status
		if st == "" {
			st = "provided"
		}
		ms = append(ms, material{Key: m.Key, Name: f.Listing.Materials[i].Name, BlobHash: m.BlobHash, Status: st})
		keys = append(keys, m.Key)
	}
	msJSON, _ := json.Marshal(ms)
	keysJSON, _ := json.Marshal(keys)
	// The submission's announcement as the workflow writes it to the outbox
	// (workflow.CaseAnnouncement), with the fixture's values.
	payload, _ := json.Marshal(map[string]any{"number": "ref", "seq": 1, "action": "submit", "to": "submitted",
		"step": 0, "listing_id": f.Listing.ID, "item_name": f.Listing.Name, "org_id": f.Listing.OrgID,
		"actor_role": "applicant", "channel": "online", "materials": keys, "user_id": 1, "at": "2026-12-03T06:00:00Z"})
	data := map[string]string{
		"UserColumns": userColumns, "CaseColumns": caseColumns, "ListingColumns": listingColumns,
		"ItemColumns": itemColumns, "JoinedItemColumns": joinedItemColumns, "EventColumns": eventColumns, "JoinedEventColumns": joinedEventColumns, "OrgColumns": orgColumns,
		"ItemName": sqlLiteral(f.Listing.Name), "ListingName": sqlLiteral(f.Listing.Name),
		"Form": sqlLiteral(string(f.Form)), "Materials": sqlLiteral(string(msJSON)), "MaterialKeys": sqlLiteral(string(keysJSON)),
		"Hash": strings.Repeat("5d", 32), "OutboxPayload": sqlLiteral(string(payload)),
		"Postgres": postgresFlag(db), "NoOutbox": "",
	}
	eventIDTemplate(data)
	for _, flag := range flags {
		if _, ok := data[flag]; !ok || flag == "Postgres" || flag == "EventID" || flag == "NextEventID" {
			return nil, fmt.Errorf("%s: no flag %q", file, flag)
		}
		data[flag] = "yes"
	}
	if strings.HasPrefix(file, "issue_") {
		if err := issueTemplate(ctx, db, f, data); err != nil {
			return nil, err
		}
	}
	s, err := renderScript(file, tpl, data)
	if err != nil {
		return nil, err
	}
	defs, err := referenceValues(ctx, db, f)
	if err != nil {
		return nil, err
	}
	per := 1
	if file == "lifecycle.sql" {
		per = len(Lifecycle)
	}
	return &Reference{Script: s, Defines: defs, PerRun: per}, nil
}

// referenceValues reads what the scripts' variables stand for.
func referenceValues(ctx context.Context, db *sqldb.DB, f *CaseFixture) (map[string]string, error) {
	d := map[string]string{"listing_id": strconv.FormatInt(f.Listing.ID, 10)}
	row := func(q string, args []any, names ...string) error {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := db.QueryRowContext(ctx, q, args...).Scan(ptrs...); err != nil {
			return fmt.Errorf("reference values (%s): %w", firstLine(q), err)
		}
		for i, n := range names {
			switch v := vals[i].(type) {
			case []byte:
				d[n] = string(v)
			default:
				d[n] = fmt.Sprint(v)
			}
		}
		return nil
	}
	token := `SELECT t.hash, t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE `
	if err := row(token+`u.name = '压测申请人' ORDER BY t.id LIMIT 1`, nil, "token_hash", "user_id"); err != nil {
		return nil, err
	}
	for _, who := range []string{"clerk", "approver"} {
		if err := row(token+`u.username = $1 ORDER BY t.id DESC LIMIT 1`, []any{who}, who+"_token_hash", who+"_id"); err != nil {
			return nil, err
		}
	}
	if err := row(`SELECT item_id, version, org_id, region_code FROM listings WHERE id = $1`, []any{f.Listing.ID},
		"item_id", "listing_version", "org_id", "region"); err != nil {
		return nil, err
	}
	// The window the lifecycle's clerk accepts and delivers at.
	if err := row(`SELECT g.org_id FROM role_grants g JOIN users u ON u.id = g.user_id JOIN orgs o ON o.id = g.org_id
		WHERE u.username = 'clerk' AND o.kind = 'window' ORDER BY g.org_id LIMIT 1`, nil, "window_id"); err != nil {
		return nil, err
	}
	d["day"] = "00000000" // a case_sequences row of its own until Tongban has made one today
	row(`SELECT day FROM case_sequences WHERE region_code = $1 ORDER BY day DESC LIMIT 1`, []any{d["region"]}, "day")
	if err := row(`SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM cases`, nil, "min_case", "max_case"); err != nil {
		return nil, err
	}
	lo, hi, err := refBlock(ctx, db)
	if err != nil {
		return nil, err
	}
	d["ref_min"], d["ref_max"] = strconv.FormatInt(lo, 10), strconv.FormatInt(hi, 10)
	return d, nil
}

// refBlock is the longest run of consecutive case ids made by the
// reference submit script: cases the lifecycle reference may move through
// their states without touching those Tongban's own lifecycle load will
// act on.
func refBlock(ctx context.Context, db *sqldb.DB) (lo, hi int64, err error) {
	rows, err := db.QueryContext(ctx, `SELECT id, COALESCE(idempotency_key, '') FROM cases ORDER BY id`)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var start, prev int64
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return 0, 0, err
		}
		switch {
		case !strings.HasPrefix(key, "ref-"):
			start = 0
		case start == 0 || id != prev+1:
			start = id
		}
		if start != 0 && id-start > hi-lo {
			lo, hi = start, id
		}
		prev = id
	}
	return lo, hi, rows.Err()
}

// renderScript executes reference script file's template with data and
// parses the result; with TONGBAN_BENCH_DUMP set, it also writes the
// script there, to read or rerun by hand.
func renderScript(file string, tpl *template.Template, data any) (*Script, error) {
	var b bytes.Buffer
	if err := tpl.Option("missingkey=error").Execute(&b, data); err != nil {
		return nil, err
	}
	if dir := os.Getenv("TONGBAN_BENCH_DUMP"); dir != "" {
		os.WriteFile(filepath.Join(dir, file), b.Bytes(), 0o644)
	}
	s, err := ParseScript(b.String())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return s, nil
}

// refTemplate parses the embedded reference script refsql/<file>.
func refTemplate(file string) (*template.Template, error) {
	src, err := refFiles.ReadFile("refsql/" + file)
	if err != nil {
		return nil, err
	}
	return template.New(file).Parse(string(src))
}
