/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Check suite for the TLS channel (mech/tls.c) and the pubKeyAuth binding
 * values (mech/pubkey.c): MS-CSSP.md 1.1, 3, 7.1 and the vectors of 8.
 * Client and server sessions run in one process; the test shuttles the
 * tokens between them and counts the legs.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <check.h>

#include "common/buf.h"
#include "common/err.h"
#include "mech/pubkey.h"
#include "mech/tls.h"
#include "tests/check_main.h"

#define MAX_STEPS 10
#define PRIO_TLS13 "NORMAL:-VERS-ALL:+VERS-TLS1.3:%NO_TICKETS"
#define PRIO_TLS12 "NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS"

/* SubjectPublicKeyInfo prefixes up to and including the unused-bits
 * octet (MS-CSSP.md 3.1, 8 V2). */
#define SPKI_PREFIX_RSA2048 "30820122300d06092a864886f70d01010105000382010f00"
#define SPKI_PREFIX_P256                                                     \
    "3059301306072a8648ce3d020106082a8648ce3d030107034200"
#define SPKI_PREFIX_ED25519 "302a300506032b6570032100"

struct pair {
    struct credssp_tls *client;
    struct credssp_tls *server;
    int legs;
};

static Suite *tls_suite(void);
static size_t unhex(const char *hex, uint8_t *out, size_t max);
static void make_pair(struct pair *p, const char *priority,
                      enum credssp_tls_key_type key_type,
                      const char *cert_file, const char *key_file);
static void free_pair(struct pair *p);
static size_t shuttle(struct credssp_tls *from, struct credssp_tls *to);
static int handshake_pair(struct pair *p);
static void established_pair(struct pair *p, const char *priority);
static size_t count_records(const struct credssp_buf *tok, uint8_t type);
static void fill_pattern(uint8_t *buf, size_t len, unsigned int seed);
static void round_trip(struct credssp_tls *from, struct credssp_tls *to,
                       size_t len);
static void make_temp_dir(char *dir, size_t size);
static void assert_server_cert(struct credssp_tls *tls,
                               const gnutls_datum_t *der);
static void write_file(const char *path, const void *data, size_t len);
static void make_cert_files(gnutls_pk_algorithm_t pk, unsigned int bits,
                            const char *dir, gnutls_datum_t *cert_der,
                            gnutls_datum_t *spki);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static size_t
unhex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = strlen(hex) / 2, i;
    unsigned int v;

    ck_assert_uint_le(n, max);
    for (i = 0; i < n; i++) {
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void
make_pair(struct pair *p, const char *priority,
          enum credssp_tls_key_type key_type, const char *cert_file,
          const char *key_file)
{
    struct credssp_tls_config cc = { priority, NULL, NULL, 0 };
    struct credssp_tls_config sc = { priority, cert_file, key_file,
                                     key_type };

    memset(p, 0, sizeof(*p));
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_CLIENT, &cc, &p->client),
                     0);
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &sc, &p->server),
                     0);
}

static void
free_pair(struct pair *p)
{
    credssp_tls_free(&p->client);
    credssp_tls_free(&p->server);
    ck_assert_ptr_null(p->client);
    ck_assert_ptr_null(p->server);
}

/* The server certificate tls saw (or sent) is exactly der. */
static void
assert_server_cert(struct credssp_tls *tls, const gnutls_datum_t *der)
{
    struct credssp_buf got = { NULL, 0 };

    ck_assert_int_eq(credssp_tls_server_certificate(tls, &got), 0);
    ck_assert_uint_eq(got.len, der->size);
    ck_assert_mem_eq(got.data, der->data, got.len);
    credssp_buf_free(&got);
}

/* Move everything from has written into to's input; the token size. */
static size_t
shuttle(struct credssp_tls *from, struct credssp_tls *to)
{
    struct credssp_buf tok = { NULL, 0 };
    size_t len;

    ck_assert_int_eq(credssp_tls_take_output(from, &tok), 0);
    len = tok.len;
    ck_assert_int_eq(credssp_tls_feed(to, tok.data, tok.len), 0);
    credssp_buf_free(&tok);
    return len;
}

/* Alternate handshake steps, client first; returns the legs (non-empty
 * tokens) it took. */
static int
handshake_pair(struct pair *p)
{
    struct credssp_tls *side[2] = { p->client, p->server };
    int turn = 0, step, rc;
    size_t moved;

    p->legs = 0;
    for (step = 0; step < MAX_STEPS; step++) {
        rc = credssp_tls_handshake(side[turn]);
        ck_assert_msg(rc == 0 || rc == CREDSSP_TLS_AGAIN, "step %d: %d",
                      step, rc);
        moved = shuttle(side[turn], side[!turn]);
        if (moved > 0) {
            p->legs++;
        }
        if (moved == 0 && credssp_tls_is_established(p->client) &&
            credssp_tls_is_established(p->server)) {
            return p->legs;
        }
        turn = !turn;
    }
    ck_abort_msg("handshake did not finish in %d steps", MAX_STEPS);
    return -1;
}

static void
established_pair(struct pair *p, const char *priority)
{
    make_pair(p, priority, CREDSSP_TLS_KEY_ECDSA_P256, NULL, NULL);
    (void)handshake_pair(p);
}

/* Records of the given content type in a token (whole records only). */
static size_t
count_records(const struct credssp_buf *tok, uint8_t type)
{
    size_t off = 0, n = 0, body;

    while (tok->len - off >= 5) {
        body = ((size_t)tok->data[off + 3] << 8) | tok->data[off + 4];
        ck_assert_uint_le(body, tok->len - off - 5);
        if (tok->data[off] == type) {
            n++;
        }
        off += 5 + body;
    }
    ck_assert_uint_eq(off, tok->len);
    return n;
}

static void
fill_pattern(uint8_t *buf, size_t len, unsigned int seed)
{
    size_t i;

    for (i = 0; i < len; i++) {
        buf[i] = (uint8_t)(i * 31 + seed);
    }
}

/* len bytes from one side to the other; checks the record count. */
static void
round_trip(struct credssp_tls *from, struct credssp_tls *to, size_t len)
{
    struct credssp_buf tok = { NULL, 0 }, plain = { NULL, 0 };
    uint8_t *data = malloc(len);

    ck_assert_ptr_nonnull(data);
    fill_pattern(data, len, (unsigned int)len);
    ck_assert_int_eq(credssp_tls_encrypt(from, data, len), 0);
    ck_assert_int_eq(credssp_tls_take_output(from, &tok), 0);
    ck_assert_uint_eq(count_records(&tok, 23), (len + 16383) / 16384);
    ck_assert_int_eq(credssp_tls_feed(to, tok.data, tok.len), 0);
    ck_assert_int_eq(credssp_tls_decrypt(to, &plain), 0);
    ck_assert_uint_eq(plain.len, len);
    ck_assert_mem_eq(plain.data, data, len);
    ck_assert_uint_eq(credssp_tls_pending_input(to), 0);
    credssp_buf_wipe_free(&plain);
    credssp_buf_free(&tok);
    free(data);
}

static void
make_temp_dir(char *dir, size_t size)
{
    const char *base = getenv("TMPDIR");

    if (base == NULL || base[0] == '\0') {
        base = "/tmp";
    }
    ck_assert_int_lt(snprintf(dir, size, "%s/check_tls.XXXXXX", base),
                     (int)size);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* dir/cert.pem and dir/key.pem for a new self-signed certificate of pk;
 * also its DER and its SubjectPublicKeyInfo DER (free with gnutls_free).
 * Built here, independently of mech/tls.c. */
static void
make_cert_files(gnutls_pk_algorithm_t pk, unsigned int bits, const char *dir,
                gnutls_datum_t *cert_der, gnutls_datum_t *spki)
{
    static const uint8_t serial[] = { 0x42, 0x17 };
    gnutls_x509_privkey_t key;
    gnutls_x509_crt_t crt;
    gnutls_pubkey_t pub;
    gnutls_datum_t pem;
    char path[512];
    time_t now = time(NULL);

    ck_assert_int_eq(gnutls_x509_privkey_init(&key), 0);
    ck_assert_int_eq(gnutls_x509_privkey_generate(key, pk, bits, 0), 0);
    ck_assert_int_eq(gnutls_x509_crt_init(&crt), 0);
    ck_assert_int_eq(gnutls_x509_crt_set_version(crt, 3), 0);
    ck_assert_int_eq(gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)),
                     0);
    ck_assert_int_eq(gnutls_x509_crt_set_activation_time(crt, now - 60), 0);
    ck_assert_int_eq(gnutls_x509_crt_set_expiration_time(crt, now + 3600),
                     0);
    ck_assert_int_eq(gnutls_x509_crt_set_dn(crt, "CN=check-tls", NULL), 0);
    ck_assert_int_eq(gnutls_x509_crt_set_key(crt, key), 0);
    ck_assert_int_eq(gnutls_x509_crt_set_key_usage(
                         crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                  (pk == GNUTLS_PK_RSA
                                       ? GNUTLS_KEY_KEY_ENCIPHERMENT
                                       : 0)),
                     0);
    ck_assert_int_eq(gnutls_x509_crt_sign2(crt, crt, key,
                                           pk == GNUTLS_PK_EDDSA_ED25519
                                               ? GNUTLS_DIG_UNKNOWN
                                               : GNUTLS_DIG_SHA256,
                                           0),
                     0);

    ck_assert_int_eq(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem),
                     0);
    (void)snprintf(path, sizeof(path), "%s/cert.pem", dir);
    write_file(path, pem.data, pem.size);
    gnutls_free(pem.data);
    /* PKCS#8: the plain export labels an Ed25519 key "UNKNOWN". */
    ck_assert_int_eq(gnutls_x509_privkey_export2_pkcs8(
                         key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                         &pem),
                     0);
    (void)snprintf(path, sizeof(path), "%s/key.pem", dir);
    write_file(path, pem.data, pem.size);
    gnutls_free(pem.data);

    ck_assert_int_eq(
        gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, cert_der), 0);
    ck_assert_int_eq(gnutls_pubkey_init(&pub), 0);
    ck_assert_int_eq(gnutls_pubkey_import_x509(pub, crt, 0), 0);
    ck_assert_int_eq(gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, spki),
                     0);
    gnutls_pubkey_deinit(pub);
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_privkey_deinit(key);
}

