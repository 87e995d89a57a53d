// Parsing inbound mail with GMime 3. GMime does all MIME work (structure, transfer encodings, charsets,
// RFC 2047/2231, addresses, references); this file decides what Lifeline keeps: the body to show, the
// attachments, the delivery report and the signals of automatic mail.
#include "intake/email/parsed_email.hpp"

#include "core/text.hpp"

#include <gmime/gmime.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace lifeline::intake::email {

namespace {

// ---------------------------------------------------------------------------------------------------------
// Ownership helpers for GLib/GMime handles.

struct GObjectUnref {
    void operator()(void* object) const
    {
        if (object != nullptr) g_object_unref(object);
    }
};
template <class T> using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFreeDeleter {
    void operator()(void* memory) const { g_free(memory); }
};
using GCharPtr = std::unique_ptr<char, GFreeDeleter>;

struct ParserOptionsDeleter {
    void operator()(GMimeParserOptions* options) const { g_mime_parser_options_free(options); }
};
struct ReferencesDeleter {
    void operator()(GMimeReferences* references) const { g_mime_references_free(references); }
};
struct DateTimeDeleter {
    void operator()(GDateTime* date) const { g_date_time_unref(date); }
};

std::string from_gchar(char* owned)
{
    GCharPtr holder(owned);
    return owned == nullptr ? std::string() : std::string(owned);
}

std::string bytes_of(GMimeStream* memory_stream)
{
    GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory_stream));
    if (array == nullptr || array->len == 0) return {};
    return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

// ---------------------------------------------------------------------------------------------------------
// Text helpers.

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool starts_with_nocase(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    }
    return true;
}

bool ends_with(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool contains_nocase(std::string_view text, std::string_view needle)
{
    if (needle.empty()) return true;
    for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
        if (starts_with_nocase(text.substr(i), needle)) return true;
    }
    return false;
}

void append_utf8(std::string& out, char32_t cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Well-formed UTF-8 without NUL bytes: ill-formed sequences become U+FFFD, NULs are dropped.
std::string make_valid_utf8(std::string_view text)
{
    if (text.find('\0') == std::string_view::npos && core::is_valid_utf8(text)) return std::string(text);
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == 0) {
            ++i;
            continue;
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        std::size_t length = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (length != 0 && i + length <= text.size() && core::is_valid_utf8(text.substr(i, length))) {
            out.append(text.substr(i, length));
            i += length;
        } else {
            append_utf8(out, 0xFFFD);
            ++i;
        }
    }
    return out;
}

// Cuts text to at most max bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& text, std::size_t max)
{
    if (text.size() <= max) return;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    text.resize(end);
}

// CRLF and lone CR become LF.
std::string normalize_newlines(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string collapse_spaces(std::string_view text)
{
    std::string out;
    bool space = false;
    for (char c : text) {
        if (is_space(c)) {
            space = !out.empty();
        } else {
            if (space) out += ' ';
            space = false;
            out += c;
        }
    }
    return out;
}

std::vector<std::string_view> split_lines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    if (!lines.empty() && lines.back().empty() && !text.empty() && text.back() == '\n') lines.pop_back();
    return lines;
}

bool is_blank(std::string_view line)
{
    return std::all_of(line.begin(), line.end(), [](char c) { return is_space(c); });
}

