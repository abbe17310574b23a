"""The SCIM test server on its own, against the behaviour RFC 7643/7644 asks of a service
provider: what the SCIM connector's tests will rely on."""
import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from scim_server_process import HERE, ControlError, ScimServer

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CONTACT = "urn:idsync:params:scim:schemas:Contact"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

# Small limits, so that the tests can reach them.
MAX_RESULTS = 5
BULK_MAX_OPERATIONS = 4
BULK_MAX_PAYLOAD = 16384


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower())


class Client:
    """A SCIM client on http.client that verifies the server against its CA only."""

    def __init__(self, server, token=None):
        self.server = server
        self.token = server.token if token is None else token
        url = urllib.parse.urlsplit(server.base_url)
        self.host, self.port, self.base_path = url.hostname, url.port, url.path
        self.context = server.ssl_context() if url.scheme == "https" else None

    def request(self, method, path, body=None, headers=None, query=None):
        if self.context:
            connection = http.client.HTTPSConnection(self.host, self.port, context=self.context,
                                                     timeout=30)
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        target = self.base_path + path + ("?" + urllib.parse.urlencode(query) if query else "")
        all_headers = {"Accept": "application/scim+json"}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            all_headers["Content-Type"] = "application/scim+json"
        all_headers.update(headers or {})
        try:
            connection.request(method, target, body=data, headers=all_headers)
            response = connection.getresponse()
            raw = response.read()
            headers = {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()
        return Response(response.status, headers, json.loads(raw) if raw else None)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body, **kwargs):
        return self.request("POST", path, body=body, **kwargs)

    def put(self, path, body, **kwargs):
        return self.request("PUT", path, body=body, **kwargs)

    def patch(self, path, *operations, **kwargs):
        return self.request("PATCH", path, body={"schemas": [PATCH_OP], "Operations": list(operations)},
                            **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def new_user(user_name, **attributes):
    return {"schemas": [USER], "userName": user_name, **attributes}


class ScimServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ScimServer(max_results=MAX_RESULTS, bulk_max_operations=BULK_MAX_OPERATIONS,
                                bulk_max_payload=BULK_MAX_PAYLOAD).start()
        cls.client = Client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.server.reset()

    def create_user(self, user_name, **attributes):
        response = self.client.post("/Users", new_user(user_name, **attributes))
        self.assertEqual(response.status, 201, response.body)
        return response.body

    def assertScimError(self, response, status, scim_type=None):
        self.assertEqual(response.status, status, response.body)
        self.assertIn(ERROR, response.body["schemas"])
        self.assertEqual(response.body["status"], str(status))
        if scim_type:
            self.assertEqual(response.body.get("scimType"), scim_type, response.body)

    # ---- discovery ---------------------------------------------------------------------------
    def test_service_provider_config_declares_what_the_server_does(self):
        config = self.client.get("/ServiceProviderConfig").body
        self.assertTrue(config["patch"]["supported"])
        self.assertEqual(config["filter"], {"supported": True, "maxResults": MAX_RESULTS})
        self.assertEqual(config["bulk"], {"supported": True, "maxOperations": BULK_MAX_OPERATIONS,
                                          "maxPayloadSize": BULK_MAX_PAYLOAD})
        self.assertTrue(config["etag"]["supported"])
        self.assertTrue(config["sort"]["supported"])
        self.assertFalse(config["changePassword"]["supported"])
        self.assertEqual([s["type"] for s in config["authenticationSchemes"]], ["oauthbearertoken"])

    def test_resource_types_and_schemas(self):
        types = {t["name"]: t for t in self.client.get("/ResourceTypes").body["Resources"]}
        self.assertEqual(set(types), {"User", "Group", "Contact"})
        self.assertEqual(types["User"]["endpoint"], "/Users")
        self.assertEqual(types["User"]["schemaExtensions"], [{"schema": ENTERPRISE, "required": False}])
        self.assertEqual((types["Group"]["endpoint"], types["Group"]["schema"]), ("/Groups", GROUP))
        self.assertEqual((types["Contact"]["endpoint"], types["Contact"]["schema"]), ("/Contacts", CONTACT))
        schemas = {s["id"]: s for s in self.client.get("/Schemas").body["Resources"]}
        self.assertLessEqual({USER, GROUP, ENTERPRISE, CONTACT}, set(schemas))
        contact = self.client.get("/Schemas/" + CONTACT)
        self.assertEqual(contact.status, 200)
        attributes = {a["name"]: a for a in contact.body["attributes"]}
        self.assertLessEqual({"displayName", "emails", "name"}, set(attributes))
        self.assertTrue(attributes["displayName"]["required"])
        self.assertEqual({a["name"] for a in attributes["emails"]["subAttributes"]},
                         {"value", "display", "type", "primary"})
        user_name = {a["name"]: a for a in schemas[USER]["attributes"]}["userName"]
        self.assertEqual(user_name["uniqueness"], "server")
        self.assertEqual(self.client.get("/ResourceTypes/Contact").body["schema"], CONTACT)

    # ---- users -------------------------------------------------------------------------------
    def test_create_user_answers_201_with_location_and_meta(self):
        response = self.client.post("/Users", new_user(
            "alice@idsync.test", externalId="e-1", name={"givenName": "Alice"},
            emails=[{"value": "alice@idsync.test", "type": "work", "primary": True}],
            password="Secret-123", schemas=[USER, ENTERPRISE],
            **{ENTERPRISE: {"employeeNumber": "701", "department": "Sales"}}))
        self.assertEqual(response.status, 201, response.body)
        user = response.body
        meta = user["meta"]
        self.assertEqual(response.header("Location"), f"{self.server.base_url}/Users/{user['id']}")
        self.assertEqual(meta["location"], response.header("Location"))
        self.assertEqual(response.header("ETag"), meta["version"])
        self.assertEqual(meta["resourceType"], "User")
        self.assertEqual(meta["created"], meta["lastModified"])
        self.assertNotIn("password", user)
        self.assertEqual(user[ENTERPRISE], {"employeeNumber": "701", "department": "Sales"})
        self.assertIn(ENTERPRISE, user["schemas"])
        fetched = self.client.get(f"/Users/{user['id']}")
        self.assertEqual(fetched.status, 200)
        self.assertEqual(fetched.body, user)
        self.assertEqual(fetched.header("ETag"), meta["version"])
        self.assertScimError(self.client.get("/Users/no-such-id"), 404)

    def test_user_name_is_unique_without_regard_to_case(self):
        self.create_user("bob@idsync.test")
        self.assertScimError(self.client.post("/Users", new_user("BOB@idsync.test")), 409, "uniqueness")
        other = self.create_user("carol@idsync.test")
        self.assertScimError(self.client.put(f"/Users/{other['id']}", new_user("bob@idsync.test")),
                             409, "uniqueness")
        self.assertScimError(self.client.post("/Users", {"schemas": [USER]}), 400, "invalidValue")

    def test_paging_covers_every_user_once(self):
        ids = {self.create_user(f"user{i}@idsync.test")["id"] for i in range(7)}
        seen, start = [], 1
        while True:
            page = self.client.get("/Users", query={"startIndex": start, "count": 3}).body
            self.assertEqual(page["totalResults"], 7)
            self.assertEqual(page["startIndex"], start)
            self.assertEqual(page["itemsPerPage"], len(page["Resources"]))
            self.assertLessEqual(len(page["Resources"]), 3)
            seen += [u["id"] for u in page["Resources"]]
            start += len(page["Resources"])
            if start > page["totalResults"] or not page["Resources"]:
                break
        self.assertEqual(sorted(seen), sorted(ids))
        # No page is longer than filter.maxResults, asked for or not.
        for query in ({"count": 100}, None):
            page = self.client.get("/Users", query=query).body
            self.assertEqual((page["itemsPerPage"], page["totalResults"]), (MAX_RESULTS, 7))
        search = self.client.post("/Users/.search", {"schemas": [SEARCH_REQUEST], "count": 100,
                                                     "filter": 'userName sw "user"'}).body
        self.assertEqual((search["itemsPerPage"], search["totalResults"]), (MAX_RESULTS, 7))
        empty = self.client.get("/Users", query={"count": 0}).body
        self.assertEqual((empty["totalResults"], empty.get("Resources", [])), (7, []))
        ordered = self.client.get("/Users", query={"sortBy": "userName", "sortOrder": "descending",
                                                   "count": 2}).body
        self.assertEqual([u["userName"] for u in ordered["Resources"]],
                         ["user6@idsync.test", "user5@idsync.test"])

    def test_filters(self):
        anna = self.create_user("anna@idsync.test", externalId="ext-anna", displayName="Anna")
        ben = self.create_user("ben@idsync.test", externalId="ext-ben", displayName="Ben")
        watermark = ben["meta"]["lastModified"]
        changed = self.client.patch(f"/Users/{anna['id']}",
                                    {"op": "replace", "path": "displayName", "value": "Anna B."})
        self.assertEqual(changed.status, 200, changed.body)

        def names(flt):
            response = self.client.get("/Users", query={"filter": flt})
            self.assertEqual(response.status, 200, response.body)
            return sorted(u["userName"] for u in response.body["Resources"])

        self.assertEqual(names('userName eq "ben@idsync.test"'), ["ben@idsync.test"])
        self.assertEqual(names('externalId eq "ext-anna"'), ["anna@idsync.test"])
        self.assertEqual(names('displayName eq "Ben"'), ["ben@idsync.test"])
        self.assertEqual(names(f'meta.lastModified gt "{watermark}"'), ["anna@idsync.test"])
        self.assertEqual(names(f'meta.lastModified gt "{anna["meta"]["created"]}"'),
                         ["anna@idsync.test", "ben@idsync.test"])
        self.assertEqual(names('userName eq "anna@idsync.test" or externalId eq "ext-ben"'),
                         ["anna@idsync.test", "ben@idsync.test"])
        self.assertEqual(names('userName eq "anna@idsync.test" and externalId eq "ext-ben"'), [])
        self.assertEqual(names('(userName eq "anna@idsync.test" or userName eq "ben@idsync.test")'
                               ' and externalId eq "ext-ben"'), ["ben@idsync.test"])
        self.assertScimError(self.client.get("/Users", query={"filter": 'userName xx "a"'}),
                             400, "invalidFilter")
        self.assertScimError(self.client.get("/Users", query={"filter": '(userName eq "a"'}),
                             400, "invalidFilter")

    def test_put_replaces_the_whole_resource(self):
        user = self.create_user("dan@idsync.test", displayName="Dan", title="Engineer")
        response = self.client.put(f"/Users/{user['id']}", new_user(
            "dan@idsync.test", displayName="Daniel", id="ignored-read-only"))
        self.assertEqual(response.status, 200, response.body)
        self.assertEqual(response.body["id"], user["id"])
        self.assertEqual(response.body["displayName"], "Daniel")
        self.assertNotIn("title", response.body)
        self.assertEqual(response.body["meta"]["created"], user["meta"]["created"])
        self.assertNotEqual(response.body["meta"]["version"], user["meta"]["version"])
        self.assertGreater(response.body["meta"]["lastModified"], user["meta"]["lastModified"])
        self.assertScimError(self.client.put("/Users/no-such-id", new_user("x@idsync.test")), 404)

    def test_patch_add_replace_remove(self):
        user = self.create_user("erin@idsync.test", emails=[
            {"value": "erin@idsync.test", "type": "work"}, {"value": "erin@home.test", "type": "home"}])
        path = f"/Users/{user['id']}"
        response = self.client.patch(
            path, {"op": "add", "path": "displayName", "value": "Erin"},
            {"op": "replace", "path": 'emails[type eq "work"].value', "value": "erin.b@idsync.test"},
            {"op": "remove", "path": 'emails[type eq "home"]'},
            {"op": "add", "value": {"title": "Buyer", ENTERPRISE + ":department": "Purchasing"}})
        self.assertEqual(response.status, 200, response.body)
        patched = response.body
        self.assertEqual(patched["displayName"], "Erin")
        self.assertEqual(patched["emails"], [{"value": "erin.b@idsync.test", "type": "work"}])
        self.assertEqual(patched["title"], "Buyer")
        self.assertEqual(patched[ENTERPRISE]["department"], "Purchasing")
        self.assertEqual(response.header("ETag"), patched["meta"]["version"])
        self.assertEqual(self.client.get(path).body, patched)
        removed = self.client.patch(path, {"op": "remove", "path": "title"}).body
        self.assertNotIn("title", removed)
        # A PATCH that changes nothing answers 204 and leaves the version alone.
        unchanged = self.client.patch(path, {"op": "replace", "path": "displayName", "value": "Erin"})
        self.assertEqual(unchanged.status, 204)
        self.assertEqual(self.client.get(path).body["meta"]["version"], removed["meta"]["version"])
        self.assertScimError(self.client.patch(path, {"op": "replace", "path": "id", "value": "x"}),
                             400, "mutability")
        self.assertScimError(self.client.patch(path, {"op": "replace", "path": "password",
                                                      "value": "New-123"}), 400, "mutability")
        self.assertScimError(self.client.patch(path, {"op": "add", "path": "noSuchAttribute",
                                                      "value": "x"}), 400, "invalidPath")

    def test_delete(self):
        user = self.create_user("fay@idsync.test")
        response = self.client.delete(f"/Users/{user['id']}")
        self.assertEqual((response.status, response.body), (204, None))
        self.assertScimError(self.client.get(f"/Users/{user['id']}"), 404)
        self.assertScimError(self.client.delete(f"/Users/{user['id']}"), 404)
        self.assertEqual(self.server.users(), [])

    # ---- ETags -------------------------------------------------------------------------------
    def test_etag_round_trip(self):
        user = self.create_user("gus@idsync.test")
        path, version = f"/Users/{user['id']}", user["meta"]["version"]
        self.assertEqual(self.client.get(path, headers={"If-None-Match": version}).status, 304)
        changed = self.client.put(path, new_user("gus@idsync.test", displayName="Gus"),
                                  headers={"If-Match": version})
        self.assertEqual(changed.status, 200, changed.body)
        current = changed.header("ETag")
        self.assertNotEqual(current, version)
        self.assertEqual(self.client.get(path, headers={"If-None-Match": version}).status, 200)
        self.assertScimError(self.client.put(path, new_user("gus@idsync.test"),
                                             headers={"If-Match": version}), 412)
        self.assertScimError(self.client.patch(path, {"op": "add", "path": "title", "value": "x"},
                                               headers={"If-Match": version}), 412)
        self.assertScimError(self.client.delete(path, headers={"If-Match": version}), 412)
        self.assertEqual(self.client.get(path).body["displayName"], "Gus")
        patched = self.client.patch(path, {"op": "add", "path": "title", "value": "Chef"},
                                    headers={"If-Match": current})
        self.assertEqual(patched.status, 200, patched.body)
        self.assertEqual(self.client.delete(path, headers={"If-Match": "*"}).status, 204)

    # ---- groups ------------------------------------------------------------------------------
    def test_groups_with_members(self):
        hal = self.create_user("hal@idsync.test")
        ida = self.create_user("ida@idsync.test")
        response = self.client.post("/Groups", {"schemas": [GROUP], "displayName": "Sales",
                                                "members": [{"value": hal["id"]}]})
        self.assertEqual(response.status, 201, response.body)
        group = response.body
        self.assertEqual(group["members"], [{"value": hal["id"], "type": "User",
                                             "$ref": f"{self.server.base_url}/Users/{hal['id']}"}])
        path = f"/Groups/{group['id']}"
        added = self.client.patch(path, {"op": "add", "path": "members",
                                         "value": [{"value": ida["id"]}, {"value": hal["id"]}]})
        self.assertEqual(added.status, 200, added.body)
        self.assertEqual(sorted(m["value"] for m in added.body["members"]), sorted([hal["id"], ida["id"]]))
        self.assertEqual([g["value"] for g in self.client.get(f"/Users/{ida['id']}").body["groups"]],
                         [group["id"]])
        removed = self.client.patch(path, {"op": "remove", "path": f'members[value eq "{hal["id"]}"]'})
        self.assertEqual([m["value"] for m in removed.body["members"]], [ida["id"]])
        self.assertNotIn("groups", self.client.get(f"/Users/{hal['id']}").body)
        self.assertScimError(self.client.patch(path, {"op": "add", "path": "members",
                                                      "value": [{"value": "no-such-id"}]}),
                             400, "invalidValue")
        found = self.client.get("/Groups", query={"filter": 'displayName eq "Sales"'}).body
        self.assertEqual([g["id"] for g in found["Resources"]], [group["id"]])
        # A deleted member leaves the group, which is a change of the group.
        before = self.client.get(path).body["meta"]
        self.assertEqual(self.client.delete(f"/Users/{ida['id']}").status, 204)
        after = self.client.get(path).body
        self.assertNotIn("members", after)
        self.assertNotEqual(after["meta"]["version"], before["version"])
        self.assertGreater(after["meta"]["lastModified"], before["lastModified"])

    # ---- contacts ----------------------------------------------------------------------------
    def test_contact_end_to_end(self):
        response = self.client.post("/Contacts", {
            "schemas": [CONTACT], "displayName": "Jo Partner", "externalId": "c-1",
            "name": {"givenName": "Jo", "familyName": "Partner"},
            "emails": [{"value": "jo@partner.test", "type": "work", "primary": True}]})
        self.assertEqual(response.status, 201, response.body)
        contact = response.body
        self.assertEqual(contact["schemas"], [CONTACT])
        self.assertEqual(contact["meta"]["resourceType"], "Contact")
        self.assertEqual(response.header("Location"), f"{self.server.base_url}/Contacts/{contact['id']}")
        path = f"/Contacts/{contact['id']}"
        self.assertEqual(self.client.get(path).body, contact)
        found = self.client.get("/Contacts", query={"filter": 'externalId eq "c-1"'}).body
        self.assertEqual([c["id"] for c in found["Resources"]], [contact["id"]])
        patched = self.client.patch(path, {"op": "replace", "path": 'emails[type eq "work"].value',
                                           "value": "jo@partner2.test"},
                                    headers={"If-Match": contact["meta"]["version"]})
        self.assertEqual(patched.status, 200, patched.body)
        self.assertEqual(patched.body["emails"][0]["value"], "jo@partner2.test")
        replaced = self.client.put(path, {"schemas": [CONTACT], "displayName": "Jo P."})
        self.assertEqual(replaced.status, 200, replaced.body)
        self.assertNotIn("emails", replaced.body)
        self.assertScimError(self.client.post("/Contacts", {"schemas": [CONTACT]}), 400, "invalidValue")
        self.assertEqual([c["displayName"] for c in self.server.contacts()], ["Jo P."])
        self.assertEqual(self.client.delete(path).status, 204)
        self.assertScimError(self.client.get(path), 404)

    def test_a_contact_is_a_group_member(self):
        # Added by this server (scimmy's Group names users and groups only): a hosted mail
        # service's groups hold contacts too.
        jo = self.client.post("/Contacts", {"schemas": [CONTACT], "displayName": "Jo"}).body
        response = self.client.post("/Groups", {"schemas": [GROUP], "displayName": "List",
                                                "members": [{"value": jo["id"]}]})
        self.assertEqual(response.status, 201, response.body)
        group = response.body
        self.assertEqual(group["members"], [{"value": jo["id"], "type": "Contact",
                                             "$ref": f"{self.server.base_url}/Contacts/{jo['id']}"}])
        path = f"/Groups/{group['id']}"
        # The group as read goes back whole with PUT, the contact's type and $ref with it.
        replaced = self.client.put(path, {**group, "displayName": "List 2"})
        self.assertEqual(replaced.status, 200, replaced.body)
        self.assertEqual(replaced.body["members"], group["members"])
        members = next(a for a in self.client.get(f"/Schemas/{GROUP}").body["attributes"]
                       if a["name"] == "members")
        sub = {a["name"]: a for a in members["subAttributes"]}
        self.assertEqual(sub["type"]["canonicalValues"], ["User", "Group", "Contact"])
        self.assertEqual(sub["$ref"]["referenceTypes"], ["User", "Group", "Contact"])
        # A deleted contact leaves the group.
        self.assertEqual(self.client.delete(f"/Contacts/{jo['id']}").status, 204)
        self.assertNotIn("members", self.client.get(path).body)

    # ---- bulk --------------------------------------------------------------------------------
    def test_bulk_with_bulk_id_references(self):
        kim = self.create_user("kim@idsync.test")
        response = self.client.post("/Bulk", {"schemas": [BULK_REQUEST], "Operations": [
            {"method": "POST", "path": "/Users", "bulkId": "lee", "data": new_user("lee@idsync.test")},
            {"method": "POST", "path": "/Groups", "bulkId": "team", "data": {
                "schemas": [GROUP], "displayName": "Team", "members": [{"value": "bulkId:lee"}]}},
            {"method": "PATCH", "path": f"/Users/{kim['id']}", "version": kim["meta"]["version"],
             "data": {"schemas": [PATCH_OP], "Operations": [
                 {"op": "add", "path": "displayName", "value": "Kim"}]}},
            {"method": "DELETE", "path": f"/Users/{kim['id']}", "version": kim["meta"]["version"]}]})
        self.assertEqual(response.status, 200, response.body)
        ops = response.body["Operations"]
        self.assertEqual([op["status"] for op in ops], ["201", "201", "200", "412"])
        lee = self.client.get("/Users", query={"filter": 'userName eq "lee@idsync.test"'}).body["Resources"][0]
        self.assertEqual(ops[0]["location"], lee["meta"]["location"])
        self.assertEqual(ops[0]["version"], lee["meta"]["version"])
        team = self.client.get(ops[1]["location"][len(self.server.base_url):]).body
        self.assertEqual([m["value"] for m in team["members"]], [lee["id"]])
        self.assertEqual(self.client.get(f"/Users/{kim['id']}").body["displayName"], "Kim")
        self.assertEqual(ops[3]["response"]["status"], "412")

    def test_bulk_limits(self):
        def user_op(i):
            return {"method": "POST", "path": "/Users", "bulkId": f"u{i}",
                    "data": new_user(f"bulk{i}@idsync.test")}
        too_many = {"schemas": [BULK_REQUEST],
                    "Operations": [user_op(i) for i in range(BULK_MAX_OPERATIONS + 1)]}
        self.assertScimError(self.client.post("/Bulk", too_many), 413)
        too_large = {"schemas": [BULK_REQUEST], "Operations": [
            dict(user_op(0), data=new_user("big@idsync.test", title="x" * BULK_MAX_PAYLOAD))]}
        self.assertScimError(self.client.post("/Bulk", too_large), 413)
        self.assertEqual(self.server.users(), [])
        enough = {"schemas": [BULK_REQUEST],
                  "Operations": [user_op(i) for i in range(BULK_MAX_OPERATIONS)]}
        response = self.client.post("/Bulk", enough)
        self.assertEqual([op["status"] for op in response.body["Operations"]], ["201"] * BULK_MAX_OPERATIONS)

    # ---- authentication, TLS, faults ---------------------------------------------------------
    def test_wrong_or_missing_token_is_refused(self):
        for token in ("wrong-token", ""):
            response = Client(self.server, token=token).get("/Users")
            self.assertScimError(response, 401)
            self.assertTrue(response.header("WWW-Authenticate").startswith("Bearer"))
        self.assertEqual(self.client.get("/Users").status, 200)

    def test_tls_is_verified_against_the_servers_own_ca(self):
        self.assertTrue(self.server.base_url.startswith("https://127.0.0.1:"))
        connection = http.client.HTTPSConnection("127.0.0.1", self.server.port,
                                                 context=ssl.create_default_context(), timeout=10)
        with self.assertRaises(ssl.SSLCertVerificationError):
            connection.request("GET", "/scim/v2/ServiceProviderConfig")
        connection.close()

    def test_injected_429_and_503_carry_retry_after(self):
        self.server.inject(429, count=2, method="GET", path_prefix="/Users", retry_after=3)
        for _ in range(2):
            response = self.client.get("/Users")
            self.assertScimError(response, 429)
            self.assertEqual(response.header("Retry-After"), "3")
        self.assertEqual(self.client.get("/Users").status, 200)
        self.server.inject(503, count=None, method="POST")
        self.assertEqual(self.client.get("/Groups").status, 200)
        for _ in range(2):
            response = self.client.post("/Users", new_user("x@idsync.test"))
            self.assertScimError(response, 503)
            self.assertEqual(response.header("Retry-After"), "1")
        self.server.clear_faults()
        self.assertEqual(self.client.post("/Users", new_user("x@idsync.test")).status, 201)
        # Faults come before authentication, as from a gateway in front of the service.
        self.server.inject(429, retry_after=False)
        response = Client(self.server, token="wrong-token").get("/Users")
        self.assertEqual(response.status, 429)
        self.assertIsNone(response.header("Retry-After"))

    def test_request_log(self):
        user = self.create_user("lou@idsync.test")
        self.server.reset_requests()
        self.client.get("/Users", query={"filter": 'userName eq "lou@idsync.test"', "count": 2})
        self.client.patch(f"/Users/{user['id']}", {"op": "add", "path": "title", "value": "x"},
                          headers={"If-Match": user["meta"]["version"]})
        self.server.add_user(userName="seeded@idsync.test")  # control calls are not logged
        log = self.server.requests()
        self.assertEqual([(e["method"], e["path"], e["status"]) for e in log],
                         [("GET", "/scim/v2/Users", 200), ("PATCH", f"/scim/v2/Users/{user['id']}", 200)])
        self.assertEqual(log[0]["query"], {"filter": 'userName eq "lou@idsync.test"', "count": "2"})
        self.assertEqual(log[1]["if_match"], user["meta"]["version"])
        self.assertEqual(log[1]["body"]["Operations"][0]["path"], "title")
        self.assertRegex(log[0]["time"], r"^\d{4}-\d\d-\d\dT")

    # ---- control API -------------------------------------------------------------------------
    def test_control_api_changes_resources_like_the_api(self):
        user = self.server.add_user(userName="max@idsync.test", externalId="m-1")
        self.assertEqual(user["meta"]["location"], f"{self.server.base_url}/Users/{user['id']}")
        self.assertEqual(self.client.get(f"/Users/{user['id']}").body, user)
        group = self.server.add_group(displayName="Ops", members=[{"value": user["id"]}])
        contact = self.server.add_contact(displayName="Ext", emails=[{"value": "e@ext.test"}])
        patched = self.server.patch("User", user["id"], {"op": "replace", "path": "displayName",
                                                         "value": "Max"})
        self.assertEqual(patched["displayName"], "Max")
        self.assertNotEqual(patched["meta"]["version"], user["meta"]["version"])
        self.assertGreater(patched["meta"]["lastModified"], user["meta"]["lastModified"])
        found = self.client.get("/Users", query={
            "filter": f'meta.lastModified gt "{contact["meta"]["lastModified"]}"'}).body
        self.assertEqual([u["id"] for u in found["Resources"]], [user["id"]])
        with self.assertRaises(ControlError) as refused:
            self.server.add_user(userName="MAX@idsync.test")
        self.assertEqual(refused.exception.scim_type, "uniqueness")
        self.assertEqual(self.server.get("Group", group["id"])["members"][0]["value"], user["id"])
        self.server.delete("Contact", contact["id"])
        self.assertEqual(self.server.contacts(), [])
        self.assertEqual([u["userName"] for u in self.server.users()], ["max@idsync.test"])
        self.assertEqual(len(self.server.groups()), 1)
        # The log holds the two API requests above, none of the control calls.
        self.assertEqual([e["method"] for e in self.server.requests()], ["GET", "GET"])


class WithoutPatchTest(unittest.TestCase):
    """patch_supported=False: a service without PATCH, whose clients must replace with PUT."""

    @classmethod
    def setUpClass(cls):
        cls.server = ScimServer(patch_supported=False).start()
        cls.client = Client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_patch_is_declared_unsupported_and_refused(self):
        self.assertFalse(self.client.get("/ServiceProviderConfig").body["patch"]["supported"])
        user = self.client.post("/Users", new_user("amy@idsync.test")).body
        path = f"/Users/{user['id']}"
        response = self.client.patch(path, {"op": "replace", "path": "displayName", "value": "A"})
        self.assertEqual(response.status, 501, response.body)
        self.assertIn(ERROR, response.body["schemas"])
        bulk = self.client.post("/Bulk", {"schemas": [BULK_REQUEST], "Operations": [
            {"method": "PATCH", "path": path, "data": {"schemas": [PATCH_OP], "Operations": [
                {"op": "replace", "path": "displayName", "value": "A"}]}}]})
        self.assertEqual(bulk.status, 501, bulk.body)
        self.assertNotIn("displayName", self.client.get(path).body)
        # PUT and Bulk without PATCH work as ever.
        replaced = self.client.put(path, {**new_user("amy@idsync.test"), "displayName": "Amy"})
        self.assertEqual(replaced.status, 200, replaced.body)
        bulk = self.client.post("/Bulk", {"schemas": [BULK_REQUEST], "Operations": [
            {"method": "PUT", "path": path,
             "data": {**new_user("amy@idsync.test"), "displayName": "Amy B"}}]})
        self.assertEqual(bulk.status, 200, bulk.body)
        self.assertEqual(self.client.get(path).body["displayName"], "Amy B")
        self.assertEqual([r["status"] for r in self.server.requests() if r["method"] == "PATCH"],
                         [501])


class ServerProcessTest(unittest.TestCase):
    def test_plain_http(self):
        with ScimServer(tls=False) as server:
            self.assertTrue(server.base_url.startswith("http://127.0.0.1:"))
            self.assertIsNone(server.ca_file)
            self.assertEqual(Client(server).get("/ServiceProviderConfig").status, 200)

    def test_a_server_that_cannot_start_is_reported(self):
        server = ScimServer(command_prefix=["false"])
        with self.assertRaisesRegex(RuntimeError, "exited with 1"):
            server.start()
        self.assertIsNone(server.process)
        self.assertIsNone(server.workdir)

    def test_server_exits_when_its_parent_dies(self):
        workdir = tempfile.mkdtemp(prefix="scim-orphan-")
        self.addCleanup(shutil.rmtree, workdir, ignore_errors=True)
        parent_code = (
            "import json, sys, time\n"
            "from scim_server_process import ScimServer\n"
            f"server = ScimServer(workdir={workdir!r}).start()\n"
            "print(json.dumps({'pid': server.pid}), flush=True)\n"
            "time.sleep(120)\n")
        parent = subprocess.Popen([sys.executable, "-B", "-c", parent_code], cwd=HERE,
                                  stdout=subprocess.PIPE, text=True)
        try:
            server_pid = json.loads(parent.stdout.readline())["pid"]
            self.assertTrue(alive(server_pid))
        finally:
            parent.send_signal(signal.SIGKILL)
            parent.wait()
            parent.stdout.close()
        deadline = time.monotonic() + 10
        while alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(alive(server_pid), "the server outlived its parent")
        self.assertFalse(os.path.exists(os.path.join(workdir, "control.sock")))


def alive(pid):
    """Whether a process runs (a zombie waiting for its reaper does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


if __name__ == "__main__":
    unittest.main()
