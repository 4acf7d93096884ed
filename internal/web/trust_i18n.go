package web

// English for the trust additions: the counter's reveal reason and the
// supervision page's staff alerts.
func init() {
	for zh, en := range map[string]string{
		"查看事由":        "Reason for viewing",
		"如：核对申请表联系电话": "e.g. checking the phone on the form",
		"个人信息查看异常":    "Unusual reads of personal data",
		"时间":          "Time",
		"工作人员":        "Staff member",
		"情况":          "What happened",
		"近30天没有工作人员超限查看完整身份证号、手机号。": "No staff member went past the limit of full ID number and phone reads in the last 30 days.",
		"查看完整身份证号和手机号须填写事由":         "Give a reason to see the full ID number and phone",
		"请先输入申请人出示的身份证号核验身份，再查看其信息": "First enter the ID number the applicant presents, then view their details",
	} {
		english[zh] = en
	}
}
