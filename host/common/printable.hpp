// Anchors may be binary (objectGUID); messages show them as text when they are printable
// ASCII and as 0x-hex otherwise.
#pragma once

#include <string>
#include <string_view>

namespace idsync::common {

std::string printable(std::string_view anchor);

}  // namespace idsync::common
