#include "record_reader.hpp"

#include "csv_reader.hpp"
#include "jsonl_reader.hpp"
#include "ldif_reader.hpp"

namespace idsync::file {

std::unique_ptr<RecordReader> make_reader(const InputFile& file, const FormatOptions& options,
                                          const ReadMode& mode) {
  switch (options.format) {
    case Format::csv:
      return std::make_unique<CsvReader>(file, options, mode);
    case Format::ldif:
      return std::make_unique<LdifReader>(file, options, mode);
    case Format::jsonl:
      return std::make_unique<JsonlReader>(file, options, mode);
  }
  return nullptr;
}

}  // namespace idsync::file
