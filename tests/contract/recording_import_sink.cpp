#include "contract/recording_import_sink.hpp"

#include <cctype>
#include <set>

#include "contract/abi_struct.hpp"
#include "contract/text.hpp"
#include "contract/value_format.hpp"

namespace idsync::contract {

namespace {

// A runaway plugin (an import that never ends) must not eat the machine: past this many objects
// the sink refuses, which fails the test with a clear reason instead of hanging.
constexpr std::size_t kMaxObjects = 1'000'000;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_view(const void* ptr, std::size_t len) { return ptr != nullptr || len == 0; }

}  // namespace

RecordingImportSink::RecordingImportSink(Options options) : options_(options) {
  sink_ = idsync_import_sink{sizeof(idsync_import_sink),
                             this,
                             &RecordingImportSink::on_object_begin,
                             &RecordingImportSink::on_attribute,
                             &RecordingImportSink::on_object_end,
                             &RecordingImportSink::on_page_end,
                             &RecordingImportSink::on_import_end,
                             &RecordingImportSink::on_is_cancelled};
}

std::vector<ImportedObject> RecordingImportSink::committed() const {
  std::vector<ImportedObject> out;
  for (const ImportPage& p : pages_) out.insert(out.end(), p.objects.begin(), p.objects.end());
  out.insert(out.end(), final_page_.begin(), final_page_.end());
  return out;
}

std::string RecordingImportSink::where() const {
  const std::size_t n = objects_pushed_ + (current_ ? 1 : 0);
  std::string out = "object #" + std::to_string(n);
  if (current_) out += " (anchor " + printable(current_->anchor) + ")";
  return out;
}

idsync_status RecordingImportSink::breach(std::string message) {
  violations_.push_back(std::move(message));
  failed_ = true;
  return IDSYNC_ERROR;
}

std::optional<idsync_status> RecordingImportSink::refuse_late_call(const char* call) {
  if (failed_) {
    // The host's sink answers ERROR from the first breach on; a plugin that goes on pushing
    // ignored the status it got. Said once: the rest are consequences.
    if (!ignored_error_reported_)
      violations_.push_back(std::string(call) +
                            " called after the sink answered IDSYNC_ERROR; the plugin must "
                            "stop and return that status");
    ignored_error_reported_ = true;
    return IDSYNC_ERROR;
  }
  if (end_) return breach(std::string(call) + " called after import_end");
  if (stop_sent_) {
    violations_.push_back(std::string(call) +
                          " called after page_end answered IDSYNC_STOP; the plugin must return "
                          "IDSYNC_STOP right away");
    return IDSYNC_STOP;
  }
  return std::nullopt;
}

idsync_status RecordingImportSink::on_object_begin(void* ctx, const idsync_object_header* h) {
  auto* self = static_cast<RecordingImportSink*>(ctx);
  if (auto answer = self->refuse_late_call("object_begin")) return *answer;
  if (self->current_)
    return self->breach("object_begin inside " + self->where() + " (object_end is missing)");
  std::string problem;
  const auto header = read_struct(h, "object header", problem);
  if (!header) return self->breach("object_begin: " + problem);
  if (!valid_view(header->anchor.ptr, header->anchor.len) ||
      !valid_view(header->object_type.ptr, header->object_type.len) ||
      !valid_view(header->dn.ptr, header->dn.len) ||
      !valid_view(header->source.ptr, header->source.len))
    return self->breach("object_begin: a view with a NULL pointer and a non-zero length");

  ImportedObject o;
  o.change = header->change;
  o.object_type = std::string(view(header->object_type));
  o.anchor = std::string(view(header->anchor));
  o.dn = std::string(view(header->dn));
  const std::string what = "object #" + std::to_string(self->objects_pushed_ + 1) + " (anchor " +
                           printable(o.anchor) + ")";
  if (self->objects_pushed_ >= kMaxObjects)
    return self->breach("more than " + std::to_string(kMaxObjects) +
                        " objects pushed; the kit stops the import here");
  if (o.anchor.empty())
    return self->breach("object_begin for object #" + std::to_string(self->objects_pushed_ + 1) +
                        " (dn " + printable(o.dn) + ") has an empty anchor");
  if (o.change > IDSYNC_CHANGE_DELETE)
    return self->breach(what + " has undefined change " + std::to_string(o.change));
  if (self->options_.kind == ImportKind::full && o.change != IDSYNC_CHANGE_STATE)
    return self->breach(what + " is a " + change_name(o.change) +
                        " record, but a full import pushes IDSYNC_CHANGE_STATE records");
  if (o.object_type.empty() && o.change != IDSYNC_CHANGE_UPDATE && o.change != IDSYNC_CHANGE_DELETE)
    return self->breach(what + " has no object type");
  if (!is_valid_utf8(o.object_type) || !is_valid_utf8(o.dn))
    return self->breach(what + ": object type or dn is not valid UTF-8");
  self->current_ = std::move(o);
  return IDSYNC_OK;
}

idsync_status RecordingImportSink::on_attribute(void* ctx, const idsync_attr* a) {
  auto* self = static_cast<RecordingImportSink*>(ctx);
  if (auto answer = self->refuse_late_call("attribute")) return *answer;
  if (!self->current_)
    return self->breach("attribute pushed outside object_begin/object_end, after " + self->where());
  std::string problem;
  const auto attr = read_struct(a, "attribute", problem);
  if (!attr) return self->breach(self->where() + ": " + problem);
  if (!valid_view(attr->name.ptr, attr->name.len))
    return self->breach(self->where() + ": attribute name with a NULL pointer");
  ImportedAttr out;
  out.name = std::string(view(attr->name));
  out.type = attr->type;
  out.op = attr->op;
  const std::string what = self->where() + " attribute \"" + out.name + "\"";
  if (out.name.empty()) return self->breach(self->where() + ": attribute with an empty name");
  if (!is_valid_utf8(out.name)) return self->breach(what + ": name is not valid UTF-8");
  if (!is_known_value_type(out.type))
    return self->breach(what + " has undefined value type " + std::to_string(out.type));
  if (!is_known_attr_op(out.op))
    return self->breach(what + " has undefined op " + std::to_string(out.op));
  if (attr->value_count > 0 && attr->values == nullptr)
    return self->breach(what + ": value_count " + std::to_string(attr->value_count) +
                        " with values == NULL");
  for (std::size_t i = 0; i < attr->value_count; ++i) {
    const idsync_bytes& v = attr->values[i];
    if (!valid_view(v.ptr, v.len))
      return self->breach(what + " value " + std::to_string(i) + ": NULL pointer, length " +
                          std::to_string(v.len));
    out.values.emplace_back(view(v));
    if (auto bad = value_problem(out.type, out.values.back()))
      return self->breach(what + " (" + value_type_name(out.type) + ") value " +
                          printable(out.values.back()) + ": " + *bad);
  }
  // A record that states the whole object must not state one attribute twice: the host
  // compares names ignoring case and would apply both, so the result depends on the order.
  const idsync_change change = self->current_->change;
  if (change == IDSYNC_CHANGE_STATE || change == IDSYNC_CHANGE_ADD)
    for (const ImportedAttr& earlier : self->current_->attributes)
      if (lower(earlier.name) == lower(out.name))
        return self->breach(what + " pushed twice (names compare ignoring case)");
  self->current_->attributes.push_back(std::move(out));
  return IDSYNC_OK;
}

idsync_status RecordingImportSink::on_object_end(void* ctx) {
  auto* self = static_cast<RecordingImportSink*>(ctx);
  if (auto answer = self->refuse_late_call("object_end")) return *answer;
  if (!self->current_)
    return self->breach("object_end without object_begin, after " + self->where());
  self->open_page_.push_back(std::move(*self->current_));
  self->current_.reset();
  ++self->objects_pushed_;
  if (self->open_page_.size() == std::size_t{self->options_.page_size} + 1)
    self->violations_.push_back("page " + std::to_string(self->pages_.size() + 1) +
                                " holds more than the requested " + "page_size " +
                                std::to_string(self->options_.page_size) + " objects (at " +
                                self->where() + ")");
  return IDSYNC_OK;
}

idsync_status RecordingImportSink::on_page_end(void* ctx, idsync_bytes checkpoint) {
  auto* self = static_cast<RecordingImportSink*>(ctx);
  if (auto answer = self->refuse_late_call("page_end")) return *answer;
  if (self->current_)
    return self->breach("page_end inside " + self->where() + " (a page must hold whole objects)");
  if (!valid_view(checkpoint.ptr, checkpoint.len))
    return self->breach("page_end with a NULL checkpoint pointer and a non-zero length");
  self->pages_.push_back(ImportPage{std::move(self->open_page_), std::string(view(checkpoint))});
  self->open_page_.clear();
  if (self->options_.cancelled || self->pages_.size() == self->options_.stop_after_page) {
    self->stop_sent_ = true;
    return IDSYNC_STOP;
  }
  return IDSYNC_OK;
}

idsync_status RecordingImportSink::on_import_end(void* ctx, uint32_t all_results_returned,
                                                 idsync_bytes watermark) {
  auto* self = static_cast<RecordingImportSink*>(ctx);
  ++self->import_end_calls_;
  if (auto answer = self->refuse_late_call("import_end")) return *answer;
  if (self->current_)
    return self->breach("import_end inside " + self->where() + " (object_end is missing)");
  if (!valid_view(watermark.ptr, watermark.len))
    return self->breach("import_end with a NULL watermark pointer and a non-zero length");
  self->final_page_ = std::move(self->open_page_);
  self->open_page_.clear();
  self->end_ = ImportEnd{all_results_returned, std::string(view(watermark))};
  return IDSYNC_OK;
}

int32_t RecordingImportSink::on_is_cancelled(void* ctx) {
  auto* self = static_cast<RecordingImportSink*>(ctx);
  ++self->is_cancelled_calls_;
  return self->options_.cancelled || self->stop_sent_ ? 1 : 0;
}

}  // namespace idsync::contract
