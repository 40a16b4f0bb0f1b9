// Package console is paysync's operator console: an http.Handler a host
// mounts behind its own authentication, where a person answers the money
// questions the engine raised (docs/repair.md#the-console).
//
// It shows an overview per kind of order, the inbox of open anomalies, lists
// of orders by status, by due time and with an ended schedule, and one page
// per order with its fields, anomalies and history as one timeline. From an
// order's page a person syncs it now, or repairs it: a preview (a dry run of
// syncer.Repair that writes nothing) shows what the repair would do, and a
// confirmation carrying the previewed Version does it.
//
// Pages are rendered on the server with html/template; the stylesheet is
// embedded. Nothing needs JavaScript and nothing is loaded from elsewhere.
// Every POST carries a CSRF token bound to the operator, and the operator's
// name always comes from Config.Authenticate, never from a form.
//
// The package uses the standard library and paysync's own packages only.
package console

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/console.css
var stylesheet []byte

// Config configures the console. Syncer, Store and Authenticate are
// required; every other zero field takes the default named on it.
type Config struct {
	// Syncer is the engine: "sync now" and repairs go through it.
	Syncer *syncer.Syncer
	// Store is the store the Syncer works on; the console reads orders,
	// records, events, anomalies and listings from it.
	Store repository.Store
	// Authenticate is the host's own authentication. It returns the name of
	// the person making the request — the Operator of every repair they make
	// — or ok=false to refuse it. A refused request, or one with an empty
	// name, is answered 401 with no data.
	Authenticate func(r *http.Request) (operator string, ok bool)
	// Challenge is the WWW-Authenticate header sent with a 401, such as
	// `Basic realm="paysync console"` for a host on HTTP basic auth. Default:
	// none.
	Challenge string
	// Prefix is the path the console is mounted at; it starts and ends with
	// "/". The host mounts the handler there without stripping the prefix:
	// mux.Handle(cfg.Prefix, h). Default "/".
	Prefix string
	// Location is the time zone times are shown in. Default Asia/Shanghai,
	// loaded once by New; where the system has no time zone database it
	// falls back to a fixed UTC+08:00 (Shanghai's offset, unchanged since
	// 1991), logs a warning and says so on every page. A host that wants the
	// database in its binary imports time/tzdata.
	Location *time.Location
	// CSRFKey signs the forms' tokens; at least 16 bytes. Default: 32 random
	// bytes per handler, so tokens do not outlive the process. Replicas
	// behind one load balancer need the same key.
	CSRFKey []byte
	// PageSize is the number of rows on a page of a list or of the inbox.
	// Default repository.DefaultPageSize; at most repository.MaxPageSize.
	PageSize int
	// Now is the console's clock: the overview's due counts, ages, token
	// lifetimes. Default time.Now.
	Now func() time.Time
	// Logger receives server errors and every sync and repair a person
	// makes, with their name. Default: discards.
	Logger *slog.Logger
}

// DefaultTimeZone is the zone times are shown in when Config.Location is nil.
const DefaultTimeZone = "Asia/Shanghai"

// Validate returns an error wrapping paysync.ErrInvalidRequest that names the
// first field that is wrong. Zero fields other than the required ones are
// valid: they take defaults.
func (c Config) Validate() error {
	const op = "console.Config"
	bad := func(msg string) error { return paysync.Ef(op, paysync.ErrInvalidRequest, msg, nil) }
	switch {
	case c.Syncer == nil:
		return bad("Syncer is required")
	case c.Store == nil:
		return bad("Store is required")
	case c.Authenticate == nil:
		return bad("Authenticate is required: the console is mounted behind the host's own authentication")
	case c.Prefix != "" && (!strings.HasPrefix(c.Prefix, "/") || !strings.HasSuffix(c.Prefix, "/")):
		return bad("Prefix must start and end with /, as /console/ does")
	case strings.ContainsAny(c.Prefix, "{}?#% \t\n"):
		return bad("Prefix must be a plain path")
	case c.CSRFKey != nil && len(c.CSRFKey) < 16:
		return bad("CSRFKey must be at least 16 bytes")
	case c.PageSize < 0 || c.PageSize > repository.MaxPageSize:
		return bad("PageSize must be between 0 and repository.MaxPageSize")
	}
	return nil
}

// loadLocation is time.LoadLocation; a test replaces it to see the fallback.
var loadLocation = time.LoadLocation

