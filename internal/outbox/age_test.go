package outbox

import (
	"context"
	"errors"
	"testing"
	"time"

	"pageinbox/ent"
	"pageinbox/internal/clock"
)

// row stands for an outbox row; first returns it as ent's First would.
type row struct{ created time.Time }

func first(r *row, err error) Oldest {
	return First(func(context.Context) (*row, error) { return r, err },
		func(r *row) time.Time { return r.created })
}

func TestAgeIsThatOfTheOldestRowOfAnyTable(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clk := clock.NewManual(now)
	empty := first(nil, &ent.NotFoundError{})
	for name, c := range map[string]struct {
		tables []Oldest
		want   time.Duration
	}{
		"no rows":           {[]Oldest{empty, empty}, 0},
		"one row":           {[]Oldest{first(&row{now.Add(-time.Minute)}, nil)}, time.Minute},
		"oldest in second":  {[]Oldest{first(&row{now.Add(-time.Second)}, nil), first(&row{now.Add(-time.Hour)}, nil)}, time.Hour},
		"oldest in first":   {[]Oldest{first(&row{now.Add(-time.Hour)}, nil), first(&row{now.Add(-time.Second)}, nil)}, time.Hour},
		"first table empty": {[]Oldest{empty, first(&row{now.Add(-5 * time.Second)}, nil)}, 5 * time.Second},
		"clock ahead":       {[]Oldest{first(&row{now.Add(time.Second)}, nil)}, 0},
	} {
		got, err := Age(context.Background(), clk, c.tables...)
		if err != nil || got != c.want {
			t.Errorf("%s: %s, %v; want %s", name, got, err, c.want)
		}
	}
}

func TestAgeFailsWhenATableCannotBeRead(t *testing.T) {
	broken := errors.New("connection refused")
	clk := clock.NewManual(time.Now())
	ok := first(&row{clk.Now()}, nil)
	if _, err := Age(context.Background(), clk, ok, first(nil, broken)); !errors.Is(err, broken) {
		t.Errorf("error %v, want %v: an unreadable outbox is not an empty one", err, broken)
	}
}
