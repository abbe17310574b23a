"""The tenant's directory: users, groups, membership, uniqueness rules and the change log.

Every change, whether made through the Graph API or through the control API, goes through this
class so that it is validated the same way and recorded in the change log that delta reads.
"""
import threading
import uuid

from . import schema
from .changelog import ChangeLog
from .graph_errors import bad_request, conflict, not_found, utc_now_text
from .schema import BOOL, GROUP, OBJECT, STRING, STRINGS, USER

ALREADY_MEMBER = ("One or more added object references already exist for the following "
                  "modified properties: 'members'.")
# Characters the user and group resource pages list as not allowed in mailNickname.
MAIL_NICKNAME_FORBIDDEN = set('@()\\[]";:<>, ')
PASSWORD_PROFILE_KEYS = {"password", "forceChangePasswordNextSignIn",
                         "forceChangePasswordNextSignInWithMfa"}


def invalid_value(entity, name):
    return bad_request(f"Invalid value specified for property '{name}' of resource "
                       f"'{entity.name.capitalize()}'.")


class Directory:
    def __init__(self, verified_domains):
        self.lock = threading.RLock()
        self.verified_domains = [domain.lower() for domain in verified_domains]
        self.objects = {}          # id -> stored properties (write-only ones included)
        self.kinds = {}            # id -> "user" | "group"
        self.order = {"user": [], "group": []}  # ids in creation order; gone ones stay listed
        self.deleted = {}          # id -> (kind, properties): soft-deleted ("deleted items")
        self.upn_index = {}        # lower-case userPrincipalName -> id
        self.immutable_index = {}  # onPremisesImmutableId -> id
        self.proxy_index = {}      # lower-case address without its "smtp:" prefix -> id
        self.members = {}          # group id -> {member id: None}, insertion ordered
        self.member_of = {}        # object id -> set of group ids
        self.log = ChangeLog()
        # Where a member reference (@odata.id, members@odata.bind) may point: Microsoft Graph,
        # and the emulator's own address once it is known.
        self.reference_bases = ["https://graph.microsoft.com/v1.0/"]

    # ---- reading ------------------------------------------------------------------------
    def entity_of(self, object_id):
        return schema.ENTITY_TYPES[self.kinds[object_id]]

    def resolve(self, entity, key):
        """The id of a live object of this type named by its id (or, for users, its UPN)."""
        object_id = key
        if entity is USER and key not in self.objects:
            object_id = self.upn_index.get(key.lower(), key)
        if self.kinds.get(object_id) != entity.name:
            raise not_found(key)
        return object_id

    def view(self, object_id, select=None):
        """The object as Graph returns it: the selected (or default) properties, id first."""
        entity = self.entity_of(object_id)
        stored = self.objects[object_id]
        names = select if select is not None else entity.default_select
        result = {"id": object_id}
        for name in names:
            if name != "id" and entity.properties.get(name, ("", "wo"))[1] != "wo":
                result[name] = stored.get(name)
        return result

    def full_view(self, object_id):
        return self.view(object_id, self.entity_of(object_id).readable())

    def live_ids(self, kind, start=0):
        """(position, id) of live objects of a kind from a position in creation order."""
        order = self.order[kind]
        for position in range(start, len(order)):
            object_id = order[position]
            if object_id in self.objects:
                yield position, object_id

    def member_type(self, object_id):
        return self.entity_of(object_id).odata_type

    # ---- validation ---------------------------------------------------------------------
    def _check_properties(self, entity, props, trusted):
        for name, value in props.items():
            if name not in entity.properties:
                raise bad_request(f"Property '{name}' does not exist as a declared property "
                                  "or extension property.")
            kind, access = entity.properties[name]
            if access == "ro" and not (trusted and name in ("mail", "proxyAddresses")):
                raise bad_request(f"Property '{name}' is read-only and cannot be set.")
            valid = (value is None or (kind == STRING and isinstance(value, str))
                     or (kind == BOOL and isinstance(value, bool))
                     or (kind == STRINGS and isinstance(value, list)
                         and all(isinstance(item, str) for item in value))
                     or (kind == OBJECT and isinstance(value, dict)))
            if not valid or (value is None and name in entity.required_on_create):
                raise invalid_value(entity, name)
        profile = props.get("passwordProfile")
        if profile is not None and (set(profile) - PASSWORD_PROFILE_KEYS
                                    or not isinstance(profile.get("password"), str)
                                    or not profile["password"]):
            raise invalid_value(entity, "passwordProfile")

    def _check_rules(self, entity, stored, props, trusted):
        nickname = stored.get("mailNickname")
        if "mailNickname" in props and (not nickname or len(nickname) > 64 or not nickname.isascii()
                                        or MAIL_NICKNAME_FORBIDDEN & set(nickname)):
            raise invalid_value(entity, "mailNickname")
        if entity is USER and "userPrincipalName" in props:
            local, at, domain = stored["userPrincipalName"].rpartition("@")
            if not at or not local or " " in local:
                raise invalid_value(entity, "userPrincipalName")
            if domain.lower() not in self.verified_domains:
                raise bad_request("The domain portion of the userPrincipalName property is "
                                  "invalid. You must use one of the verified domain names in "
                                  "your organization.")
        type_props = {"groupTypes", "mailEnabled", "securityEnabled"}
        if entity is GROUP and not trusted and type_props & set(props):
            # Only Microsoft 365 groups and security groups can be managed through the groups
            # API; mail-enabled security groups and distribution groups are read-only there.
            group_types = stored["groupTypes"]
            if any(value not in ("Unified",) for value in group_types):
                raise invalid_value(entity, "groupTypes")
            if "Unified" in group_types and not stored["mailEnabled"]:
                raise invalid_value(entity, "mailEnabled")
            if "Unified" not in group_types and stored["mailEnabled"]:
                raise bad_request("Cannot Create a mail-enabled security groups and or "
                                  "distribution list.")
            if "Unified" not in group_types and not stored["securityEnabled"]:
                raise invalid_value(entity, "securityEnabled")

    def _derive_mail(self, entity, stored, props, creating):
        """The service owns proxyAddresses (and a Microsoft 365 group's mail)."""
        if "proxyAddresses" in props:  # set explicitly by a cloud-side (control API) change
            return
        if entity is GROUP and "Unified" in stored["groupTypes"] and "mail" not in props:
            stored["mail"] = f"{stored['mailNickname']}@{self.verified_domains[0]}"
        if creating or "mail" in props or entity is GROUP:
            mail = stored.get("mail")
            stored["proxyAddresses"] = [f"SMTP:{mail}"] if mail else []

    def _check_unique(self, object_id, stored):
        def owner(index, key):
            other = index.get(key)
            return other is not None and other != object_id
        if "userPrincipalName" in stored:
            if owner(self.upn_index, stored["userPrincipalName"].lower()):
                raise conflict("userPrincipalName")
            immutable = stored.get("onPremisesImmutableId")
            if immutable and owner(self.immutable_index, immutable):
                raise conflict("onPremisesImmutableId")
        for address in stored.get("proxyAddresses") or []:
            if owner(self.proxy_index, address.partition(":")[2].lower()):
                raise conflict("proxyAddresses")

    def _index(self, object_id, stored, add):
        keys = []
        if "userPrincipalName" in stored:
            keys.append((self.upn_index, stored["userPrincipalName"].lower()))
            if stored.get("onPremisesImmutableId"):
                keys.append((self.immutable_index, stored["onPremisesImmutableId"]))
        for address in stored.get("proxyAddresses") or []:
            keys.append((self.proxy_index, address.partition(":")[2].lower()))
        for index, key in keys:
            if add:
                index[key] = object_id
            elif index.get(key) == object_id:
                del index[key]

    def _bound_members(self, entity, props):
        """The ids named by "members@odata.bind" (groups only, at most 20 per request)."""
        urls = props.pop("members@odata.bind", None)
        if urls is None:
            return []
        if entity is not GROUP or not isinstance(urls, list):
            raise bad_request("Property 'members@odata.bind' does not exist as a declared "
                              "property or extension property.")
        if len(urls) > 20:
            raise bad_request("A maximum of 20 members can be added in a single request.")
        ids = []
        for url in urls:
            member_id = reference_id(url, self.reference_bases)
            if member_id not in self.objects:
                raise not_found(member_id)
            ids.append(member_id)
        return ids

    # ---- changing -------------------------------------------------------------------------
    def create(self, entity, props, trusted=False):
        props = dict(props)
        with self.lock:
            bound = self._bound_members(entity, props)
            self._check_properties(entity, props, trusted)
            for name in entity.required_on_create:
                if name not in props:
                    raise invalid_value(entity, name)
            object_id = str(uuid.uuid4())
            stored = {name: ([] if kind == STRINGS else None)
                      for name, (kind, _) in entity.properties.items()}
            stored.update({k: ([] if v is None and entity.properties[k][0] == STRINGS else v)
                           for k, v in props.items()})
            stored["id"] = object_id
            stored["createdDateTime"] = utc_now_text()
            if entity is USER and stored["userType"] is None:
                stored["userType"] = "Member"
            self._check_rules(entity, stored, set(props) | set(entity.required_on_create),
                              trusted)
            self._derive_mail(entity, stored, props, creating=True)
            self._check_unique(object_id, stored)
            self._store_new(entity, object_id, stored)
            for member_id in bound:
                self.add_member(object_id, member_id)
            return self.full_view(object_id)

    def _store_new(self, entity, object_id, stored):
        self.objects[object_id] = stored
        self.kinds[object_id] = entity.name
        self.order[entity.name].append(object_id)
        self._index(object_id, stored, add=True)
        if entity is GROUP:
            self.members[object_id] = {}
        self.log.record_set(entity.name, object_id)

    def update(self, object_id, props, trusted=False):
        props = dict(props)
        with self.lock:
            if object_id not in self.objects:
                raise not_found(object_id)
            entity = self.entity_of(object_id)
            bound = self._bound_members(entity, props)
            self._check_properties(entity, props, trusted)
            old = self.objects[object_id]
            stored = dict(old)
            stored.update({k: ([] if v is None and entity.properties[k][0] == STRINGS else v)
                           for k, v in props.items()})
            self._check_rules(entity, stored, props, trusted)
            self._derive_mail(entity, stored, props, creating=False)
            self._check_unique(object_id, stored)
            for member_id in bound:
                if member_id in self.members[object_id]:
                    raise bad_request(ALREADY_MEMBER)
            self._index(object_id, old, add=False)
            self._index(object_id, stored, add=True)
            self.objects[object_id] = stored
            changed = {name for name in entity.readable() if old.get(name) != stored.get(name)}
            if changed:
                self.log.record_set(entity.name, object_id, changed)
            for member_id in bound:
                self.add_member(object_id, member_id)

    def delete(self, object_id, permanent=None):
        """Soft delete (to deleted items) unless permanent; None lets the object type decide:
        users and Microsoft 365 groups are restorable, security groups are deleted at once."""
        with self.lock:
            if object_id in self.deleted:
                if not permanent:
                    raise not_found(object_id)
                kind, _ = self.deleted.pop(object_id)
                self.log.record_removed(kind, object_id, "deleted")
                return
            if object_id not in self.objects:
                raise not_found(object_id)
            kind = self.kinds[object_id]
            stored = self.objects[object_id]
            if permanent is None:
                permanent = kind == "group" and "Unified" not in stored["groupTypes"]
            for group_id in list(self.member_of.get(object_id, ())):
                self.remove_member(group_id, object_id)
            for member_id in self.members.pop(object_id, {}):
                self.member_of[member_id].discard(object_id)
            self.member_of.pop(object_id, None)
            self._index(object_id, stored, add=False)
            del self.objects[object_id]
            del self.kinds[object_id]
            if not permanent:
                self.deleted[object_id] = (kind, stored)
            self.log.record_removed(kind, object_id, "deleted" if permanent else "changed")

    def add_member(self, group_id, member_id):
        with self.lock:
            if self.kinds.get(group_id) != "group":
                raise not_found(group_id)
            if member_id not in self.objects:
                raise not_found(member_id)
            if member_id == group_id:
                raise bad_request("A group cannot be a member of itself.")
            if member_id in self.members[group_id]:
                raise bad_request(ALREADY_MEMBER)
            self.members[group_id][member_id] = None
            self.member_of.setdefault(member_id, set()).add(group_id)
            self.log.record_member(group_id, member_id, self.member_type(member_id), True)

    def remove_member(self, group_id, member_id):
        with self.lock:
            if self.kinds.get(group_id) != "group":
                raise not_found(group_id)
            if member_id not in self.members[group_id]:
                raise not_found(member_id)
            del self.members[group_id][member_id]
            self.member_of[member_id].discard(group_id)
            self.log.record_member(group_id, member_id, self.member_type(member_id), False)

    def generate_users(self, count, prefix):
        """Bulk seeding: plain users <prefix><n>@<first verified domain>, recorded as created."""
        domain = self.verified_domains[0]
        template = {name: ([] if kind == STRINGS else None)
                    for name, (kind, _) in USER.properties.items()}
        now = utc_now_text()
        with self.lock:
            start = len(self.order["user"])
            for n in range(count):
                nickname = f"{prefix}{n:06d}"
                upn = f"{nickname}@{domain}"
                if upn.lower() in self.upn_index or upn.lower() in self.proxy_index:
                    raise conflict("userPrincipalName")
                object_id = str(uuid.uuid4())
                stored = dict(template)
                stored.update(id=object_id, accountEnabled=True, displayName=f"{prefix} {n}",
                              mailNickname=nickname, userPrincipalName=upn, mail=upn,
                              proxyAddresses=[f"SMTP:{upn}"], createdDateTime=now,
                              userType="Member", passwordProfile={"password": nickname})
                self._store_new(USER, object_id, stored)
            return {"count": count, "first_id": self.order["user"][start] if count else None}


def reference_id(url, accepted_bases):
    """The object id at the end of a directoryObjects/users/groups reference URL that points at
    Microsoft Graph (or at the emulator playing it)."""
    if not isinstance(url, str) or not any(url.startswith(base) for base in accepted_bases):
        raise bad_request(f"Invalid object identifier '{url}'.")
    path = url.split("?", 1)[0].rstrip("/")
    head, _, object_id = path.rpartition("/")
    if not object_id or head.rpartition("/")[2] not in ("directoryObjects", "users", "groups"):
        raise bad_request(f"Invalid object identifier '{url}'.")
    return object_id
