package models

import "time"

// AddBusinessDays moves t forward by n business days (Monday to Friday in
// loc), keeping the wall-clock time of day. Saturdays and Sundays are
// skipped, so Friday + 1 is Monday and a Saturday + 1 is Monday too. Public
// holidays are not known to the portal and count as business days. n <= 0
// returns t unchanged. The result is expressed in loc.
func AddBusinessDays(t time.Time, n int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	d := t.In(loc)
	for n > 0 {
		// AddDate keeps the wall clock across DST changes; adding 24h would not.
		d = d.AddDate(0, 0, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n--
		}
	}
	return d
}
