module github.com/paysync/paysync/channel/wechatpay

go 1.24.0

replace github.com/paysync/paysync => ../..

require (
	github.com/paysync/paysync v0.0.0-00010101000000-000000000000
	github.com/shopspring/decimal v1.6.0
	github.com/wechatpay-apiv3/wechatpay-go v0.2.21
)

require (
	github.com/google/btree v1.1.3 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/looplab/fsm v1.0.3 // indirect
	golang.org/x/time v0.14.0 // indirect
)
