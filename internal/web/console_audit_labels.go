package web

import (
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/oidc"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/search"
)

// auditActionLabels names each audit action in Chinese for the audit page;
// case actions are named by tongban.CaseAction (auditActionLabel).
var auditActionLabels = map[string]string{
	tongban.AuditLogin: "登录", tongban.AuditLoginFailed: "登录失败", tongban.AuditLogout: "退出登录",
	tongban.AuditRegister: "注册账号", tongban.AuditPasswordChange: "修改密码", identity.AuditPasswordChangeFailed: "修改密码失败",
	tongban.AuditUserCreate: "创建账号", tongban.AuditRoleGrant: "授予角色", tongban.AuditRoleRevoke: "收回角色",
	tongban.AuditPIIRead: "查看完整个人信息", tongban.AuditTokenCreate: "创建API令牌", tongban.AuditTokenRevoke: "吊销API令牌",
	tongban.AuditChainRekey: "审计链重新签名", tongban.AuditChainPurge: "清理过期审计记录",
	tongban.AuditCalendarImport: "导入节假日安排",
	identity.AuditPhoneVerified: "验证手机号", identity.AuditResetIssued: "签发密码重置链接", identity.AuditResetUsed: "重置密码（短信验证码或窗口链接）",
	identity.AuditWalkInRecord: "窗口登记申请人", identity.AuditWalkInClaim: "认领窗口登记的办件",
	identity.AuditStaffDisable: "停用工作人员账号", identity.AuditStaffEnable: "启用工作人员账号",
	catalog.AuditClaim: "认领事项", catalog.AuditSave: "保存实施清单", catalog.AuditPublish: "发布实施清单",
	catalog.AuditSuspend: "暂停实施清单", catalog.AuditWithdraw: "撤回实施清单", catalog.AuditImport: "导入事项目录",
	catalog.AuditOrg:     "创建机构",
	catalog.AuditPropose: "提交清单发布申请", catalog.AuditProposalReturn: "退回清单发布申请", catalog.AuditProposalRecall: "撤回清单发布申请",
	exchange.AuditResource: "保存数据资源", exchange.AuditPush: "推送共享数据", exchange.AuditStandard: "保存标准材料",
	oidc.AuditClientCreate: "登记接入系统", oidc.AuditClientSecret: "更换接入系统密钥", oidc.AuditClientDisable: "停用或启用接入系统",
	oidc.AuditConsentRevoke: "撤销对接入系统的授权", oidc.AuditOIDCRelease: "向接入系统提供个人信息",
	outbox.AuditHookCreate: "创建事件推送", outbox.AuditHookChange: "修改事件推送", outbox.AuditHookRedelivery: "重发事件推送",
	search.AuditSynonyms: "修改搜索同义词",
	"org_result_window":  "指定出件窗口", "region_create": "创建行政区划",
	"rating.ticket.verify": "差评回访核实", "rating.ticket.rectify": "差评整改答复",
	"rating.appeal": "差评申诉", "rating.appeal.decide": "裁定差评申诉",
	"notice.issue": "发出督办", "notice.answer": "答复督办",
	"complaint.receive": "受理投诉", "complaint.dispatch": "投诉派单", "complaint.handle": "签收投诉",
	"complaint.reply": "回复投诉", "complaint.visit": "回访投诉", "complaint.rate": "记录投诉评价",
	"complaint.return": "投诉退单", "complaint.reopen": "投诉重办",
	"rating.device.issue": "签发窗口评价器", "rating.device.revoke": "停用窗口评价器",
}
