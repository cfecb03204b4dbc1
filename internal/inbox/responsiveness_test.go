package inbox

import (
	"testing"
	"time"

	"pageinbox/ent"
)

func TestComputeResponsiveness(t *testing.T) {
	end := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	start := end.Add(-7 * 24 * time.Hour)
	req := func(ago time.Duration, answeredAfter *time.Duration) *ent.ResponseRequest {
		r := &ent.ResponseRequest{RequestedAt: end.Add(-ago)}
		if answeredAfter != nil {
			a := r.RequestedAt.Add(*answeredAfter)
			r.AnsweredAt = &a
		}
		return r
	}
	d := func(x time.Duration) *time.Duration { return &x }
	cases := []struct {
		name     string
		reqs     []*ent.ResponseRequest
		requests int
		answered int
		median   int // -1: null
		very     bool
	}{
		{"none", nil, 0, 0, -1, false},
		{"one fast answer", []*ent.ResponseRequest{req(time.Hour, d(time.Minute))}, 1, 1, 60, true},
		{"young unanswered is left out", []*ent.ResponseRequest{req(time.Hour, d(time.Minute)), req(23*time.Hour, nil)}, 1, 1, 60, true},
		{"old unanswered counts", []*ent.ResponseRequest{req(time.Hour, d(time.Minute)), req(24*time.Hour, nil)}, 2, 1, 60, false},
		{"median of even count", []*ent.ResponseRequest{req(time.Hour, d(time.Minute)), req(2*time.Hour, d(3*time.Minute))}, 2, 2, 120, true},
		{"median at 5 minutes is not < 300 s", []*ent.ResponseRequest{req(time.Hour, d(5*time.Minute))}, 1, 1, 300, false},
		{"90 % is enough", append(tenFast(req, d, 9), req(30*time.Hour, nil)), 10, 9, 60, true},
		{"89 % is not", append(tenFast(req, d, 8), req(30*time.Hour, nil)), 9, 8, 60, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := computeResponsiveness(c.reqs, start, end)
			median := -1
			if r.MedianResponseSeconds != nil {
				median = *r.MedianResponseSeconds
			}
			if r.Requests != c.requests || r.Answered != c.answered || median != c.median || r.VeryResponsive != c.very {
				t.Errorf("got %+v (median %d)", r, median)
			}
			if (r.ResponseRate == nil) != (c.requests == 0) {
				t.Error("rate must be null exactly when there are no requests")
			}
		})
	}
}

func tenFast(req func(time.Duration, *time.Duration) *ent.ResponseRequest, d func(time.Duration) *time.Duration, n int) []*ent.ResponseRequest {
	out := make([]*ent.ResponseRequest, n)
	for i := range out {
		out[i] = req(time.Hour, d(time.Minute))
	}
	return out
}
