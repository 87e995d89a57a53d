// compose() and new_message_id(): building outbound RFC 5322 messages with GMime.
#include "notify/email/smtp_sender.hpp"

#include "core/clock.hpp"
#include "core/text.hpp"

#include <gmime/gmime.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace lifeline::notify::email {

namespace {

struct GObjectUnref {
    void operator()(gpointer object) const
    {
        if (object) g_object_unref(object);
    }
};
template <class T> using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
    void operator()(gpointer memory) const { g_free(memory); }
};

struct FormatOptionsFree {
    void operator()(GMimeFormatOptions* options) const { g_mime_format_options_free(options); }
};

struct DateTimeUnref {
    void operator()(GDateTime* date) const { g_date_time_unref(date); }
};

void init_gmime()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

void init_sodium()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    });
}

// A header field value on one line: CR, LF and other control characters become spaces, so a subject or a name
// taken from a customer's mail can never start a header of its own.
std::string one_line(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        auto byte = static_cast<unsigned char>(c);
        out.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
    }
    return out;
}

// An address or message id: control characters, spaces and angle brackets removed.
std::string bare_token(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f || c == '<' || c == '>') continue;
        out.push_back(c);
    }
    return out;
}

// The body with LF line endings (GMime writes them as CRLF) and a final newline.
std::string normalised_body(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out.push_back('\n');
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            out.push_back(text[i]);
        }
    }
    if (out.empty() || out.back() != '\n') out.push_back('\n');
    return out;
}

// 7bit when every byte is printable ASCII (or a tab) and no line exceeds SMTP's 998 octets; otherwise
// quoted-printable, which keeps mostly-Latin text readable in the raw message.
GMimeContentEncoding body_encoding(std::string_view body)
{
    std::size_t line = 0;
    for (char c : body) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '\n') {
            line = 0;
            continue;
        }
        if (byte >= 0x80 || (byte < 0x20 && c != '\t') || byte == 0x7f) return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
        if (++line > 998) return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
    }
    return GMIME_CONTENT_ENCODING_7BIT;
}

void add_mailbox(InternetAddressList* list, const std::string& name, const std::string& address)
{
    auto clean_name = one_line(name);
    auto clean_address = bare_token(address);
    GObjectPtr<InternetAddress> mailbox(internet_address_mailbox_new(clean_name.c_str(), clean_address.c_str()));
    // Encoded words (RFC 2047) in UTF-8 when the name is not ASCII, rather than GMime's guess of a legacy charset.
    internet_address_set_charset(mailbox.get(), "utf-8");
    internet_address_list_add(list, mailbox.get());
}

std::string angle(const std::string& id)
{
    return "<" + bare_token(id) + ">";
}

}  // namespace

std::string compose(const Draft& draft)
{
    init_gmime();
    GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
    auto* object = GMIME_OBJECT(message.get());

    add_mailbox(g_mime_message_get_from(message.get()), draft.from_name, draft.from_address);
    add_mailbox(g_mime_message_get_addresses(message.get(), GMIME_ADDRESS_TYPE_TO), draft.to_name, draft.to_address);
    g_mime_message_set_subject(message.get(), one_line(draft.subject).c_str(), "utf-8");

    const auto now = core::SystemClock().now();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    std::unique_ptr<GDateTime, DateTimeUnref> date(g_date_time_new_from_unix_utc(seconds));
    g_mime_message_set_date(message.get(), date.get());

    auto message_id = bare_token(draft.message_id);
    if (!message_id.empty()) g_mime_message_set_message_id(message.get(), message_id.c_str());
    if (!bare_token(draft.in_reply_to).empty())
        g_mime_object_set_header(object, "In-Reply-To", angle(draft.in_reply_to).c_str(), nullptr);
    std::string references;
    for (const auto& reference : draft.references) {
        if (bare_token(reference).empty()) continue;
        if (!references.empty()) references += ' ';
        references += angle(reference);
    }
    if (!references.empty()) g_mime_object_set_header(object, "References", references.c_str(), nullptr);

    if (draft.automatic) {
        // RFC 3834: automatic responses say so; Exchange/Outlook honour X-Auto-Response-Suppress.
        g_mime_object_set_header(object, "Auto-Submitted", "auto-replied", nullptr);
        g_mime_object_set_header(object, "X-Auto-Response-Suppress", "All", nullptr);
    }
    if (auto loop = one_line(draft.loop_marker); !loop.empty())
        g_mime_object_set_header(object, "X-Loop", loop.c_str(), nullptr);
    for (const auto& line : draft.extra_headers) {
        const auto colon = line.find(':');
        const auto name = line.substr(0, colon == std::string::npos ? 0 : colon);
        const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
            return std::isalnum(c) != 0 || c == '-';
        });
        if (!valid) continue;
        const auto value = one_line(core::trim(line.substr(colon + 1)));
        g_mime_object_set_header(object, name.c_str(), value.c_str(), nullptr);
    }

    GObjectPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype("plain"));
    const auto body = normalised_body(draft.text);
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(body.data(), body.size()));
    GObjectPtr<GMimeDataWrapper> content(
        g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(GMIME_PART(part.get()), content.get());
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(part.get()), "charset", "utf-8");
    g_mime_part_set_content_encoding(GMIME_PART(part.get()), body_encoding(body));
    g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(part.get()));

    std::unique_ptr<GMimeFormatOptions, FormatOptionsFree> options(g_mime_format_options_new());
    g_mime_format_options_set_newline_format(options.get(), GMIME_NEWLINE_FORMAT_DOS);
    std::unique_ptr<char, GFree> text(g_mime_object_to_string(object, options.get()));
    return text ? std::string(text.get()) : std::string();
}

std::string new_message_id(std::string_view domain)
{
    init_sodium();
    std::array<unsigned char, 16> random{};
    randombytes_buf(random.data(), random.size());
    std::array<char, 16 * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
    const auto millis = core::SystemClock().now().time_since_epoch().count();
    auto clean_domain = bare_token(domain);
    if (clean_domain.empty()) clean_domain = "lifeline.invalid";
    return std::string(hex.data()) + "." + std::to_string(millis) + "@" + clean_domain;
}

}  // namespace lifeline::notify::email
