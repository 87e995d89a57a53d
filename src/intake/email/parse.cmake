# Inbound email parsing (parsed_email.*), built on GMime 3; attachment hashes come from libsodium.
lifeline_library(lifeline_mail_parse SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/parsed_email.cpp
  DEPS lifeline_core PkgConfig::GMIME PkgConfig::SODIUM)
