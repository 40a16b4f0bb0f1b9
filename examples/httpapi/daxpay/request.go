package daxpay

import (
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/paysync/paysync"
)

// Field limits in characters, from DaxPay 2.0.8's bean validation (appId
// from v3, which added it).
const (
	maxAppID           = 32
	maxClientIP        = 64
	maxNonceStr        = 32
	maxOrderNo         = 32
	maxBizOrderNo      = 100
	maxAllocationNo    = 32
	maxBizAllocationNo = 100
	maxRefundNo        = 100 // refund and transfer numbers: docs/wire.md#request-fields
	maxBizRefundNo     = 100
	maxTransferNo      = 100
	maxBizTransferNo   = 100
)

// Common holds the fields every endpoint shares, decoded and checked for
// form; the signature, the time window and the nonce are checked later, by
// the Handler.
type Common struct {
	AppID    string    // accepted and signed; this single-tenant host checks nothing else about it
	ClientIP string    // as received; a valid IPv4 or IPv6 address without zone, or ""
	NonceStr string    // "" when absent
	Sign     string    // the text of the sign field; "" when absent or null
	ReqTime  time.Time // when the client says it sent the request
	Fields   Fields    // what Sign must cover: every field but sign, nulls dropped
}

// PayParams is a decoded POST /unipay/sync/pay body.
type PayParams struct {
	Common
	OrderNo    string // the system order number; wins over BizOrderNo
	BizOrderNo string // the merchant's order number
}

// AllocationParams is a decoded POST /unipay/sync/allocation body.
type AllocationParams struct {
	Common
	// AllocationNo wins over BizAllocationNo, as OrderNo does.
	AllocationNo    string // from allocationNo, or the SDK's allocNo
	BizAllocationNo string // from bizAllocationNo, or the SDK's bizAllocNo
}

// RefundParams is a decoded POST /unipay/sync/refund body.
type RefundParams struct {
	Common
	RefundNo    string // the system refund number; wins over BizRefundNo
	BizRefundNo string // the merchant's refund number
}

// TransferParams is a decoded POST /unipay/sync/transfer body.
type TransferParams struct {
	Common
	TransferNo    string // the system transfer number; wins over BizTransferNo
	BizTransferNo string // the merchant's transfer number
}

// DecodePay decodes a pay sync body; datetime reqTimes are read in loc (nil
// means DefaultLocation). It returns an ErrMalformed error when the body is
// not one flat JSON object, and an ErrInvalidRequest error when the body is
// not in canonical form (DecodeRequestObject), when a field is of the wrong
// type, too long, not an IP address, when reqTime is missing or unreadable,
// or when orderNo and bizOrderNo are both empty. Unknown fields are ignored,
// but signed.
func DecodePay(body []byte, loc *time.Location) (PayParams, error) {
	c, no, biz, err := decodeNumbered(body, loc, "orderNo", maxOrderNo, "bizOrderNo", maxBizOrderNo)
	return PayParams{Common: c, OrderNo: no, BizOrderNo: biz}, err
}

// DecodeRefund decodes a refund sync body, and refuses it, like DecodePay:
// refundNo and bizRefundNo (at most 100 characters each) take the place of
// orderNo and bizOrderNo, and one of them is required.
func DecodeRefund(body []byte, loc *time.Location) (RefundParams, error) {
	c, no, biz, err := decodeNumbered(body, loc, "refundNo", maxRefundNo, "bizRefundNo", maxBizRefundNo)
	return RefundParams{Common: c, RefundNo: no, BizRefundNo: biz}, err
}

// DecodeTransfer decodes a transfer sync body, and refuses it, like
// DecodePay: transferNo and bizTransferNo (at most 100 characters each) take
// the place of orderNo and bizOrderNo, and one of them is required.
func DecodeTransfer(body []byte, loc *time.Location) (TransferParams, error) {
	c, no, biz, err := decodeNumbered(body, loc, "transferNo", maxTransferNo, "bizTransferNo", maxBizTransferNo)
	return TransferParams{Common: c, TransferNo: no, BizTransferNo: biz}, err
}

