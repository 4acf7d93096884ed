package store

import (
	"context"

	"github.com/tongban/tongban"
)

// usersChunk bounds the IDs of one UsersByID statement; each statement
// takes a power of two of them (batchRows), so the few texts stay prepared.
const usersChunk = 64

// UsersByID reads users and then their grants, two statements per chunk of
// IDs: the outbox's consumers read everyone a batch of events concerns,
// which was a round trip per person.
func (s *Store) UsersByID(ctx context.Context, ids []int64) (map[int64]*tongban.User, error) {
	out := make(map[int64]*tongban.User, len(ids))
	for start := 0; start < len(ids); {
		part := ids[start : start+batchRows(len(ids)-start, usersChunk)]
		start += len(part)
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		in := placeholders(1, len(part))
		if err := s.scanUsersInto(ctx, out, `SELECT `+userColumns+` FROM users WHERE id IN `+in, args); err != nil {
			return nil, err
		}
		if err := s.loadRolesInto(ctx, out, in, args); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) scanUsersInto(ctx context.Context, out map[int64]*tongban.User, query string, args []any) error {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := s.scanUser(rows)
		if err != nil {
			return classify(err)
		}
		out[u.ID] = u
	}
	return classify(rows.Err())
}

// loadRolesInto sets the roles of the users of out whose IDs the IN list
// in binds (args), in loadRoles's order.
func (s *Store) loadRolesInto(ctx context.Context, out map[int64]*tongban.User, in string, args []any) error {
	rows, err := s.q.QueryContext(ctx, `SELECT g.user_id, g.role, g.org_id, o.name FROM role_grants g
		JOIN orgs o ON o.id = g.org_id WHERE g.user_id IN `+in+` ORDER BY g.user_id, g.org_id, g.role`, args...)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var userID int64
		var g tongban.RoleGrant
		if err := rows.Scan(&userID, &g.Role, &g.OrgID, &g.OrgName); err != nil {
			return classify(err)
		}
		if u := out[userID]; u != nil {
			u.Roles = append(u.Roles, g)
		}
	}
	return classify(rows.Err())
}
