/*
 * Fake plugins for the plugin host's tests, written in plain C99 to show the ABI needs no C++.
 *
 * One source, many variants: tests/fakes/CMakeLists.txt compiles it with different FAKE_*
 * definitions, each into its own plugin folder with its own plugin.json. Without any FAKE_*
 * switch it is "fake-good", a working connector that other tests use too:
 *
 *   type id:   FAKE_TYPE_ID ("fake.good")
 *   config:    count   INTEGER  default 10    objects to import (0 .. 1000000)
 *              prefix  STRING   default "user" anchor/name prefix: <prefix><index>
 *              fail_at INTEGER  default -1    full_import fails with ERROR at this index
 *   schema:    "person", anchor "id"; attributes id, name, index
 *   import:    objects <prefix>0 .. <prefix><count-1> as STATE records, in pages of
 *              request->page_size; checkpoint = decimal index of the next object, so an import
 *              resumes after the last committed page; watermark "fake-wm-<count>".
 *
 * Switches (each makes one refusal case or one ABI edge case):
 *   FAKE_NO_ENTRY           exports a misnamed entry (idsync_plugin_entry)
 *   FAKE_ENTRY_NEEDS_MINOR  entry returns IDSYNC_INCOMPATIBLE if the host offers a lower minor
 *   FAKE_ANSWER_MINOR       entry answers OK with this (too new) abi_minor
 *   FAKE_ENTRY_STATUS       entry returns this status
 *   FAKE_OVERSIZED          connector type struct_size larger than the ABI 1.0 struct
 *   FAKE_UNDERSIZED         connector type struct_size ends before full_import
 *   FAKE_SHORT              connector type struct_size ends right after full_import and one
 *                           config field's right after flags; the fields past them are set to
 *                           junk that the host must not see (zero extension)
 *   FAKE_NO_SCHEMA_HOOK     get_schema is NULL
 *   FAKE_CAP_WITHOUT_HOOK   sets IDSYNC_CAP_DELTA_IMPORT without delta_import
 *   FAKE_HOOK_WITHOUT_CAP   sets export_batch without IDSYNC_CAP_EXPORT
 *   FAKE_UNRESOLVED         calls a function no library defines (dlopen fails)
 *   FAKE_BAD_DEFAULT        a config field default that is not JSON
 *   FAKE_RULES              also declares rule type "fake.rules" (FakeUpper, FakeCopy)
 *   FAKE_RULE_TYPE_ID       with FAKE_RULES: that rule type id instead of "fake.rules"
 *   FAKE_RULE_FUNCTION      with FAKE_RULES: that name instead of "FakeUpper" (name clashes)
 */
#include <idsync/plugin_abi.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FAKE_PLUGIN_NAME
#define FAKE_PLUGIN_NAME "fake-good"
#endif
#ifndef FAKE_PLUGIN_VERSION
#define FAKE_PLUGIN_VERSION "0.1.0"
#endif
#ifndef FAKE_TYPE_ID
#define FAKE_TYPE_ID "fake.good"
#endif

/* Byte offset just past a member: whether a struct_size covers it. */
#define FAKE_END_OF(T, member) (offsetof(T, member) + sizeof(((T*)0)->member))
#define FAKE_HAS(ptr, T, member) ((ptr) != NULL && (ptr)->struct_size >= FAKE_END_OF(T, member))

/* The host's info, kept to log outside hooks (the ABI allows it: it lives for the process). */
static const idsync_host_info* g_host;

static idsync_str str_of(const char* s) {
  idsync_str out;
  out.ptr = s;
  out.len = strlen(s);
  return out;
}

static idsync_bytes bytes_of(const char* s, size_t len) {
  idsync_bytes out;
  out.ptr = (const uint8_t*)s;
  out.len = len;
  return out;
}

static void host_log(int32_t level, const char* message) {
  if (FAKE_HAS(g_host, idsync_host_info, log) && g_host->log != NULL)
    g_host->log(g_host->host_ctx, level, str_of(message));
}

static void set_error(const idsync_diag* diag, idsync_error_kind kind, const char* message) {
  if (FAKE_HAS(diag, idsync_diag, set_error) && diag->set_error != NULL)
    diag->set_error(diag->host_ctx, kind, str_of(message));
}

