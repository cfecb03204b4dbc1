package rule

import (
	"testing"
	"time"

	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
)

func ptr[T any](v T) *T { return &v }

func TestInsideHours(t *testing.T) {
	// Monday 2026-11-02, Berlin is UTC+1 in November.
	mondayBerlin := func(h, m int) time.Time {
		loc, _ := time.LoadLocation("Europe/Berlin")
		return time.Date(2026, 11, 2, h, m, 0, 0, loc)
	}
	weekdays9to17 := []schematype.AvailabilityWindow{}
	for d := 1; d <= 5; d++ {
		weekdays9to17 = append(weekdays9to17, schematype.AvailabilityWindow{Weekday: d, StartMinute: 9 * 60, EndMinute: 17 * 60})
	}
	cases := []struct {
		name    string
		tz      string
		windows []schematype.AvailabilityWindow
		now     time.Time
		want    bool
	}{
		{"no windows is always open", "UTC", nil, mondayBerlin(3, 0), true},
		{"inside", "Europe/Berlin", weekdays9to17, mondayBerlin(9, 0), true},
		{"end is exclusive", "Europe/Berlin", weekdays9to17, mondayBerlin(17, 0), false},
		{"just before end", "Europe/Berlin", weekdays9to17, mondayBerlin(16, 59), true},
		{"before start", "Europe/Berlin", weekdays9to17, mondayBerlin(8, 59), false},
		{"weekend", "Europe/Berlin", weekdays9to17, mondayBerlin(10, 0).AddDate(0, 0, -1), false},
		// 08:30 UTC is 09:30 in Berlin: the page's zone decides.
		{"evaluated in the page's zone", "Europe/Berlin", weekdays9to17, time.Date(2026, 11, 2, 8, 30, 0, 0, time.UTC), true},
		{"same instant in New York is 03:30", "America/New_York", weekdays9to17, time.Date(2026, 11, 2, 8, 30, 0, 0, time.UTC), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := InsideHours(PageSettings{MessagingEnabled: true, TimeZone: c.tz, Availability: c.windows}, c.now)
			if got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestVisitorMayWrite(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC) // a Monday
	closedHours := []schematype.AvailabilityWindow{{Weekday: 0, StartMinute: 0, EndMinute: 60}}
	cases := []struct {
		name     string
		page     PageSettings
		blocks   Blocks
		code     apierr.Code
		sendAway bool
	}{
		{"open page", PageSettings{MessagingEnabled: true, TimeZone: "UTC"}, Blocks{}, "", false},
		{"switched off", PageSettings{MessagingEnabled: false, TimeZone: "UTC"}, Blocks{}, apierr.MessagingDisabled, false},
		{"outside hours", PageSettings{MessagingEnabled: true, TimeZone: "UTC", Availability: closedHours}, Blocks{}, apierr.MessagingDisabled, false},
		{"outside hours with away message", PageSettings{MessagingEnabled: true, TimeZone: "UTC", Availability: closedHours, AwayMessage: ptr("back soon")}, Blocks{}, "", true},
		{"off with away message", PageSettings{MessagingEnabled: false, TimeZone: "UTC", AwayMessage: ptr("back soon")}, Blocks{}, "", true},
		{"blocked by the page", PageSettings{MessagingEnabled: true, TimeZone: "UTC"}, Blocks{PageBlockedUser: true}, apierr.Blocked, false},
		{"visitor blocked the page", PageSettings{MessagingEnabled: true, TimeZone: "UTC"}, Blocks{UserBlockedPage: true}, apierr.Blocked, false},
		{"block beats away message", PageSettings{MessagingEnabled: false, TimeZone: "UTC", AwayMessage: ptr("x")}, Blocks{PageBlockedUser: true}, apierr.Blocked, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, err := VisitorMayWrite(c.page, c.blocks, now)
			if code := codeOf(err); code != c.code || w.SendAway != c.sendAway {
				t.Errorf("got (%+v, %v), want code %q sendAway %v", w, err, c.code, c.sendAway)
			}
		})
	}
}

func codeOf(err error) apierr.Code {
	if err == nil {
		return ""
	}
	return apierr.CodeOf(err)
}

func TestPageMayReply(t *testing.T) {
	wrote := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		st     ThreadState
		now    time.Time
		window time.Duration
		code   apierr.Code
	}{
		{"visitor never wrote", ThreadState{}, wrote, 0, apierr.PageCannotInitiate},
		{"visitor wrote", ThreadState{LastVisitorMessageAt: &wrote}, wrote.Add(time.Hour), 0, ""},
		{"no window by default", ThreadState{LastVisitorMessageAt: &wrote}, wrote.AddDate(1, 0, 0), 0, ""},
		{"after a private reply", ThreadState{LastVisitorMessageAt: &wrote, AwaitingVisitor: true}, wrote, 0, apierr.PageCannotInitiate},
		{"inside the window", ThreadState{LastVisitorMessageAt: &wrote}, wrote.Add(24*time.Hour - time.Second), 24 * time.Hour, ""},
		{"window closed", ThreadState{LastVisitorMessageAt: &wrote}, wrote.Add(24 * time.Hour), 24 * time.Hour, apierr.ReplyWindowClosed},
		{"visitor blocked the page", ThreadState{LastVisitorMessageAt: &wrote, UserBlockedPage: true}, wrote, 0, apierr.Blocked},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := codeOf(PageMayReply(c.st, c.now, c.window)); got != c.code {
				t.Errorf("got %q, want %q", got, c.code)
			}
		})
	}
	if ReplyWindowEndsAt(ThreadState{LastVisitorMessageAt: &wrote}, 0) != nil {
		t.Error("no window: no end")
	}
	if end := ReplyWindowEndsAt(ThreadState{LastVisitorMessageAt: &wrote}, time.Hour); end == nil || !end.Equal(wrote.Add(time.Hour)) {
		t.Errorf("window end: %v", end)
	}
}

func TestValidateAvailability(t *testing.T) {
	ok := []schematype.AvailabilityWindow{{Weekday: 6, StartMinute: 0, EndMinute: 1440}}
	if err := ValidateAvailability("Asia/Tokyo", ok); err != nil {
		t.Fatal(err)
	}
	bad := map[string]struct {
		tz string
		w  []schematype.AvailabilityWindow
	}{
		"unknown zone": {"Mars/Olympus", ok},
		"empty zone":   {"", ok},
		"weekday 7":    {"UTC", []schematype.AvailabilityWindow{{Weekday: 7, StartMinute: 0, EndMinute: 10}}},
		"end past 24h": {"UTC", []schematype.AvailabilityWindow{{Weekday: 1, StartMinute: 0, EndMinute: 1441}}},
		"empty window": {"UTC", []schematype.AvailabilityWindow{{Weekday: 1, StartMinute: 60, EndMinute: 60}}},
		"start < 0":    {"UTC", []schematype.AvailabilityWindow{{Weekday: 1, StartMinute: -1, EndMinute: 60}}},
	}
	for name, c := range bad {
		t.Run(name, func(t *testing.T) {
			if ValidateAvailability(c.tz, c.w) == nil {
				t.Error("accepted")
			}
		})
	}
}
