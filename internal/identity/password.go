package identity

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"github.com/tongban/tongban"
	"golang.org/x/crypto/argon2"
)

// Argon2Params are the argon2id cost parameters. The defaults follow the
// OWASP minimum (19 MiB, 2 passes, 1 lane); tests may lower them.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1}

const saltLen, keyLen = 16, 32

// HashPassword returns an encoded argon2id hash in the PHC string format.
func HashPassword(password string, p Argon2Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the encoded hash, using the
// parameters stored in the hash so that old hashes verify after a change.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

//go:embed common-passwords.txt
var commonPasswordList string

// commonPasswords are passwords guessers try first (common-passwords.txt),
// lower-cased.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// ValidatePassword enforces the password policy: 10–64 characters with at
// least two of letters, digits and symbols, not one of the common
// passwords, and not containing the person's own ID number (or its last
// six characters) or phone, which others know.
func ValidatePassword(field, pw string, personal ...string) error {
	n := len([]rune(pw))
	if n < MinPasswordLength || n > 64 {
		return tongban.FieldError(field, "密码长度应为%d至64位", MinPasswordLength)
	}
	var letter, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	kinds := 0
	for _, b := range []bool{letter, digit, other} {
		if b {
			kinds++
		}
	}
	if kinds < 2 {
		return tongban.FieldError(field, "密码须包含字母、数字、符号中的至少两类")
	}
	lower := strings.ToLower(pw)
	if commonPasswords[lower] {
		return tongban.FieldError(field, "该密码过于常见，容易被猜到，请换一个")
	}
	for _, p := range personal {
		p = strings.ToLower(p)
		if len(p) < 6 {
			continue
		}
		if strings.Contains(lower, p) || len(p) == 18 && strings.Contains(lower, p[12:]) {
			return tongban.FieldError(field, "密码不能包含身份证号或手机号")
		}
	}
	return nil
}
