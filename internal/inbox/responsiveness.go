package inbox

import (
	"context"
	"slices"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/responserequest"
	"pageinbox/internal/rule"
)

// Rule 16's constants.
const (
	responsivenessWindow = 7 * 24 * time.Hour
	stillAnswerable      = 24 * time.Hour
	veryResponsiveRate   = 0.90
	veryResponsiveMedian = 5 * time.Minute
)

// Responsiveness is rule 16's figures for a page, over the trailing week.
type Responsiveness struct {
	Requests              int
	Answered              int
	ResponseRate          *float64
	MedianResponseSeconds *int
	VeryResponsive        bool
	WindowStart           time.Time
	WindowEnd             time.Time
}

// Responsiveness computes rule 16 for a page from the week's request
// records (written by the send path): its cost follows the requests of
// the last 7 days, never the page's total messages.
func (s *Service) Responsiveness(ctx context.Context, p *ent.Page) (*Responsiveness, error) {
	end := s.clock.Now()
	start := end.Add(-responsivenessWindow)
	// Public aggregate figures; the rows themselves are never shown.
	reqs, err := s.client.ResponseRequest.Query().
		Where(responserequest.PageID(p.ID), responserequest.RequestedAtGTE(start), responserequest.RequestedAtLTE(end)).
		Select(responserequest.FieldRequestedAt, responserequest.FieldAnsweredAt).
		All(rule.For(ctx, rule.Responsiveness))
	if err != nil {
		return nil, err
	}
	return computeResponsiveness(reqs, start, end), nil
}

func computeResponsiveness(reqs []*ent.ResponseRequest, start, end time.Time) *Responsiveness {
	r := &Responsiveness{WindowStart: start, WindowEnd: end}
	var seconds []int
	for _, q := range reqs {
		switch {
		case q.AnsweredAt != nil:
			r.Requests++
			r.Answered++
			seconds = append(seconds, int(q.AnsweredAt.Sub(q.RequestedAt)/time.Second))
		case end.Sub(q.RequestedAt) >= stillAnswerable:
			r.Requests++ // unanswered for a day: counts against the page
		default:
			// Unanswered but younger than 24 h: it may still be answered
			// in time, so it is left out of both counts.
		}
	}
	if r.Requests > 0 {
		rate := float64(r.Answered) / float64(r.Requests)
		r.ResponseRate = &rate
	}
	if len(seconds) > 0 {
		slices.Sort(seconds)
		mid := len(seconds) / 2
		median := seconds[mid]
		if len(seconds)%2 == 0 {
			median = (seconds[mid-1] + seconds[mid]) / 2
		}
		r.MedianResponseSeconds = &median
	}
	r.VeryResponsive = r.Requests >= 1 && r.ResponseRate != nil && *r.ResponseRate >= veryResponsiveRate &&
		r.MedianResponseSeconds != nil && time.Duration(*r.MedianResponseSeconds)*time.Second < veryResponsiveMedian
	return r
}
