module github.com/paysync/paysync

go 1.24.0

require (
	github.com/google/btree v1.1.3
	github.com/google/uuid v1.6.0
	github.com/looplab/fsm v1.0.3
	github.com/shopspring/decimal v1.6.0
	github.com/stretchr/testify v1.12.1
	golang.org/x/time v0.14.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
