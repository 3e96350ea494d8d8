// Package static holds the portal's CSS, JavaScript and the front-end
// packages installed from npm (node_modules is git-ignored and filled by
// `npm ci`). Files are served under content-hashed names with long cache
// lifetimes, so a new build never meets a stale cached file.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

//go:embed css/*.css js/*.js img/*.svg node_modules/htmx.org/dist/htmx.min.js
var files embed.FS

// sources maps the logical names templates ask for to embedded files.
var sources = map[string]string{
	"app.css":     "css/app.css",
	"app.js":      "js/app.js",
	"htmx.js":     "node_modules/htmx.org/dist/htmx.min.js",
	"favicon.svg": "img/favicon.svg",
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
	a := &Assets{prefix: prefix, urls: map[string]string{}, byPath: map[string]Asset{}}
	for logical, src := range sources {
		body, err := fs.ReadFile(files, src)
		if err != nil {
			return nil, fmt.Errorf("static asset %s: %w (run `npm ci` in static/)", src, err)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(logical)
		hashed := strings.TrimSuffix(logical, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		a.urls[logical] = prefix + hashed
		a.byPath[hashed] = Asset{Body: body, ContentType: contentType(ext)}
	}
	return a, nil
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
