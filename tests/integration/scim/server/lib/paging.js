// List responses as RFC 7644 section 3.4.2.4 has them, where scimmy differs: no page holds
// more than the ServiceProviderConfig's filter.maxResults (a larger `count` is lowered to it),
// and `itemsPerPage` is the number of resources the page holds (scimmy reports the requested
// count). Without `count`, scimmy's own page size of 20 applies (or maxResults, if smaller).
const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const SCIMMY_PAGE_SIZE = 20;

// Mounted at the SCIM base path; `endpoints` are the resource types' collections ("/Users").
export function listPaging(maxResults, endpoints) {
    return (req, res, next) => {
        const path = req.path.replace(/\/$/, "");
        // Resource listings: GET on a collection, POST to a /.search endpoint.
        const listing = endpoints.includes(path) || path.endsWith("/.search");
        if (req.method === "GET" && endpoints.includes(path)) {
            const count = req.query.count === undefined ? SCIMMY_PAGE_SIZE : Number(req.query.count);
            if (Number.isInteger(count) && count > maxResults) req.query.count = String(maxResults);
        }
        const json = res.json.bind(res);
        res.json = (body) => {
            if (listing && body?.schemas?.includes?.(LIST_RESPONSE) && Array.isArray(body.Resources)) {
                // POST /.search takes its count from the body, which is parsed after this runs.
                const Resources = body.Resources.slice(0, maxResults);
                body = {...body, Resources, itemsPerPage: Resources.length};
            }
            return json(body);
        };
        next();
    };
}
