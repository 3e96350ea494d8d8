package orders

import (
	"campaignportal/models/pgsql"
	"context"
	"errors"
	"strings"

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

// refusedData reports an order PostgreSQL refuses to store: a value out of
// a column's range or a broken check (classes 22 and 23, a racing unique
// key aside). The checks at the edge (models.MaxOrderTotal and the
// others) are meant to leave none; this keeps one that slips through from
// failing the orders imported with it.
func refusedData(err error) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || retryable(err) {
		return nil, false
	}
	return pe, strings.HasPrefix(pe.Code, "22") || strings.HasPrefix(pe.Code, "23")
}
