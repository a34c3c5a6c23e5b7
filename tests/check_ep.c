/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Extended protection (DESIGN.md 4.7, MS-CSSP.md 7): the pure policy
 * engine (policy/ep.h), the flattened-bindings known answers of MS-CSSP.md
 * section 8, and end to end through the real mechglue against the
 * throwaway realm: the application's bindings carried by the inner
 * Kerberos and NTLM contexts, the acceptor policy matrix, the inner binding
 * to the CredSSP TLS channel, and the channel-binding inquiries.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "include/gssapi/gssapi_credssp.h"
#include "policy/ep.h"
#include "tests/realm.h"

#define TCASE_TIMEOUT 300
/* A CredSSP exchange takes at most 9 tokens; more means a loop. */
#define MAX_LEGS 16
#define PREFIX_EP "tls-server-end-point:"
#define PREFIX_EP_LEN 21

struct exchange {
    OM_uint32 init_major, init_minor;
    OM_uint32 accept_major, accept_minor;
    gss_ctx_id_t ictx, actx;
    gss_name_t src;
    gss_cred_id_t deleg;
    OM_uint32 init_flags, accept_flags;
};

/* The application's channel bindings in the end-to-end tests. */
enum cb_mode {
    CB_ABSENT, /* the client passes none, the acceptor its own */
    CB_RIGHT,  /* both pass the acceptor's */
    CB_WRONG,  /* the client passes another channel's */
    CB_NOCHAN  /* neither has a channel */
};

enum inner_kind { KRB5, NTLM };
enum names_mode { N_UNSET, N_TARGET, N_OTHER };
enum outcome {
    OK,     /* both complete, not channel-bound */
    BOUND,  /* both complete, the acceptor reports CHANNEL_BOUND */
    DENIED  /* the acceptor refuses with the minor code */
};

static void hex_decode(const char *hex, uint8_t *out, size_t len);
static void put_le32(uint8_t *out, size_t *off, uint32_t v);
static void put_buffer(uint8_t *out, size_t max, size_t *off,
                       const gss_buffer_desc *b);
static void flatten(const struct gss_channel_bindings_struct *cb,
                    uint8_t *out, size_t max, size_t *len);
static void md5_hex_eq(const uint8_t *data, size_t len, const char *hex);
static void make_bindings(struct gss_channel_bindings_struct *cb,
                          uint8_t *data, uint8_t fill);
static gss_name_t import_name(const char *text, gss_OID type);
static gss_cred_id_t acquire(gss_cred_usage_t usage,
                             const gss_key_value_element_desc *kv, size_t n,
                             OM_uint32 *major, OM_uint32 *minor);
static gss_cred_id_t initiator(enum inner_kind inner, const char *inner_cb,
                               OM_uint32 *major, OM_uint32 *minor);
static void run_exchange(gss_cred_id_t icred, gss_cred_id_t acred,
                         gss_channel_bindings_t icb,
                         gss_channel_bindings_t acb, struct exchange *x);
static void free_exchange(struct exchange *x);
static size_t inquire(gss_ctx_id_t ctx, unsigned char which, uint8_t *out,
                      size_t max);
static char *status_text(OM_uint32 minor);
static Suite *ep_suite(void);

static void
hex_decode(const char *hex, uint8_t *out, size_t len)
{
    size_t i;
    unsigned int b;

    ck_assert_uint_eq(strlen(hex), 2 * len);
    for (i = 0; i < len; i++) {
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &b), 1);
        out[i] = (uint8_t)b;
    }
}

static void
put_le32(uint8_t *out, size_t *off, uint32_t v)
{
    out[(*off)++] = (uint8_t)v;
    out[(*off)++] = (uint8_t)(v >> 8);
    out[(*off)++] = (uint8_t)(v >> 16);
    out[(*off)++] = (uint8_t)(v >> 24);
}

static void
put_buffer(uint8_t *out, size_t max, size_t *off, const gss_buffer_desc *b)
{
    put_le32(out, off, (uint32_t)b->length);
    ck_assert_uint_le(b->length, max - *off);
    if (b->length > 0) {
        memcpy(out + *off, b->value, b->length);
    }
    *off += b->length;
}

/* The flattened form of RFC 4121 4.1.1.2 (MS-CSSP.md 7.2). */
static void
flatten(const struct gss_channel_bindings_struct *cb, uint8_t *out,
        size_t max, size_t *len)
{
    size_t off = 0;

    ck_assert_uint_ge(max, 20);
    put_le32(out, &off, cb->initiator_addrtype);
    put_buffer(out, max - 4, &off, &cb->initiator_address);
    put_le32(out, &off, cb->acceptor_addrtype);
    put_buffer(out, max - 4, &off, &cb->acceptor_address);
    put_buffer(out, max, &off, &cb->application_data);
    *len = off;
}

static void
md5_hex_eq(const uint8_t *data, size_t len, const char *hex)
{
    uint8_t digest[16], want[16];

    hex_decode(hex, want, 16);
    ck_assert_int_eq(gnutls_hash_fast(GNUTLS_DIG_MD5, data, len, digest), 0);
    ck_assert_mem_eq(digest, want, 16);
}

/* "tls-server-end-point:" and 32 bytes of fill, no addresses. */
static void
make_bindings(struct gss_channel_bindings_struct *cb, uint8_t *data,
              uint8_t fill)
{
    memset(cb, 0, sizeof(*cb));
    memcpy(data, PREFIX_EP, PREFIX_EP_LEN);
    memset(data + PREFIX_EP_LEN, fill, 32);
    cb->application_data.value = data;
    cb->application_data.length = PREFIX_EP_LEN + 32;
}

static gss_name_t
import_name(const char *text, gss_OID type)
{
    gss_buffer_desc buf;
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 major, minor;

    buf.value = (void *)(uintptr_t)text;
    buf.length = strlen(text);
    major = gss_import_name(&minor, &buf, type, &name);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    return name;
}

static gss_cred_id_t
acquire(gss_cred_usage_t usage, const gss_key_value_element_desc *kv,
        size_t n, OM_uint32 *major, OM_uint32 *minor)
{
    gss_key_value_set_desc store;
    gss_OID_set_desc mechs = { 1, GSS_CREDSSP_MECH_OID };
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;

    store.count = (OM_uint32)n;
    store.elements = (gss_key_value_element_desc *)(uintptr_t)kv;
    *major = gss_acquire_cred_from(minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                   &mechs, usage, &store, &cred, NULL, NULL);
    return cred;
}