/* ---- The connector ------------------------------------------------------------------------ */

struct idsync_connector {
  long long count;
  long long fail_at;
  char prefix[64];
};

#ifdef FAKE_UNRESOLVED
/* Defined nowhere: with RTLD_NOW the host's dlopen fails naming this symbol. */
extern void idsync_fake_symbol_defined_nowhere(void);
#endif

static const idsync_config_value* config_value(const idsync_create_params* params,
                                               const char* name) {
  size_t i;
  for (i = 0; i < params->config_count; ++i) {
    const idsync_config_value* v = &params->config[i];
    if (v->name.len == strlen(name) && memcmp(v->name.ptr, name, v->name.len) == 0) return v;
  }
  return NULL;
}

static idsync_status fake_create(const idsync_create_params* params, const idsync_diag* diag,
                                 idsync_connector** out_instance) {
  const idsync_config_value* v;
  idsync_connector* c = (idsync_connector*)calloc(1, sizeof *c);
  if (c == NULL) return IDSYNC_FATAL;
  c->count = 10;
  c->fail_at = -1;
  strcpy(c->prefix, "user");
  if ((v = config_value(params, "count")) != NULL && v->is_set) c->count = v->integer;
  if ((v = config_value(params, "fail_at")) != NULL && v->is_set) c->fail_at = v->integer;
  if ((v = config_value(params, "prefix")) != NULL && v->is_set) {
    if (v->text.len >= sizeof c->prefix) {
      free(c);
      set_error(diag, IDSYNC_ERR_CONFIG, "config field prefix: at most 63 bytes");
      return IDSYNC_ERROR;
    }
    memcpy(c->prefix, v->text.ptr, v->text.len);
    c->prefix[v->text.len] = '\0';
  }
  if (c->count < 0) {
    free(c);
    set_error(diag, IDSYNC_ERR_CONFIG, "config field count: must be >= 0");
    return IDSYNC_ERROR;
  }
  host_log(IDSYNC_LOG_INFO, "fake connector created");
  *out_instance = c;
  return IDSYNC_OK;
}

static void fake_destroy(idsync_connector* instance) { free(instance); }

static idsync_status fake_test_connection(idsync_connector* instance, const idsync_diag* diag) {
  (void)instance;
  (void)diag;
  return IDSYNC_OK;
}

static idsync_status fake_get_schema(idsync_connector* instance, const idsync_schema_sink* sink,
                                     const idsync_diag* diag) {
  idsync_attr_info id, name, index;
  const idsync_attr_info* attrs[3];
  idsync_object_type_info person;
  (void)instance;
  (void)diag;
  id.struct_size = sizeof id;
  id.name = str_of("id");
  id.type = IDSYNC_VALUE_STRING;
  id.flags = IDSYNC_ATTRINFO_REQUIRED | IDSYNC_ATTRINFO_READONLY;
  name.struct_size = sizeof name;
  name.name = str_of("name");
  name.type = IDSYNC_VALUE_STRING;
  name.flags = 0;
  index.struct_size = sizeof index;
  index.name = str_of("index");
  index.type = IDSYNC_VALUE_INTEGER;
  index.flags = 0;
  attrs[0] = &id;
  attrs[1] = &name;
  attrs[2] = &index;
  person.struct_size = sizeof person;
  person.name = str_of("person");
  person.anchor_attribute = str_of("id");
  person.attributes = attrs;
  person.attribute_count = 3;
  return sink->object_type(sink->host_ctx, &person);
}

static idsync_status push_attr(const idsync_import_sink* sink, const char* name,
                               idsync_value_type type, const char* value) {
  idsync_attr attr;
  idsync_bytes v = bytes_of(value, strlen(value));
  attr.struct_size = sizeof attr;
  attr.name = str_of(name);
  attr.type = type;
  attr.op = IDSYNC_ATTR_REPLACE;
  attr.values = &v;
  attr.value_count = 1;
  return sink->attribute(sink->host_ctx, &attr);
}

