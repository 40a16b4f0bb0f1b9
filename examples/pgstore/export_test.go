package pgstore

// The claim statements, for the test that reads their plans.
const (
	ClaimPaySQL   = claimPaySQL
	ClaimAllocSQL = claimAllocSQL
)
