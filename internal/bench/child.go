package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Child is a server running as a child process, so its memory and CPU are
// its own (RSS is measured on it) and it can be killed with SIGKILL.
type Child struct {
	Addr    string // 127.0.0.1:port
	LogPath string // its stdout and stderr
	cmd     *exec.Cmd
	done    chan struct{}
	err     error
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// StartChild runs bin with args and env (added to this process's), logging
// to logPath, and waits until GET http://addr+readyPath answers 200, the
// child exits, or timeout passes.
func StartChild(bin string, args, env []string, addr, readyPath, logPath string, timeout time.Duration) (*Child, error) {
	if err := checkHost(addr); err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, and it dies with us if we die first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	c := &Child{Addr: addr, LogPath: logPath, cmd: cmd, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		logf.Close()
		close(c.done)
	}()
	if err := c.waitReady(readyPath, timeout); err != nil {
		c.Kill()
		return nil, fmt.Errorf("%s did not become ready: %w\n%s", bin, err, c.Tail(30))
	}
	return c, nil
}

func (c *Child) waitReady(path string, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-c.done:
			return fmt.Errorf("exited: %v", c.err)
		default:
		}
		resp, err := client.Get(c.URL(path))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("timed out")
}

// Pid is the child's process id.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// URL is http://addr+path.
func (c *Child) URL(path string) string { return "http://" + c.Addr + path }

// Exited reports whether the child has exited.
func (c *Child) Exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// Kill sends SIGKILL to the child (a crash) and waits for it to be gone.
func (c *Child) Kill() error {
	if c.Exited() {
		return nil
	}
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
	return nil
}

// Stop asks the child to shut down (SIGTERM) and kills it after grace.
func (c *Child) Stop(grace time.Duration) error {
	if c.Exited() {
		return nil
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
		return nil
	case <-time.After(grace):
		return c.Kill()
	}
}

// Wait waits for the child to exit by itself, or for ctx to end.
func (c *Child) Wait(ctx context.Context) error {
	select {
	case <-c.done:
		return c.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Tail returns the last n lines of the child's log.
func (c *Child) Tail(n int) string {
	b, _ := os.ReadFile(c.LogPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
