package repository_test

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/assert"
)

func TestClaimValidate(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := repository.Claim{Now: now, Owner: "host-1", Until: now.Add(time.Minute), Limit: 1}
	assert.NoError(t, ok.Validate())
	for name, c := range map[string]repository.Claim{
		"no owner":       {Now: now, Until: now.Add(time.Minute), Limit: 1},
		"limit 0":        {Now: now, Owner: "o", Until: now.Add(time.Minute)},
		"negative limit": {Now: now, Owner: "o", Until: now.Add(time.Minute), Limit: -1},
		"lease ends now": {Now: now, Owner: "o", Until: now, Limit: 1},
		"lease in past":  {Now: now, Owner: "o", Until: now.Add(-time.Second), Limit: 1},
	} {
		assert.ErrorIs(t, c.Validate(), paysync.ErrInvalidRequest, name)
	}
}
