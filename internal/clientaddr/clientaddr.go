// Package clientaddr finds the address of the client behind each request,
// which the per-address limits of rule 30 count (failed log-ins,
// sign-ups).
//
// The connection's address is the client's, unless the connection comes
// from a reverse proxy the operator listed in PAGEINBOX_TRUSTED_PROXIES:
// then X-Forwarded-For is read from the right, skipping the trusted
// proxies, and the first address that is not one of them is the client.
// X-Forwarded-For from anyone else is ignored - a client writes whatever
// it likes there, and would otherwise get a fresh allowance per request.
// Parsing and the right-to-left walk are github.com/realclientip/realclientip-go's,
// whose strategies follow the analysis of how each header can be spoofed.
package clientaddr

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/realclientip/realclientip-go"
)

// Resolver finds client addresses. The zero Resolver trusts no proxy.
type Resolver struct {
	trusted []net.IPNet
	proxied realclientip.Strategy // nil without trusted proxies
}

// ParseTrusted reads a comma-separated list of addresses and CIDR ranges
// (PAGEINBOX_TRUSTED_PROXIES); empty = none.
func ParseTrusted(list string) (Resolver, error) {
	var ranges []string
	for r := range strings.SplitSeq(list, ",") {
		if r = strings.TrimSpace(r); r != "" {
			ranges = append(ranges, r)
		}
	}
	if len(ranges) == 0 {
		return Resolver{}, nil
	}
	nets, err := realclientip.AddressesAndRangesToIPNets(ranges...)
	if err != nil {
		return Resolver{}, fmt.Errorf("PAGEINBOX_TRUSTED_PROXIES: %w", err)
	}
	strat, err := realclientip.NewRightmostTrustedRangeStrategy("X-Forwarded-For", nets)
	if err != nil {
		return Resolver{}, fmt.Errorf("PAGEINBOX_TRUSTED_PROXIES: %w", err)
	}
	return Resolver{trusted: nets, proxied: strat}, nil
}

// Of returns the client address of r ("" if none can be found).
func (res Resolver) Of(r *http.Request) string {
	direct := realclientip.RemoteAddrStrategy{}.ClientIP(nil, r.RemoteAddr)
	if res.proxied == nil || direct == "" || !res.isTrusted(direct) {
		return direct
	}
	if a := res.proxied.ClientIP(r.Header, r.RemoteAddr); a != "" {
		return a
	}
	// Only proxies in the chain (or no header): the last hop is all we know.
	return direct
}

func (res Resolver) isTrusted(addr string) bool {
	ip := net.ParseIP(addr)
	for _, n := range res.trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// Middleware puts each request's client address in its context; the
// websocket transport's operations inherit it from the upgrade request.
func (res Resolver) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, res.Of(r))))
	})
}

type key struct{}

// FromContext returns the client address, "" when the context did not
// come from an HTTP request.
func FromContext(ctx context.Context) string {
	a, _ := ctx.Value(key{}).(string)
	return a
}
