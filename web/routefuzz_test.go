package web_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
)

// No input gets a 5xx: every route the router holds, as each role and
// signed out, gets path parameters, query parameters and form fields drawn
// from a list of hostile values (huge and negative numbers, NUL, invalid
// UTF-8, lone surrogates, dates of year 0000, traversal, formulas) and
// valid ids of the world, with a fixed seed so a failure repeats. The count
// is bounded (not a time budget); FUZZ_ROUNDS=N runs more.
func TestNoRouteAnswers5xxToHostileInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	rounds := 3
	if n, err := strconv.Atoi(os.Getenv("FUZZ_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	hostile := []string{
		"", "0", "-1", "1", "2", "3", "99999999999999999999", "9223372036854775807", "-9223372036854775808",
		"1e10", "9999999999.99", "10000000000", "2147483648", "0.001", "33,00", "NaN", "Infinity",
		"abc", "\x00", "\xff\xfe", "\xed\xa0\x80", "\u202e", "../../etc/passwd", "=HYPERLINK(\"http://x\")",
		"0000-01-01", "9999-12-31", "2026-13-45", "2026-12-01T25:61", "<script>alert(1)</script>",
		"'; DROP TABLE shops; --", strings.Repeat("a", 5000), fmt.Sprint(w.open.ID), fmt.Sprint(w.draft.ID),
		fmt.Sprint(w.ended.ID), fmt.Sprint(w.mapleReg.ID), fmt.Sprint(w.northReg.ID),
	}
	queryKeys := []string{"page", "q", "tab", "campaign", "category", "problem", "from", "to", "sort", "filter",
		"shop", "status", "year", "sub", "day", "refused", "notice", "next", "done", "meets", "cofunded",
		"eligible", "format", "pid", "reviewer", "date", "reason", "range", "table"}
	formKeys := []string{"price", "stock", "campaign_price", "campaign_stock", "reason_code", "reason_text",
		"revision", "name", "decision", "product_id", "sku_id", "ids", "confirm", "extra_discount", "note",
		"current_password", "new_password", "title", "category_id", "retail_price", "code", "quantity", "all",
		"filter", "registration_opens_at", "registration_deadline", "run_starts_at", "run_ends_at", "fee_rate",
		"max_threshold", "min_sps", "lookback_days", "sub_name", "coupon_code", "coupon_value", "tier", "pct"}
	rnd := rand.New(rand.NewPCG(17, 2026))
	pick := func(xs []string) string { return xs[rnd.IntN(len(xs))] }

	browsers := map[string]*browser{"signed out": w.browser()}
	for _, who := range []string{"seller@x.test", "reviewer@x.test", "manager@x.test"} {
		b := w.browser()
		b.signIn(who)
		browsers[who] = b
	}
	var failures []string
	statuses := map[int]int{}
	requests := 0
	for _, r := range w.e.Routes() {
		if (r.Method != http.MethodGet && r.Method != http.MethodPost) || r.Path == "/logout" {
			continue
		}
		for who, b := range browsers {
			for i := 0; i < rounds; i++ {
				var segs []string
				for _, s := range strings.Split(r.Path, "/") {
					switch {
					case strings.HasPrefix(s, ":"), s == "*":
						s = url.PathEscape(pick(hostile))
					case strings.Contains(s, ":"): // a parameter inside a segment, as in orders:batch
						s = s[:strings.Index(s, ":")+1] + url.PathEscape(pick(hostile))
					}
					segs = append(segs, s)
				}
				q := url.Values{}
				for n := rnd.IntN(4); n > 0; n-- {
					q.Add(pick(queryKeys), pick(hostile))
				}
				target := strings.Join(segs, "/")
				if len(q) > 0 {
					target += "?" + q.Encode()
				}
				var status int
				if r.Method == http.MethodGet {
					status = b.get(target).Code
				} else {
					form := url.Values{}
					for n := rnd.IntN(6); n > 0; n-- {
						form.Add(pick(formKeys), pick(hostile))
					}
					status = b.post(target, form).Code
				}
				requests++
				statuses[status]++
				if status >= 500 && len(failures) < 20 {
					failures = append(failures, fmt.Sprintf("%s %s as %s: %d", r.Method, target, who, status))
				}
			}
		}
	}
	t.Logf("%d requests over %d routes; answers by status: %v", requests, len(w.e.Routes()), statuses)
	for _, f := range failures {
		t.Error(f)
	}
}
