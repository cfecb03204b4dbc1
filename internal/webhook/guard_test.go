package webhook

import (
	"net/netip"
	"testing"
)

func TestGuardRefusesNonPublicAddresses(t *testing.T) {
	g := Guard{}
	for _, a := range []string{"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
		"0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1", "0.1.2.3",
		// Rule 31's ranges that the hand-kept list missed.
		"64:ff9b::7f00:1", "2002:7f00:1::", "198.18.0.1", "240.0.0.1", "255.255.255.255", "192.0.0.8",
		"::127.0.0.1", "::a00:1", "fec0::1", "2001:db8::1"} {
		if g.allowed(netip.MustParseAddr(a)) == nil {
			t.Errorf("%s allowed", a)
		}
	}
	for _, a := range []string{"93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8", "::ffff:8.8.8.8"} {
		if err := g.allowed(netip.MustParseAddr(a)); err != nil {
			t.Errorf("%s refused: %v", a, err)
		}
	}
	if (Guard{AllowPrivate: true}).allowed(netip.MustParseAddr("127.0.0.1")) != nil {
		t.Error("AllowPrivate lets private targets through")
	}
	if err := g.control("tcp", "127.0.0.1:80", nil); err == nil {
		t.Error("dial-time check must refuse loopback")
	}
}
