//go:build race

package main

// raceEnabled: the race detector multiplies memory use, so tests that
// measure memory skip.
const raceEnabled = true
