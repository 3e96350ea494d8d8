// Package static holds the portal's CSS, JavaScript and the front-end
// packages installed from npm (node_modules is git-ignored and filled by
// `npm ci`; a binary built without it says so when it starts). Files are served under content-hashed names with long cache
// lifetimes, so a new build never meets a stale cached file.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// [np]* matches node_modules and the committed package.json beside it, so
// the pattern always matches something and `go build` works on a fresh
// clone before `npm ci` has made node_modules (a pattern that matches
// nothing stops the build with a message that names no fix). Load then
// says in one line what to run. It embeds all of node_modules (htmx.org
// and idiomorph, under 2 MB); only the files in sources are served.
//
//go:embed css/*.css js/*.js img/*.svg [np]*
var files embed.FS

// npmHint ends the error when a front-end package is missing: the files are
// embedded at build time, so the binary must be built again.
const npmHint = "run `npm ci` in static/ (or `make build`), then build again"

// sources maps the logical names templates ask for to embedded files.
var sources = map[string]string{
	"app.css":      "css/app.css",
	"app.js":       "js/app.js",
	"htmx.js":      "node_modules/htmx.org/dist/htmx.min.js",
	"idiomorph.js": "node_modules/idiomorph/dist/idiomorph.min.js",
	"favicon.svg":  "img/favicon.svg",
}

// Asset is one servable file.
type Asset struct {
	Body        []byte
	ContentType string
}

// Assets resolves logical names to hashed URLs and serves them.
type Assets struct {
	prefix string
	urls   map[string]string // logical name -> URL path
	byPath map[string]Asset  // hashed file name -> contents
}

// Load reads and hashes every asset; prefix is the URL folder, e.g. "/static/".
func Load(prefix string) (*Assets, error) {
	return load(files, prefix)
}

// Check reports what Load would refuse, so a program can say it before it
// does anything else.
func Check() error {
	_, err := load(files, "/")
	return err
}

func load(fsys fs.FS, prefix string) (*Assets, error) {
	a := &Assets{prefix: prefix, urls: map[string]string{}, byPath: map[string]Asset{}}
	// Every missing package file is named, in a fixed order: the same
	// build always says the same thing.
	var missing []string
	for _, src := range sortedSources() {
		if _, err := fs.Stat(fsys, src); errors.Is(err, fs.ErrNotExist) && strings.HasPrefix(src, "node_modules/") {
			missing = append(missing, "static/"+src)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("this binary was built without %s: %s", strings.Join(missing, ", "), npmHint)
	}
	for logical, src := range sources {
		body, err := fs.ReadFile(fsys, src)
		if err != nil {
			return nil, fmt.Errorf("static asset %s: %w", src, err)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(logical)
		hashed := strings.TrimSuffix(logical, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		a.urls[logical] = prefix + hashed
		a.byPath[hashed] = Asset{Body: body, ContentType: contentType(ext)}
	}
	return a, nil
}

func sortedSources() []string {
	out := make([]string, 0, len(sources))
	for _, src := range sources {
		out = append(out, src)
	}
	slices.Sort(out)
	return out
}

// URL returns the hashed URL of a logical asset name.
func (a *Assets) URL(logical string) string {
	if u, ok := a.urls[logical]; ok {
		return u
	}
	return a.prefix + logical
}

// Lookup finds an asset by its hashed file name.
func (a *Assets) Lookup(name string) (Asset, bool) {
	as, ok := a.byPath[name]
	return as, ok
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	return "application/octet-stream"
}
