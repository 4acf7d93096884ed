package bench

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// PeakRSS returns the peak resident set size (VmHWM) of process pid, in
// bytes, since it started or since ResetPeakRSS.
func PeakRSS(pid int) (int64, error) { return statusKB(pid, "VmHWM:") }

// RSS returns the current resident set size (VmRSS) of pid, in bytes.
func RSS(pid int) (int64, error) { return statusKB(pid, "VmRSS:") }

// ResetPeakRSS resets pid's VmHWM to its current RSS (Linux clear_refs 5),
// so the next PeakRSS covers one scenario only. Needs to own the process.
func ResetPeakRSS(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

func statusKB(pid int, key string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("%s not in /proc/%d/status", key, pid)
}
