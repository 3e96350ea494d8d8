// Package database opens the portal's PostgreSQL database and brings its
// schema up to date: our versioned migrations (goose, embedded from
// migrations/) and then the job queue's (River's), both under advisory
// locks so instances starting together apply them once.
package database
