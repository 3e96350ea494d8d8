package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"campaignportal/handlers"
	"campaignportal/models"
	"campaignportal/models/modeltest"
	"campaignportal/models/orders"
)

// logLines is a slog handler target that keeps every JSON line.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logLines) entries(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// brokenStore is the real settled-records store whose export cursor fails
// after it has handed out more rows than the export flushes at once, as a
// database connection lost half way through would.
type brokenStore struct {
	*orders.Store
	rows int
}

var errCursorLost = errors.New("reading settled records: connection lost")

func (s brokenStore) EachSettledRecord(ctx context.Context, shopID int64, f orders.SettledFilter, fn func(orders.SettledRow) error) error {
	var first []orders.SettledRow
	if err := s.Store.EachSettledRecord(ctx, shopID, f, func(r orders.SettledRow) error {
		first = append(first, r)
		return nil
	}); err != nil {
		return err
	}
	if len(first) == 0 {
		return errors.New("the test world has no settled record")
	}
	for i := 0; i < s.rows; i++ {
		if err := fn(first[i%len(first)]); err != nil {
			return err
		}
	}
	return errCursorLost
}

// errorPathServer is the portal's error path (request id, observe,
// recover, the error handler) in front of the handlers under test, on a
// real HTTP server so the client sees what a browser would.
func errorPathServer(t *testing.T, shop *models.Shop, mount func(e *echo.Echo, kit handlers.Kit)) (*httptest.Server, *logLines) {
	t.Helper()
	lines := &logLines{}
	log := slog.New(slog.NewJSONHandler(lines, nil))
	kit := handlers.Kit{Asset: func(name string) string { return "/static/" + name }, Now: func() time.Time { return time.Now() }}
	e := echo.New()
	e.HTTPErrorHandler = errorHandler(log, kit)
	e.Use(middleware.RequestID(), observe(log, nil), recoverPanics())
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			handlers.SetSession(c, &models.Session{User: models.User{Role: models.RoleSeller}, Shop: shop})
			return next(c)
		}
	})
	mount(e, kit)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv, lines
}

// oneLine checks the request left exactly one log line, at error level,
// naming the request id, the route and the error.
func oneLine(t *testing.T, lines *logLines, resp *http.Response, route, wantErr string) map[string]any {
	t.Helper()
	entries := lines.entries(t)
	if len(entries) != 1 {
		t.Fatalf("%d log lines, want one: %v", len(entries), entries)
	}
	e := entries[0]
	if e["level"] != "ERROR" || e["route"] != route {
		t.Errorf("log line %v: want level ERROR and route %s", e, route)
	}
	if id := resp.Header.Get(echo.HeaderXRequestID); id == "" || e["request_id"] != id {
		t.Errorf("log line request id %v, response says %q", e["request_id"], id)
	}
	if msg, _ := e["error"].(string); !strings.Contains(msg, wantErr) {
		t.Errorf("log line error %q, want it to contain %q", msg, wantErr)
	}
	return e
}

func TestAFailingExportIsAnAbortedDownloadAndOneLogLine(t *testing.T) {
	t.Parallel()
	w := modeltest.NewOrderWorld(t)
	w.Import(t, fmt.Appendf(nil, `{"order_id": "E-1", "shop_id": %q, "placed_at": "2025-12-01T18:00:00Z", "lines": [{"sku_id": %q,
		"quantity": 1, "unit_price": "30.00", "seller_discount": "0.00"}], "shipping_paid": "0.00"}`, w.Shop.PublicID, w.SKUs[2].SKUCode))
	srv, lines := errorPathServer(t, &w.Shop, func(e *echo.Echo, kit handlers.Kit) {
		fin := handlers.NewFinance(kit, brokenStore{Store: w.Orders, rows: 5000})
		e.GET("/finance/settled-records.csv", fin.ExportCSV)
	})

	resp, err := srv.Client().Get(srv.URL + "/finance/settled-records.csv")
	if err != nil {
		t.Fatalf("the export failed before its headers: %v (want headers, then a broken body)", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Fatalf("the download of %d bytes ended as if whole (status %d); want it to fail", len(body), resp.StatusCode)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading the download: %v, want an unexpected EOF", err)
	}
	if !bytes.Contains(body, []byte("E-1")) {
		t.Errorf("the rows sent before the failure did not arrive: %q", body[:min(len(body), 200)])
	}
	e := oneLine(t, lines, resp, "/finance/settled-records.csv", errCursorLost.Error())
	if e["aborted"] != true {
		t.Errorf("log line %v does not say the response was aborted", e)
	}
}

func TestAPageThatFailsToRenderIsA500Page(t *testing.T) {
	t.Parallel()
	srv, lines := errorPathServer(t, nil, func(e *echo.Echo, kit handlers.Kit) {
		broken := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			if _, err := io.WriteString(w, "<h1>Half a page"); err != nil {
				return err
			}
			return errors.New("template: the shop is missing")
		})
		e.GET("/broken", func(c echo.Context) error { return handlers.Render(c, http.StatusOK, broken) })
	})
	resp, err := srv.Client().Get(srv.URL + "/broken")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
	if bytes.Contains(body, []byte("Half a page")) || !bytes.Contains(body, []byte("Something went wrong")) {
		t.Errorf("want the friendly error page and none of the half-rendered one: %q", body)
	}
	oneLine(t, lines, resp, "/broken", "the shop is missing")
}

func TestAPanicIsA500PageAndOneLogLine(t *testing.T) {
	t.Parallel()
	srv, lines := errorPathServer(t, nil, func(e *echo.Echo, kit handlers.Kit) {
		e.GET("/panics/:id", func(c echo.Context) error {
			panic("no campaign " + c.Param("id"))
		})
	})
	resp, err := srv.Client().Get(srv.URL + "/panics/7")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusInternalServerError || !bytes.Contains(body, []byte("Something went wrong")) {
		t.Errorf("status %d, body %q: want the friendly 500 page", resp.StatusCode, body)
	}
	if id := resp.Header.Get(echo.HeaderXRequestID); !bytes.Contains(body, []byte(id)) {
		t.Errorf("the page does not show the request id %q", id)
	}
	e := oneLine(t, lines, resp, "/panics/:id", "panic: no campaign 7")
	if msg, _ := e["error"].(string); !strings.Contains(msg, "goroutine") {
		t.Errorf("the panic's line carries no stack: %q", msg)
	}
}

func TestARefusedRequestIsOneInfoLine(t *testing.T) {
	t.Parallel()
	srv, lines := errorPathServer(t, nil, func(e *echo.Echo, kit handlers.Kit) {
		e.GET("/missing", func(c echo.Context) error { return models.ErrNotFound })
	})
	resp, err := srv.Client().Get(srv.URL + "/missing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404", resp.StatusCode)
	}
	entries := lines.entries(t)
	if len(entries) != 1 || entries[0]["level"] != "INFO" || entries[0]["status"] != float64(404) {
		t.Errorf("log lines %v, want one INFO line with status 404", entries)
	}
}
