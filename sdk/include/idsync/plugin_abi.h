/*
 * idsync plugin ABI, major version 1.
 *
 * This is the whole contract between the idsync host and a plugin library. It is plain C99 so
 * that a plugin may be built by any compiler and standard library. The C++ layer in
 * <idsync/sdk.hpp> is a convenience on top of it; nothing here depends on it.
 *
 * RULES THAT HOLD FOR EVERY DECLARATION BELOW
 *
 *  1. Versioning. The ABI major is part of the entry symbol name (idsync_plugin_entry_v1). A
 *     breaking change introduces a new major and a new symbol; a plugin may export several.
 *     Minor versions only append: fields are added at the end of structs, never reordered or
 *     removed, and new hooks are new trailing function pointers. Each group of fields below is
 *     marked with the minor that introduced it.
 *
 *  2. struct_size. Every struct that crosses the boundary starts with `uint32_t struct_size`,
 *     set by whoever fills the struct to sizeof() of the struct as *it* was compiled. A reader
 *     must only look at fields that lie entirely within struct_size; fields beyond it are
 *     treated as zero/NULL. The host copies a plugin's struct into a zeroed struct of its own
 *     size and refuses a struct larger than the largest it knows for the negotiated minor.
 *     The only structs without struct_size are the two frozen views (idsync_str, idsync_bytes).
 *
 *  3. Ownership. Everything the host passes into a hook is BORROWED: valid until the hook
 *     returns, never to be freed or retained by the plugin. Everything a plugin produces
 *     (objects, values, errors, watermarks) it pushes through host callbacks, which COPY what
 *     they need before returning; the plugin may reuse its buffers right after the call. No
 *     memory is ever freed on the other side of the boundary. Static metadata a plugin returns
 *     from the entry function (type ids, config field names, docs) must stay valid for the
 *     life of the process: the host never unloads a plugin library.
 *
 *  4. Strings are UTF-8. Data strings are {ptr,len} views and need not be NUL-terminated;
 *     static metadata fields typed `const char*` are NUL-terminated.
 *
 *  5. Status. Every hook returns an idsync_status. 0 (IDSYNC_OK) is success; anything else is
 *     described by the constants below. No C++ exception may cross the boundary.
 *
 *  6. Threads. The host calls the hooks of one connector instance from one thread at a time.
 *     Different instances may be used from different threads concurrently. Host callbacks may
 *     only be called from inside the hook that received them, on that hook's thread.
 *
 * OWNERSHIP comments on each type name who owns it and for how long.
 */
#ifndef IDSYNC_PLUGIN_ABI_H
#define IDSYNC_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IDSYNC_ABI_MAJOR 1
/* The newest minor this header describes. A host offers this; a plugin answers with the minor
 * it was built for (<= the offer) or IDSYNC_INCOMPATIBLE. */
#define IDSYNC_ABI_MINOR 0

#if defined(_WIN32)
#define IDSYNC_EXPORT __declspec(dllexport)
#else
#define IDSYNC_EXPORT __attribute__((visibility("default")))
#endif

/* ---------------------------------------------------------------------------------------------
 * Status codes and error kinds (minor 0)
 * ------------------------------------------------------------------------------------------- */

typedef int32_t idsync_status;
/* The call did what was asked. */
#define IDSYNC_OK 0
/* The call stopped early because the host asked it to (cancellation). Progress up to the last
 * committed page stands; the host will resume from there. Not an error. */
#define IDSYNC_STOP 1
/* A transient failure (timeout, throttling, busy server). Nothing was lost; the same call may
 * be retried later. */
#define IDSYNC_RETRY 2
/* This call failed. The instance remains usable. */
#define IDSYNC_ERROR 3
/* The instance is broken beyond repair; the host destroys it and creates a new one. */
#define IDSYNC_FATAL 4
/* The hook or the requested variant is not supported by this connector type. */
#define IDSYNC_UNSUPPORTED 5
/* Versions cannot be reconciled (entry negotiation only). */
#define IDSYNC_INCOMPATIBLE 6

