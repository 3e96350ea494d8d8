package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestHealthcheckPassesOnlyOn200(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(int(status.Load()))
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	env := map[string]string{"PORT": port}
	check := func() error {
		return run(context.Background(), []string{"healthcheck"}, func(k string) string { return env[k] }, &strings.Builder{})
	}

	if err := check(); err != nil {
		t.Errorf("healthz answers 200: want nil, got %v", err)
	}
	status.Store(http.StatusServiceUnavailable)
	if err := check(); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("healthz answers 503: want an error naming it, got %v", err)
	}
	srv.Close()
	if err := check(); err == nil {
		t.Error("nothing listening: want an error, got nil")
	}
}
