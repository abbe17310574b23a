"""The SCIM 2.0 connector (scim) through the `idsync` CLI, as an admin drives it, against a real
SCIM service provider (server/: scimmy on express): full import of users, groups and contacts
over pages, delta import by the lastModified filter, a wrong token, an unknown CA, the
connection test; export from an HR file through an outbound rule with creation, value-level
PATCH, disabling, deletion, matching, uniqueness conflicts, throttling, ETags and Bulk; the same
by PUT for a service without PATCH; groups taken over on their first export and contacts as
group members; and the connector contract kit.

    IDSYNC_BUILD_DIR=build python3 -m unittest -v test_scim_connector
"""
import datetime
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ldap"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from idsync_workspace import BUILD, IdsyncWorkspace  # noqa: E402
from hr_source import add_hr_connector, hr_inbound_rule, join_back_rule, write_rows  # noqa: E402
from scim_server_process import ScimServer  # noqa: E402

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
DOMAIN = "example.test"
PASSWORD = "Init-Passw0rd-" + os.urandom(4).hex() + "!"


def step(result):
    return result["steps"][0]


def values(obj, name):
    return obj.get("attributes", {}).get(name, [])


def seconds(timestamp):
    return datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


class ScimCase(unittest.TestCase):
    """A SCIM service over HTTPS with a CA of its own, and a workspace whose connector "Scim"
    reads and writes it with a bearer token."""

    server_options = {}

    def setUp(self):
        # A token of our own: one that begins with "-" would read as an option of the server.
        self.scim = ScimServer(token="scim-" + secrets.token_urlsafe(24), **self.server_options)
        self.scim.start()
        self.addCleanup(self.scim.stop)
        self.ws = IdsyncWorkspace()
        self.addCleanup(self.ws.close)
        self.configure()

    def config(self, **over):
        config = {"base_url": self.scim.base_url,
                  "token": self.ws.secret("scim-token", self.scim.token),
                  "ca_file": self.scim.ca_file, "timeout_seconds": 20, "max_backoff_seconds": 1}
        config.update(over)
        return config

    def configure(self, object_types=(), **over):
        self.ws.connector("Scim", "scim", self.config(**over), object_types=object_types)
        self.ws.write_manifest()

    def run_step(self, profile, check=True, connector="Scim"):
        result = step(self.ws.run_profile(connector, profile, check=False))
        if check:
            self.assertEqual(result["status"], "success", result)
        return result

    def provision_from(self, connector, file_name, columns, check=True):
        """Writes self.rows as the source connector's CSV, imports and syncs it, and exports to
        the service: the export step's result."""
        write_rows(self.ws.path(file_name), columns, self.rows)
        self.run_step("Full Import", connector=connector)
        self.run_step("Full Sync", connector=connector)
        return self.run_step("Export", check=check)

    def by_anchor(self):
        return {o["anchor"]: o for o in self.ws.cs("Scim")}

    def user(self, login, **props):
        p = {"userName": f"{login}@{DOMAIN}", "displayName": login.title()}
        p.update(props)
        return self.scim.add_user(**p)["id"]


