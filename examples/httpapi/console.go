package main

import (
	"crypto/subtle"
	"log/slog"
	"net/http"

	"github.com/paysync/paysync/examples/console"
)

// consolePrefix is where the operator console is mounted.
const consolePrefix = "/console/"

// withConsole returns a handler serving the console at consolePrefix and
// api everywhere else. The console authenticates with HTTP basic auth: the
// user name is the operator (it goes on every repair), the password must be
// o.consoleToken, compared in constant time.
func withConsole(api http.Handler, d *demo, o options, logger *slog.Logger) (http.Handler, error) {
	token := []byte(o.consoleToken)
	c, err := console.New(console.Config{Syncer: d.syncer, Store: d.store, Prefix: consolePrefix,
		Location: o.consoleLoc, Logger: logger, Challenge: `Basic realm="paysync console"`,
		Authenticate: func(r *http.Request) (string, bool) {
			user, pass, ok := r.BasicAuth()
			return user, ok && user != "" && subtle.ConstantTimeCompare([]byte(pass), token) == 1
		}})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(consolePrefix, c)
	mux.Handle("/", api)
	return mux, nil
}