/* ------------------------------------------------------------------ */
/* Handshakes: versions, key types, what both sides agree on           */
/* ------------------------------------------------------------------ */

static const struct {
    const char *priority;
    enum credssp_tls_key_type key_type;
    const char *version;
    int legs;
    size_t key_len;
} handshakes[] = {
    { PRIO_TLS13, CREDSSP_TLS_KEY_ECDSA_P256, "TLS1.3", 3, 65 },
    { PRIO_TLS13, CREDSSP_TLS_KEY_RSA_2048, "TLS1.3", 3, 270 },
    { PRIO_TLS12, CREDSSP_TLS_KEY_ECDSA_P256, "TLS1.2", 4, 65 },
    { PRIO_TLS12, CREDSSP_TLS_KEY_RSA_2048, "TLS1.2", 4, 270 },
    { NULL, CREDSSP_TLS_KEY_ECDSA_P256, "TLS1.3", 3, 65 },
};

START_TEST(test_tls_handshake_versions_and_keys)
{
    struct pair p;
    struct credssp_buf ck = { NULL, 0 }, sk = { NULL, 0 };
    struct credssp_tls_info ci, si;

    make_pair(&p, handshakes[_i].priority, handshakes[_i].key_type, NULL,
              NULL);
    ck_assert_int_eq(handshake_pair(&p), handshakes[_i].legs);
    ck_assert_uint_eq(credssp_tls_pending_input(p.client), 0);
    ck_assert_uint_eq(credssp_tls_pending_input(p.server), 0);

    ck_assert_int_eq(credssp_tls_info(p.client, &ci), 0);
    ck_assert_int_eq(credssp_tls_info(p.server, &si), 0);
    ck_assert_str_eq(ci.version, handshakes[_i].version);
    ck_assert_str_eq(si.version, handshakes[_i].version);
    ck_assert_str_eq(ci.cipher, si.cipher);
    ck_assert_uint_gt(strlen(ci.cipher), 4);

    /* The client's view of the peer key is the server's own key. */
    ck_assert_int_eq(credssp_tls_server_public_key(p.client, &ck), 0);
    ck_assert_int_eq(credssp_tls_server_public_key(p.server, &sk), 0);
    ck_assert_uint_eq(ck.len, handshakes[_i].key_len);
    ck_assert_uint_eq(ck.len, sk.len);
    ck_assert_mem_eq(ck.data, sk.data, ck.len);
    if (handshakes[_i].key_type == CREDSSP_TLS_KEY_RSA_2048) {
        /* PKCS#1 RSAPublicKey of a 2048-bit modulus. */
        ck_assert_mem_eq(ck.data, "\x30\x82\x01\x0a\x02\x82\x01\x01", 8);
    } else {
        ck_assert_uint_eq(ck.data[0], 0x04); /* uncompressed point */
    }
    credssp_buf_free(&ck);
    credssp_buf_free(&sk);
    free_pair(&p);
}
END_TEST

static const struct {
    const char *priority;
    enum credssp_tls_cb_type type;
    int expect;     /* 0 or the exact error */
    size_t len;
} bindings[] = {
    { PRIO_TLS13, CREDSSP_TLS_CB_SERVER_END_POINT, 0, 32 },
    { PRIO_TLS13, CREDSSP_TLS_CB_EXPORTER, 0, 32 },
    { PRIO_TLS13, CREDSSP_TLS_CB_UNIQUE, CREDSSP_ERR_TLS_CB_UNAVAILABLE, 0 },
    { PRIO_TLS12, CREDSSP_TLS_CB_SERVER_END_POINT, 0, 32 },
    { PRIO_TLS12, CREDSSP_TLS_CB_EXPORTER, 0, 32 },  /* EMS on by default */
    { PRIO_TLS12, CREDSSP_TLS_CB_UNIQUE, 0, 12 },
};

START_TEST(test_tls_channel_bindings_agree)
{
    struct pair p;
    struct credssp_buf c = { NULL, 0 }, s = { NULL, 0 }, app = { NULL, 0 };
    const char *prefix = credssp_tls_cb_prefix(bindings[_i].type);

    established_pair(&p, bindings[_i].priority);
    ck_assert_int_eq(credssp_tls_channel_binding(p.client,
                                                 bindings[_i].type, &c),
                     bindings[_i].expect);
    ck_assert_int_eq(credssp_tls_channel_binding(p.server,
                                                 bindings[_i].type, &s),
                     bindings[_i].expect);
    ck_assert_int_eq(credssp_tls_cb_application_data(
                         p.client, bindings[_i].type, &app),
                     bindings[_i].expect);
    if (bindings[_i].expect == 0) {
        ck_assert_uint_eq(c.len, bindings[_i].len);
        ck_assert_uint_eq(s.len, c.len);
        ck_assert_mem_eq(c.data, s.data, c.len);
        ck_assert_uint_eq(app.len, strlen(prefix) + c.len);
        ck_assert_mem_eq(app.data, prefix, strlen(prefix));
        ck_assert_mem_eq(app.data + strlen(prefix), c.data, c.len);
    } else {
        ck_assert_ptr_null(c.data);
        ck_assert_ptr_null(app.data);
        /* A failed query does not fail the session. */
        ck_assert_int_eq(credssp_tls_is_established(p.client), 1);
    }
    credssp_buf_free(&c);
    credssp_buf_free(&s);
    credssp_buf_free(&app);
    free_pair(&p);
}
END_TEST

/* tls-server-end-point is SHA-256 of the certificate DER both sides
 * report, computed here independently. */
START_TEST(test_tls_server_end_point_is_cert_hash)
{
    struct pair p;
    struct credssp_buf cert = { NULL, 0 }, scert = { NULL, 0 };
    struct credssp_buf cb = { NULL, 0 };
    uint8_t h[32];

    established_pair(&p, NULL);
    ck_assert_int_eq(credssp_tls_server_certificate(p.client, &cert), 0);
    ck_assert_int_eq(credssp_tls_server_certificate(p.server, &scert), 0);
    ck_assert_uint_eq(cert.len, scert.len);
    ck_assert_mem_eq(cert.data, scert.data, cert.len);
    ck_assert_int_eq(gnutls_hash_fast(GNUTLS_DIG_SHA256, cert.data,
                                      cert.len, h),
                     0);
    ck_assert_int_eq(credssp_tls_channel_binding(
                         p.client, CREDSSP_TLS_CB_SERVER_END_POINT, &cb),
                     0);
    ck_assert_uint_eq(cb.len, sizeof(h));
    ck_assert_mem_eq(cb.data, h, sizeof(h));
    credssp_buf_free(&cb);
    credssp_buf_free(&cert);
    credssp_buf_free(&scert);
    free_pair(&p);
}
END_TEST

