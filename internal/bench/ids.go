package bench

import (
	"fmt"
	"strings"
)

// CitizenID returns a valid 居民身份证号 (GB 11643 check digit) for the
// n-th test citizen of 广安区, distinct for n below 336,000.
func CitizenID(n int) string {
	day, month := 1+(n/1000)%28, 1+(n/28000)%12
	body := fmt.Sprintf("5116021990%02d%02d%03d", month, day, n%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// Phone returns a mobile number for the n-th test citizen.
func Phone(n int) string { return fmt.Sprintf("139%08d", n) }

// EnterpriseCode returns a valid 统一社会信用代码 (GB 32100 check character)
// for the n-th test enterprise of 广安区 (工商, 企业), distinct for n below
// ten million.
func EnterpriseCode(n int) string {
	const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	body := fmt.Sprintf("91511602MA%07d", n)
	sum, w := 0, 1
	for i := range 17 {
		sum += strings.IndexByte(charset, body[i]) * w
		w = w * 3 % 31
	}
	return body + string(charset[(31-sum%31)%31])
}
