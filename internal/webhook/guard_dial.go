package webhook

import "syscall"

// Control is the guard's dial-time check, for other outbound clients
// that must obey the same rule (Web Push endpoints, internal/webpush):
// pass it as net.Dialer.Control.
func (g Guard) Control(network, address string, c syscall.RawConn) error {
	return g.control(network, address, c)
}
