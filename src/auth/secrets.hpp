// Secrets: argon2id password hashes, random tokens, and the one-way hashes we store for tokens.
#pragma once

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace lifeline::auth {

// Initialises libsodium; call once at start. Returns false if the library cannot start.
bool init_crypto();

// An argon2id hash string (interactive limits). Slow by design: call off the I/O threads.
core::Result<std::string> hash_password(std::string_view password);

// Constant-time check of a password against a stored argon2id string. Slow by design.
bool verify_password(std::string_view password, std::string_view stored_hash);

// A random token of `bytes` random bytes, URL-safe base64 without padding, with a readable prefix.
std::string random_token(std::string_view prefix, std::size_t bytes = 32);

// The stored form of a high-entropy token: hex BLAKE2b-256. Fast; tokens need no stretching.
std::string token_hash(std::string_view token);

// Constant-time equality for short secrets such as CSRF tokens.
bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace lifeline::auth
