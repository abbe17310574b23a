// Where the Graph request layer gets its bearer tokens from.
#pragma once

#include <string>

namespace idsync::msgraph {

class TokenProvider {
 public:
  virtual ~TokenProvider() = default;
  // A valid access token, cached until shortly before it expires. Throws sdk::Error when none
  // can be had; the message never contains a credential or a token.
  virtual std::string access_token() = 0;
  // After a 401: the next access_token() fetches a new one.
  virtual void invalidate() = 0;
};

}  // namespace idsync::msgraph