typedef int32_t idsync_error_kind;
#define IDSYNC_ERR_NONE 0
#define IDSYNC_ERR_UNKNOWN_OBJECT 1 /* the object named by anchor/DN does not exist */
#define IDSYNC_ERR_ALREADY_EXISTS 2 /* an add collided with an existing object */
#define IDSYNC_ERR_INVALID_VALUE 3  /* a value the target or the source data does not accept */
#define IDSYNC_ERR_PERMISSION 4     /* the account may not do this */
#define IDSYNC_ERR_CONNECTION 5     /* the system could not be reached */
#define IDSYNC_ERR_TIMEOUT 6        /* the system did not answer in time */
#define IDSYNC_ERR_PRECONDITION 7   /* state does not allow it (stale watermark, wrong order) */
#define IDSYNC_ERR_CONFIG 8         /* the configuration is wrong */
#define IDSYNC_ERR_INTERNAL 9       /* a defect in the plugin */

/* ---------------------------------------------------------------------------------------------
 * Views (minor 0). Frozen layout: these two never grow.
 * OWNERSHIP: a view never owns; whoever hands it out keeps the bytes alive for the call.
 * ------------------------------------------------------------------------------------------- */

typedef struct idsync_str {
  const char* ptr; /* may be NULL when len == 0 */
  size_t len;
} idsync_str;

typedef struct idsync_bytes {
  const uint8_t* ptr; /* may be NULL when len == 0 */
  size_t len;
} idsync_bytes;

/* ---------------------------------------------------------------------------------------------
 * Diagnostics (minor 0): how a hook reports an error message and logs.
 * OWNERSHIP: host-owned, borrowed for the duration of the hook it was passed to.
 * ------------------------------------------------------------------------------------------- */

#define IDSYNC_LOG_TRACE 0
#define IDSYNC_LOG_DEBUG 1
#define IDSYNC_LOG_INFO 2
#define IDSYNC_LOG_WARN 3
#define IDSYNC_LOG_ERROR 4

typedef struct idsync_diag {
  uint32_t struct_size;
  void* host_ctx; /* opaque, pass back to the callbacks */
  /* Describes why the current hook is about to return a non-OK status. Call at most once per
   * failing call; the last call wins. `message` is a sentence a person reads: name the object,
   * the place (file:line, attribute) and what was expected. Never include secrets. */
  void (*set_error)(void* host_ctx, idsync_error_kind kind, idsync_str message);
  /* Writes to the host's log, tagged with the connector instance. Never include secrets. */
  void (*log)(void* host_ctx, int32_t level, idsync_str message);
} idsync_diag;

/* ---------------------------------------------------------------------------------------------
 * Values and attributes (minor 0)
 * ------------------------------------------------------------------------------------------- */

/* How the bytes of a value are to be read. */
typedef uint32_t idsync_value_type;
#define IDSYNC_VALUE_STRING 0    /* UTF-8 text */
#define IDSYNC_VALUE_BINARY 1    /* raw bytes (objectGUID, objectSid, photos) */
#define IDSYNC_VALUE_INTEGER 2   /* decimal text of a signed 64-bit integer, e.g. "-42" */
#define IDSYNC_VALUE_BOOLEAN 3   /* "true" or "false" */
#define IDSYNC_VALUE_REFERENCE 4 /* a DN (or anchor, for DN-less systems) of another object */
#define IDSYNC_VALUE_DATETIME 5  /* RFC 3339 UTC text, e.g. "2026-01-31T12:00:00Z" */

/* What an attribute entry does to the stored values of that attribute. */
typedef uint32_t idsync_attr_op;
#define IDSYNC_ATTR_REPLACE 0 /* the values given are now all the values (none: clear it) */
#define IDSYNC_ATTR_ADD 1     /* add these values to the existing ones */
#define IDSYNC_ATTR_REMOVE 2  /* remove these values (none given: remove the attribute) */

/* One attribute with its values, as imported or as exported.
 * OWNERSHIP: borrowed by the receiver for the duration of the call it is passed to. */
typedef struct idsync_attr {
  uint32_t struct_size;
  idsync_str name;
  idsync_value_type type;
  idsync_attr_op op;
  const idsync_bytes* values; /* array of value_count views */
  size_t value_count;
} idsync_attr;

