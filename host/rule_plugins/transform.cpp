#include "rule_plugins/transform.hpp"

#include <idsync/sdk.hpp>
#include <optional>

#include "rule_plugins/call_diag.hpp"
#include "rule_plugins/value_bridge.hpp"

namespace idsync::rule_plugins {

namespace {

// Receives the attributes a transform sets. Called from plugin code: never throws; the first
// problem is kept and the call refused with IDSYNC_ERROR.
struct OutputSink {
  TransformAttributes out;
  std::optional<std::string> error;

  static idsync_status attribute(void* ctx, const idsync_attr* attr) {
    auto* self = static_cast<OutputSink*>(ctx);
    if (self->error) return IDSYNC_ERROR;
    try {
      const std::string name(sdk::view(attr->name));
      if (attr->op != IDSYNC_ATTR_REPLACE) {
        self->error = "set attribute '" + name + "' with op " + std::to_string(attr->op) +
                      " (transforms may only REPLACE)";
        return IDSYNC_ERROR;
      }
      TransformAttribute a{name, {}};
      for (std::size_t i = 0; i < attr->value_count; ++i)
        a.value.push_back(decode(attr->type, sdk::view(attr->values[i])));
      self->out.push_back(std::move(a));
      return IDSYNC_OK;
    } catch (const std::exception& e) {
      self->error = "set attribute '" + std::string(sdk::view(attr->name)) +
                    "' to an invalid value: " + e.what();
    } catch (...) {
      self->error = "set an attribute the host could not store";
    }
    return IDSYNC_ERROR;
  }
};

}  // namespace

Transform::Transform(std::string name, std::string doc, std::string plugin, std::string rule_type,
                     decltype(idsync_rule_transform::apply) apply, const idsync_host_info* log_to)
    : name_(std::move(name)),
      doc_(std::move(doc)),
      plugin_(std::move(plugin)),
      rule_type_(std::move(rule_type)),
      apply_(apply),
      log_to_(log_to) {}

TransformAttributes Transform::apply(std::string_view object_type,
                                     const TransformAttributes& attributes) const {
  const std::string who = "transform '" + name_ + "' of plugin '" + plugin_ + "'";
  std::vector<AbiArgument> values;
  std::vector<idsync_attr> attrs;
  values.reserve(attributes.size());
  attrs.reserve(attributes.size());
  try {
    for (const TransformAttribute& a : attributes) {
      if (a.value.is_null()) continue;
      const idsync_value_list* list = values.emplace_back(a.value).list();
      attrs.push_back(idsync_attr{sizeof(idsync_attr), sdk::str(a.name), list->type,
                                  IDSYNC_ATTR_REPLACE, list->values, list->value_count});
    }
  } catch (const std::invalid_argument& e) {
    throw TransformError(who + ": " + e.what());
  }
  std::vector<const idsync_attr*> ptrs;
  for (const idsync_attr& a : attrs) ptrs.push_back(&a);
  const idsync_object_view view{sizeof(idsync_object_view), sdk::str(object_type), ptrs.data(),
                                ptrs.size()};

  OutputSink sink;
  const idsync_attr_sink raw{sizeof(idsync_attr_sink), &sink, &OutputSink::attribute};
  CallDiag diag(plugin_, log_to_);
  const idsync_status status = apply_(&view, &raw, diag.raw());
  // The sink's own reason beats the plugin's echo of our refusal.
  if (sink.error) throw TransformError(who + " " + *sink.error);
  if (status != IDSYNC_OK) throw TransformError(who + ": " + diag.reason(status));
  return std::move(sink.out);
}

}  // namespace idsync::rule_plugins