static idsync_status push_object(const idsync_connector* c, const idsync_import_sink* sink,
                                 long long i) {
  char anchor[96], dn[100], index[32];
  idsync_object_header h;
  idsync_status st;
  snprintf(anchor, sizeof anchor, "%s%lld", c->prefix, i);
  snprintf(dn, sizeof dn, "cn=%s", anchor);
  snprintf(index, sizeof index, "%lld", i);
  h.struct_size = sizeof h;
  h.change = IDSYNC_CHANGE_STATE;
  h.object_type = str_of("person");
  h.anchor = bytes_of(anchor, strlen(anchor));
  h.dn = str_of(dn);
  h.source = str_of(anchor);
  if ((st = sink->object_begin(sink->host_ctx, &h)) != IDSYNC_OK) return st;
  if ((st = push_attr(sink, "id", IDSYNC_VALUE_STRING, anchor)) != IDSYNC_OK) return st;
  if ((st = push_attr(sink, "name", IDSYNC_VALUE_STRING, anchor)) != IDSYNC_OK) return st;
  if ((st = push_attr(sink, "index", IDSYNC_VALUE_INTEGER, index)) != IDSYNC_OK) return st;
  return sink->object_end(sink->host_ctx);
}

static idsync_status fake_full_import(idsync_connector* c, const idsync_import_request* request,
                                      const idsync_import_sink* sink, const idsync_diag* diag) {
  long long i, start = 0, in_page = 0;
  unsigned page_size = 100;
  char text[32];
  idsync_status st;
#ifdef FAKE_UNRESOLVED
  idsync_fake_symbol_defined_nowhere();
#endif
  if (FAKE_HAS(request, idsync_import_request, page_size) && request->page_size > 0)
    page_size = request->page_size;
  if (FAKE_HAS(request, idsync_import_request, checkpoint) && request->checkpoint.len > 0) {
    /* The checkpoint is the index of the next object, as decimal text. */
    size_t len =
        request->checkpoint.len < sizeof text - 1 ? request->checkpoint.len : sizeof text - 1;
    memcpy(text, request->checkpoint.ptr, len);
    text[len] = '\0';
    start = strtoll(text, NULL, 10);
  }
  for (i = start; i < c->count; ++i) {
    if (i == c->fail_at) {
      set_error(diag, IDSYNC_ERR_INTERNAL, "fake failure at the configured fail_at index");
      return IDSYNC_ERROR;
    }
    if ((st = push_object(c, sink, i)) != IDSYNC_OK) return st;
    if (++in_page == (long long)page_size && i + 1 < c->count) {
      snprintf(text, sizeof text, "%lld", i + 1);
      st = sink->page_end(sink->host_ctx, bytes_of(text, strlen(text)));
      if (st != IDSYNC_OK) return st; /* STOP: the host wants us to end now */
      in_page = 0;
    }
  }
  snprintf(text, sizeof text, "fake-wm-%lld", c->count);
  return sink->import_end(sink->host_ctx, 1, bytes_of(text, strlen(text)));
}

#if defined(FAKE_SHORT) || defined(FAKE_CAP_WITHOUT_HOOK) || defined(FAKE_HOOK_WITHOUT_CAP)
/* Hooks that must never be reached: the host either refuses the type or never sees them. */
static idsync_status fake_delta_import(idsync_connector* c, const idsync_import_request* r,
                                       const idsync_import_sink* s, const idsync_diag* d) {
  (void)c, (void)r, (void)s, (void)d;
  abort();
}
static idsync_status fake_export_batch(idsync_connector* c, const idsync_export_batch* b,
                                       const idsync_export_results* r, const idsync_diag* d) {
  (void)c, (void)b, (void)r, (void)d;
  abort();
}
#endif

/* ---- Metadata ----------------------------------------------------------------------------- */

static idsync_config_field g_count, g_prefix, g_fail_at;
static const idsync_config_field* g_fields[3];

#ifdef FAKE_OVERSIZED
/* What a plugin built against a newer header looks like: a longer struct. */
typedef struct {
  idsync_connector_type base;
  void* hooks_from_the_future[2];
} fake_connector_type_future;
static fake_connector_type_future g_type_storage;
#define g_type g_type_storage.base
#else
static idsync_connector_type g_type;
#endif

static const idsync_connector_type* g_types[1];
static idsync_plugin_info g_info;

static void fill_field(idsync_config_field* f, const char* name, idsync_config_type type,
                       const char* default_value, const char* doc, int64_t min, int64_t max) {
  memset(f, 0, sizeof *f);
  f->struct_size = sizeof *f;
  f->name = name;
  f->type = type;
  f->default_value = default_value;
  f->doc = doc;
  f->min_value = min;
  f->max_value = max;
}