/* ---------------------------------------------------------------------------------------------
 * Configuration (minor 0)
 *
 * A connector type declares its configuration fields. The host validates the manifest's
 * `config` object against them (type, required, range, allowed values, unknown keys), applies
 * defaults, resolves relative paths against the manifest's folder and resolves secret
 * references ({"env": NAME} / {"file": PATH}), then passes the result to create().
 * ------------------------------------------------------------------------------------------- */

typedef uint32_t idsync_config_type;
#define IDSYNC_CONFIG_STRING 0
#define IDSYNC_CONFIG_INTEGER 1
#define IDSYNC_CONFIG_BOOLEAN 2
#define IDSYNC_CONFIG_STRING_LIST 3
#define IDSYNC_CONFIG_PATH 4 /* a string; relative values resolve against the manifest folder */

#define IDSYNC_CONFIG_REQUIRED 0x1u
/* The value is a secret: the manifest must give it as {"env":...} or {"file":...}, never
 * inline, and the host never logs or echoes it. */
#define IDSYNC_CONFIG_SECRET 0x2u

/* OWNERSHIP: plugin-owned static metadata, valid for the life of the process. */
typedef struct idsync_config_field {
  uint32_t struct_size;
  const char* name; /* key in the manifest's config object */
  idsync_config_type type;
  uint32_t flags;            /* IDSYNC_CONFIG_REQUIRED | IDSYNC_CONFIG_SECRET */
  const char* default_value; /* JSON text of the default, or NULL for none */
  const char* doc;           /* one sentence for `idsync plugins --json` and error hints */
  int64_t min_value;         /* INTEGER only: inclusive range, used when min < max */
  int64_t max_value;
  const char* const* allowed; /* STRING only: NULL-terminated list of allowed values, or NULL */
} idsync_config_field;

/* A validated configuration value as handed to create().
 * OWNERSHIP: host-owned, borrowed for the duration of create(). */
typedef struct idsync_config_value {
  uint32_t struct_size;
  idsync_str name;
  idsync_config_type type;
  uint32_t is_set;         /* 0 when the field is optional, absent and has no default */
  idsync_str text;         /* STRING, PATH (absolute), secret text */
  int64_t integer;         /* INTEGER; BOOLEAN as 0/1 */
  const idsync_str* items; /* STRING_LIST */
  size_t item_count;
} idsync_config_value;

/* Arguments of create(). OWNERSHIP: host-owned, borrowed for the duration of create(). */
typedef struct idsync_create_params {
  uint32_t struct_size;
  idsync_str connector_name;         /* the admin's name for this instance, for messages */
  const idsync_config_value* config; /* one entry per declared field, in declared order */
  size_t config_count;
  const idsync_str* object_types; /* object types the manifest selected (may be empty: all) */
  size_t object_type_count;
  idsync_str state_dir; /* a private folder the instance may write to */
} idsync_create_params;

/* ---------------------------------------------------------------------------------------------
 * Schema (minor 0)
 * ------------------------------------------------------------------------------------------- */

#define IDSYNC_ATTRINFO_MULTIVALUED 0x1u
#define IDSYNC_ATTRINFO_REQUIRED 0x2u
#define IDSYNC_ATTRINFO_READONLY 0x4u /* imported, never exported (objectGUID, whenChanged) */
/* A write-only secret, such as a password (unicodePwd, userPassword). The connector accepts it
 * in exports and never imports it (a directory does not return it). In return the host:
 *   - never shows its values: not in logs, run history, issue messages, pending-export
 *     listings, object traces or any JSON output (it shows "(secret: N values)" instead);
 *   - never expects it back from an import (the exported-change-not-reimported check skips
 *     it), and drops it should a connector import it after all;
 *   - sends it only in the ADD that provisions an object (an initial password): outbound sync
 *     never plans it into an UPDATE, so a later change in the source does not flow;
 *   - does not keep the value once the export that carried it succeeded: the pending export
 *     goes and the export confirmation leaves the attribute out. A failed export keeps it only
 *     to send it again; a withdrawn one takes it along.
 * The host reads it from get_schema at every import and export and applies it to that
 * attribute name in every object type of the connector (sync, which calls no connector, reads
 * what the host kept). Never together with IDSYNC_ATTRINFO_READONLY (a host treats such an
 * attribute as secret). The bit is an addition under rule 1: a host that does not know it ignores
 * it and handles the attribute as an ordinary one, as hosts did before the flag existed, so a
 * plugin may set it whatever minor the host offers. */
