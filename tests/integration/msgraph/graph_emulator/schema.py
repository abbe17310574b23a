"""The user and group properties the emulator knows, as the Graph v1.0 resource pages list them.

Access: "rw" writable, "ro" set by the service only, "wo" accepted on write but never returned.
"""
from dataclasses import dataclass, field

STRING, BOOL, STRINGS, OBJECT = "string", "bool", "strings", "object"


@dataclass(frozen=True)
class EntityType:
    name: str                 # "user" / "group": also the key of the change log
    collection: str           # URL segment: "users" / "groups"
    odata_type: str
    properties: dict          # name -> (type, access)
    required_on_create: tuple
    default_select: tuple     # returned when a request has no $select
    filter_eq: frozenset      # properties `eq` may filter on
    filter_startswith: frozenset = field(default_factory=frozenset)

    def readable(self):
        return [name for name, (_, access) in self.properties.items() if access != "wo"]


USER = EntityType(
    name="user", collection="users", odata_type="#microsoft.graph.user",
    properties={
        "id": (STRING, "ro"), "accountEnabled": (BOOL, "rw"), "displayName": (STRING, "rw"),
        "givenName": (STRING, "rw"), "surname": (STRING, "rw"),
        "userPrincipalName": (STRING, "rw"), "mailNickname": (STRING, "rw"),
        "mail": (STRING, "rw"), "proxyAddresses": (STRINGS, "ro"), "otherMails": (STRINGS, "rw"),
        "department": (STRING, "rw"), "jobTitle": (STRING, "rw"),
        "usageLocation": (STRING, "rw"), "employeeId": (STRING, "rw"),
        "companyName": (STRING, "rw"), "officeLocation": (STRING, "rw"),
        "mobilePhone": (STRING, "rw"), "businessPhones": (STRINGS, "rw"),
        "city": (STRING, "rw"), "country": (STRING, "rw"), "state": (STRING, "rw"),
        "streetAddress": (STRING, "rw"), "postalCode": (STRING, "rw"),
        "onPremisesImmutableId": (STRING, "rw"), "passwordProfile": (OBJECT, "wo"),
        "createdDateTime": (STRING, "ro"), "userType": (STRING, "rw"),
        "preferredLanguage": (STRING, "rw"),
        # Set only by Microsoft's own sync service: null for a user created through Graph.
        "onPremisesSyncEnabled": (BOOL, "ro"),
    },
    required_on_create=("accountEnabled", "displayName", "mailNickname", "userPrincipalName",
                        "passwordProfile"),
    # The documented default property set of GET /users.
    default_select=("businessPhones", "displayName", "givenName", "id", "jobTitle", "mail",
                    "mobilePhone", "officeLocation", "preferredLanguage", "surname",
                    "userPrincipalName"),
    filter_eq=frozenset({"userPrincipalName", "mail", "mailNickname", "displayName",
                         "onPremisesImmutableId", "id", "accountEnabled", "employeeId"}),
    filter_startswith=frozenset({"userPrincipalName", "mail", "mailNickname", "displayName",
                                 "givenName", "surname"}),
)

GROUP = EntityType(
    name="group", collection="groups", odata_type="#microsoft.graph.group",
    properties={
        "id": (STRING, "ro"), "displayName": (STRING, "rw"), "description": (STRING, "rw"),
        "mailNickname": (STRING, "rw"), "mailEnabled": (BOOL, "rw"),
        "securityEnabled": (BOOL, "rw"), "groupTypes": (STRINGS, "rw"), "mail": (STRING, "ro"),
        "proxyAddresses": (STRINGS, "ro"), "createdDateTime": (STRING, "ro"),
    },
    required_on_create=("displayName", "mailEnabled", "mailNickname", "securityEnabled"),
    default_select=("id", "displayName", "description", "mailNickname", "mailEnabled",
                    "securityEnabled", "groupTypes", "mail", "proxyAddresses",
                    "createdDateTime"),
    filter_eq=frozenset({"displayName", "mailNickname", "mail", "id", "securityEnabled",
                         "mailEnabled"}),
    filter_startswith=frozenset({"displayName", "mailNickname", "mail"}),
)

ENTITY_TYPES = {USER.name: USER, GROUP.name: GROUP}
BY_COLLECTION = {USER.collection: USER, GROUP.collection: GROUP}
