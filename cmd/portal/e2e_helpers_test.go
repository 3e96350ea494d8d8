package main

// Helpers shared by the browser journeys (e2e_test.go, e2e_manager_test.go):
// the real program on a fresh database, headless Chromium, and a tab type
// whose helpers fail the test with a clear message.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"campaignportal/models/modeltest"
)

// stepTimeout is the ceiling of one step (a click, a wait for a page or a
// text): generous, because a busy machine is slow, not wrong. No budget
// covers a whole journey; each step waits on its condition, and a step
// that never comes fails with what the page showed. Steps also stop
// before the test binary's own deadline (-timeout), so the failure is a
// message, not a goroutine dump.
const stepTimeout = 60 * time.Second

// pollEvery is how often a condition is read again while waiting on it.
const pollEvery = 50 * time.Millisecond

// ---- The portal ----

// startPortal runs the real program (`serve --demo`) on a new database
// and a free port, waits until it is healthy, and stops it gracefully at
// the end. The database is a copy of the demo data that the real `portal
// demo` command loaded once for this test process (demoTemplate): two
// years of demo orders take longer to load than a journey takes to run, so
// each journey starts from the same loaded data, and `serve --demo` finds
// it there and loads nothing.
func startPortal(t *testing.T) (baseURL string) {
	t.Helper()
	dbName := createDatabase(t, demoTemplate(t))
	port := freePort(t)
	env := map[string]string{
		"DATABASE_URL":  modeltest.URLFor(dbName),
		"PORT":          strconv.Itoa(port),
		"COOKIE_SECURE": "true", // browsers accept Secure cookies on http://127.0.0.1
		"LOG_LEVEL":     "warn", // keep the request log out of the test output
	}
	getenv := func(k string) string { return env[k] }

	ctx, cancel := context.WithCancel(context.Background())
	stdout := &syncBuffer{}
	done := make(chan struct{})
	var runErr error
	go func() {
		defer close(done)
		runErr = run(ctx, []string{"serve", "--demo"}, getenv, stdout)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
			if runErr != nil {
				t.Errorf("portal: run returned %v after shutdown; want nil (graceful shutdown)", runErr)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("portal: run did not return within 30 s of cancelling its context")
		}
		if t.Failed() {
			t.Logf("portal stdout:\n%s", stdout)
		}
	})

	baseURL = "http://127.0.0.1:" + strconv.Itoa(port)
	waitHealthy(t, baseURL, done, func() error { return runErr }, stdout)
	return baseURL
}

var demoData struct {
	once sync.Once
	name string
	err  error
}

// demoTemplate loads the demo data once per test process with the real
// `portal demo` command into a database of its own, which TestMain drops.
func demoTemplate(t *testing.T) string {
	t.Helper()
	demoData.once.Do(func() {
		demoData.name, demoData.err = loadDemoTemplate()
	})
	if demoData.err != nil {
		t.Fatalf("loading the demo data with `portal demo`: %v", demoData.err)
	}
	return demoData.name
}

func loadDemoTemplate() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, modeltest.ServerURL())
	if err != nil {
		return "", fmt.Errorf("the browser test needs PostgreSQL at %s: %w", modeltest.ServerURL(), err)
	}
	defer admin.Close(ctx)
	name := randomName("portal_e2e_demo_")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	env := map[string]string{"DATABASE_URL": modeltest.URLFor(name), "LOG_LEVEL": "warn"}
	var out bytes.Buffer
	if err := run(ctx, []string{"demo"}, func(k string) string { return env[k] }, &out); err != nil {
		return name, fmt.Errorf("%w\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Demo data loaded") {
		return name, fmt.Errorf("portal demo said:\n%s", out.String())
	}
	// A template must have no connection left (the command's pool).
	_, err = admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name)
	return name, err
}

// TestMain drops the demo template after the journeys.
func TestMain(m *testing.M) {
	code := m.Run()
	if demoData.name != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if c, err := pgx.Connect(ctx, modeltest.ServerURL()); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{demoData.name}.Sanitize()+" WITH (FORCE)")
			c.Close(ctx)
		}
		cancel()
	}
	os.Exit(code)
}