#define IDSYNC_ATTRINFO_SECRET 0x8u
/* Set on an object type's anchor attribute (the attribute named by anchor_attribute) when the
 * connector files an ADD under that attribute's value: an ADD whose anchor is empty and that
 * carries the attribute with exactly one value creates the object with those bytes (a string's
 * UTF-8 bytes) as its anchor, and reports that anchor in its result; an import reports the
 * object under the same bytes. A file of records keyed by an employee number does this; a
 * directory that assigns a GUID does not.
 * In return the host may stage the object it provisions under that anchor from the start,
 * instead of under a provisional one it moves once the export reports the anchor: the export
 * then confirms the object where it is. The connector must still report the anchor it used;
 * another one moves the object as it would have been moved before.
 * An addition under rule 1: a host that does not know the bit provisions as before. Never
 * together with IDSYNC_ATTRINFO_READONLY or IDSYNC_ATTRINFO_SECRET (an ADD could not carry the
 * value); a host ignores it there, and on any attribute but the anchor attribute. */
#define IDSYNC_ATTRINFO_ANCHOR_FROM_ADD 0x10u

/* OWNERSHIP: borrowed by the host for the duration of the callback it is passed to. */
typedef struct idsync_attr_info {
  uint32_t struct_size;
  idsync_str name;
  idsync_value_type type;
  uint32_t flags; /* IDSYNC_ATTRINFO_*; a reader ignores bits it does not know */
} idsync_attr_info;

typedef struct idsync_object_type_info {
  uint32_t struct_size;
  idsync_str name;                           /* e.g. "user", "group", "person" */
  idsync_str anchor_attribute;               /* the attribute the anchor comes from */
  const idsync_attr_info* const* attributes; /* attribute_count pointers */
  size_t attribute_count;
} idsync_object_type_info;

/* OWNERSHIP: host-owned, borrowed for the duration of get_schema(). */
typedef struct idsync_schema_sink {
  uint32_t struct_size;
  void* host_ctx;
  idsync_status (*object_type)(void* host_ctx, const idsync_object_type_info* info);
} idsync_schema_sink;

/* ---------------------------------------------------------------------------------------------
 * Import (minor 0)
 *
 * The plugin pushes objects into the host's sink in pages. Between object_begin and
 * object_end it pushes that object's attributes. page_end commits everything pushed since the
 * previous page_end, together with a checkpoint, as one atomic unit: after a crash the host
 * calls the import again with the last committed checkpoint and the plugin resumes after it.
 * Objects pushed after the last page_end of an interrupted run are discarded, so a page must
 * never be "half staged". Pages should hold at most the page_size the request suggests.
 *
 * The import ends with import_end(all_results_returned, watermark) and then OK. Only when a
 * full import says all_results_returned = 1 does the host stage deletes for objects it did not
 * see; a plugin that filtered, truncated or skipped anything must say 0.
 *
 * A full import pushes each anchor at most once, across all its pages and resumptions: the host
 * refuses a page that repeats an anchor (a data error naming both sources). A plugin that cannot
 * resume from a checkpoint (the source changed, a server-side cursor expired) returns ERROR with
 * IDSYNC_ERR_PRECONDITION without pushing anything; the host then starts the import over with an
 * empty checkpoint.
 * ------------------------------------------------------------------------------------------- */

/* What an imported object record means. */
typedef uint32_t idsync_change;
/* The complete current state of the object: the host replaces what it holds and works out
 * whether this is an add, an update or a rename. Full import always uses this; a delta source
 * that cannot tell add from update uses it too. */
