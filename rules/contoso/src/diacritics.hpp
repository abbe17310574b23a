// Latin text to plain ASCII letters, for names that must be ASCII: mail nicknames, sAMAccountName,
// UPN prefixes.
#pragma once

#include <string>
#include <string_view>

namespace contoso {

// Replaces Latin letters with diacritics by their base letters (é→e, Å→A, ç→c, ł→l, ő→o, ș→s)
// and spells out the ones that have none: ß→ss, æ→ae, œ→oe, ø→o, þ→th, ð→d, ĳ→ij. Covers
// Latin-1 Supplement, Latin Extended-A, the Romanian comma letters and ẞ; drops combining
// accents (U+0300..U+036F) so decomposed (NFD) input works too. Everything else, including
// other scripts, is kept as it is. German umlauts become the bare vowel (ü→u), not "ue": the
// function removes marks, it does not transliterate by language.
//
// Throws idsync::sdk::Error(IDSYNC_ERR_INVALID_VALUE) when `utf8` is not valid UTF-8. Pure.
std::string remove_diacritics(std::string_view utf8);

}  // namespace contoso