std::string_view trim_view(std::string_view s)
{
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

// RFC 3676 format=flowed: lines ending in a space continue on the next line of the same quote depth.
std::string unflow(std::string_view text, bool delete_space)
{
    struct Line {
        int depth = 0;
        std::string content;
        bool soft = false;
    };
    std::vector<Line> lines;
    for (std::string_view raw : split_lines(text)) {
        Line line;
        while (!raw.empty() && raw.front() == '>') {
            ++line.depth;
            raw.remove_prefix(1);
        }
        if (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);  // space-stuffing
        const bool signature = raw == "-- ";
        line.soft = !signature && !raw.empty() && raw.back() == ' ';
        if (line.soft && delete_space) raw.remove_suffix(1);
        line.content = std::string(raw);
        lines.push_back(std::move(line));
    }
    std::string out;
    bool joining = false;
    int joined_depth = 0;
    for (const Line& line : lines) {
        if (!(joining && line.depth == joined_depth)) {
            if (joining) out += '\n';
            if (line.depth > 0) out += std::string(static_cast<std::size_t>(line.depth), '>') + ' ';
        }
        out += line.content;
        if (line.soft) {
            joining = true;
            joined_depth = line.depth;
        } else {
            out += '\n';
            joining = false;
        }
    }
    if (joining) out += '\n';
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// HTML entities.

struct NamedEntity {
    std::string_view name;
    char32_t code_point;
};

constexpr std::array kEntities{
    NamedEntity{"amp", U'&'},      NamedEntity{"lt", U'<'},       NamedEntity{"gt", U'>'},
    NamedEntity{"quot", U'"'},     NamedEntity{"apos", U'\''},    NamedEntity{"nbsp", U' '},
    NamedEntity{"copy", 0xA9},     NamedEntity{"reg", 0xAE},      NamedEntity{"trade", 0x2122},
    NamedEntity{"hellip", 0x2026}, NamedEntity{"mdash", 0x2014},  NamedEntity{"ndash", 0x2013},
    NamedEntity{"lsquo", 0x2018},  NamedEntity{"rsquo", 0x2019},  NamedEntity{"ldquo", 0x201C},
    NamedEntity{"rdquo", 0x201D},  NamedEntity{"sbquo", 0x201A},  NamedEntity{"bdquo", 0x201E},
    NamedEntity{"bull", 0x2022},   NamedEntity{"middot", 0xB7},   NamedEntity{"euro", 0x20AC},
    NamedEntity{"pound", 0xA3},    NamedEntity{"yen", 0xA5},      NamedEntity{"cent", 0xA2},
    NamedEntity{"sect", 0xA7},     NamedEntity{"deg", 0xB0},      NamedEntity{"plusmn", 0xB1},
    NamedEntity{"times", 0xD7},    NamedEntity{"divide", 0xF7},   NamedEntity{"laquo", 0xAB},
    NamedEntity{"raquo", 0xBB},    NamedEntity{"shy", 0xAD},      NamedEntity{"zwnj", 0x200C},
    NamedEntity{"zwj", 0x200D},    NamedEntity{"thinsp", 0x2009}, NamedEntity{"ensp", 0x2002},
    NamedEntity{"emsp", 0x2003},   NamedEntity{"auml", 0xE4},     NamedEntity{"ouml", 0xF6},
    NamedEntity{"uuml", 0xFC},     NamedEntity{"Auml", 0xC4},     NamedEntity{"Ouml", 0xD6},
    NamedEntity{"Uuml", 0xDC},     NamedEntity{"szlig", 0xDF},    NamedEntity{"eacute", 0xE9},
    NamedEntity{"egrave", 0xE8},   NamedEntity{"ecirc", 0xEA},    NamedEntity{"Eacute", 0xC9},
    NamedEntity{"aacute", 0xE1},   NamedEntity{"agrave", 0xE0},   NamedEntity{"acirc", 0xE2},
    NamedEntity{"iacute", 0xED},   NamedEntity{"oacute", 0xF3},   NamedEntity{"uacute", 0xFA},
    NamedEntity{"ntilde", 0xF1},   NamedEntity{"Ntilde", 0xD1},   NamedEntity{"ccedil", 0xE7},
    NamedEntity{"Ccedil", 0xC7},   NamedEntity{"ocirc", 0xF4},    NamedEntity{"aring", 0xE5},
    NamedEntity{"oslash", 0xF8},   NamedEntity{"aelig", 0xE6},    NamedEntity{"iexcl", 0xA1},
    NamedEntity{"iquest", 0xBF},
};

// Windows-1252 meanings of numeric references 0x80–0x9F, as browsers decode them.
constexpr std::array<char32_t, 32> kWindows1252High{
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

// Decodes the entity starting at text[i] == '&' into out; returns the number of bytes consumed, or 0 when
// the ampersand does not start a known entity.
std::size_t decode_entity(std::string_view text, std::size_t i, std::string& out)
{
    std::size_t j = i + 1;
    if (j < text.size() && text[j] == '#') {
        ++j;
        const bool hex = j < text.size() && (text[j] == 'x' || text[j] == 'X');
        if (hex) ++j;
        const std::size_t digits_start = j;
        char32_t value = 0;
        while (j < text.size() && (hex ? std::isxdigit(static_cast<unsigned char>(text[j]))
                                       : std::isdigit(static_cast<unsigned char>(text[j])))) {
            const char c = text[j];
            const unsigned digit = std::isdigit(static_cast<unsigned char>(c))
                                       ? static_cast<unsigned>(c - '0')
                                       : static_cast<unsigned>(std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
            if (value <= 0x10FFFF) value = value * (hex ? 16 : 10) + digit;
            ++j;
        }
        if (j == digits_start) return 0;
        if (j < text.size() && text[j] == ';') ++j;
        if (value >= 0x80 && value <= 0x9F) value = kWindows1252High[value - 0x80];
        append_utf8(out, value);
        return j - i;
    }
    while (j < text.size() && j - i <= 10 && std::isalnum(static_cast<unsigned char>(text[j])))
        ++j;
    const std::string_view name = text.substr(i + 1, j - i - 1);
    const bool terminated = j < text.size() && text[j] == ';';
    for (const NamedEntity& entity : kEntities) {
        if (entity.name != name) continue;
        // Legacy entities without ';' are accepted only for the basic five and nbsp.
        if (!terminated && !(name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "nbsp"))
            return 0;
        append_utf8(out, entity.code_point);
        return j - i + (terminated ? 1 : 0);
    }
    return 0;
}

std::string decode_entities(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '&') {
            if (std::size_t used = decode_entity(text, i, out); used > 0) {
                i += used;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// HTML to text.

// Accumulates text with collapsed whitespace, pending line breaks and "> " prefixes inside blockquotes.
class TextWriter {
public:
    void text(std::string_view s, bool preformatted)
    {
        for (char c : s) {
            if (preformatted) {
                if (c == '\r') continue;
                if (c == '\n') {
                    if (out_.empty()) continue;
                    emit_breaks();
                    out_ += '\n';
                    at_line_start_ = true;
                    pending_space_ = false;
                    continue;
                }
                put(c);
            } else if (is_space(c)) {
                if (!at_line_start_) pending_space_ = true;
            } else {
                put(c);
            }
        }
    }

    void space()
    {
        if (!at_line_start_) pending_space_ = true;
    }

    // Requests `count` line breaks (2 = a blank line); the larger request wins.
    void line_break(int count)
    {
        if (out_.empty()) return;
        note_break_depth();
        pending_breaks_ = std::max(pending_breaks_, count);
        pending_space_ = false;
    }

    // A <br>: adds one line break, at most a blank line in a row.
    void hard_break()
    {
        if (out_.empty()) return;
        note_break_depth();
        pending_breaks_ = std::min(pending_breaks_ + 1, 2);
        pending_space_ = false;
    }

    void set_quote_depth(int depth)
    {
        quote_depth_ = static_cast<std::size_t>(std::max(depth, 0));
        if (pending_breaks_ > 0) break_depth_ = std::min(break_depth_, quote_depth_);
    }
    std::size_t position() const { return out_.size(); }
    std::string_view since(std::size_t position) const { return std::string_view(out_).substr(position); }

    std::string finish()
    {
        std::string result;
        for (std::string_view line : split_lines(out_)) {
            while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
                line.remove_suffix(1);
            result.append(line);
            result += '\n';
        }
        while (!result.empty() && result.back() == '\n')
            result.pop_back();
        return result;
    }

private:
    void note_break_depth()
    {
        if (pending_breaks_ == 0) break_depth_ = quote_depth_;
    }

    void emit_breaks()
    {
        if (pending_breaks_ > 0) {
            for (int i = 0; i < pending_breaks_; ++i) {
                out_ += '\n';
                // A blank line is quoted only when the text on both sides of it is.
                const std::size_t depth = std::min(break_depth_, quote_depth_);
                if (i + 1 < pending_breaks_ && depth > 0) out_ += std::string(depth, '>');
            }
            pending_breaks_ = 0;
            at_line_start_ = true;
        }
    }

    void flush_pending()
    {
        emit_breaks();
        if (at_line_start_) {
            if (quote_depth_ > 0) {
                out_ += std::string(quote_depth_, '>');
                out_ += ' ';
            }
            at_line_start_ = false;
            pending_space_ = false;
        } else if (pending_space_) {
            out_ += ' ';
            pending_space_ = false;
        }
    }

    void put(char c)
    {
        flush_pending();
        out_ += c;
    }

    std::string out_;
    int pending_breaks_ = 0;
    bool pending_space_ = false;
    bool at_line_start_ = true;
    std::size_t quote_depth_ = 0;
    std::size_t break_depth_ = 0;  // the smallest quote depth seen while line breaks were pending
};

std::string lower(std::string_view s)
{
    return core::ascii_lower(s);
}

// The value of attribute `name` in the attribute text of a tag, entity-decoded; empty when absent.
std::string attribute(std::string_view attributes, std::string_view name)
{
    std::size_t i = 0;
    while (i < attributes.size()) {
        while (i < attributes.size() && (is_space(attributes[i]) || attributes[i] == '/'))
            ++i;
        const std::size_t name_start = i;
        while (i < attributes.size() && !is_space(attributes[i]) && attributes[i] != '=' && attributes[i] != '/')
            ++i;
        const std::string attribute_name = lower(attributes.substr(name_start, i - name_start));
        while (i < attributes.size() && is_space(attributes[i]))
            ++i;
        std::string_view value;
        if (i < attributes.size() && attributes[i] == '=') {
            ++i;
            while (i < attributes.size() && is_space(attributes[i]))
                ++i;
            if (i < attributes.size() && (attributes[i] == '"' || attributes[i] == '\'')) {
                const char quote = attributes[i++];
                const std::size_t end = attributes.find(quote, i);
                const std::size_t stop = end == std::string_view::npos ? attributes.size() : end;
                value = attributes.substr(i, stop - i);
                i = stop == attributes.size() ? stop : stop + 1;
            } else {
                const std::size_t start = i;
                while (i < attributes.size() && !is_space(attributes[i]))
                    ++i;
                value = attributes.substr(start, i - start);
            }
        }
        if (attribute_name == name) return decode_entities(value);
        if (i == name_start) ++i;
    }
    return {};
}

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// ---------------------------------------------------------------------------------------------------------
// GMime state.

std::once_flag g_init_once;

// Lower-cased "type/subtype" of a MIME object.
std::string mime_type_of(GMimeObject* object)
{
    GMimeContentType* type = g_mime_object_get_content_type(object);
    if (type == nullptr) return "application/octet-stream";
    return lower(from_gchar(g_mime_content_type_get_mime_type(type)));
}

std::string disposition_of(GMimeObject* object)
{
    const char* value = g_mime_object_get_disposition(object);
    return value == nullptr ? std::string() : lower(value);
}

std::string hex(const unsigned char* bytes, std::size_t size)
{
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, size);
    out.pop_back();
    return out;
}

std::string sha256_hex(std::string_view data)
{
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return hex(digest.data(), digest.size());
}

std::string extension_for(std::string_view content_type)
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kExtensions{{
        {"image/png", ".png"},
        {"image/jpeg", ".jpg"},
        {"image/gif", ".gif"},
        {"image/webp", ".webp"},
        {"application/pdf", ".pdf"},
        {"text/calendar", ".ics"},
        {"application/ics", ".ics"},
        {"message/rfc822", ".eml"},
        {"text/plain", ".txt"},
        {"text/html", ".html"},
        {"text/csv", ".csv"},
        {"application/zip", ".zip"},
    }};
    for (const auto& [type, extension] : kExtensions) {
        if (type == content_type) return std::string(extension);
    }
    return {};
}

// A display name safe to show and to offer for download: valid UTF-8, no directories, no control characters.
std::string sanitize_filename(std::string_view name)
{
    std::string valid = make_valid_utf8(name);
    if (const std::size_t slash = valid.find_last_of("/\\"); slash != std::string::npos) valid.erase(0, slash + 1);
    std::string out;
    for (char c : valid) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) continue;
        out += c;
    }
    out = core::trim(out);
    if (out == "." || out == "..") out.clear();
    truncate_utf8(out, 255);
    return out;
}

// Charset names as mail software means them rather than as labelled (WHATWG encoding practice).
std::string effective_charset(std::string_view declared)
{
    const std::string name = lower(core::trim(declared));
    if (name == "iso-8859-1" || name == "iso8859-1" || name == "latin1" || name == "latin-1" || name == "l1" ||
        name == "us-ascii" || name == "ascii" || name == "iso_8859-1" || name == "cp819")
        return "windows-1252";
    if (name == "shift_jis" || name == "shift-jis" || name == "sjis" || name == "x-sjis" || name == "ms_kanji" ||
        name == "windows-31j")
        return "CP932";
    if (name == "gb2312" || name == "gbk" || name == "x-gbk") return "GB18030";
    if (name == "ks_c_5601-1987" || name == "euc-kr") return "CP949";
    if (name == "utf8") return "utf-8";
    // Labels that name no charset; GMime would map some of them to the server's locale charset.
    if (name == "x-unknown" || name == "unknown" || name == "unknown-8bit" || name == "x-user-defined" ||
        name == "default" || name == "charset")
        return {};
    return name;
}

// Converts bytes in `charset` to UTF-8 through a GMime charset filter; nullopt when the charset is unknown.
std::optional<std::string> convert_to_utf8(std::string_view bytes, const std::string& charset)
{
    GMimeFilter* filter = g_mime_filter_charset_new(charset.c_str(), "UTF-8");
    if (filter == nullptr) return std::nullopt;
    GPtr<GMimeStream> sink(g_mime_stream_mem_new());
    GPtr<GMimeStream> filtered(g_mime_stream_filter_new(sink.get()));
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), filter);
    g_object_unref(filter);
    if (!bytes.empty()) g_mime_stream_write(filtered.get(), bytes.data(), bytes.size());
    g_mime_stream_flush(filtered.get());
    return bytes_of(sink.get());
}