/* alice by Kerberos or NTLM, with inner_channel_binding when not NULL. */
static gss_cred_id_t
initiator(enum inner_kind inner, const char *inner_cb, OM_uint32 *major,
          OM_uint32 *minor)
{
    gss_key_value_element_desc kv[3];
    char *password = test_realm_password("alice");
    gss_cred_id_t cred;

    ck_assert_ptr_nonnull(password);
    kv[0].key = "username";
    kv[0].value = inner == KRB5 ? "alice@" TEST_REALM
                                : TEST_NTLM_DOMAIN "\\alice";
    kv[1].key = "password";
    kv[1].value = password;
    kv[2].key = "inner_channel_binding";
    kv[2].value = inner_cb;
    cred = acquire(GSS_C_INITIATE, kv, inner_cb != NULL ? 3 : 2, major,
                   minor);
    free(password);
    return cred;
}

/* Drive both sides until both finish or one fails (bounded). */
static void
run_exchange(gss_cred_id_t icred, gss_cred_id_t acred,
             gss_channel_bindings_t icb, gss_channel_bindings_t acb,
             struct exchange *x)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_name_t tname = import_name("TERMSRV@localhost",
                                   GSS_C_NT_HOSTBASED_SERVICE);
    OM_uint32 tmp;
    int legs, idone = 0, adone = 0;

    memset(x, 0, sizeof(*x));
    x->init_major = GSS_S_CONTINUE_NEEDED;
    x->accept_major = GSS_S_CONTINUE_NEEDED;
    for (legs = 0; legs < MAX_LEGS; legs++) {
        if (!idone) {
            x->init_major = gss_init_sec_context(
                &x->init_minor, icred, &x->ictx, tname, GSS_CREDSSP_MECH_OID,
                GSS_C_MUTUAL_FLAG, 0, icb, &atok, NULL, &itok,
                &x->init_flags, NULL);
            gss_release_buffer(&tmp, &atok);
            if (GSS_ERROR(x->init_major)) {
                break;
            }
            idone = x->init_major == GSS_S_COMPLETE;
        }
        if (itok.length == 0) {
            break;
        }
        x->accept_major = gss_accept_sec_context(
            &x->accept_minor, &x->actx, acred, &itok, acb, &x->src, NULL,
            &atok, &x->accept_flags, NULL, &x->deleg);
        gss_release_buffer(&tmp, &itok);
        if (GSS_ERROR(x->accept_major)) {
            /* Let the initiator read a final errorCode. */
            if (atok.length > 0 && !idone) {
                x->init_major = gss_init_sec_context(
                    &x->init_minor, icred, &x->ictx, tname,
                    GSS_CREDSSP_MECH_OID, GSS_C_MUTUAL_FLAG, 0, icb, &atok,
                    NULL, &itok, &x->init_flags, NULL);
            }
            break;
        }
        adone = x->accept_major == GSS_S_COMPLETE;
        if (idone && adone) {
            break;
        }
    }
    gss_release_buffer(&tmp, &itok);
    gss_release_buffer(&tmp, &atok);
    gss_release_name(&tmp, &tname);
    ck_assert_int_lt(legs, MAX_LEGS);
}

static void
free_exchange(struct exchange *x)
{
    OM_uint32 tmp;

    gss_delete_sec_context(&tmp, &x->ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&tmp, &x->actx, GSS_C_NO_BUFFER);
    gss_release_name(&tmp, &x->src);
    gss_release_cred(&tmp, &x->deleg);
}

/* One context inquiry through the mechglue: 0 or 1 buffer, copied. */
static size_t
inquire(gss_ctx_id_t ctx, unsigned char which, uint8_t *out, size_t max)
{
    char der[] = GSS_CREDSSP_INQ_CONTEXT_OID("?");
    gss_OID_desc oid = { GSS_CREDSSP_INQ_CONTEXT_LENGTH, der };
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    OM_uint32 major, minor;
    size_t len = 0;

    der[GSS_CREDSSP_INQ_CONTEXT_LENGTH - 1] = (char)which;
    major = gss_inquire_sec_context_by_oid(&minor, ctx, &oid, &set);
    ck_assert_msg(major == GSS_S_COMPLETE, "inquiry %u: %08x/%08x", which,
                  major, minor);
    ck_assert_uint_le(set->count, 1);
    if (set->count == 1) {
        len = set->elements[0].length;
        ck_assert_uint_le(len, max);
        memcpy(out, set->elements[0].value, len);
    }
    gss_release_buffer_set(&minor, &set);
    return len;
}

/* gss_display_status of a CredSSP minor code, through the mechglue. */
static char *
status_text(OM_uint32 minor)
{
    gss_buffer_desc buf = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, tmp, ctx = 0;
    char *s;

    major = gss_display_status(&tmp, minor, GSS_C_MECH_CODE,
                               GSS_CREDSSP_MECH_OID, &ctx, &buf);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    s = strndup(buf.value, buf.length);
    gss_release_buffer(&tmp, &buf);
    return s;
}

/* ------------------------------------------------------------------ */
/* Known answers (MS-CSSP.md 8, V2 and V3)                             */
/* ------------------------------------------------------------------ */

