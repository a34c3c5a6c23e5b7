/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * credssp-policy(8): the administrator's view of the delegation policy
 * (MS-CSSP.md 6: 6.1 settings and registry layout, 6.2 SPN patterns, 6.3
 * evaluation, 6.5 AllowEncryptionOracle).
 *
 *   check       one request through credssp_policy_evaluate(), as the
 *               mechanism would decide it;
 *   show        the effective lists, OS defaults and concatenation applied;
 *   lint        every [delegation] problem as file:line: message;
 *   import-reg  a Windows registry export (reg export of the
 *               CredentialsDelegation and CredSSP\Parameters keys) as an
 *               equivalent [delegation] section.
 *
 * The configuration is read exactly as the mechanism reads it
 * (credssp_config_load() and credssp_config_policy()).  Exit codes: 0
 * allowed or clean, 1 denied, restricted or problems found, 2 usage,
 * configuration or input error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/utf16.h"
#include "mech/conf.h"
#include "policy/policy.h"

#define PROGRAM "credssp-policy"

/* Exit codes (credssp-policy(8)). */
#define EXIT_GOOD 0    /* allowed; no problem */
#define EXIT_REFUSED 1 /* denied or restricted; problems found */
#define EXIT_TROUBLE 2 /* usage, configuration or input error */

/* Largest registry export read. */
#define REG_MAX_SIZE (1024 * 1024)

#define REG_HEADER "Windows Registry Editor Version 5.00"
#define REG_HEADER4 "REGEDIT4"
#define KEY_DELEGATION                                                        \
    "SOFTWARE\\Policies\\Microsoft\\Windows\\CredentialsDelegation"
#define KEY_PARAMETERS                                                        \
    "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\"        \
    "CredSSP\\Parameters"

/* The command line of one command. */
struct options {
    const char *config;
    const char *target;
    const char *kind;
    const char *auth;
    const char *file; /* import-reg */
};

struct command {
    const char *name;
    const char *usage;
    const char *shortopts;
    const struct option *longopts;
    int (*run)(const struct options *o);
};

/* One lint finding; order keeps the parser's order within a line. */
struct lint_problem {
    struct credssp_policy_error err;
    size_t order;
};

/* Registry keys import-reg knows. */
enum reg_key {
    REG_KEY_NONE = 0,   /* before the first key */
    REG_KEY_OTHER,      /* skipped */
    REG_KEY_UNKNOWN,    /* skipped with a warning */
    REG_KEY_DELEGATION, /* ...\CredentialsDelegation */
    REG_KEY_LIST,       /* ...\CredentialsDelegation\<list> */
    REG_KEY_PARAMETERS  /* ...\CredSSP\Parameters */
};

enum reg_type {
    REG_TYPE_STRING,
    REG_TYPE_DWORD,
    REG_TYPE_DELETE,
    REG_TYPE_OTHER /* hex:, hex(n): */
};

/* One value line, decoded in place in the line's buffer. */
struct reg_value {
    const char *name; /* NULL for the default value "@" */
    enum reg_type type;
    const char *string;
    uint32_t dword;
    int continued; /* data goes on on the next line */
};

struct reg_entry {
    char *text;
    char *name;
    unsigned long number; /* name as a decimal; ULONG_MAX otherwise */
    unsigned int line;
};

/* What the export says about one list; -1: value absent. */
struct reg_list {
    int enable;
    unsigned int enable_line;
    int concatenate;
    unsigned int concatenate_line;
    struct reg_entry *entries;
    size_t count;
};

struct reg_import {
    const char *file;
    int header_seen;
    int continued;
    int key_seen; /* a key of ours was found */
    enum reg_key key;
    enum credssp_policy_list list; /* REG_KEY_LIST */
    struct reg_list lists[CREDSSP_POLICY_LIST_COUNT];
    int oracle;
    unsigned int oracle_line;
    int restricted;
    unsigned int restricted_line;
    int restricted_type;
    unsigned int restricted_type_line;
};

/* Reads the export line by line, decoding UTF-16LE or UTF-8. */
struct reg_reader {
    const char *file;
    const uint8_t *data;
    size_t len;
    size_t pos;
    int utf16;
    unsigned int line;
    struct credssp_buf text; /* the current line, NUL-terminated */
};