func randomName(prefix string) string {
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	return prefix + hex.EncodeToString(suffix)
}

// createDatabase makes a copy of a template database for one test; it is
// dropped at the end.
func createDatabase(t *testing.T, template string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, modeltest.ServerURL())
	if err != nil {
		t.Fatalf("the browser test needs PostgreSQL at %s: %v", modeltest.ServerURL(), err)
	}
	defer admin.Close(ctx)
	name := randomName("portal_e2e_")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{template}.Sanitize()); err != nil {
		t.Fatalf("creating database %s from %s: %v", name, template, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, modeltest.ServerURL())
		if err != nil {
			t.Errorf("dropping database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping database %s: %v", name, err)
		}
	})
	return name
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitHealthy polls /healthz until it answers 200, the program exits, or
// 30 s pass.
func waitHealthy(t *testing.T, baseURL string, exited <-chan struct{}, runErr func() error, stdout *syncBuffer) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-exited:
			t.Fatalf("portal exited before it was healthy: %v\nstdout:\n%s", runErr(), stdout)
		default:
		}
		resp, err := client.Get(baseURL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("portal at %s was not healthy within 60 s (last: %v)\nstdout:\n%s", baseURL, describe(resp, err), stdout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func describe(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	return resp.Status
}

// ---- The browser ----

// findChromium returns $CHROMIUM, /usr/bin/chromium or chromium on PATH. A
// machine without it skips the test, except in CI or when
// PORTAL_REQUIRE_BROWSER is set, where that is a failure. Every journey
// starts here, so -short skips them all.
func findChromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("a browser journey; -short (make test-fast) leaves them out")
	}
	if p := os.Getenv("CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("CHROMIUM=%s is not an executable: %v", p, err)
		}
		return path
	}
	for _, candidate := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(candidate); err == nil {
			return path
		}
	}
	const msg = "Chromium is not installed (looked at $CHROMIUM, /usr/bin/chromium and chromium on PATH); `make test` installs it"
	if os.Getenv("CI") != "" || os.Getenv("PORTAL_REQUIRE_BROWSER") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// startBrowser starts headless Chromium for the whole test and closes it
// at the end (or shortly before the test binary's deadline). extra options
// come after the usual ones, so they can turn one off.
func startBrowser(t *testing.T, execPath string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	opts = append(opts, extra...)
	output := &syncBuffer{} // Chromium's own log, shown only if it fails to start
	opts = append(opts, chromedp.CombinedOutput(output))

	ctx, cancelTimeout := context.WithCancel(context.Background())
	if d, ok := t.Deadline(); ok {
		ctx, cancelTimeout = context.WithDeadline(context.Background(), d.Add(-10*time.Second))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting Chromium (%s): %v\n%s", execPath, err, output)
	}
	return browserCtx
}

// tab is one browser tab in a browser context of its own (its own
// cookies and storage), with helpers that fail the test with a clear
// message.
type tab struct {
	t        *testing.T
	ctx      context.Context
	base     string
	problems *consoleProblems
	name     string // tells apart the evidence files of tabs of one test; may be empty
}

func openTab(t *testing.T, browser context.Context, baseURL string) *tab {
	t.Helper()
	problems := &consoleProblems{}
	ctx, cancel := chromedp.NewContext(browser,
		chromedp.WithNewBrowserContext(),
		chromedp.WithListener(problems.listen))
	t.Cleanup(cancel)
	// The first Do opens the tab; it must not run under a step timeout,
	// which would close the tab when it ends.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a browser tab: %v", err)
	}
	tb := &tab{t: t, ctx: ctx, base: baseURL, problems: problems}
	t.Cleanup(tb.saveEvidenceOnFailure)
	return tb
}

// step is the context of one step: stepTimeout, or less when the test's
// deadline comes first.
func (tb *tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(tb.ctx, stepTimeout)
}

// do runs actions as one step, failing the test with what was being done
// and what the page showed.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v\n%s", what, err, tb.describePage())
	}
}