// The charset an HTML document declares in a <meta> tag, if any (only the first 2 KB are examined).
std::string html_meta_charset(std::string_view html)
{
    const std::string head = lower(html.substr(0, 2048));
    std::size_t at = head.find("charset=");
    if (at == std::string::npos) return {};
    at += 8;
    while (at < head.size() && (head[at] == '"' || head[at] == '\'' || head[at] == ' '))
        ++at;
    std::size_t end = at;
    while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == '-' ||
                                 head[end] == '_' || head[end] == ':' || head[end] == '.'))
        ++end;
    return head.substr(at, end - at);
}

// Content of a part after undoing its transfer encoding, at most `limit` bytes kept.
struct DecodedContent {
    std::string data;
    std::size_t size = 0;     // decoded size, counted to the end even past the limit
    bool over_limit = false;  // data holds nothing (attachments) or the first `limit` bytes (text)
    bool incomplete = false;  // base64 ended mid-quantum: the part was cut off
};

enum class OverLimit { DropData, KeepPrefix };

DecodedContent decode_content(GMimePart* part, std::size_t limit, OverLimit over_limit)
{
    DecodedContent result;
    GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
    if (wrapper == nullptr) return result;
    GMimeStream* stream = g_mime_data_wrapper_get_stream(wrapper);
    if (stream == nullptr) return result;
    const GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(wrapper);
    const bool transform = encoding == GMIME_CONTENT_ENCODING_BASE64 ||
                           encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
                           encoding == GMIME_CONTENT_ENCODING_UUENCODE;
    GMimeEncoding state;
    g_mime_encoding_init_decode(&state, encoding);

    // The encoded length bounds the decoded one for every transfer encoding: reserve once when it fits.
    const gint64 encoded_length = g_mime_stream_length(stream);
    if (encoded_length > 0 && static_cast<std::uint64_t>(encoded_length) <= limit)
        result.data.reserve(static_cast<std::size_t>(encoded_length));

    auto keep = [&](const char* bytes, std::size_t count) {
        result.size += count;
        if (result.over_limit) return;
        if (result.data.size() + count > limit) {
            result.over_limit = true;
            if (over_limit == OverLimit::DropData) {
                result.data.clear();
                result.data.shrink_to_fit();
            } else {
                result.data.append(bytes, limit - result.data.size());
            }
            return;
        }
        result.data.append(bytes, count);
    };

    g_mime_stream_reset(stream);
    std::size_t base64_symbols = 0;  // modulo 4: anything left over means the data stops mid-quantum
    std::vector<char> input(64 * 1024);
    std::vector<char> output;
    for (;;) {
        const ssize_t got = g_mime_stream_read(stream, input.data(), input.size());
        if (got <= 0) break;
        const auto count = static_cast<std::size_t>(got);
        if (encoding == GMIME_CONTENT_ENCODING_BASE64) {
            for (std::size_t k = 0; k < count; ++k) {
                const auto c = static_cast<unsigned char>(input[k]);
                if (std::isalnum(c) || c == '+' || c == '/' || c == '=') base64_symbols = (base64_symbols + 1) % 4;
            }
        }
        if (!transform) {
            keep(input.data(), count);
            continue;
        }
        output.resize(g_mime_encoding_outlen(&state, count));
        keep(output.data(), g_mime_encoding_step(&state, input.data(), count, output.data()));
    }
    if (transform) {
        result.incomplete = encoding == GMIME_CONTENT_ENCODING_BASE64 && base64_symbols != 0;
        output.resize(g_mime_encoding_outlen(&state, 0) + 16);
        keep(output.data(), g_mime_encoding_flush(&state, nullptr, 0, output.data()));
    }
    g_mime_stream_reset(stream);
    return result;
}

const char* describe(GMimeParserWarning code)
{
    switch (code) {
    case GMIME_WARN_DUPLICATED_HEADER: return "duplicated header";
    case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated header parameter";
    case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded 8-bit header";
    case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid Content-Type, read as application/octet-stream";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "invalid RFC 2047 encoded header value";
    case GMIME_WARN_MALFORMED_MULTIPART: return "multipart without parts";
    case GMIME_WARN_TRUNCATED_MESSAGE: return "message is truncated (a multipart boundary is never closed)";
    case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header name; part of the message may be ignored";
    case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting header";
    case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting header parameter";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart without a boundary";
    case GMIME_WARN_INVALID_PARAMETER: return "invalid header parameter";
    case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid address list";
    case GMIME_CRIT_NESTING_OVERFLOW: return "MIME nesting too deep; inner parts ignored";
    case GMIME_WARN_PART_WITHOUT_CONTENT: return "MIME part without content";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "MIME part without headers or content";
    }
    return "parser warning";
}

class Problems {
public:
    explicit Problems(std::vector<std::string>& list) : list_(list) {}
    void add(std::string problem)
    {
        problem = make_valid_utf8(problem);
        if (std::find(list_.begin(), list_.end(), problem) == list_.end() && list_.size() < kMaxProblems)
            list_.push_back(std::move(problem));
    }

private:
    static constexpr std::size_t kMaxProblems = 50;
    std::vector<std::string>& list_;
};

void on_parser_warning(gint64 /*offset*/, GMimeParserWarning code, const gchar* item, gpointer user_data)
{
    if (code == GMIME_WARN_UNENCODED_8BIT_HEADER) return;  // RFC 6532 allows UTF-8 headers; decoded below
    auto* problems = static_cast<Problems*>(user_data);
    std::string message = describe(code);
    if (item != nullptr && *item != '\0') {
        std::string detail = collapse_spaces(item);
        truncate_utf8(detail, 80);
        message += " ('" + detail + "')";
    }
    problems->add(std::move(message));
}

std::unique_ptr<GMimeParserOptions, ParserOptionsDeleter> make_options(Problems* problems)
{
    std::unique_ptr<GMimeParserOptions, ParserOptionsDeleter> options(g_mime_parser_options_new());
    static const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
    g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    if (problems != nullptr) g_mime_parser_options_set_warning_callback(options.get(), on_parser_warning, problems);
    return options;
}

