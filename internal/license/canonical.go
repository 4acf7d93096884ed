package license

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tongban/tongban"
)

// CanonicalHeader opens the signed byte form and binds its purpose and
// version into the signature (as DSSE's PAE binds the payload type).
const CanonicalHeader = "tongban-license/v1"

// Canonical is the exact byte form a licence is signed over: UTF-8 lines
// "name: value\n", the header first, the metadata in a fixed order, then
// the face items sorted by name as "face.<name>: value". Dates are
// YYYY-MM-DD; an open-ended validity is "长期". A value with a control
// character cannot be represented and is refused, so two different
// licences never share one byte form.
//
// It builds the form in one allocation of its exact size (the verify page
// builds it on every visit to check the signature); canonicalOf in the
// tests is the plain form it must equal.
func Canonical(l *tongban.License) ([]byte, error) {
	validTo := "长期"
	if !l.ValidTo.IsZero() {
		validTo = l.ValidTo.Format("2006-01-02")
	}
	meta := [...][2]string{
		{"identifier", l.Identifier},
		{"type_code", l.TypeCode},
		{"type_name", l.TypeName},
		{"number", l.Number},
		{"issuer", l.IssuerName},
		{"issuer_code", string(l.IssuerCode)},
		{"issued_on", l.IssuedOn.Format("2006-01-02")},
		{"valid_from", l.ValidFrom.Format("2006-01-02")},
		{"valid_to", validTo},
		{"holder", l.HolderName},
		{"holder_code", l.HolderCode},
		{"holder_kind", string(l.HolderKind)},
		{"region", l.RegionCode},
		{"version", fmt.Sprintf("%03d", l.Version)},
	}
	names := make([]string, 0, len(l.Face))
	size := len(CanonicalHeader) + 1
	for _, kv := range meta {
		size += len(kv[0]) + len(": ") + len(kv[1]) + 1
	}
	for k, v := range l.Face {
		names = append(names, k)
		size += len(facePrefix) + len(k) + len(": ") + len(v) + 1
	}
	sort.Strings(names)
	b := make([]byte, 0, size)
	b = append(b, CanonicalHeader+"\n"...)
	line := func(prefix, name, value string) error {
		// A name holding ": " would make two forms read alike; the meta
		// names are constants, so only a face name can.
		if strings.ContainsFunc(name, isControl) || strings.ContainsFunc(value, isControl) || strings.Contains(name, ": ") {
			return tongban.FieldError("face", "证照信息「%s」含有控制字符，无法签名", prefix+name)
		}
		b = append(append(append(append(append(b, prefix...), name...), ": "...), value...), '\n')
		return nil
	}
	for _, kv := range meta {
		if err := line("", kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	for _, k := range names {
		if err := line(facePrefix, k, l.Face[k]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// facePrefix names a face item in the canonical form.
const facePrefix = "face."

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
