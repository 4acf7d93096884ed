package web

// English for the e-licence life pages: the face an approver confirms
// before issuing, the catalog's licence type column.
func init() { addEnglish(licenseLifeEnglish) }

var licenseLifeEnglish = map[string]string{
	"电子证照照面（签发前请核对，申请表缺少的请补填）": "E-licence face (check before issuing; fill in what the form lacks)",
	"来自": "from", "审批人填写": "the approver", "申请表": "the application form", "申请人账号": "the applicant's account",
	"原证照":      "the licence renewed",
	"结果证照类型代码": "Result licence type code",
	"结果类型为证照时，填写所签发电子证照的证照类型代码（21位），如营业执照 11100000MB0143028R001；办结时签发该类型的电子证照": "When the result is a licence, the 21-character code of the e-licence type issued, e.g. 11100000MB0143028R001 for the business licence; issuing the result signs an e-licence of that type",
	"电子证照管理": "E-licences", "电子印章密钥": "Seal key", "当前密钥": "Current key", "启用于": "in use since",
	"尚未生成，签发第一张证照时自动生成。":                                  "None yet; made when the first licence is issued.",
	"轮换后新签发的证照以新密钥签名；旧公钥继续在 /api/v1/seals 公布，已签发的证照照常核验。": "After a rotation new licences are signed with the new key; the old public key stays published at /api/v1/seals, so licences already issued still verify.",
	"轮换密钥": "Rotate the key", "历史证照导入": "Import licences issued before Tongban",
	"导入通办上线前本部门已核发的证照。表头：证照类型代码、证照编号、持证主体、持证主体代码、发证日期、有效期起、有效期至，其余各列为照面项（列名为照面项名称）。逐行校验，任何一行有误则全部不导入。": "Load the licences this department issued before Tongban. Header: 证照类型代码, 证照编号, 持证主体, 持证主体代码, 发证日期, 有效期起, 有效期至; every other column is a face item named as printed. Every row is checked; with any bad row nothing is imported.",
	"本部门证照": "This department's licences", "证照": "Licence", "持证主体": "Holder", "发证日期": "Issued",
	"有效期至": "Valid until", "注销": "Revoke", "注销原因": "Reason for revoking", "暂无证照。": "No licences yet.",
	"长期": "Open-ended", "已过期": "Expired", "有效": "Valid", "已注销": "Revoked", "已变更": "Changed",
	"通办签发": "Issued in Tongban", "历史导入": "Imported (issued before Tongban)",
	"变更": "Change", "变更电子证照": "Change an e-licence", "版本": "version", "变更原因": "Reason for the change",
	"保存变更": "Save the change", "返回": "Back", "有效期至（YYYY-MM-DD 或 长期）": "Valid until (YYYY-MM-DD or 长期 for open-ended)",
	"保存后生成新版本（证照编号不变，版本号加一，以本部门电子印章重新签名），原版本标记为已变更。": "Saving makes a new version (same number, version plus one, signed again with this department's seal key); the old version is marked changed.",
	"含公民身份号码的照面项以遮蔽形式显示，留空则不变。":                      "Face items holding an ID number are shown masked; leave them empty to keep them.",
}
