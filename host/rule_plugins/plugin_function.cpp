#include "rule_plugins/plugin_function.hpp"

#include <optional>
#include <stdexcept>
#include <vector>

#include "rule_plugins/call_diag.hpp"
#include "rule_plugins/value_bridge.hpp"

namespace idsync::rule_plugins {

namespace {

// Receives the values a function pushes. Called from plugin code, so it never throws: the
// first bad value is remembered and reported after the call returns.
struct ResultSink {
  expr::Value result;
  std::optional<std::string> error;

  static void value(void* ctx, idsync_value_type type, idsync_bytes bytes) {
    auto* self = static_cast<ResultSink*>(ctx);
    if (self->error) return;
    try {
      const std::string_view text =
          bytes.len ? std::string_view(reinterpret_cast<const char*>(bytes.ptr), bytes.len)
                    : std::string_view();
      self->result.push_back(decode(type, text));
    } catch (const std::exception& e) {
      self->error = e.what();
    } catch (...) {
      self->error = "the host could not store it";
    }
  }
};

}  // namespace

expr::ExternalFunction make_external(std::shared_ptr<const PluginFunction> fn) {
  return [fn = std::move(fn)](std::span<const expr::Value> args) -> expr::Value {
    std::vector<AbiArgument> abi;
    abi.reserve(args.size());
    for (const expr::Value& a : args) abi.emplace_back(a);
    std::vector<const idsync_value_list*> lists;
    lists.reserve(abi.size());
    for (const AbiArgument& a : abi) lists.push_back(a.list());

    ResultSink sink;
    const idsync_value_sink raw{sizeof(idsync_value_sink), &sink, &ResultSink::value};
    CallDiag diag(fn->plugin, fn->log_to);
    const idsync_status status = fn->call(lists.data(), lists.size(), &raw, diag.raw());
    if (status != IDSYNC_OK) throw std::runtime_error(diag.message(status));
    if (sink.error)
      throw std::runtime_error("plugin '" + fn->plugin +
                               "' returned an invalid value: " + *sink.error);
    return std::move(sink.result);
  };
}

}  // namespace idsync::rule_plugins
