// Package pgsql holds the few helpers the packages that talk to PostgreSQL
// through pgx directly (COPY, batched array queries) share: borrowing one
// connection of GORM's database/sql pool as a *pgx.Conn, and converting
// between decimal.Decimal and PostgreSQL's numeric without text.
package pgsql

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/shopspring/decimal"
)

// Querier is what a *pgx.Conn and a pgx.Tx have in common.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// WithConn runs fn on one connection of a database/sql pool opened with
// the pgx driver.
func WithConn(ctx context.Context, sqlDB *sql.DB, fn func(*pgx.Conn) error) error {
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pgsql: need the pgx driver, got %T", dc)
		}
		return fn(sc.Conn())
	})
}

// Numeric converts an amount to a numeric parameter, exactly.
func Numeric(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

// Decimal converts a scanned numeric (NULL: zero).
func Decimal(n pgtype.Numeric) decimal.Decimal {
	if !n.Valid || n.Int == nil {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(n.Int, n.Exp)
}
