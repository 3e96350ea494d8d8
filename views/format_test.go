package views

import (
	"testing"
	"time"
)

func TestRunDatesShowTheLastDayIncluded(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, la) }
	for _, tt := range []struct {
		from, to time.Time
		want     string
	}{
		{at(2026, 11, 27, 0, 0), at(2026, 12, 1, 0, 0), "Nov 27 – Nov 30, 2026"},    // ends at midnight: the day before
		{at(2026, 11, 27, 0, 0), at(2026, 11, 30, 23, 59), "Nov 27 – Nov 30, 2026"}, // ends at 11:59 PM: that day
		{at(2026, 12, 26, 9, 0), at(2027, 1, 2, 0, 0), "Dec 26, 2026 – Jan 1, 2027"},
		{at(2026, 11, 27, 0, 0), at(2026, 11, 28, 0, 0), "Nov 27, 2026"},
	} {
		if got := RunDates(tt.from, tt.to, la); got != tt.want {
			t.Errorf("RunDates(%s, %s) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
	// The days are those of the zone given: midnight in Los Angeles is 08:00 UTC.
	if got := RunDates(at(2026, 11, 27, 0, 0), at(2026, 12, 1, 0, 0), time.UTC); got != "Nov 27 – Dec 1, 2026" {
		t.Errorf("in UTC: %q", got)
	}
}
