// Errors as values: every fallible function returns Result<T>.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace lifeline::core {

enum class ErrorCode {
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    Conflict,
    LimitExceeded,
    Unavailable,
    Internal,
};

// One problem with one input field, reported alongside others by validated().
struct FieldError {
    std::string field;
    std::string message;
};

// An error: a code, a sentence for humans, and the fields at fault (if any).
class Error {
public:
    Error(ErrorCode code, std::string message, std::vector<FieldError> fields = {})
        : code_(code), message_(std::move(message)), fields_(std::move(fields))
    {
    }

    static Error invalid(std::string message, std::vector<FieldError> fields = {})
    {
        return {ErrorCode::InvalidArgument, std::move(message), std::move(fields)};
    }
    static Error not_found(std::string message) { return {ErrorCode::NotFound, std::move(message)}; }
    static Error denied(std::string message) { return {ErrorCode::PermissionDenied, std::move(message)}; }
    static Error unauthenticated(std::string message) { return {ErrorCode::Unauthenticated, std::move(message)}; }
    static Error conflict(std::string message) { return {ErrorCode::Conflict, std::move(message)}; }
    static Error unavailable(std::string message) { return {ErrorCode::Unavailable, std::move(message)}; }
    static Error internal(std::string message) { return {ErrorCode::Internal, std::move(message)}; }

    ErrorCode code() const { return code_; }
    const std::string& message() const { return message_; }
    const std::vector<FieldError>& fields() const { return fields_; }

private:
    ErrorCode code_;
    std::string message_;
    std::vector<FieldError> fields_;
};

const char* to_string(ErrorCode code);

// Either a value or an Error. Access to the wrong side is a broken invariant.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() &
    {
        assert(ok());
        return std::get<0>(state_);
    }
    const T& value() const&
    {
        assert(ok());
        return std::get<0>(state_);
    }
    T&& value() &&
    {
        assert(ok());
        return std::get<0>(std::move(state_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const
    {
        assert(!ok());
        return std::get<1>(state_);
    }

private:
    std::variant<T, Error> state_;
};

// Success without a value.
struct Ok {};
using Status = Result<Ok>;

}  // namespace lifeline::core

// Propagates an error from an expression returning Result<…>.
#define LL_TRY(expr)                                \
    do {                                            \
        auto ll_try_result_ = (expr);               \
        if (!ll_try_result_) return ll_try_result_.error(); \
    } while (false)