// poll reads a condition until it holds, across swaps and page loads, for
// at most one step. check says whether it holds and what it saw; the
// failure message carries the last thing seen and the page.
func (tb *tab) poll(what string, check func(ctx context.Context) (ok bool, seen string, err error)) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	seen, lastErr := "<not read yet>", error(nil)
	ticker := time.NewTicker(pollEvery)
	defer ticker.Stop()
	for {
		readCtx, cancelRead := context.WithTimeout(ctx, 5*time.Second)
		ok, s, err := check(readCtx)
		cancelRead()
		if err == nil && ok {
			return
		}
		if err == nil {
			seen = s
		}
		lastErr = err
		select {
		case <-ctx.Done():
			if lastErr != nil {
				seen += fmt.Sprintf(" (last read failed: %v)", lastErr)
			}
			tb.t.Fatalf("%s: not so within %s; last seen: %s\n%s", what, stepTimeout, seen, tb.describePage())
		case <-ticker.C:
		}
	}
}

// waitUntil polls a JavaScript expression until it is true.
func (tb *tab) waitUntil(what, js string) {
	tb.t.Helper()
	tb.poll(what, func(ctx context.Context) (bool, string, error) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		return ok, fmt.Sprintf("%s is %v", js, ok), err
	})
}

// waitForText waits until the first element matching selector has the
// text want (the element may be missing meanwhile).
func (tb *tab) waitForText(selector, want string) {
	tb.t.Helper()
	tb.waitForTextMatch(selector, want, func(got string) bool { return got == want })
}

func (tb *tab) waitForTextMatch(selector, want string, match func(string) bool) {
	tb.t.Helper()
	js := fmt.Sprintf(`document.querySelector(%s)?.textContent.replace(/\s+/g, " ").trim() ?? "<missing>"`, jsString(selector))
	tb.poll(fmt.Sprintf("%s should read %q", selector, want), func(ctx context.Context) (bool, string, error) {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		return got != "<missing>" && match(got), fmt.Sprintf("%q", got), err
	})
}

// describePage says what the tab shows, for a failure message: address,
// title, the start of the visible text and the console's problems.
func (tb *tab) describePage() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	type page struct {
		URL   string `json:"url"`
		Title string `json:"title"`
		Text  string `json:"text"`
	}
	p, err := chromedp.Run(ctx, chromedp.Evaluate[page](`({url: location.href, title: document.title,
		text: (document.body ? document.body.innerText : "").replace(/\s+/g, " ").trim().slice(0, 400)})`))
	if err != nil {
		return fmt.Sprintf("the page could not be read: %v", err)
	}
	out := fmt.Sprintf("page: %s\ntitle: %q\ntext: %q", p.URL, p.Title, p.Text)
	if probs := tb.problems.all(); len(probs) > 0 {
		out += "\nconsole: " + strings.Join(probs, " | ")
	}
	return out
}

// signIn signs in on /login with the demo password and waits for the
// seller's landing page. The form posts with htmx and is answered with
// HX-Redirect.
func (tb *tab) signIn(email string) {
	tb.t.Helper()
	tb.signInTo(email, "/campaigns")
}

// signInTo signs in as email and waits for the landing page at path: the
// seller's /campaigns, the manager's /manager.
func (tb *tab) signInTo(email, path string) {
	tb.t.Helper()
	tb.do("open /login", chromedp.Navigate(tb.base+"/login"))
	tb.do("fill in the sign-in form",
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), "demo"),
		chromedp.Click(chromedp.CSS(`#signin button[type=submit]`)),
	)
	tb.waitForURL("signing in as "+email+" lands on "+path, func(u *url.URL) bool { return u.Path == path })
}

// waitForURL waits until the page address satisfies ok, across page loads
// and history pushes.
func (tb *tab) waitForURL(what string, ok func(*url.URL) bool) {
	tb.t.Helper()
	tb.poll(what, func(ctx context.Context) (bool, string, error) {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			return false, "", err
		}
		u, err := url.Parse(loc)
		return err == nil && ok(u), "the address " + loc, nil
	})
}

func (tb *tab) waitVisible(selector string) {
	tb.t.Helper()
	tb.do("wait for "+selector, chromedp.WaitVisible(chromedp.CSS(selector)))
}

