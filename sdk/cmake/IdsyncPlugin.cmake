# idsync_add_plugin(<target> PLUGIN_JSON <file> SOURCES <src>... [OUTPUT_DIR <dir>])
#
# Builds a connector or rule plugin as a MODULE library with hidden visibility (only the entry
# symbol is exported) and places it, with its plugin.json sidecar, in <OUTPUT_DIR>/<target>/:
# the layout the idsync host discovers. Used in-tree and by vendors through
# find_package(idsync-sdk).
function(idsync_add_plugin target)
  cmake_parse_arguments(ARG "" "PLUGIN_JSON;OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_PLUGIN_JSON)
    message(FATAL_ERROR "idsync_add_plugin(${target}): PLUGIN_JSON is required")
  endif()
  if(NOT ARG_OUTPUT_DIR)
    if(DEFINED IDSYNC_PLUGIN_OUTPUT_DIR)
      set(ARG_OUTPUT_DIR ${IDSYNC_PLUGIN_OUTPUT_DIR})
    else()
      set(ARG_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/plugins)
    endif()
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE idsync::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR}/${target})
  # Catch undefined symbols at link time rather than at load time in the host.
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${ARG_PLUGIN_JSON}
            ${ARG_OUTPUT_DIR}/${target}/plugin.json
    # The host refuses plugin files writable by group or others, whatever the builder's umask.
    COMMAND chmod go-w ${ARG_OUTPUT_DIR}
    COMMAND chmod -R go-w ${ARG_OUTPUT_DIR}/${target}
    COMMENT "Placing ${target}/plugin.json")
endfunction()
