package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The fan-out's subscribers live in load processes of their own (this
// binary, re-run with -load), one per server. A process may hold no more
// open files than its hard limit (20,000 on the reference machine, not
// raisable without privilege), and both servers' 10,000 subscribers at
// once need more than that: in one process the two servers could only run
// one after the other, so a pair's two messages met different machines
// (PostgreSQL's background work after our sends, for one). With a process
// each they are connected at the same time and take turns message by
// message; each side's load process is built and run the same way.

// loadSpec says whom a load process connects and how.
type loadSpec struct {
	// Kind is "graphql" (graphql-transport-ws, an inboxEvent subscription
	// per token) or "centrifugo" (Centrifugo's JSON protocol, Count
	// clients with tokens signed by Secret).
	Kind   string         `json:"kind"`
	URL    string         `json:"url"`
	Tokens []string       `json:"tokens,omitempty"`
	Query  string         `json:"query,omitempty"`
	Vars   map[string]any `json:"vars,omitempty"`
	Secret string         `json:"secret,omitempty"`
	Count  int            `json:"count,omitempty"`
}

// loadProc is a running load process. Its commands go one at a time,
// one line each way.
type loadProc struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader

	mu       sync.Mutex
	receipts map[int][]int64 // seq -> each subscriber's receipt, Unix ns
}

// startLoad starts a load process and returns once every subscriber is
// connected and subscribed.
func startLoad(ctx context.Context, spec loadSpec, timeout time.Duration) (*loadProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-load")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &loadProc{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20), receipts: map[int][]int64{}}
	b, err := json.Marshal(spec)
	if err != nil {
		p.stop()
		return nil, err
	}
	if _, err := p.call(timeout, string(b)); err != nil {
		p.stop()
		return nil, fmt.Errorf("load process: %w", err)
	}
	return p, nil
}

// call sends one command line and returns the reply after "ok".
func (p *loadProc) call(timeout time.Duration, line string) (string, error) {
	type reply struct {
		s   string
		err error
	}
	done := make(chan reply, 1)
	go func() {
		if _, err := io.WriteString(p.in, line+"\n"); err != nil {
			done <- reply{err: err}
			return
		}
		s, err := p.out.ReadString('\n')
		done <- reply{s: strings.TrimSuffix(s, "\n"), err: err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return "", r.err
		}
		if rest, ok := strings.CutPrefix(r.s, "ok"); ok {
			return strings.TrimPrefix(rest, " "), nil
		}
		return "", errors.New(strings.TrimPrefix(r.s, "error "))
	case <-time.After(timeout):
		p.stop() // the reply will not come: nothing else may be asked
		return "", fmt.Errorf("no reply in %s", timeout)
	}
}

// wait blocks until n subscribers received seq, then keeps when each got
// it for latencies.
func (p *loadProc) wait(_ context.Context, seq, n int, timeout time.Duration) error {
	reply, err := p.call(timeout+10*time.Second, fmt.Sprintf("wait %d %d %d", seq, n, timeout.Milliseconds()))
	if err != nil {
		return err
	}
	f := strings.Fields(reply)
	at := make([]int64, len(f))
	for i, s := range f {
		if at[i], err = strconv.ParseInt(s, 10, 64); err != nil {
			return fmt.Errorf("load process: %q: %w", s, err)
		}
	}
	p.mu.Lock()
	p.receipts[seq] = at
	p.mu.Unlock()
	return nil
}

// latencies returns each receipt of seq measured from t0 (wall clocks of
// one machine: the processes share it).
func (p *loadProc) latencies(seq int, t0 time.Time) []time.Duration {
	p.mu.Lock()
	at := p.receipts[seq]
	p.mu.Unlock()
	out := make([]time.Duration, len(at))
	for i, ns := range at {
		out[i] = time.Unix(0, ns).Sub(t0)
	}
	return out
}

// errors returns how many frames the subscribers could not read.
func (p *loadProc) errors() (int64, error) {
	reply, err := p.call(10*time.Second, "errors")
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(reply, 10, 64)
}

func (p *loadProc) pid() int { return p.cmd.Process.Pid }

// stop ends the process: closing its input closes its sockets.
func (p *loadProc) stop() {
	_ = p.in.Close()
	waitOrKill(p.cmd, 10*time.Second)
}

// loadMain is the load process: it reads its spec, connects, says "ok",
// then answers "wait <seq> <n> <timeout ms>" with every receipt of seq
// (Unix ns) once n subscribers have it, and "errors" with the count of
// unreadable frames, until its input closes.
func loadMain() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	reply := func(format string, args ...any) {
		fmt.Fprintf(out, format+"\n", args...)
		_ = out.Flush()
	}
	line, err := in.ReadString('\n')
	if err != nil {
		return
	}
	var spec loadSpec
	if err := json.Unmarshal([]byte(line), &spec); err != nil {
		reply("error spec: %v", err)
		return
	}
	raiseFileLimit(uint64(len(spec.Tokens) + spec.Count + 1024))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := newDeliveries()
	readers := &sync.WaitGroup{}
	explain, err := connectLoad(ctx, spec, d, readers)
	if err != nil {
		reply("error %v", explain(err))
		return
	}
	reply("ok")
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			cancel()
			readers.Wait()
			return
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 4 && f[0] == "wait":
			seq, _ := strconv.Atoi(f[1])
			n, _ := strconv.Atoi(f[2])
			ms, _ := strconv.Atoi(f[3])
			if err := d.wait(ctx, seq, n, time.Duration(ms)*time.Millisecond); err != nil {
				reply("error %v", explain(err))
				continue
			}
			var b strings.Builder
			b.WriteString("ok")
			for _, at := range d.receipts(seq) {
				b.WriteByte(' ')
				b.WriteString(strconv.FormatInt(at.UnixNano(), 10))
			}
			reply("%s", b.String())
		case len(f) == 1 && f[0] == "errors":
			reply("ok %d", d.errs.Load())
		default:
			reply("error unknown command %q", line)
		}
	}
}

// connectLoad connects the spec's subscribers with 32 dialers; explain
// adds what the server said to a failure.
func connectLoad(ctx context.Context, spec loadSpec, d *deliveries, readers *sync.WaitGroup) (explain func(error) error, err error) {
	explain = func(err error) error { return err }
	var dial func(i int) error
	n := spec.Count
	switch spec.Kind {
	case "graphql":
		n = len(spec.Tokens)
		dial = func(i int) error { return subscribe(ctx, spec.URL, spec.Tokens[i], spec.Query, spec.Vars, d, readers) }
	case "centrifugo":
		c := &centrifugoClient{url: spec.URL, secret: []byte(spec.Secret)}
		explain = c.explain
		dial = func(i int) error { return c.subscribe(ctx, "agent-"+strconv.Itoa(i), d, readers) }
	default:
		return explain, fmt.Errorf("unknown kind %q", spec.Kind)
	}
	var (
		dialers sync.WaitGroup
		mu      sync.Mutex
		first   error
		failed  atomic.Bool
	)
	next := make(chan int)
	for range 32 {
		dialers.Go(func() {
			for i := range next {
				if failed.Load() {
					continue
				}
				if err := dial(i); err != nil {
					failed.Store(true)
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	dialers.Wait()
	return explain, first
}
