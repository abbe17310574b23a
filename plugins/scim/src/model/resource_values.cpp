#include "model/resource_values.hpp"

#include <algorithm>
#include <idsync/sdk.hpp>

#include "model/base64.hpp"
#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

// Where the attribute's parent lives: the resource, or the extension's object in it.
const boost::json::object* container(const boost::json::object& resource,
                                     const FlatAttribute& attribute) {
  if (!attribute.extension) return &resource;
  const auto* ext = member(resource, attribute.schema);
  return ext && ext->is_object() ? &ext->get_object() : nullptr;
}

boost::json::object& container(boost::json::object& resource, const FlatAttribute& attribute) {
  if (!attribute.extension) return resource;
  boost::json::value* ext = member(resource, attribute.schema);
  if (!ext || !ext->is_object()) {
    resource[attribute.schema] = boost::json::object();
    ext = &resource[attribute.schema];
  }
  boost::json::value* schemas = member(resource, "schemas");
  if (!schemas || !schemas->is_array()) {
    resource["schemas"] = boost::json::array();
    schemas = &resource["schemas"];
  }
  auto& list = schemas->get_array();
  if (std::none_of(list.begin(), list.end(), [&](const boost::json::value& v) {
        return v.is_string() && same_name(v.get_string(), attribute.schema);
      }))
    list.emplace_back(attribute.schema);
  return ext->get_object();
}

std::optional<std::string> import_text(const FlatAttribute& attribute,
                                       const boost::json::value& value) {
  if (attribute.value_type == IDSYNC_VALUE_BINARY && value.is_string())
    return base64_decode(value.get_string());
  return scalar_text(value);
}

bool type_matches(const boost::json::value& entry, const std::string& type) {
  const auto t = string_member(entry, "type");
  return t && same_name(*t, type);
}

// Whether the entry holds one of `values` as its value.
bool holds_value(const boost::json::value& entry, const std::vector<std::string_view>& values) {
  const auto* v = member(entry, "value");
  const auto text = v ? scalar_text(*v) : std::nullopt;
  return text && std::find(values.begin(), values.end(), *text) != values.end();
}

bool holds_scalar(const boost::json::value& item, const std::vector<std::string_view>& values) {
  const auto text = scalar_text(item);
  return text && std::find(values.begin(), values.end(), *text) != values.end();
}

[[noreturn]] void invalid(const FlatAttribute& attribute, std::string_view text,
                          std::string_view expected) {
  throw sdk::Error(IDSYNC_ERR_INVALID_VALUE, "attribute " + attribute.name + ": \"" +
                                                 std::string(text.substr(0, 80)) + "\" is not " +
                                                 std::string(expected));
}

void apply_typed(boost::json::object& target, const FlatAttribute& attribute, idsync_attr_op op,
                 const std::vector<std::string_view>& values) {
  boost::json::value* list = member(target, attribute.parent);
  if (!list || !list->is_array()) {
    if (values.empty() || op == IDSYNC_ATTR_REMOVE) return;
    target[attribute.parent] = boost::json::array();
    list = &target[attribute.parent];
  }
  auto& entries = list->get_array();
  auto entry = std::find_if(entries.begin(), entries.end(), [&](const boost::json::value& e) {
    return type_matches(e, attribute.type_value);
  });
  const bool clear = values.empty() || (op == IDSYNC_ATTR_REMOVE);
  if (clear) {
    if (entry == entries.end() || !entry->is_object()) return;
    entry->get_object().erase(attribute.sub);
    // An entry left with nothing but its type (and primary) is no entry at all.
    const bool empty =
        std::all_of(entry->get_object().begin(), entry->get_object().end(), [](const auto& kv) {
          return same_name(kv.key(), "type") || same_name(kv.key(), "primary");
        });
    if (empty) entries.erase(entry);
    return;
  }
  if (entry == entries.end() || !entry->is_object()) {
    entries.push_back(boost::json::object{{"type", attribute.type_value}});
    entry = entries.end() - 1;
  }
  entry->get_object()[attribute.sub] = json_value(attribute, values.front());
}

void apply_list(boost::json::object& target, const FlatAttribute& attribute, idsync_attr_op op,
                const std::vector<std::string_view>& values) {
  const bool entries = attribute.shape == Shape::kValueList;
  auto item = [&](std::string_view v) -> boost::json::value {
    if (entries) return boost::json::object{{"value", json_value(attribute, v)}};
    return json_value(attribute, v);
  };
  boost::json::value* list = member(target, attribute.parent);
  if (op == IDSYNC_ATTR_REPLACE || !list || !list->is_array()) {
    if (op == IDSYNC_ATTR_REMOVE) {
      if (list && values.empty()) target.erase(attribute.parent);
      return;
    }
    if (op == IDSYNC_ATTR_REPLACE && values.empty()) {
      target.erase(attribute.parent);
      return;
    }
    target[attribute.parent] = boost::json::array();
    list = &target[attribute.parent];
  }
  auto& array = list->get_array();
  if (op == IDSYNC_ATTR_REMOVE) {
    if (values.empty()) {
      target.erase(attribute.parent);
      return;
    }
    array.erase(std::remove_if(array.begin(), array.end(),
                               [&](const boost::json::value& e) {
                                 return entries ? holds_value(e, values) : holds_scalar(e, values);
                               }),
                array.end());
    return;
  }
  for (const std::string_view v : values) {
    const bool present = std::any_of(array.begin(), array.end(), [&](const boost::json::value& e) {
      return entries ? holds_value(e, {v}) : holds_scalar(e, {v});
    });
    if (!present) array.push_back(item(v));
  }
}

}  // namespace

