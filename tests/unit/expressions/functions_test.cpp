// Every built-in function, with NULL, multi-valued and coercion edge cases.
#include "eval_helpers.hpp"

using namespace idsync::expr;
using namespace idsync::expr::test;

TEST_CASE("IsPresent, IsNullOrEmpty, IsString", "[functions]") {
  CHECK(boolean("IsPresent([sn])"));
  CHECK_FALSE(boolean("IsPresent([missing])"));
  CHECK_FALSE(boolean("IsPresent([emptyText])"));
  CHECK(boolean("IsPresent([proxyAddresses])"));
  CHECK(boolean("IsNullOrEmpty([emptyText])"));
  CHECK(boolean("IsNullOrEmpty(NULL)"));
  CHECK_FALSE(boolean("IsNullOrEmpty(0)"));
  CHECK(boolean("IsString([sn])"));
  CHECK(boolean("IsString([manager])"));
  CHECK_FALSE(boolean("IsString(42)"));
  CHECK_FALSE(boolean("IsString(NULL)"));
}

TEST_CASE("Left, Right, Mid", "[functions]") {
  CHECK(str(R"~(Left("John Doe", 3))~") == "Joh");
  CHECK(str(R"~(Left("John Doe", 0))~") == "");
  CHECK(str(R"~(Left("John Doe", -1))~") == "John Doe");
  CHECK(str(R"~(Left("Jo", 5))~") == "Jo");
  CHECK(str("Left([missing], 2)") == "");
  CHECK(str(R"~(Left("Émile", 2))~") == "Ém");  // characters, not bytes
  CHECK(str("Left([employeeID], \"3\")") == "000");
  CHECK(str(R"~(Right("John Doe", 3))~") == "Doe");
  CHECK(str(R"~(Right("John Doe", 0))~") == "");
  CHECK(str(R"~(Right("John Doe", -2))~") == "John Doe");
  CHECK(str(R"~(Right("Doe", 10))~") == "Doe");
  CHECK(str(R"~(Mid("John Doe", 3, 5))~") == "hn Do");
  CHECK(str(R"~(Mid("John Doe", 6, 999))~") == "Doe");
  CHECK(str(R"~(Mid("John Doe", 3, 0))~") == "");
  CHECK(str(R"~(Mid("John Doe", 0, 2))~") == "John Doe");
  CHECK(str(R"~(Mid("John Doe", 20, 2))~") == "John Doe");
  CHECK(str(R"~(Mid([missing], 1, 2))~") == "");
  CHECK(eval_error("Left([proxyAddresses], 1)")
            .rfind("Left at column 1: argument 1: expected a single value, found 3 values", 0) ==
        0);
  CHECK(eval_error(R"~(Left("abc", "x"))~") ==
        R"~(Left at column 1: argument 2: "x" is not a whole number)~");
  CHECK(eval_error(R"~(Left("abc", NULL))~") ==
        "Left at column 1: argument 2: expected a number, found NULL");
}