/* One self-signed certificate per key type and process. */
START_TEST(test_tls_self_signed_is_shared)
{
    struct pair a, b, r;
    struct credssp_buf ca = { NULL, 0 }, cb = { NULL, 0 }, cr = { NULL, 0 };
    gnutls_x509_crt_t crt;
    gnutls_datum_t der;
    unsigned int usage = 0, critical = 0;
    char oid[128], cn[256];
    size_t size;
    time_t now = time(NULL), from, until;

    established_pair(&a, NULL);
    established_pair(&b, NULL);
    make_pair(&r, NULL, CREDSSP_TLS_KEY_RSA_2048, NULL, NULL);
    (void)handshake_pair(&r);
    ck_assert_int_eq(credssp_tls_server_certificate(a.client, &ca), 0);
    ck_assert_int_eq(credssp_tls_server_certificate(b.client, &cb), 0);
    ck_assert_int_eq(credssp_tls_server_certificate(r.client, &cr), 0);
    ck_assert_uint_eq(ca.len, cb.len);
    ck_assert_mem_eq(ca.data, cb.data, ca.len);
    ck_assert(ca.len != cr.len || memcmp(ca.data, cr.data, ca.len) != 0);

    /* Its contents: v3, host name CN, a year from an hour ago,
     * digitalSignature, serverAuth. */
    der.data = ca.data;
    der.size = (unsigned int)ca.len;
    ck_assert_int_eq(gnutls_x509_crt_init(&crt), 0);
    ck_assert_int_eq(gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER),
                     0);
    ck_assert_int_eq(gnutls_x509_crt_get_version(crt), 3);
    size = sizeof(cn);
    ck_assert_int_eq(gnutls_x509_crt_get_dn_by_oid(
                         crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &size),
                     0);
    ck_assert_uint_gt(size, 0);
    from = gnutls_x509_crt_get_activation_time(crt);
    until = gnutls_x509_crt_get_expiration_time(crt);
    ck_assert_int_le(from, now - 3000);
    ck_assert_int_ge(from, now - 3600 - 600);
    ck_assert_int_eq(until - from, 365 * 24 * 3600 + 3600);
    ck_assert_int_ge(gnutls_x509_crt_get_key_usage(crt, &usage, &critical),
                     0);
    ck_assert_uint_eq(usage, GNUTLS_KEY_DIGITAL_SIGNATURE);
    size = sizeof(oid);
    ck_assert_int_eq(gnutls_x509_crt_get_key_purpose_oid(crt, 0, oid, &size,
                                                         NULL),
                     0);
    ck_assert_str_eq(oid, GNUTLS_KP_TLS_WWW_SERVER);
    ck_assert_int_eq(gnutls_x509_crt_get_pk_algorithm(crt, NULL),
                     GNUTLS_PK_ECDSA);
    gnutls_x509_crt_deinit(crt);

    credssp_buf_free(&ca);
    credssp_buf_free(&cb);
    credssp_buf_free(&cr);
    free_pair(&a);
    free_pair(&b);
    free_pair(&r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Certificate and key files; the SubjectPublicKeyInfo walk (V2)       */
/* ------------------------------------------------------------------ */

static const struct {
    gnutls_pk_algorithm_t pk;
    unsigned int bits;
    const char *prefix;
    size_t spki_len;
    size_t cb_len;
} cert_files[] = {
    { GNUTLS_PK_RSA, 2048, SPKI_PREFIX_RSA2048, 294, 32 },
    { GNUTLS_PK_ECDSA, 256, SPKI_PREFIX_P256, 91, 32 },
    /* RFC 5929 leaves Ed25519 undefined; GnuTLS uses SHA-512. */
    { GNUTLS_PK_EDDSA_ED25519, 256, SPKI_PREFIX_ED25519, 44, 64 },
};

START_TEST(test_tls_cert_files_and_spki_walk)
{
    char dir[256], cert_path[300], key_path[300];
    gnutls_datum_t cert_der = { NULL, 0 }, spki = { NULL, 0 };
    uint8_t prefix[64];
    size_t prefix_len;
    struct credssp_buf key = { NULL, 0 };
    struct credssp_buf walked = { NULL, 0 }, cb = { NULL, 0 };
    struct pair p;

    make_temp_dir(dir, sizeof(dir));
    make_cert_files(cert_files[_i].pk, cert_files[_i].bits, dir, &cert_der,
                    &spki);
    (void)snprintf(cert_path, sizeof(cert_path), "%s/cert.pem", dir);
    (void)snprintf(key_path, sizeof(key_path), "%s/key.pem", dir);

    /* The expected key: SPKI minus its known prefix, computed without
     * our walker. */
    prefix_len = unhex(cert_files[_i].prefix, prefix, sizeof(prefix));
    ck_assert_uint_eq(spki.size, cert_files[_i].spki_len);
    ck_assert_mem_eq(spki.data, prefix, prefix_len);
    ck_assert_int_eq(credssp_tls_spki_key(spki.data, spki.size, &walked),
                     0);
    ck_assert_uint_eq(walked.len, spki.size - prefix_len);
    ck_assert_mem_eq(walked.data, spki.data + prefix_len, walked.len);

    make_pair(&p, NULL, 0, cert_path, key_path);
    ck_assert_int_eq(handshake_pair(&p), 3);
    ck_assert_int_eq(credssp_tls_server_public_key(p.client, &key), 0);
    ck_assert_uint_eq(key.len, walked.len);
    ck_assert_mem_eq(key.data, walked.data, key.len);
    credssp_buf_free(&key);
    ck_assert_int_eq(credssp_tls_server_public_key(p.server, &key), 0);
    ck_assert_mem_eq(key.data, walked.data, key.len);
    assert_server_cert(p.client, &cert_der);
    ck_assert_int_eq(credssp_tls_channel_binding(
                         p.client, CREDSSP_TLS_CB_SERVER_END_POINT, &cb),
                     0);
    ck_assert_uint_eq(cb.len, cert_files[_i].cb_len);

    credssp_buf_free(&cb);
    credssp_buf_free(&key);
    credssp_buf_free(&walked);
    free_pair(&p);
    gnutls_free(cert_der.data);
    gnutls_free(spki.data);
    ck_assert_int_eq(unlink(cert_path), 0);
    ck_assert_int_eq(unlink(key_path), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static const struct {
    const char *name;
    const char *hex;
} bad_spki[] = {
    { "empty", "" },
    { "not a SEQUENCE", "3107300003030000aa" },
    { "trailing byte", "3007300003030000aa00" },
    { "indefinite length", "3080300003030000aa0000" },
    { "long form for a short length", "308107300003030000aa" },
    { "leading zero length octet", "308200073000030300aaaa" },
    { "truncated", "3008300003030000aa" },
    { "no algorithm", "300503030000aa" },
    { "algorithm not a SEQUENCE", "3007050003030000aa" },
    { "key not a BIT STRING", "3007300004030000aa" },
    { "unused bits", "3007300003030100aa" },
    { "empty BIT STRING", "300430000300" },
    { "only the unused-bits octet", "30053000030100" },
    { "element after the key", "30083000030200aa0500" },
};

START_TEST(test_tls_spki_walk_rejects_malformed)
{
    uint8_t der[64];
    size_t len;
    struct credssp_buf key = { NULL, 0 };

    len = unhex(bad_spki[_i].hex, der, sizeof(der));
    ck_assert_msg(credssp_tls_spki_key(der, len, &key) ==
                      CREDSSP_ERR_TLS_NO_PEER_CERT,
                  "%s accepted", bad_spki[_i].name);
    ck_assert_ptr_null(key.data);
}
END_TEST

START_TEST(test_tls_spki_walk_minimal)
{
    static const uint8_t der[] = { 0x30, 0x08, 0x30, 0x00, 0x03, 0x04,
                                   0x00, 0xaa, 0xbb, 0xcc };
    struct credssp_buf key = { NULL, 0 };

    ck_assert_int_eq(credssp_tls_spki_key(der, sizeof(der), &key), 0);
    ck_assert_uint_eq(key.len, 3);
    ck_assert_mem_eq(key.data, "\xaa\xbb\xcc", 3);
    credssp_buf_free(&key);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Application data                                                    */
/* ------------------------------------------------------------------ */

static const size_t data_sizes[] = { 1, 16384, 100 * 1024 };

START_TEST(test_tls_application_data_round_trip)
{
    const char *priority = _i < 3 ? PRIO_TLS13 : PRIO_TLS12;
    size_t len = data_sizes[_i % 3];
    struct pair p;

    established_pair(&p, priority);
    round_trip(p.client, p.server, len);
    round_trip(p.server, p.client, len);
    round_trip(p.client, p.server, len);
    free_pair(&p);
}
END_TEST

/* Two records (16384 + 3616 bytes) fed one byte at a time: nothing comes
 * out until a record is whole, and the partial record stays counted. */
START_TEST(test_tls_records_fed_byte_by_byte)
{
    enum { LEN = 20000 };
    struct pair p;
    struct credssp_buf tok = { NULL, 0 }, plain = { NULL, 0 };
    uint8_t *data = malloc(LEN), *got = malloc(LEN);
    size_t i, have = 0, boundary = 0, records = 0;

    ck_assert_ptr_nonnull(data);
    ck_assert_ptr_nonnull(got);
    fill_pattern(data, LEN, 7);
    established_pair(&p, _i == 0 ? PRIO_TLS13 : PRIO_TLS12);
    ck_assert_int_eq(credssp_tls_encrypt(p.client, data, LEN), 0);
    ck_assert_int_eq(credssp_tls_take_output(p.client, &tok), 0);
    for (i = 0; i < tok.len; i++) {
        ck_assert_int_eq(credssp_tls_feed(p.server, tok.data + i, 1), 0);
        ck_assert_int_eq(credssp_tls_decrypt(p.server, &plain), 0);
        if (plain.len > 0) {
            ck_assert_uint_le(plain.len, LEN - have);
            memcpy(got + have, plain.data, plain.len);
            have += plain.len;
            boundary = i + 1;
            records++;
        }
        ck_assert_uint_eq(credssp_tls_pending_input(p.server),
                          i + 1 - boundary);
        credssp_buf_wipe_free(&plain);
    }
    ck_assert_uint_eq(records, 2);
    ck_assert_uint_eq(have, LEN);
    ck_assert_mem_eq(got, data, LEN);
    credssp_buf_free(&tok);
    free_pair(&p);
    free(data);
    free(got);
}
END_TEST

/* The server's second leg fed one byte at a time: AGAIN until whole. */
START_TEST(test_tls_handshake_fed_byte_by_byte)
{
    struct pair p;
    struct credssp_buf tok = { NULL, 0 };
    size_t i;
    int rc;

    make_pair(&p, _i == 0 ? PRIO_TLS13 : PRIO_TLS12,
              CREDSSP_TLS_KEY_ECDSA_P256, NULL, NULL);
    ck_assert_int_eq(credssp_tls_handshake(p.client), CREDSSP_TLS_AGAIN);
    (void)shuttle(p.client, p.server);
    ck_assert_int_eq(credssp_tls_handshake(p.server), CREDSSP_TLS_AGAIN);
    ck_assert_int_eq(credssp_tls_take_output(p.server, &tok), 0);
    for (i = 0; i < tok.len; i++) {
        ck_assert_int_eq(credssp_tls_feed(p.client, tok.data + i, 1), 0);
        rc = credssp_tls_handshake(p.client);
        if (_i == 0 && i + 1 == tok.len) {
            ck_assert_int_eq(rc, 0);    /* TLS 1.3: client done */
        } else {
            ck_assert_int_eq(rc, CREDSSP_TLS_AGAIN);
        }
    }
    ck_assert_uint_eq(credssp_tls_pending_input(p.client), 0);
    credssp_buf_free(&tok);
    free_pair(&p);
}
END_TEST

/* Several records in one token, and application data riding on the
 * token that ends the handshake. */
START_TEST(test_tls_records_concatenated)
{
    struct pair p;
    struct credssp_buf tok = { NULL, 0 }, plain = { NULL, 0 };
    int rc, turn = 0, step;
    struct credssp_tls *side[2];

    make_pair(&p, _i == 0 ? PRIO_TLS13 : PRIO_TLS12,
              CREDSSP_TLS_KEY_ECDSA_P256, NULL, NULL);
    side[0] = p.client;
    side[1] = p.server;
    /* Step until one side completes while producing a token. */
    for (step = 0; step < MAX_STEPS; step++) {
        rc = credssp_tls_handshake(side[turn]);
        if (rc == 0) {
            break;
        }
        ck_assert_int_eq(rc, CREDSSP_TLS_AGAIN);
        (void)shuttle(side[turn], side[!turn]);
        turn = !turn;
    }
    /* TLS 1.3: the client finishes first; TLS 1.2: the server. */
    ck_assert_ptr_eq(side[turn], _i == 0 ? p.client : p.server);
    ck_assert_int_eq(credssp_tls_encrypt(side[turn], "one", 3), 0);
    ck_assert_int_eq(credssp_tls_encrypt(side[turn], "two", 3), 0);
    ck_assert_int_eq(credssp_tls_encrypt(side[turn], "three", 5), 0);
    ck_assert_int_eq(credssp_tls_take_output(side[turn], &tok), 0);
    ck_assert_uint_eq(count_records(&tok, 23), _i == 0 ? 4 : 3);
    ck_assert_int_eq(credssp_tls_feed(side[!turn], tok.data, tok.len), 0);
    ck_assert_int_eq(credssp_tls_handshake(side[!turn]), 0);
    ck_assert_uint_gt(credssp_tls_pending_input(side[!turn]), 0);
    ck_assert_int_eq(credssp_tls_decrypt(side[!turn], &plain), 0);
    ck_assert_uint_eq(plain.len, 11);
    ck_assert_mem_eq(plain.data, "onetwothree", 11);
    credssp_buf_wipe_free(&plain);
    credssp_buf_free(&tok);
    /* Nothing is left to say for the side that finished last. */
    ck_assert_int_eq(credssp_tls_take_output(side[!turn], &tok), 0);
    ck_assert_uint_eq(tok.len, 0);
    free_pair(&p);
}
END_TEST

/* A memory transport for a plain GnuTLS session of the test's own. */
struct mem_pipe {
    struct credssp_buf in;  /* queued for the session to read */
    size_t in_pos;
    struct credssp_out out; /* what the session wrote */
    gnutls_session_t session;
};

static ssize_t
mem_push(gnutls_transport_ptr_t ptr, const void *data, size_t len)
{
    struct mem_pipe *m = ptr;

    credssp_out_add(&m->out, data, len);
    return m->out.status == 0 ? (ssize_t)len : -1;
}

static ssize_t
mem_pull(gnutls_transport_ptr_t ptr, void *data, size_t len)
{
    struct mem_pipe *m = ptr;
    size_t n = m->in.len - m->in_pos;

    if (n == 0) {
        gnutls_transport_set_errno(m->session, EAGAIN);
        return -1;
    }
    if (n > len) {
        n = len;
    }
    memcpy(data, m->in.data + m->in_pos, n);
    m->in_pos += n;
    return (ssize_t)n;
}

/* Hand the session's output to a credssp client session. */
static void
mem_to_client(struct mem_pipe *m, struct credssp_tls *client)
{
    struct credssp_buf tok = { NULL, 0 };

    ck_assert_int_eq(credssp_out_finish(&m->out, &tok), 0);
    credssp_out_init(&m->out, 0, 0);
    ck_assert_int_eq(credssp_tls_feed(client, tok.data, tok.len), 0);
    credssp_buf_free(&tok);
}

/* A plain GnuTLS server (ECDSA certificate files of its own) and one of
 * our client sessions, handshaken over the memory transport. */
struct raw_pair {
    struct mem_pipe m;
    struct credssp_tls *client;
    gnutls_certificate_credentials_t xcred;
    gnutls_datum_t ticket_key, der, spki;
    char dir[256], cert[300], key[300];
};

static void
raw_pair_start(struct raw_pair *r, const char *priority, int tickets)
{
    struct credssp_tls_config cc = { priority, NULL, NULL, 0 };
    int rc = 0, step;

    memset(r, 0, sizeof(*r));
    credssp_out_init(&r->m.out, 0, 0);
    make_temp_dir(r->dir, sizeof(r->dir));
    make_cert_files(GNUTLS_PK_ECDSA, 256, r->dir, &r->der, &r->spki);
    (void)snprintf(r->cert, sizeof(r->cert), "%s/cert.pem", r->dir);
    (void)snprintf(r->key, sizeof(r->key), "%s/key.pem", r->dir);
    ck_assert_int_eq(gnutls_certificate_allocate_credentials(&r->xcred), 0);
    ck_assert_int_eq(gnutls_certificate_set_x509_key_file(
                         r->xcred, r->cert, r->key, GNUTLS_X509_FMT_PEM),
                     0);
    ck_assert_int_eq(gnutls_init(&r->m.session, GNUTLS_SERVER), 0);
    ck_assert_int_eq(gnutls_priority_set_direct(r->m.session, priority,
                                                NULL),
                     0);
    ck_assert_int_eq(gnutls_credentials_set(r->m.session,
                                            GNUTLS_CRD_CERTIFICATE,
                                            r->xcred),
                     0);
    if (tickets) {
        ck_assert_int_eq(gnutls_session_ticket_key_generate(&r->ticket_key),
                         0);
        ck_assert_int_eq(gnutls_session_ticket_enable_server(
                             r->m.session, &r->ticket_key),
                         0);
    }
    gnutls_transport_set_ptr(r->m.session, &r->m);
    gnutls_transport_set_push_function(r->m.session, mem_push);
    gnutls_transport_set_pull_function(r->m.session, mem_pull);
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_CLIENT, &cc, &r->client),
                     0);

    /* Handshake: client and server alternate until the server is done,
     * then the client reads the server's last flight, if any. */
    for (step = 0; step < MAX_STEPS; step++) {
        rc = credssp_tls_handshake(r->client);
        ck_assert(rc == 0 || rc == CREDSSP_TLS_AGAIN);
        credssp_buf_free(&r->m.in);
        r->m.in_pos = 0;
        ck_assert_int_eq(credssp_tls_take_output(r->client, &r->m.in), 0);
        rc = gnutls_handshake(r->m.session);
        if (rc == 0) {
            break;
        }
        ck_assert_int_eq(rc, GNUTLS_E_AGAIN);
        mem_to_client(&r->m, r->client);
    }
    ck_assert_int_eq(rc, 0);
    if (r->m.out.len > 0) {
        mem_to_client(&r->m, r->client);
        ck_assert_int_eq(credssp_tls_handshake(r->client), 0);
    }
    ck_assert_int_eq(credssp_tls_is_established(r->client), 1);
}

static void
raw_pair_free(struct raw_pair *r)
{
    credssp_tls_free(&r->client);
    gnutls_deinit(r->m.session);
    gnutls_certificate_free_credentials(r->xcred);
    gnutls_free(r->ticket_key.data);
    gnutls_free(r->der.data);
    gnutls_free(r->spki.data);
    credssp_buf_free(&r->m.in);
    credssp_out_free(&r->m.out);
    ck_assert_int_eq(unlink(r->cert), 0);
    ck_assert_int_eq(unlink(r->key), 0);
    ck_assert_int_eq(rmdir(r->dir), 0);
}

/*
 * OpenSSL servers (FreeRDP) send TLS 1.3 NewSessionTickets right after the
 * handshake, so the client's first TSRequest answer arrives behind them,
 * in the same token or in later ones.  The client skips the tickets and
 * returns the data: _i = 0 tickets and data in one token, 1 the tickets
 * alone first.
 */
START_TEST(test_tls_session_tickets_skipped)
{
    struct credssp_buf plain = { NULL, 0 };
    struct raw_pair r;

    raw_pair_start(&r, "NORMAL:-VERS-ALL:+VERS-TLS1.3", 1);
    /* Two tickets, as OpenSSL sends them, whether or not the client asked
     * (ours does not). */
    ck_assert_uint_eq(r.m.out.len, 0);
    ck_assert_int_eq(gnutls_session_ticket_send(r.m.session, 2, 0), 0);
    ck_assert_uint_gt(r.m.out.len, 0);
    if (_i == 1) {
        mem_to_client(&r.m, r.client);
        ck_assert_int_eq(credssp_tls_decrypt(r.client, &plain), 0);
        ck_assert_uint_eq(plain.len, 0);
        credssp_buf_free(&plain);
    }
    ck_assert_int_eq(gnutls_record_send(r.m.session, "answer", 6), 6);
    mem_to_client(&r.m, r.client);
    ck_assert_int_eq(credssp_tls_decrypt(r.client, &plain), 0);
    ck_assert_uint_eq(plain.len, 6);
    ck_assert_mem_eq(plain.data, "answer", 6);
    ck_assert_uint_eq(credssp_tls_pending_input(r.client), 0);
    credssp_buf_wipe_free(&plain);
    raw_pair_free(&r);
}
END_TEST

/*
 * Byte compatibility of the records gss_wrap and gss_unwrap are made of
 * (credssp_tls_encrypt/decrypt): what our session writes, a plain GnuTLS
 * session at the other end of the connection reads with
 * gnutls_record_recv, and what that one writes with gnutls_record_send,
 * ours reads -- 1, 16383, 16384, 16385 bytes and 1 MiB, one record per
 * started 16384 bytes, and the empty message (TLS 1.3 only: one record of
 * padding, which the plain session skips).  _i 0: TLS 1.3, 1: TLS 1.2.
 */
START_TEST(test_tls_records_interoperate_with_gnutls)
{
    static const size_t sizes[] = { 0, 1, 16383, 16384, 16385,
                                    1024 * 1024 };
    struct credssp_buf tok = { NULL, 0 }, plain = { NULL, 0 };
    struct raw_pair r;
    uint8_t *data, *got;
    size_t k, len, have;
    ssize_t n;

    raw_pair_start(&r, _i == 0 ? PRIO_TLS13 : PRIO_TLS12, 0);
    /* As an established context has it (gss_unwrap takes 1 MiB). */
    credssp_tls_set_input_limit(r.client, CREDSSP_TLS_MESSAGE_INPUT_LIMIT);
    data = malloc(1024 * 1024);
    got = malloc(1024 * 1024 + 1);
    ck_assert_ptr_nonnull(data);
    ck_assert_ptr_nonnull(got);
    for (k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
        len = sizes[k];
        fill_pattern(data, len, (unsigned int)k);
        if (len == 0 && _i == 1) {
            ck_assert_int_eq(credssp_tls_encrypt(r.client, data, 0),
                             CREDSSP_ERR_WRAP_EMPTY);
            continue;
        }
        /* Ours -> plain GnuTLS. */
        ck_assert_int_eq(credssp_tls_encrypt(r.client, data, len), 0);
        ck_assert_int_eq(credssp_tls_take_output(r.client, &tok), 0);
        ck_assert_uint_eq(count_records(&tok, 23),
                          len == 0 ? 1 : (len + 16383) / 16384);
        credssp_buf_free(&r.m.in);
        r.m.in = tok;
        r.m.in_pos = 0;
        tok.data = NULL;
        tok.len = 0;
        for (have = 0;;) {
            n = gnutls_record_recv(r.m.session, got + have,
                                   1024 * 1024 + 1 - have);
            if (n == GNUTLS_E_AGAIN) {
                break;
            }
            ck_assert_int_gt(n, 0);
            have += (size_t)n;
        }
        ck_assert_uint_eq(r.m.in_pos, r.m.in.len);
        ck_assert_uint_eq(have, len);
        if (len > 0) {
            ck_assert_mem_eq(got, data, len);
        }
        if (len == 0) {
            continue; /* GnuTLS sends no empty record */
        }
        /* Plain GnuTLS -> ours. */
        for (have = 0; have < len; have += (size_t)n) {
            n = gnutls_record_send(r.m.session, data + have, len - have);
            ck_assert_int_gt(n, 0);
        }
        ck_assert_int_eq(credssp_out_finish(&r.m.out, &tok), 0);
        credssp_out_init(&r.m.out, 0, 0);
        ck_assert_uint_eq(count_records(&tok, 23), (len + 16383) / 16384);
        ck_assert_int_eq(credssp_tls_feed(r.client, tok.data, tok.len), 0);
        credssp_buf_free(&tok);
        ck_assert_int_eq(credssp_tls_decrypt(r.client, &plain), 0);
        ck_assert_uint_eq(plain.len, len);
        ck_assert_mem_eq(plain.data, data, len);
        ck_assert_uint_eq(credssp_tls_pending_input(r.client), 0);
        credssp_buf_wipe_free(&plain);
    }
    free(data);
    free(got);
    raw_pair_free(&r);
}
END_TEST

/*
 * Our channel bindings equal GnuTLS's own gnutls_session_channel_binding()
 * for the same connection, computed by the other end (a plain GnuTLS
 * server): tls-server-end-point and tls-exporter with TLS 1.3 and 1.2
 * (extended master secret), tls-unique with TLS 1.2 only (_i 0: 1.3,
 * 1: 1.2).
 */
START_TEST(test_tls_bindings_match_gnutls)
{
    static const struct {
        enum credssp_tls_cb_type ours;
        gnutls_channel_binding_t theirs;
    } types[] = {
        { CREDSSP_TLS_CB_SERVER_END_POINT, GNUTLS_CB_TLS_SERVER_END_POINT },
        { CREDSSP_TLS_CB_UNIQUE, GNUTLS_CB_TLS_UNIQUE },
        { CREDSSP_TLS_CB_EXPORTER, GNUTLS_CB_TLS_EXPORTER },
    };
    struct credssp_buf cb = { NULL, 0 };
    gnutls_datum_t theirs = { NULL, 0 };
    struct raw_pair r;
    size_t t;
    int ret;

    raw_pair_start(&r, _i == 0 ? "NORMAL:-VERS-ALL:+VERS-TLS1.3"
                               : "NORMAL:-VERS-ALL:+VERS-TLS1.2",
                   0);
    for (t = 0; t < sizeof(types) / sizeof(*types); t++) {
        ret = credssp_tls_channel_binding(r.client, types[t].ours, &cb);
        if (_i == 0 && types[t].ours == CREDSSP_TLS_CB_UNIQUE) {
            ck_assert_int_eq(ret, CREDSSP_ERR_TLS_CB_UNAVAILABLE);
            continue;
        }
        ck_assert_int_eq(ret, 0);
        ck_assert_int_eq(gnutls_session_channel_binding(
                             r.m.session, types[t].theirs, &theirs),
                         0);
        ck_assert_uint_gt(cb.len, 0);
        ck_assert_uint_eq(cb.len, theirs.size);
        ck_assert_mem_eq(cb.data, theirs.data, cb.len);
        gnutls_free(theirs.data);
        theirs.data = NULL;
        credssp_buf_free(&cb);
    }
    raw_pair_free(&r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Failures: exact codes                                               */
/* ------------------------------------------------------------------ */

START_TEST(test_tls_flipped_bit_is_record_error)
{
    struct pair p;
    struct credssp_buf tok = { NULL, 0 }, plain = { NULL, 0 };

    established_pair(&p, _i == 0 ? PRIO_TLS13 : PRIO_TLS12);
    ck_assert_int_eq(credssp_tls_encrypt(p.client, "secret data", 11), 0);
    ck_assert_int_eq(credssp_tls_take_output(p.client, &tok), 0);
    tok.data[tok.len - 3] ^= 0x10;
    ck_assert_int_eq(credssp_tls_feed(p.server, tok.data, tok.len), 0);
    ck_assert_int_eq(credssp_tls_decrypt(p.server, &plain),
                     CREDSSP_ERR_TLS_RECORD);
    ck_assert_ptr_null(plain.data);
    ck_assert_str_eq(credssp_tls_last_error_text(p.server),
                     gnutls_strerror(GNUTLS_E_DECRYPTION_FAILED));
    /* The failure is sticky. */
    ck_assert_int_eq(credssp_tls_decrypt(p.server, &plain),
                     CREDSSP_ERR_TLS_RECORD);
    ck_assert_int_eq(credssp_tls_encrypt(p.server, "x", 1),
                     CREDSSP_ERR_TLS_RECORD);
    ck_assert_int_eq(credssp_tls_feed(p.server, "x", 1),
                     CREDSSP_ERR_TLS_RECORD);
    credssp_buf_free(&tok);

    /* The server queued a bad_record_mac alert for the client. */
    (void)shuttle(p.server, p.client);
    ck_assert_int_eq(credssp_tls_decrypt(p.client, &plain),
                     CREDSSP_ERR_TLS_ALERT);
    ck_assert_str_eq(credssp_tls_last_error_text(p.client),
                     gnutls_alert_get_name(GNUTLS_A_BAD_RECORD_MAC));
    free_pair(&p);
}
END_TEST

/* A man in the middle changes one bit of the server's protected
 * handshake record (TLS 1.3 leg 2, TLS 1.2 leg 4): the client fails with
 * CREDSSP_ERR_TLS_RECORD. */
START_TEST(test_tls_tampered_handshake)
{
    struct pair p;
    struct credssp_buf tok = { NULL, 0 };
    int leg, last = _i == 0 ? 2 : 4;

    make_pair(&p, _i == 0 ? PRIO_TLS13 : PRIO_TLS12,
              CREDSSP_TLS_KEY_ECDSA_P256, NULL, NULL);
    ck_assert_int_eq(credssp_tls_handshake(p.client), CREDSSP_TLS_AGAIN);
    for (leg = 2; leg < last; leg += 2) {
        (void)shuttle(p.client, p.server);
        ck_assert_int_eq(credssp_tls_handshake(p.server), CREDSSP_TLS_AGAIN);
        (void)shuttle(p.server, p.client);
        ck_assert_int_eq(credssp_tls_handshake(p.client), CREDSSP_TLS_AGAIN);
    }
    (void)shuttle(p.client, p.server);
    ck_assert_int_ge(credssp_tls_handshake(p.server), 0);
    ck_assert_int_eq(credssp_tls_take_output(p.server, &tok), 0);
    tok.data[tok.len - 2] ^= 0x01;
    ck_assert_int_eq(credssp_tls_feed(p.client, tok.data, tok.len), 0);
    ck_assert_int_eq(credssp_tls_handshake(p.client),
                     CREDSSP_ERR_TLS_RECORD);
    ck_assert_int_eq(credssp_tls_is_established(p.client), 0);
    credssp_buf_free(&tok);
    free_pair(&p);
}
END_TEST

/* close_notify from the peer ends the channel: CREDSSP_ERR_TLS_CLOSED on
 * both sides from then on. */
START_TEST(test_tls_close_notify)
{
    struct pair p;
    struct credssp_buf plain = { NULL, 0 };

    established_pair(&p, _i == 0 ? PRIO_TLS13 : PRIO_TLS12);
    ck_assert_int_eq(credssp_tls_encrypt(p.client, "last", 4), 0);
    ck_assert_int_eq(credssp_tls_close(p.client), 0);
    ck_assert_int_eq(credssp_tls_encrypt(p.client, "x", 1),
                     CREDSSP_ERR_TLS_CLOSED);
    ck_assert_int_eq(credssp_tls_is_established(p.client), 0);
    (void)shuttle(p.client, p.server);
    /* The data that came before close_notify in the same token first
     * (FreeRDP 3 sends its errorCode so), then the closure. */
    ck_assert_int_eq(credssp_tls_decrypt(p.server, &plain), 0);
    ck_assert_uint_eq(plain.len, 4);
    ck_assert_mem_eq(plain.data, "last", 4);
    credssp_buf_wipe_free(&plain);
    ck_assert_int_eq(credssp_tls_decrypt(p.server, &plain),
                     CREDSSP_ERR_TLS_CLOSED);
    ck_assert_ptr_null(plain.data);
    ck_assert_int_eq(credssp_tls_encrypt(p.server, "x", 1),
                     CREDSSP_ERR_TLS_CLOSED);
    free_pair(&p);
}
END_TEST

/* close_notify alone: the closure at once. */
START_TEST(test_tls_close_notify_alone)
{
    struct pair p;
    struct credssp_buf plain = { NULL, 0 };

    established_pair(&p, _i == 0 ? PRIO_TLS13 : PRIO_TLS12);
    ck_assert_int_eq(credssp_tls_close(p.client), 0);
    (void)shuttle(p.client, p.server);
    ck_assert_int_eq(credssp_tls_decrypt(p.server, &plain),
                     CREDSSP_ERR_TLS_CLOSED);
    ck_assert_ptr_null(plain.data);
    free_pair(&p);
}
END_TEST

static const struct {
    const char *name;
    const char *bytes;
    size_t len;
} garbage[] = {
    { "HTTP", "GET / HTTP/1.1\r\n\r\n", 18 },
    { "ClientHello of junk", "\x16\x03\x01\x00\x08\x01\x00\x00\x04junk",
      13 },
    { "huge record length", "\x16\x03\x01\xff\xff", 5 },
    { "one byte", "\x00", 1 },
};

/* Not TLS as the first token: the server fails with
 * CREDSSP_ERR_TLS_HANDSHAKE and queues an alert, which the client then
 * reports as CREDSSP_ERR_TLS_ALERT. */
START_TEST(test_tls_garbage_first_token)
{
    struct pair p;

    make_pair(&p, NULL, CREDSSP_TLS_KEY_ECDSA_P256, NULL, NULL);
    ck_assert_int_eq(credssp_tls_feed(p.server, garbage[_i].bytes,
                                      garbage[_i].len),
                     0);
    ck_assert_int_eq(credssp_tls_handshake(p.server),
                     CREDSSP_ERR_TLS_HANDSHAKE);
    ck_assert_int_eq(credssp_tls_handshake(p.server),
                     CREDSSP_ERR_TLS_HANDSHAKE);
    ck_assert_int_eq(credssp_tls_handshake(p.client), CREDSSP_TLS_AGAIN);
    ck_assert_uint_gt(shuttle(p.server, p.client), 0);
    ck_assert_int_eq(credssp_tls_handshake(p.client),
                     CREDSSP_ERR_TLS_ALERT);
    ck_assert_uint_gt(strlen(credssp_tls_last_error_text(p.client)), 0);
    free_pair(&p);
}
END_TEST

/* Not TLS as the server's answer: the client fails the same way. */
START_TEST(test_tls_garbage_server_answer)
{
    struct pair p;

    make_pair(&p, NULL, CREDSSP_TLS_KEY_ECDSA_P256, NULL, NULL);
    ck_assert_int_eq(credssp_tls_handshake(p.client), CREDSSP_TLS_AGAIN);
    ck_assert_int_eq(credssp_tls_feed(p.client, "HTTP/1.1 400 Bad\r\n\r\n",
                                      20),
                     0);
    ck_assert_int_eq(credssp_tls_handshake(p.client),
                     CREDSSP_ERR_TLS_HANDSHAKE);
    free_pair(&p);
}
END_TEST

START_TEST(test_tls_bad_configuration)
{
    struct credssp_tls_config bad_prio = { "NORMAL:+NO-SUCH-THING", NULL,
                                           NULL, 0 };
    struct credssp_tls_config half = { NULL, "/nonexistent/cert.pem", NULL,
                                       0 };
    struct credssp_tls_config missing = { NULL, "/nonexistent/cert.pem",
                                          "/nonexistent/key.pem", 0 };
    struct credssp_tls_config bad_key = { NULL, NULL, NULL, 9 };
    struct credssp_tls *tls = NULL;

    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_CLIENT, &bad_prio, &tls),
                     CREDSSP_ERR_TLS_CONFIG);
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &bad_prio, &tls),
                     CREDSSP_ERR_TLS_CONFIG);
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &half, &tls),
                     CREDSSP_ERR_TLS_CONFIG);
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &missing, &tls),
                     CREDSSP_ERR_TLS_CERT);
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &bad_key, &tls),
                     CREDSSP_ERR_TLS_CONFIG);
    ck_assert_int_eq(credssp_tls_new(3, NULL, &tls),
                     CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_ptr_null(tls);
}
END_TEST

