#include "import_checkpoint.hpp"

#include <boost/json.hpp>
#include <idsync/sdk.hpp>

namespace idsync::msgraph {

namespace {

sdk::Error not_ours() {
  return sdk::Error(IDSYNC_ERR_PRECONDITION,
                    "the import checkpoint is not one of this connector: start the import over",
                    IDSYNC_ERROR);
}

}  // namespace

std::string ImportCheckpoint::encode() const {
  return boost::json::serialize(
      boost::json::object{{"v", 1}, {"type", type}, {"next", next}, {"carry", carry}});
}

ImportCheckpoint ImportCheckpoint::decode(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) throw not_ours();
  const boost::json::object& o = v.get_object();
  ImportCheckpoint c;
  for (auto [name, field] :
       {std::pair{"type", &c.type}, std::pair{"next", &c.next}, std::pair{"carry", &c.carry}}) {
    const auto* f = o.if_contains(name);
    if (f == nullptr || !f->is_string()) throw not_ours();
    *field = std::string(f->get_string());
  }
  return c;
}

}  // namespace idsync::msgraph
