# The LMTP listener (RFC 2033) that Postfix's lmtp: transport delivers to; see lmtp_server.hpp.
lifeline_library(lifeline_lmtp SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lmtp_server.cpp DEPS lifeline_core lifeline_asio spdlog::spdlog)
