// The interface the connector reads any of the three formats through.
#pragma once

#include <memory>
#include <string>

#include "format_options.hpp"
#include "input_buffer.hpp"
#include "record.hpp"

namespace idsync::file {

// Records bigger than this are refused: an unbalanced quote would otherwise make the reader
// buffer the rest of a multi-gigabyte file before noticing.
inline constexpr std::size_t kMaxRecordBytes = 64u << 20;

class RecordReader {
 public:
  virtual ~RecordReader() = default;

  // Reads the next record. Returns false at the end of the input (or, with
  // ReadMode::stop_at_unterminated, before an unfinished final record). Throws sdk::Error
  // (IDSYNC_ERR_INVALID_VALUE, "file:line: ...") on bad input. The record and its views are
  // valid until the next call.
  virtual bool next(Record& record) = 0;

  // The position right after the last record returned (or after the header/start).
  virtual Position position() const = 0;

  // Continues reading at a position previously returned by position(). A CSV reader keeps the
  // header it read at the start of the file.
  virtual void seek(const Position& position) = 0;

  // The file name used in messages.
  virtual const std::string& name() const = 0;
};

// Opens a reader for `file` in the configured format. A CSV reader reads the header right away
// (so a file without the anchor column fails here, naming it).
std::unique_ptr<RecordReader> make_reader(const InputFile& file, const FormatOptions& options,
                                          const ReadMode& mode);

}  // namespace idsync::file