func (tb *tab) click(selector string) {
	tb.t.Helper()
	tb.do("click "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// clickToNavigate clicks the first element matching selector whose text
// contains text, and waits for the page it opens to load with 200.
func (tb *tab) clickToNavigate(selector, text string) {
	tb.t.Helper()
	href := evalAs[string](tb, fmt.Sprintf(`(() => {
		const el = Array.from(document.querySelectorAll(%s)).find(e => e.textContent.includes(%s));
		return el ? el.getAttribute("href") : "";
	})()`, jsString(selector), jsString(text)))
	if href == "" {
		tb.t.Fatalf("no %s containing %q to click; found %q", selector, text, tb.texts(selector))
	}
	target := selector + `[href="` + href + `"]`
	ctx, cancel := tb.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(target), chromedp.NodeVisible))
	if err != nil {
		tb.t.Fatalf("clicking %q (%s): %v\n%s", text, href, err, tb.describePage())
	}
	if resp == nil || resp.Status != http.StatusOK {
		status := "no response"
		if resp != nil {
			status = strconv.FormatInt(resp.Status, 10)
		}
		tb.t.Fatalf("clicking %q opened %s with status %s; want 200\n%s", text, href, status, tb.describePage())
	}
}

// confirmQuestion is what the in-page confirmation dialog asks.
type confirmQuestion struct {
	Title   string `json:"title"`
	Body    string `json:"body"`
	Action  string `json:"action"`
	Focused string `json:"focused"` // data-testid of the focused element
	Labels  bool   `json:"labels"`  // aria-labelledby and aria-describedby name the title and body
}

// confirmDialog waits for the in-page confirmation dialog (forms with
// data-confirm-title, static/js/app.js) to be open and returns what it asks.
func (tb *tab) confirmDialog() confirmQuestion {
	tb.t.Helper()
	tb.waitVisible(`dialog[open][data-testid=confirm-dialog]`)
	return evalAs[confirmQuestion](tb, `(() => {
		const d = document.querySelector("dialog[open][data-testid=confirm-dialog]");
		const text = sel => d.querySelector(sel).textContent.replace(/\s+/g, " ").trim();
		const title = document.getElementById(d.getAttribute("aria-labelledby"));
		const body = document.getElementById(d.getAttribute("aria-describedby"));
		return {title: text("[data-testid=confirm-title]"), body: text("[data-testid=confirm-body]"),
			action: text("[data-testid=confirm-ok]"), focused: document.activeElement?.dataset.testid ?? "",
			labels: d.contains(title) && title.matches("[data-testid=confirm-title]") && d.contains(body) && body.matches("[data-testid=confirm-body]")};
	})()`)
}

// answerConfirm clicks the open confirmation dialog's Confirm (ok) or
// Cancel button and waits until the dialog is gone.
func (tb *tab) answerConfirm(ok bool) {
	tb.t.Helper()
	button := `dialog[open][data-testid=confirm-dialog] [data-testid=confirm-cancel]`
	if ok {
		button = `dialog[open][data-testid=confirm-dialog] [data-testid=confirm-ok]`
	}
	tb.click(button)
	tb.waitUntil("the confirmation dialog closes", `document.querySelector("[data-testid=confirm-dialog]") === null`)
}

// evalAs evaluates a JavaScript expression in the page and decodes its result.
func evalAs[T any](tb *tab, js string) T {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v\n%s", js, err, tb.describePage())
	}
	return v
}

func (tb *tab) eval(js string) {
	tb.t.Helper()
	evalAs[chromedp.Void](tb, js)
}

