/* The ABI header must compile as strict C99: plugins may be written in C by any compiler. */
#include <idsync/plugin_abi.h>

/* Every public type is usable from C. */
static idsync_status entry(const idsync_host_info* host, const idsync_plugin_info** out) {
  (void)host;
  (void)out;
  return IDSYNC_INCOMPATIBLE;
}

int main(void) {
  idsync_plugin_entry_v1_fn fn = entry;
  idsync_object_header header = {
      sizeof(idsync_object_header), IDSYNC_CHANGE_STATE, {0, 0}, {0, 0}, {0, 0}, {0, 0}};
  idsync_connector_type type = {0};
  idsync_rule_type rules = {0};
  (void)header;
  (void)type;
  (void)rules;
  return fn(0, 0) == IDSYNC_INCOMPATIBLE ? 0 : 1;
}
