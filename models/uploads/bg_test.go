package uploads_test

import (
	"context"
	"os"
	"testing"

	"campaignportal/models/modeltest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	modeltest.Cleanup()
	os.Exit(code)
}

var bg = context.Background()
