#include "schema_discovery.hpp"

#include <algorithm>

#include "record_reader.hpp"

namespace idsync::file {
namespace {

idsync_value_type merge(idsync_value_type a, idsync_value_type b) {
  if (a == b) return a;
  if (a == IDSYNC_VALUE_BINARY || b == IDSYNC_VALUE_BINARY) return IDSYNC_VALUE_BINARY;
  return IDSYNC_VALUE_STRING;
}

}  // namespace

DiscoveredSchema::DiscoveredSchema(const FormatOptions& options)
    : case_insensitive_(options.format == Format::ldif), ldif_(options.format == Format::ldif) {}

const DiscoveredAttribute* DiscoveredSchema::find(std::string_view name) const {
  key_.assign(name);
  if (case_insensitive_)
    for (char& c : key_)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  const auto it = index_.find(key_);
  return it == index_.end() ? nullptr : &attributes_[it->second];
}

void DiscoveredSchema::add(const Record& record) {
  if (std::find(object_types_.begin(), object_types_.end(), record.object_type) ==
      object_types_.end())
    object_types_.emplace_back(record.object_type);
  for (const Attribute& a : record.attributes()) {
    const bool multi = ldif_ || a.values.size() > 1;
    if (const DiscoveredAttribute* found = find(a.name)) {
      auto& d = attributes_[static_cast<std::size_t>(found - attributes_.data())];
      d.type = merge(d.type, a.type);
      d.multivalued = d.multivalued || multi;
      continue;
    }
    index_.emplace(key_, attributes_.size());  // key_ holds the normalized name from find()
    attributes_.push_back(DiscoveredAttribute{std::string(a.name), a.type, multi});
  }
}

void DiscoveredSchema::declare(std::string_view name) {
  if (find(name)) return;
  index_.emplace(key_, attributes_.size());
  attributes_.push_back(DiscoveredAttribute{std::string(name), IDSYNC_VALUE_STRING, true});
}

void DiscoveredSchema::restore(const DiscoveredAttribute& attribute) {
  if (find(attribute.name)) return;
  index_.emplace(key_, attributes_.size());
  attributes_.push_back(attribute);
}

void DiscoveredSchema::restore_object_type(std::string_view object_type) {
  if (std::find(object_types_.begin(), object_types_.end(), object_type) == object_types_.end())
    object_types_.emplace_back(object_type);
}

void DiscoveredSchema::coerce(Record& record) const {
  for (Attribute& a : record.attributes()) {
    const DiscoveredAttribute* d = find(a.name);
    if (d == nullptr || d->type == a.type) continue;
    const bool widen = d->type == IDSYNC_VALUE_BINARY ||
                       (d->type == IDSYNC_VALUE_STRING &&
                        (a.type == IDSYNC_VALUE_INTEGER || a.type == IDSYNC_VALUE_BOOLEAN));
    if (widen) a.type = d->type;
  }
}

DiscoveredSchema discover_schema(const InputFile& file, const FormatOptions& options,
                                 const std::function<void()>& poll) {
  DiscoveredSchema schema(options);
  auto reader = make_reader(file, options, ReadMode{});
  Record record;
  uint64_t n = 0;
  while (reader->next(record)) {
    if (poll && (++n & 1023) == 0) poll();
    schema.add(record);
  }
  for (const std::string& a : options.attributes) schema.declare(a);
  return schema;
}

}  // namespace idsync::file
