package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
)

// sweep runs one pass of s at now, drawing its progress on w, and prints
// what the pass did as the store's sync records of it tell. It checks that
// the pass claimed exactly the orders before counted due, and that the
// engine's own report says what the records say.
func sweep(ctx context.Context, s *syncer.Syncer, store repository.Store, w *printer, before []kindCount, now time.Time) (syncer.SweepReport, error) {
	var by []string
	for _, k := range before {
		by = append(by, group(k.Due)+" "+string(k.Kind))
	}
	w.printf("\nSweeping at %s: %s are due (%s).\n", hm(now), count(due(before), "order"), strings.Join(by, ", "))
	bar := &progressBar{w: w, total: due(before)}
	rep, err := s.Sweep(ctx, syncer.SweepOptions{Progress: bar.update})
	if err != nil {
		return rep, fmt.Errorf("sweeping: %w", err)
	}
	if rep.Due != due(before) {
		return rep, fmt.Errorf("the sweep claimed %d orders, but %d were due", rep.Due, due(before))
	}
	pass, err := passCounts(ctx, store, now)
	if err != nil {
		return rep, fmt.Errorf("counting the sweep's records: %w", err)
	}
	if pass.Total != rep.Due || pass.Changed != rep.Adjusted || pass.Anomalous != rep.Anomalies ||
		pass.Unanswered != rep.Errors || pass.Total-pass.Unanswered != rep.Synced {
		return rep, fmt.Errorf("the store's records of the sweep (%+v) and its report (%+v) disagree", pass, rep)
	}
	w.para(fmt.Sprintf("Swept %s: %s changed, %s met an anomaly and changed nothing, %s had nothing to "+
		"change, %s got no answer.", count(pass.Total, "order"), group(pass.Changed), group(pass.Anomaly),
		group(pass.Unchanged), group(pass.Unanswered)))
	return rep, nil
}