const boost::json::object* typed_entry(const boost::json::object& resource,
                                       const FlatAttribute& attribute) {
  const boost::json::object* parent = container(resource, attribute);
  const auto* list = parent ? member(*parent, attribute.parent) : nullptr;
  if (!list || !list->is_array()) return nullptr;
  const boost::json::object* first = nullptr;
  for (const auto& entry : list->get_array()) {
    if (!entry.is_object() || !type_matches(entry, attribute.type_value)) continue;
    if (bool_member(entry, "primary", false)) return &entry.get_object();
    if (!first) first = &entry.get_object();
  }
  return first;
}

std::vector<std::string> read_values(const boost::json::object& resource,
                                     const FlatAttribute& attribute) {
  std::vector<std::string> out;
  const boost::json::object* parent = container(resource, attribute);
  if (!parent) return out;
  auto add = [&](const boost::json::value* v) {
    if (!v) return;
    if (auto text = import_text(attribute, *v)) out.push_back(std::move(*text));
  };
  const boost::json::value* top = member(*parent, attribute.parent);
  if (!top) return out;
  switch (attribute.shape) {
    case Shape::kSimple:
      if (top->is_array())
        for (const auto& v : top->get_array()) add(&v);
      else
        add(top);
      break;
    case Shape::kSubAttribute:
      if (const auto* sub = member(*top, attribute.sub); sub && sub->is_array())
        for (const auto& v : sub->get_array()) add(&v);
      else
        add(sub);
      break;
    case Shape::kSingleRef:
      add(top->is_object() ? member(*top, "value") : top);
      break;
    case Shape::kTyped:
      if (const auto* entry = typed_entry(resource, attribute)) add(member(*entry, attribute.sub));
      break;
    case Shape::kValueList:
      if (top->is_array())
        for (const auto& entry : top->get_array()) add(member(entry, "value"));
      break;
  }
  return out;
}

boost::json::value json_value(const FlatAttribute& attribute, std::string_view text) {
  switch (attribute.value_type) {
    case IDSYNC_VALUE_BOOLEAN:
      if (text == "true") return true;
      if (text == "false") return false;
      invalid(attribute, text, "true or false");
    case IDSYNC_VALUE_INTEGER: {
      int64_t n = 0;
      const bool negative = !text.empty() && text.front() == '-';
      const std::string_view digits = negative ? text.substr(1) : text;
      if (digits.empty() || digits.size() > 18) invalid(attribute, text, "a decimal integer");
      for (const char c : digits) {
        if (c < '0' || c > '9') invalid(attribute, text, "a decimal integer");
        n = n * 10 + (c - '0');
      }
      return negative ? -n : n;
    }
    case IDSYNC_VALUE_BINARY:
      return boost::json::string(base64_encode(text));
    default:
      return boost::json::string(text);
  }
}

void apply_values(boost::json::object& resource, const FlatAttribute& attribute, idsync_attr_op op,
                  const std::vector<std::string_view>& values) {
  boost::json::object& target = container(resource, attribute);
  switch (attribute.shape) {
    case Shape::kSimple:
      if (attribute.multi) return apply_list(target, attribute, op, values);
      if (values.empty() || op == IDSYNC_ATTR_REMOVE)
        target.erase(attribute.parent);
      else
        target[attribute.parent] = json_value(attribute, values.front());
      return;
    case Shape::kSubAttribute: {
      boost::json::value* parent = member(target, attribute.parent);
      if (values.empty() || op == IDSYNC_ATTR_REMOVE) {
        if (parent && parent->is_object()) parent->get_object().erase(attribute.sub);
        return;
      }
      if (!parent || !parent->is_object()) {
        target[attribute.parent] = boost::json::object();
        parent = &target[attribute.parent];
      }
      parent->get_object()[attribute.sub] = json_value(attribute, values.front());
      return;
    }
    case Shape::kSingleRef:
      if (values.empty() || op == IDSYNC_ATTR_REMOVE)
        target.erase(attribute.parent);
      else
        target[attribute.parent] =
            boost::json::object{{"value", json_value(attribute, values.front())}};
      return;
    case Shape::kTyped:
      return apply_typed(target, attribute, op, values);
    case Shape::kValueList:
      return apply_list(target, attribute, op, values);
  }
}

}  // namespace idsync::scim
