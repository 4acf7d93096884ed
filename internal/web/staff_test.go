package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// A department admin manages its own department's staff on /console/staff
// — creates an account, grants and revokes a role, disables and restores
// it, issues a password link — and is refused, with the grant table's
// reason, a region-wide role and staff of another department.
func TestDeptAdminManagesOwnStaff(t *testing.T) {
	t.Parallel()
	s, admin, dept, home := deptAdminOnStaff(t)
	status, page := admin.get("/console/staff")
	if status != http.StatusOK {
		t.Fatalf("staff page: %d", status)
	}
	mustContain(t, "own department", page, `id="staff-org-name">`+dept.Name, "刘审批", `id="staff-create"`)
	if strings.Contains(page, "杨审批") {
		t.Error("a department admin sees another department's staff")
	}

	status, page, where := admin.post(home, home, url.Values{"username": {"xu.review"}, "name": {"徐审核"},
		"phone": {"13900001111"}, "password": {"Xu#review2026"}, "role": {string(tongban.RoleClerk)}})
	if status != http.StatusSeeOther || where != home {
		t.Fatalf("create: %d %s\n%s", status, where, errorOf(page))
	}
	xu := s.user("xu.review")
	if len(xu.Roles) != 1 || xu.Roles[0].Role != tongban.RoleClerk || xu.Roles[0].OrgID != dept.ID {
		t.Fatalf("created roles %+v", xu.Roles)
	}
	_, page = admin.get(home)
	mustContain(t, "list after create", page, `id="staff-xu.review"`, "已创建工作人员账号 xu.review", "139****1111")

	roles := "/console/staff/" + itoa(xu.ID) + "/roles?org=" + itoa(dept.ID)
	if status, page, _ = admin.post(home, roles, url.Values{"action": {"grant"}, "role": {string(tongban.RoleApprover)}}); status != http.StatusSeeOther {
		t.Fatalf("grant approver: %d\n%s", status, errorOf(page))
	}
	if !s.user("xu.review").Has(tongban.RoleApprover) {
		t.Error("approver not granted")
	}
	// A region-wide role is the system administrator's to grant.
	status, page, _ = admin.post(home, roles, url.Values{"action": {"grant"}, "role": {string(tongban.RoleSupervisor)}})
	if status != http.StatusForbidden || !strings.Contains(page, "您无权授予或收回「效能监察」角色") {
		t.Errorf("grant supervisor: %d %q", status, errorOf(page))
	}
	if s.user("xu.review").Has(tongban.RoleSupervisor) {
		t.Error("supervisor granted by a department admin")
	}
	if status, _, _ = admin.post(home, roles, url.Values{"action": {"revoke"}, "role": {string(tongban.RoleApprover)},
		"grant_org_id": {itoa(dept.ID)}}); status != http.StatusSeeOther || s.user("xu.review").Has(tongban.RoleApprover) {
		t.Errorf("revoke approver: %d", status)
	}
	// Creating an account with a region-wide role is refused alike.
	status, page, _ = admin.post(home, home, url.Values{"username": {"wu.sup"}, "name": {"吴督查"},
		"password": {"Wu#super2026"}, "role": {string(tongban.RoleSysAdmin)}})
	if status != http.StatusForbidden || !strings.Contains(page, "您无权授予或收回「系统管理员」角色") {
		t.Errorf("create a sysadmin: %d %q", status, errorOf(page))
	}
	if _, err := s.app.Store.UserByLogin(t.Context(), "wu.sup"); !tongban.IsCode(err, tongban.ENotFound) {
		t.Errorf("refused account exists: %v", err)
	}

	account := "/console/staff/" + itoa(xu.ID) + "/account?org=" + itoa(dept.ID)
	if status, _, _ = admin.post(home, account, url.Values{"action": {"disable"}}); status != http.StatusSeeOther || !s.user("xu.review").Disabled {
		t.Fatalf("disable: %d", status)
	}
	if _, _, err := s.app.Identity.Login(t.Context(), "xu.review", "Xu#review2026", identity.Request{IP: "198.51.100.7"}); err == nil {
		t.Error("a disabled account signs in")
	}
	_, page = admin.get(home)
	mustContain(t, "disabled shown", page, "已停用")
	if status, _, _ = admin.post(home, account, url.Values{"action": {"enable"}}); status != http.StatusSeeOther || s.user("xu.review").Disabled {
		t.Fatalf("enable: %d", status)
	}
	status, page, _ = admin.post(home, account, url.Values{"action": {"reset"}})
	m := regexp.MustCompile(`id="staff-reset-url">[^<]*/reset\?token=([^<]+)<`).FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		t.Fatalf("reset link: %d %q", status, errorOf(page))
	}
	if _, err := s.app.Identity.SetPasswordByReset(t.Context(), m[1], "Xu#newpass2026", "Xu#newpass2026", identity.Request{}); err != nil {
		t.Errorf("use the link: %v", err)
	}
	if _, _, err := s.app.Identity.Login(t.Context(), "xu.review", "Xu#newpass2026", identity.Request{IP: "198.51.100.8"}); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}

	// Another department's staff are not this admin's.
	other := s.user("approver-rsj")
	status, page, _ = admin.post(home, "/console/staff/"+itoa(other.ID)+"/account?org="+itoa(dept.ID), url.Values{"action": {"disable"}})
	if status != http.StatusForbidden || !strings.Contains(page, "管理范围之外") || s.user("approver-rsj").Disabled {
		t.Errorf("disable another department's staff: %d %q", status, errorOf(page))
	}
	rsj := s.user("approver-rsj").Roles[0].OrgID
	if status, _ := admin.get("/console/staff?org=" + itoa(rsj)); status != http.StatusForbidden {
		t.Errorf("another department's list: %d", status)
	}
	// Nobody disables themselves.
	self := s.user("deptadmin")
	status, page, _ = admin.post(home, "/console/staff/"+itoa(self.ID)+"/account?org="+itoa(dept.ID), url.Values{"action": {"disable"}})
	if status != http.StatusForbidden || !strings.Contains(page, "不能停用自己的账号") {
		t.Errorf("disable oneself: %d %q", status, errorOf(page))
	}
}

