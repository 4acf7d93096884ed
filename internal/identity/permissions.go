package identity

import "github.com/tongban/tongban"

// Permission names one thing a staff member may do. Handlers and services
// ask for permissions, never for roles, so that this file is the one place
// that says who may do what.
type Permission string

const (
	PermConsole        Permission = "console.view"       // open the staff console
	PermApplicantRead  Permission = "applicant.read"     // look up an applicant (masked)
	PermApplicantFull  Permission = "applicant.read_pii" // see full ID numbers and phones (audited)
	PermStaffRead      Permission = "staff.read"         // list and read staff accounts
	PermStaffManage    Permission = "staff.manage"       // create staff, grant and revoke roles
	PermOrgManage      Permission = "org.manage"         // create regions and orgs
	PermCaseAccept     Permission = "case.accept"        // take applications at a window
	PermCaseReview     Permission = "case.review"        // review and decide in the back office
	PermCaseHandout    Permission = "case.handout"       // hand out results at the unified window
	PermCatalogEdit    Permission = "catalog.edit"       // claim items, edit listings
	PermCatalogPublish Permission = "catalog.publish"    // publish listings that pass the checks
	PermItemEdit       Permission = "catalog.items"      // create and change base-catalog items (基本目录)
	PermSupervise      Permission = "supervise.view"     // deadlines, ratings, measures
	PermAuditRead      Permission = "audit.read"         // read the audit log
	PermCalendarEdit   Permission = "calendar.edit"      // maintain holidays and make-up days
	// PermDataProvide: push records of the org's shared-data resources
	// (a department system's service account, 政务信息资源共享).
	PermDataProvide Permission = "data.provide"
	// Department systems (docs/integration.md): register OIDC clients, and
	// webhooks for any department in scope; a department admin registers
	// its own department's webhooks.
	PermIntegrationManage Permission = "integration.manage"
	PermWebhookManage     Permission = "webhook.manage"
	// PermRatingAnswer: answer the department's 差评 tickets (回访核实, 整改).
	// Not given to clerks and approvers, the rated staff.
	PermRatingAnswer Permission = "rating.answer"
	// PermLicenseManage: the issuing department's e-licences — change, 注销,
	// load licences issued before Tongban (历史导入), rotate its seal key.
	PermLicenseManage Permission = "license.manage"
	// The 好差评 loop (docs/ratings.md, docs/supervision-notices.md): a
	// supervisor decides a department's appeal (申诉) against a rating and
	// issues 督办, which the department's administrators answer; 12345
	// complaints are taken (受理) at the counter or by the hotline,
	// dispatched (派单) and called back (回访) by the hotline or a
	// supervisor, and handled and replied to by the department.
	PermAppealDecide      Permission = "rating.appeal_decide"
	PermNoticeIssue       Permission = "notice.issue"
	PermNoticeAnswer      Permission = "notice.answer"
	PermComplaintIntake   Permission = "complaint.intake"
	PermComplaintDispatch Permission = "complaint.dispatch"
	PermComplaintHandle   Permission = "complaint.handle"
	PermComplaintVisit    Permission = "complaint.visit"
)

// rolePermissions is the one table of who may do what.
var rolePermissions = map[tongban.Role][]Permission{
	tongban.RoleClerk:    {PermConsole, PermApplicantRead, PermApplicantFull, PermCaseAccept, PermCaseHandout, PermComplaintIntake},
	tongban.RoleApprover: {PermConsole, PermApplicantRead, PermCaseReview},
	tongban.RoleDeptAdmin: {PermConsole, PermApplicantRead, PermStaffRead, PermStaffManage, PermCatalogEdit, PermDataProvide, PermWebhookManage, PermRatingAnswer,
		PermNoticeAnswer, PermComplaintHandle, PermLicenseManage},
	tongban.RoleCatalogAdmin: {PermConsole, PermCatalogEdit, PermCatalogPublish, PermItemEdit},
	tongban.RoleSupervisor: {PermConsole, PermApplicantRead, PermStaffRead, PermSupervise, PermAuditRead,
		PermAppealDecide, PermNoticeIssue, PermComplaintDispatch, PermComplaintVisit},
	tongban.RoleHotline: {PermConsole, PermComplaintIntake, PermComplaintDispatch, PermComplaintVisit},
	tongban.RoleSysAdmin: {PermConsole, PermApplicantRead, PermApplicantFull, PermStaffRead, PermStaffManage,
		PermOrgManage, PermAuditRead, PermCalendarEdit, PermSupervise, PermCatalogEdit, PermCatalogPublish, PermItemEdit,
		PermDataProvide, PermIntegrationManage, PermWebhookManage, PermLicenseManage},
}

// regionWide roles see every org in their org's region and below; the
// others see their own org and its sub-orgs only.
var regionWide = map[tongban.Role]bool{
	tongban.RoleSupervisor:   true,
	tongban.RoleSysAdmin:     true,
	tongban.RoleCatalogAdmin: true, // keeps a city's listings consistent across districts
	tongban.RoleHotline:      true, // a city's 12345 centre dispatches to any department
}

// PermissionsOf lists a role's permissions.
func PermissionsOf(r tongban.Role) []Permission { return rolePermissions[r] }

func roleHas(r tongban.Role, p Permission) bool {
	for _, q := range rolePermissions[r] {
		if q == p {
			return true
		}
	}
	return false
}
