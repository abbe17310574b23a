// A throw-away RSA 2048 key and a self-signed certificate made through OpenSSL's API, as PEM.
#pragma once

#include <string>

namespace idsync::msgraph::test {

struct TestPki {
  std::string certificate_pem;
  std::string private_key_pem;
  std::string encrypted_key_pem;  // the same key, PKCS#8 encrypted with passphrase "pass"
};

// Made once per process (key generation takes a moment). `second_test_pki()` is another key pair.
const TestPki& test_pki();
const TestPki& second_test_pki();

// True when `signature` is a valid RS256 signature of `data` by the certificate's key.
bool verify_rs256(const std::string& certificate_pem, const std::string& data,
                  const std::string& signature);

// SHA-1 / SHA-256 of the certificate's DER encoding (raw bytes).
std::string certificate_digest(const std::string& certificate_pem, bool sha256);

}  // namespace idsync::msgraph::test
