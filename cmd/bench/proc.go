package main

import (
	"fmt"
	"os"
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
	pg        map[int]time.Duration
	server    time.Duration
	self      time.Duration
}

func startCPU(serverPid int) *cpuMeter {
	return &cpuMeter{serverPid: serverPid, pg: postgresCPU(), server: cpuTime(serverPid), self: cpuTime(os.Getpid())}
}

// stop returns the CPU time each spent since start.
func (m *cpuMeter) stop() (pg, server, self time.Duration) {
	for pid, t := range postgresCPU() {
		pg += t - m.pg[pid] // a new backend started at zero
	}
	if m.serverPid != 0 {
		server = cpuTime(m.serverPid) - m.server
	}
	return pg, server, cpuTime(os.Getpid()) - m.self
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
