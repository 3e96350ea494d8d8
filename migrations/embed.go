// Package migrations holds the versioned SQL schema, embedded so the binary
// and the test helpers apply exactly the same files.
package migrations

import "embed"

// FS is the set of goose migrations, in version order by file name.
//
//go:embed *.sql
var FS embed.FS
