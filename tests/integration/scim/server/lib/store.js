// In-memory storage of SCIM resources, one collection per resource type endpoint.
//
// Records are plain JSON: the resource's attributes, its `id` and a `meta` with `created`,
// `lastModified` and `version`. scimmy adds `meta.resourceType` and `meta.location` itself when
// it renders a record. Every change goes through `create`, `replace` or `remove`, so that API
// requests and the control API stamp `meta` alike.
import {randomUUID} from "node:crypto";

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

// Deep equality of JSON values whose object keys may come in any order.
function sameJson(a, b) {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const otherKeys = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === otherKeys.length && keys.every((k) => sameJson(a[k], b[k]));
}

export class Store {
    constructor(endpoints) {
        this.endpoints = endpoints;
        this.reset();
    }

    reset() {
        this.collections = new Map(this.endpoints.map((endpoint) => [endpoint, new Map()]));
        this.changeCount = 0;
        this.lastStamp = 0;
    }

    // A modification time later than every earlier one (at least 1 ms apart, even for changes
    // within the same millisecond), so that `meta.lastModified gt T` never misses a change
    // that came after the one stamped T; and a version that no earlier change had.
    #stamp() {
        this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
        this.changeCount += 1;
        return {time: new Date(this.lastStamp).toISOString(), version: `W/"${this.changeCount}"`};
    }

    #collection(endpoint) {
        const collection = this.collections.get(endpoint);
        if (!collection) throw new Error(`unknown resource type endpoint ${endpoint}`);
        return collection;
    }

    // All records of an endpoint in creation order, which keeps paging stable.
    list(endpoint) {
        return [...this.#collection(endpoint).values()].map(clone);
    }

    // The first record that satisfies `predicate` (which must not change it), without copying
    // the whole collection.
    find(endpoint, predicate) {
        for (const record of this.#collection(endpoint).values()) {
            if (predicate(record)) return clone(record);
        }
        return undefined;
    }

    has(endpoint, id) {
        return this.#collection(endpoint).has(id);
    }

    get(endpoint, id) {
        return clone(this.#collection(endpoint).get(id));
    }

    create(endpoint, attributes) {
        const {time, version} = this.#stamp();
        const record = {...clone(attributes), id: randomUUID(), meta: {created: time, lastModified: time, version}};
        this.#collection(endpoint).set(record.id, record);
        return clone(record);
    }

    // Replaces all attributes of a record; `meta` moves on only when something changed, so that
    // a PATCH or PUT that changes nothing leaves the version and modification time alone.
    replace(endpoint, id, attributes) {
        const collection = this.#collection(endpoint);
        const current = collection.get(id);
        if (!current) return undefined;
        const {id: _id, meta, ...currentAttributes} = current;
        const next = clone(attributes);
        if (sameJson(currentAttributes, next)) return clone(current);
        const {time, version} = this.#stamp();
        const record = {...next, id, meta: {created: meta.created, lastModified: time, version}};
        collection.set(id, record);
        return clone(record);
    }

    remove(endpoint, id) {
        return this.#collection(endpoint).delete(id);
    }
}
