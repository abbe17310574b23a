#include "importer/first_import.hpp"

#include <string>
#include <vector>

#include "store/links.hpp"

namespace idsync::importer {

void read_as_pending_add(const store::Store& store, uint32_t connector_id, bool synced_once,
                         store::CsObject& object) {
  if (synced_once || !object.first_import) return;
  const std::vector<std::optional<std::string>> found =
      store.multi_get({store::Family::link_cs, store::Family::cs_disconnector},
                      {store::Links::link_cs_key(connector_id, object.anchor),
                       store::connector_key(connector_id, object.anchor)});
  if (found[0] || found[1]) return;
  object.first_import = false;
  object.pending = store::PendingChange::add;
}

}  // namespace idsync::importer