GPtr<GMimeObject> parse_part(std::string_view bytes, GMimeParserOptions* options)
{
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    return GPtr<GMimeObject>(g_mime_parser_construct_part(parser.get(), options));
}

GPtr<GMimeMessage> parse_message(std::string_view bytes, GMimeParserOptions* options)
{
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    return GPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), options));
}

// GMime 3.2.13 (Debian 12) decodes a run of adjacent base64 encoded-words of one charset as a single base64
// stream and stops at the first word's '=' padding, losing the rest ("=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?="
// gives "Hello"; https://github.com/jstedfast/gmime/issues/133, fixed upstream later). Such runs are
// rewritten as one encoded-word holding the concatenated bytes, which every GMime version decodes correctly
// (and which keeps characters split across words intact).
struct EncodedWord {
    std::size_t end = 0;
    std::string_view charset;
    std::string_view payload;
};

std::optional<EncodedWord> base64_word_at(std::string_view text, std::size_t i)
{
    if (text.substr(i, 2) != "=?") return std::nullopt;
    const std::size_t charset_end = text.find('?', i + 2);
    if (charset_end == std::string_view::npos || charset_end == i + 2 || charset_end + 2 >= text.size())
        return std::nullopt;
    if ((text[charset_end + 1] != 'B' && text[charset_end + 1] != 'b') || text[charset_end + 2] != '?')
        return std::nullopt;
    const std::size_t end = text.find("?=", charset_end + 3);
    if (end == std::string_view::npos) return std::nullopt;
    EncodedWord word;
    word.end = end + 2;
    word.charset = text.substr(i + 2, charset_end - i - 2);
    word.payload = text.substr(charset_end + 3, end - charset_end - 3);
    const auto bad = [](char c) { return is_space(c) || c == '?'; };
    if (std::any_of(word.charset.begin(), word.charset.end(), bad) ||
        std::any_of(word.payload.begin(), word.payload.end(), bad))
        return std::nullopt;
    return word;
}

std::string base64_decode(std::string_view payload)
{
    std::string out(payload.size() * 3 / 4 + 4, '\0');
    int state = 0;
    guint32 save = 0;
    const std::size_t size =
        g_mime_encoding_base64_decode_step(reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
                                           reinterpret_cast<unsigned char*>(out.data()), &state, &save);
    out.resize(size);
    return out;
}

std::string merge_base64_words(std::string_view text)
{
    if (text.find("?=") == std::string_view::npos) return std::string(text);
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::optional<EncodedWord> first = base64_word_at(text, i);
        if (!first) {
            out += text[i++];
            continue;
        }
        std::vector<EncodedWord> run{*first};
        std::size_t next = first->end;
        for (;;) {
            std::size_t k = next;
            while (k < text.size() && is_space(text[k]))
                ++k;
            std::optional<EncodedWord> word = k < text.size() ? base64_word_at(text, k) : std::nullopt;
            if (!word || core::ascii_lower(word->charset) != core::ascii_lower(first->charset)) break;
            run.push_back(*word);
            next = word->end;
        }
        const bool padded_inside = std::any_of(run.begin(), run.end() - 1, [](const EncodedWord& word) {
            return word.payload.find('=') != std::string_view::npos;
        });
        if (run.size() < 2 || !padded_inside) {
            out.append(text.substr(i, first->end - i));
            i = first->end;
            continue;
        }
        std::string bytes;
        for (const EncodedWord& word : run)
            bytes += base64_decode(word.payload);
        out += "=?";
        out.append(first->charset);
        out += "?B?";
        out += from_gchar(g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size()));
        out += "?=";
        i = next;
    }
    return out;
}

// Header access with the header-size limit applied.
class Headers {
public:
    Headers(GMimeObject* object, GMimeParserOptions* options, std::size_t max_bytes)
        : list_(g_mime_object_get_header_list(object)), options_(options), max_bytes_(max_bytes)
    {
    }

    int count() const { return g_mime_header_list_get_count(list_); }

    // Notes every header whose value exceeds the limit.
    void check_sizes(Problems& problems) const
    {
        for (int i = 0; i < count(); ++i) {
            GMimeHeader* header = g_mime_header_list_get_header_at(list_, i);
            const char* raw = header == nullptr ? nullptr : g_mime_header_get_raw_value(header);
            if (raw == nullptr) continue;
            const std::size_t size = std::char_traits<char>::length(raw);
            if (size <= max_bytes_) continue;
            std::string name = make_valid_utf8(g_mime_header_get_name(header));
            truncate_utf8(name, 80);
            problems.add("header '" + name + "' is " + std::to_string(size) + " bytes; truncated to " +
                         std::to_string(max_bytes_));
        }
    }

    // The raw (encoded, folded) value of the first header called `name`, cut to the limit.
    std::optional<std::string> raw(const char* name) const
    {
        GMimeHeader* header = g_mime_header_list_get_header(list_, name);
        if (header == nullptr) return std::nullopt;
        const char* value = g_mime_header_get_raw_value(header);
        std::string text = value == nullptr ? std::string() : std::string(value);
        if (text.size() > max_bytes_) text.resize(max_bytes_);
        return text;
    }

    // Unfolded, RFC 2047 decoded, valid UTF-8, trimmed; empty when absent.
    std::string text(const char* name) const
    {
        const std::optional<std::string> value = raw(name);
        if (!value) return {};
        const std::string unfolded = merge_base64_words(from_gchar(g_mime_utils_header_unfold(value->c_str())));
        std::string decoded = from_gchar(g_mime_utils_header_decode_text(options_, unfolded.c_str()));
        for (char& c : decoded) {
            if (c == '\t' || c == '\r' || c == '\n') c = ' ';
        }
        decoded = core::trim(make_valid_utf8(decoded));
        truncate_utf8(decoded, max_bytes_);
        return decoded;
    }

    std::vector<Address> addresses(const char* name) const
    {
        std::vector<Address> out;
        const std::optional<std::string> value = raw(name);
        if (!value) return out;
        const std::string repaired = merge_base64_words(*value);
        GPtr<InternetAddressList> list(internet_address_list_parse(options_, repaired.c_str()));
        if (list) collect(list.get(), out);
        return out;
    }

    std::vector<std::string> message_ids(const char* name) const
    {
        std::vector<std::string> out;
        const std::optional<std::string> value = raw(name);
        if (!value) return out;
        std::unique_ptr<GMimeReferences, ReferencesDeleter> references(
            g_mime_references_parse(options_, value->c_str()));
        if (!references) return out;
        for (int i = 0; i < g_mime_references_length(references.get()); ++i) {
            const char* id = g_mime_references_get_message_id(references.get(), i);
            if (id == nullptr || *id == '\0') continue;
            std::string clean = make_valid_utf8(id);
            if (std::find(out.begin(), out.end(), clean) == out.end()) out.push_back(std::move(clean));
        }
        return out;
    }

private:
    static void collect(InternetAddressList* list, std::vector<Address>& out)
    {
        for (int i = 0; i < internet_address_list_length(list); ++i) {
            InternetAddress* address = internet_address_list_get_address(list, i);
            if (INTERNET_ADDRESS_IS_GROUP(address)) {
                InternetAddressList* members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address));
                if (members != nullptr) collect(members, out);
                continue;
            }
            if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
            const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
            const char* display = internet_address_get_name(address);
            Address entry;
            entry.email = core::ascii_lower(core::trim(make_valid_utf8(addr == nullptr ? "" : addr)));
            entry.name = core::trim(collapse_spaces(make_valid_utf8(display == nullptr ? "" : display)));
            if (entry.name.size() >= 2 && entry.name.front() == '"' && entry.name.back() == '"')
                entry.name = entry.name.substr(1, entry.name.size() - 2);
            if (entry.email.empty()) continue;
            out.push_back(std::move(entry));
        }
    }

    GMimeHeaderList* list_;
    GMimeParserOptions* options_;
    std::size_t max_bytes_;
};

