# Outbound email: composing with GMime (compose.cpp) and handing off to an SMTP relay with libcurl (smtp_sender.cpp).
# Included from src/notify/CMakeLists.txt, so paths are relative to this file (CMAKE_CURRENT_LIST_DIR), not to the
# including folder.
lifeline_library(lifeline_notify_email
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/smtp_sender.cpp ${CMAKE_CURRENT_LIST_DIR}/compose.cpp
  DEPS lifeline_core lifeline_curl PkgConfig::GMIME PkgConfig::SODIUM)
