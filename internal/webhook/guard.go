package webhook

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"code.dny.dev/ssrf"

	"pageinbox/internal/apierr"
)

// Guard keeps webhook requests away from the server's own network (SSRF,
// rules 22 and 31): every non-public address is refused at registration
// and again at dial time, after DNS resolution, so a name that later
// resolves elsewhere (DNS rebinding) is still caught.
// PAGEINBOX_WEBHOOK_ALLOW_PRIVATE=1 lifts it (local development, tests).
//
// Which addresses are public is code.dny.dev/ssrf's answer: it is generated
// from IANA's special-purpose registries, so it knows the ranges a hand-kept
// list forgets (NAT64 64:ff9b::/96, 6to4 2002::/16, 198.18.0.0/15,
// 240.0.0.0/4 and broadcast, 192.0.0.0/24, IPv4-compatible ::a.b.c.d), and
// refuses all IPv6 outside global unicast 2000::/3.
type Guard struct {
	AllowPrivate bool
}

// notPublic is the one refusal a registration gets, whatever the cause:
// telling "does not resolve" from "resolves to a private address" would let
// an admin map the server's internal DNS through the API.
func notPublic() error {
	return apierr.New(apierr.BadUserInput,
		"webhook url must be an http(s) URL whose host resolves only to public internet addresses")
}

// allowed reports whether the guard lets a request reach ip.
func (g Guard) allowed(ip netip.Addr) error {
	if g.AllowPrivate {
		return nil
	}
	// An IPv4-mapped address (::ffff:a.b.c.d) is dialed as the IPv4
	// address it carries, so it is judged as one.
	if err := ssrf.New(ssrf.WithAnyPort()).SafeAddr(ip.Unmap()); err != nil {
		return fmt.Errorf("address %s is not public: %w", ip, err)
	}
	return nil
}

// CheckURL validates a webhook URL: http or https, and every address its
// host resolves to is allowed.
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return apierr.New(apierr.BadUserInput, "url must be an absolute http(s) URL without credentials")
	}
	if len(raw) > 2048 {
		return apierr.New(apierr.LimitExceeded, "url longer than 2048 characters")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname())
	if err != nil || len(ips) == 0 {
		return notPublic()
	}
	for _, ip := range ips {
		if g.allowed(ip) != nil {
			return notPublic()
		}
	}
	return nil
}

// control runs on every connection the webhook client makes, after name
// resolution: the dialed address itself is checked.
func (g Guard) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	return g.allowed(ip)
}