TEST_CASE("Trim, LCase, UCase, PCase", "[functions]") {
  CHECK(str("Trim(\"  a b \t\")") == "a b");
  CHECK(eval(R"~(Trim(Split(" a , b ", ",")))~") == Value::strings({"a", "b"}));
  CHECK(eval("Trim([missing])").is_null());
  CHECK(str(R"~(LCase("ÀBC"))~") == "àbc");
  CHECK(str(R"~(UCase("àbc"))~") == "ÀBC");
  CHECK(eval("UCase([otherPhone])").size() == 2);
  CHECK(str("UCase(12)") == "12");
  CHECK(str(R"~(PCase("TEsT"))~") == "Test");
  CHECK(str(R"~(PCase("jean-luc  o'neil"))~") == "Jean-luc  O'neil");
}

TEST_CASE("Replace and Word", "[functions]") {
  CHECK(str(R"~(Replace("a-b-c", "-", ""))~") == "abc");
  CHECK(str(R"~(Replace("Line1\r\nLine2", "\r\n", ", "))~") ==
        "Line1\\r\\nLine2");  // no CRLF in it
  MapContext ctx = person();
  ctx.set("address", Value::string("1 Main St\r\nSpringfield"));
  CHECK(run(R"~(Replace([address], "\r\n", ", "))~", ctx).value ==
        Value::string("1 Main St, Springfield"));
  CHECK(eval(R"~(Select($p, [otherPhone], Replace($p, "-", "")))~") ==
        Value::strings({"5551234", "5559876"}));
  CHECK(eval(R"~(Replace([otherPhone], "555-", ""))~") == Value::strings({"1234", "9876"}));
  CHECK(eval(R"~(Replace(NULL, "a", "b"))~").is_null());
  CHECK(eval_error(R"~(Replace("a", "", "b"))~") ==
        "Replace at column 1: argument 2: the text to replace must not be empty");
  CHECK(str(R"~(Word("The quick brown fox", 3, " "))~") == "brown");
  CHECK(str(R"~(Word("This,string!has&many separators", 3, ",!&#"))~") == "has");
  CHECK(str(R"~(Word("a,,b", 2, ","))~") == "b");
  CHECK(str(R"~(Word("a b", 3, " "))~") == "");
  CHECK(str(R"~(Word("a b", 0, " "))~") == "");
  CHECK(str(R"~(Word([missing], 1, " "))~") == "");
}

TEST_CASE("Coalesce", "[functions]") {
  CHECK(str(R"~(Coalesce([missing], [emptyText], [sn], CNum("never")))~") == "Doe");
  CHECK(eval("Coalesce([missing], NULL)").is_null());
  CHECK(eval("Coalesce([otherPhone])").size() == 2);
}

TEST_CASE("CStr, CNum, CBool", "[functions]") {
  CHECK(str("CStr(42)") == "42");
  CHECK(str("CStr(True)") == "True");
  CHECK(str("CStr([manager])") == "CN=Boss,OU=Staff,DC=example,DC=com");
  CHECK(str("CStr(Now())") == "2026-01-01T00:00:00Z");
  CHECK(eval("CStr([missing])").is_null());
  CHECK(num(R"~(CNum("-17"))~") == -17);
  CHECK(num("CNum([employeeID])") == 42);
  CHECK(eval("CNum(NULL)").is_null());
  CHECK(eval_error(R"~(CNum("abc"))~") ==
        R"~(CNum at column 1: argument 1: "abc" is not a whole number)~");
  CHECK(eval_error(R"~(CNum("12.5"))~") ==
        R"~(CNum at column 1: argument 1: "12.5" is not a whole number)~");
  CHECK(eval_error("CNum(True)") ==
        "CNum at column 1: argument 1: expected a number or text, found boolean True");
  CHECK(boolean("CBool([givenName] = \"John\")"));
  CHECK(boolean("CBool(5)"));
  CHECK_FALSE(boolean("CBool(0)"));
  CHECK_FALSE(boolean("CBool(NULL)"));
  CHECK(boolean(R"~(CBool("TRUE"))~"));
  CHECK(eval_error(R"~(CBool("yes"))~") ==
        R"~(CBool at column 1: argument 1: expected True or False, found string "yes")~");
}

TEST_CASE("BitAnd, BitOr", "[functions]") {
  CHECK(num("BitAnd(&HF, &HF7)") == 7);
  CHECK(num("BitOr(&HF0, 5)") == 0xF5);
  CHECK(boolean("BitAnd([userAccountControl], 2) = 2"));  // account disabled
  CHECK(eval_error("BitAnd([missing], 2)") ==
        "BitAnd at column 1: argument 1: expected a number, found NULL");
}

TEST_CASE("Base64 and UTF-8 hex", "[functions]") {
  CHECK(str(R"~(ConvertToBase64("Hello world!"))~") == "SABlAGwAbABvACAAdwBvAHIAbABkACEA");
  CHECK(str(R"~(ConvertFromBase64("SABlAGwAbABvACAAdwBvAHIAbABkACEA"))~") == "Hello world!");
  CHECK(str(R"~(ConvertFromBase64("SGVsbG8gd29ybGQh", UTF8))~") == "Hello world!");
  CHECK(str(R"~(ConvertFromBase64("SGVsbG8gd29ybGQh", "utf8"))~") == "Hello world!");
  CHECK(str(R"~(ConvertFromBase64(ConvertToBase64("Zoë 😀")))~") == "Zoë 😀");
  CHECK(eval("ConvertToBase64(NULL)").is_null());
  CHECK(eval_error(R"~(ConvertFromBase64("abc"))~") ==
        R"~(ConvertFromBase64 at column 1: argument 1: "abc" is not valid base64)~");
  CHECK(eval_error(R"~(ConvertFromBase64("a$c="))~") ==
        R"~(ConvertFromBase64 at column 1: argument 1: "a$c=" is not valid base64)~");
  CHECK(str(R"~(ConvertToUTF8Hex("Hello world!"))~") == "48656C6C6F20776F726C6421");
}

TEST_CASE("StringFromGuid, StringFromSid", "[functions]") {
  MapContext ctx = person();
  const unsigned char guid[16] = {0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde,
                                  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  ctx.set("objectGUID", Value::binary(std::string(reinterpret_cast<const char*>(guid), 16)));
  CHECK(run("StringFromGuid([objectGUID])", ctx).value ==
        Value::string("12345678-9abc-def0-0123-456789abcdef"));
  // S-1-5-21-1-2-3-500
  const unsigned char sid[] = {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0,    0, 1, 0,
                               0, 0, 2, 0, 0, 0, 3, 0, 0,  0, 0xf4, 1, 0, 0};
  ctx.set("objectSid", Value::binary(std::string(reinterpret_cast<const char*>(sid), sizeof sid)));
  CHECK(run("StringFromSid([objectSid])", ctx).value == Value::string("S-1-5-21-1-2-3-500"));
  CHECK(run("StringFromSid([missing])", ctx).kind == Result::Kind::null);
  CHECK_THROWS_WITH(
      run("StringFromGuid([sn])", ctx),
      "StringFromGuid at column 1: argument 1: expected binary, found string \"Doe\"");
  ctx.set("short", Value::binary("abc"));
  CHECK_THROWS_WITH(run("StringFromGuid([short])", ctx),
                    "StringFromGuid at column 1: argument 1: a GUID is 16 bytes, found 3");
}

TEST_CASE("Join, Split, Item, Contains, Count, RemoveDuplicates", "[functions][multivalued]") {
  CHECK(str("Join([otherPhone])") == "555-1234 555-9876");
  CHECK(str(R"~(Join([otherPhone], ""))~") == "555-1234555-9876");
  CHECK(str(R"~(Join([sn], ";"))~") == "Doe");
  CHECK(eval("Join([missing])").is_null());
  CHECK(eval(R"~(Split("a,b,,c", ","))~") == Value::strings({"a", "b", "", "c"}));
  CHECK(eval(R"~(Split("a::b::c", "::", 2))~") == Value::strings({"a", "b::c"}));
  CHECK(eval(R"~(Split("", ","))~").is_null());
  CHECK(eval_error(R"~(Split("a", ""))~") ==
        "Split at column 1: argument 2: the delimiter must not be empty");
  CHECK(str("Item([proxyAddresses], 2)") == "SMTP:john.doe@example.com");
  CHECK(eval_error("Item([proxyAddresses], 4)") ==
        "Item at column 1: argument 2: index 4 is out of range: the value has 3 items");
  CHECK(eval_error("Item([missing], 1)") ==
        "Item at column 1: argument 2: index 1 is out of range: the value has 0 items");
  CHECK(num(R"~(Contains([proxyAddresses], "SMTP:"))~") == 2);
  CHECK(num(R"~(Contains([proxyAddresses], "SMTP:", CaseInsensitive))~") == 1);
  CHECK(num(R"~(Contains([proxyAddresses], "smtp:", caseSensitive))~") == 1);
  CHECK(num(R"~(Contains([proxyAddresses], "X400:"))~") == 0);
  CHECK(num(R"~(Contains([missing], "a"))~") == 0);
  CHECK(num(R"~(Contains([manager], "CN=Boss"))~") == 0);  // references match whole
  CHECK(num(R"~(Contains([manager], "CN=Boss,OU=Staff,DC=example,DC=com"))~") == 1);
  CHECK(str(R"~(Mid(Item([proxyAddresses], Contains([proxyAddresses], "SMTP:")), 6, 999))~") ==
        "john.doe@example.com");
  CHECK(num("Count([proxyAddresses])") == 3);
  CHECK(num("Count([sn])") == 1);
  CHECK(num("Count([missing])") == 0);
  CHECK(eval(R"~(RemoveDuplicates(Split("b,a,b,A,a", ",")))~") == Value::strings({"b", "a", "A"}));
  CHECK(eval("RemoveDuplicates([missing])").is_null());
}

TEST_CASE("Select", "[functions][multivalued]") {
  CHECK(eval(R"~(Select($item, [otherPhone], Replace($item, "-", "")))~") ==
        Value::strings({"5551234", "5559876"}));
  CHECK(eval(R"~(Select($a, Split("x,y", ","), Select($b, Split("1,2", ","), $a & $b)))~") ==
        Value::strings({"x1", "x2", "y1", "y2"}));
  CHECK(eval(R"~(Select($i, [proxyAddresses], IIF(Left($i, 5) = "smtp:", $i, NULL)))~") ==
        Value::strings({"smtp:jd@old.example"}));
  CHECK(eval("Select($i, [missing], $i)").is_null());
}

TEST_CASE("Now, DateAdd, FormatDateTime", "[functions][datetime]") {
  CHECK(eval("Now()") == Value::datetime(1767225600LL * 1000000));
  CHECK(str(R"~(CStr(DateAdd("m", 1, "2024-01-31T10:00:00Z")))~") == "2024-02-29T10:00:00Z");
  CHECK(str(R"~(CStr(DateAdd("yyyy", -1, Now())))~") == "2025-01-01T00:00:00Z");
  CHECK(str(R"~(CStr(DateAdd("q", 1, "2025-11-30")))~") == "2026-02-28T00:00:00Z");
  CHECK(str(R"~(CStr(DateAdd("d", 30, Now())))~") == "2026-01-31T00:00:00Z");
  CHECK(str(R"~(CStr(DateAdd("ww", 1, Now())))~") == "2026-01-08T00:00:00Z");
  CHECK(str(R"~(CStr(DateAdd("h", -1, Now())))~") == "2025-12-31T23:00:00Z");
  CHECK(str(R"~(CStr(DateAdd("n", 90, Now())))~") == "2026-01-01T01:30:00Z");
  CHECK(str(R"~(CStr(DateAdd("s", 1, "2026-01-01T00:00:00.25+01:00")))~") ==
        "2025-12-31T23:00:01.25Z");
  CHECK(eval_error(R"~(DateAdd("x", 1, Now()))~")
            .rfind("DateAdd at column 1: argument 1: unknown interval \"x\"", 0) == 0);
  CHECK(eval_error(R"~(DateAdd("d", 1, "yesterday"))~") ==
        R"~(DateAdd at column 1: argument 3: "yesterday" is not an RFC 3339 date/time)~");
  CHECK(str(R"~(FormatDateTime("2007-12-25T13:04:05.1234567Z", "yyyyMMddHHmmss.0Z"))~") ==
        "20071225130405.0Z");
  CHECK(str(R"~(FormatDateTime("2007-12-25T13:04:05.123Z", "d/M/yy h:mm:ss.fff tt 'at' \H"))~") ==
        "25/12/07 1:04:05.123 PM at H");
  CHECK(eval(R"~(FormatDateTime([missing], "yyyy"))~").is_null());
}
