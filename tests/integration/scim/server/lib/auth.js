// Bearer-token authentication (RFC 6750) as scimmy-routers expects it: a handler that throws to
// refuse, upon which scimmy-routers answers 401. The WWW-Authenticate challenge that RFC 6750
// asks of a 401 is added here.
import {timingSafeEqual} from "node:crypto";

export function bearerHandler(token) {
    const expected = Buffer.from(token);
    return (req) => {
        const [scheme, presented = ""] = (req.get("Authorization") ?? "").split(/\s+(.*)/s);
        if (!scheme || scheme.toLowerCase() !== "bearer") throw new Error("Bearer token required");
        const given = Buffer.from(presented.trim());
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("Invalid bearer token");
        return "scim-client";
    };
}

export function challenge(req, res, next) {
    const writeHead = res.writeHead.bind(res);
    res.writeHead = (...args) => {
        if (res.statusCode === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="scim", error="invalid_token"');
        return writeHead(...args);
    };
    next();
}
