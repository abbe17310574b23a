// An OAuth 2.0 token endpoint (RFC 6749 4.4, client credentials) for services that hand out
// their bearer tokens that way: a registered client id and secret in a form body get the
// service's token; anything else gets the RFC's JSON error. Off unless a client is registered.
import express from "express";

export function oauthToken({clientId, clientSecret, token, lifetimeSeconds = 3600}) {
    const router = express.Router();
    router.post("/oauth/token", express.urlencoded({extended: false}), (req, res) => {
        const fail = (status, error, description) =>
            res.status(status).json({error, error_description: description});
        if (!clientId) return fail(404, "invalid_request", "no client is registered");
        const body = req.body ?? {};
        if (body.grant_type !== "client_credentials")
            return fail(400, "unsupported_grant_type", "only client_credentials is supported");
        if (body.client_id !== clientId || body.client_secret !== clientSecret)
            return fail(401, "invalid_client", "unknown client or wrong secret");
        res.set("Cache-Control", "no-store");
        res.json({access_token: token, token_type: "Bearer", expires_in: lifetimeSeconds});
    });
    return router;
}
