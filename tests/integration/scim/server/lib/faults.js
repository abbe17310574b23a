// Injected failures (scimmy has none): the next matching requests fail with a status the tests
// choose, as a throttling gateway or an overloaded service would answer, before authentication
// and before scimmy sees them. 429 and 503 carry Retry-After (one second unless told otherwise).
const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export class Faults {
    constructor() {
        this.rules = [];
    }

    // count: how many matching requests fail (null: every one until cleared); method and
    // pathPrefix narrow the match (the prefix is compared with the path below the SCIM base,
    // such as "/Users", or with the whole path); retryAfter: seconds, false for no header.
    inject({status, count = 1, method = null, pathPrefix = null, retryAfter = null, detail = null}) {
        if (!Number.isInteger(status) || status < 400 || status > 599)
            throw new TypeError(`status must be an HTTP error status, not ${status}`);
        if (count !== null && (!Number.isInteger(count) || count < 1))
            throw new TypeError(`count must be a positive integer or null, not ${count}`);
        this.rules.push({status, remaining: count, method: method && method.toUpperCase(), pathPrefix, retryAfter, detail});
        return this.rules.length;
    }

    clear() {
        this.rules = [];
    }

    #take(method, relativePath, fullPath) {
        const rule = this.rules.find((r) => (!r.method || r.method === method)
            && (!r.pathPrefix || relativePath.startsWith(r.pathPrefix) || fullPath.startsWith(r.pathPrefix)));
        if (!rule) return undefined;
        if (rule.remaining !== null && --rule.remaining === 0) this.rules.splice(this.rules.indexOf(rule), 1);
        return rule;
    }

    // Middleware mounted at the SCIM base path.
    middleware() {
        return (req, res, next) => {
            const rule = this.#take(req.method, req.path, req.originalUrl.split("?")[0]);
            if (!rule) return next();
            const retryAfter = rule.retryAfter ?? ([429, 503].includes(rule.status) ? 1 : false);
            if (retryAfter !== false) res.set("Retry-After", String(retryAfter));
            res.status(rule.status).type("application/scim+json").send(JSON.stringify({
                schemas: [ERROR_SCHEMA], status: String(rule.status),
                detail: rule.detail ?? `Injected failure: ${rule.status}`
            }));
        };
    }
}
