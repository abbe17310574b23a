// Client assertions for certificate credentials: a JWT signed with the application's private key
// (RFC 7523, section 2.2, as the Microsoft identity platform takes it), sent to the token
// endpoint instead of a client secret.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

// OpenSSL's types, declared here so that users of this header need not include OpenSSL.
struct x509_st;
struct evp_pkey_st;

namespace idsync::msgraph {

// A certificate registered with the application and its RSA private key. Cheap to copy (the
// parsed objects are shared and never modified).
class SigningCertificate {
 public:
  // Parses the first certificate of `certificate_pem` and the private key of `private_key_pem`,
  // or of `certificate_pem` when `private_key_pem` is empty (a combined PEM file). Throws
  // sdk::Error(IDSYNC_ERR_CONFIG) when there is no certificate or no key, when the key is
  // encrypted (never prompts), is not RSA (RS256 needs one), or does not belong to the
  // certificate. Messages name the problem, never key material.
  static SigningCertificate from_pem(std::string_view certificate_pem,
                                     std::string_view private_key_pem);

  // The JWT header thumbprints: base64url of the SHA-1 / SHA-256 of the DER certificate.
  const std::string& x5t() const { return x5t_; }
  const std::string& x5t_s256() const { return x5t_s256_; }
  // The SHA-1 thumbprint in upper-case hex, as the Entra admin center shows it (for messages).
  const std::string& thumbprint() const { return thumbprint_; }
  // End of the certificate's validity, so the caller can warn before Entra refuses it.
  std::chrono::system_clock::time_point not_after() const { return not_after_; }

  // RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `data`. Throws
  // sdk::Error(IDSYNC_ERR_INTERNAL) if OpenSSL fails.
  std::string sign_rs256(std::string_view data) const;

 private:
  SigningCertificate() = default;
  std::shared_ptr<x509_st> certificate_;
  std::shared_ptr<evp_pkey_st> key_;
  std::string x5t_, x5t_s256_, thumbprint_;
  std::chrono::system_clock::time_point not_after_{};
};

// A signed client assertion: header {"alg":"RS256","typ":"JWT","x5t":..,"x5t#S256":..}, claims
// aud = `token_endpoint`, iss = sub = `client_id`, jti = a random UUID, nbf = iat = `now`,
// exp = `now` + 10 minutes (NumericDate seconds). The result is a credential: never log it.
std::string make_client_assertion(const SigningCertificate& certificate, std::string_view client_id,
                                  std::string_view token_endpoint,
                                  std::chrono::system_clock::time_point now);

}  // namespace idsync::msgraph
