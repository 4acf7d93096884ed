// Package faulttest holds Tongban's fault tests: PostgreSQL stopped and
// started under load, and the server killed with SIGKILL during
// submissions. Its helpers start a private PostgreSQL cluster (never the
// machine's shared one, which other tests use at the same time) and the
// tongban binary as a child process.
package faulttest
