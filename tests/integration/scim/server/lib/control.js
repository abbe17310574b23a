// The control API for tests, on a Unix domain socket in the work folder (a pathname socket,
// reachable from outside a network namespace the server runs in). Each call is
// `POST /OPERATION` with a JSON object of arguments, answered with {"result": ...} or
// {"error": {...}}. Changes go through scimmy's resource types like API requests (schema
// checks, PATCH, `meta` stamping) but bypass authentication, faults and the request log.
import http from "node:http";
import SCIMMY from "scimmy";
import {RESOURCE_TYPES} from "./resource-types.js";

const {Error: ScimError} = SCIMMY.Types;

// "User", "Users", "/Users", "contact" ... name the resource type's endpoint.
function endpointOf(type) {
    const name = String(type ?? "").replace(/^\//, "").toLowerCase().replace(/s$/, "");
    const endpoint = Object.keys(RESOURCE_TYPES).find((e) => e.slice(1).toLowerCase() === `${name}s`);
    if (!endpoint) throw new ScimError(400, "invalidValue", `Unknown resource type '${type}'`);
    return endpoint;
}

const plain = (value) => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

export function controlServer({store, faults, log, publicBase}) {
    // Locations in rendered resources name the public API, as they do in API responses.
    const resourceType = (type) => {
        const Resource = RESOURCE_TYPES[endpointOf(type)];
        Resource.basepath(publicBase());
        return Resource;
    };

    const operations = {
        add: async ({type, resource}) => plain(await new (resourceType(type))().write(resource ?? {}, {})),
        put: async ({type, id, resource}) => plain(await new (resourceType(type))(id).write(resource ?? {}, {})),
        patch: async ({type, id, operations: ops}) => {
            const Resource = resourceType(type);
            await new Resource(id).patch({schemas: [SCIMMY.Messages.PatchOp.id], Operations: ops}, {});
            return plain(await new Resource(id).read({}));
        },
        delete: async ({type, id}) => {
            await new (resourceType(type))(id).dispose({});
            return true;
        },
        get: async ({type, id}) => plain(await new (resourceType(type))(id).read({})),
        list: async ({type}) => {
            const all = await new (resourceType(type))({count: Number.MAX_SAFE_INTEGER}).read({});
            return plain(all.Resources);
        },
        inject: async ({status, count = 1, method = null, path_prefix = null, retry_after = null, detail = null}) =>
            faults.inject({status, count, method, pathPrefix: path_prefix, retryAfter: retry_after, detail}),
        clear_faults: async () => {
            faults.clear();
            return true;
        },
        requests: async () => log.entries,
        reset_requests: async () => {
            log.clear();
            return true;
        },
        reset: async () => {
            store.reset();
            faults.clear();
            log.clear();
            return true;
        }
    };

    return http.createServer(async (req, res) => {
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        let answer;
        try {
            const operation = operations[req.url.replace(/^\//, "")];
            if (req.method !== "POST" || !operation) throw new ScimError(404, null, `No control operation ${req.method} ${req.url}`);
            const text = Buffer.concat(chunks).toString("utf8");
            answer = {result: await operation(text ? JSON.parse(text) : {})};
        } catch (ex) {
            answer = {error: {status: ex.status ?? null, scimType: ex.scimType ?? null, detail: ex.message}};
        }
        res.writeHead(200, {"Content-Type": "application/json"}).end(JSON.stringify(answer));
    });
}