class Import(ScimCase):
    def test_full_import_of_users_groups_and_contacts_over_pages(self):
        ann = self.user("ann", externalId="e-1", name={"givenName": "Ann", "familyName": "Ames"},
                        emails=[{"type": "home", "value": "ann@home.test"},
                                {"type": "work", "value": f"ann@{DOMAIN}"}],
                        schemas=[USER, ENTERPRISE], **{ENTERPRISE: {"department": "Sales"}})
        bob = self.user("bob", active=False)
        cid = self.user("cid")
        team = self.scim.add_group(displayName="team",
                                   members=[{"value": ann}, {"value": bob}])["id"]
        outer = self.scim.add_group(displayName="outer",
                                    members=[{"value": team}, {"value": cid}])["id"]
        carl = self.scim.add_contact(displayName="Carl Contact",
                                     emails=[{"type": "work", "value": "carl@partner.test"}])["id"]
        self.configure(page_size=2)
        self.scim.reset_requests()
        result = self.run_step("Full Import")
        self.assertEqual(result["counters"]["adds"], 6, result)
        # Three users, two groups and one contact at two to a page.
        reads = [r for r in self.scim.requests()
                 if r["method"] == "GET" and r["path"].endswith(("/Users", "/Groups", "/Contacts"))
                 and "filter" not in r["query"]]
        self.assertEqual(sorted((r["path"].rsplit("/", 1)[1], r["query"]["startIndex"],
                                 r["query"]["count"]) for r in reads),
                         [("Contacts", "1", "2"), ("Groups", "1", "2"), ("Users", "1", "2"),
                          ("Users", "3", "2")])
        cs = self.by_anchor()
        self.assertEqual(set(cs), {ann, bob, cid, team, outer, carl})
        self.assertEqual(cs[ann]["object_type"], "User")
        self.assertEqual(values(cs[ann], "userName"), [f"ann@{DOMAIN}"])
        self.assertEqual(values(cs[ann], "externalId"), ["e-1"])
        self.assertEqual(values(cs[ann], "name.givenName"), ["Ann"])
        self.assertEqual(values(cs[ann], "name.familyName"), ["Ames"])
        self.assertEqual(values(cs[ann], "emails.work"), [f"ann@{DOMAIN}"])
        self.assertEqual(values(cs[ann], "emails.home"), ["ann@home.test"])
        self.assertEqual(values(cs[ann], "enterprise.department"), ["Sales"])
        self.assertEqual(values(cs[ann], "groups"), [team])
        self.assertEqual(values(cs[bob], "active"), ["false"])
        self.assertEqual(values(cs[ann], "id"), [ann])
        self.assertEqual(cs[team]["object_type"], "Group")
        self.assertEqual(values(cs[team], "displayName"), ["team"])
        self.assertEqual(sorted(values(cs[team], "members")), sorted([ann, bob]))
        self.assertEqual(sorted(values(cs[outer], "members")), sorted([team, cid]))
        self.assertEqual(cs[carl]["object_type"], "Contact")
        self.assertEqual(values(cs[carl], "displayName"), ["Carl Contact"])
        self.assertEqual(values(cs[carl], "emails.work"), ["carl@partner.test"])

    def test_delta_import_by_last_modified_sees_a_change(self):
        ann, bob = self.user("ann"), self.user("bob")
        self.run_step("Full Import")
        ann_meta = self.scim.patch("User", ann, {"op": "replace", "path": "displayName",
                                                 "value": "Ann Changed"})["meta"]
        dee = self.user("dee")
        self.configure(delta_overlap_seconds=0)
        self.scim.reset_requests()
        result = self.run_step("Delta Import")
        self.assertEqual(result["counters"]["adds"], 1, result)
        self.assertEqual(result["counters"]["updates"], 1, result)
        # Besides discovery's probe (one resource since 1970), the users changed since the
        # service's time when the full import began reading them.
        filters = {r["query"].get("filter") for r in self.scim.requests()
                   if r["method"] == "GET" and r["path"].endswith("/Users")}
        filters.discard('meta.lastModified gt "1970-01-01T00:00:00Z"')
        self.assertEqual(len(filters), 1, filters)
        since = next(iter(filters))
        self.assertRegex(since, r'^meta\.lastModified gt "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$')
        self.assertLessEqual(seconds(since.split('"')[1]), seconds(ann_meta["lastModified"]))
        cs = self.by_anchor()
        self.assertEqual(set(cs), {ann, bob, dee})
        self.assertEqual(values(cs[ann], "displayName"), ["Ann Changed"])
        self.assertEqual(values(cs[bob], "displayName"), ["Bob"])

    def test_a_wrong_token_stops_with_configuration_and_is_never_shown(self):
        self.user("ann")
        wrong = "wrong-token-" + os.urandom(8).hex()
        self.configure(token=self.ws.secret("wrong-token", wrong))
        result = self.run_step("Full Import", check=False)
        self.assertEqual(result["status"], "stopped-configuration", result)
        self.assertIn("401", result["message"])
        self.assertNotIn(wrong, json.dumps(result))
        history = self.ws.idsync("history", "--json").stdout
        self.assertNotIn(wrong, history)
        self.assertNotIn(self.scim.token, history)
        p = self.ws.idsync("connector", "test", "--connector", "Scim", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertNotIn(wrong, p.stdout + p.stderr)

    def test_an_unknown_ca_is_refused(self):
        other = tempfile.mkdtemp(prefix="idsync-scim-ca-")
        self.addCleanup(shutil.rmtree, other, True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=Other CA", "-keyout", os.path.join(other, "key.pem"),
                        "-out", os.path.join(other, "ca.pem")], check=True, capture_output=True)
        self.user("ann")
        self.configure(ca_file=os.path.join(other, "ca.pem"), max_attempts=1)
        self.scim.reset_requests()
        result = self.run_step("Full Import", check=False)
        self.assertEqual(result["status"], "stopped-connectivity", result)
        self.assertEqual(self.scim.requests(), [])
        self.assertEqual(self.ws.cs("Scim"), [])

    def test_connector_test_command(self):
        self.user("ann")
        p = self.ws.idsync("connector", "test", "--connector", "Scim")
        self.assertIn("Scim: the connection test passed", p.stdout)
        self.configure(token=self.ws.secret("wrong-token", "nope"))
        p = self.ws.idsync("connector", "test", "--connector", "Scim", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("401", p.stdout + p.stderr)


HR_COLUMNS = ("employeeId", "givenName", "sn", "displayName", "mail", "department", "enabled")


def hr_person(n, department="Sales", enabled="true"):
    return {"employeeId": f"e{n:04}", "givenName": f"Given{n}", "sn": f"Sur{n}",
            "displayName": f"Person {n}", "mail": f"person{n}@mail.{DOMAIN}",
            "department": department, "enabled": enabled}


class OAuthClientCredentials(ScimCase):
    """The service hands out its bearer token at an OAuth 2.0 token endpoint (client
    credentials): the connector signs in there, and a wrong secret is refused and never shown."""

    SECRET = "oauth-secret-" + secrets.token_urlsafe(12)
    server_options = {"oauth_client": ("idsync-client", SECRET)}

    def oauth(self, secret):
        config = self.config(token_url=self.scim.token_url, client_id="idsync-client",
                             client_secret=self.ws.secret("oauth-secret", secret))
        del config["token"]
        self.ws.connector("Scim", "scim", config)
        self.ws.write_manifest()

    def test_sign_in_with_client_credentials(self):
        ann = self.user("ann")
        self.oauth(self.SECRET)
        self.scim.reset_requests()
        self.assertEqual(self.run_step("Full Import")["counters"]["adds"], 1)
        self.assertEqual(set(self.by_anchor()), {ann})
        posts = [r for r in self.scim.requests() if r["path"] == "/oauth/token"]
        self.assertEqual([r["status"] for r in posts], [200])

    def test_a_wrong_client_secret_stops_with_configuration_and_is_never_shown(self):
        self.user("ann")
        wrong = "wrong-" + secrets.token_urlsafe(12)
        self.oauth(wrong)
        result = self.run_step("Full Import", check=False)
        self.assertEqual(result["status"], "stopped-configuration", result)
        self.assertIn("invalid_client", result["message"])
        history = self.ws.idsync("history", "--json").stdout
        for text in (json.dumps(result), history):
            self.assertNotIn(wrong, text)
            self.assertNotIn(self.SECRET, text)
            self.assertNotIn(self.scim.token, text)
        self.assertEqual(self.ws.cs("Scim"), [])


class WithoutLastModifiedFilter(ScimCase):
    """A service that cannot filter on meta.lastModified (it answers 400 invalidFilter): the
    connector has no delta import, and the host runs a full import in its place, whose
    comparison with the connector space finds changes and deletes, and says so."""

    server_options = {"refuse_filter_on": ["meta.lastModified"]}

    def test_a_delta_import_runs_as_a_full_import_and_finds_deletes(self):
        ann, bob = self.user("ann"), self.user("bob")
        self.run_step("Full Import")
        self.scim.patch("User", ann, {"op": "replace", "path": "displayName",
                                      "value": "Ann Changed"})
        self.scim.delete("User", bob)
        dee = self.user("dee")
        result = self.run_step("Delta Import")
        self.assertIn("cannot filter on meta.lastModified", result["message"])
        self.assertIn("a full import ran in its place", result["message"])
        counters = result["counters"]
        self.assertEqual((counters["adds"], counters["updates"], counters["deletes"]), (1, 1, 1),
                         result)
        cs = self.by_anchor()
        self.assertEqual(set(cs), {ann, dee})
        self.assertEqual(values(cs[ann], "displayName"), ["Ann Changed"])
        history = json.loads(self.ws.idsync("history", "--connector", "Scim", "--json").stdout)
        self.assertIn("a full import ran in its place", history[0]["message"])


class HrExportCase(ScimCase):
    """People from a CSV file (connector HR) provisioned as SCIM users by an outbound rule. The
    service takes at most three operations in a Bulk request."""

    server_options = {"bulk_max_operations": 3}

    def setUp(self):
        super().setUp()
        self.rows = []
        add_hr_connector(self.ws, self.ws.path("hr.csv"), delta_mode="snapshot")
        self.configure()
        self.ws.rule("rules.json", {"rules": [
            hr_inbound_rule(HR_COLUMNS),
            join_back_rule("In from SCIM", "Scim", "User", "externalId"),
            {"name": "Out to SCIM", "direction": "outbound", "connector": "Scim",
             "cs_object_type": "User", "mv_object_type": "person", "link_type": "Provision",
             "precedence": 100, "scoping": [[{"attribute": "employeeId",
                                               "operator": "ISNOTNULL"}]],
             "transformations": [
                 {"flow": "direct", "target": "externalId", "source": "employeeId"},
                 {"flow": "expression", "target": "userName",
                  "expression": f"[employeeId] & \"@{DOMAIN}\""},
                 {"flow": "direct", "target": "displayName", "source": "displayName"},
                 {"flow": "direct", "target": "name.givenName", "source": "givenName"},
                 {"flow": "direct", "target": "name.familyName", "source": "sn"},
                 {"flow": "direct", "target": "emails.work", "source": "mail"},
                 {"flow": "direct", "target": "enterprise.department", "source": "department"},
                 {"flow": "expression", "target": "active",
                  "expression": "[enabled] = \"true\""},
                 {"flow": "constant", "target": "password", "value": PASSWORD}]}]})
        self.ws.write_manifest()

    def configure(self, **over):
        self.ws.connector("Scim", "scim", self.config(**over), object_types=["User"])
        self.ws.write_manifest()

    def provision(self, check=True):
        return self.provision_from("HR", "hr.csv", HR_COLUMNS, check)

    def confirm(self, profile="Delta Import"):
        """The import confirms the export and nothing is left to send."""
        imported = self.run_step(profile)
        self.assertEqual(imported["counters"]["not_reimported"], 0, imported)
        self.assertEqual(self.pending(), [])

    def pending(self):
        return json.loads(self.ws.idsync("pending-exports", "--connector", "Scim",
                                         "--json").stdout)

    def service(self):
        return {u["userName"]: u for u in self.scim.users()}

    def writes(self):
        return [r for r in self.scim.requests() if r["method"] != "GET"]


class Export(HrExportCase):
    def test_create_update_disable_delete(self):
        self.configure(use_bulk=False)
        self.run_step("Full Import")
        self.rows = [hr_person(1), hr_person(2), hr_person(3)]
        self.scim.reset_requests()
        export = self.provision()
        self.assertEqual(export["counters"]["adds"], 3, export)
        self.assertEqual([(r["method"], r["path"].rsplit("/", 1)[1], r["status"])
                          for r in self.writes()], [("POST", "Users", 201)] * 3)
        users = self.service()
        self.assertEqual(len(users), 3)
        one = users[f"e0001@{DOMAIN}"]
        self.assertEqual((one["externalId"], one["displayName"], one["name"], one["active"],
                          one["emails"], one[ENTERPRISE]),
                         ("e0001", "Person 1", {"givenName": "Given1", "familyName": "Sur1"}, True,
                          [{"type": "work", "value": f"person1@mail.{DOMAIN}"}],
                          {"department": "Sales"}))
        self.assertNotIn("password", one)
        cs = self.by_anchor()
        self.assertEqual(set(cs), {u["id"] for u in users.values()})
        self.assertEqual(cs[one["id"]]["object_type"], "User")
        self.assertNotIn(PASSWORD, json.dumps(export))
        self.confirm()

        self.rows[0]["department"] = "Engineering"
        self.rows[0]["mail"] = f"ann.new@mail.{DOMAIN}"
        self.rows[1]["enabled"] = "false"
        del self.rows[2]
        gone = users[f"e0003@{DOMAIN}"]["id"]
        self.scim.reset_requests()
        export = self.provision()
        self.assertEqual((export["counters"]["updates"], export["counters"]["deletes"]), (2, 1),
                         export)
        writes = {(r["method"], r["path"].rsplit("/", 1)[1]): r for r in self.writes()}
        self.assertEqual(set(writes), {("PATCH", one["id"]),
                                       ("PATCH", users[f"e0002@{DOMAIN}"]["id"]),
                                       ("DELETE", gone)})
        self.assertEqual(writes[("DELETE", gone)]["status"], 204)
        patch = writes[("PATCH", one["id"])]
        self.assertEqual(patch["status"], 200)
        self.assertEqual(sorted(patch["body"]["Operations"], key=lambda o: o["path"]), [
            {"op": "replace", "path": 'emails[type eq "work"].value',
             "value": f"ann.new@mail.{DOMAIN}"},
            {"op": "replace", "path": f"{ENTERPRISE}:department", "value": "Engineering"}])
        self.assertEqual(writes[("PATCH", users[f"e0002@{DOMAIN}"]["id"])]["body"]["Operations"],
                         [{"op": "replace", "path": "active", "value": False}])
        users = self.service()
        self.assertEqual(set(users), {f"e0001@{DOMAIN}", f"e0002@{DOMAIN}"})
        self.assertEqual(users[f"e0001@{DOMAIN}"][ENTERPRISE], {"department": "Engineering"})
        self.assertEqual(users[f"e0001@{DOMAIN}"]["emails"],
                         [{"type": "work", "value": f"ann.new@mail.{DOMAIN}"}])
        self.assertFalse(users[f"e0002@{DOMAIN}"]["active"])
        self.confirm()
        # A delta import does not see deletes; the full import stages it for the next sync.
        self.confirm("Full Import")
        self.assertEqual(self.by_anchor()[gone]["pending_change"], "delete")

    def test_matching_takes_over_existing_users(self):
        # By externalId: the service's user has another userName.
        by_external = self.user("old-name", externalId="e0001")
        # By userName: a user the service made by itself, without externalId.
        by_name = self.user("e0002", displayName="Made in the service")
        self.run_step("Full Import")
        self.rows = [hr_person(1), hr_person(2), hr_person(3)]
        export = self.provision()
        self.assertEqual(export["counters"]["adds"], 3, export)
        users = {u["externalId"]: u for u in self.scim.users()}
        self.assertEqual(len(self.scim.users()), 3)
        self.assertEqual(set(users), {"e0001", "e0002", "e0003"})
        self.assertEqual(users["e0001"]["id"], by_external)
        self.assertEqual(users["e0001"]["userName"], f"e0001@{DOMAIN}")
        self.assertEqual(users["e0002"]["id"], by_name)
        self.assertEqual(users["e0002"]["displayName"], "Person 2")
        self.assertEqual(users["e0002"][ENTERPRISE], {"department": "Sales"})
        self.confirm()
        # The sync after the import merges the provisional objects into the users taken over.
        self.run_step("Full Sync")
        cs = self.by_anchor()
        self.assertEqual(set(cs), {u["id"] for u in users.values()})
        self.assertEqual({values(o, "externalId")[0] for o in cs.values()},
                         {"e0001", "e0002", "e0003"})

    def test_a_uniqueness_conflict_is_an_export_error(self):
        taken = self.user("e0001", externalId="somebody-else")
        self.configure(match_existing=False, use_bulk=False)
        self.run_step("Full Import")
        self.rows = [hr_person(1), hr_person(2)]
        export = self.provision(check=False)
        self.assertEqual(export["status"], "completed-export-errors", export)
        self.assertEqual(export["counters"]["adds"], 1, export)
        users = self.service()
        self.assertEqual(len(users), 2)
        self.assertEqual(users[f"e0001@{DOMAIN}"]["id"], taken)
        self.assertEqual(users[f"e0001@{DOMAIN}"]["externalId"], "somebody-else")
        errors = [p for p in self.pending() if p.get("last_error")]
        self.assertEqual(len(errors), 1, errors)
        error = errors[0]["last_error"]
        self.assertEqual(error["kind"], "IDSYNC_ERR_ALREADY_EXISTS", error)
        self.assertIn("409 uniqueness", error["message"])
        self.assertIn("POST /Users", error["message"])

    def test_throttling_slows_the_export_and_loses_nothing(self):
        self.configure(use_bulk=False)
        self.run_step("Full Import")
        self.scim.inject(429, count=2, method="POST", path_prefix="/Users", retry_after=2)
        self.rows = [hr_person(n) for n in range(1, 5)]
        self.scim.reset_requests()
        export = self.provision()
        self.assertEqual(export["counters"]["adds"], 4, export)
        self.assertEqual(len(self.scim.users()), 4)
        posts = [r for r in self.writes() if r["method"] == "POST"]
        self.assertEqual([r["status"] for r in posts], [429, 429, 201, 201, 201, 201], posts)
        # Each throttled request waited for the two seconds of Retry-After.
        for throttled, after in zip(posts[0:2], posts[1:3]):
            self.assertGreaterEqual(seconds(after["time"]) - seconds(throttled["time"]), 1.9)
        self.confirm()

    def test_the_write_pace_holds(self):
        self.configure(use_bulk=False, match_existing=False, writes_per_interval=3,
                       write_interval_seconds=1)
        self.run_step("Full Import")
        self.rows = [hr_person(n) for n in range(1, 10)]
        self.scim.reset_requests()
        export = self.provision()
        self.assertEqual(export["counters"]["adds"], 9, export)
        posts = sorted(seconds(r["time"]) for r in self.writes() if r["method"] == "POST")
        self.assertEqual(len(posts), 9)
        # A fourth write arrives no sooner than a second after the first of any three (the
        # service logs arrivals; the connector counts a write from its answer, which is later).
        for i in range(len(posts) - 3):
            self.assertGreaterEqual(posts[i + 3] - posts[i], 0.99, posts)
        self.confirm()

    def test_a_resource_changed_in_the_service_is_read_again_on_412(self):
        self.configure(use_bulk=False)
        self.run_step("Full Import")
        self.rows = [hr_person(1)]
        self.provision()
        self.confirm()
        uid = self.service()[f"e0001@{DOMAIN}"]["id"]
        version = self.scim.get("User", uid)["meta"]["version"]

        # The PATCH is throttled; while the connector waits, the service changes the user.
        self.scim.inject(429, count=1, method="PATCH", path_prefix="/Users", retry_after=3)
        self.rows[0]["department"] = "Engineering"
        self.scim.reset_requests()
        outcome = {}
        export = threading.Thread(target=lambda: outcome.update(export=self.provision()))
        export.start()
        deadline = time.monotonic() + 60
        while not [r for r in self.scim.requests() if r["status"] == 429]:
            self.assertLess(time.monotonic(), deadline, "no throttled PATCH")
            time.sleep(0.05)
        changed = self.scim.patch("User", uid, {"op": "replace", "path": "title",
                                                "value": "Changed in the service"})
        export.join(120)
        self.assertFalse(export.is_alive())
        self.assertEqual(outcome["export"]["counters"]["updates"], 1, outcome)
        self.assertNotEqual(changed["meta"]["version"], version)
        sent = [(r["method"], r["status"], r["if_match"]) for r in self.scim.requests()
                if r["path"].endswith(uid)]
        self.assertEqual(sent, [("GET", 200, None), ("PATCH", 429, version),
                                ("PATCH", 412, version), ("GET", 200, None),
                                ("PATCH", 200, changed["meta"]["version"])])
        user = self.scim.get("User", uid)
        self.assertEqual(user[ENTERPRISE], {"department": "Engineering"})
        self.assertEqual(user["title"], "Changed in the service")
        self.confirm()

    def test_bulk_requests_with_one_result_per_operation(self):
        self.configure(match_existing=False)
        taken = self.user("e0004", externalId="somebody-else")
        self.run_step("Full Import")
        self.rows = [hr_person(n) for n in range(1, 7)]
        self.scim.reset_requests()
        export = self.provision(check=False)
        self.assertEqual(export["status"], "completed-export-errors", export)
        self.assertEqual(export["counters"]["adds"], 5, export)
        # Six creates in two Bulk requests of three operations, each with its own answer.
        bulks = self.writes()
        self.assertEqual([(r["method"], r["path"].rsplit("/", 1)[1], r["status"],
                           [op["method"] for op in r["body"]["Operations"]]) for r in bulks],
                         [("POST", "Bulk", 200, ["POST"] * 3)] * 2, bulks)
        self.assertEqual(len({op["bulkId"] for r in bulks for op in r["body"]["Operations"]}), 6)
        users = self.service()
        self.assertEqual(len(users), 6)
        self.assertEqual(users[f"e0004@{DOMAIN}"]["id"], taken)
        self.assertEqual(users[f"e0004@{DOMAIN}"]["externalId"], "somebody-else")
        self.assertEqual(users[f"e0005@{DOMAIN}"]["externalId"], "e0005")
        # The failed create keeps its provisional object; the others have their ids.
        anchors = [o["anchor"] for o in self.ws.cs("Scim")]
        self.assertEqual({a for a in anchors if isinstance(a, str)},
                         {u["id"] for u in users.values()})
        self.assertEqual(len(anchors), 7, anchors)
        errors = [p for p in self.pending() if p.get("last_error")]
        self.assertEqual(len(errors), 1, errors)
        self.assertEqual(errors[0]["last_error"]["kind"], "IDSYNC_ERR_ALREADY_EXISTS", errors)
        self.assertIn("409 uniqueness", errors[0]["last_error"]["message"])

        # Updates go in Bulk too, each with its resource's version; the refused create is
        # tried again.
        for row in self.rows:
            row["department"] = "Support"
        versions = {u["id"]: u["meta"]["version"] for u in self.scim.users()}
        self.scim.reset_requests()
        export = self.provision(check=False)
        self.assertEqual(export["counters"]["updates"], 5, export)
        operations = [op for r in self.writes() for op in r["body"]["Operations"]]
        self.assertEqual(sorted(op["method"] for op in operations), ["PATCH"] * 5 + ["POST"])
        for op in operations:
            if op["method"] == "PATCH":
                uid = op["path"].rsplit("/", 1)[1]
                self.assertEqual(op["version"], versions[uid], op)
                self.assertEqual(self.scim.get("User", uid)[ENTERPRISE], {"department": "Support"})


class ExportWithoutPatch(HrExportCase):
    """A service that offers no PATCH (ServiceProviderConfig patch.supported false; the server
    answers a PATCH with 501): the connector replaces resources with PUT, the resource as read
    with the changes applied, so that values it does not manage stay as they are."""

    server_options = {"bulk_max_operations": 3, "patch_supported": False}

    def assertNoPatchSent(self):
        requests = self.scim.requests()
        bulk_methods = [op["method"] for r in requests if r["path"].endswith("/Bulk")
                        for op in (r["body"] or {}).get("Operations", [])]
        self.assertEqual([r for r in requests if r["method"] == "PATCH" or r["status"] == 501],
                         [])
        self.assertNotIn("PATCH", bulk_methods)

    def test_create_take_over_update_and_disable_by_put(self):
        self.configure(use_bulk=False)
        # A user the service made by itself, with values of its own, taken over by userName.
        taken = self.user("e0002", displayName="Made in the service", title="Service title",
                          phoneNumbers=[{"type": "mobile", "value": "+1 555 0100"}])
        self.run_step("Full Import")
        self.rows = [hr_person(1), hr_person(2)]
        self.scim.reset_requests()
        export = self.provision()
        self.assertEqual(export["counters"]["adds"], 2, export)
        self.assertNoPatchSent()
        self.assertEqual(sorted((r["method"], r["path"].rsplit("/", 1)[1], r["status"])
                                for r in self.writes()),
                         [("POST", "Users", 201), ("PUT", taken, 200)])
        users = self.service()
        self.assertEqual(len(users), 2)
        two = users[f"e0002@{DOMAIN}"]
        self.assertEqual(two["id"], taken)
        self.assertEqual((two["externalId"], two["displayName"], two["name"], two["emails"],
                          two[ENTERPRISE], two["active"]),
                         ("e0002", "Person 2", {"givenName": "Given2", "familyName": "Sur2"},
                          [{"type": "work", "value": f"person2@mail.{DOMAIN}"}],
                          {"department": "Sales"}, True))
        self.assertEqual(two["title"], "Service title")
        self.assertEqual(two["phoneNumbers"], [{"type": "mobile", "value": "+1 555 0100"}])
        self.confirm()
        # The sync after the import merges the provisional object into the user taken over
        # (until then the update would name the provisional object, which the service has not).
        self.run_step("Full Sync")

        # Values the service keeps beside the managed ones: another type of the same
        # multi-valued attribute (emails.home), a title, a phone number.
        one = users[f"e0001@{DOMAIN}"]["id"]
        self.scim.patch("User", one,
                        {"op": "add", "path": "emails",
                         "value": [{"type": "home", "value": "one@home.test"}]},
                        {"op": "add", "path": "title", "value": "Engineer"},
                        {"op": "add", "path": "phoneNumbers",
                         "value": [{"type": "work", "value": "+1 555 0101"}]})
        self.rows[0]["mail"] = f"one.new@mail.{DOMAIN}"
        self.rows[0]["department"] = "Engineering"
        self.rows[1]["enabled"] = "false"
        versions = {u["id"]: u["meta"]["version"] for u in self.scim.users()}
        self.scim.reset_requests()
        export = self.provision()
        self.assertEqual(export["counters"]["updates"], 2, export)
        self.assertNoPatchSent()
        puts = {r["path"].rsplit("/", 1)[1]: r for r in self.writes()}
        self.assertEqual(set(puts), {one, taken})
        for uid, put in puts.items():
            self.assertEqual((put["method"], put["status"], put["if_match"]),
                             ("PUT", 200, versions[uid]))
        users = self.service()
        one_now = users[f"e0001@{DOMAIN}"]
        self.assertEqual(sorted((e["type"], e["value"]) for e in one_now["emails"]),
                         [("home", "one@home.test"), ("work", f"one.new@mail.{DOMAIN}")])
        self.assertEqual(one_now[ENTERPRISE], {"department": "Engineering"})
        self.assertEqual(one_now["title"], "Engineer")
        self.assertEqual(one_now["phoneNumbers"], [{"type": "work", "value": "+1 555 0101"}])
        self.assertEqual(one_now["name"], {"givenName": "Given1", "familyName": "Sur1"})
        self.assertTrue(one_now["active"])
        two = users[f"e0002@{DOMAIN}"]
        self.assertFalse(two["active"])
        self.assertEqual((two["title"], two["displayName"], two[ENTERPRISE]),
                         ("Service title", "Person 2", {"department": "Sales"}))
        self.assertEqual(two["phoneNumbers"], [{"type": "mobile", "value": "+1 555 0100"}])
        self.confirm()

    def test_puts_go_in_bulk(self):
        self.run_step("Full Import")
        self.rows = [hr_person(n) for n in range(1, 4)]
        self.provision()
        self.confirm()
        for row in self.rows:
            row["department"] = "Support"
        self.scim.reset_requests()
        export = self.provision()
        self.assertEqual(export["counters"]["updates"], 3, export)
        self.assertNoPatchSent()
        bulks = self.writes()
        self.assertEqual([(r["path"].rsplit("/", 1)[1], r["status"],
                           [op["method"] for op in r["body"]["Operations"]]) for r in bulks],
                         [("Bulk", 200, ["PUT"] * 3)], bulks)
        for user in self.scim.users():
            self.assertEqual(user[ENTERPRISE], {"department": "Support"})
        self.confirm()


DIR_COLUMNS = ("id", "kind", "name", "mail", "members")


def dir_person(n):
    return {"id": f"p{n}", "kind": "person", "name": f"Person {n}",
            "mail": f"person{n}@mail.{DOMAIN}"}


def dir_contact(n):
    return {"id": f"c{n}", "kind": "contact", "name": f"Contact {n}",
            "mail": f"contact{n}@partner.test"}


def dir_group(gid, name, *members):
    return {"id": gid, "kind": "group", "name": name, "members": ";".join(members)}


def outbound(cs_type, mv_type, precedence, transformations):
    return {"name": f"Out to SCIM {cs_type}", "direction": "outbound", "connector": "Scim",
            "cs_object_type": cs_type, "mv_object_type": mv_type, "link_type": "Provision",
            "precedence": precedence, "scoping": [[{"attribute": "id",
                                                    "operator": "ISNOTNULL"}]],
            "transformations": [{"flow": "direct", "target": "externalId", "source": "id"},
                                *transformations]}


class ExportGroups(ScimCase):
    """People, mail contacts and groups from one CSV file (connector Dir, the type in column
    kind, members naming other rows by id) provisioned as SCIM users, contacts and groups with
    their members. A member is sent once it has its id in the service: the groups come in an
    export after their members'."""

    server_options = {"bulk_max_operations": 3}
    update_method = "PATCH"

    def setUp(self):
        super().setUp()
        self.rows = []
        self.ws.connector("Dir", "file", {"path": self.ws.path("dir.csv"), "format": "csv",
                                          "anchor_column": "id", "object_type_column": "kind",
                                          "reference_attributes": ["members"],
                                          "delta_mode": "snapshot"})
        self.configure()
        inbound = []
        for n, (kind, scim_type) in enumerate((("person", "User"), ("group", "Group"),
                                               ("contact", "Contact"))):
            inbound.append({
                "name": f"In from Dir {kind}", "direction": "inbound", "connector": "Dir",
                "cs_object_type": kind, "mv_object_type": kind, "link_type": "Provision",
                "precedence": 100 + n, "join": [[{"cs_attribute": "id", "mv_attribute": "id",
                                                  "case_sensitive": True}]],
                "transformations": [{"flow": "direct", "target": c, "source": c}
                                    for c in DIR_COLUMNS if c != "kind"]})
            inbound.append({
                "name": f"In from SCIM {scim_type}", "direction": "inbound", "connector": "Scim",
                "cs_object_type": scim_type, "mv_object_type": kind, "link_type": "Join",
                "precedence": 300 + n, "join": [[{"cs_attribute": "externalId",
                                                  "mv_attribute": "id", "case_sensitive": True}]],
                "transformations": []})
        self.ws.rule("rules.json", {"rules": inbound + [
            outbound("User", "person", 100, [
                {"flow": "expression", "target": "userName", "expression": f"[id] & \"@{DOMAIN}\""},
                {"flow": "direct", "target": "displayName", "source": "name"},
                {"flow": "direct", "target": "emails.work", "source": "mail"}]),
            outbound("Group", "group", 101, [
                {"flow": "direct", "target": "displayName", "source": "name"},
                {"flow": "direct", "target": "members", "source": "members"}]),
            outbound("Contact", "contact", 102, [
                {"flow": "direct", "target": "displayName", "source": "name"},
                {"flow": "direct", "target": "emails.work", "source": "mail"}])]})
        self.ws.write_manifest()

    def configure(self, **over):
        self.ws.connector("Scim", "scim", self.config(**over),
                          object_types=["User", "Group", "Contact"])
        self.ws.write_manifest()

    def provision(self, check=True):
        return self.provision_from("Dir", "dir.csv", DIR_COLUMNS, check)

    def confirm(self, profile="Delta Import"):
        """The import confirms the export (the members read back too) and nothing is left to
        send."""
        imported = self.run_step(profile)
        self.assertEqual(imported["counters"]["not_reimported"], 0, imported)
        pending = json.loads(self.ws.idsync("pending-exports", "--connector", "Scim",
                                            "--json").stdout)
        self.assertEqual(pending, [])

    def sent(self):
        """(method, path below the base) of every write, those in Bulk requests one by one."""
        out = []
        for r in self.scim.requests():
            if r["method"] == "GET":
                continue
            if r["path"].endswith("/Bulk"):
                out += [(op["method"], op["path"]) for op in r["body"]["Operations"]]
            else:
                out.append((r["method"], r["path"].split("/scim/v2", 1)[1]))
        return out

    def test_matching_takes_over_existing_groups(self):
        stranger = self.user("svc-admin")
        # By externalId: the service's group has another name and a member of its own.
        by_external = self.scim.add_group(displayName="Old Sales", externalId="g1",
                                          members=[{"value": stranger}])["id"]
        # By displayName: a group the service made by itself, without externalId.
        by_name = self.scim.add_group(displayName="Staff")["id"]
        self.run_step("Full Import")
        self.rows = [dir_person(1), dir_person(2), dir_person(3)]
        self.assertEqual(self.provision()["counters"]["adds"], 3)
        self.confirm()
        people = {u["externalId"]: u["id"] for u in self.scim.users() if "externalId" in u}

        self.rows += [dir_group("g1", "Sales", "p1", "p2"), dir_group("g2", "Staff", "p3")]
        self.scim.reset_requests()
        export = self.provision()
        self.assertEqual(export["counters"]["adds"], 2, export)
        self.assertNotIn("POST", [method for method, path in self.sent()
                                  if path.startswith("/Groups")])
        groups = {g["externalId"]: g for g in self.scim.groups()}
        self.assertEqual(len(self.scim.groups()), 2)
        self.assertEqual(set(groups), {"g1", "g2"})
        self.assertEqual(groups["g1"]["id"], by_external)
        self.assertEqual(groups["g1"]["displayName"], "Sales")
        self.assertEqual(sorted(m["value"] for m in groups["g1"]["members"]),
                         sorted([people["p1"], people["p2"]]))
        self.assertEqual(groups["g2"]["id"], by_name)
        self.assertEqual([m["value"] for m in groups["g2"]["members"]], [people["p3"]])
        self.confirm()
        # The sync after the import merges the provisional objects into the groups taken over.
        self.run_step("Full Sync")
        cs = self.by_anchor()
        self.assertEqual(set(cs), {u["id"] for u in self.scim.users()} | {by_external, by_name})
        self.assertEqual({values(o, "externalId")[0] for o in cs.values()
                          if o["object_type"] == "Group"}, {"g1", "g2"})
        self.assertEqual(sorted(values(cs[by_external], "members")),
                         sorted([people["p1"], people["p2"]]))

    def test_a_contact_is_exported_as_a_group_member(self):
        self.run_step("Full Import")
        self.rows = [dir_person(1), dir_contact(1)]
        self.assertEqual(self.provision()["counters"]["adds"], 2)
        self.confirm()
        person = self.scim.users()[0]["id"]
        contact = self.scim.contacts()[0]["id"]

        self.rows.append(dir_group("g1", "Partners", "p1", "c1"))
        export = self.provision()
        self.assertEqual(export["counters"]["adds"], 1, export)
        [group] = self.scim.groups()
        self.assertEqual(sorted((m["type"], m["value"]) for m in group["members"]),
                         sorted([("User", person), ("Contact", contact)]))
        self.confirm()
        # The import reads the member back as the contact's anchor in the connector space.
        cs = self.by_anchor()
        self.assertEqual(cs[contact]["object_type"], "Contact")
        self.assertEqual(values(cs[contact], "externalId"), ["c1"])
        self.assertEqual(sorted(values(cs[group["id"]], "members")), sorted([person, contact]))

        # The contact leaves the group: that one member is removed.
        self.rows[-1] = dir_group("g1", "Partners", "p1")
        self.scim.reset_requests()
        export = self.provision()
        self.assertEqual(export["counters"]["updates"], 1, export)
        self.assertEqual(self.sent(), [(self.update_method, f"/Groups/{group['id']}")])
        self.assertEqual([m["value"] for m in self.scim.get("Group", group["id"])["members"]],
                         [person])
        self.confirm()


class ExportGroupsWithoutPatch(ExportGroups):
    """The same for a service without PATCH: groups taken over and members changed by PUT of
    the group as read, the members that stay (of every type) kept."""

    server_options = {"bulk_max_operations": 3, "patch_supported": False}
    update_method = "PUT"


class ContractKit(ScimCase):
    def test_contract_kit(self):
        kit = os.path.join(BUILD, "bin", "contract_kit")
        plugin = os.path.join(BUILD, "lib", "idsync", "plugins", "idsync_scim")
        for n in range(5):
            self.user(f"kit{n}")
        folder = tempfile.mkdtemp(prefix="idsync-scim-kit-")
        self.addCleanup(shutil.rmtree, folder, True)
        shutil.copy(self.scim.ca_file, os.path.join(folder, "ca.pem"))
        with open(os.path.join(folder, "scim-token"), "w") as f:
            f.write(self.scim.token)
        os.chmod(os.path.join(folder, "scim-token"), 0o600)
        config = {"type": "scim",
                  "config": {"base_url": self.scim.base_url, "token": {"file": "scim-token"},
                             "ca_file": "ca.pem", "object_types": ["User"]},
                  "object_types": [], "min_objects": 5,
                  "export": {"object_type": "User",
                             "attributes": {"userName": f"contract@{DOMAIN}",
                                            "displayName": "Contract Test",
                                            "active": "true", "password": PASSWORD},
                             "update": {"displayName": "Contract Test 2",
                                        "title": "Tester"}}}
        path = os.path.join(folder, "connector.json")
        with open(path, "w") as f:
            json.dump(config, f, indent=1)
        # Each export case adds the same user: it is removed between the cases.
        for cases in ("~[export]", "export: one result per operation*",
                      "export: an update and a delete*"):
            p = subprocess.run([kit, "--plugin", plugin, "--connector-config", path, cases],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, cases + "\n" + p.stdout[-20000:] + p.stderr[-5000:])
            self.assertNotIn(self.scim.token, p.stdout + p.stderr)
            self.assertRegex(p.stdout, r"All tests passed \(\d+ assertions in [1-9]\d* test cases?\)")
            for user in self.scim.users():
                if user["userName"] == f"contract@{DOMAIN}":
                    self.scim.delete("User", user["id"])


if __name__ == "__main__":
    unittest.main()
