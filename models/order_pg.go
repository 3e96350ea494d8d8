package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/shopspring/decimal"
)

// The order store talks to PostgreSQL through pgx directly: COPY for bulk
// imports and batched array queries are what make a million orders fit in
// seconds. These helpers borrow one pooled connection from GORM's pool.

type pgq interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// withPgx runs fn on one pooled connection as a *pgx.Conn.
func (s *Store) withPgx(ctx context.Context, fn func(*pgx.Conn) error) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return withPgxConn(ctx, sqlDB, fn)
}

// withPgxConn runs fn on one connection of a database/sql pool.
func withPgxConn(ctx context.Context, sqlDB *sql.DB, fn func(*pgx.Conn) error) error {
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("orders need the pgx driver, got %T", dc)
		}
		return fn(sc.Conn())
	})
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

func pgNum(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func pgNullNum(d decimal.Decimal, valid bool) pgtype.Numeric {
	if !valid {
		return pgtype.Numeric{}
	}
	return pgNum(d)
}

// decPg converts a scanned numeric (NULL: zero).
func decPg(n pgtype.Numeric) decimal.Decimal {
	if !n.Valid || n.Int == nil {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(n.Int, n.Exp)
}
