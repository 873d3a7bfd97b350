package bench

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// clockTicks is USER_HZ, the unit of utime/stime in /proc/PID/stat: 100 on
// every Linux architecture Go supports (sysconf(_SC_CLK_TCK) needs cgo).
const clockTicks = 100

// ParseVmHWM returns the VmHWM line of /proc/PID/status (peak resident set
// size) in KiB.
func ParseVmHWM(status []byte) (int64, error) {
	for line := range bytes.Lines(status) {
		rest, ok := bytes.CutPrefix(line, []byte("VmHWM:"))
		if !ok {
			continue
		}
		fields := bytes.Fields(rest)
		if len(fields) != 2 || string(fields[1]) != "kB" {
			return 0, fmt.Errorf("unexpected VmHWM line %q", bytes.TrimSpace(line))
		}
		return strconv.ParseInt(string(fields[0]), 10, 64)
	}
	return 0, errors.New("no VmHWM line (a kernel thread, or a process that has exited)")
}

// ParseStatCPU returns utime+stime of /proc/PID/stat: the CPU time of every
// thread of the process so far (not of its children).
func ParseStatCPU(stat []byte) (time.Duration, error) {
	// The command name (field 2) is in parentheses and may hold anything;
	// the fields after the last ')' start with field 3 (state).
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("malformed stat: no ')'")
	}
	fields := bytes.Fields(stat[i+1:])
	const utime, stime = 14 - 3, 15 - 3
	if len(fields) <= stime {
		return 0, fmt.Errorf("malformed stat: %d fields after the name", len(fields))
	}
	u, err := strconv.ParseInt(string(fields[utime]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("malformed stat utime: %w", err)
	}
	s, err := strconv.ParseInt(string(fields[stime]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("malformed stat stime: %w", err)
	}
	return time.Duration(u+s) * time.Second / clockTicks, nil
}

// ProcStats is what a ProcSampler saw of the processes running one binary.
type ProcStats struct {
	// PeakRSSKiB is the largest VmHWM of any of them.
	PeakRSSKiB int64
	// CPU is the sum over processes of the last utime+stime read; the CPU
	// used in the last sampling interval before each exit is missed.
	CPU time.Duration
	// PIDs are the processes seen.
	PIDs []int
}

// ProcSampler polls /proc for processes whose executable is Exe, keeping
// their peak RSS (VmHWM, a high-water mark kept by the kernel, so a sample
// loses only growth in the last interval before the process exits) and
// CPU time.
type ProcSampler struct {
	exe      string
	procRoot string
	interval time.Duration

	mu    sync.Mutex
	peak  int64
	cpu   map[int]time.Duration
	order []int

	stop chan struct{}
	done chan struct{}
}

// NewProcSampler watches processes running exe (resolved to an absolute
// path without symlinks, like /proc/PID/exe).
func NewProcSampler(exe string, interval time.Duration) (*ProcSampler, error) {
	abs, err := filepath.Abs(exe)
	if err != nil {
		return nil, err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, err
	}
	return &ProcSampler{exe: abs, procRoot: "/proc", interval: interval, cpu: map[int]time.Duration{}}, nil
}

// Start samples now and then every interval until Stop.
func (s *ProcSampler) Start() {
	s.stop, s.done = make(chan struct{}), make(chan struct{})
	s.Sample()
	go func() {
		defer close(s.done)
		t := time.NewTicker(s.interval)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.Sample()
			}
		}
	}()
}

// Stop ends sampling and returns what was seen.
func (s *ProcSampler) Stop() ProcStats {
	if s.stop != nil {
		close(s.stop)
		<-s.done
		s.stop = nil
	}
	return s.Stats()
}

// Stats is what was seen so far.
func (s *ProcSampler) Stats() ProcStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := ProcStats{PeakRSSKiB: s.peak, PIDs: append([]int(nil), s.order...)}
	for _, c := range s.cpu {
		st.CPU += c
	}
	return st
}

// Sample reads every matching process once.
func (s *ProcSampler) Sample() {
	for _, pid := range s.matching() {
		dir := filepath.Join(s.procRoot, strconv.Itoa(pid))
		status, err := os.ReadFile(filepath.Join(dir, "status"))
		if err != nil {
			continue // exited meanwhile
		}
		hwm, hwmErr := ParseVmHWM(status)
		stat, err := os.ReadFile(filepath.Join(dir, "stat"))
		var cpu time.Duration
		var cpuErr error
		if err == nil {
			cpu, cpuErr = ParseStatCPU(stat)
		} else {
			cpuErr = err
		}
		s.mu.Lock()
		if _, seen := s.cpu[pid]; !seen {
			s.order = append(s.order, pid)
			s.cpu[pid] = 0
		}
		if hwmErr == nil && hwm > s.peak {
			s.peak = hwm
		}
		if cpuErr == nil && cpu > s.cpu[pid] {
			s.cpu[pid] = cpu
		}
		s.mu.Unlock()
	}
}

// matching lists the processes whose /proc/PID/exe is the executable.
func (s *ProcSampler) matching() []int {
	entries, err := os.ReadDir(s.procRoot)
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		target, err := os.Readlink(filepath.Join(s.procRoot, e.Name(), "exe"))
		if err != nil || target != s.exe {
			continue // other users' processes, kernel threads, exited, or another binary
		}
		pids = append(pids, pid)
	}
	return pids
}

// Alive reports which of pids still run exe (to find leftovers).
func (s *ProcSampler) Alive(pids []int) []int {
	var alive []int
	for _, pid := range pids {
		target, err := os.Readlink(filepath.Join(s.procRoot, strconv.Itoa(pid), "exe"))
		if err == nil && target == s.exe {
			alive = append(alive, pid)
		}
	}
	return alive
}
