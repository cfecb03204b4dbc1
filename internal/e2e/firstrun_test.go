package e2e

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"pageinbox/internal/apptest"
)

// TestGraphiQLFirstRunWorksWithoutAHeader is issue 11 point 10: GraphiQL
// opens with no Authorization header (a placeholder token made the
// schema fetch fail with UNAUTHENTICATED), and its first tab - a signUp
// mutation - works as shipped.
func TestGraphiQLFirstRunWorksWithoutAHeader(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		res, err := http.Get(s.HTTP.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		html := string(page)
		if strings.Contains(html, "defaultHeaders") || strings.Contains(html, "<token") {
			t.Fatalf("GraphiQL starts with a placeholder Authorization header")
		}
		// The first tab, as the page ships it.
		m := regexp.MustCompile(`(?s)const SIGN_UP = \[(.*?)\]\.join`).FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("no signUp example tab in the GraphiQL page")
		}
		var lines []string
		for _, l := range regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`).FindAllStringSubmatch(m[1], -1) {
			lines = append(lines, strings.ReplaceAll(l[1], `\'`, `'`))
		}
		query := strings.Join(lines, "\n")
		// What GraphiQL sends first, with the headers pane empty: the
		// schema fetch, then the example.
		s.Do("", `{ __schema { queryType { name } } }`, nil).OK()
		r := s.Do("", query, nil).OK()
		if !strings.HasPrefix(r.String("signUp.token"), "pis_") {
			t.Fatalf("the example tab does not sign up: %s", r.Raw)
		}
	})
}
