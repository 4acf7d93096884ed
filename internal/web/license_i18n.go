package web

func init() { addEnglish(licenseEnglish) }

// licenseEnglish is the English of the e-licence pages: the wallet, the
// public verification page and share links.
var licenseEnglish = map[string]string{
	"电子证照核验": "E-licence verification", "我的证照": "My licences",
	"核验码印在电子证照的二维码中，或由持证人以加注件链接提供。": "The verification code is in the QR code on an e-licence, or in a share link its holder gave you.",
	"证照类型": "Licence type", "证照编号": "Number", "持证主体": "Holder", "发证机关": "Issued by", "发证日期": "Issued on",
	"版本": "Version", "电子签名": "Signature", "核验通过": "verified", "密钥": "key", "核验不通过": "does not verify",
	"证照标识": "Identifier", "证照照面": "Licence face", "下载加注件（PDF）": "Download the annotated copy (PDF)",
	"本页无需登录；持证人姓名已隐去部分。每次打开本页都会记录，持证人可以查看。签名用发证机关公布的公钥核验：": "No sign-in needed; the holder's name is partly hidden. Every visit of this page is recorded and shown to the holder. The signature is checked with the issuer's published key:",
	"有效": "Valid", "已注销": "Revoked", "已变更": "Superseded", "查无此证照": "No such licence", "签名核验不通过": "Signature does not verify",
	"长期": "Indefinite",
	"政府部门签发给您的电子证照，与纸质证照具有同等效力。办事时经您授权即可使用，无需再提交纸质证照；每次使用、每次扫码核验都记录在“用证记录”中。": "E-licences government departments issued to you, with the force of the paper ones. With your consent an application uses them and you hand in no paper; every use and every scan is listed under “Uses”.",
	"核验二维码": "Verification QR code", "核验页": "Verification page", "下载证照（PDF）": "Download (PDF)", "下载签名版": "Download the signed form",
	"加注件": "Share links", "用途：仅供办理……使用": "Purpose: only for", "如：食品经营许可证延续": "e.g. 食品经营许可证延续",
	"生成加注件": "Make a share link", "证照不是有效状态，不能制作加注件。": "The licence is not valid; no share link can be made.",
	"PDF": "PDF", "撤销": "Withdraw", "已撤销": "withdrawn", "用证记录": "Uses", "授权办件": "You authorised case",
	"使用本证照": "to use this licence", "用证事由": "reason", "尚无使用记录。": "Not used yet.",
	"您还没有电子证照。办理结果为证照的事项办结后，证照会出现在这里。": "You hold no e-licences yet. When an application whose result is a licence is completed, the licence appears here.",
	"加注件已撤销，链接不能再打开。":                  "Share link withdrawn; it no longer opens.",
	"该加注件已被持证人撤销，不能再使用":                "The holder has withdrawn this share link; it can no longer be used.",
	"使用我的电子证照，无需上传":                    "Use my e-licence; nothing to upload", "我授权本次申请使用所选电子证照": "I authorise this application to use the chosen e-licence",
	"授权只用于本次办件，记入“我的证照”的用证记录；不授权则请上传材料。": "The consent serves this case only and is listed under Uses in “My licences”; without it, please upload the file.",
	"签名核验通过": "Signature verified",
}
