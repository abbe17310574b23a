// The log of requests to the SCIM API, for tests to check what a client sent and what it got:
// time, method, path, query, status, the conditional headers and the JSON body.
export class RequestLog {
    constructor() {
        this.entries = [];
    }

    clear() {
        this.entries = [];
    }

    // Middleware for the whole app: the entry is written when the response is finished, with
    // the path as the client sent it (routers rewrite req.url on the way).
    middleware() {
        return (req, res, next) => {
            const time = new Date().toISOString();
            const [path, query = ""] = req.originalUrl.split(/\?(.*)/s);
            res.on("finish", () => {
                this.entries.push({
                    time, method: req.method, path, query: Object.fromEntries(new URLSearchParams(query)),
                    status: res.statusCode,
                    if_match: req.get("If-Match") ?? null, if_none_match: req.get("If-None-Match") ?? null,
                    body: req.body && Object.keys(req.body).length ? req.body : null
                });
            });
            next();
        };
    }
}
