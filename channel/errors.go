package channel

import "errors"

// Sentinels an adapter wraps so the engine can tell answers apart.
var (
	// ErrRateLimited: the channel refused the call for its rate (WeChat
	// FREQUENCY_LIMITED, Alipay 40005, HTTP 429). The sweeper backs off; it is
	// not a failure of the order.
	ErrRateLimited = errors.New("channel: rate limited")
	// ErrAlreadyPaid: ClosePay refused because the trade is paid (WeChat
	// ORDERPAID, Alipay ACQ.TRADE_STATUS_ERROR).
	ErrAlreadyPaid = errors.New("channel: trade already paid")
	// ErrTradeNotExist: ClosePay found no trade (Alipay ACQ.TRADE_NOT_EXIST).
	ErrTradeNotExist = errors.New("channel: trade does not exist")
	// ErrAllocationNotAtChannel: the channel does not know the allocation
	// (QueryAllocation). Not paysync.ErrAllocationNotFound, which is a
	// local allocation order missing.
	ErrAllocationNotAtChannel = errors.New("channel: allocation not at the channel")
)
