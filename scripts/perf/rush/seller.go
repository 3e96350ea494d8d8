package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// campaign is one open demo campaign the sellers register for.
type campaign struct {
	id       int64
	name     string
	editable bool // registered at once (no review), so price edits are open after submitting
}

// openCampaigns reads the two campaigns of the rush from the demo: the
// Holiday Gift Guide (no review: products are registered on submit and
// their prices can be edited) and Cyber Week Tech Deals (reviewed, with a
// co-funded coupon: submitted products wait for the reviewer, locked).
func openCampaigns(ctx context.Context, dbURL string) ([]campaign, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	var out []campaign
	for _, slug := range []string{"holiday-gift-guide", "cyber-week-tech-%"} {
		var c campaign
		var review bool
		if err := conn.QueryRow(ctx, `SELECT id, name, review_required FROM campaigns WHERE slug LIKE $1 ORDER BY id LIMIT 1`, slug).
			Scan(&c.id, &c.name, &review); err != nil {
			return nil, fmt.Errorf("campaign %s: %w (load `portal demo` first)", slug, err)
		}
		c.editable = !review
		out = append(out, c)
	}
	return out, nil
}

// seller is one shop's seller: a cookie jar of their own, and what they
// were told was saved.
type seller struct {
	n      int
	bases  []string
	turn   int
	client *http.Client
	camps  []campaign
	think  time.Duration
	rnd    *rand.Rand
	csrf   string
	stats  stats

	savedPrice map[int64]string // registration SKU → last campaign price saved in the draft (200)
	editPrice  map[int64]string // registration SKU → last price edit requested (accepted)
	submitted  map[int64]bool   // registration SKUs of accepted submissions
	regs       map[int64]int64  // campaign → the seller's registration
}

