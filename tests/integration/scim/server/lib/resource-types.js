// The resource types this server offers (User with the enterprise extension, Group, Contact),
// declared to scimmy with ingress/egress/degress handlers backed by the in-memory store.
//
// scimmy validates and renders resources against their schemas, applies PATCH operations,
// filters with its Filter class and sorts and pages list responses; the handlers here add what
// it leaves to a service provider: storage, `meta`, userName uniqueness, group membership kept
// consistent with the members that exist (users, groups and contacts), and If-Match
// preconditions (etag.js).
import SCIMMY from "scimmy";
import {Contact} from "./contact.js";
import {checkPrecondition} from "./etag.js";

const {Error: ScimError} = SCIMMY.Types;
const {User, Group} = SCIMMY.Resources;

export const RESOURCE_TYPES = {"/Users": User, "/Groups": Group, "/Contacts": Contact};
export const ENDPOINTS = Object.keys(RESOURCE_TYPES);
// What a group member may be, in the order a member's type is looked up.
const MEMBER_ENDPOINTS = ["/Users", "/Groups", "/Contacts"];

// Group members that are contacts: a hosted mail service's groups (distribution lists) hold
// mail contacts beside users and groups. This is behaviour added in this test server: scimmy's
// Group schema names only users and groups (members.type canonical values "User" and "Group",
// members.$ref reference types the same), and it checks both on input and output alike, so
// "Contact" is added to them here; /Schemas declares it too.
function acceptContactMembers() {
    const members = SCIMMY.Schemas.Group.definition.attribute("members");
    const type = members.subAttributes.find((a) => a.name === "type");
    const ref = members.subAttributes.find((a) => a.name === "$ref");
    if (!type.config.canonicalValues.includes("Contact"))
        type.config.canonicalValues = [...type.config.canonicalValues, "Contact"];
    if (!ref.config.referenceTypes.includes("Contact"))
        ref.config.referenceTypes = [...ref.config.referenceTypes, "Contact"];
}

// Attributes the server derives or keeps out of storage: `id` and `meta` are its own,
// `schemas` follows from the attributes present, User.groups follows from group members.
// A password (never rendered, so not in the JSON) is taken on creation and not kept: this server
// authenticates no users.
function storedAttributes(instance) {
    const {id, meta, schemas, groups, ...attributes} = JSON.parse(JSON.stringify(instance));
    return attributes;
}

const notFound = (id) => new ScimError(404, null, `Resource ${id} not found`);

export function declareResourceTypes(store) {
    const location = (endpoint, id) => `${RESOURCE_TYPES[endpoint].basepath()}/${id}`;

    // userName is unique across users, compared without case (RFC 7643: caseExact false).
    function checkUniqueUserName(userName, exceptId) {
        const wanted = String(userName).toLowerCase();
        const taken = store.find("/Users", (u) => u.id !== exceptId && String(u.userName).toLowerCase() === wanted);
        if (taken) throw new ScimError(409, "uniqueness", `userName '${userName}' is already taken`);
    }

    // The resource type of a member id: "User", "Group" or "Contact", or undefined.
    function memberType(value) {
        return MEMBER_ENDPOINTS.find((endpoint) => store.has(endpoint, value))?.slice(1, -1);
    }

    // Members name users, groups or contacts that exist; a member listed twice is kept once.
    function checkedMembers(members, groupId) {
        if (!members) return undefined;
        const seen = new Map();
        for (const member of members) {
            const value = member.value;
            if (!value) throw new ScimError(400, "invalidValue", "A member needs a value (the id of a user, group or contact)");
            if (value === groupId) throw new ScimError(400, "invalidValue", "A group cannot be a member of itself");
            if (!memberType(value))
                throw new ScimError(400, "invalidValue", `Member ${value} is neither a user, a group nor a contact here`);
            if (!seen.has(value)) seen.set(value, {value, ...(member.display ? {display: member.display} : {})});
        }
        return [...seen.values()];
    }

    // Direct memberships, user or group id -> the groups that list it, computed once per request.
    function groupsByMember() {
        const index = new Map();
        for (const group of store.list("/Groups")) {
            for (const {value} of group.members ?? []) {
                if (!index.has(value)) index.set(value, []);
                index.get(value).push({value: group.id, display: group.displayName,
                    $ref: location("/Groups", group.id), type: "direct"});
            }
        }
        return index;
    }

    // What a client sees beyond the stored attributes: User.groups, and the type and $ref of
    // group members.
    function view(endpoint, record, memberships) {
        if (endpoint === "/Users") {
            const groups = memberships.get(record.id);
            return groups ? {...record, groups} : record;
        }
        if (endpoint === "/Groups" && record.members) {
            const members = record.members.map((m) => {
                const type = memberType(m.value);
                return {...m, type, $ref: location(`/${type}s`, m.value)};
            });
            return {...record, members};
        }
        return record;
    }

    const handlers = (endpoint) => ({
        egress: (resource) => {
            const memberships = endpoint === "/Users" ? groupsByMember() : undefined;
            if (resource.id) {
                const record = store.get(endpoint, resource.id);
                if (!record) throw notFound(resource.id);
                return view(endpoint, record, memberships);
            }
            const all = store.list(endpoint).map((record) => view(endpoint, record, memberships));
            return resource.filter ? resource.filter.match(all) : all;
        },

        ingress: (resource, instance, ctx) => {
            const attributes = storedAttributes(instance);
            const current = resource.id ? store.get(endpoint, resource.id) : undefined;
            if (resource.id && !current) throw notFound(resource.id);
            if (current) {
                checkPrecondition(ctx?.preconditions?.get(`${endpoint}/${resource.id}`), current);
                // ServiceProviderConfig says changePassword: false.
                if (instance.password !== undefined)
                    throw new ScimError(400, "mutability", "This service provider does not support changing passwords");
            }
            if (endpoint === "/Users") checkUniqueUserName(attributes.userName, resource.id);
            if (endpoint === "/Groups") attributes.members = checkedMembers(attributes.members, resource.id);
            if (attributes.members === undefined) delete attributes.members;
            const record = current ? store.replace(endpoint, resource.id, attributes) : store.create(endpoint, attributes);
            return view(endpoint, record, endpoint === "/Users" ? groupsByMember() : undefined);
        },

        degress: (resource, ctx) => {
            const record = store.get(endpoint, resource.id);
            if (!record) throw notFound(resource.id);
            checkPrecondition(ctx?.preconditions?.get(`${endpoint}/${resource.id}`), record);
            store.remove(endpoint, resource.id);
            // A deleted user, group or contact leaves the groups it was a member of.
            if (MEMBER_ENDPOINTS.includes(endpoint)) {
                for (const group of store.list("/Groups")) {
                    if (!(group.members ?? []).some((m) => m.value === resource.id)) continue;
                    const {id, meta, ...attributes} = group;
                    attributes.members = group.members.filter((m) => m.value !== resource.id);
                    if (!attributes.members.length) delete attributes.members;
                    store.replace("/Groups", id, attributes);
                }
            }
        }
    });

    SCIMMY.Resources.declare(User, {
        ...handlers("/Users"),
        extensions: [{schema: SCIMMY.Schemas.EnterpriseUser, required: false}]
    });
    SCIMMY.Resources.declare(Group, handlers("/Groups"));
    acceptContactMembers();
    SCIMMY.Resources.declare(Contact, handlers("/Contacts"));
}
