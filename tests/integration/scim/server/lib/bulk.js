// Bulk (RFC 7644 section 3.7) is scimmy's: it runs the operations in order, resolves bulkId
// references and enforces maxOperations (413) and failOnErrors; scimmy-routers refuses bodies
// over maxPayloadSize (413). What is added here: the `version` of an operation is its If-Match
// (a stale one fails that operation with 412), and each successful operation's response carries
// the resource's new `version`, as section 3.7.3 shows.
import SCIMMY from "scimmy";

// If-Match values of the operations, keyed by the path they target ("/Users/ID").
export function bulkPreconditions(body) {
    const preconditions = new Map();
    for (const op of Array.isArray(body?.Operations) ? body.Operations : []) {
        if (typeof op?.version === "string" && typeof op.path === "string") preconditions.set(op.path, op.version);
    }
    return preconditions;
}

// Middleware mounted at the SCIM base path: adds `version` to Bulk response operations.
export function bulkVersions(store, endpoints) {
    return (req, res, next) => {
        if (req.method !== "POST" || req.path !== "/Bulk") return next();
        const json = res.json.bind(res);
        res.json = (body) => {
            if (body?.schemas?.includes?.(SCIMMY.Messages.BulkResponse.id) && Array.isArray(body.Operations)) {
                const operations = body.Operations.map((op) => {
                    if (!["200", "201"].includes(String(op.status)) || typeof op.location !== "string") return op;
                    const [endpoint, id] = op.location.split("/").slice(-2);
                    const record = endpoints.includes(`/${endpoint}`) ? store.get(`/${endpoint}`, id) : undefined;
                    return record ? {...op, version: record.meta.version} : op;
                });
                body = {...body, Operations: operations};
            }
            return json(body);
        };
        next();
    };
}
