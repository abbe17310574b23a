"""The Microsoft Entra ID connector (msgraph) through the `idsync` CLI, as an admin drives it,
against the Graph emulator (graph_emulator/, which follows the documented service): full and
delta import of users and groups, refused and expired delta state, sign-in failures, export
with matching, quarantine, throttling and a write pace, and the connector contract kit.

    IDSYNC_BUILD_DIR=build python3 -m unittest -v test_msgraph_connector
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ldap"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from idsync_workspace import BUILD, IdsyncWorkspace  # noqa: E402
from hr_source import add_hr_connector, write_rows  # noqa: E402
from entra_export_rules import HR_COLUMNS, entra_export_rules  # noqa: E402
from connect_proxy import ConnectProxy  # noqa: E402
from graph_emulator_process import GraphEmulator  # noqa: E402

CLIENT_ID = "7c1f0f6e-5d0b-4c1e-9a53-2f1c7b9d0a11"
SECRET = "emulator-secret-" + os.urandom(6).hex()
DOMAIN = "idsync.test"
PASSWORD = "Init-Passw0rd-" + os.urandom(4).hex() + "!"


def step(result):
    return result["steps"][0]


def values(obj, name):
    return obj.get("attributes", {}).get(name, [])


class GraphCase(unittest.TestCase):
    """An emulated tenant with one app registration, and a workspace whose connector "Entra"
    signs in to it with a client secret."""

    def setUp(self):
        self.graph = GraphEmulator(verified_domains=[DOMAIN])
        self.graph.start()
        self.addCleanup(self.graph.stop)
        self.graph.add_client(CLIENT_ID, secret=SECRET)
        self.ws = IdsyncWorkspace()
        self.addCleanup(self.ws.close)
        self.configure()

    def config(self, **over):
        config = {"tenant": self.graph.tenant, "client_id": CLIENT_ID,
                  "client_secret": self.ws.secret("client-secret", SECRET),
                  "authority": self.graph.authority_url, "graph": self.graph.base_url,
                  "ca_file": self.graph.ca_file, "timeout_seconds": 20,
                  "max_backoff_seconds": 1}
        config.update(over)
        return config

    def configure(self, **over):
        self.ws.connector("Entra", "msgraph", self.config(**over))
        self.ws.write_manifest()

    def run_step(self, profile, check=True, connector="Entra"):
        result = step(self.ws.run_profile(connector, profile, check=False))
        if check:
            self.assertEqual(result["status"], "success", result)
        return result

    def by_anchor(self):
        return {o["anchor"]: o for o in self.ws.cs("Entra")}

    def user(self, name, **props):
        p = {"displayName": name.title(), "userPrincipalName": f"{name}@{DOMAIN}",
             "mailNickname": name, "accountEnabled": True, "mail": f"{name}@{DOMAIN}",
             "passwordProfile": {"password": PASSWORD}}
        p.update(props)
        return self.graph.add_user(**p)["id"]

    def group(self, name, members=()):
        gid = self.graph.add_group(displayName=name, mailNickname=name, mailEnabled=False,
                                   securityEnabled=True)["id"]
        for m in members:
            self.graph.add_member(gid, m)
        return gid


class Import(GraphCase):
    def test_full_import_reads_users_and_groups_with_members_over_pages(self):
        ann = self.user("ann", department="Sales", jobTitle="Rep")
        bob = self.user("bob", accountEnabled=False)
        cid = self.user("cid")
        team = self.group("team", [ann, bob])
        outer = self.group("outer", [team, cid])
        self.configure(page_size=2)
        result = self.run_step("Full Import")
        self.assertEqual(result["counters"]["adds"], 5, result)
        self.assertGreater(result["counters"].get("pages", 0), 2, result)
        cs = self.by_anchor()
        self.assertEqual(set(cs), {ann, bob, cid, team, outer})
        self.assertEqual(cs[ann]["object_type"], "user")
        self.assertEqual(values(cs[ann], "department"), ["Sales"])
        self.assertEqual(values(cs[ann], "userPrincipalName"), [f"ann@{DOMAIN}"])
        self.assertEqual(values(cs[ann], "accountEnabled"), ["true"])
        self.assertEqual(values(cs[bob], "accountEnabled"), ["false"])
        # The service derives proxyAddresses from mail; the password is never read back.
        self.assertEqual(values(cs[ann], "proxyAddresses"), [f"SMTP:ann@{DOMAIN}"])
        self.assertNotIn("password", cs[ann]["attributes"])
        self.assertNotIn(PASSWORD, json.dumps(cs))
        self.assertEqual(cs[team]["object_type"], "group")
        self.assertEqual(sorted(values(cs[team], "members")), sorted([ann, bob]))
        self.assertEqual(sorted(values(cs[outer], "members")), sorted([team, cid]))
        self.assertEqual(values(cs[team], "securityEnabled"), ["true"])

    def test_delta_import_carries_exactly_the_changes(self):
        ann, bob, cid = self.user("ann"), self.user("bob"), self.user("cid")
        team = self.group("team", [ann])
        self.run_step("Full Import")
        self.assertEqual(self.run_step("Delta Import")["counters"].get("objects", 0), 0)

        self.graph.update(ann, department="Engineering")
        self.graph.update(bob, accountEnabled=False)
        self.graph.delete(cid)
        self.graph.add_member(team, bob)
        self.graph.remove_member(team, ann)
        dee = self.user("dee")
        result = self.run_step("Delta Import")
        counters = result["counters"]
        self.assertEqual((counters.get("adds", 0), counters.get("deletes", 0)), (1, 1), result)
        cs = self.by_anchor()
        self.assertEqual(set(cs), {ann, bob, team, dee})
        self.assertEqual(values(cs[ann], "department"), ["Engineering"])
        self.assertEqual(values(cs[bob], "accountEnabled"), ["false"])
        self.assertEqual(values(cs[team], "members"), [bob])
        # The deltaLink moved: nothing is read twice.
        self.assertEqual(self.run_step("Delta Import")["counters"].get("objects", 0), 0)

    def test_a_group_spread_over_pages_and_empty_pages_are_merged(self):
        members = [self.user(f"m{i:02}") for i in range(45)]
        team = self.group("big", members[:5])
        self.configure(page_size=3)
        self.run_step("Full Import")
        self.graph.empty_delta_pages(True)
        for m in members[5:]:
            self.graph.add_member(team, m)
        self.graph.remove_member(team, members[0])
        self.graph.reset_requests()
        self.run_step("Delta Import")
        # 41 member changes at most 20 to a page, each page followed by an empty one.
        reads = [r for r in self.graph.requests() if "/groups/delta" in r["path"]]
        self.assertGreaterEqual(len(reads), 5, reads)
        self.assertEqual(sorted(values(self.by_anchor()[team], "members")), sorted(members[1:]))

    def test_expired_delta_state_asks_for_a_full_import_and_keeps_the_watermark(self):
        ann = self.user("ann")
        self.run_step("Full Import")
        before = self.by_anchor()
        self.graph.expire_delta_tokens()
        self.graph.update(ann, jobTitle="Changed")
        result = self.run_step("Delta Import", check=False)
        self.assertEqual(result["status"], "stopped-precondition", result)
        self.assertIn("full import", result["message"])
        self.assertEqual(self.by_anchor(), before)
        self.run_step("Full Import")
        self.assertEqual(values(self.by_anchor()[ann], "jobTitle"), ["Changed"])
        self.graph.update(ann, jobTitle="Again")
        self.run_step("Delta Import")
        self.assertEqual(values(self.by_anchor()[ann], "jobTitle"), ["Again"])

    def test_a_wrong_secret_stops_with_configuration_and_is_never_shown(self):
        wrong = "wrong-secret-" + os.urandom(6).hex()
        self.ws.connector("Entra", "msgraph",
                          self.config(client_secret=self.ws.secret("wrong", wrong)))
        self.ws.write_manifest()
        result = self.run_step("Full Import", check=False)
        self.assertEqual(result["status"], "stopped-configuration", result)
        self.assertIn("AADSTS7000215", result["message"])
        self.assertNotIn(wrong, json.dumps(result))
        history = self.ws.idsync("history", "--json").stdout
        self.assertNotIn(wrong, history)

    def test_an_unknown_ca_is_refused(self):
        other = tempfile.mkdtemp(prefix="idsync-msgraph-ca-")
        self.addCleanup(shutil.rmtree, other, True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=Other CA", "-keyout", os.path.join(other, "key.pem"),
                        "-out", os.path.join(other, "ca.pem")], check=True, capture_output=True)
        self.configure(ca_file=os.path.join(other, "ca.pem"), max_attempts=1)
        result = self.run_step("Full Import", check=False)
        self.assertEqual(result["status"], "stopped-connectivity", result)

    def test_certificate_credentials(self):
        folder = tempfile.mkdtemp(prefix="idsync-msgraph-cert-")
        self.addCleanup(shutil.rmtree, folder, True)
        key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=idsync app", "-keyout", key, "-out", cert], check=True,
                       capture_output=True)
        with open(cert) as f:
            self.graph.add_client("cert-client", certificate_pem=f.read())
        with open(key) as f:
            private_key = self.ws.secret("app-key.pem", f.read())
        self.user("ann")
        config = self.config(client_id="cert-client", certificate_file=cert,
                             private_key=private_key)
        del config["client_secret"]
        self.ws.connector("Entra", "msgraph", config)
        self.ws.write_manifest()
        self.assertEqual(self.run_step("Full Import")["counters"]["adds"], 1)

    def test_an_https_proxy_is_honoured(self):
        self.user("ann")
        proxy = ConnectProxy()
        self.addCleanup(proxy.stop)
        # The environment's no_proxy would otherwise exempt loopback.
        for name in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY"):
            if name in os.environ:
                self.addCleanup(os.environ.__setitem__, name, os.environ.pop(name))
        target = f"127.0.0.1:{self.graph.port}"

        # Configured: every request goes through it, TLS still checked end to end.
        self.configure(proxy=proxy.url)
        self.assertEqual(self.run_step("Full Import")["counters"]["adds"], 1)
        self.assertIn(target, proxy.targets)
        self.assertEqual(set(proxy.targets), {target})

        # From the environment, as libcurl reads it, when the configuration names none.
        proxy.targets.clear()
        os.environ["https_proxy"] = proxy.url
        self.addCleanup(os.environ.pop, "https_proxy", None)
        self.configure()
        self.run_step("Full Import")
        self.assertIn(target, proxy.targets)

        # no_proxy exempts a host.
        proxy.targets.clear()
        self.configure(proxy=proxy.url, no_proxy="127.0.0.1")
        self.run_step("Full Import")
        self.assertEqual(proxy.targets, [])

    def test_connector_test_command(self):
        self.user("ann")
        p = self.ws.idsync("connector", "test", "--connector", "Entra")
        self.assertIn("the connection test passed", p.stdout)
        self.ws.connector("Entra", "msgraph",
                          self.config(client_secret=self.ws.secret("wrong", "nope")))
        self.ws.write_manifest()
        p = self.ws.idsync("connector", "test", "--connector", "Entra", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("AADSTS7000215", p.stdout + p.stderr)


def hr_person(n, department="Sales", enabled="true"):
    return {"employeeId": f"e{n:04}", "givenName": f"Given{n}", "sn": f"Sur{n}",
            "displayName": f"Person {n}", "department": department, "enabled": enabled}


class Export(GraphCase):
    """People from a CSV file (connector HR) provisioned as cloud users by an outbound rule."""

    def setUp(self):
        super().setUp()
        self.rows = []
        add_hr_connector(self.ws, self.ws.path("hr.csv"), delta_mode="snapshot")
        self.configure(object_types=["user"])
        self.ws.rule("rules.json", entra_export_rules(DOMAIN, PASSWORD))
        self.ws.write_manifest()

    def configure(self, **over):
        self.ws.connector("Entra", "msgraph", self.config(**over), object_types=["user"])
        self.ws.write_manifest()

    def provision(self, check=True):
        write_rows(self.ws.path("hr.csv"), HR_COLUMNS, self.rows)
        self.run_step("Full Import", connector="HR")
        self.run_step("Full Sync", connector="HR")
        return self.run_step("Export", check=check)

    def confirm(self):
        """The delta import confirms the export and nothing is left to send."""
        imported = self.run_step("Delta Import")
        self.assertEqual(imported["counters"]["not_reimported"], 0, imported)
        self.assertEqual(self.pending(), [])

    def pending(self):
        return json.loads(self.ws.idsync("pending-exports", "--connector", "Entra",
                                         "--json").stdout)

    def cloud(self):
        return {u["userPrincipalName"]: u for u in self.graph.users()}

    def test_create_update_disable_delete(self):
        self.run_step("Full Import")
        self.rows = [hr_person(1), hr_person(2), hr_person(3)]
        export = self.provision()
        self.assertEqual(export["counters"]["adds"], 3, export)
        cloud = self.cloud()
        one = cloud[f"e0001@{DOMAIN}"]
        self.assertEqual((one["displayName"], one["department"], one["accountEnabled"],
                          one["onPremisesImmutableId"], one["surname"]),
                         ("Person 1", "Sales", True, "e0001", "Sur1"))
        self.assertEqual(self.by_anchor()[one["id"]]["object_type"], "user")
        self.assertNotIn(PASSWORD, json.dumps(export))
        self.confirm()

        self.rows[0]["department"] = "Engineering"
        self.rows[1]["enabled"] = "false"
        del self.rows[2]
        export = self.provision()
        self.assertEqual((export["counters"]["updates"], export["counters"]["deletes"]), (2, 1),
                         export)
        cloud = self.cloud()
        self.assertEqual(cloud[f"e0001@{DOMAIN}"]["department"], "Engineering")
        self.assertFalse(cloud[f"e0002@{DOMAIN}"]["accountEnabled"])
        self.assertNotIn(f"e0003@{DOMAIN}", cloud)
        self.confirm()

    def test_matching_takes_over_a_cloud_user_and_quarantines_a_conflict(self):
        # Hard match: a cloud user already holds the immutable id.
        hard = self.user("hard-match", onPremisesImmutableId="e0001",
                         userPrincipalName=f"old-name@{DOMAIN}")
        # Soft match by UPN: a cloud-only user with the same UPN.
        soft = self.user("e0002")
        # Conflict: the UPN belongs to a user another on-premises object owns.
        taken = self.user("e0003", onPremisesImmutableId="somebody-else")
        # Soft match by SMTP: a cloud-only user under another UPN holds the new user's mail.
        by_mail = self.user("mailbox-5", mail=f"e0005@{DOMAIN}")
        self.run_step("Full Import")
        self.rows = [hr_person(1), hr_person(2), hr_person(3), hr_person(4), hr_person(5)]
        export = self.provision(check=False)
        self.assertEqual(export["status"], "completed-export-errors", export)
        cloud = self.cloud()
        self.assertEqual(cloud[f"e0001@{DOMAIN}"]["id"], hard)
        self.assertEqual(cloud[f"e0002@{DOMAIN}"]["id"], soft)
        self.assertEqual(cloud[f"e0002@{DOMAIN}"]["onPremisesImmutableId"], "e0002")
        self.assertEqual(cloud[f"e0003@{DOMAIN}"]["id"], taken)
        self.assertEqual(cloud[f"e0003@{DOMAIN}"]["onPremisesImmutableId"], "somebody-else")
        self.assertIn(f"e0004@{DOMAIN}", cloud)
        # Taken over, it now carries the new user's UPN and immutable id.
        self.assertEqual(cloud[f"e0005@{DOMAIN}"]["id"], by_mail)
        self.assertEqual(cloud[f"e0005@{DOMAIN}"]["onPremisesImmutableId"], "e0005")
        self.assertEqual(len(cloud), 5)
        errors = [p for p in self.pending() if p.get("last_error")]
        self.assertEqual(len(errors), 1, errors)
        self.assertIn("quarantined", json.dumps(errors[0]))
        self.assertIn(taken, json.dumps(errors[0]))

    def test_soft_match_switched_off_leaves_the_conflict_to_the_service(self):
        self.user("e0001")
        self.configure(object_types=["user"], soft_match_upn=False, soft_match_smtp=False)
        self.run_step("Full Import")
        self.rows = [hr_person(1)]
        export = self.provision(check=False)
        self.assertEqual(export["status"], "completed-export-errors", export)
        self.assertEqual(len(self.graph.users()), 1)
        error = self.pending()[0]["last_error"]
        self.assertEqual(error["kind"], "IDSYNC_ERR_ALREADY_EXISTS", error)
        self.assertIn("quarantined", error["message"])
        self.assertIn("userPrincipalName", error["message"])
        self.assertIn("quarantined", export["message"])

    def test_throttling_slows_the_export_and_loses_nothing(self):
        self.run_step("Full Import")
        # Two whole $batch requests and four creates inside them are throttled.
        self.graph.inject(429, count=2, path_prefix="/v1.0/$batch", in_batch=False,
                          retry_after=1)
        self.graph.inject(429, count=4, method="POST", path_prefix="/users", in_batch=True,
                          retry_after=1)
        self.rows = [hr_person(n) for n in range(1, 11)]
        export = self.provision()
        self.assertEqual(export["counters"]["adds"], 10, export)
        self.assertEqual(len(self.graph.users()), 10)
        throttled = [r for r in self.graph.requests() if r["status"] == 429]
        self.assertEqual(len(throttled), 6, throttled)
        self.confirm()

    def test_a_failing_service_stops_the_export_and_keeps_it_pending(self):
        self.run_step("Full Import")
        self.configure(object_types=["user"], max_attempts=2)
        self.graph.inject(500, count=1000, method="POST")
        self.rows = [hr_person(1), hr_person(2)]
        export = self.provision(check=False)
        self.assertTrue(export["status"].startswith("stopped-"), export)
        self.assertEqual(self.graph.users(), [])
        self.assertEqual(len(self.pending()), 2)
        for p in self.pending():
            self.assertEqual(p["last_error"]["status"], "IDSYNC_RETRY", p)
        self.graph.clear_faults()
        # The next run finishes the stopped export run (the host resumes it after its last
        # batch, so it sends nothing), and the one after sends what is pending.
        resumed = self.run_step("Export", check=False)
        self.assertTrue(resumed["resumed"], resumed)
        self.assertIn("idsync pending-exports", resumed["message"])
        self.assertEqual(self.run_step("Export")["counters"]["adds"], 2)
        self.assertEqual(len(self.graph.users()), 2)
        self.confirm()

    def test_the_write_pace_holds(self):
        self.run_step("Full Import")
        self.configure(object_types=["user"], writes_per_interval=4, write_interval_seconds=1,
                       hard_match=False, soft_match_upn=False, soft_match_smtp=False)
        self.rows = [hr_person(n) for n in range(1, 13)]
        self.graph.reset_requests()
        self.provision()
        writes = sorted(r["time"] for r in self.graph.requests() if r["write"])
        self.assertEqual(len(writes), 12)
        # A fifth write starts no sooner than a second after the first of any four. The
        # emulator logs arrivals, which trail the connector's starts by a varying latency.
        for i in range(len(writes) - 4):
            self.assertGreaterEqual(writes[i + 4] - writes[i], 0.8, writes)
        self.assertGreaterEqual(writes[-1] - writes[0], 1.8, writes)


class ContractKit(GraphCase):
    def test_contract_kit(self):
        kit = os.path.join(BUILD, "bin", "contract_kit")
        plugin = os.path.join(BUILD, "lib", "idsync", "plugins", "idsync_msgraph")
        for n in range(5):
            self.user(f"kit{n}")
        folder = tempfile.mkdtemp(prefix="idsync-msgraph-kit-")
        self.addCleanup(shutil.rmtree, folder, True)
        shutil.copy(self.graph.ca_file, os.path.join(folder, "ca.pem"))
        with open(os.path.join(folder, "client-secret"), "w") as f:
            f.write(SECRET)
        os.chmod(os.path.join(folder, "client-secret"), 0o600)
        config = {"type": "msgraph",
                  "config": {"tenant": self.graph.tenant, "client_id": CLIENT_ID,
                             "client_secret": {"file": "client-secret"},
                             "authority": self.graph.authority_url,
                             "graph": self.graph.base_url, "ca_file": "ca.pem",
                             "object_types": ["user"]},
                  "object_types": [], "min_objects": 5,
                  "export": {"object_type": "user",
                             "attributes": {"accountEnabled": "true",
                                            "displayName": "Contract Test",
                                            "mailNickname": "contract",
                                            "userPrincipalName": f"contract@{DOMAIN}",
                                            "password": PASSWORD},
                             "update": {"displayName": "Contract Test 2",
                                        "jobTitle": "Tester"}}}
        path = os.path.join(folder, "connector.json")
        with open(path, "w") as f:
            json.dump(config, f, indent=1)
        # Each export case adds the same user: it is removed between the cases.
        for cases in ("~[export]", "export: one result per operation*",
                      "export: an update and a delete*"):
            p = subprocess.run([kit, "--plugin", plugin, "--connector-config", path, cases],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, cases + "\n" + p.stdout[-20000:] + p.stderr[-5000:])
            for user in self.graph.users():
                if user["userPrincipalName"] == f"contract@{DOMAIN}":
                    self.graph.delete(user["id"], permanent=True)


if __name__ == "__main__":
    unittest.main()