// "rfc822; Alice@Example.com" → "alice@example.com"; "smtp; 550 …" → "550 …".
std::string after_type(std::string_view value)
{
    const std::size_t semicolon = value.find(';');
    if (semicolon != std::string_view::npos) value.remove_prefix(semicolon + 1);
    return collapse_spaces(value);
}

std::string first_token(std::string_view value)
{
    value = trim_view(value);
    std::size_t end = 0;
    while (end < value.size() && !is_space(value[end]) && value[end] != '(' && value[end] != ';')
        ++end;
    return std::string(value.substr(0, end));
}

std::string strip_angles(std::string text)
{
    text = core::trim(text);
    if (text.size() >= 2 && text.front() == '<' && text.back() == '>') text = text.substr(1, text.size() - 2);
    return text;
}

// ---------------------------------------------------------------------------------------------------------
// Walking the MIME tree.

enum class Mode { Body, AttachmentsOnly };
enum class Placement { Normal, Related };

class Walker {
public:
    // `quiet_options` parse the fragments inside a report (field groups, returned headers), whose
    // irregularities are not problems of the message itself.
    Walker(ParsedEmail& email, const ParseLimits& limits, GMimeParserOptions* quiet_options, Problems& problems)
        : email_(email), limits_(limits), quiet_options_(quiet_options), problems_(problems)
    {
    }

    void walk(GMimeObject* object, Mode mode, Placement placement, int depth)
    {
        if (object == nullptr) return;
        if (depth > kMaxDepth) {
            problems_.add("MIME structure nested deeper than " + std::to_string(kMaxDepth) + " levels; ignored");
            return;
        }
        if (GMIME_IS_MULTIPART_ENCRYPTED(object)) {
            problems_.add("encrypted message part (" + mime_type_of(object) + ") cannot be read");
            return;
        }
        if (GMIME_IS_MULTIPART_SIGNED(object)) {
            GMimeMultipart* multipart = GMIME_MULTIPART(object);
            if (g_mime_multipart_get_count(multipart) > 0)
                walk(g_mime_multipart_get_part(multipart, 0), mode, placement, depth + 1);
            return;
        }
        if (GMIME_IS_MULTIPART(object)) {
            walk_multipart(GMIME_MULTIPART(object), mode, placement, depth);
            return;
        }
        if (GMIME_IS_MESSAGE_PARTIAL(object)) {
            problems_.add("message/partial fragment cannot be reassembled");
            return;
        }
        if (GMIME_IS_MESSAGE_PART(object)) {
            add_message_attachment(GMIME_MESSAGE_PART(object));
            return;
        }
        if (GMIME_IS_PART(object)) walk_leaf(GMIME_PART(object), mode, placement);
    }

    void finish()
    {
        bool any_plain = false;
        bool any_html = false;
        std::string text;
        for (const Segment& segment : segments_) {
            if (segment.text.empty()) continue;
            (segment.html ? any_html : any_plain) = true;
            if (!text.empty()) text += "\n\n";
            text += segment.text;
        }
        while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
            text.pop_back();
        email_.text = std::move(text);
        email_.body_was_html = any_html && !any_plain;
        email_.reply_text = strip_quoted_reply(email_.text);
        if (status_found_) {
            report_.original_message_id = original_message_id_;
            email_.report = std::move(report_);
        }
    }

private:
    static constexpr int kMaxDepth = 32;

    struct Segment {
        std::string text;
        bool html = false;
    };

    static bool is_named(GMimePart* part)
    {
        const char* filename = g_mime_part_get_filename(part);
        return filename != nullptr && *filename != '\0';
    }

    static bool is_body_text(GMimePart* part, const std::string& type)
    {
        if (type != "text/plain" && type != "text/html") return false;
        return disposition_of(GMIME_OBJECT(part)) != "attachment" && !is_named(part);
    }

    // True when the alternative would render from text/plain.
    static bool renders_plain(GMimeObject* object)
    {
        if (GMIME_IS_MULTIPART(object)) {
            GMimeMultipart* multipart = GMIME_MULTIPART(object);
            const int count = g_mime_multipart_get_count(multipart);
            if (count == 0) return false;
            if (mime_type_of(object) == "multipart/alternative") {
                for (int i = 0; i < count; ++i) {
                    if (renders_plain(g_mime_multipart_get_part(multipart, i))) return true;
                }
                return false;
            }
            return renders_plain(g_mime_multipart_get_part(multipart, 0));
        }
        return GMIME_IS_PART(object) && mime_type_of(object) == "text/plain" &&
               is_body_text(GMIME_PART(object), "text/plain");
    }

    static bool renders_html(GMimeObject* object)
    {
        if (GMIME_IS_MULTIPART(object)) {
            GMimeMultipart* multipart = GMIME_MULTIPART(object);
            const int count = g_mime_multipart_get_count(multipart);
            for (int i = 0; i < count; ++i) {
                if (renders_html(g_mime_multipart_get_part(multipart, i))) return true;
            }
            return false;
        }
        return GMIME_IS_PART(object) && mime_type_of(object) == "text/html" &&
               is_body_text(GMIME_PART(object), "text/html");
    }

    void walk_multipart(GMimeMultipart* multipart, Mode mode, Placement placement, int depth)
    {
        const int count = g_mime_multipart_get_count(multipart);
        const std::string type = mime_type_of(GMIME_OBJECT(multipart));
        if (type == "multipart/alternative" && mode == Mode::Body) {
            int chosen = -1;
            for (int i = 0; i < count && chosen < 0; ++i) {
                if (renders_plain(g_mime_multipart_get_part(multipart, i))) chosen = i;
            }
            for (int i = count - 1; i >= 0 && chosen < 0; --i) {
                if (renders_html(g_mime_multipart_get_part(multipart, i))) chosen = i;
            }
            if (chosen < 0 && count > 0) chosen = 0;
            for (int i = 0; i < count; ++i) {
                walk(g_mime_multipart_get_part(multipart, i), i == chosen ? Mode::Body : Mode::AttachmentsOnly,
                     placement, depth + 1);
            }
            return;
        }
        if (type == "multipart/related") {
            GMimeObject* root = nullptr;
            if (const char* start = g_mime_object_get_content_type_parameter(GMIME_OBJECT(multipart), "start")) {
                std::string id = strip_angles(start);
                root = g_mime_multipart_get_subpart_from_content_id(multipart, id.c_str());
            }
            if (root == nullptr && count > 0) root = g_mime_multipart_get_part(multipart, 0);
            for (int i = 0; i < count; ++i) {
                GMimeObject* child = g_mime_multipart_get_part(multipart, i);
                if (child == root) {
                    walk(child, mode, placement, depth + 1);
                } else {
                    walk(child, Mode::AttachmentsOnly, Placement::Related, depth + 1);
                }
            }
            return;
        }
        if (type == "multipart/report") {
            walk_report(multipart, mode, depth);
            return;
        }
        for (int i = 0; i < count; ++i)
            walk(g_mime_multipart_get_part(multipart, i), mode, placement, depth + 1);
    }

    void walk_report(GMimeMultipart* multipart, Mode mode, int depth)
    {
        const int count = g_mime_multipart_get_count(multipart);
        for (int i = 0; i < count; ++i) {
            GMimeObject* child = g_mime_multipart_get_part(multipart, i);
            const std::string type = mime_type_of(child);
            if ((type == "message/delivery-status" || type == "message/global-delivery-status") &&
                GMIME_IS_PART(child)) {
                read_delivery_status(GMIME_PART(child));
            } else if (GMIME_IS_MESSAGE_PART(child) && i > 0) {
                GMimeMessage* returned = g_mime_message_part_get_message(GMIME_MESSAGE_PART(child));
                const char* id = returned == nullptr ? nullptr : g_mime_message_get_message_id(returned);
                if (id != nullptr && original_message_id_.empty()) original_message_id_ = make_valid_utf8(id);
            } else if ((type == "text/rfc822-headers" || type == "message/rfc822-headers") && GMIME_IS_PART(child)) {
                const DecodedContent content =
                    decode_content(GMIME_PART(child), limits_.max_attachment_bytes, OverLimit::KeepPrefix);
                GPtr<GMimeMessage> returned = parse_message(content.data, quiet_options_);
                const char* id = returned ? g_mime_message_get_message_id(returned.get()) : nullptr;
                if (id != nullptr && original_message_id_.empty()) original_message_id_ = make_valid_utf8(id);
            } else {
                walk(child, i == 0 ? mode : Mode::AttachmentsOnly, Placement::Normal, depth + 1);
            }
        }
    }

