// Stands in for a service whose filtering does not reach an attribute (many services filter on
// userName and externalId only, not on meta.lastModified): a filter naming one of `attributes`
// is answered 400 invalidFilter, as RFC 7644 3.4.2.2 has a service answer a filter it cannot
// evaluate. Clients must then find changes another way.
export function refusedFilters(attributes) {
    const refused = attributes.map((a) => a.toLowerCase()).filter((a) => a.length > 0);
    return (req, res, next) => {
        const filter = String(req.query.filter ?? "").toLowerCase();
        const hit = refused.find((a) => filter.includes(a));
        if (!hit) return next();
        res.status(400).type("application/scim+json").send(JSON.stringify({
            schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400",
            scimType: "invalidFilter", detail: `Filtering on ${hit} is not supported`
        }));
    };
}
