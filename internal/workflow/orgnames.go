package workflow

import (
	"context"
	"time"
)

// OrgNameTTL is how long a department's name read from the database is
// served from memory. Tongban never renames a department (orgs are
// created, not edited); a name changed directly in the database shows in
// new data-use records within OrgNameTTL.
const OrgNameTTL = 5 * time.Minute

// orgName returns the name of org id, from memory when read less than
// OrgNameTTL ago (and not in the clock's future); an org not found is not
// remembered. The service keeps them for the data-use records of a
// submission claiming references (its listing's department reads), so
// such a submission does not read the org row every time.
func (s *Service) orgName(ctx context.Context, id int64) (string, error) {
	return s.orgNames.Load(id, s.Clock.Now(), OrgNameTTL, func() (string, error) {
		org, err := s.Store.Org(ctx, id)
		if err != nil {
			return "", err
		}
		return org.Name, nil
	}, nil)
}