#define IDSYNC_CHANGE_STATE 0
#define IDSYNC_CHANGE_ADD 1    /* a new object with all its attributes */
#define IDSYNC_CHANGE_UPDATE 2 /* only the listed attributes change, by their op; dn may move */
#define IDSYNC_CHANGE_DELETE 3 /* the object is gone; attributes are ignored */

/* OWNERSHIP: borrowed by the host for the duration of object_begin(). */
typedef struct idsync_object_header {
  uint32_t struct_size;
  idsync_change change;
  idsync_str object_type;
  idsync_bytes anchor; /* immutable identity; required, non-empty */
  idsync_str dn;       /* distinguished name or file key; may be empty when there is none */
  /* Where the record came from, for the messages a person reads: "people.csv:17", a DN and
   * server, a page number. Optional (empty). The host quotes it, for example when an anchor is
   * pushed twice in one full import: "people.csv:17: duplicate anchor "E5" (first at
   * people.csv:4)". */
  idsync_str source;
} idsync_object_header;

/* OWNERSHIP: host-owned, borrowed for the duration of the import hook. */
typedef struct idsync_import_sink {
  uint32_t struct_size;
  void* host_ctx;
  /* Starts an object. Returns OK, or ERROR with the reason already recorded (e.g. the
   * object's anchor is empty); the plugin then returns that status from the import hook. */
  idsync_status (*object_begin)(void* host_ctx, const idsync_object_header* header);
  idsync_status (*attribute)(void* host_ctx, const idsync_attr* attr);
  idsync_status (*object_end)(void* host_ctx);
  /* Commits the page. Returns OK to continue or STOP when the host wants the import to end
   * now (cancellation): the plugin returns IDSYNC_STOP right away. */
  idsync_status (*page_end)(void* host_ctx, idsync_bytes checkpoint);
  /* The last call of a successful import: commits the final page and stores the watermark the
   * next delta import starts from. */
  idsync_status (*import_end)(void* host_ctx, uint32_t all_results_returned,
                              idsync_bytes watermark);
  /* Nonzero when the host asks the import to stop; a plugin polls this in long loops that do
   * not reach page_end (slow servers). */
  int32_t (*is_cancelled)(void* host_ctx);
} idsync_import_sink;

/* OWNERSHIP: host-owned, borrowed for the duration of the import hook. */
typedef struct idsync_import_request {
  uint32_t struct_size;
  idsync_bytes checkpoint; /* empty: start from the beginning; else resume after it */
  idsync_bytes watermark;  /* delta import: where the previous import ended; full: empty */
  uint32_t page_size;      /* suggested objects per page */
} idsync_import_request;

/* Receives opaque bytes (current_watermark). Host-owned, borrowed for the call. */
typedef struct idsync_bytes_sink {
  uint32_t struct_size;
  void* host_ctx;
  void (*write)(void* host_ctx, idsync_bytes data);
} idsync_bytes_sink;

/* ---------------------------------------------------------------------------------------------
 * Export (minor 0)
 *
 * The host hands a batch of operations; the plugin reports exactly one result per operation,
 * in any order, through the results sink. A failed operation does not fail the batch: the hook
 * returns OK once every operation has a result, and returns non-OK only when the batch as a
 * whole could not be attempted (the host then marks every operation without a result with that
 * status).
 * ------------------------------------------------------------------------------------------- */

typedef uint32_t idsync_export_kind;
#define IDSYNC_EXPORT_ADD 0    /* create; attributes are REPLACE entries with initial values */
#define IDSYNC_EXPORT_UPDATE 1 /* change attributes by their op; rename when new_dn is set */
#define IDSYNC_EXPORT_DELETE 2

/* OWNERSHIP: host-owned, borrowed for the duration of export_batch(). */
typedef struct idsync_export_op {
  uint32_t struct_size;
  uint64_t op_id; /* echo it in the result */
  idsync_export_kind kind;
  idsync_str object_type;
  idsync_bytes anchor; /* empty for ADD when the system assigns the anchor */
  idsync_str dn;
  idsync_str new_dn; /* UPDATE: non-empty means rename/move to this DN */
  const idsync_attr* const* attributes;
  size_t attribute_count;
} idsync_export_op;

