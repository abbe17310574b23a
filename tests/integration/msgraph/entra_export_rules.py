"""The rules of the export tests and benchmark of the msgraph connector: people from the HR file
(tests/integration/support/hr_source.py) provisioned as cloud users, and the cloud users joined
back on onPremisesImmutableId, which carries the employeeId."""
from hr_source import hr_inbound_rule, join_back_rule

HR_COLUMNS = ("employeeId", "givenName", "sn", "displayName", "department", "enabled")


def entra_export_rules(domain, password):
    """userPrincipalName and mail are employeeId@`domain`; every user gets `password`."""
    return {"rules": [
        hr_inbound_rule(HR_COLUMNS),
        join_back_rule("In from Entra", "Entra", "user", "onPremisesImmutableId"),
        {"name": "Out to Entra", "direction": "outbound", "connector": "Entra",
         "cs_object_type": "user", "mv_object_type": "person", "link_type": "Provision",
         "precedence": 100, "scoping": [[{"attribute": "employeeId", "operator": "ISNOTNULL"}]],
         "transformations": [
             {"flow": "direct", "target": "onPremisesImmutableId", "source": "employeeId"},
             {"flow": "expression", "target": "userPrincipalName",
              "expression": f"[employeeId] & \"@{domain}\""},
             {"flow": "expression", "target": "mail",
              "expression": f"[employeeId] & \"@{domain}\""},
             {"flow": "direct", "target": "mailNickname", "source": "employeeId"},
             {"flow": "direct", "target": "displayName", "source": "displayName"},
             {"flow": "direct", "target": "givenName", "source": "givenName"},
             {"flow": "direct", "target": "surname", "source": "sn"},
             {"flow": "direct", "target": "department", "source": "department"},
             {"flow": "expression", "target": "accountEnabled",
              "expression": "[enabled] = \"true\""},
             {"flow": "constant", "target": "password", "value": password}]}]}
