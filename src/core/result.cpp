#include "core/result.hpp"

namespace lifeline::core {

const char* to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::PermissionDenied: return "permission_denied";
    case ErrorCode::Unauthenticated: return "unauthenticated";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::LimitExceeded: return "limit_exceeded";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

}  // namespace lifeline::core
