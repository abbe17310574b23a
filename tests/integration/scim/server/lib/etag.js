// ETags (RFC 7644 section 3.14), which scimmy leaves to the service provider: `meta.version` of
// a resource is its ETag; responses that carry one resource send it in the ETag header;
// If-Match preconditions on PUT, PATCH and DELETE (and `version` of Bulk operations) fail with
// 412 on a stale version. Conditional GET with If-None-Match is express's own: it answers 304
// when the ETag header set here matches.
import SCIMMY from "scimmy";

// Entity tags compare by their opaque part: `W/"7"` and `"7"` are the same version (the weak
// comparison of RFC 9110), since SCIM clients echo `meta.version` in either form.
const opaque = (tag) => tag.trim().replace(/^W\//, "");

export function matchesVersion(ifMatch, version) {
    if (ifMatch.trim() === "*") return true;
    return ifMatch.split(",").some((tag) => opaque(tag) === opaque(version));
}

// Throws a SCIM 412 error when `expected` (an If-Match value) does not name the record's
// current version.
export function checkPrecondition(expected, record) {
    if (expected === undefined || expected === null) return;
    if (!matchesVersion(String(expected), record.meta.version)) {
        throw new SCIMMY.Types.Error(412, null,
            `Resource ${record.id} has version ${record.meta.version}, not ${expected}`);
    }
}

// Middleware: ETag and, on 201 Created, Location headers from the resource a response carries.
export function resourceHeaders(req, res, next) {
    const json = res.json.bind(res);
    res.json = (body) => {
        const meta = body?.meta;
        if (meta?.version && typeof meta.version === "string") res.set("ETag", meta.version);
        if (res.statusCode === 201 && meta?.location) res.location(meta.location);
        return json(body);
    };
    next();
}
