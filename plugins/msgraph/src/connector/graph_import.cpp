#include "graph_import.hpp"

#include <algorithm>

#include "graph_object_reader.hpp"
#include "graph_page.hpp"
#include "group_members.hpp"
#include "import_checkpoint.hpp"

namespace idsync::msgraph {

namespace {

bool is_group(const ObjectTypeSchema& type) { return type.name() == "group"; }

// "/users" or "/groups".
std::string collection(const ObjectTypeSchema& type) { return "/" + type.name() + "s"; }

// A delta round selects members too, so that groups carry members@delta.
std::string delta_select(const ObjectTypeSchema& type) {
  return is_group(type) ? type.select() + "," + std::string(kMembersAttribute) : type.select();
}

uint32_t page_size(const Options& options, const sdk::ImportRequest& request) {
  return std::max<uint32_t>(1, std::min(options.page_size, request.page_size));
}

// The types from the checkpoint's on, in schema order.
size_t first_type(const GraphSchema& schema, const ImportCheckpoint& checkpoint) {
  for (size_t i = 0; i < schema.types().size(); ++i)
    if (schema.types()[i].name() == checkpoint.type) return i;
  throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                   "the import checkpoint names object type \"" + checkpoint.type +
                       "\", which the connector no longer reads: start the import over",
                   IDSYNC_ERROR);
}

void push_page(GraphClient& graph, const ObjectTypeSchema& type, const GraphPage& page,
               sdk::ImportWriter& out) {
  if (!is_group(type)) {
    for (const boost::json::value& v : page.objects)
      if (v.is_object()) push_whole(out, type, v.get_object(), nullptr);
    return;
  }
  std::vector<std::string> ids;
  for (const boost::json::value& v : page.objects)
    if (v.is_object()) ids.push_back(object_id(v.get_object(), type.name()));
  const std::vector<std::vector<std::string>> members = read_members(graph, ids);
  size_t i = 0;
  for (const boost::json::value& v : page.objects)
    if (v.is_object()) push_whole(out, type, v.get_object(), &members[i++]);
}

}  // namespace

DeltaWatermark latest_watermark(GraphClient& graph, const GraphSchema& schema) {
  DeltaWatermark watermark;
  for (const ObjectTypeSchema& type : schema.types()) {
    std::string link =
        collection(type) + "/delta?$select=" + delta_select(type) + "&$deltatoken=latest";
    const std::string what = "starting the delta of " + type.name() + "s from now";
    for (;;) {
      GraphPage page = read_page(graph, link, what);
      if (!page.delta_link.empty()) {
        watermark.types[type.name()] = {page.delta_link, type.select()};
        break;
      }
      if (page.next_link.empty())
        throw sdk::Error(IDSYNC_ERR_CONNECTION, what + ": the service gave no deltaLink",
                         IDSYNC_RETRY);
      link = page.next_link;
    }
  }
  return watermark;
}

void run_full_import(GraphClient& graph, const GraphSchema& schema, const Options& options,
                     const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  if (schema.types().empty()) {
    out.finish(true, latest_watermark(graph, schema).encode());
    return;
  }
  ImportCheckpoint checkpoint;
  if (request.checkpoint.empty()) {
    checkpoint.type = schema.types().front().name();
    checkpoint.carry = latest_watermark(graph, schema).encode();
  } else {
    checkpoint = ImportCheckpoint::decode(request.checkpoint);
  }
  const uint32_t size = page_size(options, request);
  for (size_t t = first_type(schema, checkpoint); t < schema.types().size(); ++t) {
    const ObjectTypeSchema& type = schema.types()[t];
    if (checkpoint.type != type.name()) {
      checkpoint.type = type.name();
      checkpoint.next.clear();
      out.page(checkpoint.encode());
    }
    std::string link = checkpoint.next.empty() ? collection(type) + "?$select=" + type.select() +
                                                     "&$top=" + std::to_string(size)
                                               : checkpoint.next;
    const std::string what = "reading " + type.name() + "s";
    for (;;) {
      out.throw_if_cancelled();
      const GraphPage page = read_page(graph, link, what);
      push_page(graph, type, page, out);
      if (page.next_link.empty()) break;
      checkpoint.next = link = page.next_link;
      out.page(checkpoint.encode());
    }
  }
  out.finish(true, checkpoint.carry);
}

void run_delta_import(GraphClient& graph, const GraphSchema& schema, const Options& options,
                      const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  const DeltaWatermark watermark = DeltaWatermark::decode(request.watermark);
  for (const ObjectTypeSchema& type : schema.types()) {
    const auto it = watermark.types.find(type.name());
    if (it == watermark.types.end())
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the watermark holds no delta round of " + type.name() +
                           "s (the object types changed): run a full import",
                       IDSYNC_ERROR);
    if (it->second.select != type.select())
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the " + type.name() +
                           " properties read changed since the watermark was taken: run a full "
                           "import",
                       IDSYNC_ERROR);
  }
  if (schema.types().empty()) {
    out.finish(true, request.watermark);
    return;
  }

  ImportCheckpoint checkpoint;
  DeltaWatermark done;
  if (request.checkpoint.empty()) {
    checkpoint.type = schema.types().front().name();
  } else {
    checkpoint = ImportCheckpoint::decode(request.checkpoint);
    done = DeltaWatermark::decode(checkpoint.carry);
  }
  const Headers headers = page_size_header(page_size(options, request));
  for (size_t t = first_type(schema, checkpoint); t < schema.types().size(); ++t) {
    const ObjectTypeSchema& type = schema.types()[t];
    if (checkpoint.type != type.name()) {
      checkpoint.type = type.name();
      checkpoint.next.clear();
      checkpoint.carry = done.encode();
      out.page(checkpoint.encode());
    }
    std::string link =
        checkpoint.next.empty() ? watermark.types.at(type.name()).link : checkpoint.next;
    const std::string what = "the delta of " + type.name() + "s";
    for (;;) {
      out.throw_if_cancelled();
      const GraphPage page = read_page(graph, link, what, headers);
      for (const boost::json::value& v : page.objects) {
        if (!v.is_object()) continue;
        const boost::json::object& object = v.get_object();
        push_changed(out, type, object, is_group(type) ? member_delta(object) : MemberChanges{});
      }
      if (!page.next_link.empty()) {
        checkpoint.next = link = page.next_link;
        checkpoint.carry = done.encode();
        out.page(checkpoint.encode());
        continue;
      }
      if (page.delta_link.empty())
        throw sdk::Error(IDSYNC_ERR_CONNECTION,
                         what + ": a page with neither a nextLink nor a deltaLink", IDSYNC_RETRY);
      done.types[type.name()] = {page.delta_link, type.select()};
      break;
    }
  }
  out.finish(true, done.encode());
}

}  // namespace idsync::msgraph
