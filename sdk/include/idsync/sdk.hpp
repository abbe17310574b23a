// idsync SDK, header-only C++ layer over <idsync/plugin_abi.h>.
//
// A vendor writes one class derived from idsync::sdk::Connector and one macro:
//
//   class MyConnector : public idsync::sdk::Connector {
//    public:
//     static idsync::sdk::ConnectorSpec spec();            // type id, capabilities, config
//     MyConnector(const idsync::sdk::Config& config, const idsync::sdk::CreateContext& ctx);
//     void schema(idsync::sdk::SchemaWriter& out) override;
//     void full_import(const idsync::sdk::ImportRequest& req,
//                      idsync::sdk::ImportWriter& out) override;
//   };
//   IDSYNC_PLUGIN("my-plugin", "1.0.0", idsync::sdk::connector_type<MyConnector>())
//
// Errors are C++ exceptions inside the plugin: throw idsync::sdk::Error(kind, message). The
// layer catches every exception at the boundary and turns it into a status plus a diagnostic;
// nothing propagates into the host. Writer calls throw idsync::sdk::Stopped when the host asks
// the import to stop; let it propagate and the layer returns IDSYNC_STOP.
//
// Rule plugins (functions for sync-rule expressions, whole-object transforms) use the layer in
// <idsync/sdk_rules.hpp>, which this header includes at its end.
#ifndef IDSYNC_SDK_HPP
#define IDSYNC_SDK_HPP

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace idsync::sdk {

// ---- Views ------------------------------------------------------------------------------------

inline idsync_str str(std::string_view s) { return idsync_str{s.data(), s.size()}; }
inline idsync_bytes bytes(std::string_view s) {
  return idsync_bytes{reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view view(idsync_str s) {
  return s.len ? std::string_view(s.ptr, s.len) : std::string_view();
}
inline std::string_view view(idsync_bytes b) {
  return b.len ? std::string_view(reinterpret_cast<const char*>(b.ptr), b.len) : std::string_view();
}

// Reads a field of a host struct only when the host's struct_size covers it (ABI rule 2).
template <class Struct, class Field>
bool has_field(const Struct* s, const Field Struct::*member) {
  const auto offset =
      reinterpret_cast<std::size_t>(&(static_cast<const Struct*>(nullptr)->*member));
  return s != nullptr && s->struct_size >= offset + sizeof(Field);
}

// ---- Names of ABI constants, for messages
// --------------------------------------------------------

// "IDSYNC_OK" ... "IDSYNC_INCOMPATIBLE"; "undefined status 42" for a value outside the ABI.
inline std::string status_name(idsync_status status) {
  switch (status) {
    case IDSYNC_OK:
      return "IDSYNC_OK";
    case IDSYNC_STOP:
      return "IDSYNC_STOP";
    case IDSYNC_RETRY:
      return "IDSYNC_RETRY";
    case IDSYNC_ERROR:
      return "IDSYNC_ERROR";
    case IDSYNC_FATAL:
      return "IDSYNC_FATAL";
    case IDSYNC_UNSUPPORTED:
      return "IDSYNC_UNSUPPORTED";
    case IDSYNC_INCOMPATIBLE:
      return "IDSYNC_INCOMPATIBLE";
  }
  return "undefined status " + std::to_string(status);
}

// "IDSYNC_ERR_NONE" ... "IDSYNC_ERR_INTERNAL"; "undefined error kind 42" outside the ABI.
inline std::string error_kind_name(idsync_error_kind kind) {
  switch (kind) {
    case IDSYNC_ERR_NONE:
      return "IDSYNC_ERR_NONE";
    case IDSYNC_ERR_UNKNOWN_OBJECT:
      return "IDSYNC_ERR_UNKNOWN_OBJECT";
    case IDSYNC_ERR_ALREADY_EXISTS:
      return "IDSYNC_ERR_ALREADY_EXISTS";
    case IDSYNC_ERR_INVALID_VALUE:
      return "IDSYNC_ERR_INVALID_VALUE";
    case IDSYNC_ERR_PERMISSION:
      return "IDSYNC_ERR_PERMISSION";
    case IDSYNC_ERR_CONNECTION:
      return "IDSYNC_ERR_CONNECTION";
    case IDSYNC_ERR_TIMEOUT:
      return "IDSYNC_ERR_TIMEOUT";
    case IDSYNC_ERR_PRECONDITION:
      return "IDSYNC_ERR_PRECONDITION";
    case IDSYNC_ERR_CONFIG:
      return "IDSYNC_ERR_CONFIG";
    case IDSYNC_ERR_INTERNAL:
      return "IDSYNC_ERR_INTERNAL";
  }
  return "undefined error kind " + std::to_string(kind);
}

// ---- Errors -----------------------------------------------------------------------------------

// A failure of the current call. `status` is what the hook returns (ERROR, RETRY, FATAL, ...).
class Error : public std::runtime_error {
 public:
  Error(idsync_error_kind kind, const std::string& message, idsync_status status = IDSYNC_ERROR)
      : std::runtime_error(message), kind_(kind), status_(status) {}
  idsync_error_kind kind() const { return kind_; }
  idsync_status status() const { return status_; }

 private:
  idsync_error_kind kind_;
  idsync_status status_;
};

// The host asked the running import/export to stop. Not an error: propagate it.
class Stopped : public std::exception {
 public:
  const char* what() const noexcept override { return "stopped by the host"; }
};

// ---- Diagnostics ------------------------------------------------------------------------------

class Diag {
 public:
  explicit Diag(const idsync_diag* d) : d_(d) {}
  void log(int32_t level, std::string_view message) const {
    if (d_ && has_field(d_, &idsync_diag::log) && d_->log)
      d_->log(d_->host_ctx, level, str(message));
  }
  void info(std::string_view m) const { log(IDSYNC_LOG_INFO, m); }
  void warn(std::string_view m) const { log(IDSYNC_LOG_WARN, m); }
  void set_error(idsync_error_kind kind, std::string_view message) const {
    if (d_ && has_field(d_, &idsync_diag::set_error) && d_->set_error)
      d_->set_error(d_->host_ctx, kind, str(message));
  }

 private:
  const idsync_diag* d_;
};

// ---- Configuration ----------------------------------------------------------------------------

// One declared configuration field. Strings must be static (string literals).
struct FieldSpec {
  const char* name;
  idsync_config_type type = IDSYNC_CONFIG_STRING;
  uint32_t flags = 0;
  const char* default_json = nullptr;  // JSON text, e.g. "\",\"" or "500" or "true"
  const char* doc = "";
  int64_t min_value = 0;
  int64_t max_value = 0;
  const char* const* allowed = nullptr;  // NULL-terminated
};

// The validated configuration passed to a connector's constructor.
class Config {
 public:
  Config(const idsync_config_value* values, size_t count) {
    for (size_t i = 0; i < count; ++i)
      by_name_.emplace(std::string(view(values[i].name)), &values[i]);
  }
  bool is_set(std::string_view name) const {
    auto v = find(name);
    return v && v->is_set;
  }
  std::string string(std::string_view name, std::string_view fallback = {}) const {
    auto v = find(name);
    return v && v->is_set ? std::string(view(v->text)) : std::string(fallback);
  }
  int64_t integer(std::string_view name, int64_t fallback = 0) const {
    auto v = find(name);
    return v && v->is_set ? v->integer : fallback;
  }
  bool boolean(std::string_view name, bool fallback = false) const {
    auto v = find(name);
    return v && v->is_set ? v->integer != 0 : fallback;
  }
  std::vector<std::string> list(std::string_view name) const {
    std::vector<std::string> out;
    if (auto v = find(name); v && v->is_set)
      for (size_t i = 0; i < v->item_count; ++i) out.emplace_back(view(v->items[i]));
    return out;
  }

 private:
  const idsync_config_value* find(std::string_view name) const {
    auto it = by_name_.find(std::string(name));
    return it == by_name_.end() ? nullptr : it->second;
  }
  std::unordered_map<std::string, const idsync_config_value*> by_name_;
};

struct CreateContext {
  std::string connector_name;
  std::vector<std::string> object_types;  // empty: all
  std::string state_dir;
  Diag diag;
};

// ---- Schema -----------------------------------------------------------------------------------

struct AttrSpec {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  uint32_t flags = 0;
};

class SchemaWriter {
 public:
  explicit SchemaWriter(const idsync_schema_sink* s) : s_(s) {}
  void object_type(std::string_view name, std::string_view anchor_attribute,
                   const std::vector<AttrSpec>& attributes) {
    std::vector<idsync_attr_info> infos(attributes.size());
    std::vector<const idsync_attr_info*> ptrs(attributes.size());
    for (size_t i = 0; i < attributes.size(); ++i) {
      infos[i] = idsync_attr_info{sizeof(idsync_attr_info), str(attributes[i].name),
                                  attributes[i].type, attributes[i].flags};
      ptrs[i] = &infos[i];
    }
    idsync_object_type_info info{sizeof(idsync_object_type_info), str(name), str(anchor_attribute),
                                 ptrs.data(), ptrs.size()};
    check(s_->object_type(s_->host_ctx, &info));
  }

 private:
  static void check(idsync_status st) {
    if (st == IDSYNC_STOP) throw Stopped();
    if (st != IDSYNC_OK) throw Error(IDSYNC_ERR_NONE, {}, st);
  }
  const idsync_schema_sink* s_;
};

// ---- Import -----------------------------------------------------------------------------------

struct ImportRequest {
  std::string checkpoint;  // empty: start at the beginning
  std::string watermark;   // delta import: where the previous import ended
  uint32_t page_size = 1000;
};

// Pushes objects into the host. Every call throws Stopped when the host asks to stop and
// Error(status) when the host refused the call (the reason is already recorded by the host).
class ImportWriter {
 public:
  explicit ImportWriter(const idsync_import_sink* s) : s_(s) {}

  // `source` says where the record came from ("people.csv:17"), for messages; optional.
  void begin(idsync_change change, std::string_view object_type, std::string_view anchor,
             std::string_view dn = {}, std::string_view source = {}) {
    idsync_object_header h{sizeof(idsync_object_header),
                           change,
                           str(object_type),
                           bytes(anchor),
                           str(dn),
                           str(source)};
    check(s_->object_begin(s_->host_ctx, &h));
  }
  // Values as any range of things convertible to std::string_view. A string-like argument (a
  // literal, std::string) is one value and takes the overload below, not a range of chars.
  template <class Range,
            std::enable_if_t<!std::is_convertible_v<const Range&, std::string_view>, int> = 0>
  void attr(std::string_view name, const Range& values,
            idsync_value_type type = IDSYNC_VALUE_STRING, idsync_attr_op op = IDSYNC_ATTR_REPLACE) {
    scratch_.clear();
    for (const auto& v : values) scratch_.push_back(bytes(std::string_view(v)));
    push(name, type, op);
  }
  void attr(std::string_view name, std::string_view value,
            idsync_value_type type = IDSYNC_VALUE_STRING) {
    scratch_.assign(1, bytes(value));
    push(name, type, IDSYNC_ATTR_REPLACE);
  }
  void end() { check(s_->object_end(s_->host_ctx)); }
  void page(std::string_view checkpoint) { check(s_->page_end(s_->host_ctx, bytes(checkpoint))); }
  void finish(bool all_results_returned, std::string_view watermark) {
    check(s_->import_end(s_->host_ctx, all_results_returned ? 1u : 0u, bytes(watermark)));
  }
  bool cancelled() const { return s_->is_cancelled && s_->is_cancelled(s_->host_ctx) != 0; }
  void throw_if_cancelled() const {
    if (cancelled()) throw Stopped();
  }

 private:
  void push(std::string_view name, idsync_value_type type, idsync_attr_op op) {
    idsync_attr a{sizeof(idsync_attr), str(name), type, op, scratch_.data(), scratch_.size()};
    check(s_->attribute(s_->host_ctx, &a));
  }
  static void check(idsync_status st) {
    if (st == IDSYNC_STOP) throw Stopped();
    if (st != IDSYNC_OK) throw Error(IDSYNC_ERR_NONE, {}, st);
  }
  const idsync_import_sink* s_;
  std::vector<idsync_bytes> scratch_;
};

// ---- Export -----------------------------------------------------------------------------------

// A read-only view of one attribute of an export operation.
struct AttrView {
  std::string_view name;
  idsync_value_type type;
  idsync_attr_op op;
  std::vector<std::string_view> values;
};

struct ExportOp {
  uint64_t op_id;
  idsync_export_kind kind;
  std::string_view object_type;
  std::string_view anchor;
  std::string_view dn;
  std::string_view new_dn;
  std::vector<AttrView> attributes;
};

class ExportResults {
 public:
  explicit ExportResults(const idsync_export_results* r) : r_(r) {}
  void ok(uint64_t op_id, std::string_view anchor = {}, std::string_view dn = {}) {
    report(op_id, IDSYNC_OK, IDSYNC_ERR_NONE, {}, anchor, dn);
  }
  void fail(uint64_t op_id, idsync_error_kind kind, std::string_view message,
            idsync_status status = IDSYNC_ERROR) {
    report(op_id, status, kind, message, {}, {});
  }
  bool cancelled() const { return r_->is_cancelled && r_->is_cancelled(r_->host_ctx) != 0; }

 private:
  void report(uint64_t op_id, idsync_status st, idsync_error_kind kind, std::string_view msg,
              std::string_view anchor, std::string_view dn) {
    idsync_export_result res{
        sizeof(idsync_export_result), op_id, st, kind, str(msg), bytes(anchor), str(dn)};
    r_->report(r_->host_ctx, &res);
  }
  const idsync_export_results* r_;
};

// ---- The connector base class -----------------------------------------------------------------

struct ConnectorSpec {
  const char* type_id;
  const char* display_name;
  const char* description;
  uint32_t capabilities;  // IDSYNC_CAP_*; decides which hooks the layer exposes
  std::vector<FieldSpec> fields;
};

class Connector {
 public:
  virtual ~Connector() = default;
  virtual void test_connection() {}
  virtual void schema(SchemaWriter& out) = 0;
  virtual void full_import(const ImportRequest& request, ImportWriter& out) = 0;
  virtual void delta_import(const ImportRequest&, ImportWriter&) {
    throw Error(IDSYNC_ERR_NONE, "delta import is not supported", IDSYNC_UNSUPPORTED);
  }
  virtual std::string current_watermark() {
    throw Error(IDSYNC_ERR_NONE, "current watermark is not supported", IDSYNC_UNSUPPORTED);
  }
  // Report exactly one result per operation through `results`.
  virtual void export_batch(const std::vector<ExportOp>&, ExportResults&) {
    throw Error(IDSYNC_ERR_NONE, "export is not supported", IDSYNC_UNSUPPORTED);
  }

  // The diagnostics of the hook in progress (log from anywhere inside a call).
  const Diag& diag() const { return diag_; }
  void set_diag(const idsync_diag* d) { diag_ = Diag(d); }

 private:
  Diag diag_{nullptr};
};

namespace detail {

// Runs `body`, turning every exception into a status and a diagnostic.
template <class Body>
idsync_status guarded(const idsync_diag* d, Body&& body) noexcept {
  Diag diag(d);
  try {
    body();
    return IDSYNC_OK;
  } catch (const Stopped&) {
    return IDSYNC_STOP;
  } catch (const Error& e) {
    if (e.what()[0] != '\0') diag.set_error(e.kind(), e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    diag.set_error(IDSYNC_ERR_INTERNAL, "out of memory");
    return IDSYNC_FATAL;
  } catch (const std::exception& e) {
    diag.set_error(IDSYNC_ERR_INTERNAL, e.what());
    return IDSYNC_ERROR;
  } catch (...) {
    diag.set_error(IDSYNC_ERR_INTERNAL, "unknown exception");
    return IDSYNC_ERROR;
  }
}

inline ImportRequest to_request(const idsync_import_request* r) {
  ImportRequest out;
  out.checkpoint = std::string(view(r->checkpoint));
  out.watermark = std::string(view(r->watermark));
  if (r->page_size) out.page_size = r->page_size;
  return out;
}

inline std::vector<ExportOp> to_ops(const idsync_export_batch* b) {
  std::vector<ExportOp> ops;
  ops.reserve(b->op_count);
  for (size_t i = 0; i < b->op_count; ++i) {
    const idsync_export_op* o = b->ops[i];
    ExportOp op{o->op_id,        o->kind, view(o->object_type), view(o->anchor), view(o->dn),
                view(o->new_dn), {}};
    for (size_t a = 0; a < o->attribute_count; ++a) {
      const idsync_attr* at = o->attributes[a];
      AttrView av{view(at->name), at->type, at->op, {}};
      for (size_t v = 0; v < at->value_count; ++v) av.values.push_back(view(at->values[v]));
      op.attributes.push_back(std::move(av));
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

template <class T>
struct Trampolines {
  static T* self(idsync_connector* c) { return reinterpret_cast<T*>(c); }

  static idsync_status create(const idsync_create_params* p, const idsync_diag* d,
                              idsync_connector** out) {
    return guarded(d, [&] {
      Config config(p->config, p->config_count);
      CreateContext ctx{
          std::string(view(p->connector_name)), {}, std::string(view(p->state_dir)), Diag(d)};
      for (size_t i = 0; i < p->object_type_count; ++i)
        ctx.object_types.emplace_back(view(p->object_types[i]));
      *out = reinterpret_cast<idsync_connector*>(static_cast<T*>(new T(config, ctx)));
    });
  }
  static void destroy(idsync_connector* c) { delete self(c); }
  static idsync_status test_connection(idsync_connector* c, const idsync_diag* d) {
    return guarded(d, [&] {
      self(c)->set_diag(d);
      self(c)->test_connection();
    });
  }
  static idsync_status get_schema(idsync_connector* c, const idsync_schema_sink* s,
                                  const idsync_diag* d) {
    return guarded(d, [&] {
      self(c)->set_diag(d);
      SchemaWriter w(s);
      self(c)->schema(w);
    });
  }
  static idsync_status full_import(idsync_connector* c, const idsync_import_request* r,
                                   const idsync_import_sink* s, const idsync_diag* d) {
    return guarded(d, [&] {
      self(c)->set_diag(d);
      ImportWriter w(s);
      self(c)->full_import(to_request(r), w);
    });
  }
  static idsync_status delta_import(idsync_connector* c, const idsync_import_request* r,
                                    const idsync_import_sink* s, const idsync_diag* d) {
    return guarded(d, [&] {
      self(c)->set_diag(d);
      ImportWriter w(s);
      self(c)->delta_import(to_request(r), w);
    });
  }
  static idsync_status current_watermark(idsync_connector* c, const idsync_bytes_sink* s,
                                         const idsync_diag* d) {
    return guarded(d, [&] {
      self(c)->set_diag(d);
      std::string wm = self(c)->current_watermark();
      s->write(s->host_ctx, bytes(wm));
    });
  }
  static idsync_status export_batch(idsync_connector* c, const idsync_export_batch* b,
                                    const idsync_export_results* r, const idsync_diag* d) {
    return guarded(d, [&] {
      self(c)->set_diag(d);
      ExportResults results(r);
      self(c)->export_batch(to_ops(b), results);
    });
  }
};

// Static storage behind one connector type's C description.
struct TypeStorage {
  ConnectorSpec spec;
  std::vector<idsync_config_field> fields;
  std::vector<const idsync_config_field*> field_ptrs;
  idsync_connector_type type{};
};

}  // namespace detail

// The C description of connector class T, built once and kept for the life of the process.
template <class T>
const idsync_connector_type* connector_type() {
  static detail::TypeStorage storage = [] {
    detail::TypeStorage s{T::spec(), {}, {}, {}};
    s.fields.reserve(s.spec.fields.size());
    for (const FieldSpec& f : s.spec.fields)
      s.fields.push_back(idsync_config_field{sizeof(idsync_config_field), f.name, f.type, f.flags,
                                             f.default_json, f.doc, f.min_value, f.max_value,
                                             f.allowed});
    for (const auto& f : s.fields) s.field_ptrs.push_back(&f);
    const uint32_t caps = s.spec.capabilities | IDSYNC_CAP_FULL_IMPORT;
    using Tr = detail::Trampolines<T>;
    idsync_connector_type& t = s.type;
    t.struct_size = sizeof(idsync_connector_type);
    t.type_id = s.spec.type_id;
    t.display_name = s.spec.display_name;
    t.description = s.spec.description;
    t.capabilities = caps;
    t.config_fields = s.field_ptrs.data();
    t.config_field_count = s.field_ptrs.size();
    t.create = &Tr::create;
    t.destroy = &Tr::destroy;
    t.get_schema = &Tr::get_schema;
    t.full_import = &Tr::full_import;
    t.test_connection = (caps & IDSYNC_CAP_TEST_CONNECTION) ? &Tr::test_connection : nullptr;
    t.delta_import = (caps & IDSYNC_CAP_DELTA_IMPORT) ? &Tr::delta_import : nullptr;
    t.current_watermark = (caps & IDSYNC_CAP_CURRENT_WATERMARK) ? &Tr::current_watermark : nullptr;
    t.export_batch = (caps & IDSYNC_CAP_EXPORT) ? &Tr::export_batch : nullptr;
    return s;
  }();
  return &storage.type;
}

namespace detail {
struct PluginStorage {
  std::vector<const idsync_connector_type*> connectors;
  std::vector<const idsync_rule_type*> rules;
  idsync_plugin_info info{};
};
inline void add(PluginStorage& s, const idsync_connector_type* t) { s.connectors.push_back(t); }
inline void add(PluginStorage& s, const idsync_rule_type* t) { s.rules.push_back(t); }
template <class... Types>
void add_all(PluginStorage& s, Types... types) {
  (add(s, types), ...);
}
}  // namespace detail

}  // namespace idsync::sdk

// Defines the plugin's entry symbol. Arguments after name and version are any mix of
// idsync::sdk::connector_type<T>(), idsync::sdk::rule_type(...) (sdk_rules.hpp) and pointers to
// other static idsync_rule_type descriptions.
#define IDSYNC_PLUGIN(PLUGIN_NAME, PLUGIN_VERSION, ...)                                \
  extern "C" IDSYNC_EXPORT idsync_status idsync_plugin_entry_v1(                       \
      const idsync_host_info* host, const idsync_plugin_info** out_info) {             \
    if (host == nullptr || out_info == nullptr || host->abi_major != IDSYNC_ABI_MAJOR) \
      return IDSYNC_INCOMPATIBLE;                                                      \
    try {                                                                              \
      static ::idsync::sdk::detail::PluginStorage storage = [] {                       \
        ::idsync::sdk::detail::PluginStorage s;                                        \
        ::idsync::sdk::detail::add_all(s, __VA_ARGS__);                                \
        s.info.struct_size = sizeof(idsync_plugin_info);                               \
        s.info.abi_minor = 0; /* this layer uses nothing newer than minor 0 */         \
        s.info.name = PLUGIN_NAME;                                                     \
        s.info.version = PLUGIN_VERSION;                                               \
        s.info.connector_types = s.connectors.data();                                  \
        s.info.connector_type_count = s.connectors.size();                             \
        s.info.rule_types = s.rules.data();                                            \
        s.info.rule_type_count = s.rules.size();                                       \
        return s;                                                                      \
      }();                                                                             \
      *out_info = &storage.info;                                                       \
      return IDSYNC_OK;                                                                \
    } catch (...) {                                                                    \
      return IDSYNC_FATAL;                                                             \
    }                                                                                  \
  }

// Last, because it builds on everything above (it includes this header back; the guards make
// either include order work).
#include <idsync/sdk_rules.hpp>

#endif  // IDSYNC_SDK_HPP
