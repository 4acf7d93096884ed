package license

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

// realIdentifier is a licence identifier issued in Hunan (住建部's type
// 11100000000013338W011), taken from a real licence, not computed here.
const realIdentifier = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"

func TestParseIdentifierRealVector(t *testing.T) {
	id, err := ParseIdentifier(realIdentifier)
	if err != nil {
		t.Fatalf("real identifier refused: %v", err)
	}
	if id.TypeCode != "11100000000013338W011" || id.IssuerCode != "11430000006122244L" || id.Serial != "20230000403" || id.Version != 1 {
		t.Fatalf("parsed %+v", id)
	}
	if got := id.String(); got != realIdentifier {
		t.Fatalf("round trip %q, want %q", got, realIdentifier)
	}
}

func TestParseIdentifierRefusesMutations(t *testing.T) {
	// Every other check character must be refused.
	for _, c := range checkAlphabet {
		if c == 'U' {
			continue
		}
		s := realIdentifier[:len(realIdentifier)-1] + string(c)
		if _, err := ParseIdentifier(s); tongban.AsError(err).Field != identifierField {
			t.Errorf("check %c accepted or wrong error: %v", c, err)
		}
	}
	// Changing any one character of the four middle fields breaks the check.
	body := realIdentifier[len(IdentifierPrefix) : len(realIdentifier)-2]
	for i := 0; i < len(body); i++ {
		if body[i] == '.' {
			continue
		}
		for _, c := range []byte{'0', '7', 'A', 'X'} {
			if c == body[i] {
				continue
			}
			b := []byte(body)
			b[i] = c
			s := IdentifierPrefix + string(b) + realIdentifier[len(realIdentifier)-2:]
			if _, err := ParseIdentifier(s); err == nil {
				t.Errorf("mutation at %d to %c accepted: %s", i, c, s)
			}
		}
	}
	bad := map[string]string{
		"wrong prefix":    strings.Replace(realIdentifier, "3005", "3006", 1),
		"short version":   strings.Replace(realIdentifier, ".001.", ".01.", 1),
		"missing part":    strings.Replace(realIdentifier, ".20230000403", "", 1),
		"short type":      strings.Replace(realIdentifier, "W011", "W01", 1),
		"two check chars": strings.Replace(realIdentifier, ".001.U", ".001.UU", 1),
	}
	for name, s := range bad {
		err := parseErr(s)
		if e := tongban.AsError(err); e == nil || e.Code != tongban.EInvalid || e.Message == "" {
			t.Errorf("%s: %q gave %v", name, s, err)
		}
	}
}

func parseErr(s string) error { _, err := ParseIdentifier(s); return err }

func TestCheckCharSwapsDetected(t *testing.T) {
	// MOD 37,36 detects every transposition of two adjacent different characters.
	body := "11100000000013338W01111430000006122244L20230000403001"
	want, _ := CheckChar(body)
	for i := 0; i+1 < len(body); i++ {
		if body[i] == body[i+1] {
			continue
		}
		b := []byte(body)
		b[i], b[i+1] = b[i+1], b[i]
		if got, _ := CheckChar(string(b)); got == want {
			t.Errorf("swap at %d undetected", i)
		}
	}
}

// FuzzIdentifierRoundTrip: any identifier built from valid fields parses
// back to itself, and any single-character change of its check is refused.
func FuzzIdentifierRoundTrip(f *testing.F) {
	f.Add("20230000403", 1, 0)
	f.Add("A1", 999, 35)
	f.Fuzz(func(t *testing.T, serial string, version, other int) {
		serial = strings.ToUpper(serial)
		id := Identifier{TypeCode: "11100000000013338W011", IssuerCode: "11430000006122244L", Serial: serial, Version: version}
		if id.Validate() != nil {
			return
		}
		s := id.String()
		got, err := ParseIdentifier(s)
		if err != nil || got != id {
			t.Fatalf("%q: %+v, %v", s, got, err)
		}
		if other < 0 {
			other = -other
		}
		c := checkAlphabet[other%36]
		if c != s[len(s)-1] {
			if _, err := ParseIdentifier(s[:len(s)-1] + string(c)); err == nil {
				t.Fatalf("wrong check %c accepted for %s", c, s)
			}
		}
	})
}

// TestIdentifierBodyIsTheFormat: body by hand is the Sprintf it replaced,
// for every version (out of range too) and any fields.
func TestIdentifierBodyIsTheFormat(t *testing.T) {
	for _, f := range []Identifier{{TypeCode: "11100000000013338W011", IssuerCode: "11430000006122244L", Serial: "20230000403"}, {Serial: "A"}, {}} {
		for v := -1001; v <= 1001; v++ {
			id := f
			id.Version = v
			if got, want := id.body(), fmt.Sprintf("%s%s%s%03d", id.TypeCode, id.IssuerCode, id.Serial, id.Version); got != want {
				t.Fatalf("%+v: body %q, want %q", id, got, want)
			}
		}
	}
}

// TestParseIdentifierVersions: the version's three digits read as the
// decimal number they spell, leading zeros included.
func TestParseIdentifierVersions(t *testing.T) {
	for _, v := range []int{1, 7, 10, 99, 100, 408, 999} {
		id := Identifier{TypeCode: "11100000000013338W011", IssuerCode: "11430000006122244L", Serial: "20230000403", Version: v}
		got, err := ParseIdentifier(id.String())
		if err != nil || got.Version != v {
			t.Errorf("%s: version %d, %v; want %d", id.String(), got.Version, err, v)
		}
	}
	if _, err := ParseIdentifier(strings.Replace(realIdentifier, ".001.", ".000.", 1)); err == nil {
		t.Errorf("version 000 accepted")
	}
}
