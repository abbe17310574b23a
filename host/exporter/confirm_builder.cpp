#include "exporter/confirm_builder.hpp"

#include <algorithm>

namespace idsync::exporter {

namespace {

store::Attribute* find_attr(std::vector<store::Attribute>& attrs, std::string_view name) {
  for (auto& a : attrs)
    if (store::iequals(a.name, name)) return &a;
  return nullptr;
}

void sort_attrs(std::vector<store::Attribute>& attrs) {
  // Canonical order, but unlike store::canonicalize an empty attribute stays: it says "cleared".
  std::stable_sort(attrs.begin(), attrs.end(),
                   [](const auto& a, const auto& b) { return store::iless(a.name, b.name); });
}

}  // namespace

store::ExportConfirm build_confirm(const store::PendingExport& sent,
                                   const std::optional<store::CsObject>& cs_object,
                                   const std::optional<store::ExportConfirm>& earlier,
                                   const std::string& reported_dn, int64_t when_unix_ms,
                                   const store::SecretAttributes& secrets) {
  store::ExportConfirm c;
  c.when_unix_ms = when_unix_ms;
  if (sent.kind == store::ExportKind::add || sent.kind == store::ExportKind::remove_add) {
    c.dn = reported_dn.empty() ? sent.dn : reported_dn;
    for (const auto& d : sent.attributes)
      if (!secrets.contains(d.name)) c.attributes.push_back({d.name, d.type, d.values});
    sort_attrs(c.attributes);
    return c;
  }
  // An update: start from the earlier, still unconfirmed, export.
  if (earlier) {
    for (const auto& a : earlier->attributes)
      if (!secrets.contains(a.name)) c.attributes.push_back(a);
    c.dn = earlier->dn;
  }
  if (!sent.new_dn.empty()) c.dn = sent.new_dn;
  if (!reported_dn.empty()) c.dn = reported_dn;
  for (const auto& d : sent.attributes) {
    if (secrets.contains(d.name)) continue;
    store::Attribute* target = find_attr(c.attributes, d.name);
    if (!target) {
      store::Attribute base{d.name, d.type, {}};
      if (const store::Attribute* seen = cs_object ? cs_object->find(d.name) : nullptr)
        base.values = seen->values;
      c.attributes.push_back(std::move(base));
      target = &c.attributes.back();
    }
    target->type = d.type;
    auto& values = target->values;
    switch (d.op) {
      case store::ValueOp::replace:
        values = d.values;
        break;
      case store::ValueOp::add:
        for (const auto& v : d.values)
          if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
        break;
      case store::ValueOp::remove:
        for (const auto& v : d.values) std::erase(values, v);
        break;
    }
  }
  sort_attrs(c.attributes);
  return c;
}

}  // namespace idsync::exporter
