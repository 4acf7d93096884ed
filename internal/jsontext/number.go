package jsontext

// Number reads the JSON number at b[i] and returns the offset after it, or
// -1 if it is not one, and whether it might not fit a float64: it has an
// exponent or more than 308 digits before its point (below 1e308
// otherwise, and MaxFloat64 is 1.8e308). The single-pass scanners of the
// request body, the form and the case's answer share it.
func Number(b []byte, i int) (int, bool) {
	digits := func(i int) int {
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i
	}
	if b[i] == '-' {
		i++
	}
	big := false
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		j := digits(i + 1)
		big = j-i > 308
		i = j
	default:
		return -1, false
	}
	if i < len(b) && b[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return -1, false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return -1, false
		}
		i, big = j, true
	}
	return i, big
}
