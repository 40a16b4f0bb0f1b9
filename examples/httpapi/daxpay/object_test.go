package daxpay

import (
	"errors"
	"maps"
	"slices"
	"testing"
)

func TestDecodeObjectMalformed(t *testing.T) {
	tests := []struct{ name, body string }{
		{"empty", ""},
		{"spaces", "  \n"},
		{"not JSON", "orderNo=1"},
		{"array", `[{"a":1}]`},
		{"string", `"x"`},
		{"number", `12`},
		{"null", `null`},
		{"unterminated", `{"a":1`},
		{"trailing comma", `{"a":1,}`},
		{"missing comma", `{"a":1 "b":2}`},
		{"two objects", `{"a":1}{"b":2}`},
		{"trailing junk", `{"a":1} x`},
		{"duplicate key", `{"a":1,"a":1}`},
		{"duplicate key, other escape", `{"a":1,"\u0061":2}`},
		{"invalid UTF-8 in a string", "{\"a\":\"\xff\"}"},
		{"byte order mark", "\ufeff{}"},
		{"single quotes", `{'a':1}`},
		{"bad number", `{"a":01}`},
		{"bad literal", `{"a":nul}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeObject([]byte(tt.body))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("DecodeObject(%q) err = %v, want ErrMalformed", tt.body, err)
			}
		})
	}
}

func TestObjectFields(t *testing.T) {
	body := ` { "s" : "a\"b\\c\u0026<>支付" , "n":1.50e3, "i":-0, "t":true, "f":false,
		"z":null, "e":"", "o":{ "b" : [1, "x"] , "a":"\u003c"}, "arr":[ ], "sign":"zz", "Sign":"kept" } `
	o, err := DecodeObject([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := Fields{
		"s":    "a\"b\\c&<>支付", // decoded, not re-escaped
		"n":    "1.50e3",       // digits as received
		"i":    "-0",
		"t":    "true",
		"f":    "false",
		"e":    "",
		"o":    `{"b":[1,"x"],"a":"\u003c"}`, // compact, as received, keys not sorted
		"arr":  "[]",
		"Sign": "kept", // only the exact key sign is left out
	}
	if got := o.Fields(); !maps.Equal(got, want) {
		t.Fatalf("Fields =\n%v\nwant\n%v", got, want)
	}
	wantKeys := []string{"s", "n", "i", "t", "f", "z", "e", "o", "arr", "sign", "Sign"}
	if got := o.Keys(); !slices.Equal(got, wantKeys) {
		t.Fatalf("Keys = %v, want %v", got, wantKeys)
	}
	if got, ok := o.Text("sign"); !ok || got != "zz" {
		t.Fatalf(`Text("sign") = %q, %v`, got, ok)
	}
	if _, ok := o.Text("z"); ok {
		t.Fatal(`Text("z") of null reports present`)
	}
	if _, ok := o.Text("missing"); ok {
		t.Fatal(`Text("missing") reports present`)
	}

	// Encode then decode gives the same fields: what is signed survives.
	again, err := DecodeObject(o.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(again.Fields(), want) {
		t.Fatalf("after Encode, Fields = %v", again.Fields())
	}
	if string(again.Encode()) != string(o.Encode()) {
		t.Fatalf("Encode is not stable:\n%s\n%s", o.Encode(), again.Encode())
	}
}

func TestObjectWith(t *testing.T) {
	o, err := DecodeObject([]byte(`{"a":1,"b":2}`))
	if err != nil {
		t.Fatal(err)
	}
	c := o.With("a", quote("<&>")).With("c", []byte("true"))
	if got := string(c.Encode()); got != `{"a":"<&>","b":2,"c":true}` {
		t.Fatalf("Encode = %s", got)
	}
	if got := string(o.Encode()); got != `{"a":1,"b":2}` {
		t.Fatalf("With changed the original: %s", got)
	}
}
