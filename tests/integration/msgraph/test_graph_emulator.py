"""The Microsoft Graph emulator checked on its own against the documented service behaviour:
TLS, the token endpoint, users, groups, membership, OData queries, delta, JSON batching,
throttling and injected faults, and its life as a subprocess."""
import http.client
import os
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from client_assertion import client_assertion, make_certificate
from graph_emulator_process import HERE, EmulatorError, GraphEmulator
from graph_test_client import GraphTestClient

CLIENT_ID, SECRET = "11111111-2222-3333-4444-555555555555", "test-secret-value"
GRAPH_REF = "https://graph.microsoft.com/v1.0/directoryObjects/"


def new_user_body(name, **extra):
    body = {"accountEnabled": True, "displayName": name, "mailNickname": name,
            "userPrincipalName": f"{name}@idsync.test",
            "passwordProfile": {"password": "Passw0rd!Passw0rd", "forceChangePasswordNextSignIn":
                                False}}
    body.update(extra)
    return body


class EmulatorTestCase(unittest.TestCase):
    """One emulator per test class, a signed-in client, faults cleared after each test."""

    @classmethod
    def setUpClass(cls):
        cls.emulator = GraphEmulator().start()
        cls.emulator.add_client(CLIENT_ID, secret=SECRET)
        cls.client = GraphTestClient(cls.emulator)
        cls.client.sign_in(CLIENT_ID, SECRET)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.emulator.stop()

    def tearDown(self):
        self.emulator.clear_faults()

    def call(self, method, path, body=None, headers=None):
        return self.client.call(method, path, body, headers)

    def assertGraphError(self, reply, status, code, message_part=None):
        self.assertEqual(reply.status, status, reply)
        self.assertEqual(reply.error["code"], code, reply)
        self.assertIn("request-id", reply.error["innerError"])
        if message_part is not None:
            self.assertIn(message_part, reply.error["message"])


class Transport(EmulatorTestCase):
    def test_tls_verifies_against_the_emulator_ca_only(self):
        reply = self.call("GET", "/users?$top=1")
        self.assertEqual(reply.status, 200)
        with tempfile.TemporaryDirectory() as folder:
            _, other_ca = make_certificate(folder, "other-ca")
            context = ssl.create_default_context(cadata=other_ca)
            connection = http.client.HTTPSConnection("127.0.0.1", self.emulator.port,
                                                     context=context, timeout=10)
            with self.assertRaises(ssl.SSLCertVerificationError):
                connection.request("GET", "/v1.0/users")
            connection.close()

    def test_keep_alive_and_request_ids(self):
        first = self.call("GET", "/users?$top=1", headers={"client-request-id": "abc-123"})
        second = self.call("GET", "/users?$top=1")  # same connection: HTTP/1.1 keep-alive
        self.assertEqual(first.header("client-request-id"), "abc-123")
        self.assertTrue(first.header("request-id"))
        self.assertNotEqual(first.header("request-id"), second.header("request-id"))
        self.assertTrue(second.header("client-request-id"))

    def test_unknown_path_and_method(self):
        self.assertGraphError(self.call("GET", "/devices"), 400, "BadRequest", "devices")
        self.assertEqual(self.call("PUT", "/users").status, 405)


