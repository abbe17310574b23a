#include "support.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "record_reader.hpp"

namespace filetest {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/idsync-file-test-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> TempDir::entries(const std::string& sub) const {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(sub.empty() ? path_ : path_ + "/" + sub))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << content;
  if (!f) throw std::runtime_error("cannot write " + path);
}

void replace_file(const std::string& path, const std::string& content) {
  write_file(path + ".new", content);
  std::filesystem::rename(path + ".new", path);
}

void make_dir(const std::string& path) { std::filesystem::create_directories(path); }

void append_file(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary | std::ios::app);
  f << content;
  if (!f) throw std::runtime_error("cannot append to " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

const Attr* Obj::attr(const std::string& name) const {
  for (const Attr& a : attrs)
    if (a.name == name) return &a;
  return nullptr;
}

std::vector<std::string> Obj::values(const std::string& name) const {
  const Attr* a = attr(name);
  return a ? a->values : std::vector<std::string>{};
}

std::ostream& operator<<(std::ostream& os, const Obj& o) {
  os << "{change=" << o.change << " type=" << o.type << " anchor=" << o.anchor << " dn=" << o.dn;
  for (const Attr& a : o.attrs) {
    os << " " << a.name << "(t" << a.type << ",op" << a.op << ")=[";
    for (std::size_t i = 0; i < a.values.size(); ++i) os << (i ? "|" : "") << a.values[i];
    os << "]";
  }
  return os << "}";
}

Obj to_obj(const idsync::file::Record& r) {
  Obj o;
  o.change = r.change;
  o.type = std::string(r.object_type);
  o.anchor = std::string(r.anchor);
  o.dn = std::string(r.dn);
  for (const auto& a : r.attributes())
    o.attrs.push_back(Attr{std::string(a.name), a.type, a.op, {a.values.begin(), a.values.end()}});
  return o;
}

std::vector<Obj> read_all(const std::string& path, const idsync::file::FormatOptions& options,
                          idsync::file::ReadMode mode) {
  idsync::file::InputFile file(path);
  auto reader = idsync::file::make_reader(file, options, mode);
  idsync::file::Record r;
  std::vector<Obj> out;
  while (reader->next(r)) out.push_back(to_obj(r));
  return out;
}

ConfigBuilder& ConfigBuilder::set(const std::string& name, const std::string& value) {
  strings_[name] = value;
  return *this;
}

ConfigBuilder& ConfigBuilder::list(const std::string& name,
                                   const std::vector<std::string>& values) {
  lists_[name] = values;
  return *this;
}

ConfigBuilder& ConfigBuilder::unset(const std::string& name) {
  strings_.erase(name);
  lists_.erase(name);
  return *this;
}

std::unique_ptr<idsync::file::FileConnector> ConfigBuilder::create(
    const std::string& state_dir, std::vector<std::string> object_types) const {
  using idsync::sdk::view;
  const auto spec = idsync::file::FileConnector::spec();
  // Storage that outlives the idsync_config_value views.
  std::vector<std::string> texts;
  std::vector<std::vector<idsync_str>> items;
  texts.reserve(spec.fields.size());
  items.reserve(spec.fields.size());
  std::vector<idsync_config_value> values;
  for (const auto& f : spec.fields) {
    idsync_config_value v{};
    v.struct_size = sizeof v;
    v.name = idsync::sdk::str(f.name);
    v.type = f.type;
    if (f.type == IDSYNC_CONFIG_STRING_LIST) {
      items.emplace_back();
      if (auto it = lists_.find(f.name); it != lists_.end()) {
        for (const auto& s : it->second) items.back().push_back(idsync::sdk::str(s));
        v.is_set = 1;
        v.items = items.back().data();
        v.item_count = items.back().size();
      }
    } else {
      std::optional<std::string> text;
      if (auto it = strings_.find(f.name); it != strings_.end())
        text = it->second;
      else if (f.default_json)  // defaults are JSON strings in this connector: strip the quotes
        text = std::string(f.default_json).substr(1, std::string(f.default_json).size() - 2);
      if (text) {
        texts.push_back(*text);
        v.is_set = 1;
        v.text = idsync::sdk::str(texts.back());
      }
    }
    values.push_back(v);
  }
  idsync::sdk::Config config(values.data(), values.size());
  idsync::sdk::CreateContext ctx{"test-file", std::move(object_types), state_dir,
                                 idsync::sdk::Diag(nullptr)};
  return std::make_unique<idsync::file::FileConnector>(config, ctx);
}

ImportSink::ImportSink() {
  sink_.struct_size = sizeof sink_;
  sink_.host_ctx = this;
  sink_.object_begin = &object_begin;
  sink_.attribute = &attribute;
  sink_.object_end = &object_end;
  sink_.page_end = &page_end;
  sink_.import_end = &import_end;
  sink_.is_cancelled = &is_cancelled;
}

idsync_status ImportSink::object_begin(void* ctx, const idsync_object_header* h) {
  auto* self = static_cast<ImportSink*>(ctx);
  Obj o;
  o.change = h->change;
  o.type = std::string(idsync::sdk::view(h->object_type));
  o.anchor = std::string(idsync::sdk::view(h->anchor));
  o.dn = std::string(idsync::sdk::view(h->dn));
  self->sources.emplace_back(idsync::sdk::view(h->source));
  self->pending.push_back(std::move(o));
  return IDSYNC_OK;
}

idsync_status ImportSink::attribute(void* ctx, const idsync_attr* a) {
  auto* self = static_cast<ImportSink*>(ctx);
  Attr at;
  at.name = std::string(idsync::sdk::view(a->name));
  at.type = a->type;
  at.op = a->op;
  for (size_t i = 0; i < a->value_count; ++i)
    at.values.emplace_back(idsync::sdk::view(a->values[i]));
  self->pending.back().attrs.push_back(std::move(at));
  return IDSYNC_OK;
}

idsync_status ImportSink::object_end(void*) { return IDSYNC_OK; }

idsync_status ImportSink::page_end(void* ctx, idsync_bytes checkpoint) {
  auto* self = static_cast<ImportSink*>(ctx);
  for (auto& o : self->pending) self->committed.push_back(std::move(o));
  self->pending.clear();
  self->checkpoints.emplace_back(idsync::sdk::view(checkpoint));
  self->committed_after_page.push_back(self->committed.size());
  if (self->on_page) self->on_page();
  if (self->stop_after_pages && self->checkpoints.size() >= *self->stop_after_pages)
    return IDSYNC_STOP;
  return IDSYNC_OK;
}

idsync_status ImportSink::import_end(void* ctx, uint32_t all, idsync_bytes watermark) {
  auto* self = static_cast<ImportSink*>(ctx);
  for (auto& o : self->pending) self->committed.push_back(std::move(o));
  self->pending.clear();
  self->finished = true;
  self->all_results = all != 0;
  self->watermark = std::string(idsync::sdk::view(watermark));
  return IDSYNC_OK;
}

int32_t ImportSink::is_cancelled(void* ctx) {
  return static_cast<ImportSink*>(ctx)->cancelled ? 1 : 0;
}

namespace {
ImportRun collect(ImportSink& sink) {
  if (!sink.finished) throw std::runtime_error("the import did not call import_end");
  if (!sink.all_results) throw std::runtime_error("the import said all_results_returned = 0");
  return ImportRun{sink.committed, sink.checkpoints, sink.committed_after_page, sink.watermark};
}
}  // namespace

void run_full(idsync::file::FileConnector& c, ImportSink& sink, uint32_t page_size,
              const std::string& checkpoint) {
  auto w = sink.writer();
  idsync::sdk::ImportRequest req{checkpoint, {}, page_size};
  c.full_import(req, w);
}

ImportRun full_import(idsync::file::FileConnector& c, uint32_t page_size,
                      const std::string& checkpoint) {
  ImportSink sink;
  auto w = sink.writer();
  idsync::sdk::ImportRequest req{checkpoint, {}, page_size};
  c.full_import(req, w);
  return collect(sink);
}

ImportRun delta_import(idsync::file::FileConnector& c, const std::string& watermark,
                       uint32_t page_size, const std::string& checkpoint) {
  ImportSink sink;
  auto w = sink.writer();
  idsync::sdk::ImportRequest req{checkpoint, watermark, page_size};
  c.delta_import(req, w);
  return collect(sink);
}

namespace {
struct ResultSink {
  std::map<uint64_t, Result> results;
  bool cancel = false;
  int duplicates = 0;
  static idsync_status report(void* ctx, const idsync_export_result* r) {
    auto* self = static_cast<ResultSink*>(ctx);
    Result out{r->op_id,
               r->status,
               r->error_kind,
               std::string(idsync::sdk::view(r->message)),
               std::string(idsync::sdk::view(r->anchor)),
               std::string(idsync::sdk::view(r->dn))};
    if (!self->results.emplace(r->op_id, out).second) ++self->duplicates;
    return IDSYNC_OK;
  }
  static int32_t cancelled(void* ctx) { return static_cast<ResultSink*>(ctx)->cancel ? 1 : 0; }
};
}  // namespace

std::map<uint64_t, Result> export_batch(idsync::file::FileConnector& c,
                                        const std::vector<OpSpec>& specs, bool cancel) {
  ResultSink sink;
  sink.cancel = cancel;
  idsync_export_results r{sizeof(idsync_export_results), &sink, &ResultSink::report,
                          &ResultSink::cancelled};
  idsync::sdk::ExportResults results(&r);
  std::vector<idsync::sdk::ExportOp> ops;
  for (const OpSpec& s : specs) {
    idsync::sdk::ExportOp op{s.id, s.kind, s.type, s.anchor, s.dn, s.new_dn, {}};
    for (const Attr& a : s.attrs) {
      idsync::sdk::AttrView v{a.name, a.type, a.op, {}};
      for (const auto& x : a.values) v.values.push_back(x);
      op.attributes.push_back(std::move(v));
    }
    ops.push_back(std::move(op));
  }
  c.export_batch(ops, results);
  if (sink.duplicates) throw std::runtime_error("an operation got more than one result");
  return sink.results;
}

Attr rep(const std::string& name, std::vector<std::string> values) {
  return Attr{name, IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, std::move(values)};
}

}  // namespace filetest
