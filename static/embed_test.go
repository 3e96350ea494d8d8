package static

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadServesEveryAssetUnderAHashedName(t *testing.T) {
	a, err := Load("/static/")
	if err != nil {
		t.Fatal(err)
	}
	for logical := range sources {
		u := a.URL(logical)
		name := strings.TrimPrefix(u, "/static/")
		if name == logical {
			t.Errorf("%s: URL %s has no content hash", logical, u)
		}
		if as, ok := a.Lookup(name); !ok || len(as.Body) == 0 {
			t.Errorf("%s: Lookup(%q) found nothing", logical, name)
		}
	}
}

// A build before `npm ci` has no node_modules: starting must say what to
// run, in one line.
func TestLoadWithoutNodeModulesNamesTheCommand(t *testing.T) {
	fsys := fstest.MapFS{
		"css/app.css":     {Data: []byte("body{}")},
		"js/app.js":       {Data: []byte("1")},
		"img/favicon.svg": {Data: []byte("<svg/>")},
		"package.json":    {Data: []byte("{}")},
	}
	_, err := load(fsys, "/static/")
	if err == nil {
		t.Fatal("load without node_modules: want an error, got nil")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "npm ci") || !strings.Contains(msg, "htmx.min.js") || !strings.Contains(msg, "idiomorph.min.js") {
		t.Errorf("want one line naming every missing file and `npm ci`, got %q", msg)
	}
}