static void usage_error(const struct command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void report(FILE *f, const char *file, unsigned int line,
                   const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int reg_error(const struct reg_import *imp, unsigned int line,
                     const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reg_warning(const struct reg_import *imp, unsigned int line,
                        const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int parse_kind(const char *text, enum credssp_policy_kind *out);
static int parse_auth(const char *text, enum credssp_policy_auth *out);
static int load_config(const char *path, FILE *f,
                       struct credssp_config **out);
static int load_policy(const char *path, struct credssp_config **cfg,
                       struct credssp_policy **policy);
static int print_decision(const struct credssp_policy_info *info);
static int run_check(const struct options *o);
static const char *state_name(enum credssp_policy_list_state state);
static const char *oracle_name(int level);
static int show_list(const struct credssp_policy *policy,
                     enum credssp_policy_list list);
static int run_show(const struct options *o);
static void remove_entry(struct credssp_policy_entry *entries, size_t *n,
                         size_t index);
static size_t find_entry(const struct credssp_policy_entry *entries,
                         size_t n, unsigned int line);
static int compare_problems(const void *a, const void *b);
static int lint_entries(struct credssp_policy_entry *entries, size_t n,
                        unsigned int *problems);
static int run_lint(const struct options *o);
static int read_file(const char *path, uint8_t **out, size_t *len);
static int next_line(struct reg_reader *r);
static char *strip_line(char *text);
static const char *parse_quoted(char **p, const char **out);
static const char *parse_data(char *p, struct reg_value *v);
static const char *parse_value_line(char *text, struct reg_value *v);
static int find_list(const char *name, enum credssp_policy_list *out);
static int find_concatenate(const char *name, enum credssp_policy_list *out);
static enum reg_key classify_key(const char *path,
                                 enum credssp_policy_list *list);
static int take_key(struct reg_import *imp, unsigned int line, char *text);
static int take_dword(struct reg_import *imp, unsigned int line,
                      const struct reg_value *v, uint32_t max, int *field,
                      unsigned int *field_line);
static int take_delegation_value(struct reg_import *imp, unsigned int line,
                                 const struct reg_value *v);
static int take_list_value(struct reg_import *imp, unsigned int line,
                           const struct reg_value *v);
static int take_parameters_value(struct reg_import *imp, unsigned int line,
                                 const struct reg_value *v);
static int take_line(struct reg_import *imp, unsigned int line, char *text);
static int compare_entries(const void *a, const void *b);
static void emit_list(const struct reg_import *imp,
                      enum credssp_policy_list list);
static void emit_section(struct reg_import *imp);
static void free_import(struct reg_import *imp);
static int take_lines(struct reg_import *imp, struct reg_reader *r);
static int run_import(const struct options *o);
static const struct command *find_command(const char *name);
static const char *option_name(const struct command *cmd, int c);
static int parse_options(const struct command *cmd, int argc, char **argv,
                         struct options *o, int *help);

static const char usage_main[] =
    "Usage: " PROGRAM " COMMAND [OPTION]...\n"
    "Inspect and check the CredSSP delegation policy of gss-credssp.\n"
    "\n"
    "Commands:\n"
    "  check       decide one delegation as the mechanism would\n"
    "  show        print the effective delegation lists\n"
    "  lint        report every problem of the configuration file\n"
    "  import-reg  convert a Windows registry export into a [delegation]\n"
    "              section\n"
    "\n"
    "Run '" PROGRAM " COMMAND --help' for the options of a command.\n"
    "Without --config the configuration is $CREDSSP_CONFIG or\n"
    CREDSSP_CONFIG_DEFAULT_FILE ", as for the mechanism.\n"
    "Exit status: 0 allowed or clean, 1 denied, restricted or problems\n"
    "found, 2 usage, configuration or input error.  See credssp-policy(8).\n";

static const char usage_check[] =
    "Usage: " PROGRAM " check [--config FILE] --target SPN\n"
    "         --kind fresh|saved|default\n"
    "         --server-auth kerberos|certificate|ntlm\n"
    "Decide whether credentials of KIND may be delegated to SPN after the\n"
    "server was authenticated as given, and print one line:\n"
    "  allow: RULE matched PATTERN\n"
    "  deny: REASON\n"
    "  restricted: REASON\n"
    "\n"
    "  -c, --config FILE         read FILE instead of the default\n"
    "  -t, --target SPN          service/host[:port], e.g. TERMSRV/h.example\n"
    "  -k, --kind KIND           fresh, saved or default credentials\n"
    "  -a, --server-auth AUTH    kerberos, certificate or ntlm\n"
    "  -h, --help                print this help\n"
    "Exit status: 0 allowed, 1 denied or restricted, 2 error.\n";

static const char usage_show[] =
    "Usage: " PROGRAM " show [--config FILE]\n"
    "Print every delegation list as evaluation sees it (state, the\n"
    "ConcatenateDefaults flag, each pattern with its line or \"(OS "
    "default)\"),\n"
    "then AllowEncryptionOracle and RestrictedRemoteAdministration.\n"
    "\n"
    "  -c, --config FILE   read FILE instead of the default\n"
    "  -h, --help          print this help\n"
    "Exit status: 0, or 2 for a configuration error.\n";

static const char usage_lint[] =
    "Usage: " PROGRAM " lint [--config FILE]\n"
    "Check the configuration file and print each problem as\n"
    "FILE:LINE: MESSAGE.\n"
    "\n"
    "  -c, --config FILE   read FILE instead of the default\n"
    "  -h, --help          print this help\n"
    "Exit status: 0 clean, 1 problems found, 2 error.\n";

static const char usage_import[] =
    "Usage: " PROGRAM " import-reg FILE.reg\n"
    "Convert a Windows registry export of\n"
    "  HKLM\\" KEY_DELEGATION "\n"
    "(and HKLM\\" KEY_PARAMETERS ")\n"
    "into the equivalent [delegation] section on standard output.\n"
    "\n"
    "  -h, --help   print this help\n"
    "Exit status: 0, or 2 for malformed input (FILE:LINE: MESSAGE).\n";

static const struct option check_longopts[] = {
    { "config", required_argument, NULL, 'c' },
    { "target", required_argument, NULL, 't' },
    { "kind", required_argument, NULL, 'k' },
    { "server-auth", required_argument, NULL, 'a' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 }
};

static const struct option config_longopts[] = {
    { "config", required_argument, NULL, 'c' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 }
};

static const struct option help_longopts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 }
};

static const struct command commands[] = {
    { "check", usage_check, ":c:t:k:a:h", check_longopts, run_check },
    { "show", usage_show, ":c:h", config_longopts, run_show },
    { "lint", usage_lint, ":c:h", config_longopts, run_lint },
    { "import-reg", usage_import, ":h", help_longopts, run_import },
};

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

static void
usage_error(const struct command *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s%s%s: ", PROGRAM, cmd != NULL ? " " : "",
            cmd != NULL ? cmd->name : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s%s%s --help'.\n", PROGRAM,
            cmd != NULL ? " " : "", cmd != NULL ? cmd->name : "");
}

/* "file:line: text", or "file: text" when the line is unknown. */
static void
report(FILE *f, const char *file, unsigned int line, const char *fmt, ...)
{
    va_list ap;

    if (line > 0) {
        fprintf(f, "%s:%u: ", file, line);
    } else {
        fprintf(f, "%s: ", file);
    }
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

static int
reg_error(const struct reg_import *imp, unsigned int line, const char *fmt,
          ...)
{
    va_list ap;

    if (line > 0) {
        fprintf(stderr, "%s:%u: ", imp->file, line);
    } else {
        fprintf(stderr, "%s: ", imp->file);
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_TROUBLE;
}

static void
reg_warning(const struct reg_import *imp, unsigned int line, const char *fmt,
            ...)
{
    va_list ap;

    fprintf(stderr, "%s:%u: warning: ", imp->file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

static int
parse_kind(const char *text, enum credssp_policy_kind *out)
{
    if (!strcasecmp(text, "fresh")) {
        *out = CREDSSP_POLICY_KIND_FRESH;
    } else if (!strcasecmp(text, "saved")) {
        *out = CREDSSP_POLICY_KIND_SAVED;
    } else if (!strcasecmp(text, "default")) {
        *out = CREDSSP_POLICY_KIND_DEFAULT;
    } else {
        return -1;
    }
    return 0;
}

static int
parse_auth(const char *text, enum credssp_policy_auth *out)
{
    if (!strcasecmp(text, "kerberos")) {
        *out = CREDSSP_POLICY_AUTH_KERBEROS;
    } else if (!strcasecmp(text, "certificate")) {
        *out = CREDSSP_POLICY_AUTH_CERTIFICATE;
    } else if (!strcasecmp(text, "ntlm")) {
        *out = CREDSSP_POLICY_AUTH_NTLM;
    } else {
        return -1;
    }
    return 0;
}

/* Read path (NULL: CREDSSP_CONFIG or the default file, as the mechanism
 * does).  Returns 0, CREDSSP_ERR_CONFIG (reported to f) or ENOMEM
 * (reported to stderr). */
static int
load_config(const char *path, FILE *f, struct credssp_config **out)
{
    struct credssp_config_error err;
    int ret;

    if (path != NULL) {
        ret = credssp_config_load_file(path, out, &err);
    } else {
        ret = credssp_config_load(out, &err);
    }
    if (ret == ENOMEM) {
        fprintf(stderr, "%s: out of memory\n", PROGRAM);
    } else if (ret != 0) {
        report(f, err.file, err.line, "%s", err.text);
    }
    return ret;
}

/* The configuration and its policy; errors are printed.  0 or
 * EXIT_TROUBLE; on success the caller frees both. */
static int
load_policy(const char *path, struct credssp_config **cfg,
            struct credssp_policy **policy)
{
    struct credssp_policy_error err;
    int ret;

    if (load_config(path, stderr, cfg) != 0) {
        return EXIT_TROUBLE;
    }
    ret = credssp_config_policy(*cfg, policy, &err);
    if (ret == 0) {
        return 0;
    }
    if (ret == ENOMEM) {
        fprintf(stderr, "%s: out of memory\n", PROGRAM);
    } else {
        report(stderr, err.file, err.line, "%s", err.text);
    }
    credssp_config_free(cfg);
    return EXIT_TROUBLE;
}

/* ------------------------------------------------------------------ */
/* check                                                               */
/* ------------------------------------------------------------------ */

static int
print_decision(const struct credssp_policy_info *info)
{
    char reason[1024];

    if (info->decision == CREDSSP_POLICY_ALLOW) {
        printf("allow: %s matched %s", info->rule, info->pattern);
        if (info->os_default) {
            printf(" (OS default)\n");
        } else {
            printf(" (line %u)\n", info->line);
        }
        return EXIT_GOOD;
    }
    if (credssp_policy_info_string(info, reason, sizeof(reason)) != 0) {
        /* Cut short, which bounded targets and patterns never are. */
        reason[sizeof(reason) - 1] = '\0';
    }
    if (info->decision == CREDSSP_POLICY_DENY) {
        printf("deny: %s", reason);
    } else if (info->decision == CREDSSP_POLICY_RESTRICTED) {
        printf("restricted: %s", reason);
    } else {
        fprintf(stderr, "%s check: %s\n", PROGRAM, reason);
        return EXIT_TROUBLE;
    }
    if (info->line > 0) {
        printf(" (line %u)", info->line);
    }
    printf("\n");
    return EXIT_REFUSED;
}

static int
run_check(const struct options *o)
{
    const struct command *cmd = find_command("check");
    struct credssp_config *cfg = NULL;
    struct credssp_policy *policy = NULL;
    struct credssp_policy_request req;
    struct credssp_policy_info info;
    struct credssp_policy_spn spn;
    int ret;

    if (o->target == NULL || o->kind == NULL || o->auth == NULL) {
        usage_error(cmd, "--target, --kind and --server-auth are required");
        return EXIT_TROUBLE;
    }
    if (parse_kind(o->kind, &req.kind) != 0) {
        usage_error(cmd, "--kind must be fresh, saved or default, not '%s'",
                    o->kind);
        return EXIT_TROUBLE;
    }
    if (parse_auth(o->auth, &req.auth) != 0) {
        usage_error(cmd,
                    "--server-auth must be kerberos, certificate or ntlm, "
                    "not '%s'",
                    o->auth);
        return EXIT_TROUBLE;
    }
    if (credssp_policy_spn_parse_target(o->target, &spn) != 0) {
        usage_error(cmd,
                    "invalid target '%s': expected service/host[:port] "
                    "without wildcards",
                    o->target);
        return EXIT_TROUBLE;
    }
    req.target = o->target;

    ret = load_policy(o->config, &cfg, &policy);
    if (ret != 0) {
        goto done;
    }
    (void)credssp_policy_evaluate(policy, &req, &info);
    ret = print_decision(&info);

done:
    credssp_policy_free(&policy);
    credssp_config_free(&cfg);
    return ret;
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

static const char *
state_name(enum credssp_policy_list_state state)
{
    switch (state) {
    case CREDSSP_POLICY_NOT_CONFIGURED:
        return "not configured";
    case CREDSSP_POLICY_DISABLED:
        return "disabled";
    case CREDSSP_POLICY_ENABLED:
        return "configured";
    }
    return "?";
}

static const char *
oracle_name(int level)
{
    static const char *const names[] = { "Force Updated Clients",
                                         "Mitigated", "Vulnerable" };

    return level >= 0 && level <= 2 ? names[level] : "?";
}

static int
show_list(const struct credssp_policy *policy, enum credssp_policy_list list)
{
    struct credssp_policy_list_info li;
    struct credssp_policy_list_item item;
    size_t i;

    if (credssp_policy_list_describe(policy, list, &li) != 0) {
        return EXIT_TROUBLE;
    }
    printf("%s: %s, concatenate %d", li.name, state_name(li.state),
           li.concatenate);
    if (li.concatenate_set) {
        printf(" (line %u)\n", policy->lists[list].concatenate_line);
    } else {
        printf(" (default)\n");
    }
    if (li.count == 0) {
        printf("    (empty)\n");
    }
    for (i = 0; i < li.count; i++) {
        if (credssp_policy_list_item(policy, list, i, &item) != 0) {
            return EXIT_TROUBLE;
        }
        if (item.os_default) {
            printf("    %s (OS default)\n", item.pattern);
        } else {
            printf("    %s (line %u)\n", item.pattern, item.line);
        }
    }
    return 0;
}

static int
run_show(const struct options *o)
{
    struct credssp_config *cfg = NULL;
    struct credssp_policy *policy = NULL;
    size_t i;
    int ret, level;

    ret = load_policy(o->config, &cfg, &policy);
    if (ret != 0) {
        goto done;
    }
    printf("configuration: %s%s\n", cfg->file,
           cfg->present ? "" : " (not present: OS defaults)");
    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT && ret == 0; i++) {
        ret = show_list(policy, (enum credssp_policy_list)i);
    }
    if (ret != 0) {
        goto done;
    }
    level = credssp_policy_encryption_oracle(policy);
    printf("AllowEncryptionOracle: %d %s", level, oracle_name(level));
    if (policy->encryption_oracle_set) {
        printf(" (line %u)\n", policy->encryption_oracle_line);
    } else {
        printf(" (default)\n");
    }
    printf("RestrictedRemoteAdministration: %d",
           credssp_policy_restricted_admin(policy));
    if (policy->restricted_admin_set) {
        printf(" (line %u)\n", policy->restricted_admin_line);
    } else {
        printf(" (default)\n");
    }

done:
    credssp_policy_free(&policy);
    credssp_config_free(&cfg);
    return ret;
}

/* ------------------------------------------------------------------ */
/* lint                                                                */
/* ------------------------------------------------------------------ */

static void
remove_entry(struct credssp_policy_entry *entries, size_t *n, size_t index)
{
    memmove(&entries[index], &entries[index + 1],
            (*n - index - 1) * sizeof(*entries));
    (*n)--;
}

/* Index of the relation on line, or n when none is (line 0: unknown). */
static size_t
find_entry(const struct credssp_policy_entry *entries, size_t n,
           unsigned int line)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (line != 0 && entries[i].line == line) {
            return i;
        }
    }
    return n;
}

/* By line, then in the order found. */
static int
compare_problems(const void *a, const void *b)
{
    const struct lint_problem *x = a, *y = b;

    if (x->err.line != y->err.line) {
        return x->err.line < y->err.line ? -1 : 1;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * The parser stops at the first error: record it, drop the relation it
 * names and parse again, so every bad relation is found once; stop when
 * an error names no relation.  Prints the problems by line to stdout and
 * counts them.  0, or ENOMEM.
 */
static int
lint_entries(struct credssp_policy_entry *entries, size_t n,
             unsigned int *problems)
{
    struct credssp_policy *policy = NULL;
    struct lint_problem *found = NULL, *grown;
    struct credssp_policy_error err;
    size_t i, count = 0;
    int ret;

    for (;;) {
        ret = credssp_policy_parse(entries, n, &policy, &err);
        if (ret == 0 || ret == ENOMEM) {
            break;
        }
        grown = realloc(found, (count + 1) * sizeof(*found));
        if (grown == NULL) {
            ret = ENOMEM;
            break;
        }
        found = grown;
        found[count].err = err;
        found[count].order = count;
        count++;
        i = find_entry(entries, n, err.line);
        if (i == n) {
            ret = 0;
            break;
        }
        remove_entry(entries, &n, i);
    }
    if (count > 1) {
        qsort(found, count, sizeof(*found), compare_problems);
    }
    for (i = 0; i < count; i++) {
        report(stdout, found[i].err.file, found[i].err.line, "%s",
               found[i].err.text);
    }
    *problems = (unsigned int)count;
    credssp_policy_free(&policy);
    free(found);
    return ret;
}

static int
run_lint(const struct options *o)
{
    struct credssp_config *cfg = NULL;
    struct credssp_policy_entry *entries = NULL;
    unsigned int problems = 0;
    int ret;

    ret = load_config(o->config, stdout, &cfg);
    if (ret != 0) {
        ret = ret == ENOMEM ? EXIT_TROUBLE : EXIT_REFUSED;
        goto done;
    }
    if (!cfg->present) {
        fprintf(stderr, "%s: not present; the defaults apply\n", cfg->file);
        ret = EXIT_GOOD;
        goto done;
    }
    if (credssp_config_policy_entries(cfg, &entries) != 0 ||
        lint_entries(entries, cfg->delegation_count, &problems) != 0) {
        fprintf(stderr, "%s: out of memory\n", PROGRAM);
        ret = EXIT_TROUBLE;
        goto done;
    }
    ret = problems == 0 ? EXIT_GOOD : EXIT_REFUSED;

done:
    free(entries);
    credssp_config_free(&cfg);
    return ret;
}

/* ------------------------------------------------------------------ */
/* import-reg: reading the export                                      */
/* ------------------------------------------------------------------ */

/* The whole file; 0 or an errno value (EFBIG above REG_MAX_SIZE). */
static int
read_file(const char *path, uint8_t **out, size_t *len)
{
    struct stat st;
    uint8_t *data = NULL;
    FILE *f;
    int ret;

    f = fopen(path, "rbe");
    if (f == NULL) {
        return errno;
    }
    if (fstat(fileno(f), &st) != 0) {
        ret = errno;
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        ret = EINVAL;
        goto done;
    }
    if (st.st_size > REG_MAX_SIZE) {
        ret = EFBIG;
        goto done;
    }
    data = malloc((size_t)st.st_size + 1);
    if (data == NULL) {
        ret = ENOMEM;
        goto done;
    }
    *len = fread(data, 1, (size_t)st.st_size, f);
    if (ferror(f)) {
        ret = EIO;
        goto done;
    }
    *out = data;
    data = NULL;
    ret = 0;

done:
    free(data);
    fclose(f);
    return ret;
}

/*
 * The next line (without its LF) as NUL-terminated UTF-8 in r->text.
 * Each line is decoded on its own, so a decoding error has a line number.
 * Returns 1, 0 at the end, or -1 after printing the error.
 */
static int
next_line(struct reg_reader *r)
{
    struct credssp_buf check = { NULL, 0 };
    const uint8_t *lf;
    size_t start = r->pos, end;
    int ret;

    credssp_buf_free(&r->text);
    if (r->pos >= r->len) {
        return 0;
    }
    r->line++;
    if (r->utf16) {
        for (end = start; end + 1 < r->len; end += 2) {
            if (r->data[end] == '\n' && r->data[end + 1] == 0) {
                break;
            }
        }
        if (end + 1 >= r->len) {
            end = r->len;
        }
        r->pos = end < r->len ? end + 2 : r->len;
        ret = credssp_utf16le_to_utf8(r->data + start, end - start, 0,
                                      &r->text);
    } else {
        lf = memchr(r->data + start, '\n', r->len - start);
        end = lf != NULL ? (size_t)(lf - r->data) : r->len;
        r->pos = lf != NULL ? end + 1 : r->len;
        ret = 0;
        if (end > start) {
            ret = memchr(r->data + start, 0, end - start) != NULL
                      ? CREDSSP_ERR_UTF8
                      : credssp_utf8_to_utf16le((const char *)r->data + start,
                                                end - start, 0, &check);
            credssp_buf_free(&check);
        }
        if (ret == 0) {
            r->text.data = malloc(end - start + 1);
            if (r->text.data == NULL) {
                ret = ENOMEM;
            } else {
                memcpy(r->text.data, r->data + start, end - start);
                r->text.data[end - start] = '\0';
                r->text.len = end - start;
            }
        }
    }
    if (ret == ENOMEM) {
        fprintf(stderr, "%s: out of memory\n", PROGRAM);
        return -1;
    }
    if (ret != 0) {
        report(stderr, r->file, r->line, "invalid %s text",
               r->utf16 ? "UTF-16LE" : "UTF-8");
        return -1;
    }
    return 1;
}

/* Without leading blanks and trailing blanks or CR. */
static char *
strip_line(char *text)
{
    size_t n;

    while (*text == ' ' || *text == '\t') {
        text++;
    }
    n = strlen(text);
    while (n > 0 && (text[n - 1] == '\r' || text[n - 1] == ' ' ||
                     text[n - 1] == '\t')) {
        text[--n] = '\0';
    }
    return text;
}

/* A "quoted" string at *p with the .reg escapes \\ and \", decoded in
 * place; *p moves past the closing quote.  NULL, or what is wrong. */
static const char *
parse_quoted(char **p, const char **out)
{
    char *r = *p + 1, *w = *p;

    *out = w;
    for (;;) {
        if (*r == '\0') {
            return "unterminated string";
        }
        if (*r == '"') {
            *w = '\0';
            *p = r + 1;
            return NULL;
        }
        if (*r == '\\') {
            if (r[1] != '\\' && r[1] != '"') {
                return "invalid escape in a string (only \\\\ and \\\")";
            }
            r++;
        }
        *w++ = *r++;
    }
}

/* The data after "=".  NULL, or what is wrong. */
static const char *
parse_data(char *p, struct reg_value *v)
{
    const char *err;
    size_t n;

    if (*p == '"') {
        v->type = REG_TYPE_STRING;
        err = parse_quoted(&p, &v->string);
        if (err == NULL && *p != '\0') {
            err = "text after the closing quote";
        }
        return err;
    }
    if (strcmp(p, "-") == 0) {
        v->type = REG_TYPE_DELETE;
        return NULL;
    }
    if (strncasecmp(p, "dword:", 6) == 0) {
        p += 6;
        n = strspn(p, "0123456789abcdefABCDEF");
        if (n == 0 || n > 8 || p[n] != '\0') {
            return "a DWORD needs 1 to 8 hexadecimal digits";
        }
        v->type = REG_TYPE_DWORD;
        v->dword = (uint32_t)strtoul(p, NULL, 16);
        return NULL;
    }
    if (strncasecmp(p, "hex:", 4) == 0 || strncasecmp(p, "hex(", 4) == 0) {
        p = strchr(p, ':');
        if (p == NULL) {
            return "invalid hexadecimal value data";
        }
        p++;
        if (p[strspn(p, "0123456789abcdefABCDEF, \\")] != '\0') {
            return "invalid hexadecimal value data";
        }
        v->type = REG_TYPE_OTHER;
        n = strlen(p);
        v->continued = n > 0 && p[n - 1] == '\\';
        return NULL;
    }
    return "unknown value data (expected \"text\", dword: or hex:)";
}

/* "name"=data or @=data, decoded in place.  NULL, or what is wrong. */
static const char *
parse_value_line(char *text, struct reg_value *v)
{
    const char *err;
    char *p = text;

    memset(v, 0, sizeof(*v));
    if (*p == '@') {
        v->name = NULL;
        p++;
    } else {
        err = parse_quoted(&p, &v->name);
        if (err != NULL) {
            return err;
        }
    }
    if (*p != '=') {
        return "expected '=' after the value name";
    }
    return parse_data(p + 1, v);
}

static int
find_list(const char *name, enum credssp_policy_list *out)
{
    size_t i;

    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT; i++) {
        if (strcasecmp(name, credssp_policy_list_name(
                                 (enum credssp_policy_list)i)) == 0) {
            *out = (enum credssp_policy_list)i;
            return 1;
        }
    }
    return 0;
}

static int
find_concatenate(const char *name, enum credssp_policy_list *out)
{
    size_t i;

    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT; i++) {
        if (strcasecmp(name, credssp_policy_concatenate_name(
                                 (enum credssp_policy_list)i)) == 0) {
            *out = (enum credssp_policy_list)i;
            return 1;
        }
    }
    return 0;
}

/* Which key a [path] is; registry names ignore ASCII case. */
static enum reg_key
classify_key(const char *path, enum credssp_policy_list *list)
{
    size_t n = strlen(KEY_DELEGATION);

    if (strncasecmp(path, "HKEY_LOCAL_MACHINE\\", 19) == 0) {
        path += 19;
    } else if (strncasecmp(path, "HKLM\\", 5) == 0) {
        path += 5;
    } else {
        return REG_KEY_OTHER;
    }
    if (strcasecmp(path, KEY_PARAMETERS) == 0) {
        return REG_KEY_PARAMETERS;
    }
    if (strncasecmp(path, KEY_DELEGATION, n) != 0) {
        return REG_KEY_OTHER;
    }
    if (path[n] == '\0') {
        return REG_KEY_DELEGATION;
    }
    if (path[n] != '\\') {
        return REG_KEY_OTHER;
    }
    return find_list(path + n + 1, list) ? REG_KEY_LIST : REG_KEY_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* import-reg: taking the values                                       */
/* ------------------------------------------------------------------ */

static int
take_key(struct reg_import *imp, unsigned int line, char *text)
{
    size_t n = strlen(text);

    if (n < 3 || text[n - 1] != ']') {
        return reg_error(imp, line, "malformed key line");
    }
    if (text[1] == '-') {
        return reg_error(imp, line, "key deletions are not supported");
    }
    text[n - 1] = '\0';
    imp->key = classify_key(text + 1, &imp->list);
    if (imp->key == REG_KEY_UNKNOWN) {
        reg_warning(imp, line, "unknown key %s ignored", text + 1);
    } else if (imp->key != REG_KEY_OTHER) {
        imp->key_seen = 1;
    }
    return 0;
}

static int
take_dword(struct reg_import *imp, unsigned int line,
           const struct reg_value *v, uint32_t max, int *field,
           unsigned int *field_line)
{
    if (v->type != REG_TYPE_DWORD) {
        return reg_error(imp, line, "%s must be a DWORD", v->name);
    }
    if (v->dword > max) {
        return reg_error(imp, line, "%s must be 0 to %u, not %lu", v->name,
                         (unsigned int)max, (unsigned long)v->dword);
    }
    if (*field >= 0) {
        return reg_error(imp, line, "%s is set twice (first on line %u)",
                         v->name, *field_line);
    }
    *field = (int)v->dword;
    *field_line = line;
    return 0;
}

static int
take_delegation_value(struct reg_import *imp, unsigned int line,
                      const struct reg_value *v)
{
    enum credssp_policy_list l;

    if (v->name == NULL) {
        reg_warning(imp, line, "default value ignored");
        return 0;
    }
    if (find_list(v->name, &l)) {
        return take_dword(imp, line, v, 1, &imp->lists[l].enable,
                          &imp->lists[l].enable_line);
    }
    if (find_concatenate(v->name, &l)) {
        return take_dword(imp, line, v, 1, &imp->lists[l].concatenate,
                          &imp->lists[l].concatenate_line);
    }
    if (strcasecmp(v->name, "RestrictedRemoteAdministration") == 0) {
        return take_dword(imp, line, v, 1, &imp->restricted,
                          &imp->restricted_line);
    }
    if (strcasecmp(v->name, "RestrictedRemoteAdministrationType") == 0) {
        return take_dword(imp, line, v, 3, &imp->restricted_type,
                          &imp->restricted_type_line);
    }
    reg_warning(imp, line, "%s is not a setting of gss-credssp; ignored",
                v->name);
    return 0;
}

static int
take_list_value(struct reg_import *imp, unsigned int line,
                const struct reg_value *v)
{
    struct reg_list *l = &imp->lists[imp->list];
    const char *list = credssp_policy_list_name(imp->list);
    struct credssp_policy_spn spn;
    struct reg_entry *grown, *e;
    size_t i;

    if (v->name == NULL) {
        reg_warning(imp, line, "default value of %s ignored", list);
        return 0;
    }
    if (v->type != REG_TYPE_STRING) {
        return reg_error(imp, line, "%s entry \"%s\" must be a string",
                         list, v->name);
    }
    for (i = 0; i < l->count; i++) {
        if (strcasecmp(l->entries[i].name, v->name) == 0) {
            return reg_error(imp, line,
                             "%s entry \"%s\" is set twice (first on line "
                             "%u)",
                             list, v->name, l->entries[i].line);
        }
    }
    if (v->string[0] == '\0') {
        reg_warning(imp, line, "empty %s entry \"%s\" ignored", list,
                    v->name);
        return 0;
    }
    if (credssp_policy_spn_parse_pattern(v->string, &spn) != 0) {
        return reg_error(imp, line, "%s entry \"%s\": invalid SPN pattern "
                         "\"%s\"", list, v->name, v->string);
    }
    grown = realloc(l->entries, (l->count + 1) * sizeof(*l->entries));
    if (grown == NULL) {
        return reg_error(imp, 0, "out of memory");
    }
    l->entries = grown;
    e = &grown[l->count];
    e->text = strdup(v->string);
    e->name = strdup(v->name);
    e->line = line;
    e->number = ULONG_MAX;
    if (e->text == NULL || e->name == NULL) {
        free(e->text);
        free(e->name);
        return reg_error(imp, 0, "out of memory");
    }
    if (v->name[0] >= '1' && v->name[0] <= '9' &&
        strspn(v->name, "0123456789") == strlen(v->name) &&
        strlen(v->name) <= 9) {
        e->number = strtoul(v->name, NULL, 10);
    }
    l->count++;
    return 0;
}

static int
take_parameters_value(struct reg_import *imp, unsigned int line,
                      const struct reg_value *v)
{
    if (v->name != NULL && strcasecmp(v->name, "AllowEncryptionOracle") == 0) {
        return take_dword(imp, line, v, 2, &imp->oracle, &imp->oracle_line);
    }
    reg_warning(imp, line, "%s is not a setting of gss-credssp; ignored",
                v->name != NULL ? v->name : "the default value");
    return 0;
}

/* One line of the export.  0, or EXIT_TROUBLE after printing why. */
static int
take_line(struct reg_import *imp, unsigned int line, char *text)
{
    struct reg_value v;
    const char *err;
    size_t n;

    text = strip_line(text);
    /* Exports joined with copy /b: a second byte-order mark and header. */
    if (strncmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
    }
    if (imp->header_seen && !imp->continued &&
        (strcmp(text, REG_HEADER) == 0 || strcmp(text, REG_HEADER4) == 0)) {
        return 0;
    }
    if (!imp->header_seen) {
        if (strcmp(text, REG_HEADER) != 0 && strcmp(text, REG_HEADER4) != 0) {
            return reg_error(imp, line, "not a registry export: expected "
                             "\"" REG_HEADER "\"");
        }
        imp->header_seen = 1;
        return 0;
    }
    if (imp->continued) {
        n = strlen(text);
        if (text[strspn(text, "0123456789abcdefABCDEF, \\")] != '\0') {
            return reg_error(imp, line, "invalid hexadecimal value data");
        }
        imp->continued = n > 0 && text[n - 1] == '\\';
        return 0;
    }
    if (*text == '\0' || *text == ';') {
        return 0;
    }
    if (*text == '[') {
        return take_key(imp, line, text);
    }
    if (*text != '"' && *text != '@') {
        return reg_error(imp, line, "expected a [key] or a \"name\"=value "
                         "line");
    }
    err = parse_value_line(text, &v);
    if (err != NULL) {
        return reg_error(imp, line, "%s", err);
    }
    imp->continued = v.continued;
    if (imp->key == REG_KEY_NONE) {
        return reg_error(imp, line, "value before the first key");
    }
    if (imp->key == REG_KEY_OTHER || imp->key == REG_KEY_UNKNOWN) {
        return 0;
    }
    if (v.type == REG_TYPE_DELETE) {
        return reg_error(imp, line, "value deletions are not supported");
    }
    if (imp->key == REG_KEY_DELEGATION) {
        return take_delegation_value(imp, line, &v);
    }
    if (imp->key == REG_KEY_LIST) {
        return take_list_value(imp, line, &v);
    }
    return take_parameters_value(imp, line, &v);
}

/* ------------------------------------------------------------------ */
/* import-reg: writing the section                                     */
/* ------------------------------------------------------------------ */

/* Numbered entries ("1", "2", ...) by number, the others after them;
 * ties in file order. */
static int
compare_entries(const void *a, const void *b)
{
    const struct reg_entry *x = a, *y = b;

    if (x->number != y->number) {
        return x->number < y->number ? -1 : 1;
    }
    return x->line < y->line ? -1 : x->line > y->line;
}

static void
emit_list(const struct reg_import *imp, enum credssp_policy_list list)
{
    const struct reg_list *l = &imp->lists[list];
    const char *name = credssp_policy_list_name(list);
    struct credssp_policy_list_info os;
    size_t i;

    if (l->enable < 0) {
        return; /* not configured */
    }
    if (l->enable == 0) {
        printf("    %s = \"\"\n", name);
        return;
    }
    if (l->count == 0) {
        if (credssp_policy_list_describe(NULL, list, &os) == 0 &&
            os.count > 0 && l->concatenate != 0) {
            printf("# %s: enabled without entries, so only the OS default "
                   "applies\n",
                   name);
            return;
        }
        printf("# %s: enabled without entries\n", name);
        printf("    %s = \"\"\n", name);
        return;
    }
    for (i = 0; i < l->count; i++) {
        printf("    %s = %s\n", name, l->entries[i].text);
    }
    if (l->concatenate >= 0) {
        printf("    %s = %d\n", credssp_policy_concatenate_name(list),
               l->concatenate);
    }
}

static void
emit_section(struct reg_import *imp)
{
    struct reg_list *l;
    size_t i;

    printf("# Converted from a Windows registry export by " PROGRAM
           " import-reg.\n[delegation]\n");
    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT; i++) {
        l = &imp->lists[i];
        if (l->count > 1) {
            qsort(l->entries, l->count, sizeof(*l->entries),
                  compare_entries);
        }
        if (l->count > 0 && l->enable != 1) {
            reg_warning(imp, l->entries[0].line,
                        "%s entries ignored: the setting is %s",
                        credssp_policy_list_name((enum credssp_policy_list)i),
                        l->enable == 0 ? "disabled" : "not enabled");
        }
        emit_list(imp, (enum credssp_policy_list)i);
    }
    if (imp->oracle >= 0) {
        printf("    AllowEncryptionOracle = %d\n", imp->oracle);
    }
    if (imp->restricted >= 0) {
        printf("    RestrictedRemoteAdministration = %d\n", imp->restricted);
    }
    if (imp->restricted == 1 && imp->restricted_type >= 2) {
        reg_warning(imp, imp->restricted_type_line,
                    "RestrictedRemoteAdministrationType %d (Remote "
                    "Credential Guard) is not supported; gss-credssp sends "
                    "empty credentials (Restricted Admin)",
                    imp->restricted_type);
    }
}

static void
free_import(struct reg_import *imp)
{
    size_t i, j;

    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT; i++) {
        for (j = 0; j < imp->lists[i].count; j++) {
            free(imp->lists[i].entries[j].text);
            free(imp->lists[i].entries[j].name);
        }
        free(imp->lists[i].entries);
        imp->lists[i].entries = NULL;
        imp->lists[i].count = 0;
    }
}

/* Every line of r; then the export must have been complete and have had
 * one of our keys.  0, or EXIT_TROUBLE after printing why. */
static int
take_lines(struct reg_import *imp, struct reg_reader *r)
{
    int ret;

    while ((ret = next_line(r)) > 0) {
        ret = take_line(imp, r->line, (char *)r->text.data);
        if (ret != 0) {
            return ret;
        }
    }
    if (ret < 0) {
        return EXIT_TROUBLE;
    }
    if (!imp->header_seen) {
        return reg_error(imp, 0, "empty file");
    }
    if (imp->continued) {
        return reg_error(imp, r->line, "value data continues past the end");
    }
    if (!imp->key_seen) {
        return reg_error(imp, 0, "no key HKEY_LOCAL_MACHINE\\%s or "
                         "HKEY_LOCAL_MACHINE\\%s", KEY_DELEGATION,
                         KEY_PARAMETERS);
    }
    return 0;
}

static int
run_import(const struct options *o)
{
    struct reg_import imp;
    struct reg_reader r;
    uint8_t *data = NULL;
    size_t len = 0, i;
    int ret;

    memset(&imp, 0, sizeof(imp));
    memset(&r, 0, sizeof(r));
    imp.file = o->file;
    imp.oracle = imp.restricted = imp.restricted_type = -1;
    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT; i++) {
        imp.lists[i].enable = imp.lists[i].concatenate = -1;
    }
    ret = read_file(o->file, &data, &len);
    if (ret != 0) {
        ret = reg_error(&imp, 0, "%s",
                        ret == EINVAL  ? "not a regular file"
                        : ret == EFBIG ? "larger than 1 MiB"
                                       : strerror(ret));
        goto done;
    }

    /* Step 1: the encoding, from the byte-order mark. */
    r.file = o->file;
    r.data = data;
    r.len = len;
    if (len >= 2 && data[0] == 0xff && data[1] == 0xfe) {
        r.utf16 = 1;
        r.pos = 2;
    } else if (len >= 3 && data[0] == 0xef && data[1] == 0xbb &&
               data[2] == 0xbf) {
        r.pos = 3;
    }

    /* Step 2: every line, in order; the first error stops. */
    ret = take_lines(&imp, &r);
    if (ret != 0) {
        goto done;
    }

    /* Step 3: the section, in the list order of policy.h. */
    emit_section(&imp);
    ret = EXIT_GOOD;

done:
    credssp_buf_free(&r.text);
    free_import(&imp);
    free(data);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static const struct command *
find_command(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
        if (strcmp(commands[i].name, name) == 0) {
            return &commands[i];
        }
    }
    return NULL;
}

/* "--config" for 'c'. */
static const char *
option_name(const struct command *cmd, int c)
{
    const struct option *opt;

    for (opt = cmd->longopts; opt->name != NULL; opt++) {
        if (opt->val == c) {
            return opt->name;
        }
    }
    return "?";
}

/* argv[0] is the command.  0, or -1 after a usage message. */
static int
parse_options(const struct command *cmd, int argc, char **argv,
              struct options *o, int *help)
{
    const char **slot;
    int c;

    memset(o, 0, sizeof(*o));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, cmd->shortopts, cmd->longopts,
                            NULL)) != -1) {
        switch (c) {
        case 'c':
            slot = &o->config;
            break;
        case 't':
            slot = &o->target;
            break;
        case 'k':
            slot = &o->kind;
            break;
        case 'a':
            slot = &o->auth;
            break;
        case 'h':
            *help = 1;
            continue;
        case ':':
            usage_error(cmd, "option '--%s' needs an argument",
                        option_name(cmd, optopt));
            return -1;
        default:
            if (optopt != 0) {
                usage_error(cmd, "unknown option '-%c'", optopt);
            } else {
                usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
            }
            return -1;
        }
        if (*slot != NULL) {
            usage_error(cmd, "option '--%s' given twice",
                        option_name(cmd, c));
            return -1;
        }
        if (*optarg == '\0') {
            usage_error(cmd, "option '--%s' needs a non-empty argument",
                        option_name(cmd, c));
            return -1;
        }
        *slot = optarg;
    }
    if (*help) {
        return 0;
    }
    if (cmd->run == run_import && optind == argc - 1) {
        o->file = argv[optind];
        return 0;
    }
    if (cmd->run == run_import) {
        usage_error(cmd, "expected one FILE.reg");
        return -1;
    }
    if (optind < argc) {
        usage_error(cmd, "unexpected argument '%s'", argv[optind]);
        return -1;
    }
    return 0;
}

/*
 * credssp-policy COMMAND [OPTION]...: parse the command line, run the
 * command, and make sure what it printed reached standard output.
 */
int
main(int argc, char **argv)
{
    const struct command *cmd;
    struct options o;
    int help = 0, ret;

    if (argc < 2) {
        usage_error(NULL, "missing command");
        return EXIT_TROUBLE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage_main, stdout);
        return EXIT_GOOD;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("%s %s\n", PROGRAM, PACKAGE_VERSION);
        return EXIT_GOOD;
    }
    cmd = find_command(argv[1]);
    if (cmd == NULL) {
        usage_error(NULL, "unknown command '%s'", argv[1]);
        return EXIT_TROUBLE;
    }
    if (parse_options(cmd, argc - 1, argv + 1, &o, &help) != 0) {
        return EXIT_TROUBLE;
    }
    if (help) {
        fputs(cmd->usage, stdout);
        ret = EXIT_GOOD;
    } else {
        ret = cmd->run(&o);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write the output\n", PROGRAM);
        return EXIT_TROUBLE;
    }
    return ret;
}
