package api

// Rule 26: browsers on other origins.

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rs/cors"

	"pageinbox/internal/apierr"
)

// corsMaxAge is how long a browser may reuse a preflight's answer, in
// seconds (Chromium caps it at 2 hours, Firefox at 24).
const corsMaxAge = 7200

// CORSOrigins returns the origins a configuration allows: the configured
// list, or by default any origin in development and none in production.
func (c Config) corsOrigins() []string {
	if c.CORSOrigins != nil {
		return c.CORSOrigins
	}
	if c.Production {
		return []string{}
	}
	return []string{"*"}
}

// ParseCORSOrigins reads PAGEINBOX_CORS_ORIGINS: a comma list of origins
// ("https://app.example.com"), "*" for any. Empty entries are dropped, so
// "" allows none.
func ParseCORSOrigins(v string) []string {
	out := []string{}
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			out = append(out, o)
		}
	}
	return out
}

// withCORS answers preflights and marks the answers readable by the
// allowed origins (github.com/rs/cors: the maintained implementation of
// the Fetch standard's CORS checks, preflight caching and Vary handling).
// Tokens travel in the Authorization header, never in cookies, so
// credentials mode stays off.
//
// Websocket and server-sent-event handshakes are not covered by CORS: a
// browser opens them from any page. Those from an origin outside the list
// are refused here (403, FORBIDDEN), so the list means the same for every
// transport. Clients that are not browsers send no Origin and are let
// through.
func withCORS(origins []string, next http.Handler) http.Handler {
	opts := cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete},
		AllowedHeaders: []string{"Authorization", "Content-Type", "Accept", sseTokenHeader},
		ExposedHeaders: []string{"Retry-After", "X-Request-Id"},
		MaxAge:         corsMaxAge,
	}
	if len(origins) == 0 {
		// rs/cors reads an empty list as "any": none is a function.
		opts.AllowOriginFunc = func(string) bool { return false }
	}
	c := cors.New(opts)
	return c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if streamHandshake(r) && !originAllowed(c, r) {
			writeError(w, http.StatusForbidden, apierr.New(apierr.Forbidden, "this origin may not connect (PAGEINBOX_CORS_ORIGINS)"))
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// streamHandshake reports a websocket upgrade or an event-stream request.
func streamHandshake(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// originAllowed: no Origin (not a browser), the server's own origin, or
// one in the list.
func originAllowed(c *cors.Cors, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if u, err := url.Parse(origin); err == nil && u.Host == r.Host {
		return true
	}
	return c.OriginAllowed(r)
}
