package web

// English for the OIDC sign-in and consent page.
func init() {
	for zh, en := range map[string]string{
		"授权登录": "Sign in to another system",
		"请求使用您的通办账号登录。":                          "asks to sign you in with your Tongban account.",
		"同意后，该系统将获得：":                            "If you agree, it receives:",
		"该系统只获得您在通办的账号标识，不获得个人信息。":               "It receives only your account's identifier, no personal data.",
		"每次提供个人信息都会记入您的数据使用记录。您可随时在“我的账户”中撤销授权。": "Every release of your personal data is written to your data-use record. You can withdraw consent under My account at any time.",
		"同意并登录":            "Agree and sign in",
		"拒绝":               "Decline",
		"您的姓名（企业为名称）":      "Your name (an enterprise's name)",
		"您已验证的手机号码":        "Your verified mobile number",
		"您的居民身份证号码":        "Your resident ID number",
		"在您不在线时继续访问（刷新令牌）": "Continued access while you are away (refresh token)",
	} {
		english[zh] = en
	}
}
