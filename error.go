package tongban

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrorCode classifies an error so that every interface (HTTP, CLI) can react
// to it in one way. The set is deliberately small.
type ErrorCode string

const (
	ENotFound     ErrorCode = "not_found"
	EInvalid      ErrorCode = "invalid"
	EConflict     ErrorCode = "conflict"
	EForbidden    ErrorCode = "forbidden"
	EUnauthorized ErrorCode = "unauthorized"
	ETooManyTries ErrorCode = "too_many_requests"
	EUnavailable  ErrorCode = "unavailable"
	EInternal     ErrorCode = "internal"
)

// Error is the one error type of Tongban. Message is written for the person who
// caused it (Chinese by default); Field names the input field at fault, if any.
type Error struct {
	Code    ErrorCode
	Message string
	Field   string
	Err     error // underlying cause, never shown to users
	// RetryAfter, for ETooManyTries, says when trying again can succeed
	// (HTTP Retry-After).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Field != "" {
		s += " [" + e.Field + "]"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EInvalid error naming the field at fault.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a cause to a coded error.
func Wrap(code ErrorCode, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, or EInternal.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// AsError returns the first *Error in err's chain, or an EInternal *Error wrapping err.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EInternal, Message: "内部错误，请稍后再试", Err: err}
}

// IsCode reports whether err carries the code.
func IsCode(err error, code ErrorCode) bool { return err != nil && ErrorCodeOf(err) == code }

// httpStatus is the one table mapping error codes to HTTP status codes.
var httpStatus = map[ErrorCode]int{
	ENotFound:     http.StatusNotFound,
	EInvalid:      http.StatusBadRequest,
	EConflict:     http.StatusConflict,
	EForbidden:    http.StatusForbidden,
	EUnauthorized: http.StatusUnauthorized,
	ETooManyTries: http.StatusTooManyRequests,
	EUnavailable:  http.StatusServiceUnavailable,
	EInternal:     http.StatusInternalServerError,
}

// HTTPStatus returns the HTTP status for err's code.
func HTTPStatus(err error) int {
	if s, ok := httpStatus[ErrorCodeOf(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}
