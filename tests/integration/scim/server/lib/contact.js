// The custom resource type Contact (endpoint /Contacts): mail contacts, people outside the
// organization with an address, as a directory keeps them beside its users. scimmy ships only
// User and Group, so the schema and the resource type are declared here with scimmy's types.
import SCIMMY from "scimmy";

const {Attribute, SchemaDefinition, Schema, Resource, Error: ScimError} = SCIMMY.Types;
const {ListResponse, PatchOp} = SCIMMY.Messages;

export const CONTACT_SCHEMA_ID = "urn:idsync:params:scim:schemas:Contact";

const definition = new SchemaDefinition("Contact", "urn:ietf:params:scim:schemas:idsync:Contact",
    "Mail contact: a person outside the organization with a mail address", [
        new Attribute("string", "displayName", {required: true,
            description: "The name of the contact, suitable for display. REQUIRED."}),
        new Attribute("complex", "name", {description: "The components of the contact's name."}, [
            new Attribute("string", "formatted", {description: "The full name, formatted for display."}),
            new Attribute("string", "familyName", {description: "The family name."}),
            new Attribute("string", "givenName", {description: "The given name."})
        ]),
        new Attribute("complex", "emails", {multiValued: true, description: "Mail addresses of the contact."}, [
            new Attribute("string", "value", {description: "A mail address."}),
            new Attribute("string", "display", {description: "A human-readable name of the address."}),
            new Attribute("string", "type", {canonicalValues: ["work", "home", "other"],
                description: "The function of the address: 'work', 'home' or 'other'."}),
            new Attribute("boolean", "primary", {description: "Whether this is the preferred address."})
        ])
    ]);
// scimmy accepts schema ids only under urn:ietf:params:scim:schemas:, while RFC 7643 lets a
// service provider name its own schemas with a URN of its own; scimmy reads the id from this
// property everywhere, so it is set after construction.
definition.id = CONTACT_SCHEMA_ID;

export class ContactSchema extends Schema {
    static get id() {
        return definition.id;
    }

    static get definition() {
        return definition;
    }

    constructor(resource, direction = "both", basepath, filters) {
        super(resource, direction);
        Object.assign(this, definition.coerce(resource, direction, basepath, filters));
    }
}

// Errors of handlers become SCIM errors as scimmy's own resource types make them: a TypeError
// is a value that does not fit the schema.
const asScimError = (ex) => (ex instanceof ScimError ? ex
    : new ScimError(ex instanceof TypeError ? 400 : 500, ex instanceof TypeError ? "invalidValue" : null, ex.message));

export class Contact extends Resource {
    static #basepath;
    static #handlers = {};

    static get endpoint() {
        return "/Contacts";
    }

    static basepath(path) {
        if (path === undefined) return Contact.#basepath;
        Contact.#basepath = path.endsWith(Contact.endpoint) ? path : `${path}${Contact.endpoint}`;
        return Contact;
    }

    static get schema() {
        return ContactSchema;
    }

    static ingress(handler) {
        Contact.#handlers.ingress = handler;
        return Contact;
    }

    static egress(handler) {
        Contact.#handlers.egress = handler;
        return Contact;
    }

    static degress(handler) {
        Contact.#handlers.degress = handler;
        return Contact;
    }

    #render(record) {
        return new ContactSchema(record, "out", Contact.basepath(), this.attributes);
    }

    async read(ctx) {
        try {
            const found = await Contact.#handlers.egress(this, ctx);
            if (this.id) return this.#render(found);
            return new ListResponse(found.map((record) => this.#render(record)), this.constraints);
        } catch (ex) {
            throw asScimError(ex);
        }
    }

    async write(instance, ctx) {
        const operation = this.id ? "PUT" : "POST";
        if (instance === undefined || Object(instance) !== instance || Array.isArray(instance))
            throw new ScimError(400, "invalidSyntax", `${operation} expects a single Contact resource in its body`);
        try {
            return this.#render(await Contact.#handlers.ingress(this, new ContactSchema(instance, "in"), ctx));
        } catch (ex) {
            throw asScimError(ex);
        }
    }

    async patch(message, ctx) {
        if (!this.id) throw new ScimError(404, null, "PATCH must name a Contact");
        if (message === undefined || Object(message) !== message || Array.isArray(message))
            throw new ScimError(400, "invalidSyntax", "PATCH expects a single PatchOp message in its body");
        const patched = await new PatchOp(message)
            .apply(await this.read(ctx), async (instance) => await this.write(instance, ctx));
        return patched ? this.#render(patched) : undefined;
    }

    async dispose(ctx) {
        if (!this.id) throw new ScimError(404, null, "DELETE must name a Contact");
        try {
            await Contact.#handlers.degress(this, ctx);
        } catch (ex) {
            throw asScimError(ex);
        }
    }
}
