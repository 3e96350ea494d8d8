package modeltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

func currentDatabase(t *testing.T, db *gorm.DB) string {
	t.Helper()
	var name string
	if err := db.Raw(`SELECT current_database()`).Scan(&name).Error; err != nil {
		t.Fatal(err)
	}
	return name
}

func databaseExists(t *testing.T, name string) bool {
	t.Helper()
	p, err := thisProcess()
	if err != nil {
		t.Fatal(err)
	}
	var exists bool
	if err := p.admin.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	return exists
}

// Parallel tests each get a migrated database of their own, and Cleanup
// leaves none of them behind.
func TestParallelTestsGetDatabasesOfTheirOwn(t *testing.T) {
	const n = 6
	names := make(chan string, n)
	t.Run("group", func(t *testing.T) {
		for i := range n {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				db := NewDB(t)
				var shops int64
				if err := db.Raw(`SELECT count(*) FROM shops`).Scan(&shops).Error; err != nil {
					t.Fatalf("the clone has no migrated schema: %v", err)
				}
				if shops != 0 {
					t.Errorf("a fresh clone has %d shops; want 0", shops)
				}
				Shop(t, db, fmt.Sprintf("Shop %d", i), "4", "20")
				names <- currentDatabase(t, db)
			})
		}
	})
	close(names)
	seen := map[string]bool{}
	for name := range names {
		if seen[name] {
			t.Errorf("two tests got database %s", name)
		}
		seen[name] = true
	}
	if len(seen) != n {
		t.Fatalf("got %d databases from %d tests", len(seen), n)
	}
	Cleanup()
	for name := range seen {
		if databaseExists(t, name) {
			t.Errorf("database %s is still there after Cleanup", name)
		}
	}
}

// A process that ended without Cleanup leaves databases named with its
// token; the next process drops them, and never those of a process that
// is still running.
func TestSweepDropsOnlyTheDatabasesOfEndedProcesses(t *testing.T) {
	p, err := thisProcess()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tmpl, err := migratedTemplate()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	// Tokens of their own, so a second copy of the suite running beside
	// this one makes other names.
	token := func() string {
		b := make([]byte, 4)
		if _, err := rand.Read(b); err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(b)
	}
	dead, beef := token(), token()
	cfg.RuntimeParams["application_name"] = ownerName(beef)
	running, err := pgx.ConnectConfig(ctx, cfg) // a process still running
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close(ctx)
	ended := clonePrefix + dead + "_1"
	endedTemplate := tmpl + "_seed_" + dead
	alive := clonePrefix + beef + "_1"
	for _, name := range []string{ended, endedTemplate, alive} {
		if _, err := p.admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{tmpl}.Sanitize()); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { p.drop(alive); p.waitForDrops() })

	// A sweep as the next process starts it (after this process's own).
	<-p.swept
	p.swept = make(chan struct{})
	p.sweep()
	p.waitForDrops()
	for _, name := range []string{ended, endedTemplate} {
		if databaseExists(t, name) {
			t.Errorf("%s (its process has ended) is still there after a sweep", name)
		}
	}
	if !databaseExists(t, alive) {
		t.Errorf("the sweep dropped %s, whose process is still running", alive)
	}
}

func TestTokenOf(t *testing.T) {
	for name, want := range map[string]string{
		"portal_test_0a1b2c3d_17":                              "0a1b2c3d",
		"portal_tmpl_0123456789abcdef_draft2000_0a1b2c3d":      "0a1b2c3d",
		"portal_tmpl_0123456789abcdef_key_with_parts_12345678": "12345678",
	} {
		if got := tokenOf(name); got != want {
			t.Errorf("tokenOf(%q) = %q; want %q", name, got, want)
		}
	}
}