START_TEST(test_ep_flattened_md5)
{
    static const char v3_flat[] =
        "02000000040000000102030400000000040000000506070805000000636166c3a9";
    static const char v2_hash[] =
        "ce902bd566e4e1db4d6fb3b76cbdf4740c029c444e82ecb61a4b2d3ba6021b2b";
    struct gss_channel_bindings_struct cb;
    uint8_t addr1[4] = { 1, 2, 3, 4 }, addr2[4] = { 5, 6, 7, 8 };
    uint8_t app[PREFIX_EP_LEN + 32], flat[128], want[64];
    char cafe[] = "caf\xc3\xa9";
    size_t len;

    /* V3: inet initiator address, unspecified acceptor, "cafe". */
    memset(&cb, 0, sizeof(cb));
    cb.initiator_addrtype = GSS_C_AF_INET;
    cb.initiator_address.value = addr1;
    cb.initiator_address.length = 4;
    cb.acceptor_addrtype = GSS_C_AF_UNSPEC;
    cb.acceptor_address.value = addr2;
    cb.acceptor_address.length = 4;
    cb.application_data.value = cafe;
    cb.application_data.length = 5;
    flatten(&cb, flat, sizeof(flat), &len);
    hex_decode(v3_flat, want, sizeof(v3_flat) / 2);
    ck_assert_uint_eq(len, sizeof(v3_flat) / 2);
    ck_assert_mem_eq(flat, want, len);
    md5_hex_eq(flat, len, "2640d8ebdc6ad357b5206fd6d639b25f");

    /* Empty bindings: 20 zero bytes. */
    memset(&cb, 0, sizeof(cb));
    flatten(&cb, flat, sizeof(flat), &len);
    ck_assert_uint_eq(len, 20);
    md5_hex_eq(flat, len, "441018525208457705bf09a8ee3c1093");

    /* V2: tls-server-end-point of pw11.cer, as EPA sends it. */
    memcpy(app, PREFIX_EP, PREFIX_EP_LEN);
    hex_decode(v2_hash, app + PREFIX_EP_LEN, 32);
    cb.application_data.value = app;
    cb.application_data.length = sizeof(app);
    flatten(&cb, flat, sizeof(flat), &len);
    ck_assert_uint_eq(len, 20 + 53);
    ck_assert_uint_eq(flat[16], 0x35);
    md5_hex_eq(flat, len, "abef37fed4b460a492f884e3cbeb4523");
    hex_decode("746c732d7365727665722d656e642d706f696e743a", want, 21);
    ck_assert_mem_eq(app, want, 21);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The pure engine                                                     */
/* ------------------------------------------------------------------ */

START_TEST(test_ep_parse_settings)
{
    static const struct credssp_policy_entry entries[] = {
        { "Enforcement", "ALWAYS", "f", 2 },
        { "scenario", "trusted_proxy", "f", 3 },
        { "service_names", "HTTP/web.example.com:8443", "f", 4 },
        { "service_names", "TERMSRV/host/dist", "f", 5 },
    };
    struct credssp_ep_policy *p = NULL;
    struct credssp_policy_error err;

    ck_assert_int_eq(credssp_ep_parse(NULL, 0, &p, &err), 0);
    ck_assert_int_eq(p->enforcement, CREDSSP_EP_WHEN_SUPPORTED);
    ck_assert_int_eq(p->scenario, CREDSSP_EP_TRANSPORT_SELECTED);
    ck_assert_uint_eq(p->count, 0);
    ck_assert_int_eq(credssp_ep_compares_bindings(p), 1);
    credssp_ep_free(&p);
    ck_assert_ptr_null(p);

    ck_assert_int_eq(credssp_ep_parse(entries, 4, &p, &err), 0);
    ck_assert_int_eq(p->enforcement, CREDSSP_EP_ALWAYS);
    ck_assert_int_eq(p->scenario, CREDSSP_EP_TRUSTED_PROXY);
    ck_assert_uint_eq(p->count, 2);
    ck_assert_int_eq(credssp_ep_compares_bindings(p), 0);
    /* Exact, ASCII case-insensitive, the port verbatim. */
    ck_assert_int_eq(credssp_ep_name_listed(p, "http/WEB.example.com:8443"),
                     1);
    ck_assert_int_eq(credssp_ep_name_listed(p, "HTTP/web.example.com"), 0);
    ck_assert_int_eq(credssp_ep_name_listed(p, "HTTP/web.example.com:08443"),
                     0);
    ck_assert_int_eq(credssp_ep_name_listed(p, "TERMSRV/host/dist"), 1);
    ck_assert_int_eq(credssp_ep_name_listed(p, "TERMSRV/host"), 0);
    ck_assert_str_eq(credssp_ep_enforcement_name(p->enforcement), "always");
    ck_assert_str_eq(credssp_ep_scenario_name(p->scenario), "trusted_proxy");
    credssp_ep_free(&p);
    credssp_ep_free(&p);
    credssp_ep_free(NULL);
}
END_TEST

struct parse_error_case {
    struct credssp_policy_entry entries[2];
    size_t n;
    unsigned int line;
    const char *text;
};

static const struct parse_error_case parse_error_cases[] = {
    { { { "enforce", "always", "f", 7 } }, 1, 7,
      "unknown key enforce in [extended_protection]" },
    { { { "enforcement", "sometimes", "f", 3 } }, 1, 3,
      "invalid value \"sometimes\" for enforcement (never, when_supported "
      "or always)" },
    { { { "enforcement", "never", "f", 3 },
        { "enforcement", "always", "f", 4 } }, 2, 4,
      "enforcement is set twice in [extended_protection]" },
    { { { "scenario", "proxy", "f", 5 } }, 1, 5,
      "invalid value \"proxy\" for scenario (transport_selected or "
      "trusted_proxy)" },
    { { { "service_names", "HTTP/" "*", "f", 6 } }, 1, 6,
      "invalid service name \"HTTP/" "*\" (service/host, no wildcards)" },
    { { { "service_names", "HTTP", "f", 6 } }, 1, 6,
      "invalid service name \"HTTP\" (service/host, no wildcards)" },
    { { { "service_names", "HTTP/a b", "f", 6 } }, 1, 6,
      "invalid service name \"HTTP/a b\" (service/host, no wildcards)" },
    { { { "service_names", "", "f", 8 }, { "service_names", "HTTP/a", "f",
                                          9 } }, 2, 9,
      "an empty service_names cannot be mixed with other service_names" },
};

START_TEST(test_ep_parse_errors)
{
    const struct parse_error_case *c = &parse_error_cases[_i];
    struct credssp_ep_policy *p = NULL;
    struct credssp_policy_error err;

    ck_assert_int_eq(credssp_ep_parse(c->entries, c->n, &p, &err),
                     CREDSSP_ERR_CONFIG);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(err.code, CREDSSP_ERR_CONFIG);
    ck_assert_str_eq(err.file, "f");
    ck_assert_uint_eq(err.line, c->line);
    ck_assert_str_eq(err.text, c->text);
}
END_TEST

struct eval_case {
    enum credssp_ep_enforcement enforcement;
    enum credssp_ep_scenario scenario;
    int names; /* service_names = HTTP/web */
    int channel, verified;
    const char *spn;
    enum credssp_ep_decision decision;
    int minor, bound;
};

#define W CREDSSP_EP_WHEN_SUPPORTED
#define A CREDSSP_EP_ALWAYS
#define TS CREDSSP_EP_TRANSPORT_SELECTED
#define TP CREDSSP_EP_TRUSTED_PROXY
#define ALLOW CREDSSP_EP_ALLOW
#define DENY CREDSSP_EP_DENY
static const struct eval_case eval_cases[] = {
    /* never: nothing checked, not even a verified binding is reported. */
    { CREDSSP_EP_NEVER, TS, 1, 1, 1, "X/y", ALLOW, 0, 0 },
    { CREDSSP_EP_NEVER, TP, 1, 0, 0, NULL, ALLOW, 0, 0 },
    /* TLS + TransportSelected: the CBT decides, no SPN check. */
    { W, TS, 1, 1, 1, "X/y", ALLOW, 0, 1 },
    { W, TS, 1, 1, 0, "X/y", ALLOW, 0, 0 },
    { A, TS, 1, 1, 1, NULL, ALLOW, 0, 1 },
    { A, TS, 0, 1, 0, "HTTP/web", DENY, CREDSSP_ERR_CB_REQUIRED, 0 },
    /* No channel: service binding. */
    { W, TS, 0, 0, 0, NULL, ALLOW, 0, 0 },
    { A, TS, 0, 0, 0, NULL, ALLOW, 0, 0 },
    { W, TS, 1, 0, 0, NULL, ALLOW, 0, 0 },
    { A, TS, 1, 0, 0, NULL, DENY, CREDSSP_ERR_SERVICE_NAME_REQUIRED, 0 },
    { A, TS, 1, 0, 0, "http/WEB", ALLOW, 0, 0 },
    { W, TS, 1, 0, 0, "HTTP/other", DENY, CREDSSP_ERR_SERVICE_NAME, 0 },
    /* TrustedProxy: the SPN decides even with a verified channel. */
    { A, TP, 1, 1, 1, "HTTP/web", ALLOW, 0, 0 },
    { A, TP, 1, 1, 1, "HTTP/other", DENY, CREDSSP_ERR_SERVICE_NAME, 0 },
    { W, TP, 1, 0, 0, NULL, ALLOW, 0, 0 },
    { A, TP, 1, 0, 0, NULL, DENY, CREDSSP_ERR_SERVICE_NAME_REQUIRED, 0 },
    { A, TP, 0, 0, 0, NULL, ALLOW, 0, 0 },
};
#undef W
#undef A
#undef TS
#undef TP
#undef ALLOW
#undef DENY

START_TEST(test_ep_evaluate)
{
    const struct eval_case *c = &eval_cases[_i];
    char name[] = "HTTP/web", *names[] = { name };
    struct credssp_ep_policy p;
    struct credssp_ep_request req;
    struct credssp_ep_info info;

    p.enforcement = c->enforcement;
    p.scenario = c->scenario;
    p.service_names = c->names ? names : NULL;
    p.count = c->names ? 1 : 0;
    req.channel = c->channel;
    req.cb_verified = c->verified;
    req.spn = c->spn;
    ck_assert_int_eq(credssp_ep_evaluate(&p, &req, &info), c->decision);
    ck_assert_int_eq(info.decision, c->decision);
    ck_assert_int_eq(info.minor, c->minor);
    ck_assert_int_eq(info.bound, c->bound);
    ck_assert_ptr_nonnull(info.reason);
    /* Where credssp_ep_uses_spn says no, any SPN (or none) gives the same
     * outcome, so an acceptor may skip finding it. */
    ck_assert_int_eq(credssp_ep_uses_spn(&p),
                     c->enforcement != CREDSSP_EP_NEVER && c->names);
    if (!credssp_ep_uses_spn(&p)) {
        struct credssp_ep_info other;
        const char *spns[] = { NULL, "HTTP/elsewhere", "HTTP/web" };
        size_t k;

        for (k = 0; k < sizeof(spns) / sizeof(*spns); k++) {
            req.spn = spns[k];
            (void)credssp_ep_evaluate(&p, &req, &other);
            ck_assert_int_eq(other.decision, info.decision);
            ck_assert_int_eq(other.minor, info.minor);
            ck_assert_int_eq(other.bound, info.bound);
        }
        req.spn = c->spn;
    }
    ck_assert_int_eq(credssp_ep_uses_spn(NULL), 0);
    /* No policy: the defaults (when_supported, transport_selected). */
    ck_assert_int_eq(credssp_ep_evaluate(NULL, &req, &info),
                     CREDSSP_EP_ALLOW);
    ck_assert_int_eq(info.bound, c->channel && c->verified);
}
END_TEST

/* ------------------------------------------------------------------ */
/* End to end                                                          */
/* ------------------------------------------------------------------ */

#define E_NEVER "never"
#define E_WHEN "when_supported"
#define E_ALWAYS "always"
#define S_TS "transport_selected"
#define S_PROXY "trusted_proxy"
#define M_MISMATCH CREDSSP_ERR_CB_MISMATCH
#define M_CB_REQ CREDSSP_ERR_CB_REQUIRED
#define M_SPN CREDSSP_ERR_SERVICE_NAME
#define M_SPN_REQ CREDSSP_ERR_SERVICE_NAME_REQUIRED

struct matrix_cell {
    enum cb_mode cb;
    const char *enforcement;
    const char *scenario;
    enum inner_kind inner;
    enum names_mode names;
    enum outcome outcome;
    OM_uint32 minor; /* of the acceptor, for DENIED */
};

/*
 * Client bindings x enforcement x scenario x inner mechanism x
 * service_names, the target being TERMSRV/localhost, from MS-CSSP.md 7.3
 * as policy/ep.h spells it out: with a channel under transport_selected
 * the bindings decide (a mismatch fails the inner context); otherwise
 * the SPN (the Kerberos ticket's service; NTLM sends none we can read).
 */
static const struct matrix_cell matrix[] = {
    /* client bindings: absent */
    { CB_ABSENT, E_NEVER, S_TS, KRB5, N_UNSET, OK, 0 },
    { CB_ABSENT, E_NEVER, S_TS, KRB5, N_TARGET, OK, 0 },
    { CB_ABSENT, E_NEVER, S_TS, KRB5, N_OTHER, OK, 0 },
    { CB_ABSENT, E_NEVER, S_TS, NTLM, N_UNSET, OK, 0 },
    { CB_ABSENT, E_NEVER, S_TS, NTLM, N_TARGET, OK, 0 },
    { CB_ABSENT, E_NEVER, S_TS, NTLM, N_OTHER, OK, 0 },
    { CB_ABSENT, E_NEVER, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_ABSENT, E_NEVER, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_ABSENT, E_NEVER, S_PROXY, KRB5, N_OTHER, OK, 0 },
    { CB_ABSENT, E_NEVER, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_ABSENT, E_NEVER, S_PROXY, NTLM, N_TARGET, OK, 0 },
    { CB_ABSENT, E_NEVER, S_PROXY, NTLM, N_OTHER, OK, 0 },
    { CB_ABSENT, E_WHEN, S_TS, KRB5, N_UNSET, OK, 0 },
    { CB_ABSENT, E_WHEN, S_TS, KRB5, N_TARGET, OK, 0 },
    { CB_ABSENT, E_WHEN, S_TS, KRB5, N_OTHER, OK, 0 },
    { CB_ABSENT, E_WHEN, S_TS, NTLM, N_UNSET, OK, 0 },
    { CB_ABSENT, E_WHEN, S_TS, NTLM, N_TARGET, OK, 0 },
    { CB_ABSENT, E_WHEN, S_TS, NTLM, N_OTHER, OK, 0 },
    { CB_ABSENT, E_WHEN, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_ABSENT, E_WHEN, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_ABSENT, E_WHEN, S_PROXY, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_ABSENT, E_WHEN, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_ABSENT, E_WHEN, S_PROXY, NTLM, N_TARGET, OK, 0 },
    { CB_ABSENT, E_WHEN, S_PROXY, NTLM, N_OTHER, OK, 0 },
    { CB_ABSENT, E_ALWAYS, S_TS, KRB5, N_UNSET, DENIED, M_CB_REQ },
    { CB_ABSENT, E_ALWAYS, S_TS, KRB5, N_TARGET, DENIED, M_CB_REQ },
    { CB_ABSENT, E_ALWAYS, S_TS, KRB5, N_OTHER, DENIED, M_CB_REQ },
    { CB_ABSENT, E_ALWAYS, S_TS, NTLM, N_UNSET, DENIED, M_CB_REQ },
    { CB_ABSENT, E_ALWAYS, S_TS, NTLM, N_TARGET, DENIED, M_CB_REQ },
    { CB_ABSENT, E_ALWAYS, S_TS, NTLM, N_OTHER, DENIED, M_CB_REQ },
    { CB_ABSENT, E_ALWAYS, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_ABSENT, E_ALWAYS, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_ABSENT, E_ALWAYS, S_PROXY, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_ABSENT, E_ALWAYS, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_ABSENT, E_ALWAYS, S_PROXY, NTLM, N_TARGET, DENIED, M_SPN_REQ },
    { CB_ABSENT, E_ALWAYS, S_PROXY, NTLM, N_OTHER, DENIED, M_SPN_REQ },
    /* client bindings: those of the acceptor */
    { CB_RIGHT, E_NEVER, S_TS, KRB5, N_UNSET, OK, 0 },
    { CB_RIGHT, E_NEVER, S_TS, KRB5, N_TARGET, OK, 0 },
    { CB_RIGHT, E_NEVER, S_TS, KRB5, N_OTHER, OK, 0 },
    { CB_RIGHT, E_NEVER, S_TS, NTLM, N_UNSET, OK, 0 },
    { CB_RIGHT, E_NEVER, S_TS, NTLM, N_TARGET, OK, 0 },
    { CB_RIGHT, E_NEVER, S_TS, NTLM, N_OTHER, OK, 0 },
    { CB_RIGHT, E_NEVER, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_RIGHT, E_NEVER, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_RIGHT, E_NEVER, S_PROXY, KRB5, N_OTHER, OK, 0 },
    { CB_RIGHT, E_NEVER, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_RIGHT, E_NEVER, S_PROXY, NTLM, N_TARGET, OK, 0 },
    { CB_RIGHT, E_NEVER, S_PROXY, NTLM, N_OTHER, OK, 0 },
    { CB_RIGHT, E_WHEN, S_TS, KRB5, N_UNSET, BOUND, 0 },
    { CB_RIGHT, E_WHEN, S_TS, KRB5, N_TARGET, BOUND, 0 },
    { CB_RIGHT, E_WHEN, S_TS, KRB5, N_OTHER, BOUND, 0 },
    { CB_RIGHT, E_WHEN, S_TS, NTLM, N_UNSET, BOUND, 0 },
    { CB_RIGHT, E_WHEN, S_TS, NTLM, N_TARGET, BOUND, 0 },
    { CB_RIGHT, E_WHEN, S_TS, NTLM, N_OTHER, BOUND, 0 },
    { CB_RIGHT, E_WHEN, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_RIGHT, E_WHEN, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_RIGHT, E_WHEN, S_PROXY, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_RIGHT, E_WHEN, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_RIGHT, E_WHEN, S_PROXY, NTLM, N_TARGET, OK, 0 },
    { CB_RIGHT, E_WHEN, S_PROXY, NTLM, N_OTHER, OK, 0 },
    { CB_RIGHT, E_ALWAYS, S_TS, KRB5, N_UNSET, BOUND, 0 },
    { CB_RIGHT, E_ALWAYS, S_TS, KRB5, N_TARGET, BOUND, 0 },
    { CB_RIGHT, E_ALWAYS, S_TS, KRB5, N_OTHER, BOUND, 0 },
    { CB_RIGHT, E_ALWAYS, S_TS, NTLM, N_UNSET, BOUND, 0 },
    { CB_RIGHT, E_ALWAYS, S_TS, NTLM, N_TARGET, BOUND, 0 },
    { CB_RIGHT, E_ALWAYS, S_TS, NTLM, N_OTHER, BOUND, 0 },
    { CB_RIGHT, E_ALWAYS, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_RIGHT, E_ALWAYS, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_RIGHT, E_ALWAYS, S_PROXY, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_RIGHT, E_ALWAYS, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_RIGHT, E_ALWAYS, S_PROXY, NTLM, N_TARGET, DENIED, M_SPN_REQ },
    { CB_RIGHT, E_ALWAYS, S_PROXY, NTLM, N_OTHER, DENIED, M_SPN_REQ },
    /* client bindings: of another channel */
    { CB_WRONG, E_NEVER, S_TS, KRB5, N_UNSET, OK, 0 },
    { CB_WRONG, E_NEVER, S_TS, KRB5, N_TARGET, OK, 0 },
    { CB_WRONG, E_NEVER, S_TS, KRB5, N_OTHER, OK, 0 },
    { CB_WRONG, E_NEVER, S_TS, NTLM, N_UNSET, OK, 0 },
    { CB_WRONG, E_NEVER, S_TS, NTLM, N_TARGET, OK, 0 },
    { CB_WRONG, E_NEVER, S_TS, NTLM, N_OTHER, OK, 0 },
    { CB_WRONG, E_NEVER, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_WRONG, E_NEVER, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_WRONG, E_NEVER, S_PROXY, KRB5, N_OTHER, OK, 0 },
    { CB_WRONG, E_NEVER, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_WRONG, E_NEVER, S_PROXY, NTLM, N_TARGET, OK, 0 },
    { CB_WRONG, E_NEVER, S_PROXY, NTLM, N_OTHER, OK, 0 },
    { CB_WRONG, E_WHEN, S_TS, KRB5, N_UNSET, DENIED, M_MISMATCH },
    { CB_WRONG, E_WHEN, S_TS, KRB5, N_TARGET, DENIED, M_MISMATCH },
    { CB_WRONG, E_WHEN, S_TS, KRB5, N_OTHER, DENIED, M_MISMATCH },
    { CB_WRONG, E_WHEN, S_TS, NTLM, N_UNSET, DENIED, M_MISMATCH },
    { CB_WRONG, E_WHEN, S_TS, NTLM, N_TARGET, DENIED, M_MISMATCH },
    { CB_WRONG, E_WHEN, S_TS, NTLM, N_OTHER, DENIED, M_MISMATCH },
    { CB_WRONG, E_WHEN, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_WRONG, E_WHEN, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_WRONG, E_WHEN, S_PROXY, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_WRONG, E_WHEN, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_WRONG, E_WHEN, S_PROXY, NTLM, N_TARGET, OK, 0 },
    { CB_WRONG, E_WHEN, S_PROXY, NTLM, N_OTHER, OK, 0 },
    { CB_WRONG, E_ALWAYS, S_TS, KRB5, N_UNSET, DENIED, M_MISMATCH },
    { CB_WRONG, E_ALWAYS, S_TS, KRB5, N_TARGET, DENIED, M_MISMATCH },
    { CB_WRONG, E_ALWAYS, S_TS, KRB5, N_OTHER, DENIED, M_MISMATCH },
    { CB_WRONG, E_ALWAYS, S_TS, NTLM, N_UNSET, DENIED, M_MISMATCH },
    { CB_WRONG, E_ALWAYS, S_TS, NTLM, N_TARGET, DENIED, M_MISMATCH },
    { CB_WRONG, E_ALWAYS, S_TS, NTLM, N_OTHER, DENIED, M_MISMATCH },
    { CB_WRONG, E_ALWAYS, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_WRONG, E_ALWAYS, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_WRONG, E_ALWAYS, S_PROXY, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_WRONG, E_ALWAYS, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_WRONG, E_ALWAYS, S_PROXY, NTLM, N_TARGET, DENIED, M_SPN_REQ },
    { CB_WRONG, E_ALWAYS, S_PROXY, NTLM, N_OTHER, DENIED, M_SPN_REQ },
    /* client bindings: none, and the acceptor has no channel */
    { CB_NOCHAN, E_NEVER, S_TS, KRB5, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_TS, KRB5, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_TS, KRB5, N_OTHER, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_TS, NTLM, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_TS, NTLM, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_TS, NTLM, N_OTHER, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_PROXY, KRB5, N_OTHER, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_PROXY, NTLM, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_NEVER, S_PROXY, NTLM, N_OTHER, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_TS, KRB5, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_TS, KRB5, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_TS, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_NOCHAN, E_WHEN, S_TS, NTLM, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_TS, NTLM, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_TS, NTLM, N_OTHER, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_PROXY, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_NOCHAN, E_WHEN, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_PROXY, NTLM, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_WHEN, S_PROXY, NTLM, N_OTHER, OK, 0 },
    { CB_NOCHAN, E_ALWAYS, S_TS, KRB5, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_ALWAYS, S_TS, KRB5, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_ALWAYS, S_TS, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_NOCHAN, E_ALWAYS, S_TS, NTLM, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_ALWAYS, S_TS, NTLM, N_TARGET, DENIED, M_SPN_REQ },
    { CB_NOCHAN, E_ALWAYS, S_TS, NTLM, N_OTHER, DENIED, M_SPN_REQ },
    { CB_NOCHAN, E_ALWAYS, S_PROXY, KRB5, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_ALWAYS, S_PROXY, KRB5, N_TARGET, OK, 0 },
    { CB_NOCHAN, E_ALWAYS, S_PROXY, KRB5, N_OTHER, DENIED, M_SPN },
    { CB_NOCHAN, E_ALWAYS, S_PROXY, NTLM, N_UNSET, OK, 0 },
    { CB_NOCHAN, E_ALWAYS, S_PROXY, NTLM, N_TARGET, DENIED, M_SPN_REQ },
    { CB_NOCHAN, E_ALWAYS, S_PROXY, NTLM, N_OTHER, DENIED, M_SPN_REQ },
};

START_TEST(test_ep_matrix)
{
    const struct matrix_cell *c = &matrix[_i];
    struct gss_channel_bindings_struct right, wrong;
    uint8_t right_data[PREFIX_EP_LEN + 32], wrong_data[PREFIX_EP_LEN + 32];
    gss_key_value_element_desc kv[3];
    gss_channel_bindings_t icb = GSS_C_NO_CHANNEL_BINDINGS;
    gss_channel_bindings_t acb = GSS_C_NO_CHANNEL_BINDINGS;
    gss_cred_id_t icred, acred;
    struct exchange x;
    OM_uint32 major, minor;
    size_t n = 2;
    char *text;

    make_bindings(&right, right_data, 0x11);
    make_bindings(&wrong, wrong_data, 0x22);
    if (c->cb != CB_NOCHAN) {
        acb = &right;
    }
    icb = c->cb == CB_RIGHT ? &right : c->cb == CB_WRONG ? &wrong : icb;
    kv[0].key = "enforcement";
    kv[0].value = c->enforcement;
    kv[1].key = "scenario";
    kv[1].value = c->scenario;
    kv[2].key = "service_names";
    kv[2].value = c->names == N_TARGET ? "termsrv/LOCALHOST"
                                       : "TERMSRV/localhost:3389";
    if (c->names != N_UNSET) {
        n = 3;
    }
    acred = acquire(GSS_C_ACCEPT, kv, n, &major, &minor);
    ck_assert_msg(major == GSS_S_COMPLETE, "acceptor %08x/%08x", major,
                  minor);
    icred = initiator(c->inner, NULL, &major, &minor);
    ck_assert_msg(major == GSS_S_COMPLETE, "initiator %08x/%08x", major,
                  minor);
    run_exchange(icred, acred, icb, acb, &x);
    if (c->outcome == DENIED) {
        ck_assert_msg(GSS_ERROR(x.accept_major) &&
                          x.accept_minor == c->minor,
                      "cell %d: accept %08x/%08x, want minor %08x", _i,
                      x.accept_major, x.accept_minor, c->minor);
        ck_assert_uint_eq(x.accept_major,
                          c->minor == M_MISMATCH || c->minor == M_CB_REQ
                              ? GSS_S_BAD_BINDINGS
                              : GSS_S_FAILURE);
        ck_assert_uint_ne(x.init_major, GSS_S_COMPLETE);
        text = status_text(x.accept_minor);
        ck_assert_ptr_nonnull(text);
        if (c->minor == M_SPN) {
            /* The display text names the refused SPN. */
            ck_assert_str_eq(text, "Service name not in service_names: "
                                   "TERMSRV/localhost");
        }
        free(text);
    } else {
        ck_assert_msg(x.init_major == GSS_S_COMPLETE &&
                          x.accept_major == GSS_S_COMPLETE,
                      "cell %d: init %08x/%08x accept %08x/%08x", _i,
                      x.init_major, x.init_minor, x.accept_major,
                      x.accept_minor);
        ck_assert_msg((x.accept_flags & GSS_C_CHANNEL_BOUND_FLAG) ==
                          (c->outcome == BOUND ? GSS_C_CHANNEL_BOUND_FLAG
                                               : 0),
                      "cell %d: flags %08x", _i, x.accept_flags);
    }
    free_exchange(&x);
    gss_release_cred(&minor, &icred);
    gss_release_cred(&minor, &acred);
}
END_TEST

struct inner_cb_case {
    enum inner_kind inner;
    const char *client;   /* initiator's inner_channel_binding */
    const char *server;   /* acceptor's */
    const char *enforcement;
    int app_cb;           /* the initiator application passes bindings */
    OM_uint32 init_minor; /* the initiator's refusal */
    OM_uint32 accept_minor; /* the acceptor's refusal */
    int bound;
};

static const struct inner_cb_case inner_cb_cases[] = {
    { KRB5, "tls-server-end-point", "tls-server-end-point", E_WHEN, 0, 0, 0,
      1 },
    { NTLM, "tls-server-end-point", "tls-server-end-point", E_ALWAYS, 0, 0,
      0, 1 },
    { KRB5, "tls-exporter", "tls-exporter", E_ALWAYS, 0, 0, 0, 1 },
    { NTLM, "tls-exporter", "tls-exporter", E_WHEN, 0, 0, 0, 1 },
    /* Different channel-binding types: the inner context mismatches. */
    { KRB5, "tls-exporter", "tls-server-end-point", E_WHEN, 0, 0,
      M_MISMATCH, 0 },
    { NTLM, "tls-server-end-point", "tls-exporter", E_WHEN, 0, 0,
      M_MISMATCH, 0 },
    /* Only the acceptor binds: a legacy client, refused under always. */
    { KRB5, NULL, "tls-server-end-point", E_WHEN, 0, 0, 0, 0 },
    { KRB5, NULL, "tls-server-end-point", E_ALWAYS, 0, 0, M_CB_REQ, 0 },
    { NTLM, NULL, "tls-exporter", E_ALWAYS, 0, 0, M_CB_REQ, 0 },
    /* The application's bindings too: refused, not silently dropped. */
    { KRB5, "tls-server-end-point", "tls-server-end-point", E_WHEN, 1,
      CREDSSP_ERR_CB_CONFLICT, 0, 0 },
};

/* [credssp] inner_channel_binding (cred-store key of the same name) on
 * either end: the inner context bound to the CredSSP TLS channel. */
START_TEST(test_ep_inner_channel_binding)
{
    const struct inner_cb_case *c = &inner_cb_cases[_i];
    struct gss_channel_bindings_struct app;
    uint8_t app_data[PREFIX_EP_LEN + 32];
    gss_key_value_element_desc kv[2];
    gss_cred_id_t icred, acred;
    struct exchange x;
    OM_uint32 major, minor;

    make_bindings(&app, app_data, 0x33);
    kv[0].key = "enforcement";
    kv[0].value = c->enforcement;
    kv[1].key = "inner_channel_binding";
    kv[1].value = c->server;
    acred = acquire(GSS_C_ACCEPT, kv, 2, &major, &minor);
    ck_assert_msg(major == GSS_S_COMPLETE, "acceptor %08x/%08x", major,
                  minor);
    icred = initiator(c->inner, c->client, &major, &minor);
    ck_assert_msg(major == GSS_S_COMPLETE, "initiator %08x/%08x", major,
                  minor);
    run_exchange(icred, acred, c->app_cb ? &app : GSS_C_NO_CHANNEL_BINDINGS,
                 GSS_C_NO_CHANNEL_BINDINGS, &x);
    if (c->init_minor != 0) {
        ck_assert_uint_eq(x.init_major, GSS_S_FAILURE);
        ck_assert_uint_eq(x.init_minor, c->init_minor);
    } else if (c->accept_minor != 0) {
        ck_assert_msg(x.accept_minor == c->accept_minor,
                      "accept %08x/%08x", x.accept_major, x.accept_minor);
        ck_assert_uint_eq(x.accept_major, GSS_S_BAD_BINDINGS);
    } else {
        ck_assert_msg(x.init_major == GSS_S_COMPLETE &&
                          x.accept_major == GSS_S_COMPLETE,
                      "init %08x/%08x accept %08x/%08x", x.init_major,
                      x.init_minor, x.accept_major, x.accept_minor);
        ck_assert_uint_eq((x.accept_flags & GSS_C_CHANNEL_BOUND_FLAG) != 0,
                          (OM_uint32)c->bound);
    }
    free_exchange(&x);
    gss_release_cred(&minor, &icred);
    gss_release_cred(&minor, &acred);
}
END_TEST

/* A bad store value and a bad file are refused at acquisition. */
START_TEST(test_ep_bad_settings)
{
    gss_key_value_element_desc kv[2] = { { "enforcement", "maybe" },
                                         { "scenario", "trusted_proxy" } };
    gss_cred_id_t cred;
    OM_uint32 major, minor;
    char path[4096];
    FILE *f;

    cred = acquire(GSS_C_ACCEPT, kv, 2, &major, &minor);
    ck_assert_uint_eq(major, GSS_S_FAILURE);
    ck_assert_uint_eq(minor, CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_ptr_eq(cred, GSS_C_NO_CREDENTIAL);
    kv[0].key = "inner_channel_binding";
    kv[0].value = "tls-unique";
    cred = acquire(GSS_C_ACCEPT, kv, 1, &major, &minor);
    ck_assert_uint_eq(major, GSS_S_FAILURE);
    ck_assert_uint_eq(minor, CREDSSP_ERR_BAD_ARGUMENT);

    snprintf(path, sizeof(path), "%s/ep-bad.conf", test_realm_dir());
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[extended_protection]\n enforcement = always\n"
          " service_names = HTTP\n", f);
    fclose(f);
    setenv("CREDSSP_CONFIG", path, 1);
    cred = acquire(GSS_C_ACCEPT, kv, 0, &major, &minor);
    ck_assert_uint_eq(major, GSS_S_FAILURE);
    ck_assert_uint_eq(minor, CREDSSP_ERR_CONFIG);
    /* The file's setting, replaced by the store's, is not read. */
    kv[0].key = "service_names";
    kv[0].value = "HTTP/localhost";
    cred = acquire(GSS_C_ACCEPT, kv, 1, &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    gss_release_cred(&minor, &cred);
    unsetenv("CREDSSP_CONFIG");
}
END_TEST

/* The configuration file route: [extended_protection] read when the
 * default acceptor credential is acquired. */
START_TEST(test_ep_config_file)
{
    struct gss_channel_bindings_struct right;
    uint8_t right_data[PREFIX_EP_LEN + 32];
    gss_cred_id_t icred;
    struct exchange x;
    OM_uint32 major, minor;
    char path[4096];
    FILE *f;

    make_bindings(&right, right_data, 0x44);
    icred = initiator(KRB5, NULL, &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    snprintf(path, sizeof(path), "%s/ep.conf", test_realm_dir());
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[extended_protection]\n enforcement = always\n", f);
    fclose(f);
    setenv("CREDSSP_CONFIG", path, 1);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, GSS_C_NO_CHANNEL_BINDINGS,
                 &right, &x);
    ck_assert_uint_eq(x.accept_major, GSS_S_BAD_BINDINGS);
    ck_assert_uint_eq(x.accept_minor, CREDSSP_ERR_CB_REQUIRED);
    /* The client learns it from the errorCode. */
    ck_assert_uint_eq(x.init_major, GSS_S_FAILURE);
    ck_assert_uint_eq(x.init_minor, CREDSSP_ERR_NT_LOGON_FAILURE);
    free_exchange(&x);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, &right, &right, &x);
    ck_assert_uint_eq(x.accept_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(x.init_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(x.accept_flags & GSS_C_CHANNEL_BOUND_FLAG,
                      GSS_C_CHANNEL_BOUND_FLAG);
    free_exchange(&x);
    unsetenv("CREDSSP_CONFIG");
    gss_release_cred(&minor, &icred);
}
END_TEST

/* The channel-binding inquiries: equal on both ends, prefixed, and the
 * tls-server-end-point hash is SHA-256 of the certificate both ends
 * report (the generated certificate is ECDSA with SHA-256, RFC 5929 4.1),
 * which is what gnutls_session_channel_binding gives. */
START_TEST(test_ep_inquiries)
{
    gss_cred_id_t icred;
    struct exchange x;
    OM_uint32 major, minor;
    uint8_t a[4096], b[4096], cert[8192], hash[32];
    size_t la, lb, lc;
    unsigned char which;

    icred = initiator(_i == 0 ? KRB5 : NTLM, NULL, &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, GSS_C_NO_CHANNEL_BINDINGS,
                 GSS_C_NO_CHANNEL_BINDINGS, &x);
    ck_assert_uint_eq(x.init_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(x.accept_major, GSS_S_COMPLETE);
    /* Bindings absent on both ends: nothing is reported bound. */
    ck_assert_uint_eq(x.accept_flags & GSS_C_CHANNEL_BOUND_FLAG, 0);
    ck_assert_uint_eq(x.init_flags & GSS_C_CHANNEL_BOUND_FLAG, 0);
    /* tls-server-end-point and tls-exporter; tls-unique (10) is not
     * defined for TLS 1.3 (check_gss covers its GSS_S_UNAVAILABLE). */
    for (which = 9; which <= 11; which += 2) {
        la = inquire(x.ictx, which, a, sizeof(a));
        lb = inquire(x.actx, which, b, sizeof(b));
        ck_assert_uint_gt(la, 0);
        ck_assert_uint_eq(la, lb);
        ck_assert_mem_eq(a, b, la);
    }
    la = inquire(x.ictx, 9, a, sizeof(a));
    ck_assert_uint_eq(la, PREFIX_EP_LEN + 32);
    ck_assert_mem_eq(a, PREFIX_EP, PREFIX_EP_LEN);
    lc = inquire(x.actx, 5, cert, sizeof(cert));
    ck_assert_uint_gt(lc, 0);
    ck_assert_int_eq(gnutls_hash_fast(GNUTLS_DIG_SHA256, cert, lc, hash), 0);
    ck_assert_mem_eq(a + PREFIX_EP_LEN, hash, 32);
    ck_assert_uint_eq(inquire(x.ictx, 11, a, sizeof(a)), 13 + 32);
    ck_assert_mem_eq(a, "tls-exporter:", 13);
    free_exchange(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

static Suite *
ep_suite(void)
{
    Suite *s = suite_create("ep");
    TCase *tc;

    tc = tcase_create("engine");
    tcase_add_test(tc, test_ep_flattened_md5);
    tcase_add_test(tc, test_ep_parse_settings);
    tcase_add_loop_test(tc, test_ep_parse_errors, 0,
                        sizeof(parse_error_cases) /
                            sizeof(*parse_error_cases));
    tcase_add_loop_test(tc, test_ep_evaluate, 0,
                        sizeof(eval_cases) / sizeof(*eval_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("exchange");
    tcase_set_timeout(tc, TCASE_TIMEOUT);
    tcase_add_unchecked_fixture(tc, test_realm_setup, test_realm_teardown);
    tcase_add_checked_fixture(tc, test_realm_require, NULL);
    tcase_add_loop_test(tc, test_ep_inquiries, 0, 2);
    tcase_add_test(tc, test_ep_bad_settings);
    tcase_add_test(tc, test_ep_config_file);
    tcase_add_loop_test(tc, test_ep_inner_channel_binding, 0,
                        sizeof(inner_cb_cases) / sizeof(*inner_cb_cases));
    tcase_add_loop_test(tc, test_ep_matrix, 0,
                        sizeof(matrix) / sizeof(*matrix));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(ep_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