func newSeller(n int, bases []string, t http.RoundTripper, camps []campaign, think time.Duration, rnd *rand.Rand) *seller {
	jar, _ := cookiejar.New(nil) // cookies ignore the port: every instance gets the same session
	return &seller{n: n, bases: bases, turn: n, camps: camps, think: think, rnd: rnd,
		client: &http.Client{Transport: t, Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		savedPrice: map[int64]string{}, editPrice: map[int64]string{}, submitted: map[int64]bool{}, regs: map[int64]int64{}}
}

var (
	csrfRe     = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	rowRe      = regexp.MustCompile(`<tr id="sku-(\d+)" data-testid="sku-row"`)
	recRe      = regexp.MustCompile(`Recommended \$([0-9,]+\.\d\d)`)
	availRe    = regexp.MustCompile(`of (\d+)</div>`)
	pickRe     = regexp.MustCompile(`name="product_id" value="(\d+)"`)
	editRe     = regexp.MustCompile(`hx-get="(/registrations/\d+/skus/(\d+)/edit)"`)
	expPriceRe = regexp.MustCompile(`name="expected_price" value="([^"]*)"`)
	expReqRe   = regexp.MustCompile(`name="expected_request" value="([^"]*)"`)
	submitRe   = regexp.MustCompile(`^/registrations/(\d+)/submitted`)
	keyRe      = regexp.MustCompile(`name="submit_key" value="([^"]+)"`)
)

// printed caps the error bodies written to stderr.
var printed atomic.Int32

type answer struct {
	status int
	body   string
	header http.Header
}

// do sends one request to the next instance; ok is false (and the answer
// counted as an error, or as an expected refusal) unless its status is one
// of want.
func (s *seller) do(step, method, path string, form url.Values, hx bool, want ...int) (answer, bool) {
	base := s.bases[s.turn%len(s.bases)]
	s.turn++
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, base+path, body)
	if err != nil {
		s.stats.fail(step + " build: " + err.Error())
		return answer{}, false
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if hx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		s.stats.record(step, time.Since(start))
		s.stats.fail(step + " transport error")
		return answer{}, false
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	s.stats.record(step, time.Since(start))
	if err != nil {
		s.stats.fail(step + " reading the answer")
		return answer{}, false
	}
	a := answer{status: resp.StatusCode, body: string(b), header: resp.Header}
	if m := csrfRe.FindStringSubmatch(a.body); m != nil {
		s.csrf = m[1]
	}
	for _, w := range want {
		if a.status == w {
			return a, true
		}
	}
	// A price edit of a product under review in a co-funded campaign is
	// refused on purpose (409): right, though the browser hides the button.
	if a.status == http.StatusConflict && strings.Contains(a.body, "Under review: this campaign has co-funded coupons") {
		s.stats.expect(step + " 409: product under review in a co-funded campaign (locked)")
		return a, false
	}
	s.stats.fail(fmt.Sprintf("%s %d", step, a.status))
	if printed.Add(1) <= 5 {
		fmt.Fprintf(os.Stderr, "rush-%d: %s %s → %d: %.400s\n", s.n, method, path, a.status, a.body)
	}
	return a, false
}

func (s *seller) signIn() error {
	a, ok := s.do("GET /login", http.MethodGet, "/login", nil, false, http.StatusOK)
	if !ok {
		return fmt.Errorf("rush-%d: the sign-in page answered %d", s.n, a.status)
	}
	form := url.Values{"_csrf": {s.csrf}, "email": {fmt.Sprintf("rush-%d@demo.test", s.n)}, "password": {"demo"}}
	a, ok = s.do("POST /login", http.MethodPost, "/login", form, false, http.StatusSeeOther)
	if !ok {
		return fmt.Errorf("rush-%d: signing in answered %d", s.n, a.status)
	}
	return nil
}

// pause is the seller's think time between requests.
func (s *seller) pause() {
	if s.think > 0 {
		time.Sleep(time.Duration(float64(s.think) * (0.5 + s.rnd.Float64())))
	}
}

// rush repeats a deadline's work until the deadline: one campaign, then
// the other.
func (s *seller) rush(deadline time.Time) {
	for i := 0; time.Now().Before(deadline); i++ {
		s.round(s.camps[i%len(s.camps)], deadline)
	}
}

type row struct {
	id          int64
	recommended decimal.Decimal
	available   int
}

func parseRows(body string) []row {
	locs := rowRe.FindAllStringSubmatchIndex(body, -1)
	var out []row
	for i, l := range locs {
		end := len(body)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		chunk := body[l[0]:end]
		id, _ := strconv.ParseInt(body[l[2]:l[3]], 10, 64)
		r := row{id: id}
		if m := recRe.FindStringSubmatch(chunk); m != nil {
			r.recommended, _ = decimal.NewFromString(strings.ReplaceAll(m[1], ",", ""))
		}
		if m := availRe.FindStringSubmatch(chunk); m != nil {
			r.available, _ = strconv.Atoi(m[1])
		}
		out = append(out, r)
	}
	return out
}

// round is one campaign's work: the price table, products picked when the
// draft is empty, rows saved as they are typed, submit, then the manage
// page and, where prices can be edited, a couple of price edits.
func (s *seller) round(c campaign, deadline time.Time) {
	more := func() bool { s.pause(); return time.Now().Before(deadline) }
	table := fmt.Sprintf("/campaigns/%d/register", c.id)
	a, ok := s.do("GET price table", http.MethodGet, table, nil, false, http.StatusOK)
	if !ok || !more() {
		return
	}
	rows := parseRows(a.body)
	if len(rows) == 0 {
		p, ok := s.do("GET pick", http.MethodGet, table+"/pick", nil, false, http.StatusOK)
		if !ok || !more() {
			return
		}
		ids := pickRe.FindAllStringSubmatch(p.body, -1)
		if len(ids) == 0 { // the catalogue is all registered: only price edits are left
			s.edits(c, deadline)
			return
		}
		form := url.Values{"_csrf": {s.csrf}}
		for _, m := range ids[:min(2, len(ids))] {
			form.Add("product_id", m[1])
		}
		if _, ok := s.do("POST pick", http.MethodPost, table+"/pick", form, false, http.StatusSeeOther); !ok || !more() {
			return
		}
		if a, ok = s.do("GET price table", http.MethodGet, table, nil, false, http.StatusOK); !ok || !more() {
			return
		}
		rows = parseRows(a.body)
	}
	key := ""
	if m := keyRe.FindStringSubmatch(a.body); m != nil {
		key = m[1]
	}
	for _, r := range rows[:min(6, len(rows))] {
		// Typing: a price saved, sometimes corrected a moment later.
		for range 1 + s.rnd.IntN(2) {
			if !s.saveRow(c, r) || !more() {
				return
			}
		}
	}
	form := url.Values{"_csrf": {s.csrf}, "submit_key": {key}, "accept_coupons": {"1"}}
	sub, ok := s.do("POST submit", http.MethodPost, table+"/submit", form, false, http.StatusSeeOther)
	if !ok {
		return
	}
	loc := sub.header.Get("Location")
	m := submitRe.FindStringSubmatch(loc)
	if m == nil {
		s.stats.fail("POST submit refused: " + strings.SplitN(loc, "?", 2)[0])
		return
	}
	for _, r := range rows {
		s.submitted[r.id] = true
	}
	s.regs[c.id], _ = strconv.ParseInt(m[1], 10, 64)
	if !more() {
		return
	}
	if _, ok := s.do("GET submitted", http.MethodGet, loc, nil, false, http.StatusOK); !ok || !more() {
		return
	}
	if c.editable {
		s.edits(c, deadline)
	}
}

// saveRow posts one row as the price table's htmx does (hx-include the
// row, the CSRF token in a header): a price at or below the recommended
// one, a stock the tiers' minimums and the shop's stock allow.
func (s *seller) saveRow(c campaign, r row) bool {
	price := r.recommended.Sub(decimal.New(int64(s.rnd.IntN(40)), -2))
	if price.LessThan(decimal.NewFromInt(1)) {
		price = r.recommended
	}
	stock := min(20+s.rnd.IntN(40), r.available)
	form := url.Values{"price": {price.StringFixed(2)}, "stock": {strconv.Itoa(stock)}}
	if _, ok := s.do("POST price row", http.MethodPost, fmt.Sprintf("/campaigns/%d/register/skus/%d", c.id, r.id), form, true, http.StatusOK); !ok {
		return false
	}
	s.savedPrice[r.id] = price.StringFixed(2)
	return true
}

// edits opens the manage page and asks for a lower price on up to two of
// the SKUs the page offers Edit for, through the pop-up (htmx).
func (s *seller) edits(c campaign, deadline time.Time) {
	regID, ok := s.regs[c.id]
	if !ok || !time.Now().Before(deadline) {
		return
	}
	s.pause()
	page, ok := s.do("GET manage", http.MethodGet, fmt.Sprintf("/registrations/%d", regID), nil, false, http.StatusOK)
	if !ok {
		return
	}
	links := editRe.FindAllStringSubmatch(page.body, -1)
	for range min(2, len(links)) {
		if !time.Now().Before(deadline) {
			return
		}
		s.pause()
		l := links[s.rnd.IntN(len(links))]
		rsID, _ := strconv.ParseInt(l[2], 10, 64)
		d, ok := s.do("GET edit dialog", http.MethodGet, l[1], nil, true, http.StatusOK)
		if !ok {
			continue
		}
		pm, rm := expPriceRe.FindStringSubmatch(d.body), expReqRe.FindStringSubmatch(d.body)
		if pm == nil || rm == nil {
			s.stats.fail("edit dialog without its expected price")
			continue
		}
		current, _ := decimal.NewFromString(pm[1])
		next := current.Sub(decimal.New(int64(1+s.rnd.IntN(30)), -2))
		if next.LessThan(decimal.NewFromInt(1)) {
			continue
		}
		s.pause()
		form := url.Values{"_csrf": {s.csrf}, "expected_price": {pm[1]}, "expected_request": {rm[1]}, "price": {next.StringFixed(2)}}
		if _, ok := s.do("POST price edit", http.MethodPost, l[1], form, true, http.StatusNoContent); ok {
			s.editPrice[rsID] = next.StringFixed(2)
		}
	}
}
