package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is Linux's USER_HZ, the unit of /proc/<pid>/stat times.
const clockTick = 100

// cpuTime is the CPU time (user + system) /proc reports for a process.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; fields after it are
	// counted from its closing parenthesis.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTick
}

// postgresCPU sums the CPU time of every process named postgres (the
// server's backends, including ones that exit are missed - so sample
// around a phase whose connections stay open).
func postgresCPU() map[int]time.Duration {
	out := map[int]time.Duration{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		comm, err := os.ReadFile(d + "/comm")
		if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(d))
		out[pid] = cpuTime(pid)
	}
	return out
}

// cpuMeter measures CPU spent by PostgreSQL, the server and this process
// over a phase.
type cpuMeter struct {
	serverPid int
	loadPid   int // the load client: this process or a load process
	pg        map[int]time.Duration
	server    time.Duration
	self      time.Duration
}

func startCPU(serverPid int) *cpuMeter { return startCPUOf(serverPid, os.Getpid()) }

// startCPUOf is startCPU with the load client in another process.
func startCPUOf(serverPid, loadPid int) *cpuMeter {
	return &cpuMeter{serverPid: serverPid, loadPid: loadPid, pg: postgresCPU(), server: cpuTime(serverPid), self: cpuTime(loadPid)}
}

// stop returns the CPU time each spent since start.
func (m *cpuMeter) stop() (pg, server, self time.Duration) {
	for pid, t := range postgresCPU() {
		pg += t - m.pg[pid] // a new backend started at zero
	}
	if m.serverPid != 0 {
		server = cpuTime(m.serverPid) - m.server
	}
	return pg, server, cpuTime(m.loadPid) - m.self
}

// waitOrKill waits for a child process asked to end (signalled, or its
// input closed) to exit, and kills it when it takes longer than grace.
func waitOrKill(cmd *exec.Cmd, grace time.Duration) {
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
	}
}

// loadAverage is the machine's 1-minute load average, as /proc/loadavg
// says ("?" where there is none).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// processRSS is a process's resident memory in bytes.
func processRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS")
}

// cpuBusy reads the machine's busy and total CPU time so far, in ticks
// (/proc/stat's first line: idle and iowait count as not busy).
func cpuBusy() (busy, total uint64, ok bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0, 0, false
	}
	for i, s := range f[1:] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, 0, false
		}
		if i >= 8 { // guest time is already in user
			break
		}
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, total, true
}

// waitQuiet waits, at most limit, until the machine's CPUs were at most 10 %
// busy over half a second: what ran before (the previous section's
// clean-up, PostgreSQL's checkpoint) then does not slow one side of a
// comparison and not the other. It returns how long it waited and how busy
// the last half second was.
func waitQuiet(ctx context.Context, limit time.Duration) (waited time.Duration, busy float64) {
	start := time.Now()
	b0, t0, ok := cpuBusy()
	if !ok {
		return 0, -1
	}
	for {
		select {
		case <-ctx.Done():
			return time.Since(start), busy
		case <-time.After(500 * time.Millisecond):
		}
		b1, t1, ok := cpuBusy()
		if !ok || t1 == t0 {
			return time.Since(start), -1
		}
		busy = float64(b1-b0) / float64(t1-t0)
		if busy <= 0.10 || time.Since(start) >= limit {
			return time.Since(start), busy
		}
		b0, t0 = b1, t1
	}
}
