package daxpay

import (
	"errors"
	"testing"
	"time"

	"github.com/paysync/paysync"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"secret only", Config{Secret: "s"}, true},
		{"MD5", Config{Secret: "s", SignType: MD5}, true},
		{"no secret", Config{}, false},
		{"unknown sign type", Config{Secret: "s", SignType: "SM3"}, false},
		{"negative window", Config{Secret: "s", ReqTimeWindow: -1}, false},
		{"negative TTL", Config{Secret: "s", NonceTTL: -1}, false},
		{"negative engine timeout", Config{Secret: "s", EngineTimeout: -1}, false},
		{"negative capacity", Config{Secret: "s", NonceCapacity: -1}, false},
		{"negative body limit", Config{Secret: "s", MaxBodyBytes: -1}, false},
		{"negative in-flight bound", Config{Secret: "s", MaxInFlight: -1}, false},
		{"in-flight bound of one", Config{Secret: "s", MaxInFlight: 1}, true},
		{"TTL shorter than two windows", Config{Secret: "s", NonceTTL: 9 * time.Minute}, false},
		{"TTL exactly two windows", Config{Secret: "s", ReqTimeWindow: time.Minute, NonceTTL: 2 * time.Minute}, true},
		{"window larger than the default TTL", Config{Secret: "s", ReqTimeWindow: 6 * time.Minute}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.ok != (err == nil) {
				t.Fatalf("Validate = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, paysync.ErrInvalidRequest) {
				t.Fatalf("err = %v, want ErrInvalidRequest", err)
			}
		})
	}
}

func TestNewHandlerRejects(t *testing.T) {
	if _, err := NewHandler(nil, Config{Secret: "s"}); !errors.Is(err, paysync.ErrInvalidRequest) {
		t.Fatalf("nil engine: err = %v", err)
	}
	if _, err := NewHandler(&fakeEngine{}, Config{}); !errors.Is(err, paysync.ErrInvalidRequest) {
		t.Fatalf("no secret: err = %v", err)
	}
}
