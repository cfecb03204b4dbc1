package webhook

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"pageinbox/internal/apierr"
)

// Guard keeps webhook requests away from the server's own network (SSRF):
// loopback, private, link-local, CGNAT and other non-public addresses are
// refused at registration and again at dial time, after DNS resolution, so
// a name that later resolves elsewhere (DNS rebinding) is still caught.
// PAGEINBOX_WEBHOOK_ALLOW_PRIVATE=1 lifts it (local development, tests).
type Guard struct {
	AllowPrivate bool
}

// sharedAddressSpace is RFC 6598's carrier-grade NAT range.
func sharedAddressSpace() netip.Prefix { return netip.MustParsePrefix("100.64.0.0/10") }

// allowed reports whether the guard lets a request reach ip.
func (g Guard) allowed(ip netip.Addr) error {
	if g.AllowPrivate {
		return nil
	}
	ip = ip.Unmap()
	switch {
	case !ip.IsValid(), ip.IsUnspecified(), ip.IsLoopback(), ip.IsPrivate(),
		ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast(),
		ip.IsMulticast(), sharedAddressSpace().Contains(ip), ip.Is4() && ip.As4()[0] == 0:
		return fmt.Errorf("address %s is not public", ip)
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
		return apierr.Errorf(apierr.BadUserInput, "cannot resolve %q", u.Hostname())
	}
	for _, ip := range ips {
		if err := g.allowed(ip); err != nil {
			return apierr.Errorf(apierr.BadUserInput, "webhook target refused: %v", err)
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
