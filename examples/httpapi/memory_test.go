package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paysync/paysync/examples/httpapi/daxpay"
)

// floodChildEnv, set, makes TestFloodChild serve instead of skipping.
const floodChildEnv = "PAYSYNC_HTTPAPI_FLOOD_CHILD"

// maxPeak is the most memory the server process may reach under the flood.
const maxPeak = 150 << 20

// TestFloodMemory: 64 clients at a time sending unsigned bodies of tens of
// thousands of keys — 900 KiB with a Content-Length, 900 KiB chunked, and
// just under the 64 KiB cap — keep the server process's peak memory under
// 150 MiB, and every one is refused with its documented code and logged
// once. (The old host took 26 MB per such body in flight; 64 took it to
// 1.2 GB.)
//
// The server is a child process: this test binary re-executed to run
// TestFloodChild, which serves through run(), the command's own code. Its
// peak is read from VmHWM in /proc/<pid>/status, the kernel's high-water
// mark of resident memory: it catches a peak however brief, and counts all
// the process holds — heap, stacks, runtime overhead, read buffers — which is
// what ran out. Sampling runtime.MemStats from inside would miss peaks
// between samples and memory the runtime holds beyond the heap, and an
// in-process server would share its figure with the test's own bodies.
func TestFloodMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector multiplies memory use")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc/<pid>/status (Linux)")
	}
	child := startFloodChild(t)

	const clients = 64
	big := manyKeys(900 << 10)
	small := manyKeys(daxpay.DefaultMaxBodyBytes - 1<<10)
	type phase struct {
		name    string
		body    []byte
		chunked bool
		rounds  int
		status  int
		code    int
	}
	phases := []phase{
		{"900 KiB with Content-Length", big, false, 4, http.StatusRequestEntityTooLarge, daxpay.CodeMalformed},
		{"900 KiB chunked", big, true, 2, http.StatusRequestEntityTooLarge, daxpay.CodeMalformed},
		{"63 KiB", small, false, 4, http.StatusOK, daxpay.CodeInvalid},
	}
	sent := 0
	for _, p := range phases {
		for range p.rounds {
			var wg sync.WaitGroup
			errs := make(chan error, clients)
			for range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					status, env, err := rawPost(child.addr, daxpay.PayPath, p.body, p.chunked)
					switch {
					case err != nil:
						errs <- err
					case status != p.status || env.Code != p.code || env.Data != nil:
						errs <- fmt.Errorf("answered %d %+v, want %d code %d", status, env, p.status, p.code)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("%s: %v", p.name, err)
			}
			sent += clients
		}
	}

	peak := child.peak(t)
	t.Logf("server peak memory (VmHWM) after %d flood requests: %.1f MiB", sent, float64(peak)/(1<<20))
	if peak >= maxPeak {
		t.Errorf("server peak memory %.1f MiB, want under %d MiB", float64(peak)/(1<<20), maxPeak>>20)
	}

	logs := child.stop(t)
	if n := strings.Count(logs, "msg=request "); n != sent {
		t.Errorf("%d request log lines for %d requests", n, sent)
	}
	for _, want := range []string{"client=127.0.0.1:", `msg="shutting down"`, "msg=stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the server log lacks %s", want)
		}
	}
}

// TestFloodChild is the server process of TestFloodMemory; without
// floodChildEnv it skips. It serves until SIGTERM, or until its stdin
// closes: the parent holds the other end, so a parent that dies, however
// it dies, takes the child with it.
func TestFloodChild(t *testing.T) {
	if os.Getenv(floodChildEnv) == "" {
		t.Skip("the server process of TestFloodMemory")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	go func() {
		io.Copy(io.Discard, os.Stdin)
		stop()
	}()
	if err := run(ctx, []string{"-addr", "127.0.0.1:0", "-secret", "flood-secret"}, os.Stderr); err != nil {
		t.Fatal(err)
	}
}

// floodChild is a running TestFloodChild.
type floodChild struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser // never written; held open for as long as this process lives
	addr  string
	logs  *syncBuffer
	done  chan struct{} // closed once its log is read to the end
}

// startFloodChild starts the server process and waits for its "serving"
// line; the child is killed when t ends, if stop has not run.
func startFloodChild(t *testing.T) *floodChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFloodChild$", "-test.v")
	cmd.Env = append(os.Environ(), floodChildEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	c := &floodChild{cmd: cmd, stdin: stdin, logs: &syncBuffer{}, done: make(chan struct{})}
	addrc := make(chan string, 1)
	go func() {
		defer close(c.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(c.logs, line)
			if strings.Contains(line, "msg=serving") {
				addrc <- field(line, "addr=")
			}
		}
		close(addrc)
	}()
	a, ok := <-addrc
	if !ok || a == "" {
		<-c.done
		t.Fatalf("the server process did not start:\n%s", c.logs.String())
	}
	c.addr = a
	return c
}

// field returns what follows prefix in the first space-separated part of a
// slog text line that starts with it; "" when none does.
func field(line, prefix string) string {
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, prefix); ok {
			return v
		}
	}
	return ""
}

// peak returns the child's VmHWM in bytes.
func (c *floodChild) peak(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", c.cmd.Process.Pid)
	return 0
}

// stop sends SIGTERM, waits for the child to exit cleanly, and returns its log.
func (c *floodChild) stop(t *testing.T) string {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-c.done
	if err := c.cmd.Wait(); err != nil {
		t.Errorf("the server process: %v\n%s", err, c.logs.String())
	}
	return c.logs.String()
}

// rawPost sends body to addr's path over a fresh connection as a flooding
// client would — all of it, whatever the server answers meanwhile, chunked
// or with a Content-Length — and returns the answer. The deadline only
// keeps a broken server from hanging the test.
func rawPost(addr, path string, body []byte, chunked bool) (int, daxpay.Envelope, error) {
	var env daxpay.Envelope
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, env, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(2 * time.Minute)); err != nil {
		return 0, env, err
	}
	go func() { // write errors are expected: the server may close early
		w := bufio.NewWriterSize(conn, 32<<10)
		fmt.Fprintf(w, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n", path, addr)
		if !chunked {
			fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", len(body))
			w.Write(body)
			w.Flush()
			return
		}
		io.WriteString(w, "Transfer-Encoding: chunked\r\n\r\n")
		for rest := body; len(rest) > 0; {
			n := min(len(rest), 16<<10)
			fmt.Fprintf(w, "%x\r\n%s\r\n", n, rest[:n])
			rest = rest[n:]
		}
		io.WriteString(w, "0\r\n\r\n")
		w.Flush()
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, env, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return resp.StatusCode, env, err
	}
	return resp.StatusCode, env, nil
}
