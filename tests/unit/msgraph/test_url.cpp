#include <catch2/catch.hpp>

#include "http/url.hpp"

using namespace idsync::http;

TEST_CASE("percent_encode keeps only unreserved characters", "[url]") {
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(percent_encode("a b/c?d=e&f#g") == "a%20b%2Fc%3Fd%3De%26f%23g");
  CHECK(percent_encode("o'neil+x@contoso.com") == "o%27neil%2Bx%40contoso.com");
  CHECK(percent_encode("J\xc3\xbcrgen") == "J%C3%BCrgen");
  CHECK(percent_encode(std::string_view("\0\xff", 2)) == "%00%FF");
  CHECK(percent_encode("") == "");
}

TEST_CASE("form_encode builds an x-www-form-urlencoded body", "[url]") {
  CHECK(form_encode({{"grant_type", "client_credentials"},
                     {"scope", "https://graph.microsoft.com/.default"},
                     {"client_secret", "a b+c&d=e~*"}}) ==
        "grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
        "&client_secret=a+b%2Bc%26d%3De%7E*");
  CHECK(form_encode({}) == "");
  CHECK(form_encode({{"empty", ""}}) == "empty=");
}

TEST_CASE("url_host names only the host", "[url]") {
  CHECK(url_host("https://graph.microsoft.com/v1.0/users?$top=5") == "graph.microsoft.com");
  CHECK(url_host("https://login.microsoftonline.com:443/x") == "login.microsoftonline.com");
  CHECK(url_host("https://user:secret@proxy.example:8080") == "proxy.example");
  CHECK(url_host("http://[::1]:8443/path") == "[::1]");
  CHECK(url_host("http://127.0.0.1:1") == "127.0.0.1");
  CHECK(url_host("/users") == "");
  CHECK(url_host("not a url") == "");
}

TEST_CASE("url_origin compares servers, not prefixes", "[url]") {
  CHECK(url_origin("https://graph.microsoft.com/v1.0") == "https://graph.microsoft.com");
  CHECK(url_origin("HTTPS://Graph.Microsoft.COM/v1.0/users/delta?$deltatoken=x") ==
        "https://graph.microsoft.com");
  CHECK(url_origin("https://graph.microsoft.com:8443/x") == "https://graph.microsoft.com:8443");
  CHECK(url_origin("https://graph.microsoft.com.evil.example/v1.0") !=
        url_origin("https://graph.microsoft.com/v1.0"));
  CHECK(url_origin("https://graph.microsoft.com@evil.example/v1.0") == "https://evil.example");
  CHECK(url_origin("/v1.0/users") == "");
}

TEST_CASE("url_path drops scheme, authority and query", "[url]") {
  CHECK(url_path("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc") ==
        "/v1.0/users/delta");
  CHECK(url_path("/users/delta()?$select=id") == "/users/delta()");
  CHECK(url_path("https://graph.microsoft.com") == "");
}
