//go:build !(linux && (amd64 || arm64 || riscv64 || loong64 || ppc64le))

package api

import "net"

// rawSocket writes nothing directly off Linux: every frame takes the
// net.Conn path (websocket_rawsocket_linux.go says why Linux differs).
type rawSocket struct{}

func (*rawSocket) open(net.Conn)   {}
func (*rawSocket) send([]byte) int { return 0 }
func (*rawSocket) close()          {}
