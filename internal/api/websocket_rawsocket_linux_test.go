//go:build linux && (amd64 || arm64 || riscv64 || loong64 || ppc64le)

package api

import "testing"

// On Linux a plain TCP socket's frames go out by direct send, and the
// descriptor is forgotten before the socket closes.
func TestRawSendsOnTCPUntilClose(t *testing.T) {
	_, conn, _ := frameServer(t)
	if conn.raw.fd < 0 {
		t.Fatal("a TCP socket has no descriptor for direct sends")
	}
	if n := conn.raw.send([]byte{0x81, 0}); n != 2 { // an empty text frame
		t.Fatalf("a direct send took %d of 2 bytes", n)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	if conn.raw.fd != -1 {
		t.Fatal("the descriptor is still kept for direct sends after close: its number goes to the next socket")
	}
}
