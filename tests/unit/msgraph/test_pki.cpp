#include "test_pki.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

namespace idsync::msgraph::test {
namespace {

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

TestPki make_pki(const char* common_name) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  check(key != nullptr, "RSA key generation");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_guard(key, EVP_PKEY_free);

  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  check(X509_set_version(cert.get(), 2) == 1, "version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 4711) == 1, "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(cert.get(), key) == 1, "public key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                                   0) == 1,
        "subject");
  check(X509_set_issuer_name(cert.get(), name) == 1, "issuer");
  check(X509_sign(cert.get(), key, EVP_sha256()) > 0, "signature");

  TestPki out;
  std::unique_ptr<BIO, decltype(&BIO_free)> cert_bio(BIO_new(BIO_s_mem()), BIO_free);
  check(PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1, "certificate PEM");
  out.certificate_pem = bio_text(cert_bio.get());
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(BIO_new(BIO_s_mem()), BIO_free);
  check(PEM_write_bio_PrivateKey(key_bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "key PEM");
  out.private_key_pem = bio_text(key_bio.get());
  std::unique_ptr<BIO, decltype(&BIO_free)> enc_bio(BIO_new(BIO_s_mem()), BIO_free);
  static char pass[] = "pass";
  check(PEM_write_bio_PKCS8PrivateKey(enc_bio.get(), key, EVP_aes_128_cbc(), pass, 4, nullptr,
                                      nullptr) == 1,
        "encrypted key PEM");
  out.encrypted_key_pem = bio_text(enc_bio.get());
  return out;
}

X509* read_cert(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), (int)pem.size()),
                                                BIO_free);
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  check(cert != nullptr, "read certificate");
  return cert;
}

}  // namespace

const TestPki& test_pki() {
  static const TestPki pki = make_pki("idsync test client");
  return pki;
}

const TestPki& second_test_pki() {
  static const TestPki pki = make_pki("another test client");
  return pki;
}

bool verify_rs256(const std::string& certificate_pem, const std::string& data,
                  const std::string& signature) {
  std::unique_ptr<X509, decltype(&X509_free)> cert(read_cert(certificate_pem), X509_free);
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size()) == 1;
}

std::string certificate_digest(const std::string& certificate_pem, bool sha256) {
  std::unique_ptr<X509, decltype(&X509_free)> cert(read_cert(certificate_pem), X509_free);
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert.get(), &der);
  check(len > 0, "DER");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_Digest(der, static_cast<std::size_t>(len), md, &md_len, sha256 ? EVP_sha256() : EVP_sha1(),
             nullptr);
  OPENSSL_free(der);
  return std::string(reinterpret_cast<const char*>(md), md_len);
}

}  // namespace idsync::msgraph::test
