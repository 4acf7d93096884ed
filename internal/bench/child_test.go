package bench

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The test binary doubles as a child server when BENCH_TEST_CHILD is set.
func TestMain(m *testing.M) {
	if addr := os.Getenv("BENCH_TEST_CHILD"); addr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /", HelloHandler(500))
		if err := Serve(context.Background(), addr, mux); err != nil {
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func startTestChild(t *testing.T) *Child {
	t.Helper()
	addr, err := FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	c, err := StartChild(os.Args[0], []string{"-test.run=^$"}, []string{"BENCH_TEST_CHILD=" + addr}, addr, "/healthz",
		filepath.Join(t.TempDir(), "child.log"), 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Kill() })
	return c
}

func TestChildKillAndRSS(t *testing.T) {
	c := startTestChild(t)
	peak, err := PeakRSS(c.Pid())
	if err != nil || peak <= 0 {
		t.Fatalf("PeakRSS: %d %v", peak, err)
	}
	if err := ResetPeakRSS(c.Pid()); err != nil {
		t.Logf("cannot reset the peak RSS here: %v", err)
	}
	if rss, err := RSS(c.Pid()); err != nil || rss <= 0 {
		t.Fatalf("RSS: %d %v", rss, err)
	}
	c.Kill()
	if !c.Exited() {
		t.Fatal("child still running after SIGKILL")
	}
	if _, err := http.Get(c.URL("/")); err == nil {
		t.Error("killed child still answers")
	}
}

func TestChildStop(t *testing.T) {
	c := startTestChild(t)
	resp, err := http.Get(c.URL("/"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := c.Stop(10 * time.Second); err != nil || !c.Exited() {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := PeakRSS(c.Pid()); err == nil {
		t.Error("process " + strconv.Itoa(c.Pid()) + " still has a status")
	}
}

func TestStartChildRefusesRemoteAddr(t *testing.T) {
	if _, err := StartChild(os.Args[0], nil, nil, "10.0.0.1:80", "/", filepath.Join(t.TempDir(), "x.log"), time.Second); err == nil {
		t.Fatal("started a child for a non-loopback address")
	}
}

func TestMedianAndAlternate(t *testing.T) {
	if Median([]float64{3, 1, 2}) != 2 || Median([]float64{4, 1, 2, 3}) != 2.5 || Median(nil) != 0 {
		t.Error("Median")
	}
	var order []string
	m := func(name string, tp float64) func(context.Context) (Measurement, error) {
		return func(context.Context) (Measurement, error) {
			order = append(order, name)
			return Measurement{Throughput: tp}, nil
		}
	}
	c, err := Alternate(context.Background(), 3, m("ref", 100), m("tongban", 50))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(order); got != 6 || order[0] != "ref" || order[1] != "tongban" || order[4] != "ref" {
		t.Errorf("order %v", order)
	}
	if c.Ratio() != 0.5 || len(c.Ratios()) != 3 || c.MedianRef().Throughput != 100 {
		t.Errorf("ratio %v ratios %v", c.Ratio(), c.Ratios())
	}
}
