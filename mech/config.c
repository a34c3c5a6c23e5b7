/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Reading /etc/gss/credssp.conf (DESIGN.md 6) with the krb5 profile
 * library.  The profile library does not report line numbers, so the
 * file's text is kept beside it to point error messages and list entries
 * at the line where a relation stands.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <com_err.h>
#include <profile.h>

#include "common/err.h"
#include "common/file.h"
#include "mech/conf.h"
#include "mech/trace.h"
#include "policy/policy.h"

#define CONFIG_MAX_SIZE (256 * 1024)

/* Entries of one list section ([delegation], ...): far beyond any real
 * policy, and a bound on the line search each entry costs. */
#define CONFIG_MAX_ENTRIES 1024

struct config_reader {
    const char *path;
    const char *text;
    profile_t profile;
    struct credssp_config *cfg;
    struct credssp_config_error *err;
};

/* Where add_entry() appends. */
struct entry_list {
    struct credssp_config_entry **list;
    size_t *count;
};

struct scalar_key {
    const char *section;
    const char *key;
    int (*set)(struct credssp_config *cfg, const char *value);
};

static int fail(struct config_reader *r, unsigned int line,
                const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static unsigned int locate(const char *text, const char *section,
                           const char *key, unsigned int nth);
static int read_text(const char *path, char **out, int *absent,
                     const char **why);
static int parse_bool(const char *value, int *out);
static int set_string(char **field, const char *value);
static int set_certificate(struct credssp_config *cfg, const char *value);
static int set_key(struct credssp_config *cfg, const char *value);
static int set_priority(struct credssp_config *cfg, const char *value);
static int set_key_type(struct credssp_config *cfg, const char *value);
static int set_max_version(struct credssp_config *cfg, const char *value);
static int set_wire(struct credssp_config *cfg, const char *value);
static int set_inner(struct credssp_config *cfg, const char *value);
static int set_strict_mutual(struct credssp_config *cfg, const char *value);
static int set_saved(struct credssp_config *cfg, const char *value);
static int set_matching(struct credssp_config *cfg, const char *value);
static int set_inner_cb(struct credssp_config *cfg, const char *value);
static int each_relation(struct config_reader *r, const char *section,
                         int (*visit)(struct config_reader *r,
                                      const char *section, const char *name,
                                      const char *value, void *arg),
                         void *arg);
static int set_scalar(struct config_reader *r, const char *section,
                      const char *name, const char *value, void *arg);
static int add_entry(struct config_reader *r, const char *section,
                     const char *name, const char *value, void *arg);
static int read_scalars(struct config_reader *r, const char *section);
static int read_list(struct config_reader *r, const char *section,
                     struct credssp_config_entry **list, size_t *count);
static int check_sections(struct config_reader *r);
static struct credssp_config *new_defaults(const char *path);

static const struct scalar_key scalar_keys[] = {
    { "tls", "certificate", set_certificate },
    { "tls", "key", set_key },
    { "tls", "priority", set_priority },
    { "tls", "key_type", set_key_type },
    { "credssp", "max_version", set_max_version },
    { "credssp", "wire", set_wire },
    { "credssp", "inner", set_inner },
    { "credssp", "strict_mutual_auth", set_strict_mutual },
    { "credssp", "require_matching_identity", set_matching },
    { "credssp", "inner_channel_binding", set_inner_cb },
    { "credssp", "saved_credentials", set_saved },
};

static const char *const known_sections[] = {
    "tls", "credssp", "delegation", "extended_protection"
};

static int
fail(struct config_reader *r, unsigned int line, const char *fmt, ...)
{
    va_list ap;

    snprintf(r->err->file, sizeof(r->err->file), "%s", r->path);
    r->err->line = line;
    va_start(ap, fmt);
    vsnprintf(r->err->text, sizeof(r->err->text), fmt, ap);
    va_end(ap);
    credssp_config_report(CREDSSP_ERR_CONFIG, r->err->file, line,
                          r->err->text);
    return CREDSSP_ERR(CREDSSP_ERR_CONFIG);
}

void
credssp_config_report(int code, const char *file, unsigned int line,
                      const char *text)
{
    char detail[512];

    TRACE_CREDSSP_CONFIG_ERROR(file, line, text);
    if (line > 0) {
        snprintf(detail, sizeof(detail), "%s:%u: %s", file, line, text);
    } else {
        snprintf(detail, sizeof(detail), "%s: %s", file, text);
    }
    credssp_err_set_detail(code, detail);
}

/* Line (1-based) of the nth (0-based) relation "key =" in [section], or
 * of the section header itself when key is NULL; 0 when not found. */
static unsigned int
locate(const char *text, const char *section, const char *key,
       unsigned int nth)
{
    const char *p = text, *end, *s;
    size_t slen = strlen(section), klen = key != NULL ? strlen(key) : 0;
    unsigned int line = 0, seen = 0;
    int in_section = 0;

    while (p != NULL && *p != '\0') {
        line++;
        end = strchr(p, '\n');
        s = p;
        while (s < (end ? end : s + strlen(s)) && (*s == ' ' || *s == '\t')) {
            s++;
        }
        if (*s == '[') {
            in_section = strncmp(s + 1, section, slen) == 0 &&
                         s[1 + slen] == ']';
            if (in_section && key == NULL) {
                return line;
            }
        } else if (in_section && key != NULL && strncmp(s, key, klen) == 0) {
            s += klen;
            while (*s == ' ' || *s == '\t') {
                s++;
            }
            if (*s == '=' && seen++ == nth) {
                return line;
            }
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return 0;
}

/* The whole file, NUL-terminated (common/file.h: regular files only,
 * never waited on); *absent when there is none. */
static int
read_text(const char *path, char **out, int *absent, const char **why)
{
    struct credssp_buf text;
    int ret;

    *absent = 0;
    ret = credssp_file_read(path, 0, CONFIG_MAX_SIZE, &text, NULL, why);
    if (ret == ENOENT) {
        *absent = 1;
        return 0;
    }
    if (ret == 0) {
        *out = (char *)text.data;
    }
    return ret;
}

static int
parse_bool(const char *value, int *out)
{
    static const char *const yes[] = { "true", "yes", "on", "1" };
    static const char *const no[] = { "false", "no", "off", "0" };
    size_t i;

    for (i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
        if (strcasecmp(value, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(value, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return CREDSSP_ERR_CONFIG;
}

static int
set_string(char **field, const char *value)
{
    char *copy;

    if (*value == '\0') {
        return CREDSSP_ERR_CONFIG;
    }
    copy = strdup(value);
    if (copy == NULL) {
        return ENOMEM;
    }
    free(*field);
    *field = copy;
    return 0;
}

static int
set_certificate(struct credssp_config *cfg, const char *value)
{
    return set_string(&cfg->certificate, value);
}

static int
set_key(struct credssp_config *cfg, const char *value)
{
    return set_string(&cfg->key, value);
}

static int
set_priority(struct credssp_config *cfg, const char *value)
{
    return set_string(&cfg->priority, value);
}

static int
set_key_type(struct credssp_config *cfg, const char *value)
{
    if (strcasecmp(value, "ecdsa") == 0) {
        cfg->key_type = CREDSSP_KEY_ECDSA;
    } else if (strcasecmp(value, "rsa") == 0) {
        cfg->key_type = CREDSSP_KEY_RSA;
    } else {
        return CREDSSP_ERR_CONFIG;
    }
    return 0;
}

static int
set_max_version(struct credssp_config *cfg, const char *value)
{
    if (value[0] < '2' || value[0] > '6' || value[1] != '\0') {
        return CREDSSP_ERR_CONFIG;
    }
    cfg->max_version = value[0] - '0';
    return 0;
}

static int
set_wire(struct credssp_config *cfg, const char *value)
{
    return credssp_config_parse_wire(value, &cfg->wire);
}

static int
set_inner(struct credssp_config *cfg, const char *value)
{
    return credssp_config_parse_inner(value, &cfg->inner);
}

static int
set_strict_mutual(struct credssp_config *cfg, const char *value)
{
    return parse_bool(value, &cfg->strict_mutual_auth);
}

static int
set_saved(struct credssp_config *cfg, const char *value)
{
    return set_string(&cfg->saved_credentials, value);
}

static int
set_matching(struct credssp_config *cfg, const char *value)
{
    return parse_bool(value, &cfg->require_matching_identity);
}

static int
set_inner_cb(struct credssp_config *cfg, const char *value)
{
    return credssp_config_parse_inner_cb(value, &cfg->inner_channel_binding);
}

/*
 * Call visit for every relation of [section], in file order, with the
 * relation's name and value and its occurrence number among relations of
 * the same name.  A subsection where a value belongs is an error.
 */
static int
each_relation(struct config_reader *r, const char *section,
              int (*visit)(struct config_reader *r, const char *section,
                           const char *name, const char *value,
                           void *arg),
              void *arg)
{
    const char *names[] = { section, NULL };
    char *name = NULL, *value = NULL;
    void *iter = NULL;
    long code;
    int ret = 0;

    code = profile_iterator_create(r->profile, names,
                                   PROFILE_ITER_LIST_SECTION |
                                       PROFILE_ITER_RELATIONS_ONLY,
                                   &iter);
    while (code == 0 && ret == 0) {
        code = profile_iterator(&iter, &name, &value);
        if (code != 0 || name == NULL) {
            break;
        }
        if (value == NULL) {
            ret = fail(r, locate(r->text, section, name, 0),
                       "%s in [%s] must be a value, not a section", name,
                       section);
        } else {
            ret = visit(r, section, name, value, arg);
        }
        profile_release_string(name);
        profile_release_string(value);
        name = value = NULL;
    }
    if (code != 0 && ret == 0) {
        ret = fail(r, 0, "cannot read [%s]: %s", section,
                   error_message(code));
    }
    profile_iterator_free(&iter);
    return ret;
}

/* A relation of [tls] or [credssp]: a known key, set once.  arg counts
 * the keys seen. */
static int
set_scalar(struct config_reader *r, const char *section, const char *name,
           const char *value, void *arg)
{
    unsigned int *seen = arg;
    size_t i;
    int ret;

    for (i = 0; i < sizeof(scalar_keys) / sizeof(*scalar_keys); i++) {
        if (strcmp(scalar_keys[i].section, section) == 0 &&
            strcmp(scalar_keys[i].key, name) == 0) {
            break;
        }
    }
    if (i == sizeof(scalar_keys) / sizeof(*scalar_keys)) {
        return fail(r, locate(r->text, section, name, 0),
                    "unknown key %s in [%s]", name, section);
    }
    if (seen[i]++ > 0) {
        return fail(r, locate(r->text, section, name, 1),
                    "%s is set twice in [%s]", name, section);
    }
    ret = scalar_keys[i].set(r->cfg, value);
    if (ret != 0 && ret != ENOMEM) {
        ret = fail(r, locate(r->text, section, name, 0),
                   "invalid value \"%s\" for %s in [%s]", value, name,
                   section);
    }
    return ret;
}

/* A relation of a list section, kept with its line. */
static int
add_entry(struct config_reader *r, const char *section, const char *name,
          const char *value, void *arg)
{
    struct entry_list *l = arg;
    struct credssp_config_entry *grown, *e;
    unsigned int nth = 0;
    size_t i;

    for (i = 0; i < *l->count; i++) {
        nth += strcmp((*l->list)[i].key, name) == 0;
    }
    if (*l->count >= CONFIG_MAX_ENTRIES) {
        return fail(r, locate(r->text, section, name, nth),
                    "more than %d entries in [%s]", CONFIG_MAX_ENTRIES,
                    section);
    }
    grown = realloc(*l->list, (*l->count + 1) * sizeof(**l->list));
    if (grown == NULL) {
        return ENOMEM;
    }
    *l->list = grown;
    e = &grown[*l->count];
    e->key = strdup(name);
    e->value = strdup(value);
    e->line = locate(r->text, section, name, nth);
    (*l->count)++;
    return e->key == NULL || e->value == NULL ? ENOMEM : 0;
}

static int
read_scalars(struct config_reader *r, const char *section)
{
    unsigned int seen[sizeof(scalar_keys) / sizeof(*scalar_keys)] = { 0 };

    return each_relation(r, section, set_scalar, seen);
}

static int
read_list(struct config_reader *r, const char *section,
          struct credssp_config_entry **list, size_t *count)
{
    struct entry_list l = { list, count };

    return each_relation(r, section, add_entry, &l);
}

static int
check_sections(struct config_reader *r)
{
    const char *names[] = { NULL };
    char **sections = NULL;
    size_t i, j;
    long code;
    int ret = 0;

    code = profile_get_subsection_names(r->profile, names, &sections);
    if (code == PROF_NO_SECTION || code == PROF_NO_RELATION) {
        return 0;
    }
    if (code != 0) {
        return fail(r, 0, "cannot read sections: %s", error_message(code));
    }
    for (i = 0; sections[i] != NULL && ret == 0; i++) {
        for (j = 0; j < sizeof(known_sections) / sizeof(*known_sections);
             j++) {
            if (strcmp(sections[i], known_sections[j]) == 0) {
                break;
            }
        }
        if (j == sizeof(known_sections) / sizeof(*known_sections)) {
            ret = fail(r, locate(r->text, sections[i], NULL, 0),
                       "unknown section [%s]", sections[i]);
        }
    }
    profile_free_list(sections);
    return ret;
}

static struct credssp_config *
new_defaults(const char *path)
{
    struct credssp_config *cfg = calloc(1, sizeof(*cfg));

    if (cfg == NULL) {
        return NULL;
    }
    cfg->refs = 1;
    cfg->max_version = 6;
    cfg->wire = CREDSSP_WIRE_FRAMED;
    cfg->inner = CREDSSP_INNER_AUTO;
    cfg->key_type = CREDSSP_KEY_ECDSA;
    cfg->require_matching_identity = 1;
    cfg->priority = strdup(CREDSSP_DEFAULT_PRIORITY);
    cfg->file = strdup(path != NULL ? path : "(none)");
    if (cfg->priority == NULL || cfg->file == NULL) {
        credssp_config_free(&cfg);
    }
    return cfg;
}

int
credssp_config_parse_wire(const char *value, enum credssp_wire *out)
{
    if (strcasecmp(value, "framed") == 0) {
        *out = CREDSSP_WIRE_FRAMED;
    } else if (strcasecmp(value, "raw") == 0) {
        *out = CREDSSP_WIRE_RAW;
    } else {
        return CREDSSP_ERR(CREDSSP_ERR_CONFIG);
    }
    return 0;
}

int
credssp_config_parse_inner(const char *value, enum credssp_inner_mode *out)
{
    static const struct {
        const char *name;
        enum credssp_inner_mode inner;
    } modes[] = { { "auto", CREDSSP_INNER_AUTO },
                  { "spnego", CREDSSP_INNER_SPNEGO },
                  { "krb5", CREDSSP_INNER_KRB5 },
                  { "kerberos", CREDSSP_INNER_KRB5 },
                  { "ntlmssp", CREDSSP_INNER_NTLMSSP },
                  { "ntlm", CREDSSP_INNER_NTLMSSP } };
    size_t i;

    for (i = 0; i < sizeof(modes) / sizeof(*modes); i++) {
        if (strcasecmp(value, modes[i].name) == 0) {
            *out = modes[i].inner;
            return 0;
        }
    }
    return CREDSSP_ERR(CREDSSP_ERR_CONFIG);
}

int
credssp_config_parse_inner_cb(const char *value, enum credssp_inner_cb *out)
{
    if (strcasecmp(value, "none") == 0) {
        *out = CREDSSP_INNER_CB_NONE;
    } else if (strcasecmp(value, "tls-server-end-point") == 0) {
        *out = CREDSSP_INNER_CB_SERVER_END_POINT;
    } else if (strcasecmp(value, "tls-exporter") == 0) {
        *out = CREDSSP_INNER_CB_EXPORTER;
    } else {
        return CREDSSP_ERR(CREDSSP_ERR_CONFIG);
    }
    return 0;
}

/*
 * Read path into a new configuration.  A missing file gives the defaults
 * (present = 0); any other problem gives CREDSSP_ERR_CONFIG with err
 * filled, and nothing in *out.
 */
int
credssp_config_load_file(const char *path, struct credssp_config **out,
                         struct credssp_config_error *err)
{
    struct config_reader r = { path, NULL, NULL, NULL, err };
    const char *files[] = { path, NULL };
    const char *why = NULL;
    char *text = NULL;
    long code;
    int absent = 1, ret;

    memset(err, 0, sizeof(*err));
    r.cfg = new_defaults(path);
    if (r.cfg == NULL) {
        return ENOMEM;
    }
    if (path != NULL) {
        ret = read_text(path, &text, &absent, &why);
        if (ret == ENOMEM) {
            goto done;
        }
        if (ret != 0) {
            ret = fail(&r, 0, "cannot read: %s",
                       why != NULL ? why : strerror(ret));
            goto done;
        }
    }
    TRACE_CREDSSP_CONFIG_LOADED(r.cfg->file, !absent);
    if (absent) {
        ret = 0;
        goto done;
    }
    r.text = text;
    r.cfg->present = 1;
    code = profile_init_flags(files, 0, &r.profile);
    if (code != 0) {
        ret = fail(&r, 0, "%s", error_message(code));
        goto done;
    }
    ret = check_sections(&r);
    if (ret == 0) {
        ret = read_scalars(&r, "tls");
    }
    if (ret == 0) {
        ret = read_scalars(&r, "credssp");
    }
    if (ret == 0) {
        ret = read_list(&r, "delegation", &r.cfg->delegation,
                        &r.cfg->delegation_count);
    }
    if (ret == 0) {
        ret = read_list(&r, "extended_protection",
                        &r.cfg->extended_protection,
                        &r.cfg->extended_protection_count);
    }
    if (ret == 0 && (r.cfg->certificate == NULL) != (r.cfg->key == NULL)) {
        ret = fail(&r, locate(text, "tls", r.cfg->key ? "key" : "certificate",
                              0),
                   "[tls] needs both certificate and key");
    }

done:
    if (r.profile != NULL) {
        profile_release(r.profile);
    }
    free(text);
    if (ret == 0) {
        *out = r.cfg;
    } else {
        credssp_config_free(&r.cfg);
    }
    return ret;
}

int
credssp_config_load(struct credssp_config **out,
                    struct credssp_config_error *err)
{
    const char *path;

#ifdef HAVE_SECURE_GETENV
    path = secure_getenv("CREDSSP_CONFIG");
#else
    path = getuid() == geteuid() ? getenv("CREDSSP_CONFIG") : NULL;
#endif
    if (path == NULL || *path == '\0') {
        path = CREDSSP_CONFIG_DEFAULT_FILE;
    }
    return credssp_config_load_file(path, out, err);
}

/* Borrows cfg's strings; *out is NULL when there are no relations. */
int
credssp_config_policy_entries(const struct credssp_config *cfg,
                              struct credssp_policy_entry **out)
{
    struct credssp_policy_entry *entries = NULL;
    size_t i;

    *out = NULL;
    if (cfg->delegation_count == 0) {
        return 0;
    }
    entries = calloc(cfg->delegation_count, sizeof(*entries));
    if (entries == NULL) {
        return ENOMEM;
    }
    for (i = 0; i < cfg->delegation_count; i++) {
        entries[i].key = cfg->delegation[i].key;
        entries[i].value = cfg->delegation[i].value;
        entries[i].file = cfg->file;
        entries[i].line = cfg->delegation[i].line;
    }
    *out = entries;
    return 0;
}

/* The conversion the mechanism and credssp-policy(8) share. */
int
credssp_config_policy(const struct credssp_config *cfg,
                      struct credssp_policy **out,
                      struct credssp_policy_error *err)
{
    struct credssp_policy_entry *entries = NULL;
    int ret;

    memset(err, 0, sizeof(*err));
    ret = credssp_config_policy_entries(cfg, &entries);
    if (ret != 0) {
        err->code = ret;
        return ret;
    }
    ret = credssp_policy_parse(entries, cfg->delegation_count, out, err);
    free(entries);
    return ret;
}

struct credssp_config *
credssp_config_ref(struct credssp_config *cfg)
{
    __atomic_add_fetch(&cfg->refs, 1, __ATOMIC_RELAXED);
    return cfg;
}

void
credssp_config_free(struct credssp_config **cfg)
{
    struct credssp_config *c;
    size_t i;

    if (cfg == NULL || *cfg == NULL) {
        return;
    }
    c = *cfg;
    *cfg = NULL;
    if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) != 0) {
        return;
    }
    for (i = 0; i < c->delegation_count; i++) {
        free(c->delegation[i].key);
        free(c->delegation[i].value);
    }
    for (i = 0; i < c->extended_protection_count; i++) {
        free(c->extended_protection[i].key);
        free(c->extended_protection[i].value);
    }
    free(c->delegation);
    free(c->extended_protection);
    free(c->file);
    free(c->certificate);
    free(c->key);
    free(c->priority);
    free(c->saved_credentials);
    free(c);
    *cfg = NULL;
}
