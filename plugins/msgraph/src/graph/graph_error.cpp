#include "graph/graph_error.hpp"

namespace idsync::msgraph {
namespace {

constexpr std::size_t kMaxMessage = 300;

std::string string_field(const boost::json::object& o, std::string_view name) {
  if (const auto* v = o.if_contains(name); v && v->is_string()) return std::string(v->as_string());
  return {};
}

// Line breaks and tabs become spaces, runs of spaces one, ends trimmed, long text shortened.
std::string one_line(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const char ch = (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
    if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += ch;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kMaxMessage) {
    out.resize(kMaxMessage);
    // Do not end inside a UTF-8 sequence.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xc0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xc0) out.pop_back();
    out += "...";
  }
  return out;
}

// Fills `out` from a parsed body; false when it is not {"error":{...}}.
bool from_json(const boost::json::value& body, GraphError& out) {
  const auto* root = body.if_object();
  const auto* error = root ? root->if_contains("error") : nullptr;
  if (!error || !error->is_object()) return false;
  const auto& e = error->get_object();
  out.code = string_field(e, "code");
  out.message = one_line(string_field(e, "message"));
  out.target = string_field(e, "target");
  if (const auto* details = e.if_contains("details"); details && details->is_array())
    for (const auto& d : details->get_array())
      if (const auto* o = d.if_object())
        out.details.emplace_back(string_field(*o, "code"), string_field(*o, "target"));
  if (out.target.empty() && !out.details.empty()) out.target = out.details.front().second;
  for (const char* inner : {"innerError", "innererror"})
    if (const auto* i = e.if_contains(inner); i && i->is_object() && out.request_id.empty())
      out.request_id = string_field(i->get_object(), "request-id");
  return true;
}

}  // namespace

GraphError parse_graph_error(const http::HttpResponse& response) {
  GraphError out;
  boost::json::error_code ec;
  const boost::json::value body = boost::json::parse(response.body, ec);
  if (ec || !from_json(body, out)) {
    out = GraphError{};
    out.message = one_line(response.body);
  }
  if (out.request_id.empty()) out.request_id = response.header("request-id").value_or("");
  return out;
}

GraphError parse_graph_error(const BatchResult& result) {
  GraphError out;
  if (!from_json(result.body, out)) {
    out = GraphError{};
    if (result.body.is_string())
      out.message = one_line(result.body.get_string());
    else if (!result.body.is_null())
      out.message = one_line(boost::json::serialize(result.body));
  }
  if (out.request_id.empty()) out.request_id = result.header("request-id").value_or("");
  return out;
}

std::string describe(const GraphError& error, long status) {
  std::string out = std::to_string(status);
  if (!error.code.empty()) out += " " + error.code;
  if (!error.message.empty()) out += ": " + error.message;
  if (!error.target.empty()) out += " (target " + error.target + ")";
  return out;
}

}  // namespace idsync::msgraph
