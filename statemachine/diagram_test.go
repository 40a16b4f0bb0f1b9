package statemachine_test

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/paysync/paysync/statemachine"
)

var update = flag.Bool("update", false, "rewrite the state machine diagrams in ../README.md")

const readme = "../README.md"

// block is one diagram as it sits in the README, between its markers.
type block struct{ name, title, diagram string }

func blocks() []block {
	return []block{
		{"pay", "Pay order", statemachine.PayDiagram()},
		{"allocation", "Allocation order", statemachine.AllocationDiagram()},
		{"receiver", "Allocation receiver", statemachine.ReceiverDiagram()},
		{"refund", "Refund order", statemachine.RefundDiagram()},
		{"transfer", "Transfer order", statemachine.TransferDiagram()},
	}
}

func (b block) open() string  { return "<!-- statemachine:" + b.name + " -->" }
func (b block) close() string { return "<!-- /statemachine:" + b.name + " -->" }

// inner is what belongs between the markers.
func (b block) inner() string { return "\n```mermaid\n" + b.diagram + "```\n" }

// full is the block with its markers, ready to paste.
func (b block) full() string { return b.open() + b.inner() + b.close() + "\n" }

// find returns the offsets of the text between b's markers, and false when
// the markers are missing, repeated or out of order.
func (b block) find(doc string) (start, end int, ok bool) {
	if strings.Count(doc, b.open()) != 1 || strings.Count(doc, b.close()) != 1 {
		return 0, 0, false
	}
	start = strings.Index(doc, b.open()) + len(b.open())
	end = strings.Index(doc, b.close())
	return start, end, start <= end
}

// section is what -update appends when the README has none of the markers.
func section(bs []block) string {
	var sb strings.Builder
	sb.WriteString("## State machines\n\n")
	sb.WriteString("Generated from the tables in package statemachine by\n")
	sb.WriteString("`go test ./statemachine -run TestDiagrams -update`; edit the tables, not the diagrams.\n")
	for _, b := range bs {
		sb.WriteString("\n### " + b.title + "\n\n" + b.full())
	}
	return sb.String()
}

// TestDiagrams keeps the diagrams in the README equal to the tables.
func TestDiagrams(t *testing.T) {
	if *update {
		if err := rewrite(readme, blocks()); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(readme)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s does not exist; run `go test ./statemachine -run TestDiagrams -update` or add:\n\n%s",
			readme, section(blocks()))
	}
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, b := range blocks() {
		start, end, ok := b.find(doc)
		if !ok {
			t.Errorf("%s lacks exactly one %s … %s pair; run `go test ./statemachine -run TestDiagrams -update` or paste:\n\n%s",
				readme, b.open(), b.close(), b.full())
			continue
		}
		if doc[start:end] != b.inner() {
			t.Errorf("%s: the %s diagram is stale; run `go test ./statemachine -run TestDiagrams -update` or replace the block with:\n\n%s",
				readme, b.name, b.full())
		}
	}
}

// rewrite replaces the text between each block's markers in path, and
// appends the blocks whose markers are missing, under a new section when none
// of them was there. Nothing outside the markers changes.
func rewrite(path string, bs []block) error {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	doc := string(data)
	var missing []block
	for _, b := range bs {
		if strings.Contains(doc, b.open()) || strings.Contains(doc, b.close()) {
			start, end, ok := b.find(doc)
			if !ok {
				return errors.New(path + ": markers of the " + b.name + " diagram are repeated or out of order; fix them by hand")
			}
			doc = doc[:start] + b.inner() + doc[end:]
			continue
		}
		missing = append(missing, b)
	}
	if len(missing) > 0 {
		if doc != "" && !strings.HasSuffix(doc, "\n") {
			doc += "\n"
		}
		if doc != "" {
			doc += "\n"
		}
		if len(missing) == len(bs) {
			doc += section(bs)
		} else {
			for i, b := range missing {
				if i > 0 {
					doc += "\n"
				}
				doc += b.full()
			}
		}
	}
	if doc == string(data) {
		return nil
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}

// TestDiagramContent: each diagram draws every move of its table once, the
// moves only a person may make once more labelled "(repair)", and every
// state, even one no move touches.
func TestDiagramContent(t *testing.T) {
	manual := map[string]spec{}
	for _, m := range specs() {
		if m.diagram == nil {
			manual[strings.TrimSuffix(m.name, " manual")] = m
		}
	}
	for _, m := range specs() {
		if m.diagram == nil {
			continue
		}
		t.Run(m.name, func(t *testing.T) {
			d := m.diagram()
			if d != m.diagram() {
				t.Fatal("diagram differs between two calls")
			}
			lines := strings.Split(strings.TrimSuffix(d, "\n"), "\n")
			if lines[0] != "stateDiagram-v2" {
				t.Fatalf("first line %q, want stateDiagram-v2", lines[0])
			}
			var edges []string
			drawn := map[string]bool{}
			for _, l := range lines[1:] {
				l = strings.TrimSpace(l)
				if from, rest, ok := strings.Cut(l, " --> "); ok {
					to, _, _ := strings.Cut(rest, ": ")
					drawn[from], drawn[to] = true, true
					edges = append(edges, l)
				} else {
					drawn[l] = true
				}
			}
			var want []string
			for key, to := range m.want {
				want = append(want, key[0]+" --> "+to+": "+key[1])
			}
			for key, to := range manual[m.name].want {
				if _, sync := m.want[key]; !sync {
					want = append(want, key[0]+" --> "+to+": "+key[1]+" (repair)")
				}
			}
			slices.Sort(want)
			slices.Sort(edges)
			if !slices.Equal(edges, want) {
				t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(edges, "\n"), strings.Join(want, "\n"))
			}
			for _, st := range m.states {
				if !drawn[st] {
					t.Errorf("state %q missing from the diagram", st)
				}
			}
		})
	}
}

// TestRewrite checks -update's editing on scratch files, so the real README
// is only touched when asked.
func TestRewrite(t *testing.T) {
	bs := blocks()
	fresh := section(bs)
	stale := strings.Replace(fresh, "stateDiagram-v2", "stateDiagram-v2\n    old --> older: gone", 1)
	cases := []struct {
		name, before, after string
	}{
		{"no file", "", fresh},
		{"no markers", "# paysync\n\nIntro.", "# paysync\n\nIntro.\n\n" + fresh},
		{"stale block", "# paysync\n\n" + stale + "\n## After\n", "# paysync\n\n" + fresh + "\n## After\n"},
		{"current block", "# paysync\n\n" + fresh, "# paysync\n\n" + fresh},
		{"some missing", "# x\n\n" + bs[0].full() + "\n" + bs[1].full() + "\ntail\n",
			"# x\n\n" + bs[0].full() + "\n" + bs[1].full() + "\ntail\n\n" + bs[2].full() + "\n" + bs[3].full() + "\n" + bs[4].full()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := t.TempDir() + "/README.md"
			if c.name != "no file" {
				if err := os.WriteFile(path, []byte(c.before), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := rewrite(path, bs); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.after {
				t.Fatalf("got:\n%s\nwant:\n%s", got, c.after)
			}
		})
	}
	t.Run("broken markers", func(t *testing.T) {
		path := t.TempDir() + "/README.md"
		before := bs[0].close() + "\n" + bs[0].open() + "\n"
		if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := rewrite(path, bs); err == nil {
			t.Fatal("rewrite accepted markers out of order")
		}
		if got, _ := os.ReadFile(path); string(got) != before {
			t.Fatalf("rewrite changed a file it refused: %q", got)
		}
	})
}
