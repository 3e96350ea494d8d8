package models

import (
	"testing"
	"time"
)

func TestAddBusinessDays(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	inNY := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		from time.Time
		n    int
		loc  *time.Location
		want time.Time
	}{
		{"monday + 5 is next monday", utc("2026-11-16 09:30"), 5, time.UTC, utc("2026-11-23 09:30")},
		{"wednesday + 5 crosses one weekend", utc("2026-11-18 14:00"), 5, time.UTC, utc("2026-11-25 14:00")},
		{"friday + 1 is monday", utc("2026-11-20 17:45"), 1, time.UTC, utc("2026-11-23 17:45")},
		{"saturday + 1 is monday", utc("2026-11-21 10:00"), 1, time.UTC, utc("2026-11-23 10:00")},
		{"sunday + 5 is friday", utc("2026-11-22 23:59"), 5, time.UTC, utc("2026-11-27 23:59")},
		{"saturday + 5 is friday", utc("2026-11-21 10:00"), 5, time.UTC, utc("2026-11-27 10:00")},
		{"across a month end and a weekend", utc("2026-09-28 08:00"), 5, time.UTC, utc("2026-10-05 08:00")},
		{"across a year end", utc("2026-12-30 12:00"), 5, time.UTC, utc("2027-01-06 12:00")},
		{"february in a leap year", utc("2028-02-25 12:00"), 3, time.UTC, utc("2028-03-01 12:00")},
		{"zero days", utc("2026-11-21 10:00"), 0, time.UTC, utc("2026-11-21 10:00")},
		{"negative days", utc("2026-11-18 10:00"), -2, time.UTC, utc("2026-11-18 10:00")},
		// 23:00 UTC on a Friday is still Friday in UTC, but it is 18:00 on
		// Friday in New York too; 03:00 UTC Saturday is Friday evening there.
		{"weekend judged in the location", utc("2026-11-21 03:00"), 1, ny, inNY("2026-11-23 22:00")},
		{"same weekend judged in UTC", utc("2026-11-21 03:00"), 1, time.UTC, utc("2026-11-23 03:00")},
		// DST ends on Nov 1, 2026 in New York: the time of day stays 09:00.
		{"keeps the wall clock across DST", inNY("2026-10-29 09:00"), 3, ny, inNY("2026-11-03 09:00")},
		{"nil location is UTC", utc("2026-11-20 17:45"), 1, nil, utc("2026-11-23 17:45")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AddBusinessDays(tt.from, tt.n, tt.loc)
			if !got.Equal(tt.want) {
				t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
			if tt.loc != nil && tt.n > 0 && got.Location() != tt.loc {
				t.Errorf("result in %s, want %s", got.Location(), tt.loc)
			}
		})
	}
}