// The system administrator sees every org of the city and grants a
// region-wide role there.
func TestSysAdminGrantsRegionWideRole(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	admin := s.as("admin")
	_, page := admin.get("/console/staff")
	mustContain(t, "sysadmin's orgs", page, "广安市市场监督管理局", "广安市人力资源和社会保障局")
	clerk := s.user("clerk")
	org := itoa(clerk.Roles[0].OrgID)
	status, page, _ := admin.post("/console/staff?org="+org, "/console/staff/"+itoa(clerk.ID)+"/roles?org="+org,
		url.Values{"action": {"grant"}, "role": {string(tongban.RoleSupervisor)}})
	if status != http.StatusSeeOther || !s.user("clerk").Has(tongban.RoleSupervisor) {
		t.Errorf("grant supervisor: %d %q", status, errorOf(page))
	}
}

// The audit page names actions in Chinese and filters by who, action,
// object and day, a page at a time.
func TestAuditPageFiltersAndPages(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	admin := s.as("admin")
	clerk := s.user("clerk")
	org := itoa(clerk.Roles[0].OrgID)
	for _, action := range []string{"disable", "enable"} {
		if status, _, _ := admin.post("/console/staff?org="+org, "/console/staff/"+itoa(clerk.ID)+"/account?org="+org,
			url.Values{"action": {action}}); status != http.StatusSeeOther {
			t.Fatalf("%s: %d", action, status)
		}
	}
	_, page := admin.get("/console/audit?action=staff_disable&object=user:" + itoa(clerk.ID))
	rows := strings.Count(page, "<tr><td>")
	if rows != 1 || !strings.Contains(page, "停用工作人员账号") || strings.Contains(page, "启用工作人员账号</td>") {
		t.Errorf("action and object filter: %d rows\n%s", rows, page)
	}
	_, page = admin.get("/console/audit?actor=" + url.QueryEscape("系统管理员"))
	mustContain(t, "actor filter", page, "登录", "启用工作人员账号")
	if strings.Contains(page, "<td>陈窗口</td>") {
		t.Error("actor filter shows another actor")
	}
	// The demo load's own entries are many: pages of 50, the next one older.
	_, page = admin.get("/console/audit")
	m := regexp.MustCompile(`id="audit-older" href="([^"]+)"|href="([^"]+)" id="audit-older"`).FindStringSubmatch(page)
	if strings.Count(page, "<tr><td>") != 50 || m == nil {
		t.Fatalf("first page: %d rows, older link %v", strings.Count(page, "<tr><td>"), m)
	}
	older := strings.ReplaceAll(m[1]+m[2], "&amp;", "&")
	_, next := admin.get(older)
	first := regexp.MustCompile(`<tr><td>(\d+)</td>`).FindAllStringSubmatch(page, -1)
	second := regexp.MustCompile(`<tr><td>(\d+)</td>`).FindAllStringSubmatch(next, -1)
	last, _ := strconv.Atoi(first[len(first)-1][1])
	if len(second) == 0 || atoi(second[0][1]) >= last {
		t.Errorf("older page does not follow: %v then %v", first[len(first)-1], second[:1])
	}
	day := casesNow.Format("2006-01-02")
	if _, page = admin.get("/console/audit?from=" + day + "&to=" + day); !strings.Contains(page, "停用工作人员账号") {
		t.Error("today's range lacks today's entry")
	}
	if _, page = admin.get("/console/audit?to=2020-01-01"); strings.Count(page, "<tr><td>") != 0 {
		t.Error("a range before any entry shows entries")
	}
	status, page := admin.get("/console/audit?from=yesterday")
	if status != http.StatusBadRequest || !strings.Contains(page, "开始日期应为日期") {
		t.Errorf("bad date: %d", status)
	}
	if status, _ := s.as("clerk").get("/console/audit"); status != http.StatusForbidden {
		t.Errorf("a clerk reads the audit log: %d", status)
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// A role grant refused for its input shows why above the staff list: the
// list's buttons have no error place of their own, and the create form's
// role select, where a "role" error used to land, is not what was wrong.
// An org that is not ("org_id") used to show nothing at all.
func TestStaffRoleRefusalsSayWhy(t *testing.T) {
	t.Parallel()
	s, admin, dept, home := deptAdminOnStaff(t)
	roles := "/console/staff/" + itoa(s.user("approver").ID) + "/roles?org=" + itoa(dept.ID)
	for _, c := range []struct {
		what string
		v    url.Values
		msg  string
	}{
		{"an org that is not", url.Values{"action": {"grant"}, "role": {string(tongban.RoleClerk)}, "grant_org_id": {"987654"}}, "机构不存在"},
		{"a role that is not", url.Values{"action": {"grant"}, "role": {"astronaut"}}, "未知角色 &#34;astronaut&#34;"},
	} {
		status, page, _ := admin.post(home, roles, c.v)
		if status != http.StatusBadRequest {
			t.Errorf("grant %s: %d %s", c.what, status, errorOf(page))
			continue
		}
		mustContain(t, "grant "+c.what, page, `<p class="error" role="alert" id="staff-error">`+c.msg+`</p>`)
	}
	if got := s.user("approver").Roles; len(got) != 1 {
		t.Errorf("roles after refused grants: %+v", got)
	}
}

// deptAdminOnStaff is a site with the demo's department admin signed in,
// their department (市场监管局) and its staff page.
func deptAdminOnStaff(t *testing.T) (*caseSite, *browser, *tongban.Org, string) {
	t.Helper()
	s := newCaseSite(t)
	dept, err := s.app.Store.OrgByCode(t.Context(), "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	return s, s.as("deptadmin"), dept, "/console/staff?org=" + itoa(dept.ID)
}
