package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"pageinbox/internal/apptest"
)

// scrape reads /metrics as Prometheus does and parses the text format.
func scrape(t *testing.T, s *apptest.Server, token string) (int, map[string]*dto.MetricFamily) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.HTTP.URL+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, nil
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("/metrics is not Prometheus text: %v", err)
	}
	return res.StatusCode, fams
}

// value finds a series by its labels: a counter's or gauge's value, a
// histogram's count (-1 = no such series).
func value(fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.GetMetric() {
		for k, v := range labels {
			found := false
			for _, l := range m.GetLabel() {
				if l.GetName() == k && l.GetValue() == v {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// TestMetrics: /metrics needs PAGEINBOX_METRICS_TOKEN when set, parses as
// Prometheus text, and its series move with real requests: operation
// durations by name and transport, errors by code, rate-limit refusals,
// open websockets and subscriptions, the database pool, the outbox age.
func TestMetrics(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite, apptest.WithMetricsToken("scrape-secret"), apptest.WithRateLimits(1, 10))
	if code, _ := scrape(t, s, ""); code != http.StatusUnauthorized {
		t.Fatalf("/metrics without the token: %d", code)
	}
	if code, _ := scrape(t, s, "wrong"); code != http.StatusUnauthorized {
		t.Fatalf("/metrics with a wrong token: %d", code)
	}
	_, before := scrape(t, s, "scrape-secret")
	for _, name := range []string{"go_sql_open_connections", "pageinbox_outbox_oldest_seconds", "pageinbox_websockets_open", "go_goroutines"} {
		if before[name] == nil {
			t.Errorf("no %s series", name)
		}
	}
	for _, outbox := range []string{"webhooks", "push"} {
		if v := value(before, "pageinbox_outbox_oldest_seconds", map[string]string{"outbox": outbox}); v != 0 {
			t.Errorf("the %s outbox is empty, but its age reads %v", outbox, v)
		}
	}
	me := map[string]string{"operation": "Me", "type": "query", "transport": "post"}
	if v := value(before, "pageinbox_graphql_operation_duration_seconds", me); v > 0 {
		t.Fatalf("Me counted before it ran: %v", v)
	}

	user := s.SignUp("metrics")
	for range 3 {
		s.Do(user.Token, `query Me { viewer { id } }`, nil).OK()
	}
	s.Do(user.Token, `{ nope }`, nil).WantCode("BAD_USER_INPUT")
	owner := s.SignUp("owner")
	page := s.CreatePage(owner, "metrics")
	s.SendToPage(user, page, "one").OK()
	s.SendToPage(user, page, "two").WantCode("RATE_LIMITED") // 1 a minute
	ws := s.DialWS(apptest.TransportWS)
	ws.Init(user.Token)
	ws.Subscribe("1", `subscription Mine { notificationAdded { __typename } }`, nil)

	apptest.Eventually(t, 5*time.Second, func() error {
		_, after := scrape(t, s, "scrape-secret")
		for _, c := range []struct {
			name   string
			labels map[string]string
			min    float64
		}{
			{"pageinbox_graphql_operation_duration_seconds", me, 3},
			{"pageinbox_graphql_errors_total", map[string]string{"code": "BAD_USER_INPUT"}, 1},
			{"pageinbox_graphql_errors_total", map[string]string{"code": "RATE_LIMITED"}, 1},
			{"pageinbox_rate_limited_total", nil, 1},
			{"pageinbox_websockets_open", nil, 1},
			{"pageinbox_subscriptions_open", map[string]string{"transport": "websocket"}, 1},
			{"go_sql_max_open_connections", map[string]string{"db_name": "pageinbox"}, 1},
		} {
			if v := value(after, c.name, c.labels); v < c.min {
				return fmt.Errorf("%s%v = %v, want at least %v", c.name, c.labels, v, c.min)
			}
		}
		return nil
	})
}
