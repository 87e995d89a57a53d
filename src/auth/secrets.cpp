#include "auth/secrets.hpp"

#include <sodium.h>

#include <vector>

namespace lifeline::auth {

bool init_crypto() { return sodium_init() >= 0; }

core::Result<std::string> hash_password(std::string_view password)
{
    if (password.size() < 8) return core::Error::invalid("the password is too short", {{"password", "must be at least 8 characters"}});
    if (password.size() > 1024) return core::Error::invalid("the password is too long", {{"password", "must be at most 1024 characters"}});
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return core::Error::internal("out of memory while hashing a password");
    return std::string(out);
}

bool verify_password(std::string_view password, std::string_view stored_hash)
{
    if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
    std::string hash(stored_hash);
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token(std::string_view prefix, std::size_t bytes)
{
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return std::string(prefix) + out;
}

std::string token_hash(std::string_view token)
{
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex, 64);
}

bool secrets_equal(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace lifeline::auth
