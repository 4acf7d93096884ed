package api_test

import (
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

// The department admin of the demo city (市场监管) could create city-wide
// staff, grant itself roles and grant roles in another department. Each
// is now a 403 naming the role; its own clerk and approver grants pass.
func TestStaffGrantsOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	admin := newClient(t, srv)
	admin.login("deptadmin")
	scjgj, rsj := orgID(t, admin, "gas-scjgj"), orgID(t, admin, "gas-rsj")
	self := itoa(userID(t, a, "deptadmin"))
	approver := itoa(userID(t, a, "approver"))
	approverRSJ := itoa(userID(t, a, "approver-rsj"))

	refusals := []struct {
		name, method, path string
		body               any
		role               tongban.Role
	}{
		{"city-wide supervisor", "POST", "/api/v1/staff", map[string]any{"username": "newsuper", "name": "钱监察", "password": "Tongban@2026",
			"roles": []tongban.RoleGrant{{Role: tongban.RoleSupervisor, OrgID: scjgj}}}, tongban.RoleSupervisor},
		{"catalog admin", "POST", "/api/v1/users/" + approver + "/roles", tongban.RoleGrant{Role: tongban.RoleCatalogAdmin, OrgID: scjgj}, tongban.RoleCatalogAdmin},
		{"own roles", "POST", "/api/v1/users/" + self + "/roles", tongban.RoleGrant{Role: tongban.RoleClerk, OrgID: scjgj}, tongban.RoleClerk},
		{"another department", "POST", "/api/v1/users/" + approverRSJ + "/roles", tongban.RoleGrant{Role: tongban.RoleClerk, OrgID: rsj}, tongban.RoleClerk},
		{"revoke elsewhere", "DELETE", "/api/v1/users/" + approverRSJ + "/roles", tongban.RoleGrant{Role: tongban.RoleApprover, OrgID: rsj}, tongban.RoleApprover},
	}
	for _, tc := range refusals {
		status, body := admin.json(tc.method, tc.path, tc.body)
		if status != 403 || !strings.Contains(string(body), tc.role.Label()) {
			t.Errorf("%s: %d %s; want 403 naming %s", tc.name, status, body, tc.role.Label())
		}
	}
	if status, body := admin.json("POST", "/api/v1/users/"+approver+"/roles", tongban.RoleGrant{Role: tongban.RoleClerk, OrgID: scjgj}); status != 204 {
		t.Errorf("clerk in own department: %d %s", status, body)
	}
	if status, body := admin.json("DELETE", "/api/v1/users/"+approver+"/roles", tongban.RoleGrant{Role: tongban.RoleClerk, OrgID: scjgj}); status != 204 {
		t.Errorf("revoking it again: %d %s", status, body)
	}
}
