package license

import (
	"bytes"
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
func Canonical(l *tongban.License) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(CanonicalHeader + "\n")
	validTo := "长期"
	if !l.ValidTo.IsZero() {
		validTo = l.ValidTo.Format("2006-01-02")
	}
	meta := [][2]string{
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
	for k := range l.Face {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		meta = append(meta, [2]string{"face." + k, l.Face[k]})
	}
	for _, kv := range meta {
		if strings.ContainsFunc(kv[0]+kv[1], isControl) || strings.Contains(kv[0], ": ") {
			return nil, tongban.FieldError("face", "证照信息「%s」含有控制字符，无法签名", kv[0])
		}
		b.WriteString(kv[0] + ": " + kv[1] + "\n")
	}
	return b.Bytes(), nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
