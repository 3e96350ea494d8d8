package orders

import (
	"gorm.io/gorm"

	"campaignportal/models"
)

// Store runs the orders queries. Every seller query takes the shop id of the
// session and filters by it.
type Store struct {
	db   *gorm.DB
	core *models.Store
}

// NewStore wraps a GORM handle.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, core: models.NewStore(db)} }
