package catalog

import (
	"strconv"
	"strings"
)

// Nested parts are written one entry per line, fields separated by '|' and
// effects by ';'. A backslash escapes the separators, itself and a line
// break (\n), so any text survives a round trip while plain text stays
// plain for the admin typing it in Excel.

// escapeCell escapes one leaf value.
func escapeCell(s string) string {
	if !strings.ContainsAny(s, "\\|;\n\r") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '|', ';':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unescapeCell undoes escapeCell and trims the surrounding spaces.
func unescapeCell(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	escaped := false
	for _, r := range s {
		switch {
		case escaped && r == 'n':
			b.WriteByte('\n')
		case escaped && r == 'r':
			b.WriteByte('\r')
		case escaped:
			b.WriteRune(r)
		case r == '\\':
			escaped = true
			continue
		default:
			b.WriteRune(r)
		}
		escaped = false
	}
	if escaped { // a lone trailing backslash is kept as typed
		b.WriteByte('\\')
	}
	return b.String()
}

// splitRaw splits s at unescaped sep, leaving escapes in place so that a part
// can be split again at another separator before it is unescaped.
func splitRaw(s string, sep rune) []string {
	var parts []string
	start, escaped := 0, false
	for i, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == sep:
			parts = append(parts, s[start:i])
			start = i + len(string(sep))
		}
	}
	return append(parts, s[start:])
}

// cellLines splits a cell into its non-blank lines.
func cellLines(cell string) []string {
	var lines []string
	for _, l := range strings.Split(cell, "\n") {
		if l = strings.TrimSpace(strings.TrimSuffix(l, "\r")); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// lineFields splits one line into unescaped fields; missing trailing
// fields read as empty, so short lines are fine.
func lineFields(line string, n int) []string {
	raw := splitRaw(line, '|')
	f := make([]string, max(n, len(raw)))
	for i, r := range raw {
		f[i] = unescapeCell(r)
	}
	return f
}

// joinLine escapes fields and joins them with '|', dropping empty trailing fields.
func joinLine(fields ...string) string {
	for len(fields) > 1 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	esc := make([]string, len(fields))
	for i, f := range fields {
		esc[i] = escapeCell(f)
	}
	return strings.Join(esc, "|")
}

// splitWords splits a list cell such as themes or aliases.
func splitWords(cell string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(cell, func(r rune) bool {
		return strings.ContainsRune("、,，;；\n", r)
	}) {
		if w = strings.TrimSpace(w); w != "" {
			words = append(words, w)
		}
	}
	return words
}

// parseDays reads a non-negative day count. Real lists write "20个工作日" or
// "即办" as often as "20", so those are accepted too.
func parseDays(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "即办" {
		return 0, true
	}
	for _, suffix := range []string{"个工作日", "工作日", "天", "日"} {
		if t, ok := strings.CutSuffix(s, suffix); ok {
			s = strings.TrimSpace(t)
			break
		}
	}
	return parseCount(s)
}

// parseCount reads a non-negative integer of sane size.
func parseCount(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 100000 {
		return 0, false
	}
	return n, true
}

// parseBool reads the spellings of yes and no an admin may type.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "否", "n", "no", "false", "0", "×", "x", "不支持", "无":
		return false, true
	case "是", "y", "yes", "true", "1", "√", "支持", "有":
		return true, true
	}
	return false, false
}

func formatBool(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
