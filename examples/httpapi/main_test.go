package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync/examples/httpapi/daxpay"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    options
		wantErr string
	}{
		{name: "the README command",
			args: []string{"-addr", "127.0.0.1:9000", "-secret", "123456", "-sign-type", "HMAC_SHA256"},
			want: options{addr: "127.0.0.1:9000", secret: "123456", signType: daxpay.HMACSHA256, maxInFlight: 256, consoleTZ: "Asia/Shanghai"}},
		{name: "MD5 and sweep", args: []string{"-secret", "s", "-sign-type", "MD5", "-sweep"},
			want: options{addr: "127.0.0.1:9000", secret: "s", signType: daxpay.MD5, sweep: true, maxInFlight: 256, consoleTZ: "Asia/Shanghai"}},
		{name: "defaults", args: []string{"-secret", "s"},
			want: options{addr: "127.0.0.1:9000", secret: "s", signType: daxpay.HMACSHA256, maxInFlight: 256, consoleTZ: "Asia/Shanghai"}},
		{name: "max in flight", args: []string{"-secret", "s", "-max-in-flight", "8"},
			want: options{addr: "127.0.0.1:9000", secret: "s", signType: daxpay.HMACSHA256, maxInFlight: 8, consoleTZ: "Asia/Shanghai"}},
		{name: "console", args: []string{"-secret", "s", "-console-token", "t0ken", "-console-tz", "UTC"},
			want: options{addr: "127.0.0.1:9000", secret: "s", signType: daxpay.HMACSHA256, maxInFlight: 256,
				consoleToken: "t0ken", consoleTZ: "UTC", consoleLoc: time.UTC}},
		{name: "unknown console zone", args: []string{"-secret", "s", "-console-token", "t", "-console-tz", "Mars/Base"},
			wantErr: "-console-tz"},
		{name: "max in flight zero", args: []string{"-secret", "s", "-max-in-flight", "0"}, wantErr: "-max-in-flight must be at least 1"},
		{name: "max in flight not a number", args: []string{"-secret", "s", "-max-in-flight", "x"}, wantErr: "invalid value"},
		{name: "no secret", args: []string{"-sign-type", "MD5"}, wantErr: "-secret is required"},
		{name: "unknown sign type", args: []string{"-secret", "s", "-sign-type", "SM3"}, wantErr: "unknown sign type SM3"},
		{name: "unknown flag", args: []string{"-secret", "s", "-port", "1"}, wantErr: "flag provided but not defined"},
		{name: "stray argument", args: []string{"-secret", "s", "extra"}, wantErr: "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(tt.args, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
	if _, err := parseFlags([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: err = %v", err)
	}
}

// serve answers until its ctx ends, then returns nil, and logs the shutdown.
func TestServeShutsDown(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "ok")
		}), logger)
	}()
	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok" {
		t.Fatalf("body = %q", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve = %v, want nil after shutdown", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
		t.Fatal("still serving after shutdown")
	}
	for _, want := range []string{`msg="shutting down"`, `msg=stopped`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A listener that fails makes serve return its error.
func TestServeReturnsServerError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if err := serve(context.Background(), ln, http.NotFoundHandler(), slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("serve on a closed listener = nil")
	}
}
