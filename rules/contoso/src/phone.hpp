// Phone numbers to E.164 ("+<country code><subscriber number>", digits only), the form Entra ID,
// Teams and most telephony systems expect in telephoneNumber and mobile.
#pragma once

#include <string>
#include <string_view>

namespace contoso {

// Normalizes one phone number as people type it: "+44 20 7946 0958", "(425) 555-0100",
// "0049 (0)30 1234567", "020 7946 0958".
//
//  * Separators (spaces, - . / ( )) are ignored; an extension ("x12", "ext. 12", "#12") is
//    dropped, because E.164 has none.
//  * "+" or the international prefix "00" (and "011" when the default country is 1) mean the
//    number carries its country code. A "(0)" after the country code is dropped.
//  * Otherwise the number is national: `default_country_code` (digits, optional leading "+") is
//    put in front, after dropping the national trunk prefix: one leading "0" (except Italy, 39,
//    where it is part of the number), or for North America (1) a leading "1" of an 11-digit
//    number, which must then have 10 digits.
//
// Throws idsync::sdk::Error(IDSYNC_ERR_INVALID_VALUE) naming the number when it has letters
// (other than the extension marker), no digits, a national number without a default country
// code, or a result outside E.164's 7..15 digits. Pure and thread-safe.
std::string normalize_e164(std::string_view number, std::string_view default_country_code);

}  // namespace contoso
