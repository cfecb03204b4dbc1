package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// peerProc is a peer under comparison (-peer): another project's server
// run as a child process on loopback, in its own process group so that
// stopping it stops whatever it started. It is killed when the section
// ends, when the bench's context ends (Ctrl-C) and, through the parent
// death signal, when the bench itself dies.
type peerProc struct {
	name string
	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{}
}

// startPeer starts argv in dir with env added to the bench's own.
func startPeer(ctx context.Context, name, dir string, env []string, argv ...string) (*peerProc, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	p := &peerProc{name: name, cmd: cmd, out: &tailBuffer{max: 4096}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	return p, nil
}

func (p *peerProc) pid() int { return p.cmd.Process.Pid }

// exited is why the peer is no longer running, with the end of its output.
func (p *peerProc) exited() error {
	select {
	case <-p.done:
		return fmt.Errorf("%s exited (%v): %s", p.name, p.cmd.ProcessState, p.out.last())
	default:
		return nil
	}
}

// waitReady polls ready until it succeeds, the peer exits or the timeout.
func (p *peerProc) waitReady(ctx context.Context, timeout time.Duration, ready func(context.Context) error) error {
	deadline := time.Now().Add(timeout)
	for {
		if err := p.exited(); err != nil {
			return err
		}
		err := ready(ctx)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s not ready after %s: %w (output: %s)", p.name, timeout, err, p.out.last())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stop ends the peer's process group: SIGTERM, then SIGKILL after 5 s.
func (p *peerProc) stop() {
	_ = syscall.Kill(-p.pid(), syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.pid(), syscall.SIGKILL)
		<-p.done
	}
}

// rss is the peer process's resident memory in bytes.
func (p *peerProc) rss() (int64, error) { return processRSS(p.pid()) }

// tailBuffer keeps the end of a peer's output, for the error that says
// why it did not start.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, b...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(b), nil
}

func (t *tailBuffer) last() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.b))
	if len(s) > 600 {
		s = "..." + s[len(s)-600:]
	}
	return s
}

// freePort is a loopback port nobody listens on (a peer is told its
// port; it cannot report one it picked).
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// peerCache is the directory a peer is installed into once and reused
// from: <user cache dir>/pageinbox-bench/<name>.
func peerCache(name string) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(base, "pageinbox-bench", name)
	return dir, os.MkdirAll(dir, 0o755)
}

// install runs an installing command (npm, go), logging that a first run
// downloads, and returns its output's end on failure.
func install(ctx context.Context, dir string, env []string, argv ...string) error {
	if _, err := exec.LookPath(argv[0]); err != nil {
		return fmt.Errorf("%s not found: %w", argv[0], err)
	}
	logf("peer: installing once into %s: %s (the first run downloads; later runs reuse it)", dir, strings.Join(argv, " "))
	ictx, cancel := context.WithTimeout(ctx, 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ictx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out := &tailBuffer{max: 4096}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, out.last())
	}
	return nil
}

// httpOK posts body to url and wants a 200.
func httpOK(ctx context.Context, url string, header http.Header, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header = header
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	if res.StatusCode != http.StatusOK {
		return errors.New(res.Status + ": " + string(b))
	}
	return nil
}
