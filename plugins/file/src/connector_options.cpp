#include "connector_options.hpp"

#include "hash.hpp"

namespace idsync::file {
namespace {

const char* const kFormats[] = {"csv", "ldif", "jsonl", nullptr};
const char* const kDeltaModes[] = {"snapshot", "change_file", nullptr};
const char* const kExportModes[] = {"rewrite", "append", nullptr};

[[noreturn]] void config_error(const std::string& message) {
  throw sdk::Error(IDSYNC_ERR_CONFIG, message);
}

}  // namespace

std::vector<sdk::FieldSpec> config_fields() {
  using sdk::FieldSpec;
  std::vector<FieldSpec> f;
  f.push_back(FieldSpec{"path", IDSYNC_CONFIG_PATH, IDSYNC_CONFIG_REQUIRED, nullptr,
                        "The file to import (the full state of the connected system)."});
  f.push_back(FieldSpec{"format", IDSYNC_CONFIG_STRING, 0, "\"csv\"",
                        "File format: csv (RFC 4180), ldif (RFC 2849) or jsonl (JSON Lines).", 0, 0,
                        kFormats});
  f.push_back(FieldSpec{"anchor_column", IDSYNC_CONFIG_STRING, 0, nullptr,
                        "CSV: the column holding each object's anchor (required for csv)."});
  f.push_back(
      FieldSpec{"anchor_attribute", IDSYNC_CONFIG_STRING, 0, nullptr,
                "LDIF/JSONL: the attribute holding each object's anchor, e.g. entryUUID; "
                "\"dn\" (LDIF) or \"_dn\" (JSONL) uses the DN (required for ldif and jsonl)."});
  f.push_back(FieldSpec{"dn_column", IDSYNC_CONFIG_STRING, 0, nullptr,
                        "CSV: the column holding each object's distinguished name (optional)."});
  f.push_back(
      FieldSpec{"object_type", IDSYNC_CONFIG_STRING, 0, "\"person\"",
                "The object type of every object, unless object_type_column says otherwise."});
  f.push_back(
      FieldSpec{"object_type_column", IDSYNC_CONFIG_STRING, 0, nullptr,
                "CSV column, LDIF attribute (its last value, e.g. objectClass) or JSONL key "
                "holding each object's type; empty values fall back to object_type."});
  f.push_back(FieldSpec{"delimiter", IDSYNC_CONFIG_STRING, 0, "\",\"",
                        "CSV: the field delimiter, one character (e.g. \",\", \";\" or a tab)."});
  f.push_back(FieldSpec{"multi_value_separator", IDSYNC_CONFIG_STRING, 0, "\";\"",
                        "CSV: separates several values inside one field (\"a;b\" is two values); "
                        "empty: never split."});
  f.push_back(FieldSpec{"delta_mode", IDSYNC_CONFIG_STRING, 0, "\"snapshot\"",
                        "How delta import finds changes: snapshot (compare the file with the last "
                        "import) or change_file (read new records appended to change_file).",
                        0, 0, kDeltaModes});
  f.push_back(FieldSpec{"change_file", IDSYNC_CONFIG_PATH, 0, nullptr,
                        "delta_mode change_file: the append-only file of change records (same "
                        "format as path: LDIF changetype records, JSONL \"_change\", CSV "
                        "change_type_column)."});
  f.push_back(FieldSpec{"change_type_column", IDSYNC_CONFIG_STRING, 0, nullptr,
                        "CSV: the column saying add, update, delete or state for each row "
                        "(required for a CSV change file)."});
  f.push_back(FieldSpec{"export_file", IDSYNC_CONFIG_PATH, 0, nullptr,
                        "export_mode rewrite: the file export writes (replaced atomically); "
                        "required for export in that mode."});
  f.push_back(FieldSpec{"export_mode", IDSYNC_CONFIG_STRING, 0, "\"rewrite\"",
                        "How export writes: rewrite (export_file holds the target's state and "
                        "each batch replaces it) or append (each batch is appended to change_file "
                        "as change records, and a full import folds them into path; ldif and "
                        "jsonl, with delta_mode change_file).",
                        0, 0, kExportModes});
  f.push_back(FieldSpec{"attributes", IDSYNC_CONFIG_STRING_LIST, 0, nullptr,
                        "Attributes to import and declare in the schema (the anchor always is); "
                        "empty: all (CSV: every header column)."});
  f.push_back(FieldSpec{"reference_attributes", IDSYNC_CONFIG_STRING_LIST, 0, nullptr,
                        "Attributes whose values name other objects of the file (member, "
                        "manager): by DN when objects have DNs, else by anchor. They import as "
                        "references, which sync resolves to metaverse objects."});
  return f;
}

ConnectorOptions ConnectorOptions::from(const sdk::Config& config, const sdk::CreateContext& ctx) {
  ConnectorOptions o;
  o.path = config.string("path");
  if (o.path.empty()) config_error("path: required");
  const std::string format = config.string("format", "csv");
  if (format == "csv")
    o.format.format = Format::csv;
  else if (format == "ldif")
    o.format.format = Format::ldif;
  else if (format == "jsonl")
    o.format.format = Format::jsonl;
  else
    config_error("format: " + format + " is not one of csv, ldif, jsonl");

  const bool csv = o.format.format == Format::csv;
  const std::string anchor_column = config.string("anchor_column");
  const std::string anchor_attribute = config.string("anchor_attribute");
  if (csv) {
    if (!anchor_attribute.empty())
      config_error("anchor_attribute: applies to ldif and jsonl; for csv set anchor_column");
    if (anchor_column.empty()) config_error("anchor_column: required when format is csv");
    o.format.anchor = anchor_column;
  } else {
    if (!anchor_column.empty())
      config_error("anchor_column: applies to csv; for " + format + " set anchor_attribute");
    if (anchor_attribute.empty())
      config_error("anchor_attribute: required when format is " + format);
    o.format.anchor = anchor_attribute;
  }
  auto csv_only = [&](const char* field) {
    if (!csv && config.is_set(field) && !config.string(field).empty())
      config_error(std::string(field) + ": applies to csv only");
  };
  csv_only("dn_column");
  csv_only("change_type_column");
  o.format.dn_column = config.string("dn_column");
  o.format.object_type = config.string("object_type", "person");
  if (o.format.object_type.empty()) config_error("object_type: must not be empty");
  o.format.object_type_column = config.string("object_type_column");
  o.format.change_type_column = config.string("change_type_column");

  const std::string delimiter = config.string("delimiter", ",");
  if (delimiter.size() != 1 || delimiter[0] == '"' || delimiter[0] == '\r' || delimiter[0] == '\n')
    config_error("delimiter: must be a single character other than a quote or a line break");
  o.format.delimiter = delimiter[0];
  o.format.multi_value_separator = config.is_set("multi_value_separator")
                                       ? config.string("multi_value_separator")
                                       : std::string(";");
  if (csv && o.format.multi_value_separator.find_first_of(
                 std::string{'"', '\r', '\n', delimiter[0]}) != std::string::npos)
    config_error("multi_value_separator: must not contain the delimiter, a quote or a line break");
  o.format.attributes = config.list("attributes");
  o.format.reference_attributes = config.list("reference_attributes");

  const std::string mode = config.string("delta_mode", "snapshot");
  if (mode == "snapshot")
    o.delta_mode = DeltaMode::snapshot;
  else if (mode == "change_file")
    o.delta_mode = DeltaMode::change_file;
  else
    config_error("delta_mode: " + mode + " is not one of snapshot, change_file");
  o.change_file = config.string("change_file");
  if (o.delta_mode == DeltaMode::change_file) {
    if (o.change_file.empty()) config_error("change_file: required when delta_mode is change_file");
    if (csv && o.format.change_type_column.empty())
      config_error("change_type_column: required for a CSV change file (delta_mode change_file)");
  }
  o.export_file = config.string("export_file");
  const std::string export_mode = config.string("export_mode", "rewrite");
  if (export_mode == "rewrite")
    o.export_mode = ExportMode::rewrite;
  else if (export_mode == "append")
    o.export_mode = ExportMode::append;
  else
    config_error("export_mode: " + export_mode + " is not one of rewrite, append");
  if (o.export_mode == ExportMode::append) {
    if (csv)
      config_error(
          "export_mode: append needs format ldif or jsonl (a CSV change file cannot clear a "
          "value or gain a column)");
    if (o.delta_mode != DeltaMode::change_file)
      config_error(
          "export_mode: append needs delta_mode change_file (the exported records are what a "
          "Delta import reads back)");
    if (!o.export_file.empty())
      config_error("export_file: not used with export_mode append, which writes to change_file");
    if (ctx.state_dir.empty())
      config_error("export_mode: append needs the connector's state folder");
    if (o.change_file == o.path)
      config_error("change_file: must differ from path with export_mode append");
  }
  o.state_dir = ctx.state_dir;
  o.selected_types = ctx.object_types;
  return o;
}

bool ConnectorOptions::selected(std::string_view object_type) const {
  if (selected_types.empty()) return true;
  for (const std::string& t : selected_types)
    if (t == object_type) return true;
  return false;
}

uint64_t ConnectorOptions::fingerprint() const {
  std::string s;
  auto add = [&](std::string_view v) {
    s += std::to_string(v.size());
    s += ':';
    s.append(v);
  };
  add(format_name(format.format));
  add(path);
  add(format.anchor);
  add(format.dn_column);
  add(format.object_type);
  add(format.object_type_column);
  add(std::string_view(&format.delimiter, 1));
  add(format.multi_value_separator);
  add(format.change_type_column);
  add(std::to_string(format.attributes.size()));
  for (const std::string& a : format.attributes) add(a);
  add(delta_mode == DeltaMode::snapshot ? "snapshot" : "change_file");
  add(change_file);
  return hash64(s, 0x636667);
}

}  // namespace idsync::file
