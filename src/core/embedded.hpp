// Files compiled into the binary (migrations, templates, static assets); see cmake/embed.cmake.
#pragma once

#include <span>
#include <string_view>

namespace lifeline::core {

struct EmbeddedFile {
    std::string_view path;   // relative to the folder it was embedded from
    std::string_view data;
};

}  // namespace lifeline::core
