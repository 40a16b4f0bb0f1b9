package paysync_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/stretchr/testify/assert"
)

func TestErrorWrapsSentinelAndCause(t *testing.T) {
	cause := fmt.Errorf("dial: %w", context.DeadlineExceeded)
	err := paysync.E("syncer.SyncPay", paysync.ErrChannelUnavailable, cause)

	assert.ErrorIs(t, err, paysync.ErrChannelUnavailable)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, paysync.ErrUnsupported, "sentinels sharing a code stay distinct")
	assert.Equal(t, paysync.CodeUnavailable, paysync.ErrorCode(err))
	assert.Equal(t, "channel unavailable", paysync.ErrorMessage(err))
	assert.Equal(t, "syncer.SyncPay: channel unavailable: dial: context deadline exceeded", err.Error())

	// Wrapped again by a host, the code and message still come through.
	wrapped := fmt.Errorf("handler: %w", err)
	assert.Equal(t, paysync.CodeUnavailable, paysync.ErrorCode(wrapped))
	assert.ErrorIs(t, wrapped, paysync.ErrChannelUnavailable)
}

func TestErrorEdgeCases(t *testing.T) {
	assert.Equal(t, paysync.Code(""), paysync.ErrorCode(nil))
	assert.Equal(t, "", paysync.ErrorMessage(nil))
	assert.Equal(t, paysync.CodeInternal, paysync.ErrorCode(errors.New("plain")))
	assert.Equal(t, "internal error", paysync.ErrorMessage(errors.New("plain")))

	// A nil sentinel is internal; an instance passed as sentinel keeps its kind.
	assert.ErrorIs(t, paysync.E("op", nil, nil), paysync.ErrInternal)
	inst := paysync.E("inner", paysync.ErrOrderNotFound, nil)
	outer := paysync.E("outer", inst, nil)
	assert.ErrorIs(t, outer, paysync.ErrOrderNotFound)
	assert.Equal(t, "outer: 支付订单不存在", outer.Error())

	custom := paysync.Ef("op", paysync.ErrInvalidRequest, "orderNo too long", nil)
	assert.ErrorIs(t, custom, paysync.ErrInvalidRequest)
	assert.Equal(t, "orderNo too long", paysync.ErrorMessage(custom))
	assert.Equal(t, "支付订单不存在", paysync.ErrOrderNotFound.Error(), "a sentinel reads as its message")
}

func TestSentinelCodes(t *testing.T) {
	tests := []struct {
		err  *paysync.Error
		code paysync.Code
	}{
		{paysync.ErrInvalidRequest, paysync.CodeInvalid},
		{paysync.ErrOrderNotFound, paysync.CodeNotFound},
		{paysync.ErrAllocationNotFound, paysync.CodeNotFound},
		{paysync.ErrSyncInProgress, paysync.CodeBusy},
		{paysync.ErrChannelUnavailable, paysync.CodeUnavailable},
		{paysync.ErrUnknownChannel, paysync.CodeInternal},
		{paysync.ErrUnsupported, paysync.CodeUnavailable},
		{paysync.ErrOrderNotStarted, paysync.CodeState},
		{paysync.ErrVersionConflict, paysync.CodeConflict},
		{paysync.ErrDuplicate, paysync.CodeConflict},
		{paysync.ErrInvalidTransition, paysync.CodeState},
		{paysync.ErrRefundNotFound, paysync.CodeNotFound},
		{paysync.ErrTransferNotFound, paysync.CodeNotFound},
		{paysync.ErrRecordNotFound, paysync.CodeNotFound},
		{paysync.ErrInsufficientBalance, paysync.CodeState},
		{paysync.ErrOpenAnomaly, paysync.CodeState},
		{paysync.ErrCanceled, paysync.CodeCanceled},
		{paysync.ErrInternal, paysync.CodeInternal},
	}
	seen := map[*paysync.Error]bool{}
	for _, tc := range tests {
		assert.Equal(t, tc.code, paysync.ErrorCode(tc.err), tc.err.Message)
		assert.Contains(t, paysync.Codes(), tc.code)
		assert.False(t, seen[tc.err])
		seen[tc.err] = true
		for other := range seen {
			if other != tc.err {
				assert.NotErrorIs(t, tc.err, other)
			}
		}
	}
	assert.Equal(t, "分账单不存在", paysync.ErrAllocationNotFound.Message)
	assert.Equal(t, "退款订单不存在", paysync.ErrRefundNotFound.Message)
	assert.Equal(t, "转账订单不存在", paysync.ErrTransferNotFound.Message)
	assert.Len(t, paysync.Codes(), 8)
}

func TestContextError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	assert.NoError(t, paysync.ContextError(ctx, "op"))
	cancel()
	err := paysync.ContextError(ctx, "op")
	assert.ErrorIs(t, err, paysync.ErrCanceled)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, paysync.CodeCanceled, paysync.ErrorCode(err))

	dctx, dcancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer dcancel()
	assert.ErrorIs(t, paysync.ContextError(dctx, "op"), context.DeadlineExceeded)
}

// A host maps errors by code and shows the message, as the example HTTP
// host does.
func ExampleErrorCode() {
	err := fmt.Errorf("sync: %w", paysync.E("syncer.SyncPay", paysync.ErrOrderNotFound, nil))
	fmt.Println(errors.Is(err, paysync.ErrOrderNotFound), paysync.ErrorCode(err), paysync.ErrorMessage(err))
	// Output: true not_found 支付订单不存在
}