/* A certificate file with the wrong key, and files that are not PEM. */
/*
 * Configured files are parsed once and reused while unchanged.  Files
 * replaced (here by rename, a new inode) are read anew by the next
 * session, while a session that began before keeps its certificate.
 */
START_TEST(test_tls_cert_files_replaced)
{
    char dir[256], dir2[256], cert[300], key[300], cert2[300], key2[300];
    gnutls_datum_t der1 = { NULL, 0 }, der2 = { NULL, 0 };
    gnutls_datum_t spki = { NULL, 0 };
    struct pair p1, p2, p3;

    make_temp_dir(dir, sizeof(dir));
    make_temp_dir(dir2, sizeof(dir2));
    make_cert_files(GNUTLS_PK_ECDSA, 256, dir, &der1, &spki);
    gnutls_free(spki.data);
    make_cert_files(GNUTLS_PK_ECDSA, 256, dir2, &der2, &spki);
    gnutls_free(spki.data);
    ck_assert(der1.size != der2.size ||
              memcmp(der1.data, der2.data, der1.size) != 0);
    (void)snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
    (void)snprintf(key, sizeof(key), "%s/key.pem", dir);
    (void)snprintf(cert2, sizeof(cert2), "%s/cert.pem", dir2);
    (void)snprintf(key2, sizeof(key2), "%s/key.pem", dir2);

    /* Twice the same files: the same certificate. */
    ck_assert_int_eq(credssp_tls_check_cert_files(cert, key), 0);
    make_pair(&p1, NULL, 0, cert, key);
    ck_assert_int_eq(handshake_pair(&p1), 3);
    make_pair(&p2, NULL, 0, cert, key);
    ck_assert_int_eq(handshake_pair(&p2), 3);
    assert_server_cert(p2.client, &der1);
    free_pair(&p2);

    /* Replaced under the running session p1. */
    ck_assert_int_eq(rename(cert2, cert), 0);
    ck_assert_int_eq(rename(key2, key), 0);
    make_pair(&p3, NULL, 0, cert, key);
    ck_assert_int_eq(handshake_pair(&p3), 3);
    assert_server_cert(p3.client, &der2);
    round_trip(p1.client, p1.server, 100);
    round_trip(p1.server, p1.client, 100);
    assert_server_cert(p1.client, &der1);
    free_pair(&p1);
    free_pair(&p3);

    gnutls_free(der1.data);
    gnutls_free(der2.data);
    ck_assert_int_eq(unlink(cert), 0);
    ck_assert_int_eq(unlink(key), 0);
    ck_assert_int_eq(rmdir(dir), 0);
    ck_assert_int_eq(rmdir(dir2), 0);
}
END_TEST