    // The delivery-status body is groups of header fields separated by blank lines (RFC 3464 §2.1); each
    // group is read with GMime's header parser.
    void read_delivery_status(GMimePart* part)
    {
        const DecodedContent content = decode_content(part, limits_.max_attachment_bytes, OverLimit::KeepPrefix);
        std::string rest = normalize_newlines(content.data);
        struct Group {
            std::string final_recipient, original_recipient, action, status, diagnostic;
        };
        std::vector<Group> groups;
        for (int guard = 0; guard < 100; ++guard) {
            std::size_t start = 0;
            while (start < rest.size() && is_space(rest[start])) {
                const std::size_t newline = rest.find('\n', start);
                if (!is_blank(std::string_view(rest).substr(start, newline == std::string::npos ? std::string::npos
                                                                                                : newline - start)))
                    break;
                start = newline == std::string::npos ? rest.size() : newline + 1;
            }
            rest.erase(0, start);
            if (rest.empty()) break;
            GPtr<GMimeObject> fields = parse_part(rest, quiet_options_);
            if (!fields) break;
            auto get = [&](const char* name) {
                const char* value = g_mime_object_get_header(fields.get(), name);
                return value == nullptr ? std::string() : make_valid_utf8(value);
            };
            groups.push_back(Group{get("Final-Recipient"), get("Original-Recipient"), get("Action"), get("Status"),
                                   get("Diagnostic-Code")});
            if (!GMIME_IS_PART(fields.get())) break;
            std::string next =
                decode_content(GMIME_PART(fields.get()), limits_.max_attachment_bytes, OverLimit::KeepPrefix).data;
            if (next.size() >= rest.size()) break;
            rest = std::move(next);
        }
        const Group* chosen = nullptr;
        for (const Group& group : groups) {
            if (group.final_recipient.empty() && group.original_recipient.empty() && group.action.empty()) continue;
            if (chosen == nullptr) chosen = &group;
            if (lower(first_token(group.action)) == "failed") {
                chosen = &group;
                break;
            }
        }
        status_found_ = true;
        if (chosen == nullptr) {
            problems_.add("delivery status report without recipient fields");
            return;
        }
        const std::string& recipient =
            chosen->final_recipient.empty() ? chosen->original_recipient : chosen->final_recipient;
        report_.recipient = core::ascii_lower(strip_angles(after_type(recipient)));
        report_.action = lower(first_token(chosen->action));
        report_.status = first_token(chosen->status);
        report_.diagnostic = after_type(chosen->diagnostic);
    }

    void walk_leaf(GMimePart* part, Mode mode, Placement placement)
    {
        const std::string type = mime_type_of(GMIME_OBJECT(part));
        if (is_body_text(part, type)) {
            if (mode == Mode::Body) add_body(part, type);
            return;  // an alternative's other renderings are not attachments
        }
        add_attachment(part, type, placement);
    }

    std::string text_of(GMimePart* part, const std::string& type)
    {
        DecodedContent content = decode_content(part, limits_.max_attachment_bytes, OverLimit::KeepPrefix);
        if (content.over_limit) {
            problems_.add(type + " body is " + std::to_string(content.size) + " bytes; only the first " +
                          std::to_string(limits_.max_attachment_bytes) + " are kept");
        }
        if (content.incomplete) problems_.add(type + " body is truncated (incomplete base64)");
        const char* declared = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
        std::string charset = declared == nullptr ? std::string() : core::trim(declared);
        if (charset.empty() && type == "text/html") charset = html_meta_charset(content.data);
        return normalize_newlines(to_utf8(content.data, charset, type));
    }

    std::string to_utf8(const std::string& bytes, const std::string& declared, const std::string& type)
    {
        const bool is_ascii = std::all_of(bytes.begin(), bytes.end(), [](char c) { return (c & 0x80) == 0; });
        const std::string charset = effective_charset(declared);
        if (declared.empty() || charset == "utf-8") {
            if (core::is_valid_utf8(bytes)) return make_valid_utf8(bytes);
            problems_.add(declared.empty() ? type + " body has no charset and is not UTF-8; read as windows-1252"
                                           : type + " body is not valid UTF-8 as declared; read as windows-1252");
            return make_valid_utf8(convert_to_utf8(bytes, "windows-1252").value_or(bytes));
        }
        // Mail labelled US-ASCII that carries 8-bit bytes is usually UTF-8.
        if (charset == "windows-1252" && !is_ascii && lower(declared).find("ascii") != std::string::npos &&
            core::is_valid_utf8(bytes))
            return bytes;
        if (!charset.empty()) {
            if (std::optional<std::string> converted = convert_to_utf8(bytes, charset)) {
                return make_valid_utf8(*converted);
            }
        }
        std::string shown = make_valid_utf8(declared);
        truncate_utf8(shown, 40);
        if (core::is_valid_utf8(bytes)) {
            problems_.add("unknown charset '" + shown + "'; read as UTF-8");
            return make_valid_utf8(bytes);
        }
        problems_.add("unknown charset '" + shown + "'; read as windows-1252");
        return make_valid_utf8(convert_to_utf8(bytes, "windows-1252").value_or(bytes));
    }

    void add_body(GMimePart* part, const std::string& type)
    {
        std::string text = text_of(part, type);
        if (type == "text/html") {
            segments_.push_back(Segment{html_to_text(text), true});
            return;
        }
        const char* format = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "format");
        if (format != nullptr && lower(format) == "flowed") {
            const char* delsp = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "delsp");
            text = unflow(text, delsp != nullptr && lower(delsp) == "yes");
        }
        segments_.push_back(Segment{std::move(text), false});
    }

    std::string default_name(const std::string& type) const
    {
        return "attachment-" + std::to_string(email_.attachments.size() + 1) + extension_for(type);
    }

    void add_attachment(GMimePart* part, const std::string& type, Placement placement)
    {
        Attachment attachment;
        attachment.content_type = type;
        const char* filename = g_mime_part_get_filename(part);
        attachment.filename = filename == nullptr ? std::string() : sanitize_filename(filename);
        if (attachment.filename.empty()) attachment.filename = default_name(type);

        DecodedContent content = decode_content(part, limits_.max_attachment_bytes, OverLimit::DropData);
        attachment.size = content.size;
        if (content.over_limit) {
            problems_.add("attachment '" + attachment.filename + "' is " + std::to_string(content.size) +
                          " bytes, over the " + std::to_string(limits_.max_attachment_bytes) +
                          "-byte limit; its content was dropped");
        } else {
            attachment.data = std::move(content.data);
            attachment.sha256_hex = sha256_hex(attachment.data);
        }
        if (content.incomplete) {
            problems_.add("attachment '" + attachment.filename + "' is truncated (incomplete base64)");
        }
        const std::string disposition = disposition_of(GMIME_OBJECT(part));
        const char* content_id = g_mime_object_get_content_id(GMIME_OBJECT(part));
        attachment.is_inline = content_id != nullptr && *content_id != '\0' && disposition != "attachment" &&
                               (disposition == "inline" || placement == Placement::Related);
        email_.attachments.push_back(std::move(attachment));
    }

    // A forwarded or attached message (message/rfc822) is kept whole as an .eml attachment.
    void add_message_attachment(GMimeMessagePart* part)
    {
        GMimeObject* object = GMIME_OBJECT(part);
        Attachment attachment;
        attachment.content_type = mime_type_of(object);
        const char* filename = g_mime_object_get_content_disposition_parameter(object, "filename");
        if (filename == nullptr) filename = g_mime_object_get_content_type_parameter(object, "name");
        attachment.filename = filename == nullptr ? std::string() : sanitize_filename(filename);
        if (attachment.filename.empty()) attachment.filename = default_name("message/rfc822");
        GMimeMessage* message = g_mime_message_part_get_message(part);
        if (message != nullptr) {
            GPtr<GMimeStream> sink(g_mime_stream_mem_new());
            g_mime_object_write_to_stream(GMIME_OBJECT(message), nullptr, sink.get());
            std::string data = bytes_of(sink.get());
            attachment.size = data.size();
            if (data.size() > limits_.max_attachment_bytes) {
                problems_.add("attachment '" + attachment.filename + "' is " + std::to_string(data.size()) +
                              " bytes, over the " + std::to_string(limits_.max_attachment_bytes) +
                              "-byte limit; its content was dropped");
            } else {
                attachment.data = std::move(data);
                attachment.sha256_hex = sha256_hex(attachment.data);
            }
        }
        email_.attachments.push_back(std::move(attachment));
    }

    ParsedEmail& email_;
    const ParseLimits& limits_;
    GMimeParserOptions* quiet_options_;
    Problems& problems_;
    std::vector<Segment> segments_;
    DeliveryReport report_;
    bool status_found_ = false;
    std::string original_message_id_;
};

