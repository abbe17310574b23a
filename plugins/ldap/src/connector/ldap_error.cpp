#include "ldap_error.hpp"

#include <ldap.h>

namespace idsync::ldap {

Classified classify(int code) {
  switch (code) {
    case LDAP_SUCCESS:
      return {IDSYNC_OK, IDSYNC_ERR_NONE};
    case LDAP_SERVER_DOWN:
    case LDAP_CONNECT_ERROR:
    case LDAP_UNAVAILABLE:
    case LDAP_BUSY:
      return {IDSYNC_RETRY, IDSYNC_ERR_CONNECTION};
    case LDAP_TIMEOUT:
    case LDAP_TIMELIMIT_EXCEEDED:
      return {IDSYNC_RETRY, IDSYNC_ERR_TIMEOUT};
    case LDAP_INVALID_CREDENTIALS:
    case LDAP_INAPPROPRIATE_AUTH:
    case LDAP_STRONG_AUTH_REQUIRED:
    case LDAP_CONFIDENTIALITY_REQUIRED:
      return {IDSYNC_ERROR, IDSYNC_ERR_CONFIG};
    case LDAP_INSUFFICIENT_ACCESS:
    case LDAP_UNWILLING_TO_PERFORM:
      return {IDSYNC_ERROR, IDSYNC_ERR_PERMISSION};
    case LDAP_NO_SUCH_OBJECT:
      return {IDSYNC_ERROR, IDSYNC_ERR_UNKNOWN_OBJECT};
    case LDAP_ALREADY_EXISTS:
      return {IDSYNC_ERROR, IDSYNC_ERR_ALREADY_EXISTS};
    case LDAP_CONSTRAINT_VIOLATION:
    case LDAP_INVALID_SYNTAX:
    case LDAP_OBJECT_CLASS_VIOLATION:
    case LDAP_UNDEFINED_TYPE:
    case LDAP_TYPE_OR_VALUE_EXISTS:
    case LDAP_NO_SUCH_ATTRIBUTE:
    case LDAP_INVALID_DN_SYNTAX:
    case LDAP_NAMING_VIOLATION:
    case LDAP_NOT_ALLOWED_ON_NONLEAF:
    case LDAP_NOT_ALLOWED_ON_RDN:
    case LDAP_ADMINLIMIT_EXCEEDED:
    case LDAP_SIZELIMIT_EXCEEDED:
      return {IDSYNC_ERROR, IDSYNC_ERR_INVALID_VALUE};
    case LDAP_UNAVAILABLE_CRITICAL_EXTENSION:
    case LDAP_PROTOCOL_ERROR:
    case LDAP_REFERRAL:
    case LDAP_PARTIAL_RESULTS:
      return {IDSYNC_ERROR, IDSYNC_ERR_PRECONDITION};
    case LDAP_NO_MEMORY:
      return {IDSYNC_FATAL, IDSYNC_ERR_INTERNAL};
    default:
      return {IDSYNC_ERROR, IDSYNC_ERR_INTERNAL};
  }
}

std::string describe(int code, std::string_view what, std::string_view server_message) {
  std::string out(what);
  out += ": ";
  out += ldap_err2string(code);
  out += " (LDAP code " + std::to_string(code) + ")";
  if (!server_message.empty()) {
    out += ": ";
    out += server_message;
  }
  return out;
}

void throw_ldap(int code, std::string_view what, std::string_view server_message) {
  const Classified c = classify(code);
  // An import or a test stops on any of these; RETRY is how an export operation is retried,
  // and for a whole hook the host treats a connectivity kind the same either way.
  throw sdk::Error(c.kind, describe(code, what, server_message),
                   c.status == IDSYNC_OK ? IDSYNC_ERROR : c.status);
}

}  // namespace idsync::ldap
