// idsync SDK, header-only C++ layer for rule plugins (the "Rule plugins" section of
// <idsync/plugin_abi.h>). Included by <idsync/sdk.hpp>; it is a separate file because rule
// plugins and connectors are independent concepts that share only the boundary helpers
// (views, Error, Diag, detail::guarded) and the IDSYNC_PLUGIN macro.
//
// A vendor writes plain C++ functions and declares them once:
//
//   idsync::sdk::Values normalize_phone(const idsync::sdk::Args& args);
//   idsync::sdk::Attributes derive_nickname(const idsync::sdk::ObjectView& object);
//
//   IDSYNC_PLUGIN("contoso-rules", "1.0.0",
//       idsync::sdk::rule_type("contoso.rules", "Contoso helpers",
//           {idsync::sdk::function<&normalize_phone>("NormalizePhone", 1, 2, "doc")},
//           {idsync::sdk::transform<&derive_nickname>("DeriveNickname", "doc")}))
//
// The callable is a template argument because the C hooks carry no user-data pointer: each
// function needs a trampoline of its own, and the template instantiates exactly one per callable
// without any global lookup table.
//
// CONTRACTS a rule function or transform must keep (the host relies on them):
//   * Pure: the result depends only on the arguments. No I/O, no clock, no randomness, no
//     mutable global state. The host may cache results and may call a function any number of
//     times (or not at all, when it already knows the result).
//   * Thread-safe: the host calls the same function from several threads at once.
//   * NULL is zero values: an absent attribute (or the NULL literal) arrives as an argument with
//     size() == 0, and returning an empty Values means NULL.
//   * Multi-valued: any argument may hold several values (e.g. otherTelephone); decide what the
//     function does with them and say so in its doc. Returning several values makes the result
//     multi-valued.
//   * Errors are exceptions: throw idsync::sdk::Error(IDSYNC_ERR_INVALID_VALUE, "why") for bad
//     data. The layer returns IDSYNC_ERROR with the message, which the host shows to the admin
//     next to the expression; any other exception becomes IDSYNC_ERR_INTERNAL, bad_alloc FATAL.
//   * Values cross as text in the ABI encoding: INTEGER as decimal, BOOLEAN as "true"/"false",
//     DATETIME as RFC 3339 UTC; STRING and REFERENCE as UTF-8, BINARY as raw bytes.
#ifndef IDSYNC_SDK_RULES_HPP
#define IDSYNC_SDK_RULES_HPP

#include <cstddef>
#include <idsync/sdk.hpp>
#include <initializer_list>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::sdk {

// ---- Arguments --------------------------------------------------------------------------------

// One argument of a rule function: a borrowed view of zero (NULL), one or several values that
// share one type. Valid only during the call; copy what you keep.
class ValueList {
 public:
  explicit ValueList(const idsync_value_list* list) {
    if (list == nullptr) return;  // tolerated as NULL
    type_ = list->type;
    values_.reserve(list->value_count);
    for (std::size_t i = 0; i < list->value_count; ++i) values_.push_back(view(list->values[i]));
  }
  idsync_value_type type() const { return type_; }
  bool is_null() const { return values_.empty(); }
  std::size_t size() const { return values_.size(); }
  std::string_view operator[](std::size_t i) const { return values_[i]; }
  auto begin() const { return values_.begin(); }
  auto end() const { return values_.end(); }

  // The single value, nullopt when NULL. Throws Error(INVALID_VALUE) naming `what` (e.g.
  // "NormalizePhone argument 2") when the argument is multi-valued.
  std::optional<std::string_view> single(std::string_view what) const {
    if (values_.empty()) return std::nullopt;
    if (values_.size() > 1)
      throw Error(IDSYNC_ERR_INVALID_VALUE, std::string(what) + " must be single-valued, got " +
                                                std::to_string(values_.size()) + " values");
    return values_.front();
  }

 private:
  idsync_value_type type_ = IDSYNC_VALUE_STRING;
  std::vector<std::string_view> values_;
};

// The arguments of one call, in order; args.size() is within the declared min/max.
using Args = std::vector<ValueList>;

// ---- Results ----------------------------------------------------------------------------------

// One result value, in the ABI encoding of its type.
struct OutValue {
  std::string bytes;
  idsync_value_type type = IDSYNC_VALUE_STRING;
};

// What a rule function returns: empty is NULL, one value single-valued, more multi-valued.
class Values {
 public:
  Values() = default;                                                      // NULL
  Values(std::string one, idsync_value_type type = IDSYNC_VALUE_STRING) {  // NOLINT: implicit
    add(std::move(one), type);
  }
  static Values null() { return {}; }
  void add(std::string value, idsync_value_type type = IDSYNC_VALUE_STRING) {
    items_.push_back(OutValue{std::move(value), type});
  }
  bool is_null() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const OutValue& operator[](std::size_t i) const { return items_[i]; }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<OutValue> items_;
};

// ---- Objects (transforms) ---------------------------------------------------------------------

// A borrowed, read-only view of the object a transform runs on. Valid only during the call.
class ObjectView {
 public:
  explicit ObjectView(const idsync_object_view* v) {
    object_type_ = view(v->object_type);
    attributes_.reserve(v->attribute_count);
    for (std::size_t a = 0; a < v->attribute_count; ++a) {
      const idsync_attr* at = v->attributes[a];
      AttrView av{view(at->name), at->type, at->op, {}};
      for (std::size_t i = 0; i < at->value_count; ++i) av.values.push_back(view(at->values[i]));
      attributes_.push_back(std::move(av));
    }
  }
  std::string_view object_type() const { return object_type_; }
  const std::vector<AttrView>& attributes() const { return attributes_; }
  // The attribute named `name` (ASCII case-insensitive, as attribute names are), or nullptr.
  const AttrView* find(std::string_view name) const {
    for (const AttrView& a : attributes_)
      if (iequal(a.name, name)) return &a;
    return nullptr;
  }
  // The values of `name`; empty when the object does not have it.
  std::vector<std::string_view> values(std::string_view name) const {
    const AttrView* a = find(name);
    return a ? a->values : std::vector<std::string_view>{};
  }

