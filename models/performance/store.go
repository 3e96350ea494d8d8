package performance

import (
	"context"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"campaignportal/models/orders"
	"campaignportal/models/pgsql"
)

// Store runs the campaign performance queries. Every seller query takes
// the shop id of the session and filters by it.
type Store struct {
	db     *gorm.DB
	orders *orders.Store
}

// NewStore wraps a GORM handle.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, orders: orders.NewStore(db)} }

// withPgx runs fn on one pooled connection as a *pgx.Conn.
func (s *Store) withPgx(ctx context.Context, fn func(*pgx.Conn) error) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return pgsql.WithConn(ctx, sqlDB, fn)
}