class Tokens(EmulatorTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = tempfile.mkdtemp()
        cls.key_file, cls.certificate = make_certificate(cls.folder, "app-cert")
        cls.other_key, _ = make_certificate(cls.folder, "other-cert")
        cls.emulator.add_client("cert-app", certificate_pem=cls.certificate)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        subprocess.run(["rm", "-rf", cls.folder], check=True)

    def assertAadError(self, reply, status, error, code):
        self.assertEqual(reply.status, status, reply)
        self.assertEqual(reply.body["error"], error, reply)
        self.assertEqual(reply.body["error_codes"], [code], reply)
        self.assertTrue(reply.body["error_description"].startswith(f"AADSTS{code}:"))
        for name in ("timestamp", "trace_id", "correlation_id"):
            self.assertIn(name, reply.body)

    def form(self, **fields):
        base = {"grant_type": "client_credentials", "client_id": CLIENT_ID,
                "client_secret": SECRET, "scope": self.emulator.scope}
        base.update(fields)
        return {k: v for k, v in base.items() if v is not None}

    def test_client_secret(self):
        reply = self.client.token_request(self.form())
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.body["token_type"], "Bearer")
        self.assertEqual(reply.body["expires_in"], 3600)
        self.assertEqual(reply.body["ext_expires_in"], 3600)
        # the Graph resource itself is an accepted scope too
        graph_scope = self.form(scope="https://graph.microsoft.com/.default")
        self.assertEqual(self.client.token_request(graph_scope).status, 200)
        other = GraphTestClient(self.emulator, reply.body["access_token"])
        self.assertEqual(other.call("GET", "/users?$top=1").status, 200)
        other.close()

    def test_refusals(self):
        self.assertAadError(self.client.token_request(self.form(client_secret="wrong")),
                            401, "invalid_client", 7000215)
        self.assertAadError(self.client.token_request(self.form(client_id="unknown-app")),
                            400, "unauthorized_client", 700016)
        self.assertAadError(self.client.token_request(self.form(), tenant="other-tenant"),
                            400, "invalid_request", 90002)
        self.assertAadError(self.client.token_request(
            self.form(scope="https://graph.microsoft.com/User.Read")),
            400, "invalid_scope", 1002012)
        self.assertAadError(self.client.token_request(
            self.form(scope="https://example.org/.default")), 400, "invalid_scope", 70011)
        self.assertAadError(self.client.token_request(self.form(client_secret=None)),
                            401, "invalid_client", 7000218)

    def assertion_form(self, **kwargs):
        arguments = {"key_file": self.key_file, "certificate_pem": self.certificate,
                     "client_id": "cert-app", "audience": self.emulator.token_url}
        arguments.update(kwargs)
        return {"grant_type": "client_credentials", "client_id": "cert-app",
                "scope": self.emulator.scope,
                "client_assertion_type":
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": client_assertion(**arguments)}

    def test_certificate_assertion(self):
        for thumbprint in ("x5t", "x5t#S256"):
            reply = self.client.token_request(self.assertion_form(thumbprint=thumbprint))
            self.assertEqual(reply.status, 200, reply)
            self.assertTrue(reply.body["access_token"])

    def test_bad_assertions(self):
        cases = {
            "audience": (self.assertion_form(audience="https://example.org/token"), 700027),
            "expired": (self.assertion_form(lifetime=-3600, not_before=int(time.time()) - 7200),
                        700024),
            "not yet valid": (self.assertion_form(not_before=int(time.time()) + 3600,
                                                  lifetime=7200), 700024),
            "signed by another key": (self.assertion_form(key_file=self.other_key), 700027),
            "issuer": (self.assertion_form(claims={"iss": "someone-else"}), 700027),
        }
        for name, (form, code) in cases.items():
            with self.subTest(name):
                self.assertAadError(self.client.token_request(form), 401, "invalid_client",
                                    code)
        tampered = self.assertion_form()
        head, claims, signature = tampered["client_assertion"].split(".")
        tampered["client_assertion"] = ".".join((head, claims[:-4] + "AAAA", signature))
        self.assertAadError(self.client.token_request(tampered), 401, "invalid_client", 700027)

    def test_bearer_check(self):
        anonymous = GraphTestClient(self.emulator)
        try:
            missing = anonymous.call("GET", "/users")
            self.assertGraphError(missing, 401, "InvalidAuthenticationToken")
            self.assertTrue(missing.header("WWW-Authenticate").startswith("Bearer "))
            anonymous.access_token = "made-up"
            self.assertGraphError(anonymous.call("GET", "/users"), 401,
                                  "InvalidAuthenticationToken")
            self.emulator.set_token_lifetime(1)
            token = anonymous.sign_in(CLIENT_ID, SECRET)
            self.assertEqual(token["expires_in"], 1)
            self.assertEqual(anonymous.call("GET", "/users?$top=1").status, 200)
            time.sleep(1.2)
            expired = anonymous.call("GET", "/users?$top=1")
            self.assertGraphError(expired, 401, "InvalidAuthenticationToken",
                                  "Access token has expired or is not yet valid.")
            self.assertIn("WWW-Authenticate", expired.headers)
        finally:
            self.emulator.set_token_lifetime(3600)
            anonymous.close()


class Users(EmulatorTestCase):
    def test_create_get_patch_delete(self):
        reply = self.call("POST", "/users", new_user_body("alice", department="Sales",
                                                          mail="alice@idsync.test"))
        self.assertEqual(reply.status, 201, reply)
        user = reply.body
        self.assertEqual(reply.header("Location"), f"{self.emulator.graph_url}/users/{user['id']}")
        self.assertEqual(user["department"], "Sales")
        self.assertEqual(user["proxyAddresses"], ["SMTP:alice@idsync.test"])
        self.assertNotIn("passwordProfile", user)
        self.assertIn("createdDateTime", user)
        by_upn = self.call("GET", "/users/ALICE@idsync.test?$select=id,department")
        self.assertEqual(by_upn.body["id"], user["id"])
        self.assertEqual(set(by_upn.body) - {"@odata.context"}, {"id", "department"})
        default = self.call("GET", f"/users/{user['id']}").body
        self.assertEqual(set(default) - {"@odata.context"},
                         {"businessPhones", "displayName", "givenName", "id", "jobTitle", "mail",
                          "mobilePhone", "officeLocation", "preferredLanguage", "surname",
                          "userPrincipalName"})
        patched = self.call("PATCH", f"/users/{user['id']}",
                            {"jobTitle": "Engineer", "mail": "alice2@idsync.test"})
        self.assertEqual(patched.status, 204)
        self.assertIsNone(patched.body)
        current = self.emulator.get(user["id"])
        self.assertEqual(current["jobTitle"], "Engineer")
        self.assertEqual(current["proxyAddresses"], ["SMTP:alice2@idsync.test"])
        self.assertEqual(self.call("DELETE", f"/users/{user['id']}").status, 204)
        self.assertGraphError(self.call("GET", f"/users/{user['id']}"), 404,
                              "Request_ResourceNotFound",
                              f"Resource '{user['id']}' does not exist or one of its queried "
                              "reference-property objects are not present.")
        self.assertIsNone(self.emulator.get(user["id"]))

    def test_required_properties(self):
        for name in ("accountEnabled", "displayName", "mailNickname", "userPrincipalName",
                     "passwordProfile"):
            with self.subTest(name):
                body = new_user_body("req-" + name.lower())
                del body[name]
                self.assertGraphError(self.call("POST", "/users", body), 400,
                                      "Request_BadRequest", f"'{name}'")
        no_password = new_user_body("req-password", passwordProfile={})
        self.assertGraphError(self.call("POST", "/users", no_password), 400,
                              "Request_BadRequest", "passwordProfile")

    def test_refused_properties(self):
        unverified = new_user_body("bob", userPrincipalName="bob@example.org")
        self.assertGraphError(self.call("POST", "/users", unverified), 400, "Request_BadRequest",
                              "domain portion of the userPrincipalName")
        unknown = new_user_body("bob", favouriteColour="blue")
        self.assertGraphError(self.call("POST", "/users", unknown), 400, "Request_BadRequest",
                              "Property 'favouriteColour' does not exist as a declared property "
                              "or extension property.")
        proxies = new_user_body("bob", proxyAddresses=["SMTP:bob@idsync.test"])
        self.assertGraphError(self.call("POST", "/users", proxies), 400, "Request_BadRequest",
                              "proxyAddresses")
        wrong_type = new_user_body("bob", accountEnabled="yes")
        self.assertGraphError(self.call("POST", "/users", wrong_type), 400, "Request_BadRequest",
                              "accountEnabled")
        created = self.call("POST", "/users", new_user_body("bob")).body
        for body in ({"createdDateTime": "2020-01-01T00:00:00Z"}, {"id": "x"},
                     {"proxyAddresses": []}, {"nope": 1}):
            with self.subTest(body):
                self.assertEqual(self.call("PATCH", f"/users/{created['id']}", body).status, 400)
        self.assertGraphError(self.call("PATCH", "/users/00000000-0000-0000-0000-000000000000",
                                        {"jobTitle": "x"}), 404, "Request_ResourceNotFound")
        self.assertEqual(self.call("DELETE", "/users/00000000-0000-0000-0000-000000000000").status,
                         404)

    def test_conflicts(self):
        first = self.call("POST", "/users", new_user_body(
            "carol", mail="carol@idsync.test", onPremisesImmutableId="imm-carol")).body
        cases = {
            "userPrincipalName": new_user_body("carol2", userPrincipalName="CAROL@idsync.test"),
            "onPremisesImmutableId": new_user_body("carol3", onPremisesImmutableId="imm-carol"),
            "proxyAddresses": new_user_body("carol4", mail="Carol@idsync.test"),
        }
        for target, body in cases.items():
            with self.subTest(target):
                reply = self.call("POST", "/users", body)
                self.assertGraphError(reply, 400, "Request_BadRequest",
                                      f"Another object with the same value for property {target} "
                                      "already exists.")
                self.assertEqual(reply.error["details"],
                                 [{"code": "ObjectConflict", "target": target}])
        # mailNickname is not unique
        same_nickname = new_user_body("carol5", mailNickname="carol")
        self.assertEqual(self.call("POST", "/users", same_nickname).status, 201)
        other = self.call("POST", "/users", new_user_body("dave")).body
        reply = self.call("PATCH", f"/users/{other['id']}",
                          {"userPrincipalName": "carol@idsync.test"})
        self.assertEqual(reply.error["details"][0]["target"], "userPrincipalName")
        # a deleted user's values are free again
        self.assertEqual(self.call("DELETE", f"/users/{first['id']}").status, 204)
        self.assertEqual(self.call("PATCH", f"/users/{other['id']}",
                                   {"userPrincipalName": "carol@idsync.test"}).status, 204)


class Groups(EmulatorTestCase):
    def test_create_patch_delete(self):
        security = self.call("POST", "/groups", {"displayName": "Engineers", "mailEnabled": False,
                                                  "mailNickname": "engineers",
                                                  "securityEnabled": True})
        self.assertEqual(security.status, 201, security)
        self.assertIsNone(security.body["mail"])
        self.assertEqual(security.body["groupTypes"], [])
        unified = self.call("POST", "/groups", {"displayName": "Team", "mailEnabled": True,
                                                 "mailNickname": "team", "securityEnabled": False,
                                                 "groupTypes": ["Unified"]})
        self.assertEqual(unified.status, 201, unified)
        self.assertEqual(unified.body["mail"], "team@idsync.test")
        self.assertEqual(unified.body["proxyAddresses"], ["SMTP:team@idsync.test"])
        group_id = security.body["id"]
        self.assertEqual(self.call("PATCH", f"/groups/{group_id}",
                                   {"description": "All engineers"}).status, 204)
        self.assertEqual(self.call("GET", f"/groups/{group_id}?$select=description").body[
            "description"], "All engineers")
        self.assertEqual(self.call("PATCH", f"/groups/{group_id}", {"mail": "x@idsync.test"})
                         .status, 400)
        self.assertEqual(self.call("DELETE", f"/groups/{group_id}").status, 204)
        self.assertEqual(self.call("GET", f"/groups/{group_id}").status, 404)

    def test_refused_groups(self):
        base = {"displayName": "G", "mailNickname": "g"}
        for name in ("displayName", "mailEnabled", "mailNickname", "securityEnabled"):
            with self.subTest(missing=name):
                body = dict(base, mailEnabled=False, securityEnabled=True)
                del body[name]
                self.assertGraphError(self.call("POST", "/groups", body), 400,
                                      "Request_BadRequest", name)
        # mail-enabled security groups and distribution lists are read-only through Graph
        for security in (True, False):
            with self.subTest(mail_enabled_security=security):
                body = dict(base, mailEnabled=True, securityEnabled=security)
                self.assertGraphError(self.call("POST", "/groups", body), 400,
                                      "Request_BadRequest", "mail-enabled")
        self.assertGraphError(self.call("POST", "/groups", dict(
            base, mailEnabled=False, securityEnabled=True, proxyAddresses=[])), 400,
            "Request_BadRequest", "proxyAddresses")


class ListingAndQueries(EmulatorTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulator.generate_users(230, "bulk")
        cls.special = cls.emulator.add_user(
            userPrincipalName="zed.special@idsync.test", displayName="Zed Special",
            mailNickname="zedmail", mail="zed@idsync.test", onPremisesImmutableId="imm-zed",
            accountEnabled=False, givenName="Zed")

    def test_paging_covers_every_user_once(self):
        bodies = self.client.pages("/users?$select=id,userPrincipalName&$top=50")
        self.assertGreater(len(bodies), 4)
        ids = [user["id"] for body in bodies for user in body["value"]]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(set(ids), {user["id"] for user in self.emulator.users()})
        for body in bodies:
            self.assertLessEqual(len(body["value"]), 50)
            self.assertIn("@odata.context", body)
            for user in body["value"]:
                self.assertEqual(set(user), {"id", "userPrincipalName"})
        self.assertIn("$skiptoken=", bodies[0]["@odata.nextLink"])
        self.assertTrue(bodies[0]["@odata.nextLink"].startswith(self.emulator.graph_url + "/users"))
        default_page = self.call("GET", "/users").body
        self.assertEqual(len(default_page["value"]), 100)

    def test_top_bounds_and_select_errors(self):
        for top in ("0", "1000", "x"):
            with self.subTest(top=top):
                self.assertEqual(self.call("GET", f"/users?$top={top}").status, 400)
        self.assertEqual(len(self.call("GET", "/users?$top=999").body["value"]), 231)
        self.assertEqual(self.call("GET", "/users?$select=noSuchThing").status, 400)
        self.assertEqual(self.call("GET", "/users?$orderby=displayName").status, 400)
        self.assertEqual(self.call("GET", "/users?$skiptoken=forged").status, 400)

    def filtered_ids(self, expression, collection="users"):
        reply = self.call("GET", f"/{collection}?$top=999&$filter="
                          + urllib.parse.quote(expression))
        self.assertEqual(reply.status, 200, reply)
        return {item["id"] for item in reply.body["value"]}

    def test_filter_forms(self):
        zed = {self.special["id"]}
        for expression in (
                "userPrincipalName eq 'ZED.special@idsync.test'", "mail eq 'zed@idsync.test'",
                "mailNickname eq 'zedmail'", "displayName eq 'Zed Special'",
                "onPremisesImmutableId eq 'imm-zed'", f"id eq '{self.special['id']}'",
                "accountEnabled eq false", "startswith(displayName,'zed')",
                "proxyAddresses/any(p:p eq 'smtp:ZED@idsync.test')",
                "mail eq 'zed@idsync.test' and accountEnabled eq false",
                "(mail eq 'nobody@idsync.test') or startswith(userPrincipalName,'zed.')"):
            with self.subTest(expression):
                self.assertEqual(self.filtered_ids(expression), zed)
        self.assertEqual(len(self.filtered_ids("startswith(userPrincipalName,'bulk00001')")), 10)
        self.assertEqual(len(self.filtered_ids(
            "userPrincipalName eq 'bulk000001@idsync.test' or "
            "userPrincipalName eq 'bulk000002@idsync.test'")), 2)
        self.assertEqual(self.filtered_ids("mail eq 'zed@idsync.test' and accountEnabled eq true"),
                         set())

    def test_filtered_paging(self):
        bodies = self.client.pages("/users?$top=7&$filter="
                                   + urllib.parse.quote("startswith(mailNickname,'bulk00002')"))
        ids = [user["id"] for body in bodies for user in body["value"]]
        self.assertEqual(len(ids), 10)
        self.assertEqual(len(set(ids)), 10)

    def test_unsupported_filters(self):
        for expression in ("city eq 'Oslo'", "displayName ne 'x'", "endswith(mail,'x')",
                           "startswith(city,'O')", "mail eq", "displayName eq 'a' xor"):
            with self.subTest(expression):
                reply = self.call("GET", "/users?$filter=" + urllib.parse.quote(expression))
                self.assertGraphError(reply, 400, "Request_UnsupportedQuery")

    def test_group_filters(self):
        security = self.emulator.add_group(displayName="Filter Group", mailNickname="filtergroup")
        self.assertEqual(self.filtered_ids("displayName eq 'filter group'", "groups"),
                         {security["id"]})
        self.assertIn(security["id"], self.filtered_ids("securityEnabled eq true", "groups"))
        self.assertNotIn(security["id"], self.filtered_ids("mailEnabled eq true", "groups"))


class Membership(EmulatorTestCase):
    def setUp(self):
        self.group = self.emulator.add_group(displayName="Members")
        self.users = [self.emulator.add_user(userPrincipalName=f"m{n}.{self.group['id'][:8]}"
                                             "@idsync.test") for n in range(3)]

    def ref(self, object_id, base=GRAPH_REF):
        return {"@odata.id": base + object_id}

    def test_add_and_remove(self):
        gid, (u0, u1, _) = self.group["id"], self.users
        self.assertEqual(self.call("POST", f"/groups/{gid}/members/$ref", self.ref(u0["id"]))
                         .status, 204)
        own = self.emulator.graph_url + "/directoryObjects/"
        self.assertEqual(self.call("POST", f"/groups/{gid}/members/$ref",
                                   self.ref(u1["id"], own)).status, 204)
        self.assertEqual(self.emulator.members(gid), [u0["id"], u1["id"]])
        duplicate = self.call("POST", f"/groups/{gid}/members/$ref", self.ref(u0["id"]))
        self.assertGraphError(duplicate, 400, "Request_BadRequest",
                              "One or more added object references already exist for the "
                              "following modified properties: 'members'.")
        missing = "00000000-0000-0000-0000-0000000000aa"
        self.assertGraphError(self.call("POST", f"/groups/{gid}/members/$ref", self.ref(missing)),
                              404, "Request_ResourceNotFound", missing)
        self.assertEqual(self.call("POST", f"/groups/{missing}/members/$ref",
                                   self.ref(u0["id"])).status, 404)
        self.assertEqual(self.call("POST", f"/groups/{gid}/members/$ref",
                                   self.ref(u0["id"], "https://example.org/v1.0/users/")).status,
                         400)
        self.assertEqual(self.call("DELETE", f"/groups/{gid}/members/{u0['id']}/$ref").status,
                         204)
        self.assertGraphError(self.call("DELETE", f"/groups/{gid}/members/{u0['id']}/$ref"),
                              404, "Request_ResourceNotFound")
        self.assertEqual(self.emulator.members(gid), [u1["id"]])

    def test_member_listing(self):
        gid = self.group["id"]
        nested = self.emulator.add_group(displayName="Nested")
        for member in self.users + [nested]:
            self.emulator.add_member(gid, member["id"])
        bodies = self.client.pages(f"/groups/{gid}/members?$top=2&$select=id,displayName")
        self.assertEqual(len(bodies), 2)
        listed = [item for body in bodies for item in body["value"]]
        self.assertEqual([item["id"] for item in listed],
                         [u["id"] for u in self.users] + [nested["id"]])
        self.assertEqual([item["@odata.type"] for item in listed],
                         ["#microsoft.graph.user"] * 3 + ["#microsoft.graph.group"])
        self.assertEqual(set(listed[0]), {"@odata.type", "id", "displayName"})

    def test_members_odata_bind(self):
        gid = self.group["id"]
        bind = [GRAPH_REF + u["id"] for u in self.users]
        self.assertEqual(self.call("PATCH", f"/groups/{gid}", {"members@odata.bind": bind})
                         .status, 204)
        self.assertEqual(self.emulator.members(gid), [u["id"] for u in self.users])
        self.assertEqual(self.call("PATCH", f"/groups/{gid}", {"members@odata.bind": bind[:1]})
                         .status, 400)
        too_many = [GRAPH_REF + self.users[0]["id"]] * 21
        self.assertEqual(self.call("PATCH", f"/groups/{gid}", {"members@odata.bind": too_many})
                         .status, 400)
        created = self.call("POST", "/groups", {
            "displayName": "Bound", "mailEnabled": False, "mailNickname": "bound",
            "securityEnabled": True, "members@odata.bind": bind[:2]})
        self.assertEqual(created.status, 201, created)
        self.assertEqual(len(self.emulator.members(created.body["id"])), 2)

    def test_deleting_a_user_removes_it_from_groups(self):
        gid, user = self.group["id"], self.users[0]
        self.emulator.add_member(gid, user["id"])
        self.assertEqual(self.call("DELETE", f"/users/{user['id']}").status, 204)
        self.assertEqual(self.emulator.members(gid), [])


class Delta(EmulatorTestCase):
    def delta_round(self, path, page_size=None, minimal=False):
        """(every page body, the deltaLink) of one delta round."""
        prefer = []
        if page_size:
            prefer.append(f"odata.maxpagesize={page_size}")
        if minimal:
            prefer.append("return=minimal")
        headers = {"Prefer": ", ".join(prefer)} if prefer else {}
        bodies, link = [], path
        while True:
            reply = self.call("GET", link, headers=headers)
            self.assertEqual(reply.status, 200, reply)
            if page_size:
                self.assertEqual(reply.header("Preference-Applied"),
                                 f"odata.maxpagesize={page_size}")
            bodies.append(reply.body)
            if "@odata.deltaLink" in reply.body:
                self.assertNotIn("@odata.nextLink", reply.body)
                return bodies, reply.body["@odata.deltaLink"]
            link = reply.body["@odata.nextLink"]

    @staticmethod
    def entries(bodies):
        return [entry for body in bodies for entry in body["value"]]

    def latest(self, collection, select=None):
        query = "?$deltatoken=latest" + (f"&$select={select}" if select else "")
        reply = self.call("GET", f"/{collection}/delta{query}")
        self.assertEqual(reply.body["value"], [])
        return reply.body["@odata.deltaLink"]

    def test_initial_round_pages_and_spreads_a_large_group(self):
        big = self.emulator.add_group(displayName="Big")
        members = [self.emulator.add_user(userPrincipalName=f"big{n}@idsync.test")["id"]
                   for n in range(45)]
        for member in members:
            self.emulator.add_member(big["id"], member)
        small = self.emulator.add_group(displayName="Small")
        self.emulator.add_member(small["id"], members[0])
        bodies, _ = self.delta_round("/groups/delta?$select=displayName,members", page_size=5)
        appearances = [e for e in self.entries(bodies) if e["id"] == big["id"]]
        self.assertEqual(len(appearances), 3)  # 45 members at most 20 a page
        seen = [m["id"] for e in appearances for m in e["members@delta"]]
        self.assertEqual(seen, members)
        for body in bodies:
            self.assertLessEqual(sum(len(e.get("members@delta", [])) for e in body["value"]), 20)
        self.assertEqual(appearances[0]["displayName"], "Big")
        self.assertEqual([m["id"] for e in self.entries(bodies) if e["id"] == small["id"]
                          for m in e["members@delta"]], [members[0]])
        user_bodies, _ = self.delta_round("/users/delta?$select=userPrincipalName", page_size=10)
        self.assertEqual(len(user_bodies), 5)
        user_ids = [e["id"] for e in self.entries(user_bodies)]
        self.assertEqual(sorted(user_ids), sorted(u["id"] for u in self.emulator.users()))
        self.assertEqual(set(self.entries(user_bodies)[0]), {"id", "userPrincipalName"})

    def test_empty_pages_carry_a_next_link(self):
        for n in range(5):
            self.emulator.add_user(userPrincipalName=f"empty{n}@idsync.test")
        self.emulator.empty_delta_pages(True)
        bodies, _ = self.delta_round("/users/delta", page_size=2)
        empty = [b for b in bodies if not b["value"]]
        self.assertTrue(empty)
        self.assertTrue(all("@odata.nextLink" in b for b in empty))
        self.assertEqual(len({e["id"] for e in self.entries(bodies)}),
                         len(self.emulator.users()))

    def test_later_round_reports_exactly_the_changes(self):
        a, b, c, d = (self.emulator.add_user(userPrincipalName=f"chg-{x}@idsync.test")
                      for x in "abcd")
        group = self.emulator.add_group(displayName="Changing")
        self.emulator.add_member(group["id"], a["id"])
        self.emulator.add_member(group["id"], b["id"])
        users_link = self.latest("users", "displayName,jobTitle")
        groups_link = self.latest("groups")
        self.emulator.update(a["id"], jobTitle="Boss")
        self.emulator.update(d["id"], department="Not selected")  # invisible to this $select
        self.emulator.delete(b["id"])                   # soft delete
        self.emulator.delete(c["id"], permanent=True)
        new = self.emulator.add_user(userPrincipalName="chg-new@idsync.test")
        self.emulator.add_member(group["id"], new["id"])
        bodies, next_users_link = self.delta_round(users_link)
        by_id = {e["id"]: e for e in self.entries(bodies)}
        self.assertEqual(set(by_id), {a["id"], b["id"], c["id"], new["id"]})
        self.assertEqual(by_id[a["id"]], {"id": a["id"], "displayName": "chg-a",
                                          "jobTitle": "Boss"})
        self.assertEqual(by_id[b["id"]], {"id": b["id"], "@removed": {"reason": "changed"}})
        self.assertEqual(by_id[c["id"]], {"id": c["id"], "@removed": {"reason": "deleted"}})
        group_entries = [e for e in self.entries(self.delta_round(groups_link)[0])
                         if e["id"] == group["id"]]
        self.assertEqual(len(group_entries), 1)
        self.assertEqual(group_entries[0]["displayName"], "Changing")
        self.assertEqual(sorted(group_entries[0]["members@delta"], key=lambda m: m["id"]),
                         sorted([{"@odata.type": "#microsoft.graph.user", "id": b["id"],
                                  "@removed": {"reason": "deleted"}},
                                 {"@odata.type": "#microsoft.graph.user", "id": new["id"]}],
                                key=lambda m: m["id"]))
        # nothing happened since: an empty round; then return=minimal gives changed properties
        self.assertEqual(self.entries(self.delta_round(next_users_link)[0]), [])
        self.emulator.update(a["id"], jobTitle="Chief")
        minimal, _ = self.delta_round(next_users_link, minimal=True)
        self.assertEqual(self.entries(minimal), [{"id": a["id"], "jobTitle": "Chief"}])

    def test_group_removal_reasons(self):
        security = self.emulator.add_group(displayName="Short-lived")
        unified = self.call("POST", "/groups", {"displayName": "M365", "mailEnabled": True,
                                                 "mailNickname": "m365",
                                                 "securityEnabled": False,
                                                 "groupTypes": ["Unified"]}).body
        link = self.latest("groups")
        self.assertEqual(self.call("DELETE", f"/groups/{security['id']}").status, 204)
        self.emulator.delete(unified["id"])
        bodies, link = self.delta_round(link)
        self.assertEqual({e["id"]: e["@removed"]["reason"] for e in self.entries(bodies)},
                         {security["id"]: "deleted", unified["id"]: "changed"})
        self.emulator.delete(unified["id"], permanent=True)  # purged from deleted items
        self.assertEqual(self.entries(self.delta_round(link)[0]),
                         [{"id": unified["id"], "@removed": {"reason": "deleted"}}])

    def test_latest_and_expired_tokens(self):
        link = self.latest("users")
        self.assertEqual(self.entries(self.delta_round(link)[0]), [])
        garbage = self.call("GET", "/users/delta?$deltatoken=not-a-token")
        self.assertGraphError(garbage, 400, "syncStateNotFound")
        wrong_collection = link.replace("/users/delta", "/groups/delta")
        self.assertGraphError(self.call("GET", wrong_collection), 400, "syncStateNotFound")
        first_page = self.call("GET", "/users/delta", headers={"Prefer": "odata.maxpagesize=1"})
        self.emulator.add_user(userPrincipalName="expiry@idsync.test")
        self.emulator.expire_delta_tokens()
        for stale in (link, first_page.body["@odata.nextLink"]):
            self.assertGraphError(self.call("GET", stale), 400, "syncStateNotFound",
                                  "The sync state generation is not found.")
        self.assertEqual(self.call("GET", "/users/delta").status, 200)  # a new full round
        self.assertEqual(self.call(
            "GET", "/users/delta?$filter=" + urllib.parse.quote("id eq 'x'")).status, 400)


class Batching(EmulatorTestCase):
    def batch(self, requests):
        return self.call("POST", "/$batch", {"requests": requests})

    def test_limit_of_twenty(self):
        requests = [{"id": str(n), "method": "GET", "url": "/users?$top=1"} for n in range(21)]
        self.assertGraphError(self.batch(requests), 400, "BadRequest")
        reply = self.batch(requests[:20])
        self.assertEqual(reply.status, 200)
        self.assertEqual(len(reply.body["responses"]), 20)

    def test_independent_sub_requests_answered_out_of_order(self):
        group = self.emulator.add_group(displayName="Batch")
        user = self.emulator.add_user(userPrincipalName="batcher@idsync.test")
        requests = [
            {"id": "1", "method": "POST", "url": f"/groups/{group['id']}/members/$ref",
             "headers": {"Content-Type": "application/json"},
             "body": {"@odata.id": GRAPH_REF + user["id"]}},
            {"id": "2", "method": "GET", "url": "/users/00000000-0000-0000-0000-000000000000"},
            {"id": "3", "method": "POST", "url": "/users",
             "headers": {"Content-Type": "application/json"}, "body": new_user_body("batched")},
            {"id": "4", "method": "PATCH", "url": f"/users/{user['id']}",
             "body": {"jobTitle": "x"}},  # no Content-Type header
        ]
        reply = self.batch(requests)
        self.assertEqual(reply.status, 200)
        ids = [r["id"] for r in reply.body["responses"]]
        self.assertEqual(sorted(ids), ["1", "2", "3", "4"])
        self.assertNotEqual(ids, ["1", "2", "3", "4"])
        by_id = {r["id"]: r for r in reply.body["responses"]}
        self.assertEqual(by_id["1"]["status"], 204)
        self.assertEqual(by_id["2"]["status"], 404)
        self.assertEqual(by_id["2"]["body"]["error"]["code"], "Request_ResourceNotFound")
        self.assertEqual(by_id["3"]["status"], 201)
        self.assertEqual(by_id["3"]["body"]["userPrincipalName"], "batched@idsync.test")
        self.assertEqual(by_id["4"]["status"], 400)
        self.assertEqual(self.emulator.members(group["id"]), [user["id"]])

    def test_depends_on(self):
        self.emulator.reset_requests()
        requests = [
            {"id": "b", "method": "GET", "url": "/groups?$top=1", "dependsOn": ["a"]},
            {"id": "a", "method": "GET", "url": "/users?$top=1"},
            {"id": "c", "method": "GET", "url": "/users/nobody@idsync.test"},
            {"id": "d", "method": "GET", "url": "/users?$top=2", "dependsOn": ["c"]},
        ]
        by_id = {r["id"]: r for r in self.batch(requests).body["responses"]}
        self.assertEqual(by_id["b"]["status"], 200)
        self.assertEqual(by_id["c"]["status"], 404)
        self.assertEqual(by_id["d"]["status"], 424)
        paths = [r["path"] for r in self.emulator.requests() if r["in_batch"]]
        self.assertEqual(paths, ["/v1.0/users?$top=1", "/v1.0/groups?$top=1",
                                 "/v1.0/users/nobody@idsync.test"])
        unknown = [{"id": "x", "method": "GET", "url": "/users", "dependsOn": ["y"]}]
        self.assertEqual(self.batch(unknown).status, 400)

    def test_throttled_sub_request(self):
        user = self.emulator.add_user(userPrincipalName="throttled@idsync.test")
        self.emulator.inject(429, count=1, method="PATCH", in_batch=True, retry_after=7)
        requests = [{"id": str(n), "method": "PATCH", "url": f"/users/{user['id']}",
                     "headers": {"Content-Type": "application/json"},
                     "body": {"jobTitle": f"t{n}"}} for n in range(2)]
        reply = self.batch(requests)
        self.assertEqual(reply.status, 200)
        statuses = sorted((r["status"], r["headers"].get("Retry-After"))
                          for r in reply.body["responses"])
        self.assertEqual(statuses, [(204, None), (429, "7")])
        throttled = [r for r in reply.body["responses"] if r["status"] == 429][0]
        self.assertEqual(throttled["body"]["error"]["code"], "TooManyRequests")


class FaultsAndThrottling(EmulatorTestCase):
    def test_injected_statuses(self):
        self.emulator.inject(429, retry_after=3, path_prefix="/users")
        reply = self.call("GET", "/users?$top=1")
        self.assertGraphError(reply, 429, "TooManyRequests")
        self.assertEqual(reply.header("Retry-After"), "3")
        self.assertEqual(self.call("GET", "/users?$top=1").status, 200)  # count was 1
        self.emulator.inject(503, count=2)
        for _ in range(2):
            reply = self.call("GET", "/groups")
            self.assertGraphError(reply, 503, "serviceNotAvailable")
            self.assertTrue(reply.header("Retry-After"))
        self.emulator.inject(500, method="POST")
        self.assertEqual(self.call("GET", "/groups").status, 200)  # not a POST
        reply = self.call("POST", "/users", new_user_body("faulty"))
        self.assertGraphError(reply, 500, "generalException")
        self.assertIsNone(reply.header("Retry-After"))
        self.assertIsNone(self.emulator.get(reply.body.get("id", "none")))
        self.emulator.inject(429, retry_after=False)  # a 429 that does not say when
        reply = self.call("GET", "/groups")
        self.assertEqual(reply.status, 429)
        self.assertIsNone(reply.header("Retry-After"))
        self.emulator.inject(504, path_prefix="/groups")
        self.assertEqual(self.call("GET", "/users?$top=1").status, 200)
        self.assertEqual(self.call("GET", "/groups").status, 504)

    def test_token_endpoint_faults_need_a_path(self):
        self.emulator.inject(503, path_prefix=f"/{self.emulator.tenant}/oauth2")
        fields = {"grant_type": "client_credentials", "client_id": CLIENT_ID,
                  "client_secret": SECRET, "scope": self.emulator.scope}
        self.assertEqual(self.client.token_request(fields).status, 503)
        self.emulator.inject(500)
        self.assertEqual(self.client.token_request(fields).status, 200)
        self.assertEqual(self.call("GET", "/users?$top=1").status, 500)

    def test_throttle_writes(self):
        user = self.emulator.add_user(userPrincipalName="rate@idsync.test")
        self.emulator.throttle_writes(5)
        statuses = []
        for n in range(12):
            reply = self.call("PATCH", f"/users/{user['id']}", {"jobTitle": f"j{n}"})
            statuses.append(reply.status)
            if reply.status == 429:
                self.assertTrue(int(reply.header("Retry-After")) >= 1)
                self.assertEqual(reply.error["code"], "TooManyRequests")
        self.assertEqual(statuses[:5], [204] * 5)
        self.assertEqual(statuses[5:], [429] * 7)
        self.assertEqual(self.call("GET", f"/users/{user['id']}").status, 200)  # reads pass
        time.sleep(1.05)
        self.assertEqual(self.call("PATCH", f"/users/{user['id']}", {"jobTitle": "later"})
                         .status, 204)
        # each $batch sub-request is a write of its own; the batch itself is not
        time.sleep(1.05)
        self.emulator.throttle_writes(2)
        reply = self.call("POST", "/$batch", {"requests": [
            {"id": str(n), "method": "PATCH", "url": f"/users/{user['id']}",
             "headers": {"Content-Type": "application/json"}, "body": {"city": str(n)}}
            for n in range(5)]})
        self.assertEqual(reply.status, 200)
        self.assertEqual(sorted(r["status"] for r in reply.body["responses"]),
                         [204, 204, 429, 429, 429])
        self.assertTrue(all(r["headers"].get("Retry-After") for r in reply.body["responses"]
                            if r["status"] == 429))
        self.emulator.throttle_writes(None)
        self.assertEqual([self.call("PATCH", f"/users/{user['id']}", {"city": str(n)}).status
                          for n in range(8)], [204] * 8)

    def test_request_log(self):
        self.emulator.reset_requests()
        before = time.time()
        self.call("GET", "/users?$top=1")
        user = self.emulator.add_user(userPrincipalName="logged@idsync.test")  # not logged
        self.call("POST", "/$batch", {"requests": [
            {"id": "1", "method": "DELETE", "url": f"/users/{user['id']}"}]})
        log = self.emulator.requests()
        self.assertEqual([(r["method"], r["path"], r["status"], r["write"], r["in_batch"])
                          for r in log],
                         [("GET", "/v1.0/users?$top=1", 200, False, False),
                          ("DELETE", f"/v1.0/users/{user['id']}", 204, True, True),
                          ("POST", "/v1.0/$batch", 200, False, False)])
        self.assertTrue(all(isinstance(r["time"], float) and r["time"] >= before for r in log))
        self.emulator.reset_requests()
        self.assertEqual(self.emulator.requests(), [])

    def test_control_api_reports_refusals(self):
        with self.assertRaises(EmulatorError) as raised:
            self.emulator.add_user(userPrincipalName="x@not-verified.example")
        self.assertEqual(raised.exception.error["code"], "Request_BadRequest")


class ProcessLife(unittest.TestCase):
    def test_exits_when_its_parent_dies(self):
        script = ("import sys, time\n"
                  "from graph_emulator_process import GraphEmulator\n"
                  "emulator = GraphEmulator(workdir=sys.argv[1]).start()\n"
                  "print(emulator.pid, flush=True)\n"
                  "time.sleep(60)\n")
        with tempfile.TemporaryDirectory() as workdir:
            parent = subprocess.Popen([sys.executable, "-B", "-c", script, workdir], cwd=HERE,
                                      stdout=subprocess.PIPE, text=True)
            try:
                emulator_pid = int(parent.stdout.readline())
                self.assertTrue(self.alive(emulator_pid))
            finally:
                parent.kill()
                parent.wait()
                parent.stdout.close()
            deadline = time.monotonic() + 10
            while self.alive(emulator_pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            self.assertFalse(self.alive(emulator_pid))

    @staticmethod
    def alive(pid):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False

    def test_start_reports_a_dead_emulator(self):
        emulator = GraphEmulator(command_prefix=["sh", "-c", "echo broken >&2; exit 3", "sh"])
        with self.assertRaises(RuntimeError) as raised:
            emulator.start()
        self.assertIn("broken", str(raised.exception))
        emulator.stop()

    def test_stop_ends_the_process_and_cleans_up(self):
        emulator = GraphEmulator().start()
        pid, workdir = emulator.pid, emulator.workdir
        self.assertTrue(os.path.exists(emulator.admin_socket))
        emulator.stop()
        self.assertFalse(self.alive(pid))
        self.assertFalse(os.path.exists(workdir))


class Scale(EmulatorTestCase):
    def test_hundred_thousand_users_and_a_small_delta(self):
        started = time.monotonic()
        result = self.emulator.generate_users(100_000, "load")
        self.assertEqual(result["count"], 100_000)
        self.assertLess(time.monotonic() - started, 30)
        link = self.latest_users()
        first = self.call("GET", "/users?$filter=" + urllib.parse.quote(
            "userPrincipalName eq 'load000000@idsync.test'")).body["value"][0]["id"]
        page = self.call("GET", "/users?$top=999&$select=id").body
        ids = [first] + [u["id"] for u in page["value"][1:100]]
        for object_id in ids[:60]:
            self.emulator.update(object_id, jobTitle="changed")
        for object_id in ids[60:90]:
            self.emulator.delete(object_id)
        for n in range(10):
            self.emulator.add_user(userPrincipalName=f"late{n}@idsync.test")
        self.emulator.update(ids[0], department="again")  # same object: still one entry
        started = time.monotonic()
        reply = self.call("GET", link, headers={"Prefer": "odata.maxpagesize=999"})
        elapsed = time.monotonic() - started
        self.assertEqual(reply.status, 200)
        self.assertIn("@odata.deltaLink", reply.body)
        self.assertEqual(len(reply.body["value"]), 100)
        self.assertEqual(sum("@removed" in e for e in reply.body["value"]), 30)
        self.assertLess(elapsed, 1.0)

    def latest_users(self):
        return self.call("GET", "/users/delta?$deltatoken=latest").body["@odata.deltaLink"]


if __name__ == "__main__":
    unittest.main()