// ---------------------------------------------------------------------------------------------------------
// Quoted-reply detection.

// "On … wrote:" and its translations, possibly wrapped over up to three lines; returns the number of lines
// the attribution spans (0 when line `i` does not start one).
std::size_t attribution_span(const std::vector<std::string_view>& lines, std::size_t i)
{
    struct Pattern {
        std::string_view start;
        std::string_view end;
    };
    static constexpr std::array kPatterns{
        Pattern{"On ", "wrote:"},   Pattern{"Am ", ":"},         Pattern{"Le ", "crit :"},
        Pattern{"Le ", "crit:"},    Pattern{"El ", "escribió:"}, Pattern{"Op ", "geschreven:"},
        Pattern{"Op ", "schreef:"}, Pattern{"Il ", "scritto:"},  Pattern{"Em ", "escreveu:"},
    };
    const std::string_view first = trim_view(lines[i]);
    std::string joined;
    for (std::size_t span = 1; span <= 3 && i + span - 1 < lines.size(); ++span) {
        if (span > 1) joined += ' ';
        joined += trim_view(lines[i + span - 1]);
        if (joined.size() > 400) break;
        for (const Pattern& pattern : kPatterns) {
            if (!first.starts_with(pattern.start) || !ends_with(joined, pattern.end)) continue;
            if (pattern.start == "Am " && joined.find("schrieb") == std::string::npos) continue;
            // Real attributions carry a date or an address; "On Monday my colleague wrote:" does not.
            const bool has_digit = std::any_of(joined.begin(), joined.end(),
                                               [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
            if (has_digit || joined.find('@') != std::string::npos) return span;
        }
    }
    return 0;
}

std::string_view without_emphasis(std::string_view line)
{
    line = trim_view(line);
    while (!line.empty() && (line.front() == '*' || line.front() == '_'))
        line.remove_prefix(1);
    return line;
}

bool is_field(std::string_view line, std::initializer_list<std::string_view> names)
{
    line = without_emphasis(line);
    for (std::string_view name : names) {
        if (!starts_with_nocase(line, name)) continue;
        std::string_view rest = line.substr(name.size());
        while (!rest.empty() && (rest.front() == '*' || rest.front() == ' '))
            rest.remove_prefix(1);
        if (!rest.empty() && rest.front() == ':') return true;
    }
    return false;
}

bool is_original_message_separator(std::string_view line)
{
    line = trim_view(line);
    if (!line.starts_with("--")) return false;
    static constexpr std::array kPhrases{
        std::string_view{"original message"},        std::string_view{"original-nachricht"},
        std::string_view{"ursprüngliche nachricht"}, std::string_view{"message d'origine"},
        std::string_view{"mensaje original"},        std::string_view{"messaggio originale"},
        std::string_view{"oorspronkelijk bericht"},
    };
    for (std::string_view phrase : kPhrases) {
        if (contains_nocase(line, phrase)) return true;
    }
    return false;
}

// "From: … Sent: … To: … Subject: …" as Outlook writes above the quoted message.
bool is_outlook_header_block(const std::vector<std::string_view>& lines, std::size_t i)
{
    if (!is_field(lines[i], {"From", "Von", "De", "Van"})) return false;
    const std::string_view first = lines[i];
    if (contains_nocase(first, " Sent:") && (contains_nocase(first, " To:") || contains_nocase(first, " Subject:")))
        return true;
    bool sent = false;
    bool to_or_subject = false;
    for (std::size_t j = i + 1; j < lines.size() && j <= i + 6; ++j) {
        if (is_field(lines[j], {"Sent", "Date", "Gesendet", "Datum", "Envoyé", "Enviado", "Verzonden"})) sent = true;
        if (is_field(lines[j],
                     {"To", "Subject", "An", "Betreff", "À", "Objet", "Para", "Asunto", "Aan", "Onderwerp", "Cc"}))
            to_or_subject = true;
    }
    return sent && to_or_subject;
}

bool is_outlook_rule(std::string_view line)
{
    line = trim_view(line);
    return line.size() >= 10 && std::all_of(line.begin(), line.end(), [](char c) { return c == '_'; });
}

bool is_mobile_signature(std::string_view line)
{
    line = trim_view(line);
    return line.starts_with("Sent from my ") || line.starts_with("Get Outlook for ") ||
           line.starts_with("Von meinem ") || line.starts_with("Envoyé de mon ");
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------

void init_gmime()
{
    std::call_once(g_init_once, [] {
        g_mime_init();
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    });
}

core::Result<ParsedEmail> parse_email(std::string_view raw, const ParseLimits& limits)
{
    init_gmime();
    if (is_blank(raw)) return core::Error::invalid("The message is empty.");

    // An mbox "From " separator line is not part of the message.
    if (raw.starts_with("From ")) {
        const std::size_t newline = raw.find('\n');
        raw.remove_prefix(newline == std::string_view::npos ? raw.size() : newline + 1);
    }

    ParsedEmail email;
    Problems problems(email.problems);
    const auto options = make_options(&problems);
    GPtr<GMimeMessage> message = parse_message(raw, options.get());
    if (!message || g_mime_header_list_get_count(g_mime_object_get_header_list(GMIME_OBJECT(message.get()))) == 0) {
        return core::Error::invalid("The input is not an email: it has no header block.");
    }
    Headers headers(GMIME_OBJECT(message.get()), options.get(), limits.max_header_bytes);
    headers.check_sizes(problems);

    if (const auto id = headers.raw("Message-ID")) {
        email.message_id = make_valid_utf8(from_gchar(g_mime_utils_decode_message_id(id->c_str())));
        if (email.message_id.empty()) email.message_id = strip_angles(make_valid_utf8(collapse_spaces(*id)));
    }
    if (const auto parents = headers.message_ids("In-Reply-To"); !parents.empty()) email.in_reply_to = parents.front();
    email.references = headers.message_ids("References");

    std::vector<Address> from = headers.addresses("From");
    if (from.empty()) from = headers.addresses("Sender");
    if (!from.empty()) email.from = from.front();
    if (std::vector<Address> reply_to = headers.addresses("Reply-To"); !reply_to.empty())
        email.reply_to = reply_to.front();
    email.to = headers.addresses("To");
    email.cc = headers.addresses("Cc");
    email.subject = headers.text("Subject");

    if (const auto date = headers.raw("Date")) {
        const std::string value = core::trim(*date);
        std::unique_ptr<GDateTime, DateTimeDeleter> parsed(g_mime_utils_header_decode_date(value.c_str()));
        if (parsed) {
            email.date = core::from_unix_ms(g_date_time_to_unix(parsed.get()) * 1000);
        } else {
            std::string shown = make_valid_utf8(value);
            truncate_utf8(shown, 80);
            problems.add("Date header '" + shown + "' is not a date");
        }
    }

    email.auto_submitted = core::ascii_lower(headers.text("Auto-Submitted"));
    email.precedence = core::ascii_lower(headers.text("Precedence"));
    email.has_list_id = headers.raw("List-Id").has_value();
    email.x_loop = headers.text("X-Loop");

    const auto quiet_options = make_options(nullptr);
    Walker walker(email, limits, quiet_options.get(), problems);
    walker.walk(g_mime_message_get_mime_part(message.get()), Mode::Body, Placement::Normal, 0);
    walker.finish();

    message.reset();  // GMime objects go before the options their parser used
    return email;
}

bool is_automatic(const ParsedEmail& email)
{
    if (email.report) return true;
    const std::string auto_submitted = first_token(email.auto_submitted);
    if (!auto_submitted.empty() && auto_submitted != "no") return true;
    const std::string precedence = first_token(email.precedence);
    if (precedence == "bulk" || precedence == "list" || precedence == "junk" || precedence == "auto_reply") return true;
    if (email.has_list_id) return true;
    const std::string address = core::ascii_lower(email.from.email);
    const std::string local = address.substr(0, address.find('@'));
    if (local == "mailer-daemon" || local == "postmaster" || local == "mail-daemon") return true;
    static constexpr std::array kNoReply{
        std::string_view{"no-reply"},     std::string_view{"noreply"},    std::string_view{"no_reply"},
        std::string_view{"do-not-reply"}, std::string_view{"donotreply"}, std::string_view{"do_not_reply"},
    };
    for (std::string_view prefix : kNoReply) {
        if (local.starts_with(prefix)) return true;
    }
    return false;
}

std::string strip_quoted_reply(std::string_view text)
{
    const std::vector<std::string_view> lines = split_lines(text);
    std::vector<bool> removed(lines.size(), false);
    std::size_t cut = lines.size();

    for (std::size_t i = 0; i < lines.size() && i < cut; ++i) {
        const std::string_view line = lines[i];
        if (line.starts_with('>')) continue;
        if (line == "-- " || line == "--") {
            cut = i;
            break;
        }
        if (is_original_message_separator(line) || is_outlook_header_block(lines, i)) {
            cut = i;
            break;
        }
        if (is_outlook_rule(line)) {
            std::size_t next = i + 1;
            while (next < lines.size() && is_blank(lines[next]))
                ++next;
            if (next < lines.size() && is_outlook_header_block(lines, next)) {
                cut = i;
                break;
            }
        }
        if (const std::size_t span = attribution_span(lines, i); span > 0) {
            std::size_t next = i + span;
            while (next < lines.size() && is_blank(lines[next]))
                ++next;
            if (next < lines.size() && lines[next].starts_with('>')) {
                // Marked-up quote: drop the attribution, the '>' lines go below, the reply may continue after.
                for (std::size_t j = i; j < i + span; ++j)
                    removed[j] = true;
                i += span - 1;
                continue;
            }
            cut = i;
            break;
        }
    }

    std::vector<std::string_view> kept;
    for (std::size_t i = 0; i < cut; ++i) {
        if (removed[i] || lines[i].starts_with('>')) continue;
        if (is_blank(lines[i]) && (kept.empty() || is_blank(kept.back()))) continue;
        kept.push_back(lines[i]);
    }
    while (!kept.empty() && is_blank(kept.back()))
        kept.pop_back();
    if (!kept.empty() && kept.size() > 1 && is_mobile_signature(kept.back())) {
        kept.pop_back();
        while (!kept.empty() && is_blank(kept.back()))
            kept.pop_back();
    }
    if (kept.empty()) return std::string(text);
    std::string out;
    for (std::string_view line : kept) {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        out.append(line);
        out += '\n';
    }
    out.pop_back();
    return out;
}

std::string html_to_text(std::string_view html)
{
    TextWriter writer;
    int quote_depth = 0;
    int pre_depth = 0;
    bool first_cell = true;
    std::string link;
    std::size_t link_start = 0;

    std::size_t i = 0;
    while (i < html.size()) {
        const char c = html[i];
        if (c != '<') {
            const std::size_t next = html.find('<', i);
            const std::size_t end = next == std::string_view::npos ? html.size() : next;
            writer.text(decode_entities(html.substr(i, end - i)), pre_depth > 0);
            i = end;
            continue;
        }
        const std::string_view rest = html.substr(i);
        if (rest.starts_with("<!--")) {
            const std::size_t end = html.find("-->", i + 4);
            i = end == std::string_view::npos ? html.size() : end + 3;
            continue;
        }
        if (rest.starts_with("<!") || rest.starts_with("<?")) {
            const std::size_t end = html.find('>', i);
            i = end == std::string_view::npos ? html.size() : end + 1;
            continue;
        }
        std::size_t j = i + 1;
        const bool closing = j < html.size() && html[j] == '/';
        if (closing) ++j;
        const std::size_t name_start = j;
        while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == ':'))
            ++j;
        if (j == name_start || !std::isalpha(static_cast<unsigned char>(html[name_start]))) {
            writer.text("<", pre_depth > 0);  // a literal '<' in text
            ++i;
            continue;
        }
        const std::string name = lower(html.substr(name_start, j - name_start));
        // The tag ends at the first '>' outside a quoted attribute value.
        std::size_t end = j;
        char quote = 0;
        while (end < html.size()) {
            const char d = html[end];
            if (quote != 0) {
                if (d == quote) quote = 0;
            } else if (d == '"' || d == '\'') {
                quote = d;
            } else if (d == '>') {
                break;
            }
            ++end;
        }
        const std::string_view attributes = html.substr(j, std::min(end, html.size()) - j);
        i = end >= html.size() ? html.size() : end + 1;

        if (!closing && is_one_of(name, {"script", "style", "title", "template", "xml"})) {
            // Skip to the matching close tag.
            const std::string close = "</" + name;
            std::size_t k = i;
            while (k < html.size() && !starts_with_nocase(html.substr(k), close)) {
                k = html.find('<', k + 1);
                if (k == std::string_view::npos) k = html.size();
            }
            const std::size_t after = html.find('>', k);
            i = after == std::string_view::npos ? html.size() : after + 1;
            continue;
        }

        if (name == "br") {
            writer.hard_break();
        } else if (is_one_of(name, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "dl", "hr"})) {
            writer.line_break(2);
        } else if (name == "pre") {
            writer.line_break(2);
            pre_depth = std::max(0, pre_depth + (closing ? -1 : 1));
        } else if (name == "blockquote") {
            writer.line_break(1);
            quote_depth = std::max(0, quote_depth + (closing ? -1 : 1));
            writer.set_quote_depth(quote_depth);
        } else if (name == "li") {
            writer.line_break(1);
            if (!closing) writer.text("- ", true);
        } else if (name == "tr") {
            writer.line_break(1);
            first_cell = true;
        } else if (name == "td" || name == "th") {
            if (!closing) {
                if (!first_cell) writer.space();
                first_cell = false;
            }
        } else if (is_one_of(name,
                             {"div", "dt", "dd", "section", "article", "header", "footer", "nav", "aside", "address",
                              "center", "form", "fieldset", "figure", "figcaption", "main", "caption", "body"})) {
            writer.line_break(1);
        } else if (name == "img" && !closing) {
            const std::string alt = core::trim(attribute(attributes, "alt"));
            if (!alt.empty()) {
                writer.space();
                writer.text("[image: " + collapse_spaces(alt) + "]", false);
                writer.space();
            }
        } else if (name == "a") {
            if (!closing) {
                link = core::trim(attribute(attributes, "href"));
                link_start = writer.position();
            } else if (!link.empty()) {
                const std::string shown = core::trim(writer.since(link_start));
                const bool web = starts_with_nocase(link, "http://") || starts_with_nocase(link, "https://");
                std::string_view bare = link;
                if (const std::size_t scheme = bare.find("://"); scheme != std::string_view::npos)
                    bare.remove_prefix(scheme + 3);
                if (web && !shown.empty() && shown != link && shown != bare && link.size() <= 300 &&
                    link.find_first_of(" \t\r\n") == std::string::npos) {
                    writer.text(" (" + link + ")", false);
                }
                link.clear();
            }
        }
    }
    return make_valid_utf8(writer.finish());
}

}  // namespace lifeline::intake::email
