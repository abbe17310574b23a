#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <idsync/sdk.hpp>

#include "auth/base64url.hpp"
#include "auth/jwt_assertion.hpp"
#include "test_pki.hpp"

using namespace idsync::msgraph;
using idsync::msgraph::test::test_pki;

namespace {

struct Jwt {
  boost::json::object header, claims;
  std::string signing_input, signature;
};

Jwt split(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  REQUIRE(token.find('.', second + 1) == std::string::npos);
  Jwt out;
  const auto header = base64url_decode(token.substr(0, first));
  const auto claims = base64url_decode(token.substr(first + 1, second - first - 1));
  const auto signature = base64url_decode(token.substr(second + 1));
  REQUIRE(header);
  REQUIRE(claims);
  REQUIRE(signature);
  out.header = boost::json::parse(*header).as_object();
  out.claims = boost::json::parse(*claims).as_object();
  out.signing_input = token.substr(0, second);
  out.signature = *signature;
  return out;
}

const std::chrono::system_clock::time_point kNow{std::chrono::seconds{1714564800}};
const std::string kEndpoint =
    "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";

}  // namespace

TEST_CASE("client assertion: signed RS256 by the certificate's key", "[jwt]") {
  const auto& pki = test_pki();
  const auto cert = SigningCertificate::from_pem(pki.certificate_pem, pki.private_key_pem);
  const std::string token =
      make_client_assertion(cert, "11111111-2222-3333-4444-555555555555", kEndpoint, kNow);
  const Jwt jwt = split(token);
  CHECK(test::verify_rs256(pki.certificate_pem, jwt.signing_input, jwt.signature));
  // Any change to the signed part breaks the signature.
  CHECK_FALSE(test::verify_rs256(pki.certificate_pem, jwt.signing_input + "x", jwt.signature));
  CHECK_FALSE(test::verify_rs256(test::second_test_pki().certificate_pem, jwt.signing_input,
                                 jwt.signature));
}

TEST_CASE("client assertion: header names the certificate by thumbprint", "[jwt]") {
  const auto& pki = test_pki();
  const auto cert = SigningCertificate::from_pem(pki.certificate_pem, pki.private_key_pem);
  const Jwt jwt = split(make_client_assertion(cert, "app", kEndpoint, kNow));
  CHECK(jwt.header.at("alg") == "RS256");
  CHECK(jwt.header.at("typ") == "JWT");
  CHECK(jwt.header.at("x5t").as_string() ==
        base64url_encode(test::certificate_digest(pki.certificate_pem, false)));
  CHECK(jwt.header.at("x5t#S256").as_string() ==
        base64url_encode(test::certificate_digest(pki.certificate_pem, true)));
  CHECK(cert.x5t() == jwt.header.at("x5t").as_string());
  CHECK(cert.thumbprint().size() == 40);
  CHECK(cert.not_after() > kNow);
}

TEST_CASE("client assertion: claims per RFC 7523", "[jwt]") {
  const auto& pki = test_pki();
  const auto cert = SigningCertificate::from_pem(pki.certificate_pem, pki.private_key_pem);
  const Jwt a = split(make_client_assertion(cert, "the-client", kEndpoint, kNow));
  const Jwt b = split(make_client_assertion(cert, "the-client", kEndpoint, kNow));
  const int64_t now = 1714564800;
  CHECK(a.claims.at("aud") == kEndpoint.c_str());
  CHECK(a.claims.at("iss") == "the-client");
  CHECK(a.claims.at("sub") == "the-client");
  CHECK(a.claims.at("nbf").to_number<int64_t>() == now);
  CHECK(a.claims.at("iat").to_number<int64_t>() == now);
  CHECK(a.claims.at("exp").to_number<int64_t>() == now + 600);
  const std::string jti(a.claims.at("jti").as_string());
  CHECK(jti.size() == 36);
  CHECK(jti[14] == '4');                            // version 4 UUID
  CHECK(a.claims.at("jti") != b.claims.at("jti"));  // never reused
}

TEST_CASE("signing certificate: the key may come with the certificate", "[jwt]") {
  const auto& pki = test_pki();
  const auto combined = SigningCertificate::from_pem(pki.certificate_pem + pki.private_key_pem, "");
  const auto key_first =
      SigningCertificate::from_pem(pki.private_key_pem + pki.certificate_pem, "");
  const Jwt jwt = split(make_client_assertion(combined, "app", kEndpoint, kNow));
  CHECK(test::verify_rs256(pki.certificate_pem, jwt.signing_input, jwt.signature));
  CHECK(key_first.x5t() == combined.x5t());
}

TEST_CASE("signing certificate: bad input is a configuration error", "[jwt]") {
  const auto& pki = test_pki();
  const auto& other = test::second_test_pki();
  auto config_error = [](std::string_view cert, std::string_view key) -> std::string {
    try {
      SigningCertificate::from_pem(cert, key);
    } catch (const idsync::sdk::Error& e) {
      CHECK(e.kind() == IDSYNC_ERR_CONFIG);
      CHECK(e.status() == IDSYNC_ERROR);
      return e.what();
    }
    FAIL("no error");
    return {};
  };
  CHECK_THAT(config_error("not a certificate", pki.private_key_pem),
             Catch::Contains("not a PEM certificate"));
  CHECK_THAT(config_error(pki.certificate_pem,
                          "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
             Catch::Contains("private key"));
  CHECK_THAT(config_error(pki.certificate_pem, ""), Catch::Contains("no private key"));
  const std::string mismatch = config_error(pki.certificate_pem, other.private_key_pem);
  CHECK_THAT(mismatch, Catch::Contains("does not belong"));
  // An encrypted key is refused without prompting for a passphrase.
  config_error(pki.certificate_pem, pki.encrypted_key_pem);
  // No message quotes key material.
  const std::string key_body = other.private_key_pem.substr(40, 40);
  CHECK(mismatch.find(key_body) == std::string::npos);
}