// waitForTexts waits until the texts of every element matching selector
// satisfy match: a list read once right after a swap may not be there yet.
func (tb *tab) waitForTexts(what, selector string, match func([]string) bool) {
	tb.t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%s), e => e.textContent.replace(/\s+/g, " ").trim())`, jsString(selector))
	tb.poll(what, func(ctx context.Context) (bool, string, error) {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
		return err == nil && match(got), fmt.Sprintf("%q", got), err
	})
}

// texts returns the trimmed, whitespace-collapsed text of every element
// matching selector, in document order.
func (tb *tab) texts(selector string) []string {
	tb.t.Helper()
	return evalAs[[]string](tb, fmt.Sprintf(
		`Array.from(document.querySelectorAll(%s), e => e.textContent.replace(/\s+/g, " ").trim())`, jsString(selector)))
}

// text returns the text of the first element matching selector, failing
// when there is none.
func (tb *tab) text(selector string) string {
	tb.t.Helper()
	all := tb.texts(selector)
	if len(all) == 0 {
		tb.t.Fatalf("no element matches %s\n%s", selector, tb.describePage())
	}
	return all[0]
}

// expectText waits until the first element matching selector reads want.
func (tb *tab) expectText(selector, want string) {
	tb.t.Helper()
	tb.waitForText(selector, want)
}

// expectTextContains waits until the first element matching selector
// contains want.
func (tb *tab) expectTextContains(selector, want string) {
	tb.t.Helper()
	tb.waitForTextMatch(selector, "…"+want+"…", func(got string) bool { return strings.Contains(got, want) })
}

// expectAttr waits until the first element matching selector has the
// attribute name with the value want.
func (tb *tab) expectAttr(selector, name, want string) {
	tb.t.Helper()
	js := fmt.Sprintf(`document.querySelector(%s)?.getAttribute(%s) ?? null`, jsString(selector), jsString(name))
	tb.poll(fmt.Sprintf("%s should have %s=%q", selector, name, want), func(ctx context.Context) (bool, string, error) {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[*string](js))
		if got == nil {
			return false, "the element or the attribute is missing", err
		}
		return *got == want, fmt.Sprintf("%s=%q", name, *got), err
	})
}

func (tb *tab) expectSomeContains(texts []string, want, what string) {
	tb.t.Helper()
	for _, s := range texts {
		if strings.Contains(s, want) {
			return
		}
	}
	tb.t.Errorf("%s: want one containing %q, got %q", what, want, texts)
}

func (tb *tab) locationOrUnknown() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown"
	}
	return loc
}

func (tb *tab) expectNoConsoleProblems() {
	tb.t.Helper()
	for _, p := range tb.problems.all() {
		tb.t.Errorf("browser console: %s", p)
	}
}

// saveEvidenceOnFailure writes a screenshot and the HTML of the page to the
// temporary directory when the test failed, and logs where.
func (tb *tab) saveEvidenceOnFailure() {
	if !tb.t.Failed() || tb.ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	prefix := filepath.Join(os.TempDir(), "portal-e2e-"+strings.NewReplacer("/", "-", " ", "-").Replace(tb.t.Name()))
	if tb.name != "" {
		prefix += "-" + tb.name
	}
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		if os.WriteFile(prefix+".png", png, 0o644) == nil {
			tb.t.Logf("screenshot of the failing page: %s.png", prefix)
		}
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		if os.WriteFile(prefix+".html", []byte(html), 0o644) == nil {
			tb.t.Logf("HTML of the failing page: %s.html", prefix)
		}
	}
}

// ---- Console errors and CSP violations ----

// consoleProblems collects what a person would see in red in DevTools:
// uncaught exceptions, console.error calls, and browser log errors, which
// include Content-Security-Policy violations and failed loads.
type consoleProblems struct {
	mu   sync.Mutex
	list []string
}

// listen runs in chromedp's event loop: it must return fast.
func (c *consoleProblems) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		c.add(fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range ev.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, string(a.Value))
				}
			}
			c.add("console.error: " + strings.Join(parts, " "))
		}
	case *log.EventEntryAdded:
		if e := ev.Entry; e.Level == log.EntryLevelError {
			c.add(fmt.Sprintf("%s error: %s %s", e.Source, e.Text, e.URL))
		}
	}
}

func (c *consoleProblems) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list = append(c.list, s)
}

func (c *consoleProblems) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.list...)
}

// ---- Small helpers ----

// syncBuffer is a bytes.Buffer safe for the program's goroutine to write
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// screenshot saves the page as a user sees it at 1366x900 into
// $E2E_SCREENSHOTS (default: portal-e2e-screenshots in the temporary
// directory), for looking at the screens a journey passes through.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "portal-e2e-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	ctx, cancel := tb.step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	tb.t.Logf("screenshot: %s", path)
}
