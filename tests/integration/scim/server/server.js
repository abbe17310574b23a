// A SCIM 2.0 service provider (RFC 7643/7644) for the SCIM connector's tests: scimmy and
// scimmy-routers on express, with in-memory storage, on loopback. README.md says which
// behaviour is scimmy's own and which this server adds.
//
//   node server.js --token TOKEN --ready-file PATH --control-socket PATH
//                  [--cert PEM --key PEM] [--host 127.0.0.1] [--port 0] [--exit-with-parent]
//                  [--bulk-max-operations N] [--bulk-max-payload BYTES] [--max-results N]
//                  [--refuse-filter-on ATTRS] [--patch-supported true|false]
//                  [--oauth-client-id ID --oauth-client-secret SECRET]
//
// Once it listens, it writes the ready file (JSON: port, scheme, base_path, control_socket, pid).
import fs from "node:fs";
import path from "node:path";
import {parseArgs} from "node:util";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";
import {bearerHandler, challenge} from "./lib/auth.js";
import {bulkPreconditions, bulkVersions} from "./lib/bulk.js";
import {controlServer} from "./lib/control.js";
import {resourceHeaders} from "./lib/etag.js";
import {Faults} from "./lib/faults.js";
import {exitWithParent} from "./lib/lifetime.js";
import {listPaging} from "./lib/paging.js";
import {RequestLog} from "./lib/request-log.js";
import {declareResourceTypes, ENDPOINTS} from "./lib/resource-types.js";
import {Store} from "./lib/store.js";
import {oauthToken} from "./lib/oauth-token.js";
import {refusedFilters} from "./lib/refused-filters.js";
import {createServer} from "./lib/tls.js";
import {unsupportedPatch} from "./lib/unsupported-patch.js";

const BASE_PATH = "/scim/v2";

const {values: options} = parseArgs({options: {
    "token": {type: "string"},
    "ready-file": {type: "string"},
    "control-socket": {type: "string"},
    "cert": {type: "string"},
    "key": {type: "string"},
    "host": {type: "string", default: "127.0.0.1"},
    "port": {type: "string", default: "0"},
    "exit-with-parent": {type: "boolean", default: false},
    "bulk-max-operations": {type: "string", default: "50"},
    "bulk-max-payload": {type: "string", default: "1048576"},
    "max-results": {type: "string", default: "200"},
    // Comma-separated attributes a filter may not name (e.g. meta.lastModified).
    "refuse-filter-on": {type: "string", default: ""},
    // "false": ServiceProviderConfig says patch.supported false, and PATCH is answered 501.
    "patch-supported": {type: "string", default: "true"},
    // A client that may fetch the token at /oauth/token (client credentials).
    "oauth-client-id": {type: "string", default: ""},
    "oauth-client-secret": {type: "string", default: ""}
}});
for (const required of ["token", "ready-file", "control-socket"]) {
    if (!options[required]) {
        console.error(`server.js: --${required} is required`);
        process.exit(2);
    }
}
const maxResults = Number(options["max-results"]);
if (!["true", "false"].includes(options["patch-supported"])) {
    console.error("server.js: --patch-supported is true or false");
    process.exit(2);
}
const patchSupported = options["patch-supported"] === "true";

// What ServiceProviderConfig declares, true to what the server does. It is set before the
// routers are made: they size their JSON body limit from bulk.maxPayloadSize.
SCIMMY.Config.set({
    patch: patchSupported,
    bulk: {supported: true, maxOperations: Number(options["bulk-max-operations"]),
        maxPayloadSize: Number(options["bulk-max-payload"])},
    filter: {supported: true, maxResults},
    changePassword: false,
    sort: true,
    etag: true
});

const store = new Store(ENDPOINTS);
const faults = new Faults();
const log = new RequestLog();
declareResourceTypes(store);

// If-Match of a request, or `version` of each Bulk operation, by the resource path it targets;
// the resource types' handlers check them against the stored version.
function preconditions(req) {
    const relative = req.originalUrl.split("?")[0].slice(BASE_PATH.length);
    if (relative === "/Bulk") return bulkPreconditions(req.body);
    const ifMatch = req.get("If-Match");
    return new Map(ifMatch ? [[relative, ifMatch]] : []);
}

const app = express();
app.set("etag", false);
app.set("x-powered-by", false);
app.use(log.middleware());
app.use(oauthToken({clientId: options["oauth-client-id"],
    clientSecret: options["oauth-client-secret"], token: options.token}));
app.use(BASE_PATH, refusedFilters(options["refuse-filter-on"].split(",")));
app.use(BASE_PATH, faults.middleware(), challenge, resourceHeaders, listPaging(maxResults, ENDPOINTS), bulkVersions(store, ENDPOINTS));
if (!patchSupported) app.use(BASE_PATH, unsupportedPatch(Number(options["bulk-max-payload"])));
const routers = new SCIMMYRouters({
    type: "bearer",
    handler: bearerHandler(options.token),
    context: (req) => ({preconditions: preconditions(req)}),
    baseUri: (req) => `${req.protocol}://${req.get("Host")}`
});
// scimmy-routers declares patch (filter, sort, bulk) supported when it is made; a server
// without PATCH says otherwise afterwards.
SCIMMY.Config.set({patch: patchSupported});
app.use(BASE_PATH, routers);
app.use((req, res) => res.status(404).type("application/scim+json").send(JSON.stringify({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404", detail: `No such endpoint ${req.path}`
})));

const {server, scheme} = createServer(app, {cert: options.cert, key: options.key});
const control = controlServer({
    store, faults, log,
    publicBase: () => `${scheme}://${options.host}:${server.address().port}${BASE_PATH}`
});

let stopping = false;
function shutdown(reason) {
    if (stopping) return;
    stopping = true;
    console.error(`SCIM test server stopping: ${reason}`);
    server.close();
    control.close();
    fs.rmSync(options["control-socket"], {force: true});
    process.exit(0);
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
if (options["exit-with-parent"]) exitWithParent(shutdown);

fs.rmSync(options["control-socket"], {force: true});
await new Promise((resolve) => control.listen(options["control-socket"], resolve));
await new Promise((resolve) => server.listen(Number(options.port), options.host, resolve));

// Written whole under another name and renamed, so that a reader never sees half of it.
const ready = {
    port: server.address().port, scheme, host: options.host, base_path: BASE_PATH,
    control_socket: path.resolve(options["control-socket"]), pid: process.pid
};
const readyFile = options["ready-file"];
fs.writeFileSync(`${readyFile}.tmp`, JSON.stringify(ready));
fs.renameSync(`${readyFile}.tmp`, readyFile);