START_TEST(test_tls_bad_cert_files)
{
    char dir[256], a_cert[300], a_key[300], b_cert[300], b_key[300];
    char junk[300], fifo[300];
    gnutls_datum_t der = { NULL, 0 }, spki = { NULL, 0 };
    struct credssp_tls_config cfg = { NULL, NULL, NULL, 0 };
    struct credssp_tls *tls = NULL;

    make_temp_dir(dir, sizeof(dir));
    make_cert_files(GNUTLS_PK_ECDSA, 256, dir, &der, &spki);
    (void)snprintf(a_cert, sizeof(a_cert), "%s/a-cert.pem", dir);
    (void)snprintf(a_key, sizeof(a_key), "%s/a-key.pem", dir);
    (void)snprintf(b_cert, sizeof(b_cert), "%s/cert.pem", dir);
    (void)snprintf(b_key, sizeof(b_key), "%s/key.pem", dir);
    (void)snprintf(junk, sizeof(junk), "%s/junk.pem", dir);
    (void)snprintf(fifo, sizeof(fifo), "%s/fifo.pem", dir);
    ck_assert_int_eq(rename(b_cert, a_cert), 0);
    ck_assert_int_eq(rename(b_key, a_key), 0);
    gnutls_free(der.data);
    gnutls_free(spki.data);
    make_cert_files(GNUTLS_PK_ECDSA, 256, dir, &der, &spki);
    gnutls_free(der.data);
    gnutls_free(spki.data);
    write_file(junk, "not a certificate\n", 18);

    cfg.cert_file = a_cert;
    cfg.key_file = b_key;
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &cfg, &tls),
                     CREDSSP_ERR_TLS_CERT);
    cfg.cert_file = junk;
    cfg.key_file = a_key;
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &cfg, &tls),
                     CREDSSP_ERR_TLS_CERT);
    cfg.cert_file = a_cert;
    cfg.key_file = junk;
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &cfg, &tls),
                     CREDSSP_ERR_TLS_CERT);
    ck_assert_ptr_null(tls);
    /* A FIFO nobody writes to, a directory: refused, never waited on. */
    cfg.key_file = fifo;
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &cfg, &tls),
                     CREDSSP_ERR_TLS_CERT);
    cfg.key_file = a_key;
    cfg.cert_file = dir;
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &cfg, &tls),
                     CREDSSP_ERR_TLS_CERT);
    ck_assert_ptr_null(tls);
    cfg.cert_file = a_cert;
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &cfg, &tls), 0);
    credssp_tls_free(&tls);

    ck_assert_int_eq(unlink(fifo), 0);
    ck_assert_int_eq(unlink(a_cert), 0);
    ck_assert_int_eq(unlink(a_key), 0);
    ck_assert_int_eq(unlink(b_cert), 0);
    ck_assert_int_eq(unlink(b_key), 0);
    ck_assert_int_eq(unlink(junk), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* Calls that need an established session, the input bound, NULLs. */
START_TEST(test_tls_misuse)
{
    struct credssp_tls *tls = NULL;
    struct credssp_buf b = { NULL, 0 };
    struct credssp_tls_info info;
    uint8_t *big = calloc(1, CREDSSP_TLS_INPUT_LIMIT);

    ck_assert_ptr_nonnull(big);
    credssp_tls_free(NULL);
    credssp_tls_free(&tls);
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, NULL, &tls), 0);
    ck_assert_int_eq(credssp_tls_is_established(tls), 0);
    ck_assert_int_eq(credssp_tls_encrypt(tls, "x", 1),
                     CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_int_eq(credssp_tls_decrypt(tls, &b), CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_int_eq(credssp_tls_server_public_key(tls, &b),
                     CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_int_eq(credssp_tls_channel_binding(
                         tls, CREDSSP_TLS_CB_EXPORTER, &b),
                     CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_int_eq(credssp_tls_info(tls, &info), CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_str_eq(credssp_tls_last_error_text(tls), "");

    /* Exactly the limit fits; one more byte does not. */
    ck_assert_int_eq(credssp_tls_feed(tls, big, CREDSSP_TLS_INPUT_LIMIT),
                     0);
    ck_assert_int_eq(credssp_tls_feed(tls, big, 1), CREDSSP_ERR_TOO_LARGE);
    ck_assert_uint_eq(credssp_tls_pending_input(tls),
                      CREDSSP_TLS_INPUT_LIMIT);
    ck_assert_int_eq(credssp_tls_take_output(tls, &b), 0);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    credssp_tls_free(&tls);
    ck_assert_ptr_null(tls);
    free(big);
}
END_TEST

/* ------------------------------------------------------------------ */
/* pubKeyAuth values (MS-CSSP.md 3, 8 V1)                              */
/* ------------------------------------------------------------------ */

START_TEST(test_pubkey_v1_known_answers)
{
    static const uint8_t key[] = { 0x00, 0x01 }, nonce[] = { 0x00, 0x00 };
    uint8_t out[CREDSSP_PUBKEY_HASH_LEN], want[CREDSSP_PUBKEY_HASH_LEN];
    struct credssp_buf v = { NULL, 0 };

    ck_assert_int_eq(credssp_pubkey_hash_any(CREDSSP_PUBKEY_CLIENT_TO_SERVER,
                                             nonce, sizeof(nonce), key,
                                             sizeof(key), out),
                     0);
    (void)unhex("4590c26c837dacdf3da8fae578264d9e"
                "45486afc3951f21ef357064cd55fbbb5",
                want, sizeof(want));
    ck_assert_mem_eq(out, want, sizeof(want));
    ck_assert_int_eq(credssp_pubkey_hash_any(CREDSSP_PUBKEY_SERVER_TO_CLIENT,
                                             nonce, sizeof(nonce), key,
                                             sizeof(key), out),
                     0);
    (void)unhex("cdf4ffee6cb6395e5b692c2da397386f"
                "6a1eab2d3a6271816a04c7a2914d333f",
                want, sizeof(want));
    ck_assert_mem_eq(out, want, sizeof(want));

    ck_assert_int_eq(credssp_pubkey_value(CREDSSP_PUBKEY_FORM_ECHO,
                                          CREDSSP_PUBKEY_CLIENT_TO_SERVER,
                                          NULL, key, sizeof(key), &v),
                     0);
    ck_assert_uint_eq(v.len, 2);
    ck_assert_mem_eq(v.data, "\x00\x01", 2);
    credssp_buf_free(&v);
    ck_assert_int_eq(credssp_pubkey_value(CREDSSP_PUBKEY_FORM_ECHO,
                                          CREDSSP_PUBKEY_SERVER_TO_CLIENT,
                                          NULL, key, sizeof(key), &v),
                     0);
    ck_assert_uint_eq(v.len, 2);
    ck_assert_mem_eq(v.data, "\x01\x01", 2);
    credssp_buf_free(&v);
}
END_TEST

/* The fixed-length entry points equal the general one at 32 bytes. */
START_TEST(test_pubkey_hash_forms_agree)
{
    uint8_t nonce[CREDSSP_PUBKEY_NONCE_LEN], a[32], b[32];
    static const uint8_t key[] = { 0x30, 0x82, 0x01, 0x0a };
    struct credssp_buf v = { NULL, 0 };
    size_t i;

    for (i = 0; i < sizeof(nonce); i++) {
        nonce[i] = (uint8_t)i;
    }
    ck_assert_int_eq(credssp_pubkey_hash(CREDSSP_PUBKEY_SERVER_TO_CLIENT,
                                         nonce, key, sizeof(key), a),
                     0);
    ck_assert_int_eq(credssp_pubkey_hash_any(CREDSSP_PUBKEY_SERVER_TO_CLIENT,
                                             nonce, sizeof(nonce), key,
                                             sizeof(key), b),
                     0);
    ck_assert_mem_eq(a, b, sizeof(a));
    ck_assert_int_eq(credssp_pubkey_value(CREDSSP_PUBKEY_FORM_HASH,
                                          CREDSSP_PUBKEY_SERVER_TO_CLIENT,
                                          nonce, key, sizeof(key), &v),
                     0);
    ck_assert_uint_eq(v.len, 32);
    ck_assert_mem_eq(v.data, a, 32);
    credssp_buf_free(&v);
    ck_assert_int_eq(credssp_pubkey_value(CREDSSP_PUBKEY_FORM_HASH,
                                          CREDSSP_PUBKEY_SERVER_TO_CLIENT,
                                          NULL, key, sizeof(key), &v),
                     CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_int_eq(credssp_pubkey_hash(2, nonce, key, sizeof(key), a),
                     CREDSSP_ERR_BAD_ARGUMENT);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} increments[] = {
    { "0001", "0101" },
    { "3082010a", "3182010a" },
    { "ff00", "0001" },
    { "ffff01", "000002" },
    { "ff", "00" },
    { "ffff", "0000" },
};

START_TEST(test_pubkey_echo_increment_carries)
{
    uint8_t in[8], want[8];
    size_t in_len, want_len;
    struct credssp_buf out = { NULL, 0 };

    in_len = unhex(increments[_i].in, in, sizeof(in));
    want_len = unhex(increments[_i].out, want, sizeof(want));
    ck_assert_int_eq(credssp_pubkey_echo_increment(in, in_len, &out), 0);
    ck_assert_uint_eq(out.len, want_len);
    ck_assert_mem_eq(out.data, want, want_len);
    credssp_buf_free(&out);
    ck_assert_int_eq(credssp_pubkey_echo_increment(in, 0, &out),
                     CREDSSP_ERR_BAD_ARGUMENT);
}
END_TEST

/* Both forms: the right value passes; one flipped bit, a truncation and
 * the client's own value reflected back each give their exact code. */
START_TEST(test_pubkey_verify_detects_tampering)
{
    enum credssp_pubkey_form form =
        _i == 0 ? CREDSSP_PUBKEY_FORM_HASH : CREDSSP_PUBKEY_FORM_ECHO;
    uint8_t nonce[CREDSSP_PUBKEY_NONCE_LEN], key[65];
    struct credssp_buf c2s = { NULL, 0 }, s2c = { NULL, 0 };

    ck_assert_int_eq(credssp_pubkey_new_nonce(nonce), 0);
    fill_pattern(key, sizeof(key), 4);
    ck_assert_int_eq(credssp_pubkey_value(form,
                                          CREDSSP_PUBKEY_CLIENT_TO_SERVER,
                                          nonce, key, sizeof(key), &c2s),
                     0);
    ck_assert_int_eq(credssp_pubkey_value(form,
                                          CREDSSP_PUBKEY_SERVER_TO_CLIENT,
                                          nonce, key, sizeof(key), &s2c),
                     0);

    /* Server checks the client's value. */
    ck_assert_int_eq(credssp_pubkey_verify_client(form, nonce, key,
                                                  sizeof(key), c2s.data,
                                                  c2s.len),
                     0);
    c2s.data[c2s.len - 1] ^= 0x01;
    ck_assert_int_eq(credssp_pubkey_verify_client(form, nonce, key,
                                                  sizeof(key), c2s.data,
                                                  c2s.len),
                     CREDSSP_ERR_PUBKEY_MISMATCH);
    c2s.data[c2s.len - 1] ^= 0x01;
    ck_assert_int_eq(credssp_pubkey_verify_client(form, nonce, key,
                                                  sizeof(key), c2s.data,
                                                  c2s.len - 1),
                     CREDSSP_ERR_PUBKEY_MISMATCH);

    /* Client checks the server's value. */
    ck_assert_int_eq(credssp_pubkey_verify_server(form, nonce, key,
                                                  sizeof(key), s2c.data,
                                                  s2c.len),
                     0);
    ck_assert_int_eq(credssp_pubkey_verify_server(form, nonce, key,
                                                  sizeof(key), c2s.data,
                                                  c2s.len),
                     CREDSSP_ERR_PUBKEY_ECHO);
    s2c.data[0] ^= 0x80;
    ck_assert_int_eq(credssp_pubkey_verify_server(form, nonce, key,
                                                  sizeof(key), s2c.data,
                                                  s2c.len),
                     CREDSSP_ERR_PUBKEY_MISMATCH);
    s2c.data[0] ^= 0x80;
    /* A different key (a man in the middle's certificate). */
    key[10] ^= 0x04;
    ck_assert_int_eq(credssp_pubkey_verify_server(form, nonce, key,
                                                  sizeof(key), s2c.data,
                                                  s2c.len),
                     CREDSSP_ERR_PUBKEY_MISMATCH);
    ck_assert_int_eq(credssp_pubkey_check_not_reflected(
                         c2s.data, c2s.len, c2s.data, c2s.len),
                     CREDSSP_ERR_PUBKEY_ECHO);
    ck_assert_int_eq(credssp_pubkey_check_not_reflected(
                         c2s.data, c2s.len, s2c.data, s2c.len),
                     0);
    credssp_buf_free(&c2s);
    credssp_buf_free(&s2c);
}
END_TEST

START_TEST(test_pubkey_nonces_are_fresh)
{
    uint8_t a[CREDSSP_PUBKEY_NONCE_LEN], b[CREDSSP_PUBKEY_NONCE_LEN];
    static const uint8_t zero[CREDSSP_PUBKEY_NONCE_LEN];

    ck_assert_int_eq(credssp_pubkey_new_nonce(a), 0);
    ck_assert_int_eq(credssp_pubkey_new_nonce(b), 0);
    ck_assert(memcmp(a, b, sizeof(a)) != 0);
    ck_assert(memcmp(a, zero, sizeof(a)) != 0);
}
END_TEST

/* The tls-server-end-point application data of MS-CSSP.md 8 V2. */
START_TEST(test_tls_cb_compose_v2)
{
    uint8_t h[32], want[53];
    struct credssp_buf app = { NULL, 0 };

    (void)unhex("ce902bd566e4e1db4d6fb3b76cbdf474"
                "0c029c444e82ecb61a4b2d3ba6021b2b",
                h, sizeof(h));
    (void)unhex("746c732d7365727665722d656e642d706f696e743a"
                "ce902bd566e4e1db4d6fb3b76cbdf474"
                "0c029c444e82ecb61a4b2d3ba6021b2b",
                want, sizeof(want));
    ck_assert_uint_eq(strlen(credssp_tls_cb_prefix(
                          CREDSSP_TLS_CB_SERVER_END_POINT)),
                      21);
    ck_assert_str_eq(credssp_tls_cb_prefix(CREDSSP_TLS_CB_UNIQUE),
                     "tls-unique:");
    ck_assert_str_eq(credssp_tls_cb_prefix(CREDSSP_TLS_CB_EXPORTER),
                     "tls-exporter:");
    ck_assert_ptr_null(credssp_tls_cb_prefix(7));
    ck_assert_int_eq(credssp_tls_cb_compose(CREDSSP_TLS_CB_SERVER_END_POINT,
                                            h, sizeof(h), &app),
                     0);
    ck_assert_uint_eq(app.len, sizeof(want));
    ck_assert_mem_eq(app.data, want, sizeof(want));
    credssp_buf_free(&app);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Suite                                                               */
/* ------------------------------------------------------------------ */

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof(*(a))))

static Suite *
tls_suite(void)
{
    Suite *s = suite_create("tls");
    TCase *tc;

    tc = tcase_create("handshake");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_tls_handshake_versions_and_keys, 0,
                        N_ELEMS(handshakes));
    tcase_add_loop_test(tc, test_tls_handshake_fed_byte_by_byte, 0, 2);
    tcase_add_test(tc, test_tls_self_signed_is_shared);
    suite_add_tcase(s, tc);

    tc = tcase_create("bindings");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_tls_channel_bindings_agree, 0,
                        N_ELEMS(bindings));
    tcase_add_test(tc, test_tls_server_end_point_is_cert_hash);
    tcase_add_test(tc, test_tls_cb_compose_v2);
    suite_add_tcase(s, tc);

    tc = tcase_create("server_key");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_tls_cert_files_and_spki_walk, 0,
                        N_ELEMS(cert_files));
    tcase_add_loop_test(tc, test_tls_spki_walk_rejects_malformed, 0,
                        N_ELEMS(bad_spki));
    tcase_add_test(tc, test_tls_spki_walk_minimal);
    suite_add_tcase(s, tc);

    tc = tcase_create("records");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_tls_application_data_round_trip, 0, 6);
    tcase_add_loop_test(tc, test_tls_records_fed_byte_by_byte, 0, 2);
    tcase_add_loop_test(tc, test_tls_records_concatenated, 0, 2);
    tcase_add_loop_test(tc, test_tls_session_tickets_skipped, 0, 2);
    tcase_add_loop_test(tc, test_tls_bindings_match_gnutls, 0, 2);
    tcase_add_loop_test(tc, test_tls_records_interoperate_with_gnutls, 0, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("failures");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_tls_flipped_bit_is_record_error, 0, 2);
    tcase_add_loop_test(tc, test_tls_tampered_handshake, 0, 2);
    tcase_add_loop_test(tc, test_tls_close_notify, 0, 2);
    tcase_add_loop_test(tc, test_tls_close_notify_alone, 0, 2);
    tcase_add_loop_test(tc, test_tls_garbage_first_token, 0,
                        N_ELEMS(garbage));
    tcase_add_test(tc, test_tls_garbage_server_answer);
    tcase_add_test(tc, test_tls_bad_configuration);
    tcase_add_test(tc, test_tls_bad_cert_files);
    tcase_add_test(tc, test_tls_cert_files_replaced);
    tcase_add_test(tc, test_tls_misuse);
    suite_add_tcase(s, tc);

    tc = tcase_create("pubkey");
    tcase_add_test(tc, test_pubkey_v1_known_answers);
    tcase_add_test(tc, test_pubkey_hash_forms_agree);
    tcase_add_loop_test(tc, test_pubkey_echo_increment_carries, 0,
                        N_ELEMS(increments));
    tcase_add_loop_test(tc, test_pubkey_verify_detects_tampering, 0, 2);
    tcase_add_test(tc, test_pubkey_nonces_are_fresh);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return check_main_run(tls_suite());
}
