# Outbound SMS/voice through Twilio's REST API (twilio.cpp) and signed JSON webhooks (webhook.cpp), both one blocking
# libcurl POST per message. Included from src/notify/CMakeLists.txt, so paths are relative to this file
# (CMAKE_CURRENT_LIST_DIR), not to the including folder.
if(NOT TARGET OpenSSL::Crypto)
  find_package(OpenSSL REQUIRED)
endif()
lifeline_library(lifeline_notify_provider
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/twilio.cpp ${CMAKE_CURRENT_LIST_DIR}/webhook.cpp
  DEPS lifeline_core lifeline_curl Boost::json PkgConfig::SODIUM OpenSSL::Crypto)
