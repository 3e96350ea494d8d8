package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"campaignportal/migrations"
)

// ErrDatabaseUnreachable means no PostgreSQL server answered at the address.
var ErrDatabaseUnreachable = errors.New("database unreachable")

// Open connects GORM to PostgreSQL and checks the connection.
func Open(ctx context.Context, dsn string) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		TranslateError:         false,
	})
	if err != nil {
		return nil, classifyConnectError(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	// As many idle connections as open ones: with fewer, every burst
	// above the idle count closed connections on the way down and opened
	// them again (a PostgreSQL backend each) on the way up, which is where
	// the tails under load came from.
	sqlDB.SetMaxOpenConns(20)
	sqlDB.SetMaxIdleConns(20)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, classifyConnectError(err)
	}
	return db, nil
}

// EnsureDatabase creates the database named in dsn when it does not exist
// yet and the server lets us (it connects to the "postgres" maintenance
// database to do so).
func EnsureDatabase(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL: %w", err)
	}
	name := cfg.Database
	cfg.Database = "postgres"
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		// Without the maintenance database we cannot create anything; let the
		// real connection attempt report what is wrong.
		if isUnreachable(err) {
			return fmt.Errorf("%w: %v", ErrDatabaseUnreachable, err)
		}
		return nil
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created by another instance meanwhile
		return nil
	}
	return err
}

// Migrate applies every pending migration, ours then the job queue's. A
// PostgreSQL advisory lock makes concurrent start-ups of several instances
// safe. Data maintenance a migration asks for (orders.RunMaintenance) is
// the caller's next step.
func Migrate(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithSessionLocker(locker))
	if err != nil {
		return err
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("applying migrations: %w", err)
	}
	for _, r := range results {
		if log != nil {
			log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
		}
	}
	// The job queue's tables (River) come after ours, in the same database.
	return migrateQueue(ctx, db, log)
}

func classifyConnectError(err error) error {
	if isUnreachable(err) {
		return fmt.Errorf("%w: %v", ErrDatabaseUnreachable, err)
	}
	return err
}

func isUnreachable(err error) bool {
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "no such host") ||
		strings.Contains(msg, "dial") || strings.Contains(msg, "timeout")
}

// RedactedURL returns dsn without its password, for messages.
func RedactedURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DATABASE_URL)"
	}
	return u.Redacted()
}