 private:
  static bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) return false;
    }
    return true;
  }
  std::string_view object_type_;
  std::vector<AttrView> attributes_;
};

// One attribute a transform sets. It REPLACES the attribute's values; no values clears it.
struct OutAttribute {
  std::string name;
  std::vector<std::string> values;
  idsync_value_type type = IDSYNC_VALUE_STRING;
};

// What a transform returns: the attributes it sets, in order. Attributes it does not list are
// left alone.
using Attributes = std::vector<OutAttribute>;

// ---- Declarations -----------------------------------------------------------------------------

using FunctionFn = Values (*)(const Args& args);
using TransformFn = Attributes (*)(const ObjectView& object);

// A rule function's C description. Strings must be static (string literals): the host keeps
// pointers to them for the life of the process.
struct FunctionDecl {
  idsync_rule_function c;
};
struct TransformDecl {
  idsync_rule_transform c;
};

namespace detail {

template <FunctionFn Fn>
idsync_status call_function(const idsync_value_list* const* args, std::size_t arg_count,
                            const idsync_value_sink* result, const idsync_diag* d) {
  return guarded(d, [&] {
    Args list;
    list.reserve(arg_count);
    for (std::size_t i = 0; i < arg_count; ++i) list.emplace_back(args ? args[i] : nullptr);
    const Values out = Fn(list);
    for (const OutValue& v : out) result->value(result->host_ctx, v.type, bytes(v.bytes));
  });
}

template <TransformFn Fn>
idsync_status apply_transform(const idsync_object_view* input, const idsync_attr_sink* output,
                              const idsync_diag* d) {
  return guarded(d, [&] {
    const Attributes out = Fn(ObjectView(input));
    std::vector<idsync_bytes> scratch;
    for (const OutAttribute& a : out) {
      scratch.clear();
      for (const std::string& v : a.values) scratch.push_back(bytes(v));
      idsync_attr attr{sizeof(idsync_attr), str(a.name),    a.type,
                       IDSYNC_ATTR_REPLACE, scratch.data(), scratch.size()};
      const idsync_status st = output->attribute(output->host_ctx, &attr);
      // The host has recorded why it refused; pass its status on.
      if (st != IDSYNC_OK) throw Error(IDSYNC_ERR_NONE, {}, st);
    }
  });
}

// Static storage behind one rule type's C description.
struct RuleStorage {
  std::vector<idsync_rule_function> functions;
  std::vector<const idsync_rule_function*> function_ptrs;
  std::vector<idsync_rule_transform> transforms;
  std::vector<const idsync_rule_transform*> transform_ptrs;
  idsync_rule_type type{};
};

// Every rule type built in this process. A std::list never moves its elements, so the
// pointers handed to the host stay valid; it lives until exit, like connector_type<T>()'s.
inline std::list<RuleStorage>& rule_storages() {
  static std::list<RuleStorage> all;
  return all;
}

}  // namespace detail

// Declares rule function `Fn` as `name` in expressions, taking min_args..max_args arguments.
template <FunctionFn Fn>
FunctionDecl function(const char* name, uint32_t min_args, uint32_t max_args, const char* doc) {
  idsync_rule_function f{};
  f.struct_size = sizeof(idsync_rule_function);
  f.name = name;
  f.doc = doc;
  f.min_args = min_args;
  f.max_args = max_args;
  f.call = &detail::call_function<Fn>;
  return FunctionDecl{f};
}

// Declares whole-object transform `Fn` as `name`.
template <TransformFn Fn>
TransformDecl transform(const char* name, const char* doc) {
  idsync_rule_transform t{};
  t.struct_size = sizeof(idsync_rule_transform);
  t.name = name;
  t.doc = doc;
  t.apply = &detail::apply_transform<Fn>;
  return TransformDecl{t};
}

// The C description of a rule type, built once per call and kept for the life of the process.
// Call it once per type (the IDSYNC_PLUGIN macro does, inside its one-time initialisation); it
// is not thread-safe. The host validates names (unique within the type) and min <= max.
inline const idsync_rule_type* rule_type(const char* type_id, const char* description,
                                         std::initializer_list<FunctionDecl> functions,
                                         std::initializer_list<TransformDecl> transforms = {}) {
  detail::RuleStorage& s = detail::rule_storages().emplace_back();
  for (const FunctionDecl& f : functions) s.functions.push_back(f.c);
  for (const TransformDecl& t : transforms) s.transforms.push_back(t.c);
  for (const auto& f : s.functions) s.function_ptrs.push_back(&f);
  for (const auto& t : s.transforms) s.transform_ptrs.push_back(&t);
  s.type.struct_size = sizeof(idsync_rule_type);
  s.type.type_id = type_id;
  s.type.description = description;
  s.type.functions = s.function_ptrs.data();
  s.type.function_count = s.function_ptrs.size();
  s.type.transforms = s.transform_ptrs.data();
  s.type.transform_count = s.transform_ptrs.size();
  return &s.type;
}

}  // namespace idsync::sdk

#endif  // IDSYNC_SDK_RULES_HPP
