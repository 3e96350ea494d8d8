// Package modeltest gives tests a real PostgreSQL database of their own,
// cloned in a fraction of a second from a template that has every
// migration applied. Never a mock: the same server, schema and constraints
// as production.
//
// Every function here is safe to call from parallel tests. Clones are
// made ahead of time and dropped in the background (clones.go), so a test
// waits for neither; Cleanup, called from TestMain, waits for the drops.
package modeltest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"campaignportal/migrations"
	"campaignportal/models/database"
	"campaignportal/models/orders"
)

// ServerURL is the PostgreSQL server tests use: TEST_DATABASE_URL, or the
// local server on 127.0.0.1:5432.
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// URLFor is the server URL pointed at another database.
func URLFor(dbName string) string {
	u, err := url.Parse(ServerURL())
	if err != nil {
		panic(err)
	}
	u.Path = "/" + dbName
	return u.String()
}

var (
	templates   sync.Map // name -> *sync.Once-guarded build result
	templateMus sync.Mutex
)

type templateState struct {
	once sync.Once
	err  error
}

// migratedTemplate is named after a hash of the migration files, so it is
// rebuilt exactly when the schema changes and shared by every test package.
func migratedTemplate() (string, error) {
	h := sha256.New()
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		h.Write([]byte(n))
		h.Write(b)
	}
	h.Write([]byte(database.QueueSchemaVersion())) // River's tables are in the template too
	name := "portal_tmpl_" + hex.EncodeToString(h.Sum(nil))[:16]
	return name, ensureTemplate(name, "", func(ctx context.Context, db *gorm.DB) error {
		sqlDB, err := db.DB()
		if err != nil {
			return err
		}
		if err := database.Migrate(ctx, sqlDB, nil); err != nil {
			return err
		}
		return orders.RunMaintenance(ctx, sqlDB)
	})
}

// ensureTemplate builds a template database once: under a temporary name,
// renamed into place when complete, guarded by an advisory lock so parallel
// test packages do not race.
func ensureTemplate(name, from string, build func(context.Context, *gorm.DB) error) error {
	v, _ := templates.LoadOrStore(name, &templateState{})
	st := v.(*templateState)
	st.once.Do(func() { st.err = buildTemplate(name, from, build) })
	return st.err
}

func buildTemplate(name, from string, build func(context.Context, *gorm.DB) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		return fmt.Errorf("tests need PostgreSQL at %s: %w", ServerURL(), err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(727002)`); err != nil {
		return err
	}
	defer admin.Exec(context.Background(), `SELECT pg_advisory_unlock(727002)`) //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := name + "_building"
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{building}.Sanitize()+" WITH (FORCE)"); err != nil {
		return err
	}
	create := "CREATE DATABASE " + pgx.Identifier{building}.Sanitize()
	if from != "" {
		create += " TEMPLATE " + pgx.Identifier{from}.Sanitize()
	}
	if _, err := admin.Exec(ctx, create); err != nil {
		return err
	}
	db, err := database.Open(ctx, URLFor(building))
	if err != nil {
		return err
	}
	buildErr := build(ctx, db)
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
	if buildErr != nil {
		return buildErr
	}
	_, err = admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{building}.Sanitize()+" RENAME TO "+pgx.Identifier{name}.Sanitize())
	return err
}

// NewDB gives the test a fresh, migrated, empty database, dropped when the
// test ends.
func NewDB(t testing.TB) *gorm.DB {
	t.Helper()
	tmpl, err := migratedTemplate()
	if err != nil {
		t.Fatalf("preparing the template database: %v", err)
	}
	return openClone(t, tmpl, true)
}

// NewDBWith gives the test a fresh database cloned from a template that
// seed filled once (per test process and key) on top of the migrated
// schema. Use it for fixtures many tests share, such as the demo data.
func NewDBWith(t testing.TB, key string, seed func(context.Context, *gorm.DB) error) *gorm.DB {
	t.Helper()
	base, err := migratedTemplate()
	if err != nil {
		t.Fatalf("preparing the template database: %v", err)
	}
	p, err := thisProcess()
	if err != nil {
		t.Fatal(err)
	}
	// Named after this process, so that the next process drops it if
	// this one ends without Cleanup (see sweep).
	name := fmt.Sprintf("%s_%s_%s", base, key, p.token)
	if err := ensureTemplate(name, base, seed); err != nil {
		t.Fatalf("preparing the %s template: %v", key, err)
	}
	templateMus.Lock()
	processTemplates = append(processTemplates, name)
	templateMus.Unlock()
	// No spares: these templates are large and used by a test or two.
	return openClone(t, name, false)
}

var processTemplates []string

// Cleanup waits for the test databases to be dropped, drops the spare
// clones and the per-process templates NewDBWith made; call it from
// TestMain after m.Run.
func Cleanup() {
	p := startedProcess()
	if p == nil {
		return
	}
	p.stopSpares()
	templateMus.Lock()
	seen := map[string]bool{}
	for _, n := range processTemplates {
		if !seen[n] {
			seen[n] = true
			p.drop(n)
		}
	}
	processTemplates = nil
	templateMus.Unlock()
	p.waitForDrops()
}

func openClone(t testing.TB, tmpl string, spares bool) *gorm.DB {
	t.Helper()
	p, err := thisProcess()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var name string
	if spares {
		name, err = p.spares(tmpl).take(ctx)
	} else {
		name, err = p.clone(ctx, tmpl)
	}
	if err != nil {
		t.Fatalf("creating the test database: %v", err)
	}
	db, err := database.Open(ctx, URLFor(name))
	if err != nil {
		p.drop(name)
		t.Fatalf("opening the test database: %v", err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
		p.drop(name)
	})
	return db
}