typedef struct idsync_export_batch {
  uint32_t struct_size;
  const idsync_export_op* const* ops;
  size_t op_count;
} idsync_export_batch;

/* OWNERSHIP: borrowed by the host for the duration of report(). */
typedef struct idsync_export_result {
  uint32_t struct_size;
  uint64_t op_id;
  idsync_status status; /* OK, RETRY (try again next export), ERROR */
  idsync_error_kind error_kind;
  idsync_str message;  /* why it failed; empty on success */
  idsync_bytes anchor; /* ADD: the anchor the system assigned */
  idsync_str dn;       /* the DN the object now has, when it changed */
} idsync_export_result;

typedef struct idsync_export_results {
  uint32_t struct_size;
  void* host_ctx;
  /* Records the outcome of one operation. A second report for the same op_id or an unknown
   * op_id returns ERROR and is otherwise ignored. */
  idsync_status (*report)(void* host_ctx, const idsync_export_result* result);
  int32_t (*is_cancelled)(void* host_ctx);
} idsync_export_results;

/* ---------------------------------------------------------------------------------------------
 * Connector types (minor 0)
 * ------------------------------------------------------------------------------------------- */

typedef struct idsync_connector idsync_connector; /* an instance; opaque to the host */

/* Capability flags. A flag must be set exactly when the matching hook is non-NULL. */
#define IDSYNC_CAP_FULL_IMPORT 0x01u
#define IDSYNC_CAP_DELTA_IMPORT 0x02u
#define IDSYNC_CAP_EXPORT 0x04u
#define IDSYNC_CAP_CURRENT_WATERMARK 0x08u
#define IDSYNC_CAP_TEST_CONNECTION 0x10u

/* OWNERSHIP: plugin-owned static data, valid for the life of the process.
 * REQUIRED hooks: create, destroy, get_schema, full_import. The rest may be NULL. */
typedef struct idsync_connector_type {
  uint32_t struct_size;
  const char* type_id; /* unique across all plugins, e.g. "file", "ldap.ad" */
  const char* display_name;
  const char* description;
  uint32_t capabilities;
  const idsync_config_field* const* config_fields;
  size_t config_field_count;

  /* Creates an instance from validated configuration. It must not contact the system (that is
   * test_connection's job) so that a host can start with a server down. On failure it returns
   * ERROR (or FATAL) with diag->set_error naming the field. */
  idsync_status (*create)(const idsync_create_params* params, const idsync_diag* diag,
                          idsync_connector** out_instance);
  /* Releases the instance. Never fails. */
  void (*destroy)(idsync_connector* instance);
  /* Contacts the system with the configured credentials and reports what is wrong. */
  idsync_status (*test_connection)(idsync_connector* instance, const idsync_diag* diag);
  /* Reports every object type the connector can import/export. */
  idsync_status (*get_schema)(idsync_connector* instance, const idsync_schema_sink* sink,
                              const idsync_diag* diag);
  /* Pushes the complete current state of every object (IDSYNC_CHANGE_STATE records). */
  idsync_status (*full_import)(idsync_connector* instance, const idsync_import_request* request,
                               const idsync_import_sink* sink, const idsync_diag* diag);
  /* Pushes changes since request->watermark. An expired or foreign watermark returns ERROR
   * with IDSYNC_ERR_PRECONDITION: the admin must run a full import. */
  idsync_status (*delta_import)(idsync_connector* instance, const idsync_import_request* request,
                                const idsync_import_sink* sink, const idsync_diag* diag);
  /* Writes the watermark that a delta import started now would need, without importing. */
  idsync_status (*current_watermark)(idsync_connector* instance, const idsync_bytes_sink* sink,
                                     const idsync_diag* diag);
  idsync_status (*export_batch)(idsync_connector* instance, const idsync_export_batch* batch,
                                const idsync_export_results* results, const idsync_diag* diag);
} idsync_connector_type;

