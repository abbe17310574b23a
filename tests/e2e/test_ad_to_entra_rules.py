"""The standard AD to Microsoft Entra ID rules (rules/ad-to-entra) through the real engine and
their rule plugin, with the file connector standing in for both sides: AD as an LDIF file with
AD's attribute names and object classes, Entra ID as a JSON Lines file of DN-less `user` and
`group` objects whose anchor `id` the target assigns on add, as Microsoft Graph does.

What the stand-in cannot show: it declares no secret attribute, so `password` is plain data in
its file (the msgraph connector declares it secret, and the engine then sends it only in the add
that creates a user), and its JSON Lines booleans and integers are the only typing it has.

Run through CTest, or by hand:
  IDSYNC_BUILD_DIR=build python3 -m unittest -v test_ad_to_entra_rules
"""
import base64
import json
import os
import sys
import unittest
import uuid

SOURCE = os.environ.get("IDSYNC_SOURCE_DIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(SOURCE, "tests", "integration", "ldap"))
from idsync_workspace import IdsyncWorkspace  # noqa: E402

RULES = os.path.join(SOURCE, "rules", "ad-to-entra")
PEOPLE = "OU=People,DC=contoso,DC=example"
GROUPS = "OU=Groups,DC=contoso,DC=example"
SYSTEM = "CN=Users,DC=contoso,DC=example"

ADA_GUID = "4c045603-48d5-4264-94ac-f2db0ab2a15c"
ADA_IMMUTABLE_ID = "A1YETNVIZEKUrPLbCrKhXA=="
# Bob's mS-DS-ConsistencyGuid (bytes that are not UTF-8, so the LDIF reader types it binary):
# it wins over his objectGUID, as after a move from another forest.
BOB_CONSISTENCY = bytes.fromhex("ffeeddccbbaa99887766554433221100")
BOB_IMMUTABLE_ID = "/+7dzLuqmYh3ZlVEMyIRAA=="
ERIN_GUID = "00112233-4455-6677-8899-aabbccddeeff"
ERIN_IMMUTABLE_ID = "MyIRAFVEd2aImaq7zN3u/w=="
ERIN_CLOUD_ID = "6f1e2d3c-0000-4000-8000-00000000e1e1"

SECURITY_GLOBAL = "-2147483646"     # 0x80000002
SECURITY_UNIVERSAL = "-2147483640"  # 0x80000008
BUILTIN_LOCAL = "-2147483643"       # 0x80000005: created by the system
DISTRIBUTION_GLOBAL = "2"


def guid(n):
    return str(uuid.UUID(int=0x1000 + n))


def user(cn, sam, guid_text, ou=PEOPLE, **attrs):
    return dict({"dn": f"CN={cn},{ou}", "objectClass": ["top", "person", "organizationalPerson",
                                                       "user"],
                 "cn": cn, "sAMAccountName": sam, "objectGUID": guid_text,
                 "userAccountControl": "512"}, **attrs)


def group(cn, sam, guid_text, group_type, members=(), ou=GROUPS, **attrs):
    entry = {"dn": f"CN={cn},{ou}", "objectClass": ["top", "group"], "cn": cn,
             "sAMAccountName": sam, "objectGUID": guid_text, "groupType": group_type}
    if members:
        entry["member"] = list(members)
    return dict(entry, **attrs)


ADA = user("Ada Lovelace", "alovelace", ADA_GUID, userPrincipalName="ada@contoso.example",
           givenName="Ada", sn="Lovelace", displayName="Ada Lovelace",
           mail="ada.old@contoso.example",
           proxyAddresses=["smtp:ada@contoso.example", "SMTP:ada.lovelace@contoso.example",
                           "X500:/o=Contoso/ou=Exchange/cn=Recipients/cn=ada"],
           department="Engineering", title="Analyst", employeeID="E1815", company="Contoso",
           physicalDeliveryOfficeName="London 4/12", mobile="+44 7700 900123",
           telephoneNumber="+44 20 7946 0958", l="London", st="Greater London",
           streetAddress="12 St James's Square", postalCode="SW1Y 4JH", c="gb",
           co="United Kingdom")
BOB = user("Bob Builder", "bob.builder", guid(2), userPrincipalName="bob@contoso.example",
           mail="bob@contoso.example", **{"mS-DS-ConsistencyGuid": BOB_CONSISTENCY})
CAROL = user("Carol Danvers", "cdanvers", guid(3), userPrincipalName="carol@contoso.example",
             displayName="Carol Danvers", mailNickname="carol",
             userAccountControl="66050")  # NORMAL_ACCOUNT | ACCOUNTDISABLE | DONT_EXPIRE_PASSWD
DAVE = user("Dave NoUPN", "dave", guid(4), displayName="Dave without a UPN")
ERIN = user("Erin Cloud", "erin", ERIN_GUID, userPrincipalName="erin@contoso.example",
            displayName="Erin Example")
KRBTGT = user("krbtgt", "krbtgt", guid(10), ou=SYSTEM, isCriticalSystemObject="TRUE",
              userAccountControl="514", userPrincipalName="krbtgt@contoso.example")
GUEST = user("Guest", "Guest", guid(11), ou=SYSTEM, isCriticalSystemObject="TRUE",
             userAccountControl="66082", userPrincipalName="guest@contoso.example")
SUPPORT = user("SUPPORT_388945a0", "SUPPORT_388945a0", guid(12), ou=SYSTEM,
               userPrincipalName="support@contoso.example")
MSOL = user("MSOL_0123456789ab", "MSOL_0123456789ab", guid(13), ou=SYSTEM,
            userPrincipalName="msol@contoso.example")
AAD = user("AAD_0123456789ab", "AAD_0123456789ab", guid(14), ou=SYSTEM,
           userPrincipalName="aad@contoso.example")
KEPT_ON_PREMISES = user("Kept Local", "kept", guid(15), adminDescription="User_kept",
                        userPrincipalName="kept@contoso.example")
CONFLICT = user(f"Ada Lovelace\nCNF:{guid(16)}", "$DUPLICATE-1f4", guid(16),
                userPrincipalName="ada.dup@contoso.example")
CONFLICT["dn"] = f"CN=Ada Lovelace\\0ACNF:{guid(16)},{PEOPLE}"

ENGINEERING = group("Engineering", "Engineering Team", guid(20), SECURITY_GLOBAL,
                    members=[ADA["dn"], BOB["dn"], DAVE["dn"], KRBTGT["dn"]],
                    description="Builds things")
ALL_STAFF = group("All Staff", "all-staff", guid(21), SECURITY_UNIVERSAL,
                  members=[ENGINEERING["dn"], CAROL["dn"]], mailNickname="allstaff",
                  displayName="All Staff (security)")
ADMINISTRATORS = group("Administrators", "Administrators", guid(22), BUILTIN_LOCAL,
                       members=[ADA["dn"]], ou="CN=Builtin,DC=contoso,DC=example",
                       isCriticalSystemObject="TRUE")
NEWSLETTER = group("Newsletter", "newsletter", guid(23), DISTRIBUTION_GLOBAL,
                   members=[ADA["dn"]])
KEPT_GROUP = group("Local Only", "local-only", guid(24), SECURITY_GLOBAL,
                   adminDescription="Group_local")

AD_OBJECTS = [ADA, BOB, CAROL, DAVE, ERIN, KRBTGT, GUEST, SUPPORT, MSOL, AAD, KEPT_ON_PREMISES,
              CONFLICT, ENGINEERING, ALL_STAFF, ADMINISTRATORS, NEWSLETTER, KEPT_GROUP]

# Entra ID before the first cycle: Erin exists already with AD's immutable ID (an earlier sync,
# or created by hand for a hard match), Frank is cloud-only.
CLOUD_USERS = [
    {"id": ERIN_CLOUD_ID, "userPrincipalName": "erin@contoso.example",
     "onPremisesImmutableId": ERIN_IMMUTABLE_ID, "displayName": "Erin (cloud)",
     "accountEnabled": True},
    {"id": "0f0f0f0f-0000-4000-8000-00000000f4a4", "userPrincipalName": "frank@contoso.example",
     "displayName": "Frank Cloud-Only", "accountEnabled": True},
]


def ldif_value(name, value):
    """One LDIF attribute line; base64 when RFC 2849 requires it (bytes, line feeds, ...)."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8")
    plain = isinstance(value, str) and value.isascii() and value == value.strip() and \
        "\n" not in value and not value.startswith((":", "<"))
    if plain:
        return f"{name}: {value}"
    return f"{name}:: {base64.b64encode(raw).decode('ascii')}"


def write_ldif(path, entries):
    lines = ["version: 1", ""]
    for e in entries:
        lines.append(ldif_value("dn", e["dn"]))
        for name, values in e.items():
            if name == "dn":
                continue
            for v in values if isinstance(values, list) else [values]:
                lines.append(ldif_value(name, v))
        lines.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def as_list(value):
    return value if isinstance(value, list) else [value]


class AdToEntraRules(unittest.TestCase):
    """One AD forest's worth of accounts through two Initial cycles (users and groups are
    created by the first; members, which name Entra ID objects by the ids the adds return,
    follow in the second), then leavers."""

    @classmethod
    def setUpClass(cls):
        ws = cls.ws = IdsyncWorkspace()
        write_ldif(ws.path("ad.ldif"), AD_OBJECTS)
        with open(ws.path("entra.jsonl"), "w") as f:
            for u in CLOUD_USERS:
                f.write(json.dumps(u) + "\n")
        ws.connector("AD", "file", {
            "path": ws.path("ad.ldif"), "format": "ldif", "anchor_attribute": "objectGUID",
            "object_type_column": "objectClass", "object_type": "user",
            "reference_attributes": ["member"]}, object_types=["user", "group"])
        ws.connector("Entra", "file", {
            "path": ws.path("entra.jsonl"), "format": "jsonl", "anchor_attribute": "id",
            "object_type": "user", "export_file": ws.path("entra.jsonl"),
            "reference_attributes": ["members"]}, object_types=["user", "group"])
        ws.extra = {"rules": {"path": RULES}, "scheduler": {"connector_order": ["AD", "Entra"]}}
        ws.write_manifest()
        cls.reports = [cls.cycle(), cls.cycle()]

    @classmethod
    def tearDownClass(cls):
        cls.ws.close()

    @classmethod
    def cycle(cls):
        p = cls.ws.idsync("sync-cycle", "start", "--policy-type", "Initial", "--json",
                          check=False)
        report = json.loads(p.stdout)
        if p.returncode != 0:
            raise AssertionError(f"sync cycle failed:\n{json.dumps(report, indent=1)}\n{p.stderr}")
        return report

    def entra(self, object_type):
        objects = read_jsonl(self.ws.path("entra.jsonl"))
        return [o for o in objects if o.get("_object_type", "user") == object_type]

    def entra_user(self, upn):
        found = [u for u in self.entra("user") if u.get("userPrincipalName") == upn]
        self.assertEqual(len(found), 1, f"{upn}: {found}")
        return found[0]

    def test_every_step_succeeded(self):
        for report in self.reports:
            for step in report["steps"]:
                self.assertEqual(step["status"], "success", step)

    def test_immutable_ids(self):
        # objectGUID's text, as the AD connector imports it, in AD's byte order, base64.
        self.assertEqual(self.entra_user("ada@contoso.example")["onPremisesImmutableId"],
                         ADA_IMMUTABLE_ID)
        # mS-DS-ConsistencyGuid wins over objectGUID.
        self.assertEqual(base64.b64encode(BOB_CONSISTENCY).decode(), BOB_IMMUTABLE_ID)
        self.assertEqual(self.entra_user("bob@contoso.example")["onPremisesImmutableId"],
                         BOB_IMMUTABLE_ID)
        mv = json.loads(self.ws.idsync("mv", "search", "--attr",
                                       f"sourceAnchor={ADA_IMMUTABLE_ID}", "--json").stdout)
        self.assertEqual(len(mv), 1)
        self.assertEqual(mv[0]["object_type"], "person")
        self.assertEqual(mv[0]["attributes"]["objectGUID"], [ADA_GUID])

    def test_user_attributes(self):
        ada = self.entra_user("ada@contoso.example")
        expected = {
            "userPrincipalName": "ada@contoso.example", "onPremisesImmutableId": ADA_IMMUTABLE_ID,
            "mailNickname": "alovelace", "displayName": "Ada Lovelace", "givenName": "Ada",
            "surname": "Lovelace", "mail": "ada.lovelace@contoso.example",
            "department": "Engineering", "jobTitle": "Analyst", "employeeId": "E1815",
            "companyName": "Contoso", "officeLocation": "London 4/12",
            "mobilePhone": "+44 7700 900123", "businessPhones": "+44 20 7946 0958",
            "city": "London", "state": "Greater London", "streetAddress": "12 St James's Square",
            "postalCode": "SW1Y 4JH", "country": "United Kingdom", "usageLocation": "GB",
            "accountEnabled": True}
        for name, value in expected.items():
            self.assertEqual(ada.get(name), value, name)
        # Graph keeps proxyAddresses read-only: nothing writes it.
        for u in self.entra("user"):
            self.assertNotIn("proxyAddresses", u)
        # Fallbacks: cn for displayName, sAMAccountName for mailNickname, AD mail without
        # proxyAddresses.
        bob = self.entra_user("bob@contoso.example")
        self.assertEqual((bob["displayName"], bob["mailNickname"], bob["mail"]),
                         ("Bob Builder", "bob.builder", "bob@contoso.example"))
        self.assertEqual(self.entra_user("carol@contoso.example")["mailNickname"], "carol")

    def test_account_enabled(self):
        self.assertIs(self.entra_user("ada@contoso.example")["accountEnabled"], True)
        self.assertIs(self.entra_user("bob@contoso.example")["accountEnabled"], True)
        self.assertIs(self.entra_user("carol@contoso.example")["accountEnabled"], False)

    def test_initial_passwords_are_random_and_strong(self):
        passwords = [self.entra_user(upn)["password"] for upn in
                     ("ada@contoso.example", "bob@contoso.example", "carol@contoso.example")]
        self.assertEqual(len(set(passwords)), 3)
        for p in passwords:
            self.assertEqual(len(p), 32)
            self.assertTrue(any(c.isupper() for c in p) and any(c.islower() for c in p) and
                            any(c.isdigit() for c in p) and any(not c.isalnum() for c in p), p)

    def test_system_and_excluded_accounts_are_not_provisioned(self):
        upns = sorted(u.get("userPrincipalName") for u in self.entra("user"))
        self.assertEqual(upns, ["ada@contoso.example", "bob@contoso.example",
                                "carol@contoso.example", "erin@contoso.example",
                                "frank@contoso.example"])
        # Out of the inbound rule's scope, they never reach the metaverse; Dave does, but has no
        # UPN to be provisioned with.
        people = json.loads(self.ws.idsync("mv", "search", "--json").stdout)
        sams = sorted(o["attributes"]["mailNickname"][0] for o in people
                      if o["object_type"] == "person")
        self.assertEqual(sams, ["alovelace", "bob.builder", "carol", "dave", "erin"])

    def test_existing_cloud_user_is_joined_not_duplicated(self):
        erin = self.entra_user("erin@contoso.example")
        self.assertEqual(erin["id"], ERIN_CLOUD_ID)
        self.assertEqual(erin["onPremisesImmutableId"], ERIN_IMMUTABLE_ID)
        self.assertEqual(erin["displayName"], "Erin Example")  # AD is the authority now
        frank = self.entra_user("frank@contoso.example")
        self.assertEqual(frank["displayName"], "Frank Cloud-Only")  # cloud-only: left alone
        self.assertNotIn("onPremisesImmutableId", frank)

    def test_groups(self):
        groups = {g["displayName"]: g for g in self.entra("group")}
        # Built-in, distribution and Group_* groups stay out.
        self.assertEqual(sorted(groups), ["All Staff (security)", "Engineering"])
        users = {u["userPrincipalName"]: u["id"] for u in self.entra("user")}
        engineering, staff = groups["Engineering"], groups["All Staff (security)"]
        self.assertEqual(engineering["mailNickname"], "EngineeringTeam")
        self.assertEqual(engineering["description"], "Builds things")
        self.assertEqual(staff["mailNickname"], "allstaff")
        for g in (engineering, staff):
            self.assertIs(g["securityEnabled"], True)
            self.assertIs(g["mailEnabled"], False)
            self.assertNotIn("proxyAddresses", g)
        # Members by Entra ID id: Dave (no UPN) and krbtgt (out of scope) are not there.
        self.assertEqual(sorted(as_list(engineering["members"])),
                         sorted([users["ada@contoso.example"], users["bob@contoso.example"]]))
        self.assertEqual(sorted(as_list(staff["members"])),
                         sorted([engineering["id"], users["carol@contoso.example"]]))

    def test_z_leavers_are_deleted_in_entra(self):
        # Runs last (unittest orders by name): Bob leaves AD, Carol is marked to stay on
        # premises.
        carol = dict(CAROL, adminDescription="User_leaver")
        write_ldif(self.ws.path("ad.ldif"),
                   [carol if o is CAROL else o for o in AD_OBJECTS if o is not BOB])
        ids = {u["userPrincipalName"]: u["id"] for u in self.entra("user")}
        self.cycle()
        upns = sorted(u.get("userPrincipalName") for u in self.entra("user"))
        self.assertEqual(upns, ["ada@contoso.example", "erin@contoso.example",
                                "frank@contoso.example"])
        groups = {g["displayName"]: g for g in self.entra("group")}
        self.assertEqual(as_list(groups["Engineering"]["members"]), [ids["ada@contoso.example"]])
        self.assertEqual(as_list(groups["All Staff (security)"]["members"]),
                         [groups["Engineering"]["id"]])


if __name__ == "__main__":
    unittest.main()