static void fill_connector_type(void) {
  fill_field(&g_count, "count", IDSYNC_CONFIG_INTEGER, "10", "How many objects to import.", 0,
             1000000);
  fill_field(&g_prefix, "prefix", IDSYNC_CONFIG_STRING, "\"user\"",
             "Prefix of each object's anchor and name.", 0, 0);
  fill_field(&g_fail_at, "fail_at", IDSYNC_CONFIG_INTEGER, "-1",
             "Index at which full_import fails (-1: never).", -1, 1000000);
#ifdef FAKE_SHORT
  /* As if built against a header whose config field ended at flags. */
  g_prefix.struct_size = (uint32_t)FAKE_END_OF(idsync_config_field, flags);
  g_prefix.doc = "junk the host must not see";
#endif
#ifdef FAKE_BAD_DEFAULT
  g_count.default_value = "ten";
#endif
  g_fields[0] = &g_count;
  g_fields[1] = &g_prefix;
  g_fields[2] = &g_fail_at;

  memset(&g_type, 0, sizeof g_type);
  g_type.struct_size = sizeof g_type;
  g_type.type_id = FAKE_TYPE_ID;
  g_type.display_name = "Fake connector";
  g_type.description = "Imports generated objects; for tests.";
  g_type.capabilities = IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_TEST_CONNECTION;
  g_type.config_fields = g_fields;
  g_type.config_field_count = 3;
  g_type.create = fake_create;
  g_type.destroy = fake_destroy;
  g_type.test_connection = fake_test_connection;
  g_type.get_schema = fake_get_schema;
  g_type.full_import = fake_full_import;
#ifdef FAKE_OVERSIZED
  g_type.struct_size = sizeof g_type_storage;
#endif
#ifdef FAKE_UNDERSIZED
  g_type.struct_size = (uint32_t)offsetof(idsync_connector_type, full_import);
#endif
#ifdef FAKE_SHORT
  /* Built against a header that ended at full_import: the optional hooks after it are not
   * part of this struct, whatever the bytes there say. */
  g_type.struct_size = (uint32_t)FAKE_END_OF(idsync_connector_type, full_import);
  g_type.delta_import = fake_delta_import;
  g_type.export_batch = fake_export_batch;
#endif
#ifdef FAKE_NO_SCHEMA_HOOK
  g_type.get_schema = NULL;
#endif
#ifdef FAKE_CAP_WITHOUT_HOOK
  g_type.capabilities |= IDSYNC_CAP_DELTA_IMPORT;
  (void)fake_export_batch;
  (void)fake_delta_import;
#endif
#ifdef FAKE_HOOK_WITHOUT_CAP
  g_type.export_batch = fake_export_batch;
  (void)fake_delta_import;
#endif
  g_types[0] = &g_type;
}

/* ---- Rule type (FAKE_RULES) --------------------------------------------------------------- */

#ifdef FAKE_RULES
#ifndef FAKE_RULE_TYPE_ID
#define FAKE_RULE_TYPE_ID "fake.rules"
#endif
#ifndef FAKE_RULE_FUNCTION
#define FAKE_RULE_FUNCTION "FakeUpper"
#endif

static void value_sink_push(const idsync_value_sink* out, const char* text, size_t len) {
  out->value(out->host_ctx, IDSYNC_VALUE_STRING, bytes_of(text, len));
}