/* ---------------------------------------------------------------------------------------------
 * Rule plugins (minor 0)
 *
 * A rule plugin adds functions callable from sync-rule expressions and whole-object transforms.
 * Both must be pure: deterministic, no I/O, no global state; the host may call them from
 * several threads at once and may cache results.
 * ------------------------------------------------------------------------------------------- */

/* One argument or result: a (possibly multi-valued, possibly empty = NULL) value list.
 * OWNERSHIP: borrowed by the receiver for the duration of the call. */
typedef struct idsync_value_list {
  uint32_t struct_size;
  idsync_value_type type;
  const idsync_bytes* values;
  size_t value_count;
} idsync_value_list;

/* Receives a function's result values. Host-owned, borrowed for the call. */
typedef struct idsync_value_sink {
  uint32_t struct_size;
  void* host_ctx;
  void (*value)(void* host_ctx, idsync_value_type type, idsync_bytes value);
} idsync_value_sink;

typedef struct idsync_rule_function {
  uint32_t struct_size;
  const char* name; /* as called in expressions, e.g. "NormalizePhone" */
  const char* doc;
  uint32_t min_args;
  uint32_t max_args;
  /* Pushes zero values (NULL), one, or several (multi-valued) into `result`. */
  idsync_status (*call)(const idsync_value_list* const* args, size_t arg_count,
                        const idsync_value_sink* result, const idsync_diag* diag);
} idsync_rule_function;

/* A read-only view of an object's attributes, for transforms. Host-owned, borrowed. */
typedef struct idsync_object_view {
  uint32_t struct_size;
  idsync_str object_type;
  const idsync_attr* const* attributes;
  size_t attribute_count;
} idsync_object_view;

/* Receives the attributes a transform sets (REPLACE entries). Host-owned, borrowed. */
typedef struct idsync_attr_sink {
  uint32_t struct_size;
  void* host_ctx;
  idsync_status (*attribute)(void* host_ctx, const idsync_attr* attr);
} idsync_attr_sink;

typedef struct idsync_rule_transform {
  uint32_t struct_size;
  const char* name;
  const char* doc;
  idsync_status (*apply)(const idsync_object_view* input, const idsync_attr_sink* output,
                         const idsync_diag* diag);
} idsync_rule_transform;

/* OWNERSHIP: plugin-owned static data. */
typedef struct idsync_rule_type {
  uint32_t struct_size;
  const char* type_id;
  const char* description;
  const idsync_rule_function* const* functions;
  size_t function_count;
  const idsync_rule_transform* const* transforms;
  size_t transform_count;
} idsync_rule_type;

/* ---------------------------------------------------------------------------------------------
 * Entry point and negotiation (minor 0)
 * ------------------------------------------------------------------------------------------- */

/* What the host offers. OWNERSHIP: host-owned; valid for the life of the process, so a plugin
 * may keep the pointer (for logging outside hooks). */
typedef struct idsync_host_info {
  uint32_t struct_size;
  uint32_t abi_major; /* always 1 for the _v1 entry */
  uint32_t abi_minor; /* the highest minor the host supports */
  const char* host_version;
  void* host_ctx;
  void (*log)(void* host_ctx, int32_t level, idsync_str message);
} idsync_host_info;

/* What a plugin describes. OWNERSHIP: plugin-owned static data, valid for the process. */
typedef struct idsync_plugin_info {
  uint32_t struct_size;
  uint32_t abi_minor; /* the minor the plugin uses; <= host_info->abi_minor */
  const char* name;
  const char* version;
  const idsync_connector_type* const* connector_types;
  size_t connector_type_count;
  const idsync_rule_type* const* rule_types;
  size_t rule_type_count;
} idsync_plugin_info;

/* The one exported symbol. The host calls it once per process, after loading the library.
 * On OK, *out_info points to the plugin's description. When the plugin needs a newer minor
 * than host->abi_minor offers it returns IDSYNC_INCOMPATIBLE. */
typedef idsync_status (*idsync_plugin_entry_v1_fn)(const idsync_host_info* host,
                                                   const idsync_plugin_info** out_info);
#define IDSYNC_PLUGIN_ENTRY_V1 "idsync_plugin_entry_v1"

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IDSYNC_PLUGIN_ABI_H */
