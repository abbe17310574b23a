// The plugin's only exported symbol: idsync_plugin_entry_v1, describing rule type
// "contoso.rules".
#include "rule_functions.hpp"

namespace sdk = idsync::sdk;

IDSYNC_PLUGIN(
    "contoso-rules", "0.1.0",
    sdk::rule_type(
        "contoso.rules",
        "Sample rule plugin: phone numbers to E.164, ASCII names and mail nicknames.",
        {sdk::function<&contoso::normalize_phone>(
             "NormalizePhone", 1, 2,
             "NormalizePhone(number [, default_country_code]): each value to E.164 (\"+4420...\"); "
             "national numbers take the default country code; extensions are dropped; NULL stays "
             "NULL; error for text that is not a phone number."),
         sdk::function<&contoso::remove_diacritics_fn>(
             "RemoveDiacritics", 1, 1,
             "RemoveDiacritics(text): Latin letters without their marks (é→e, ø→o, ß→ss, æ→ae, "
             "œ→oe, þ→th); other characters unchanged; each value of a multi-valued text; NULL "
             "stays NULL."),
         sdk::function<&contoso::mail_nickname_fn>(
             "MailNickname", 1, 8,
             "MailNickname(part, ...): a lower-case ASCII alias from name parts joined with '.', "
             "at most 64 characters (\"jose.garcia\"); NULL parts are skipped; NULL when nothing "
             "usable is left.")},
        {sdk::transform<&contoso::derive_mail_nickname>(
            "DeriveMailNickname",
            "Sets mailNickname from givenName and sn as MailNickname([givenName], [sn]) does; "
            "sets nothing when neither has a usable character.")}))