func (c Config) withDefaults() (Config, zone) {
	if c.Prefix == "" {
		c.Prefix = "/"
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.PageSize == 0 {
		c.PageSize = repository.DefaultPageSize
	}
	if c.CSRFKey == nil {
		c.CSRFKey = make([]byte, 32)
		_, _ = rand.Read(c.CSRFKey) // crypto/rand.Read never fails (Go 1.24)
	} else {
		c.CSRFKey = bytes.Clone(c.CSRFKey)
	}
	var z zone
	switch {
	case c.Location != nil:
		z = zone{name: c.Location.String()}
	default:
		loc, err := loadLocation(DefaultTimeZone)
		if err != nil {
			c.Logger.Warn("console: no time zone database; showing times at a fixed UTC+08:00",
				"zone", DefaultTimeZone, "err", err)
			loc = time.FixedZone("UTC+08:00", 8*60*60)
			z = zone{name: "UTC+08:00", note: DefaultTimeZone + "'s offset: the system has no time zone database"}
		} else {
			z = zone{name: loc.String()}
		}
		c.Location = loc
	}
	return c, z
}

// zone is how pages name the zone times are shown in.
type zone struct {
	name string // the zone's name, e.g. Asia/Shanghai
	note string // set when the zone is a fallback, saying why
}

// handler is the console. It holds no state between requests beyond its
// configuration and parsed templates.
type handler struct {
	cfg   Config
	zone  zone
	store repository.Store
	eng   *syncer.Syncer
	mux   *http.ServeMux
	pages map[string]*template.Template
	keys  keys
}

// New returns the console for cfg, or an error wrapping
// paysync.ErrInvalidRequest when cfg does not validate.
//
// Routes, below cfg.Prefix (P):
//
//	GET  P                          overview
//	GET  P anomalies                open anomalies, oldest first (?kind=, ?cursor=)
//	GET  P orders/{kind}            orders by ?by=due|exhausted|status (&status=), ?cursor=
//	GET  P orders/{kind}/{no}       one order
//	POST P orders/{kind}/{no}/sync     sync it now
//	POST P orders/{kind}/{no}/preview  preview a repair (a dry run)
//	POST P orders/{kind}/{no}/repair   confirm a repair with the previewed version
//	GET  P search?q=                any system or merchant number of any kind
//	GET  P static/console.css       the stylesheet
func New(cfg Config) (http.Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg, z := cfg.withDefaults()
	h := &handler{cfg: cfg, zone: z, store: cfg.Store, eng: cfg.Syncer, keys: keys{key: cfg.CSRFKey, now: cfg.Now}}
	pages, err := h.parseTemplates()
	if err != nil {
		return nil, paysync.E("console.New", paysync.ErrInternal, err)
	}
	h.pages = pages
	p := cfg.Prefix
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p+"{$}", h.overview)
	mux.HandleFunc("GET "+p+"anomalies", h.inbox)
	mux.HandleFunc("GET "+p+"orders/{kind}", h.list)
	mux.HandleFunc("GET "+p+"orders/{kind}/{no}", h.order)
	mux.HandleFunc("POST "+p+"orders/{kind}/{no}/sync", h.syncNow)
	mux.HandleFunc("POST "+p+"orders/{kind}/{no}/preview", h.preview)
	mux.HandleFunc("POST "+p+"orders/{kind}/{no}/repair", h.confirm)
	mux.HandleFunc("GET "+p+"search", h.search)
	mux.HandleFunc("GET "+p+"static/console.css", h.css)
	mux.HandleFunc(p, h.notFound)
	h.mux = mux
	return h, nil
}

// maxForm bounds a POST body: a repair form is a few hundred bytes.
const maxForm = 64 << 10

type operatorKey struct{}

// operator returns the authenticated operator of r.
func operator(r *http.Request) string {
	s, _ := r.Context().Value(operatorKey{}).(string)
	return s
}

// ServeHTTP authenticates the request, checks a POST's CSRF token, and
// routes it. Nothing is read from the store before both checks pass.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cache-Control", "no-store")
	name, ok := h.cfg.Authenticate(r)
	if !ok || name == "" {
		if h.cfg.Challenge != "" {
			hd.Set("WWW-Authenticate", h.cfg.Challenge)
		}
		http.Error(w, "401 unauthorized", http.StatusUnauthorized)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), operatorKey{}, name))
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			h.fail(w, r, http.StatusBadRequest, "The form could not be read.")
			return
		}
		if !h.keys.validCSRF(name, r.PostForm.Get("csrf")) {
			h.fail(w, r, http.StatusForbidden, "This form's security token is missing, expired or not yours, "+
				"so nothing was done. Reload the page and try again.")
			return
		}
	}
	h.mux.ServeHTTP(w, r)
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, http.StatusNotFound, "There is no such page in the console.")
}
