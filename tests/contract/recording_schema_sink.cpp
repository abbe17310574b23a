#include "contract/recording_schema_sink.hpp"

#include "contract/abi_struct.hpp"
#include "contract/text.hpp"

namespace idsync::contract {

const SchemaAttr* SchemaObjectType::find(const std::string& attribute) const {
  for (const SchemaAttr& a : attributes)
    if (a.name == attribute) return &a;
  return nullptr;
}

RecordingSchemaSink::RecordingSchemaSink()
    : sink_{sizeof(idsync_schema_sink), this, &RecordingSchemaSink::on_object_type} {}

const SchemaObjectType* RecordingSchemaSink::find(const std::string& object_type) const {
  for (const SchemaObjectType& t : types_)
    if (t.name == object_type) return &t;
  return nullptr;
}

idsync_status RecordingSchemaSink::on_object_type(void* ctx, const idsync_object_type_info* p) {
  auto* self = static_cast<RecordingSchemaSink*>(ctx);
  const std::string which = "object type #" + std::to_string(self->types_.size() + 1);
  std::string problem;
  const auto info = read_struct(p, "object type info", problem);
  if (!info) {
    self->violations_.push_back(which + ": " + problem);
    return IDSYNC_ERROR;
  }
  SchemaObjectType t;
  t.name = std::string(view(info->name));
  t.anchor_attribute = std::string(view(info->anchor_attribute));
  if (info->attribute_count > 0 && info->attributes == nullptr) {
    self->violations_.push_back(which + " (" + t.name + "): attribute_count " +
                                std::to_string(info->attribute_count) + " with attributes == NULL");
    return IDSYNC_ERROR;
  }
  for (std::size_t i = 0; i < info->attribute_count; ++i) {
    const auto attr = read_struct(info->attributes[i], "attribute info", problem);
    if (!attr) {
      self->violations_.push_back(which + " (" + t.name + ") attribute #" + std::to_string(i) +
                                  ": " + problem);
      return IDSYNC_ERROR;
    }
    t.attributes.push_back(SchemaAttr{std::string(view(attr->name)), attr->type, attr->flags});
  }
  self->types_.push_back(std::move(t));
  return IDSYNC_OK;
}

}  // namespace idsync::contract
