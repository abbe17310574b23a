#include "auth/jwt_assertion.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/json.hpp>
#include <ctime>
#include <idsync/sdk.hpp>

#include "auth/base64url.hpp"
#include "http/uuid.hpp"

namespace idsync::msgraph {
namespace {

// The reason of OpenSSL's most recent error, then an empty queue. Reasons are fixed texts such
// as "bad decrypt" or "no start line", never key material.
std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  std::string reason;
  if (code != 0) {
    const char* text = ERR_reason_error_string(code);
    reason = text ? text : "error " + std::to_string(code);
  }
  ERR_clear_error();
  return reason;
}

[[noreturn]] void config_error(const std::string& what) {
  const std::string reason = openssl_reason();
  throw sdk::Error(IDSYNC_ERR_CONFIG, reason.empty() ? what : what + " (" + reason + ")");
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::unique_ptr<BIO, BioFree> memory_bio(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw std::bad_alloc();
  return bio;
}

// Refuses to decrypt: OpenSSL's default would prompt on the terminal.
int no_passphrase(char*, int, int, void*) { return -1; }

std::string digest(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1)
    throw sdk::Error(IDSYNC_ERR_INTERNAL, "a certificate digest failed: " + openssl_reason());
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string upper_hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : bytes) {
    out += kHex[static_cast<unsigned char>(c) >> 4];
    out += kHex[static_cast<unsigned char>(c) & 0xf];
  }
  return out;
}

int64_t epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

SigningCertificate SigningCertificate::from_pem(std::string_view certificate_pem,
                                                std::string_view private_key_pem) {
  ERR_clear_error();
  SigningCertificate out;

  auto cert_bio = memory_bio(certificate_pem);
  X509* cert = PEM_read_bio_X509(cert_bio.get(), nullptr, no_passphrase, nullptr);
  if (!cert) config_error("the client certificate is not a PEM certificate");
  out.certificate_.reset(cert, X509_free);

  const std::string_view key_pem = private_key_pem.empty() ? certificate_pem : private_key_pem;
  auto key_bio = memory_bio(key_pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, no_passphrase, nullptr);
  if (!key)
    config_error(private_key_pem.empty()
                     ? "the client certificate PEM holds no private key (or an encrypted one, "
                       "which is not supported); give the key separately"
                     : "the private key is not an unencrypted PEM private key");
  out.key_.reset(key, EVP_PKEY_free);

  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
    config_error("the private key is not an RSA key; client assertions are signed with RS256");
  if (X509_check_private_key(cert, key) != 1)
    config_error("the private key does not belong to the client certificate");

  unsigned char* der = nullptr;
  const int der_len = i2d_X509(cert, &der);
  if (der_len <= 0) config_error("the client certificate cannot be encoded");
  const std::string der_bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);
  const std::string sha1 = digest(EVP_sha1(), der_bytes);
  out.x5t_ = base64url_encode(sha1);
  out.x5t_s256_ = base64url_encode(digest(EVP_sha256(), der_bytes));
  out.thumbprint_ = upper_hex(sha1);

  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1)
    out.not_after_ = std::chrono::system_clock::from_time_t(timegm(&tm));
  ERR_clear_error();
  return out;
}

std::string SigningCertificate::sign_rs256(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1)
    throw sdk::Error(IDSYNC_ERR_INTERNAL,
                     "signing the client assertion failed: " + openssl_reason());
  std::string signature(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw sdk::Error(IDSYNC_ERR_INTERNAL,
                     "signing the client assertion failed: " + openssl_reason());
  signature.resize(len);
  return signature;
}

std::string make_client_assertion(const SigningCertificate& certificate, std::string_view client_id,
                                  std::string_view token_endpoint,
                                  std::chrono::system_clock::time_point now) {
  const boost::json::object header{{"alg", "RS256"},
                                   {"typ", "JWT"},
                                   {"x5t", certificate.x5t()},
                                   {"x5t#S256", certificate.x5t_s256()}};
  const int64_t issued = epoch_seconds(now);
  const boost::json::object claims{{"aud", token_endpoint}, {"iss", client_id},
                                   {"sub", client_id},      {"jti", http::random_uuid()},
                                   {"nbf", issued},         {"iat", issued},
                                   {"exp", issued + 600}};
  const std::string signing_input = base64url_encode(boost::json::serialize(header)) + "." +
                                    base64url_encode(boost::json::serialize(claims));
  return signing_input + "." + base64url_encode(certificate.sign_rs256(signing_input));
}

}  // namespace idsync::msgraph
