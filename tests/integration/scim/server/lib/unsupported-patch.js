// Stands in for a service without PATCH (ServiceProviderConfig patch.supported false, as some
// services declare): RFC 7644 3.5.2 makes PATCH optional, and a client must then replace the
// resource with PUT. scimmy-routers would still apply a PATCH, so this middleware answers it
// 501 Not Implemented (a Bulk request holding a PATCH operation is refused whole): a PATCH that
// a client sends anyway shows in the request log as a failure.
import express from "express";

const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

function answer(res, status, detail) {
    res.status(status).type("application/scim+json").send(JSON.stringify({
        schemas: [ERROR_SCHEMA], status: String(status), detail
    }));
}

const refuse = (res, detail) => answer(res, 501, detail);

const bulkPatches = (body) => (Array.isArray(body?.Operations) ? body.Operations : [])
    .some((op) => String(op?.method ?? "").toUpperCase() === "PATCH");

// Middleware mounted at the SCIM base path before the routers. A Bulk body is parsed here
// already (with the routers' own types and limit; they do not parse a parsed body again).
export function unsupportedPatch(maxPayloadSize) {
    const json = express.json({type: ["application/scim+json", "application/json"], limit: maxPayloadSize});
    return (req, res, next) => {
        if (req.method === "PATCH") return refuse(res, "This service provider does not support PATCH");
        if (req.method !== "POST" || req.path !== "/Bulk") return next();
        json(req, res, (error) => {
            // A body too large (413) or not JSON (400), answered as the routers would.
            if (error) return answer(res, error.status ?? 400, error.message);
            if (bulkPatches(req.body)) return refuse(res, "This service provider does not support PATCH, in Bulk either");
            next();
        });
    };
}
