#include "importer/import_sink.hpp"

#include <algorithm>
#include <exception>

#include "common/printable.hpp"
#include "store/store.hpp"

namespace idsync::importer {

namespace {
std::string_view sv(idsync_str s) {
  return s.len ? std::string_view(s.ptr, s.len) : std::string_view();
}
std::string_view sv(idsync_bytes b) {
  return b.len ? std::string_view(reinterpret_cast<const char*>(b.ptr), b.len) : std::string_view();
}
using common::printable;
}  // namespace

ImportSink::ImportSink(PageStager& stager, common::DiagCollector& diag, uint32_t page_size,
                       const std::atomic<bool>* cancel, ProgressFn on_progress)
    : stager_(stager),
      diag_(diag),
      cancel_(cancel),
      on_progress_(std::move(on_progress)),
      page_limit_(std::max<size_t>(size_t{page_size} * 10, 100000)) {
  sink_ = idsync_import_sink{sizeof(idsync_import_sink),   this,
                             &ImportSink::on_object_begin, &ImportSink::on_attribute,
                             &ImportSink::on_object_end,   &ImportSink::on_page_end,
                             &ImportSink::on_import_end,   &ImportSink::on_is_cancelled};
}

idsync_status ImportSink::fail(idsync_error_kind kind, std::string message) {
  // The first failure is the one worth reporting; later calls are consequences.
  if (!failed_) diag_.set(kind, std::move(message));
  failed_ = true;
  return IDSYNC_ERROR;
}

idsync_status ImportSink::on_object_begin(void* ctx, const idsync_object_header* h) {
  auto* self = static_cast<ImportSink*>(ctx);
  if (self->failed_) return IDSYNC_ERROR;
  if (self->ended_)
    return self->fail(IDSYNC_ERR_INTERNAL, "connector pushed an object after import_end");
  if (self->in_object_)
    return self->fail(IDSYNC_ERR_INTERNAL,
                      "connector called object_begin twice without object_end");
  if (!h || h->struct_size < offsetof(idsync_object_header, dn) + sizeof(idsync_str))
    return self->fail(IDSYNC_ERR_INTERNAL,
                      "connector passed an object header smaller than ABI minor 0");
  if (h->anchor.len == 0)
    return self->fail(
        IDSYNC_ERR_INVALID_VALUE,
        "connector pushed an object without an anchor (dn \"" + std::string(sv(h->dn)) + "\")");
  if (h->change > IDSYNC_CHANGE_DELETE)
    return self->fail(IDSYNC_ERR_INTERNAL, "connector pushed object " + printable(sv(h->anchor)) +
                                               " with unknown change type " +
                                               std::to_string(h->change));
  if (self->stager_.kind() == store::ImportKind::full && h->change != IDSYNC_CHANGE_STATE &&
      h->change != IDSYNC_CHANGE_ADD)
    return self->fail(IDSYNC_ERR_INTERNAL,
                      "connector pushed an update/delete record for " + printable(sv(h->anchor)) +
                          " during a full import (full imports push complete objects)");
  if (h->object_type.len == 0 && h->change != IDSYNC_CHANGE_DELETE &&
      h->change != IDSYNC_CHANGE_UPDATE)
    return self->fail(
        IDSYNC_ERR_INVALID_VALUE,
        "connector pushed object " + printable(sv(h->anchor)) + " without an object type");
  ImportRecord& r = self->current_;
  r.change = h->change;
  r.object_type.assign(sv(h->object_type));
  r.anchor.assign(sv(h->anchor));
  r.dn.assign(sv(h->dn));
  // `source` arrived after the first fields; a plugin's smaller struct simply has none.
  if (h->struct_size >= offsetof(idsync_object_header, source) + sizeof(idsync_str))
    r.source.assign(sv(h->source));
  else
    r.source.clear();
  r.attributes.clear();
  self->in_object_ = true;
  return IDSYNC_OK;
}

idsync_status ImportSink::on_attribute(void* ctx, const idsync_attr* a) {
  auto* self = static_cast<ImportSink*>(ctx);
  if (self->failed_) return IDSYNC_ERROR;
  if (!self->in_object_)
    return self->fail(IDSYNC_ERR_INTERNAL,
                      "connector pushed an attribute outside object_begin/object_end");
  if (!a || a->struct_size < offsetof(idsync_attr, value_count) + sizeof(size_t))
    return self->fail(IDSYNC_ERR_INTERNAL,
                      "connector passed an attribute struct smaller than ABI minor 0");
  if (a->name.len == 0)
    return self->fail(IDSYNC_ERR_INVALID_VALUE,
                      "object " + printable(self->current_.anchor) + ": attribute without a name");
  if (a->type > IDSYNC_VALUE_DATETIME || a->op > IDSYNC_ATTR_REMOVE)
    return self->fail(IDSYNC_ERR_INTERNAL, "object " + printable(self->current_.anchor) +
                                               ": attribute " + std::string(sv(a->name)) +
                                               " has an unknown type or op");
  AttrChange& c = self->current_.attributes.emplace_back();
  c.name.assign(sv(a->name));
  c.type = a->type;
  c.op = a->op;
  c.values.reserve(a->value_count);
  for (size_t i = 0; i < a->value_count; ++i) c.values.emplace_back(sv(a->values[i]));
  return IDSYNC_OK;
}

idsync_status ImportSink::on_object_end(void* ctx) {
  auto* self = static_cast<ImportSink*>(ctx);
  if (self->failed_) return IDSYNC_ERROR;
  if (!self->in_object_)
    return self->fail(IDSYNC_ERR_INTERNAL, "connector called object_end without object_begin");
  self->in_object_ = false;
  const size_t attribute_count = self->current_.attributes.size();
  self->stager_.add(std::move(self->current_));
  self->current_ = ImportRecord{};
  // The next object most likely has as many attributes as this one: one allocation instead of
  // a vector growing (and moving its elements) four or five times.
  self->current_.attributes.reserve(attribute_count);
  if (self->stager_.buffered() > self->page_limit_)
    return self->fail(IDSYNC_ERR_INTERNAL, "connector pushed more than " +
                                               std::to_string(self->page_limit_) +
                                               " objects without ending a page");
  return IDSYNC_OK;
}

idsync_status ImportSink::on_page_end(void* ctx, idsync_bytes checkpoint) {
  auto* self = static_cast<ImportSink*>(ctx);
  if (self->failed_) return IDSYNC_ERROR;
  if (self->in_object_)
    return self->fail(IDSYNC_ERR_INTERNAL, "connector ended a page inside an object");
  try {
    self->stager_.commit_page(sv(checkpoint));
  } catch (const StagingError& e) {
    return self->fail(e.kind(), e.what());
  } catch (const std::exception& e) {
    self->fail(IDSYNC_ERR_INTERNAL, e.what());
    return IDSYNC_FATAL;
  }
  if (self->on_progress_) self->on_progress_(self->stager_.counters());
  return self->cancelled() ? IDSYNC_STOP : IDSYNC_OK;
}

idsync_status ImportSink::on_import_end(void* ctx, uint32_t all_results_returned,
                                        idsync_bytes watermark) {
  auto* self = static_cast<ImportSink*>(ctx);
  if (self->failed_) return IDSYNC_ERROR;
  if (self->in_object_)
    return self->fail(IDSYNC_ERR_INTERNAL, "connector ended the import inside an object");
  if (self->ended_) return self->fail(IDSYNC_ERR_INTERNAL, "connector called import_end twice");
  try {
    self->stager_.finish(all_results_returned != 0, sv(watermark));
  } catch (const StagingError& e) {
    return self->fail(e.kind(), e.what());
  } catch (const std::exception& e) {
    self->fail(IDSYNC_ERR_INTERNAL, e.what());
    return IDSYNC_FATAL;
  }
  self->ended_ = true;
  self->all_results_returned_ = all_results_returned != 0;
  if (self->on_progress_) self->on_progress_(self->stager_.counters());
  return IDSYNC_OK;
}

int32_t ImportSink::on_is_cancelled(void* ctx) {
  return static_cast<ImportSink*>(ctx)->cancelled() ? 1 : 0;
}

}  // namespace idsync::importer
