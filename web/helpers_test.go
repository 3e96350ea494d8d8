package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/web"
)

func TestMain(m *testing.M) {
	code := m.Run()
	modeltest.Cleanup()
	os.Exit(code)
}

// world is a portal on a fresh database with two shops, staff, and
// campaigns in every tab.
type world struct {
	t        *testing.T
	db       *gorm.DB
	e        *echo.Echo
	maple    models.Shop
	north    models.Shop
	open     models.Campaign
	upcoming models.Campaign
	ended    models.Campaign
	draft    models.Campaign
	mapleReg models.Registration
	northReg models.Registration
	metrics  *prometheus.Registry // served apart from the router (METRICS_ADDR)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db := modeltest.NewDB(t)
	w := &world{t: t, db: db}
	w.maple = modeltest.Shop(t, db, "Maple & Co", "4.6", "25")
	w.north = modeltest.Shop(t, db, "Northwind Goods", "3.2", "35")
	modeltest.User(t, db, "seller@x.test", models.RoleSeller, w.maple.ID)
	modeltest.User(t, db, "seller2@x.test", models.RoleSeller, w.north.ID)
	modeltest.User(t, db, "reviewer@x.test", models.RoleReviewer, 0)
	modeltest.User(t, db, "manager@x.test", models.RoleManager, 0)
	w.open = modeltest.Campaign(t, db, modeltest.OpenCampaign("Black Friday & Cyber Monday"))
	up := modeltest.OpenCampaign("New Year Kickoff")
	up.OpensIn, up.Deadline, up.RunStart, up.RunEnd = 240*hour, 480*hour, 500*hour, 600*hour
	up.SubEvents = nil
	w.upcoming = modeltest.Campaign(t, db, up)
	end := modeltest.OpenCampaign("Summer Super Sale")
	end.OpensIn, end.Deadline, end.RunStart, end.RunEnd = -900*hour, -800*hour, -700*hour, -600*hour
	w.ended = modeltest.Campaign(t, db, end)
	dr := modeltest.OpenCampaign("Secret Draft")
	dr.Status = models.CampaignDraft
	w.draft = modeltest.Campaign(t, db, dr)
	w.mapleReg = modeltest.Register(t, db, w.ended.ID, w.maple.ID, models.RegistrationRegistered)
	w.northReg = modeltest.Register(t, db, w.ended.ID, w.north.ID, models.RegistrationRejected)

	w.metrics = prometheus.NewRegistry()
	e, err := web.New(web.Config{
		Metrics:       w.metrics,
		SessionKeys:   [][]byte{[]byte("0123456789abcdef0123456789abcdef"), []byte("fedcba9876543210fedcba9876543210")},
		SecureCookies: true,
		Log:           slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, models.NewStore(db))
	if err != nil {
		t.Fatal(err)
	}
	w.e = e
	return w
}

const hour = 3600 * 1e9

// browser is a cookie-keeping client on the router. It keeps Secure
// cookies too: the router is reached without TLS in tests.
type browser struct {
	t       *testing.T
	e       *echo.Echo
	cookies map[string]*http.Cookie
	csrf    string
}

func (w *world) browser() *browser {
	return &browser{t: w.t, e: w.e, cookies: map[string]*http.Cookie{}}
}

type reqOpt func(*http.Request)

func header(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

var htmx = header("HX-Request", "true")

func (b *browser) do(method, target string, form url.Values, opts ...reqOpt) *httptest.ResponseRecorder {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = "192.0.2.10:5555"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	b.e.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	// The token pages carry is the CSRF cookie's (double submit); sign-in
	// gives a new one.
	if c := b.cookies["portal_csrf"]; c != nil {
		b.csrf = c.Value
	}
	return rec
}

func (b *browser) get(target string, opts ...reqOpt) *httptest.ResponseRecorder {
	return b.do(http.MethodGet, target, nil, opts...)
}

// post sends a form with the CSRF token the last page carried.
func (b *browser) post(target string, form url.Values, opts ...reqOpt) *httptest.ResponseRecorder {
	if form == nil {
		form = url.Values{}
	}
	if b.csrf == "" {
		b.loadCSRF()
	}
	form.Set("_csrf", b.csrf)
	return b.do(http.MethodPost, target, form, opts...)
}

func (b *browser) loadCSRF() {
	b.t.Helper()
	rec := b.get("/login")
	doc := parse(b.t, rec)
	tok, ok := doc.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok || tok == "" {
		b.t.Fatal("no CSRF token on the sign-in page")
	}
	b.csrf = tok
}

func (b *browser) signIn(email string) {
	b.t.Helper()
	rec := b.post("/login", url.Values{"email": {email}, "password": {modeltest.FixturePassword}})
	if rec.Code != http.StatusSeeOther {
		b.t.Fatalf("sign-in as %s: status %d: %s", email, rec.Code, rec.Body.String())
	}
}

func parse(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func testid(id string) string { return `[data-testid="` + id + `"]` }

func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		body := rec.Body.String()
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("status = %d, want %d; body: %s", rec.Code, want, body)
	}
}

// scrapeMetrics reads the metrics as the monitoring network does, on the
// metrics handler (never the application's router).
func (w *world) scrapeMetrics() string {
	w.t.Helper()
	rec := httptest.NewRecorder()
	web.MetricsHandler(w.metrics).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	wantStatus(w.t, rec, http.StatusOK)
	return rec.Body.String()
}
