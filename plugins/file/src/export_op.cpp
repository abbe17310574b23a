#include "export_op.hpp"

#include <algorithm>
#include <random>

#include "object_writer.hpp"
#include "source_error.hpp"

namespace idsync::file {

// The anchor an operation applies to, after checking the operation; empty, with the failure
// in `r`, when it cannot be applied. An ADD without an anchor takes the anchor attribute it
// carries (exactly one value: the sync rules computed it), else a new UUID; where the DN is
// the anchor, its DN.
std::string op_anchor(const sdk::ExportOp& op, const FormatOptions& o, ExportResult& r) {
  auto fail = [&](std::string message) {
    r.fail(IDSYNC_ERR_INVALID_VALUE, std::move(message));
    return std::string();
  };
  if (op.kind != IDSYNC_EXPORT_ADD && op.kind != IDSYNC_EXPORT_UPDATE &&
      op.kind != IDSYNC_EXPORT_DELETE)
    return fail("unknown export operation kind " + std::to_string(op.kind));
  if (std::any_of(op.attributes.begin(), op.attributes.end(),
                  [](const sdk::AttrView& a) { return a.name.empty(); }))
    return fail("an attribute of the operation has no name");
  std::string anchor(op.anchor);
  if (anchor.empty() && op.kind == IDSYNC_EXPORT_ADD) {
    if (!o.anchor_is_dn()) {
      for (const sdk::AttrView& a : op.attributes)
        if (a.op != IDSYNC_ATTR_REMOVE && a.values.size() == 1 && o.same_name(a.name, o.anchor))
          anchor = std::string(a.values[0]);
      if (anchor.empty()) anchor = new_uuid();  // only then: a random device is costly to open
    } else if (op.dn.empty()) {
      return fail("the added object has no DN, and the DN is the anchor here");
    } else {
      anchor = std::string(op.dn);
    }
  }
  if (anchor.empty()) return fail("the operation names no anchor");
  return anchor;
}

std::optional<OwnedObject> added_object(const sdk::ExportOp& op, const std::string& anchor,
                                        const FormatOptions& o, const ObjectWriter& writer,
                                        ExportResult& r) {
  auto fail = [&](std::string message) {
    r.fail(IDSYNC_ERR_INVALID_VALUE, std::move(message));
    return std::optional<OwnedObject>();
  };
  OwnedObject obj;
  obj.anchor = anchor;
  obj.dn = std::string(op.dn);
  obj.object_type = op.object_type.empty() ? o.object_type : std::string(op.object_type);
  for (const sdk::AttrView& a : op.attributes)
    if (a.op != IDSYNC_ATTR_REMOVE) apply_attribute(obj, a, o);
  if (o.anchor_is_dn()) {
    if (obj.dn.empty()) obj.dn = anchor;
    if (obj.dn != anchor)
      return fail("the DN " + quoted(obj.dn) +
                  " differs from the anchor, and the DN is the anchor here");
  } else if (const OwnedAttribute* a = obj.find(o.anchor, o)) {
    if (a->values.size() != 1 || a->values[0] != anchor)
      return fail("the values of the anchor attribute " + o.anchor + " differ from the anchor " +
                  quoted(anchor));
  } else {
    obj.attributes.insert(obj.attributes.begin(),
                          OwnedAttribute{o.anchor, IDSYNC_VALUE_STRING, {anchor}});
  }
  std::string why = writer.prepare(obj);
  if (!why.empty()) return fail(why);
  r.anchor = anchor;
  if (obj.dn != op.dn) r.dn = obj.dn;
  return obj;
}

std::string new_uuid() {
  std::random_device rd;
  unsigned char b[16];
  for (int i = 0; i < 16; i += 4) {
    const uint32_t r = rd();
    for (int k = 0; k < 4; ++k) b[i + k] = static_cast<unsigned char>(r >> (8 * k));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 15];
  }
  return out;
}

}  // namespace idsync::file