// decodeNumbered decodes a body that names its order by a system number
// (field name, at most max characters) or a merchant number (bizName,
// bizMax), one of them required; both are returned as given, for the engine
// to choose (the system number wins). Its errors are DecodePay's.
func decodeNumbered(body []byte, loc *time.Location, name string, max int, bizName string, bizMax int) (Common, string, string, error) {
	o, err := DecodeRequestObject(body)
	if err != nil {
		return Common{}, "", "", err
	}
	r := reader{o: o}
	c := r.common(loc)
	no, biz := r.str(name, max), r.str(bizName, bizMax)
	if r.err == nil && no == "" && biz == "" {
		r.fail(name+" and "+bizName+" cannot both be empty", nil)
	}
	return c, no, biz, r.err
}

// DecodeAllocation decodes an allocation sync body, and refuses it, like
// DecodePay. It also
// accepts allocNo and bizAllocNo (the DaxPay 2.0.8 SDK's names); a name and
// its alias giving two different non-empty values is an ErrInvalidRequest
// error, as is both numbers being empty.
func DecodeAllocation(body []byte, loc *time.Location) (AllocationParams, error) {
	o, err := DecodeRequestObject(body)
	if err != nil {
		return AllocationParams{}, err
	}
	r := reader{o: o}
	p := AllocationParams{
		Common:          r.common(loc),
		AllocationNo:    r.alias("allocationNo", "allocNo", maxAllocationNo),
		BizAllocationNo: r.alias("bizAllocationNo", "bizAllocNo", maxBizAllocationNo),
	}
	if r.err == nil && p.AllocationNo == "" && p.BizAllocationNo == "" {
		r.fail("allocationNo and bizAllocationNo cannot both be empty", nil)
	}
	return p, r.err
}

// reader reads typed fields from an Object, keeping the first error so that
// a decoder reads like a list of fields.
type reader struct {
	o   Object
	err error
}

func (r *reader) fail(msg string, cause error) {
	if r.err == nil {
		r.err = paysync.Ef("daxpay.Decode", paysync.ErrInvalidRequest, msg, cause)
	}
}

// str returns the string field key ("" when absent or null); another JSON
// type or more than max characters fails.
func (r *reader) str(key string, max int) string {
	raw, ok := r.o.Raw(key)
	if !ok {
		return ""
	}
	s, ok := text(raw)
	if !ok {
		return ""
	}
	if raw[0] != '"' {
		r.fail(key+" must be a string", nil)
		return ""
	}
	if utf8.RuneCountInString(s) > max {
		r.fail(key+" is longer than "+strconv.Itoa(max)+" characters", nil)
		return ""
	}
	return s
}

// alias returns the field name, or its alias; both given and different fails.
func (r *reader) alias(name, alias string, max int) string {
	a, b := r.str(name, max), r.str(alias, max)
	switch {
	case a == "":
		return b
	case b != "" && a != b:
		r.fail(name+" and "+alias+" differ", nil)
	}
	return a
}

func (r *reader) common(loc *time.Location) Common {
	if loc == nil {
		loc = DefaultLocation()
	}
	c := Common{
		AppID:    r.str("appId", maxAppID),
		ClientIP: r.str("clientIp", maxClientIP),
		NonceStr: r.str("nonceStr", maxNonceStr),
		Fields:   r.o.Fields(),
	}
	// Any non-null sign is kept as text: a sign of the wrong type is a wrong
	// sign (20052), not a malformed request.
	c.Sign, _ = r.o.Text(signKey)
	if c.ClientIP != "" {
		if a, err := netip.ParseAddr(c.ClientIP); err != nil || a.Zone() != "" {
			r.fail("clientIp is not an IPv4 or IPv6 address", err)
		}
	}
	raw, _ := r.o.Raw("reqTime")
	if _, ok := r.o.Text("reqTime"); !ok {
		r.fail("reqTime is required", nil)
		return c
	}
	t, err := parseReqTime(raw, loc)
	if err != nil {
		r.fail(paysync.ErrorMessage(err), err)
	}
	c.ReqTime = t
	return c
}
