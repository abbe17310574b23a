#include "importer/connector_schema.hpp"

#include <spdlog/spdlog.h>

#include <cstddef>
#include <idsync/sdk.hpp>

#include "common/diag_collector.hpp"
#include "store/cs_object.hpp"

namespace idsync::importer {

namespace {

std::string text(idsync_str s) { return s.len ? std::string(s.ptr, s.len) : std::string(); }

// The host's idsync_schema_sink: takes the SECRET names of each object type reported.
class SecretsSink {
 public:
  explicit SecretsSink(SchemaSecrets& out) : out_(out) {
    sink_ = idsync_schema_sink{sizeof(idsync_schema_sink), this, &SecretsSink::on_object_type};
  }
  const idsync_schema_sink* get() const { return &sink_; }

 private:
  static idsync_status on_object_type(void* ctx, const idsync_object_type_info* info) {
    auto* self = static_cast<SecretsSink*>(ctx);
    // ABI rule 2: read only fields that lie within struct_size.
    if (!info || info->struct_size < offsetof(idsync_object_type_info, attribute_count) +
                                         sizeof(info->attribute_count)) {
      self->out_.problems.push_back("an object type struct smaller than ABI minor 0 (skipped)");
      return IDSYNC_OK;
    }
    const std::string type = text(info->name);
    for (size_t i = 0; i < info->attribute_count; ++i) {
      const idsync_attr_info* a = info->attributes ? info->attributes[i] : nullptr;
      if (!a || a->struct_size < offsetof(idsync_attr_info, flags) + sizeof(a->flags)) {
        self->out_.problems.push_back("object type \"" + type +
                                      "\": an attribute struct smaller than ABI minor 0 (skipped)");
        continue;
      }
      // Bits this host does not know are ignored (ABI rule 1).
      const std::string name = text(a->name);
      constexpr uint32_t kNotInAdds = IDSYNC_ATTRINFO_READONLY | IDSYNC_ATTRINFO_SECRET;
      if ((a->flags & IDSYNC_ATTRINFO_ANCHOR_FROM_ADD) && !(a->flags & kNotInAdds) &&
          store::iequals(name, text(info->anchor_attribute)))
        self->out_.add_named_anchors.emplace_back(type, name);
      if (!(a->flags & IDSYNC_ATTRINFO_SECRET)) continue;
      if (a->flags & IDSYNC_ATTRINFO_READONLY)
        self->out_.problems.push_back("object type \"" + type + "\": attribute \"" + name +
                                      "\" is both READONLY and SECRET; taken as SECRET");
      self->out_.names.push_back(name);
    }
    return IDSYNC_OK;
  }

  SchemaSecrets& out_;
  idsync_schema_sink sink_;
};

}  // namespace

bool read_schema_secrets(const idsync_connector_type& type, idsync_connector* instance,
                         const std::string& connector_name, SchemaSecrets& out,
                         std::string& error) {
  if (!type.get_schema) {
    error = "the connector type has no get_schema hook";
    return false;
  }
  SecretsSink sink(out);
  common::DiagCollector diag(connector_name);
  const idsync_status status = type.get_schema(instance, sink.get(), diag.diag());
  if (status != IDSYNC_OK) {
    error =
        diag.has_error() ? diag.error_message() : "get_schema returned " + sdk::status_name(status);
    return false;
  }
  return true;
}

store::SecretAttributes refresh_secret_attributes(store::Store& store, uint32_t connector_id,
                                                  const std::string& connector_name,
                                                  const idsync_connector_type& type,
                                                  idsync_connector* instance) {
  SchemaSecrets read;
  std::string error;
  if (!read_schema_secrets(type, instance, connector_name, read, error)) {
    store::SecretAttributes known = store::read_secret_attributes(store, connector_id);
    // A file connector exporting to a file not written yet cannot describe it either: say
    // what the step goes on with rather than only that something failed.
    if (type.get_schema)
      spdlog::warn(
          "[{}] could not read the connector's schema ({}); going on with the {} secret "
          "attribute(s) known from before",
          connector_name, error, known.names().size());
    return known;
  }
  for (const std::string& p : read.problems) spdlog::warn("[{}] schema: {}", connector_name, p);
  store::SecretAttributes secrets(read.names);
  write_secret_attributes(store, connector_id, secrets);
  write_add_named_anchors(store, connector_id,
                          store::AddNamedAnchors(std::move(read.add_named_anchors)));
  return secrets;
}

}  // namespace idsync::importer
