package license

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban"
)

// IdentifierPrefix is the GB/T 36904 object-identifier arc of 电子证照.
const IdentifierPrefix = "1.2.156.3005.2."

const identifierField = "identifier"

// checkAlphabet is ISO/IEC 7064's alphanumeric alphabet: a character's
// index is its value (0–9 then A=10 … Z=35).
const checkAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// CheckChar computes the ISO/IEC 7064 MOD 37,36 (hybrid) check character
// of s, which must hold only characters of checkAlphabet.
func CheckChar(s string) (byte, error) {
	p := 36
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(checkAlphabet, s[i])
		if v < 0 {
			return 0, fmt.Errorf("character %q at %d is not 0-9 or A-Z", s[i], i)
		}
		t := (p + v) % 36
		if t == 0 {
			t = 36
		}
		p = (2 * t) % 37
	}
	return checkAlphabet[(37-p)%36], nil
}

// Identifier is a parsed GB/T 36904 licence identifier.
type Identifier struct {
	TypeCode   string             // 21: the defining ministry's credit code and a 3-digit sequence
	IssuerCode tongban.CreditCode // 18: the issuing org's 统一社会信用代码
	Serial     string             // the issuer's serial, digits and capitals
	Version    int                // 1–999
}

// String renders the identifier with its check character.
func (id Identifier) String() string {
	body := id.body()
	c, err := CheckChar(body)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s%s.%s.%s.%03d.%c", IdentifierPrefix, id.TypeCode, id.IssuerCode, id.Serial, id.Version, c)
}

// body is what the check character is computed over: the fields without
// dots, the version in three digits. Written by hand, not with Sprintf:
// formatting was a quarter of ParseIdentifier, which runs twice for every
// licence a submission names.
func (id Identifier) body() string {
	v := id.Version
	if v < 0 || v > 999 {
		return fmt.Sprintf("%s%s%s%03d", id.TypeCode, id.IssuerCode, id.Serial, v)
	}
	return id.TypeCode + string(id.IssuerCode) + id.Serial + string([]byte{'0' + byte(v/100), '0' + byte(v/10%10), '0' + byte(v%10)})
}

// Validate checks the fields an identifier is made of.
func (id Identifier) Validate() error {
	if err := ValidTypeCode(id.TypeCode); err != nil {
		return err
	}
	if len(id.IssuerCode) != 18 || !alnum(string(id.IssuerCode)) {
		return tongban.FieldError(identifierField, "证照标识中的发证机构代码应为18位统一社会信用代码")
	}
	if id.Serial == "" || len(id.Serial) > 40 || !alnum(id.Serial) {
		return tongban.FieldError(identifierField, "证照标识中的顺序号应为1至40位数字或大写字母")
	}
	if id.Version < 1 || id.Version > 999 {
		return tongban.FieldError(identifierField, "证照标识中的版本号应为001至999")
	}
	return nil
}

// ValidTypeCode checks a 证照类型代码: the defining ministry's 18-character
// 统一社会信用代码 (validated by GB 32100) and a 3-digit sequence.
func ValidTypeCode(code string) error {
	const field = "type_code"
	if len(code) != 21 {
		return tongban.FieldError(field, "证照类型代码应为21位（制证部门统一社会信用代码18位加3位顺序号）")
	}
	if _, err := tongban.ParseCreditCode(code[:18]); err != nil {
		return tongban.FieldError(field, "证照类型代码的前18位不是有效的统一社会信用代码")
	}
	for i := 18; i < 21; i++ {
		if code[i] < '0' || code[i] > '9' {
			return tongban.FieldError(field, "证照类型代码的后3位应为数字顺序号")
		}
	}
	return nil
}

// ParseIdentifier reads and checks a GB/T 36904 identifier: its prefix,
// the lengths of its fields and its check character. Errors are EInvalid
// naming the field "identifier", in Chinese.
func ParseIdentifier(s string) (Identifier, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	fail := func(msg string) (Identifier, error) {
		return Identifier{}, tongban.FieldError(identifierField, "%s", msg)
	}
	if !strings.HasPrefix(s, IdentifierPrefix) {
		return fail("证照标识应以 1.2.156.3005.2. 开头")
	}
	parts := strings.Split(s[len(IdentifierPrefix):], ".")
	if len(parts) != 5 {
		return fail("证照标识应由证照类型代码、发证机构代码、顺序号、版本号和校验位五段组成")
	}
	if len(parts[3]) != 3 || !digits(parts[3]) {
		return fail("证照标识中的版本号应为3位数字")
	}
	if len(parts[4]) != 1 {
		return fail("证照标识的校验位应为1个字符")
	}
	id := Identifier{TypeCode: parts[0], IssuerCode: tongban.CreditCode(parts[1]), Serial: parts[2]}
	v := parts[3] // three digits, checked above
	id.Version = int(v[0]-'0')*100 + int(v[1]-'0')*10 + int(v[2]-'0')
	if err := id.Validate(); err != nil {
		return Identifier{}, err
	}
	want, err := CheckChar(id.body())
	if err != nil {
		return fail("证照标识含有无效字符")
	}
	if parts[4][0] != want {
		return fail("证照标识的校验位不正确")
	}
	return id, nil
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(checkAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
