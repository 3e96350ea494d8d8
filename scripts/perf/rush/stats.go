package main

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// stats are one seller's (or, merged, every seller's) requests.
type stats struct {
	latencies []time.Duration
	byStep    map[string][]time.Duration
	errors    map[string]int // unexpected answers, by step and status
	expected  map[string]int // answers that are right though not 2xx/3xx (a deliberate lock)
}

func (s *stats) record(step string, d time.Duration) {
	if s.byStep == nil {
		s.byStep = map[string][]time.Duration{}
	}
	s.latencies = append(s.latencies, d)
	s.byStep[step] = append(s.byStep[step], d)
}

func (s *stats) fail(kind string) {
	if s.errors == nil {
		s.errors = map[string]int{}
	}
	s.errors[kind]++
}

func (s *stats) expect(kind string) {
	if s.expected == nil {
		s.expected = map[string]int{}
	}
	s.expected[kind]++
}

func (s *stats) merge(o *stats) {
	for step, ds := range o.byStep {
		for _, d := range ds {
			s.record(step, d)
		}
	}
	for k, n := range o.errors {
		for range n {
			s.fail(k)
		}
	}
	for k, n := range o.expected {
		for range n {
			s.expect(k)
		}
	}
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func (s *stats) report(w io.Writer, label string, sellers int, elapsed, think time.Duration) {
	sortDurations(s.latencies)
	errs := 0
	for _, n := range s.errors {
		errs += n
	}
	fmt.Fprintf(w, "RESULT %s sellers=%d seconds=%.1f think=%s requests=%d rps=%.1f p50=%s p99=%s max=%s errors=%d\n",
		label, sellers, elapsed.Seconds(), think, len(s.latencies), float64(len(s.latencies))/elapsed.Seconds(),
		ms(percentile(s.latencies, 50)), ms(percentile(s.latencies, 99)), ms(percentile(s.latencies, 100)), errs)
	fmt.Fprintln(w, "| step | requests | p50 ms | p99 ms | max ms |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: |")
	steps := make([]string, 0, len(s.byStep))
	for k := range s.byStep {
		steps = append(steps, k)
	}
	sort.Strings(steps)
	for _, k := range steps {
		ds := s.byStep[k]
		sortDurations(ds)
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s |\n", k, len(ds), ms(percentile(ds, 50)), ms(percentile(ds, 99)), ms(percentile(ds, 100)))
	}
	fmt.Fprintf(w, "errors: %d\n", errs)
	printCounts(w, s.errors)
	if len(s.expected) > 0 {
		fmt.Fprintln(w, "expected refusals (not errors):")
		printCounts(w, s.expected)
	}
}

func printCounts(w io.Writer, m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %6d  %s\n", m[k], k)
	}
}

func sortDurations(ds []time.Duration) { sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] }) }
