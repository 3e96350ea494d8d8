package models

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Shop is a seller's shop on the marketplace.
type Shop struct {
	ID                    int64
	PublicID              string
	Name                  string
	SPS                   decimal.NullDecimal `gorm:"column:sps"`
	FreeShipping          bool
	FreeShippingThreshold decimal.NullDecimal
	Currency              string
	CreatedAt             time.Time
}

// Standing is the part of the shop that campaign eligibility reads.
func (s Shop) Standing() ShopStanding {
	return ShopStanding{SPS: s.SPS, FreeShipping: s.FreeShipping, FreeShippingThreshold: s.FreeShippingThreshold}
}

// Role is what a signed-in person may do.
type Role string

const (
	RoleSeller   Role = "seller"
	RoleReviewer Role = "reviewer"
	RoleManager  Role = "manager"
)

// User is a person who signs in: a seller of one shop, or platform staff.
type User struct {
	ID                int64
	Email             string
	DisplayName       string
	PasswordHash      string
	Role              Role
	ShopID            *int64
	PasswordChangedAt time.Time
	CreatedAt         time.Time
}

// IsStaff reports whether the user works for the platform.
func (u User) IsStaff() bool { return u.Role == RoleReviewer || u.Role == RoleManager }

// Store runs the portal's queries. Every seller query takes the shop id of
// the session and filters by it.
type Store struct {
	db    *gorm.DB
	rules *rulesCache // campaigns' rules by (id, rules version)
}

// NewStore wraps a GORM handle.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, rules: newRulesCache()} }

// on is the store on a transaction (or another handle), sharing the
// process's rules cache: entries are used only when the handle's own read
// names their version, so a transaction sees exactly its snapshot's rules.
func (s *Store) on(db *gorm.DB) *Store { return &Store{db: db, rules: s.rules} }

// DB exposes the handle for wiring (health checks, metrics).
func (s *Store) DB() *gorm.DB { return s.db }

// ShopByID loads a shop.
func (s *Store) ShopByID(ctx context.Context, id int64) (Shop, error) {
	var shop Shop
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&shop).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Shop{}, ErrNotFound
	}
	return shop, err
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}
