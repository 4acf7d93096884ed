package tongban

import (
	"strings"
	"unicode/utf8"
)

// CreditCode is a 统一社会信用代码 (GB 32100-2015): 18 characters from
// creditCharset. It identifies an organisation, is public on its licence, and
// so is not masked: String returns the full value.
type CreditCode string

const creditCodeField = "credit_code"

// creditCharset is the standard's alphabet; a character's index is its value.
// I, O, Z, S, V are left out because they are easily misread as 1, 0, 2, 5, U.
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are 3^i mod 31, the weights of the GB 32100 check character.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

type creditAuthority struct {
	name  string
	types map[byte]string
}

// creditAuthorities is table 1 of GB 32100-2015 (登记管理部门代码 and the
// 机构类别代码 each may use) with the later A and N additions. A code outside
// it was not issued under the standard, so it is rejected.
var creditAuthorities = map[byte]creditAuthority{
	'1': {"机构编制", map[byte]string{'1': "机关", '2': "事业单位", '3': "中央编办直接管理机构编制的群众团体", '9': "其他"}},
	'2': {"外交", map[byte]string{'1': "外国常驻新闻机构", '9': "其他"}},
	'3': {"司法行政", map[byte]string{'1': "律师执业机构", '2': "公证处", '3': "基层法律服务所", '4': "司法鉴定机构", '5': "仲裁委员会", '9': "其他"}},
	'4': {"文化", map[byte]string{'1': "外国在华文化中心", '9': "其他"}},
	'5': {"民政", map[byte]string{'1': "社会团体", '2': "民办非企业单位", '3': "基金会", '9': "其他"}},
	'6': {"旅游", map[byte]string{'1': "外国旅游部门常驻代表机构", '2': "港澳台地区旅游部门常驻内地（大陆）代表机构", '9': "其他"}},
	'7': {"宗教", map[byte]string{'1': "宗教活动场所", '2': "宗教院校", '9': "其他"}},
	'8': {"工会", map[byte]string{'1': "基层工会", '9': "其他"}},
	'9': {"工商", map[byte]string{'1': "企业", '2': "个体工商户", '3': "农民专业合作社"}},
	'A': {"中央军委改革和编制办公室", map[byte]string{'1': "军队事业单位", '9': "其他"}},
	'N': {"农业", map[byte]string{'1': "组级集体经济组织", '2': "村级集体经济组织", '3': "乡镇级集体经济组织", '9': "其他"}},
	'Y': {"其他", map[byte]string{'1': "其他"}},
}

// ParseCreditCode validates a 统一社会信用代码 and returns it normalised:
// spaces trimmed, full-width characters folded, letters upper-cased. Errors
// are *Error with Code EInvalid and Field "credit_code".
//
// The 9th–17th characters (the GB 11714 organisation code) carry their own
// check digit, which is not verified: the 18th character already guards the
// whole code, and it is not established that every issued code (e.g. those
// of 个体工商户) satisfies GB 11714; refusing a real licence is the worse error.
func ParseCreditCode(s string) (CreditCode, error) {
	s = upperASCII(strings.TrimSpace(halfWidth(s)))
	fail := func(msg string) (CreditCode, error) { return "", FieldError(creditCodeField, "%s", msg) }
	if s == "" {
		return fail("请填写统一社会信用代码")
	}
	if utf8.RuneCountInString(s) != 18 {
		return fail("统一社会信用代码应为18位")
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(creditCharset, s[i]) < 0 {
			return fail("统一社会信用代码只能包含数字和大写字母（不使用I、O、Z、S、V）")
		}
	}
	auth, ok := creditAuthorities[s[0]]
	if !ok {
		return fail("统一社会信用代码第1位（登记管理部门代码）无效")
	}
	if _, ok := auth.types[s[1]]; !ok {
		return fail("统一社会信用代码第2位（机构类别代码）无效")
	}
	if !allDigits(s[2:8]) {
		return fail("统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字")
	}
	if creditCheckChar(s[:17]) != s[17] {
		return fail("统一社会信用代码校验位错误")
	}
	return CreditCode(s), nil
}

// creditCheckChar computes the check character of 17 charset characters.
func creditCheckChar(body string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditCharset, body[i]) * creditWeights[i]
	}
	return creditCharset[(31-sum%31)%31]
}

// String returns the full code; it is not personal data.
func (c CreditCode) String() string { return string(c) }

// UnmarshalJSON parses and validates; null and "" leave the zero value.
func (c *CreditCode) UnmarshalJSON(data []byte) error {
	s, ok, err := unmarshalJSONString(data, creditCodeField, "统一社会信用代码")
	if err != nil {
		return err
	}
	if !ok {
		*c = ""
		return nil
	}
	v, err := ParseCreditCode(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Authority returns the registration authority, e.g. "工商", or "" for a
// value that did not come from ParseCreditCode.
func (c CreditCode) Authority() string {
	if len(c) != 18 {
		return ""
	}
	return creditAuthorities[c[0]].name
}

// EntityType returns the kind of organisation, e.g. "企业", "个体工商户".
func (c CreditCode) EntityType() string {
	if len(c) != 18 {
		return ""
	}
	return creditAuthorities[c[0]].types[c[1]]
}

// RegionCode returns the 6-digit division code of the registering authority.
func (c CreditCode) RegionCode() string {
	if len(c) != 18 {
		return ""
	}
	return string(c[2:8])
}

// OrganizationCode returns the 9-character GB 11714 organisation code
// (characters 9–17), still used by systems predating 三证合一.
func (c CreditCode) OrganizationCode() string {
	if len(c) != 18 {
		return ""
	}
	return string(c[8:17])
}
