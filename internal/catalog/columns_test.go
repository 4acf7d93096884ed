package catalog

import "testing"

func TestColumnNamesAreUnambiguous(t *testing.T) {
	t.Parallel()
	owner := map[string]string{}
	for _, c := range Columns {
		for _, name := range append([]string{c.Key, c.Header}, c.Aliases...) {
			n := normalizeHeader(name)
			if o, ok := owner[n]; ok && o != c.Key {
				t.Errorf("header %q names both %s and %s", name, o, c.Key)
			}
			owner[n] = c.Key
		}
	}
}

func TestColumnForHeader(t *testing.T) {
	t.Parallel()
	for header, key := range map[string]string{
		"department": colOrg, "main_item": colMainItem, "item_name": colItemName,
		"implementation_code": colCode, "item_type": colItemType, "region_code": colRegion,
		"事项名称": colItemName, "name": colItemName, "实施部门": colOrg, "org": colOrg, "*实施编码": colCode,
		"Promised Days": colPromisedDays, "承诺时限": colPromisedDays, "法定时限": colStatutoryDays,
		"ＩＴＥＭ＿ＴＹＰＥ": colItemType, "\ufeffdepartment": colOrg,
	} {
		c, ok := ColumnForHeader(header)
		if !ok || c.Key != key {
			t.Errorf("%q → %q %v, want %s", header, c.Key, ok, key)
		}
	}
	if _, ok := ColumnForHeader("备注"); ok {
		t.Error("unknown headers are not columns")
	}
}

func TestCellEscapingRoundTrips(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"plain", `a|b;c\d`, "two\nlines", `trailing\`, "中文｜全角"} {
		line := joinLine(s, s)
		f := lineFields(line, 2)
		if len(cellLines(line)) != 1 || f[0] != s || f[1] != s {
			t.Errorf("%q → %q → %q", s, line, f)
		}
	}
}
