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
}
