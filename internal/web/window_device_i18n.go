package web

func init() { addEnglish(windowDeviceEnglish) }

// windowDeviceEnglish is the English of the windows' rating devices.
var windowDeviceEnglish = map[string]string{
	"为窗口的评价平板签发令牌：在平板上打开 /window/pair 输入令牌完成配对，之后它显示该窗口正在办理的服务，由窗口前的申请人评价。令牌只显示一次，平台只保存其摘要；设备遗失时请停用。": "Issue a window's rating tablet its token: open /window/pair on the tablet and enter the token; from then on it shows the service the window is giving, for the applicant at the window to rate. The token is shown once and only its digest is kept; revoke a lost device.",
	"已签发": "Issued", "令牌（只显示这一次）": "Token (shown this once)", "窗口": "Window", "名称": "Name", "签发令牌": "Issue a token",
	"签发时间": "Issued at", "使用中": "In use", "停用": "Revoke", "已停用": "Revoked", "尚未签发评价器。": "No device issued yet.",
	"评价器配对": "Pair the rating device", "令牌": "Token", "配对": "Pair",
	"在窗口的评价器上输入工作人员在控制台“窗口评价器”签发的令牌。配对后，本设备只能评价该窗口正在办理的服务。": "Enter the token the staff issued under “Window devices” in the console. Once paired, this device rates only the service its window is giving.",
	"服务": "Service", "工作人员": "Staff", "暂无待评价的服务。工作人员为您办理后，请在此评价。": "Nothing to rate yet. Once you have been served, rate it here.",
	"评价器已停用。": "The device is revoked.", "本次评价二维码": "Rating QR of this visit",
}
