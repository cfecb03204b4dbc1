package clientaddr

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddressBehindTrustedProxiesOnly(t *testing.T) {
	trusting, err := ParseTrusted("10.0.0.0/8, 192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		res      Resolver
		remote   string
		xff      []string
		wantAddr string
	}{
		{"no proxies: the connection", Resolver{}, "203.0.113.5:4000", []string{"1.2.3.4"}, "203.0.113.5"},
		{"untrusted peer: header ignored", trusting, "203.0.113.5:4000", []string{"1.2.3.4"}, "203.0.113.5"},
		{"trusted proxy: its client", trusting, "10.1.2.3:4000", []string{"198.51.100.9"}, "198.51.100.9"},
		{"spoofed left entries are skipped", trusting, "10.1.2.3:4000", []string{"1.1.1.1, 198.51.100.9"}, "198.51.100.9"},
		{"chain of trusted proxies", trusting, "10.1.2.3:4000", []string{"198.51.100.9, 192.0.2.7", "10.9.9.9"}, "198.51.100.9"},
		{"only proxies: the last hop", trusting, "10.1.2.3:4000", []string{"10.2.2.2"}, "10.1.2.3"},
		{"trusted proxy without header", trusting, "10.1.2.3:4000", nil, "10.1.2.3"},
		{"IPv6 peer", Resolver{}, "[2001:db8::1]:4000", nil, "2001:db8::1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/query", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := c.res.Of(r); got != c.wantAddr {
				t.Fatalf("client %q, want %q", got, c.wantAddr)
			}
		})
	}
	if _, err := ParseTrusted("10.0.0.0/33"); err == nil {
		t.Fatal("a bad range must fail at start")
	}
}
