package database

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// riverMigrationLock serialises River's migrations across instances that
// start together (goose has its own lock).
const riverMigrationLock = 727003

// migrateQueue applies the job queue's own schema (River's) after ours.
func migrateQueue(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	migrator, err := rivermigrate.New(riverdatabasesql.New(db), &rivermigrate.Config{Logger: log})
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, riverMigrationLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverMigrationLock) //nolint:errcheck
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("applying the job queue's migrations: %w", err)
	}
	for _, v := range res.Versions {
		log.Info("job queue migration applied", "version", v.Version, "took", v.Duration)
	}
	return nil
}

// QueueSchemaVersion names the newest River migration this build applies,
// so test templates are rebuilt when River's schema moves.
func QueueSchemaVersion() string {
	migrator, err := rivermigrate.New(riverdatabasesql.New(nil), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return "river:unknown"
	}
	all := migrator.AllVersions()
	if len(all) == 0 {
		return "river:0"
	}
	return "river:" + strconv.Itoa(all[len(all)-1].Version)
}
