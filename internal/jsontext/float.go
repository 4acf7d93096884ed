package jsontext

import (
	"math"
	"strconv"
)

// AppendFloat writes f as encoding/json writes a float64, or reports false
// for NaN and ±Inf, which it refuses: shortest decimal that reads back
// exactly, in 'f' form, in 'e' form below 1e-6 or from 1e21, the
// exponent's leading zero dropped (1e-07 is 1e-7).
func AppendFloat(dst []byte, f float64) ([]byte, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, true
}
