package bench

import "fmt"

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
