package orders

import (
	"campaignportal/models/pgsql"
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The order store talks to PostgreSQL through pgx directly: COPY for bulk
// imports and batched array queries are what make a million orders fit in
// seconds. These helpers borrow one pooled connection from GORM's pool.

// withPgx runs fn on one pooled connection as a *pgx.Conn.
func (s *Store) withPgx(ctx context.Context, fn func(*pgx.Conn) error) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return pgsql.WithConn(ctx, sqlDB, fn)
}

// inPgxTx runs fn in a transaction, committed when fn returns nil.
func (s *Store) inPgxTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.withPgx(ctx, func(c *pgx.Conn) error { return pgx.BeginFunc(ctx, c, fn) })
}

// retryable reports a unique violation or a deadlock: a racing import got
// there first, and trying again sees its result.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "40P01" || pe.Code == "40001")
}
