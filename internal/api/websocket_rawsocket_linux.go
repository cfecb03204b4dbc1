//go:build linux && (amd64 || arm64 || riscv64 || loong64 || ppc64le)

package api

// Writing a frame straight to the socket's descriptor, past the runtime's
// network poller, when the socket takes it at once.

import (
	"net"
	"sync"
	"syscall"
	"unsafe"
)

// rawSocket sends on a TCP socket's descriptor with one non-blocking
// send(2), made without handing the goroutine's processor back to the
// scheduler. In a 10,000-socket fan-out every frame is a separate small
// write that the kernel takes at once; the net.Conn path around each one
// (the descriptor's reference lock, the poller's state, entering and
// leaving a blocking system call, sysmon taking the processor away when
// the call runs long) touched three objects cold in cache and cost about
// a tenth of the server's CPU beside the call itself. What the socket does
// not take at once (its buffer is full: the client reads slowly) is left
// to the net.Conn path, which waits for the poller under the write
// timeout as before.
//
// A descriptor number is reused by the next socket the process opens
// once it is closed, so a send must never follow the close: mu is held
// across each send and by close, which forgets the descriptor first. The
// send cannot block, so close never waits long.
type rawSocket struct {
	mu sync.Mutex
	fd int // -1: none (closed, or not a plain TCP socket)
}

// maxRawSend bounds what one direct send may copy: the call keeps its
// processor (the garbage collector's stop waits for it), so a large
// frame, which may take the kernel a millisecond to copy into a big send
// buffer, takes the net.Conn path instead. Fan-out frames are far
// smaller.
const maxRawSend = 64 << 10

// open takes c's descriptor when c is a TCP socket (not TLS, say).
func (r *rawSocket) open(c net.Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fd = -1
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) { r.fd = int(fd) })
}

// send writes as much of p as the socket takes now and returns how much;
// the caller writes the rest (and learns of any error) through the
// net.Conn.
func (r *rawSocket) send(p []byte) int {
	if len(p) > maxRawSend {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for r.fd >= 0 && n < len(p) {
		// MSG_DONTWAIT: never sleep in the kernel; MSG_NOSIGNAL: a
		// closed peer is an error, not a SIGPIPE.
		m, _, errno := syscall.RawSyscall6(syscall.SYS_SENDTO, uintptr(r.fd),
			uintptr(unsafe.Pointer(&p[n])), uintptr(len(p)-n),
			syscall.MSG_DONTWAIT|syscall.MSG_NOSIGNAL, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 || m == 0 {
			break // EAGAIN, or an error the net.Conn path reports
		}
		n += int(m)
	}
	return n
}

// close forgets the descriptor before the socket is closed.
func (r *rawSocket) close() {
	r.mu.Lock()
	r.fd = -1
	r.mu.Unlock()
}
