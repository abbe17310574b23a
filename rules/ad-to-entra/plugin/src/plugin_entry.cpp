// The plugin's only exported symbol: idsync_plugin_entry_v1, describing rule type
// "ad-to-entra.rules", the functions the standard AD to Entra ID rules call.
#include "rule_functions.hpp"

namespace sdk = idsync::sdk;

// RandomPassword breaks the SDK's purity contract on purpose: a password must be new for every
// account. That is safe because the host neither caches nor folds function calls, and the rules
// use it only in an apply-once flow into a secret attribute, which the engine sends in the add
// that provisions an object and never compares or sends again.
IDSYNC_PLUGIN(
    "ad-to-entra-rules", "1.0.0",
    sdk::rule_type(
        "ad-to-entra.rules",
        "Functions of the standard AD to Microsoft Entra ID sync rules: the immutable ID, "
        "initial passwords and mail nicknames Graph accepts.",
        {sdk::function<&ad_to_entra::immutable_id>(
             "ImmutableId", 1, 1,
             "ImmutableId(guid): the base64 of the GUID's 16 bytes in Active Directory's byte "
             "order, Entra ID's onPremisesImmutableId (\"4c045603-48d5-4264-94ac-f2db0ab2a15c\" "
             "gives \"A1YETNVIZEKUrPLbCrKhXA==\"). guid: objectGUID as text, or 16 binary bytes "
             "such as mS-DS-ConsistencyGuid; single-valued; NULL stays NULL; error for anything "
             "that is not a GUID."),
         sdk::function<&ad_to_entra::guid_to_binary>(
             "GuidToBinary", 1, 1,
             "GuidToBinary(guid): the GUID's 16 bytes in Active Directory's byte order as a "
             "binary value, comparable with mS-DS-ConsistencyGuid (16 binary bytes pass "
             "through); single-valued; NULL stays NULL; error for anything that is not a GUID."),
         sdk::function<&ad_to_entra::random_password_fn>(
             "RandomPassword", 0, 1,
             "RandomPassword([length]): a new cryptographically random password on every call "
             "(upper and lower case letters, digits and symbols, each at least once), length 16 "
             "to 256, default 32. Not pure: use it only in an apply-once flow into a secret "
             "attribute, the initial password of a provisioned account."),
         sdk::function<&ad_to_entra::cloud_mail_nickname_fn>(
             "CloudMailNickname", 1, 1,
             "CloudMailNickname(alias): each value without the characters Microsoft Graph "
             "refuses in mailNickname (non-ASCII, control characters, space and "
             "@ ( ) \\ [ ] \" ; : < > ,), cut to 64 characters; values with nothing left are "
             "dropped, so NULL stays NULL.")}))