/* FakeUpper(x): ASCII upper case of each string value. */
static idsync_status fake_upper(const idsync_value_list* const* args, size_t arg_count,
                                const idsync_value_sink* result, const idsync_diag* diag) {
  size_t v, i;
  char buffer[256];
  if (arg_count != 1) {
    set_error(diag, IDSYNC_ERR_INVALID_VALUE, "FakeUpper takes one argument");
    return IDSYNC_ERROR;
  }
  for (v = 0; v < args[0]->value_count; ++v) {
    const idsync_bytes* b = &args[0]->values[v];
    size_t len = b->len < sizeof buffer ? b->len : sizeof buffer;
    for (i = 0; i < len; ++i) {
      char c = (char)b->ptr[i];
      buffer[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    value_sink_push(result, buffer, len);
  }
  return IDSYNC_OK;
}

/* FakeCopy: sets displayName to the object's name. */
static idsync_status fake_copy(const idsync_object_view* input, const idsync_attr_sink* output,
                               const idsync_diag* diag) {
  size_t i;
  (void)diag;
  for (i = 0; i < input->attribute_count; ++i) {
    const idsync_attr* a = input->attributes[i];
    if (a->name.len == 4 && memcmp(a->name.ptr, "name", 4) == 0) {
      idsync_attr copy = *a;
      copy.name = str_of("displayName");
      copy.op = IDSYNC_ATTR_REPLACE;
      return output->attribute(output->host_ctx, &copy);
    }
  }
  return IDSYNC_OK;
}

static idsync_rule_function g_upper;
static idsync_rule_transform g_copy;
static const idsync_rule_function* g_functions[1];
static const idsync_rule_transform* g_transforms[1];
static idsync_rule_type g_rules;
static const idsync_rule_type* g_rule_types[1];

static void fill_rule_type(void) {
  memset(&g_upper, 0, sizeof g_upper);
  g_upper.struct_size = sizeof g_upper;
  g_upper.name = FAKE_RULE_FUNCTION;
  g_upper.doc = "Upper-cases ASCII letters.";
  g_upper.min_args = 1;
  g_upper.max_args = 1;
  g_upper.call = fake_upper;
  memset(&g_copy, 0, sizeof g_copy);
  g_copy.struct_size = sizeof g_copy;
  g_copy.name = "FakeCopy";
  g_copy.doc = "Copies name to displayName.";
  g_copy.apply = fake_copy;
  g_functions[0] = &g_upper;
  g_transforms[0] = &g_copy;
  memset(&g_rules, 0, sizeof g_rules);
  g_rules.struct_size = sizeof g_rules;
  g_rules.type_id = FAKE_RULE_TYPE_ID;
  g_rules.description = "Rule functions for tests.";
  g_rules.functions = g_functions;
  g_rules.function_count = 1;
  g_rules.transforms = g_transforms;
  g_rules.transform_count = 1;
  g_rule_types[0] = &g_rules;
}
#endif

/* ---- Entry -------------------------------------------------------------------------------- */

#ifdef FAKE_NO_ENTRY
#define FAKE_ENTRY idsync_plugin_entry /* a plausible typo: no _v1 */
#else
#define FAKE_ENTRY idsync_plugin_entry_v1
#endif

IDSYNC_EXPORT idsync_status FAKE_ENTRY(const idsync_host_info* host,
                                       const idsync_plugin_info** out_info);

IDSYNC_EXPORT idsync_status FAKE_ENTRY(const idsync_host_info* host,
                                       const idsync_plugin_info** out_info) {
  if (host == NULL || out_info == NULL || !FAKE_HAS(host, idsync_host_info, abi_minor) ||
      host->abi_major != IDSYNC_ABI_MAJOR)
    return IDSYNC_INCOMPATIBLE;
#ifdef FAKE_ENTRY_NEEDS_MINOR
  if (host->abi_minor < FAKE_ENTRY_NEEDS_MINOR) return IDSYNC_INCOMPATIBLE;
#endif
#ifdef FAKE_ENTRY_STATUS
  {
    /* A variable rather than a bare return keeps the rest reachable (no unused warnings). */
    const idsync_status forced = FAKE_ENTRY_STATUS;
    if (forced != IDSYNC_OK) return forced;
  }
#endif
  g_host = host;
  fill_connector_type();
  memset(&g_info, 0, sizeof g_info);
  g_info.struct_size = sizeof g_info;
  g_info.abi_minor = 0;
#ifdef FAKE_ANSWER_MINOR
  g_info.abi_minor = FAKE_ANSWER_MINOR;
#endif
  g_info.name = FAKE_PLUGIN_NAME;
  g_info.version = FAKE_PLUGIN_VERSION;
  g_info.connector_types = g_types;
  g_info.connector_type_count = 1;
#ifdef FAKE_RULES
  fill_rule_type();
  g_info.rule_types = g_rule_types;
  g_info.rule_type_count = 1;
#endif
  *out_info = &g_info;
  return IDSYNC_OK;
}
