// Command httpapi serves the DaxPay sync endpoints — POST /unipay/sync/pay,
// /unipay/sync/allocation, /unipay/sync/refund and /unipay/sync/transfer —
// over a paysync engine loaded with demo orders. See README.md for a
// walkthrough.
//
//	go run ./examples/httpapi -addr 127.0.0.1:9000 -secret 123456 -sign-type HMAC_SHA256
//
// With -console-token TOKEN it also serves the operator console at
// /console/ (HTTP basic auth: the user name is the operator, the password
// the token); without it there is no console.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/paysync/paysync/examples/httpapi/daxpay"
)

// Server timeouts. WriteTimeout leaves room for daxpay's EngineTimeout (a
// channel query) plus writing the answer.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = daxpay.DefaultEngineTimeout + 10*time.Second
	idleTimeout       = 60 * time.Second
	shutdownTimeout   = 10 * time.Second
	maxHeaderBytes    = 16 << 10
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "httpapi:", err)
		}
		os.Exit(2)
	}
}

// options are the command-line flags.
type options struct {
	addr        string
	secret      string
	signType    daxpay.SignType
	sweep       bool
	maxInFlight int
	// consoleToken, when set, serves the console at /console/ behind basic
	// auth with this password; consoleLoc is the zone it shows times in.
	consoleToken string
	consoleTZ    string
	consoleLoc   *time.Location
}

// parseFlags reads args. It returns an error for an unknown flag, a missing
// -secret, an unknown -sign-type, a -max-in-flight below 1 or an unknown
// -console-tz (flag.ErrHelp for -h).
func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("httpapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	var signType string
	fs.StringVar(&o.addr, "addr", "127.0.0.1:9000", "address to listen on")
	fs.StringVar(&o.secret, "secret", "", "signing secret shared with clients (required)")
	fs.StringVar(&signType, "sign-type", string(daxpay.HMACSHA256), "signature digest: HMAC_SHA256 or MD5")
	fs.BoolVar(&o.sweep, "sweep", false, "run the background sweeper (off: demo orders change only when synced through the API)")
	fs.IntVar(&o.maxInFlight, "max-in-flight", daxpay.DefaultMaxInFlight, "requests served at once; one more is answered 10007")
	fs.StringVar(&o.consoleToken, "console-token", "", "serve the operator console at /console/ with this password (basic auth; the user name is the operator)")
	fs.StringVar(&o.consoleTZ, "console-tz", "Asia/Shanghai", "the time zone the console shows times in")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.secret == "" {
		return options{}, errors.New("-secret is required")
	}
	if o.maxInFlight < 1 {
		return options{}, errors.New("-max-in-flight must be at least 1")
	}
	if o.consoleToken != "" {
		loc, err := time.LoadLocation(o.consoleTZ)
		if err != nil {
			return options{}, fmt.Errorf("-console-tz: %w", err)
		}
		o.consoleLoc = loc
	}
	t, err := daxpay.ParseSignType(signType)
	if err != nil {
		return options{}, err
	}
	o.signType = t
	return o, nil
}

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	d, err := newDemo(ctx, logger)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	h, err := daxpay.NewHandler(d.engine, daxpay.Config{
		Secret: o.secret, SignType: o.signType, MaxInFlight: o.maxInFlight, Logger: logger})
	if err != nil {
		return err
	}
	var root http.Handler = h
	if o.consoleToken != "" {
		if root, err = withConsole(h, d, o, logger); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sweepDone := make(chan error, 1)
	switch {
	case o.sweep && d.sweep != nil:
		go func() { sweepDone <- d.sweep(ctx) }()
	case o.sweep:
		logger.Warn("-sweep given but the demo has no sweeper")
		sweepDone <- nil
	default:
		sweepDone <- nil
	}
	logger.Info("serving", "addr", ln.Addr().String(), "signType", o.signType, "sweep", o.sweep,
		"maxInFlight", o.maxInFlight, "console", o.consoleToken != "")
	err = serve(ctx, ln, root, logger)
	cancel() // stop the sweeper even when the server failed
	return errors.Join(err, <-sweepDone)
}

// serve serves h on ln until ctx ends, then stops accepting, lets requests in
// flight finish for up to shutdownTimeout, and returns nil; it returns the
// server's error if serving fails first, and the shutdown's error if
// requests were still in flight at the deadline. It logs the shutdown's
// start and end.
func serve(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "addr", ln.Addr().String(), "grace", shutdownTimeout)
	// The signal's ctx is done; shutting down needs a ctx of its own.
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		logger.Error("shutdown cut short", "err", err)
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped", "addr", ln.Addr().String())
	return nil
}
