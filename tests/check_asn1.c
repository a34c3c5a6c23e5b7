/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Check suite for asn1/: the typed codec of the MS-CSSP messages
 * (MS-CSSP 2.2.1 TSRequest and NegoData, 2.2.1.2 TSCredentials and the
 * credential structures of 2.2.1.2.1 to 2.2.1.2.3.1).
 *
 * Known answers are the vectors of MS-CSSP.md section 8 (V4 to V8); every
 * one is decoded to its exact field values and re-encoded to the same
 * bytes.  Malformed inputs each assert one exact code.  Oversize and
 * at-limit inputs are built with the small, independent DER writer at the
 * top of this file, not with the codec under test.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "asn1/codec.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/utf16.h"
#include "tests/check_main.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The messages a test can feed to a decoder. */
enum msg_kind {
    MSG_TS_REQUEST,
    MSG_TS_CREDENTIALS,
    MSG_PASSWORD,
    MSG_SMART_CARD,
    MSG_REMOTE_GUARD
};

static struct credssp_buf hexbuf(const char *hex);
static struct credssp_buf fill(size_t n, uint8_t byte);
static struct credssp_buf u16(const char *utf8);
static struct credssp_buf cat(struct credssp_buf a, struct credssp_buf b);
static struct credssp_buf tlv(uint8_t tag, struct credssp_buf content);
static struct credssp_buf ctx(unsigned n, struct credssp_buf content);
static struct credssp_buf octets(struct credssp_buf content);
static struct credssp_buf int6(void);
static void assert_buf(const struct credssp_buf *got,
                       const struct credssp_buf *want);
static void assert_hex(const struct credssp_buf *got, const char *hex);
static void assert_u16(const struct credssp_buf *got, const char *utf8);
static void assert_opt_hex(const struct credssp_asn1_opt *got,
                           const char *hex);
static void assert_opt_eq(const struct credssp_asn1_opt *a,
                          const struct credssp_asn1_opt *b);
static void assert_ts_request_eq(const struct credssp_ts_request *a,
                                 const struct credssp_ts_request *b);
static void assert_smart_card_eq(const struct credssp_smart_card_creds *a,
                                 const struct credssp_smart_card_creds *b);
static void assert_remote_guard_eq(const struct credssp_remote_guard_creds *a,
                                   const struct credssp_remote_guard_creds *b);
static int decode_msg(enum msg_kind kind, const uint8_t *der, size_t len);
static struct credssp_buf build_request(int which, size_t n);
static struct credssp_buf build_credentials(int which, size_t n);
static struct credssp_buf build_password(int which, size_t n);
static struct credssp_buf build_smart_card(int which, size_t n);
static struct credssp_buf build_remote_guard(int which, size_t n);
static struct credssp_buf build_big_request(size_t token_len);
static struct credssp_buf build_v8(void);
static void fill_remote_guard_v8(struct credssp_remote_guard_creds *rg);
static struct credssp_buf hexbuf_spaced(const char *hex);
static Suite *asn1_suite(void);

/* ------------------------------------------------------------------ */
/* Helpers: byte strings and an independent DER writer                 */
/* ------------------------------------------------------------------ */

static struct credssp_buf
hexbuf(const char *hex)
{
    struct credssp_buf b = { NULL, 0 };
    size_t n = strlen(hex) / 2, i;
    unsigned int v;

    ck_assert_uint_eq(strlen(hex) % 2, 0);
    if (n == 0) {
        return b;
    }
    b.data = malloc(n);
    ck_assert_ptr_nonnull(b.data);
    for (i = 0; i < n; i++) {
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        b.data[i] = (uint8_t)v;
    }
    b.len = n;
    return b;
}

static struct credssp_buf
fill(size_t n, uint8_t byte)
{
    struct credssp_buf b = { NULL, 0 };

    if (n == 0) {
        return b;
    }
    b.data = malloc(n);
    ck_assert_ptr_nonnull(b.data);
    memset(b.data, byte, n);
    b.len = n;
    return b;
}

static struct credssp_buf
u16(const char *utf8)
{
    struct credssp_buf b = { NULL, 0 };

    ck_assert_int_eq(credssp_utf8_to_utf16le(utf8, strlen(utf8), 0, &b), 0);
    return b;
}

/* a ‖ b; consumes both. */
static struct credssp_buf
cat(struct credssp_buf a, struct credssp_buf b)
{
    struct credssp_buf r = { NULL, 0 };

    r.len = a.len + b.len;
    if (r.len > 0) {
        r.data = malloc(r.len);
        ck_assert_ptr_nonnull(r.data);
        if (a.len > 0) {
            memcpy(r.data, a.data, a.len);
        }
        if (b.len > 0) {
            memcpy(r.data + a.len, b.data, b.len);
        }
    }
    credssp_buf_free(&a);
    credssp_buf_free(&b);
    return r;
}

/* tag ‖ minimal DER length ‖ content; consumes content. */
static struct credssp_buf
tlv(uint8_t tag, struct credssp_buf content)
{
    uint8_t hdr[6];
    size_t n = 0, len = content.len;
    struct credssp_buf h = { NULL, 0 };

    hdr[n++] = tag;
    if (len < 0x80) {
        hdr[n++] = (uint8_t)len;
    } else if (len < 0x100) {
        hdr[n++] = 0x81;
        hdr[n++] = (uint8_t)len;
    } else if (len < 0x10000) {
        hdr[n++] = 0x82;
        hdr[n++] = (uint8_t)(len >> 8);
        hdr[n++] = (uint8_t)len;
    } else {
        hdr[n++] = 0x83;
        hdr[n++] = (uint8_t)(len >> 16);
        hdr[n++] = (uint8_t)(len >> 8);
        hdr[n++] = (uint8_t)len;
    }
    ck_assert_int_eq(credssp_buf_dup(&h, hdr, n), 0);
    return cat(h, content);
}

static struct credssp_buf
ctx(unsigned n, struct credssp_buf content)
{
    return tlv((uint8_t)(0xa0 | n), content);
}

static struct credssp_buf
octets(struct credssp_buf content)
{
    return tlv(0x04, content);
}

/* INTEGER 6 */
static struct credssp_buf
int6(void)
{
    return hexbuf("020106");
}

static void
assert_buf(const struct credssp_buf *got, const struct credssp_buf *want)
{
    ck_assert_uint_eq(got->len, want->len);
    if (want->len > 0) {
        ck_assert_ptr_nonnull(got->data);
        ck_assert_mem_eq(got->data, want->data, want->len);
    }
}

static void
assert_hex(const struct credssp_buf *got, const char *hex)
{
    struct credssp_buf want = hexbuf(hex);

    assert_buf(got, &want);
    credssp_buf_free(&want);
}

static void
assert_u16(const struct credssp_buf *got, const char *utf8)
{
    struct credssp_buf want = u16(utf8);

    assert_buf(got, &want);
    credssp_buf_free(&want);
}

/* hex == NULL: the field must be absent. */
static void
assert_opt_hex(const struct credssp_asn1_opt *got, const char *hex)
{
    if (hex == NULL) {
        ck_assert_int_eq(got->present, 0);
        ck_assert_uint_eq(got->value.len, 0);
        return;
    }
    ck_assert_int_ne(got->present, 0);
    assert_hex(&got->value, hex);
}

static void
assert_opt_eq(const struct credssp_asn1_opt *a,
              const struct credssp_asn1_opt *b)
{
    ck_assert_int_eq(a->present != 0, b->present != 0);
    if (a->present) {
        assert_buf(&a->value, &b->value);
    }
}

static void
assert_ts_request_eq(const struct credssp_ts_request *a,
                     const struct credssp_ts_request *b)
{
    size_t i;

    ck_assert_uint_eq(a->version, b->version);
    ck_assert_int_eq(a->nego_tokens.present != 0,
                     b->nego_tokens.present != 0);
    ck_assert_uint_eq(a->nego_tokens.count, b->nego_tokens.count);
    for (i = 0; i < a->nego_tokens.count; i++) {
        assert_buf(&a->nego_tokens.tokens[i], &b->nego_tokens.tokens[i]);
    }
    assert_opt_eq(&a->auth_info, &b->auth_info);
    assert_opt_eq(&a->pub_key_auth, &b->pub_key_auth);
    ck_assert_int_eq(a->has_error_code != 0, b->has_error_code != 0);
    if (a->has_error_code) {
        ck_assert_uint_eq(a->error_code, b->error_code);
    }
    assert_opt_eq(&a->client_nonce, &b->client_nonce);
}

static void
assert_smart_card_eq(const struct credssp_smart_card_creds *a,
                     const struct credssp_smart_card_creds *b)
{
    assert_buf(&a->pin, &b->pin);
    ck_assert_uint_eq(a->csp_data.key_spec, b->csp_data.key_spec);
    assert_opt_eq(&a->csp_data.card_name, &b->csp_data.card_name);
    assert_opt_eq(&a->csp_data.reader_name, &b->csp_data.reader_name);
    assert_opt_eq(&a->csp_data.container_name, &b->csp_data.container_name);
    assert_opt_eq(&a->csp_data.csp_name, &b->csp_data.csp_name);
    assert_opt_eq(&a->user_hint, &b->user_hint);
    assert_opt_eq(&a->domain_hint, &b->domain_hint);
}

static void
assert_remote_guard_eq(const struct credssp_remote_guard_creds *a,
                       const struct credssp_remote_guard_creds *b)
{
    size_t i;

    assert_buf(&a->logon_cred.package_name, &b->logon_cred.package_name);
    assert_buf(&a->logon_cred.cred_buffer, &b->logon_cred.cred_buffer);
    ck_assert_int_eq(a->has_supplemental != 0, b->has_supplemental != 0);
    ck_assert_uint_eq(a->supplemental_count, b->supplemental_count);
    for (i = 0; i < a->supplemental_count; i++) {
        assert_buf(&a->supplemental[i].package_name,
                   &b->supplemental[i].package_name);
        assert_buf(&a->supplemental[i].cred_buffer,
                   &b->supplemental[i].cred_buffer);
    }
}

/* Decode with the decoder of kind, free the result, return the code. */
static int
decode_msg(enum msg_kind kind, const uint8_t *der, size_t len)
{
    struct credssp_ts_request req;
    struct credssp_ts_credentials creds;
    struct credssp_password_creds pwd;
    struct credssp_smart_card_creds sc;
    struct credssp_remote_guard_creds rg;
    int ret;

    switch (kind) {
    case MSG_TS_REQUEST:
        ret = credssp_asn1_decode_ts_request(der, len, &req);
        credssp_asn1_ts_request_free(&req);
        return ret;
    case MSG_TS_CREDENTIALS:
        ret = credssp_asn1_decode_ts_credentials(der, len, &creds);
        credssp_asn1_ts_credentials_free(&creds);
        return ret;
    case MSG_PASSWORD:
        ret = credssp_asn1_decode_password_creds(der, len, &pwd);
        credssp_asn1_password_creds_free(&pwd);
        return ret;
    case MSG_SMART_CARD:
        ret = credssp_asn1_decode_smart_card_creds(der, len, &sc);
        credssp_asn1_smart_card_creds_free(&sc);
        return ret;
    default:
        ret = credssp_asn1_decode_remote_guard_creds(der, len, &rg);
        credssp_asn1_remote_guard_creds_free(&rg);
        return ret;
    }
}

/* TSRequest v6 with one variable part of size (or count) n:
 * which 0 negoToken, 1 number of negoTokens, 2 authInfo, 3 pubKeyAuth. */
static struct credssp_buf
build_request(int which, size_t n)
{
    struct credssp_buf body = ctx(0, int6()), items = { NULL, 0 };
    size_t i;

    switch (which) {
    case 0:
        items = tlv(0x30, ctx(0, octets(fill(n, 0x41))));
        body = cat(body, ctx(1, tlv(0x30, items)));
        break;
    case 1:
        for (i = 0; i < n; i++) {
            items = cat(items, tlv(0x30, ctx(0, octets(fill(1, 0x41)))));
        }
        body = cat(body, ctx(1, tlv(0x30, items)));
        break;
    case 2:
        body = cat(body, ctx(2, octets(fill(n, 0x42))));
        break;
    default:
        body = cat(body, ctx(3, octets(fill(n, 0x43))));
        break;
    }
    return tlv(0x30, body);
}

/* TSCredentials (password type) with credentials of n bytes. */
static struct credssp_buf
build_credentials(int which, size_t n)
{
    (void)which;
    return tlv(0x30, cat(ctx(0, hexbuf("020101")),
                         ctx(1, octets(fill(n, 0x44)))));
}

/* TSPasswordCreds with field which (0 domain, 1 user, 2 password) of n
 * bytes and the others of 2 bytes. */
static struct credssp_buf
build_password(int which, size_t n)
{
    struct credssp_buf body = { NULL, 0 };
    unsigned i;

    for (i = 0; i < 3; i++) {
        body = cat(body, ctx(i, octets(fill((int)i == which ? n : 2,
                                            (uint8_t)(0x61 + i)))));
    }
    return tlv(0x30, body);
}

/* TSSmartCardCreds with every field present; field which (0 pin, 1..4
 * card/reader/container/csp name, 5 userHint, 6 domainHint) has n
 * bytes, the others 2. */
static struct credssp_buf
build_smart_card(int which, size_t n)
{
    struct credssp_buf csp = ctx(0, hexbuf("020101")), body;
    unsigned i;

    for (i = 1; i <= 4; i++) {
        csp = cat(csp, ctx(i, octets(fill((int)i == which ? n : 2, 0x30))));
    }
    body = ctx(0, octets(fill(which == 0 ? n : 2, 0x31)));
    body = cat(body, ctx(1, tlv(0x30, csp)));
    body = cat(body, ctx(2, octets(fill(which == 5 ? n : 2, 0x32))));
    body = cat(body, ctx(3, octets(fill(which == 6 ? n : 2, 0x33))));
    return tlv(0x30, body);
}

/* TSRemoteGuardCreds: which 0 logon packageName of n bytes, 1 logon
 * credBuffer of n bytes, 2 n supplemental creds, 3 supplemental
 * packageName of n bytes, 4 supplemental credBuffer of n bytes. */
static struct credssp_buf
build_remote_guard(int which, size_t n)
{
    struct credssp_buf logon, supp = { NULL, 0 };
    size_t i, count = which == 2 ? n : 1;

    logon = tlv(0x30, cat(ctx(0, octets(fill(which == 0 ? n : 2, 0x50))),
                          ctx(1, octets(fill(which == 1 ? n : 2, 0x51)))));
    for (i = 0; i < count; i++) {
        supp = cat(supp, tlv(0x30, cat(ctx(0, octets(fill(
                                           which == 3 ? n : 2, 0x52))),
                                       ctx(1, octets(fill(
                                           which == 4 ? n : 2, 0x53))))));
    }
    return tlv(0x30, cat(ctx(0, logon), ctx(1, tlv(0x30, supp))));
}

/* A TSRequest of 65536 bytes when token_len is 4059: authInfo at its
 * limit plus one negoToken. */
static struct credssp_buf
build_big_request(size_t token_len)
{
    struct credssp_buf body = ctx(0, int6());

    body = cat(body, ctx(1, tlv(0x30, tlv(0x30, ctx(0, octets(fill(
                                              token_len, 0x41)))))));
    body = cat(body, ctx(2, octets(fill(CREDSSP_ASN1_MAX_AUTH_INFO, 0x42))));
    return tlv(0x30, body);
}

/* V8 as described by MS-CSSP.md: "Kerberos" + 2611 x 0x11, supplemental
 * "NTLM" + 204 x 0x22. */
static struct credssp_buf
build_v8(void)
{
    struct credssp_buf logon, supp;

    logon = tlv(0x30, cat(ctx(0, octets(u16("Kerberos"))),
                          ctx(1, octets(fill(2611, 0x11)))));
    supp = tlv(0x30, cat(ctx(0, octets(u16("NTLM"))),
                         ctx(1, octets(fill(204, 0x22)))));
    return tlv(0x30, cat(ctx(0, logon), ctx(1, tlv(0x30, supp))));
}

static void
fill_remote_guard_v8(struct credssp_remote_guard_creds *rg)
{
    memset(rg, 0, sizeof(*rg));
    rg->logon_cred.package_name = u16("Kerberos");
    rg->logon_cred.cred_buffer = fill(2611, 0x11);
    rg->has_supplemental = 1;
    rg->supplemental_count = 1;
    rg->supplemental = calloc(1, sizeof(*rg->supplemental));
    ck_assert_ptr_nonnull(rg->supplemental);
    rg->supplemental[0].package_name = u16("NTLM");
    rg->supplemental[0].cred_buffer = fill(204, 0x22);
}

/* ------------------------------------------------------------------ */
/* Known-answer vectors                                                */
/* ------------------------------------------------------------------ */

/* V4: pyspnego credssp_ts_request.  Its 12-byte clientNonce breaks the
 * 32-byte rule, so it is refused as a whole (see
 * test_asn1_ts_request_v4_nonce_is_refused); the rows below carry the
 * same fields without the nonce and with a 32-byte one. */
static const char v4_hex[] =
    "3044a003020106a10b30093007a0050403313233a20b04096175746820696e666fa3"
    "0e040c707562206b65792061757468a40302010aa50e040c636c69656e74206e6f6e"
    "6365";

#define V6_NONCE_1                                                           \
    "221012ad125c7a15feb64b1fcb94833ac56f664cf3bce7548a5d9e050a4691db"

struct ts_request_vector {
    const char *name;
    const char *der;
    uint32_t version;
    int nego_present;
    const char *nego[4]; /* token hex, NULL-terminated */
    const char *auth_info;    /* NULL: absent */
    const char *pub_key_auth; /* NULL: absent */
    int has_error_code;
    uint32_t error_code;
    const char *client_nonce; /* NULL: absent */
    const char *reencoded;    /* NULL: identical to der */
};

static const struct ts_request_vector ts_request_vectors[] = {
    { "V4 without clientNonce",
      "3034a003020106a10b30093007a0050403313233a20b04096175746820696e666f"
      "a30e040c707562206b65792061757468a40302010a",
      6, 1, { "313233", NULL }, "6175746820696e666f",
      "707562206b65792061757468", 1, 10, NULL, NULL },
    { "V4 with a 32-byte clientNonce",
      "3058a003020106a10b30093007a0050403313233a20b04096175746820696e666f"
      "a30e040c707562206b65792061757468a40302010aa5220420000102030405060708"
      "090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
      6, 1, { "313233", NULL }, "6175746820696e666f",
      "707562206b65792061757468", 1, 10,
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
      NULL },
    { "V6 phase1 NEGOTIATE + nonce",
      "305ba003020106a130302e302ca02a04284e544c4d5353500001000000b78208e200"
      "0000000000000000000000000000000601b11d0000000fa5220420" V6_NONCE_1,
      6, 1,
      { "4e544c4d5353500001000000b78208e2000000000000000000000000000000000"
        "601b11d0000000f",
        NULL },
      NULL, NULL, 0, 0, V6_NONCE_1, NULL },
    { "V6 phase4 pubKeyAuth",
      "305da003020106a332043001000000ce7a5af4f7e2571b00000000dacc168fb23445"
      "ed026731c16390a85c6b01bc1f8d935e34de66b9b3d7f5a1aba5220420" V6_NONCE_1,
      6, 0, { NULL }, NULL,
      "01000000ce7a5af4f7e2571b00000000dacc168fb23445ed026731c16390a85c6b01"
      "bc1f8d935e34de66b9b3d7f5a1ab",
      0, 0, V6_NONCE_1, NULL },
    { "V6 phase5 authInfo",
      "305aa003020106a22f042d01000000e0bae3bac27254e8010000006e037c4c9d024e"
      "5eeba19fab603297cd95cffe8f4470796e6ccdea746aa5220420" V6_NONCE_1,
      6, 0, { NULL },
      "01000000e0bae3bac27254e8010000006e037c4c9d024e5eeba19fab603297cd95cf"
      "fe8f4470796e6ccdea746a",
      NULL, 0, 0, V6_NONCE_1, NULL },
    { "V6 errorCode 0xC00700EA",
      "3065a003020106a332043001000000d8b30c7e37512184000000006c47c8e3025992"
      "19d199dfbd0ff571613adf7403effca52316233755ff9120d8a4060204c00700eaa5"
      "220420f88dd4b7559a94e5e87f2b2f94c23858a984fc07697df85776c957a31512eb"
      "32",
      6, 0, { NULL }, NULL,
      "01000000d8b30c7e37512184000000006c47c8e302599219d199dfbd0ff571613adf"
      "7403effca52316233755ff9120d8",
      1, 0xC00700EAu,
      "f88dd4b7559a94e5e87f2b2f94c23858a984fc07697df85776c957a31512eb32",
      NULL },
    { "V7 v6 STATUS_LOGON_FAILURE", "300da003020106a4060204c000006d", 6, 0,
      { NULL }, NULL, NULL, 1, 0xC000006Du, NULL, NULL },
    { "V7 v3 STATUS_LOGON_FAILURE", "300da003020103a4060204c000006d", 3, 0,
      { NULL }, NULL, NULL, 1, 0xC000006Du, NULL, NULL },
    { "V7 v2 only", "3005a003020102", 2, 0, { NULL }, NULL, NULL, 0, 0, NULL,
      NULL },
    { "V7 bare NTLM NEGOTIATE header",
      "301ba003020106a11430123010a00e040c4e544c4d5353500001000000", 6, 1,
      { "4e544c4d5353500001000000", NULL }, NULL, NULL, 0, 0, NULL, NULL },
    /* Forms a peer may send that we re-encode differently or that only
     * we produce. */
    { "errorCode as 5-byte positive INTEGER",
      "300ea003020106a407020500c000006d", 6, 0, { NULL }, NULL, NULL, 1,
      0xC000006Du, NULL, "300da003020106a4060204c000006d" },
    { "errorCode -1", "300aa003020106a4030201ff", 6, 0, { NULL }, NULL, NULL,
      1, 0xFFFFFFFFu, NULL, NULL },
    { "errorCode 0xFFFFFFFF as 5 bytes",
      "300ea003020106a407020500ffffffff", 6, 0, { NULL }, NULL, NULL, 1,
      0xFFFFFFFFu, NULL, "300aa003020106a4030201ff" },
    { "errorCode -2^31", "300da003020106a406020480000000", 6, 0, { NULL },
      NULL, NULL, 1, 0x80000000u, NULL, NULL },
    { "version 7", "3005a003020107", 7, 0, { NULL }, NULL, NULL, 0, 0, NULL,
      NULL },
    { "version 2^32-1", "3009a00702050 0ffffffff", 0xFFFFFFFFu, 0, { NULL },
      NULL, NULL, 0, 0, NULL, NULL },
    { "empty NegoData", "3009a003020106a1023000", 6, 1, { NULL }, NULL, NULL,
      0, 0, NULL, NULL },
    { "one empty negoToken", "300fa003020106a10830063004a0020400", 6, 1,
      { "", NULL }, NULL, NULL, 0, 0, NULL, NULL },
    { "three negoTokens",
      "301da003020106a1163014 3005a003040141 3005a003040142 3004a0020400", 6,
      1, { "41", "42", "", NULL }, NULL, NULL, 0, 0, NULL, NULL },
    { "empty authInfo and pubKeyAuth", "300da003020106a2020400a3020400", 6,
      0, { NULL }, "", "", 0, 0, NULL, NULL },
};

/* Strip the blanks that some rows above use to show structure. */
static struct credssp_buf
hexbuf_spaced(const char *hex)
{
    char *clean = malloc(strlen(hex) + 1);
    struct credssp_buf b;
    size_t i, n = 0;

    ck_assert_ptr_nonnull(clean);
    for (i = 0; hex[i] != '\0'; i++) {
        if (hex[i] != ' ') {
            clean[n++] = hex[i];
        }
    }
    clean[n] = '\0';
    b = hexbuf(clean);
    free(clean);
    return b;
}

START_TEST(test_asn1_ts_request_vectors)
{
    const struct ts_request_vector *v = &ts_request_vectors[_i];
    struct credssp_buf der = hexbuf_spaced(v->der), out = { NULL, 0 };
    struct credssp_buf want = hexbuf_spaced(v->reencoded != NULL
                                                ? v->reencoded
                                                : v->der);
    struct credssp_ts_request req;
    size_t count = 0, i;

    ck_assert_msg(credssp_asn1_decode_ts_request(der.data, der.len, &req) ==
                      0,
                  "%s", v->name);
    ck_assert_uint_eq(req.version, v->version);
    ck_assert_int_eq(req.nego_tokens.present != 0, v->nego_present);
    while (v->nego[count] != NULL) {
        count++;
    }
    ck_assert_uint_eq(req.nego_tokens.count, count);
    for (i = 0; i < count; i++) {
        assert_hex(&req.nego_tokens.tokens[i], v->nego[i]);
    }
    assert_opt_hex(&req.auth_info, v->auth_info);
    assert_opt_hex(&req.pub_key_auth, v->pub_key_auth);
    ck_assert_int_eq(req.has_error_code != 0, v->has_error_code);
    ck_assert_uint_eq(req.error_code, v->error_code);
    assert_opt_hex(&req.client_nonce, v->client_nonce);

    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out), 0);
    assert_buf(&out, &want);

    credssp_buf_free(&out);
    credssp_asn1_ts_request_free(&req);
    credssp_buf_free(&want);
    credssp_buf_free(&der);
}
END_TEST

START_TEST(test_asn1_ts_request_v4_nonce_is_refused)
{
    struct credssp_buf der = hexbuf(v4_hex), out = { NULL, 0 };
    struct credssp_ts_request req;
    static const uint8_t zero[sizeof(req)];

    ck_assert_int_eq(credssp_asn1_decode_ts_request(der.data, der.len, &req),
                     CREDSSP_ERR_BAD_NONCE);
    ck_assert_mem_eq(&req, zero, sizeof(req));

    /* The same fields, encoded: refused for the same reason. */
    memset(&req, 0, sizeof(req));
    req.version = 6;
    req.client_nonce.present = 1;
    req.client_nonce.value = hexbuf("636c69656e74206e6f6e6365");
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out),
                     CREDSSP_ERR_BAD_NONCE);
    ck_assert_ptr_null(out.data);
    ck_assert_uint_eq(out.len, 0);
    credssp_asn1_ts_request_free(&req);
    credssp_buf_free(&der);
}
END_TEST

/* V5: TSCredentials; the inner structure is decoded with the decoder of
 * its credType and re-encoded as well. */
struct creds_vector {
    const char *name;
    const char *der;
    uint32_t cred_type;
    const char *domain, *user, *password; /* password type, UTF-8 */
    const char *package;                  /* remote guard, UTF-8 */
    const char *cred_buffer;              /* remote guard, hex */
    int has_supplemental;
};

static const struct creds_vector creds_vectors[] = {
    { "password domain name/username/password",
      "304da003020101a14604443042a018041664006f006d00610069006e0020006e0061"
      "006d006500a112041075007300650072006e0061006d006500a2120410700061007300"
      "730077006f0072006400",
      1, "domain name", "username", "password", NULL, NULL, 0 },
    { "password Domain/Username/Password",
      "3043a003020101a13c043a3038a00e040c44006f006d00610069006e00a112041055"
      "007300650072006e0061006d006500a2120410500061007300730077006f007200640"
      "0",
      1, "Domain", "Username", "Password", NULL, NULL, 0 },
    { "password a/1, empty domain",
      "301ba003020101a11404123010a0020400a10404026100a20404023100", 1, "",
      "a", "1", NULL, NULL, 0 },
    { "restricted admin, all empty",
      "3017a003020101a110040e300ca0020400a1020400a2020400", 1, "", "", "",
      NULL, NULL, 0 },
    { "remote guard, no supplementalCreds",
      "302ca003020106a12504233021a01f301da01404125000610063006b006100670065"
      "0020003100a1050403313233",
      6, NULL, NULL, NULL, "Package 1", "313233", 0 },
    { "remote guard, empty supplementalCreds",
      "3030a003020106a12904273025a01f301da01404125000610063006b006100670065"
      "0020003100a1050403313233a1023000",
      6, NULL, NULL, NULL, "Package 1", "313233", 1 },
    /* Ours: hand-built with an independent DER writer (pin "1234",
     * keySpec 1, readerName "R", cspName "C", domainHint "D"). */
    { "smart card 1234/R/C/D",
      "3032a003020102a12b04293027a00a04083100320033003400a1133011a003020101"
      "a20404025200a40404024300a30404024400",
      2, NULL, NULL, NULL, NULL, NULL, 0 },
};

START_TEST(test_asn1_ts_credentials_vectors)
{
    const struct creds_vector *v = &creds_vectors[_i];
    struct credssp_buf der = hexbuf(v->der), out = { NULL, 0 };
    struct credssp_buf inner = { NULL, 0 };
    struct credssp_ts_credentials creds;
    struct credssp_password_creds pwd;
    struct credssp_smart_card_creds sc;
    struct credssp_remote_guard_creds rg;
    const uint8_t *p;
    size_t n;

    ck_assert_int_eq(
        credssp_asn1_decode_ts_credentials(der.data, der.len, &creds), 0);
    ck_assert_uint_eq(creds.cred_type, v->cred_type);
    ck_assert_int_eq(credssp_asn1_check_cred_type(creds.cred_type), 0);
    p = creds.credentials.data;
    n = creds.credentials.len;

    switch (v->cred_type) {
    case CREDSSP_CRED_TYPE_PASSWORD:
        ck_assert_int_eq(credssp_asn1_decode_password_creds(p, n, &pwd), 0);
        assert_u16(&pwd.domain_name, v->domain);
        assert_u16(&pwd.user_name, v->user);
        assert_u16(&pwd.password, v->password);
        ck_assert_int_eq(credssp_asn1_encode_password_creds(&pwd, &inner),
                         0);
        credssp_asn1_password_creds_free(&pwd);
        break;
    case CREDSSP_CRED_TYPE_SMART_CARD:
        ck_assert_int_eq(credssp_asn1_decode_smart_card_creds(p, n, &sc), 0);
        assert_u16(&sc.pin, "1234");
        ck_assert_uint_eq(sc.csp_data.key_spec, 1);
        assert_opt_hex(&sc.csp_data.card_name, NULL);
        assert_opt_hex(&sc.csp_data.reader_name, "5200");
        assert_opt_hex(&sc.csp_data.container_name, NULL);
        assert_opt_hex(&sc.csp_data.csp_name, "4300");
        assert_opt_hex(&sc.user_hint, NULL);
        assert_opt_hex(&sc.domain_hint, "4400");
        ck_assert_int_eq(credssp_asn1_encode_smart_card_creds(&sc, &inner),
                         0);
        credssp_asn1_smart_card_creds_free(&sc);
        break;
    default:
        ck_assert_int_eq(credssp_asn1_decode_remote_guard_creds(p, n, &rg),
                         0);
        assert_u16(&rg.logon_cred.package_name, v->package);
        assert_hex(&rg.logon_cred.cred_buffer, v->cred_buffer);
        ck_assert_int_eq(rg.has_supplemental != 0, v->has_supplemental);
        ck_assert_uint_eq(rg.supplemental_count, 0);
        ck_assert_ptr_null(rg.supplemental);
        ck_assert_int_eq(credssp_asn1_encode_remote_guard_creds(&rg, &inner),
                         0);
        credssp_asn1_remote_guard_creds_free(&rg);
        break;
    }
    assert_buf(&inner, &creds.credentials);
    ck_assert_int_eq(credssp_asn1_encode_ts_credentials(&creds, &out), 0);
    assert_buf(&out, &der);

    credssp_buf_wipe_free(&inner);
    credssp_buf_wipe_free(&out);
    credssp_asn1_ts_credentials_free(&creds);
    credssp_buf_free(&der);
}
END_TEST

START_TEST(test_asn1_remote_guard_v8)
{
    static const char prefix[] =
        "30820b3ea0820a5330820a4fa01204104b00650072006200650072006f007300a18"
        "20a3704820a33";
    struct credssp_buf want = build_v8(), pre = hexbuf(prefix);
    struct credssp_buf out = { NULL, 0 }, again = { NULL, 0 };
    struct credssp_remote_guard_creds in, dec;

    /* The independent writer agrees with the description. */
    ck_assert_uint_eq(want.len, 2882);
    ck_assert_mem_eq(want.data, pre.data, pre.len);

    fill_remote_guard_v8(&in);
    ck_assert_int_eq(credssp_asn1_encode_remote_guard_creds(&in, &out), 0);
    assert_buf(&out, &want);

    ck_assert_int_eq(
        credssp_asn1_decode_remote_guard_creds(out.data, out.len, &dec), 0);
    assert_remote_guard_eq(&dec, &in);
    ck_assert_int_eq(credssp_asn1_encode_remote_guard_creds(&dec, &again),
                     0);
    assert_buf(&again, &want);

    credssp_buf_wipe_free(&again);
    credssp_buf_wipe_free(&out);
    credssp_asn1_remote_guard_creds_free(&dec);
    credssp_asn1_remote_guard_creds_free(&in);
    credssp_buf_free(&pre);
    credssp_buf_free(&want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Encoding                                                            */
/* ------------------------------------------------------------------ */

START_TEST(test_asn1_ts_request_encodes_nego_data_presence)
{
    struct credssp_ts_request req;
    struct credssp_buf out = { NULL, 0 };

    memset(&req, 0, sizeof(req));
    req.version = 6;
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out), 0);
    assert_hex(&out, "3005a003020106");
    credssp_buf_free(&out);

    req.nego_tokens.present = 1;
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out), 0);
    assert_hex(&out, "3009a003020106a1023000");
    credssp_buf_free(&out);
}
END_TEST

START_TEST(test_asn1_ts_request_encode_rejects_bad_input)
{
    struct credssp_ts_request req;
    struct credssp_buf out = { NULL, 0 }, token = { NULL, 3 };

    /* Tokens while NegoData is absent. */
    memset(&req, 0, sizeof(req));
    req.nego_tokens.count = 1;
    req.nego_tokens.tokens = &token;
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out),
                     CREDSSP_ERR_BAD_ARGUMENT);
    /* A length without data. */
    req.nego_tokens.present = 1;
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out),
                     CREDSSP_ERR_BAD_ARGUMENT);
    /* Too many tokens. */
    token.len = 0;
    req.nego_tokens.count = CREDSSP_ASN1_MAX_NEGO_TOKENS + 1;
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    ck_assert_ptr_null(out.data);
    ck_assert_uint_eq(out.len, 0);
}
END_TEST

START_TEST(test_asn1_ts_credentials_rejects_unknown_cred_type)
{
    /* credType 3 decodes (any 32-bit value does) but is refused in typed
     * use and by the encoder. */
    struct credssp_buf der = hexbuf("3009a003020103a1020400");
    struct credssp_buf neg = hexbuf("3009a0030201ffa1020400");
    struct credssp_buf out = { NULL, 0 };
    struct credssp_ts_credentials creds;

    ck_assert_int_eq(
        credssp_asn1_decode_ts_credentials(der.data, der.len, &creds), 0);
    ck_assert_uint_eq(creds.cred_type, 3);
    ck_assert_int_eq(credssp_asn1_check_cred_type(creds.cred_type),
                     CREDSSP_ERR_BAD_CRED_TYPE);
    ck_assert_int_eq(credssp_asn1_encode_ts_credentials(&creds, &out),
                     CREDSSP_ERR_BAD_CRED_TYPE);
    ck_assert_ptr_null(out.data);
    credssp_asn1_ts_credentials_free(&creds);

    ck_assert_int_eq(
        credssp_asn1_decode_ts_credentials(neg.data, neg.len, &creds), 0);
    ck_assert_uint_eq(creds.cred_type, 0xFFFFFFFFu);
    ck_assert_int_eq(credssp_asn1_check_cred_type(creds.cred_type),
                     CREDSSP_ERR_BAD_CRED_TYPE);
    credssp_asn1_ts_credentials_free(&creds);

    ck_assert_int_eq(credssp_asn1_check_cred_type(0),
                     CREDSSP_ERR_BAD_CRED_TYPE);
    ck_assert_int_eq(credssp_asn1_check_cred_type(1), 0);
    ck_assert_int_eq(credssp_asn1_check_cred_type(2), 0);
    ck_assert_int_eq(credssp_asn1_check_cred_type(6), 0);
    ck_assert_int_eq(credssp_asn1_check_cred_type(5),
                     CREDSSP_ERR_BAD_CRED_TYPE);
    credssp_buf_free(&neg);
    credssp_buf_free(&der);
}
END_TEST

START_TEST(test_asn1_password_creds_utf8_helpers)
{
    struct credssp_password_creds pwd;
    struct credssp_buf d, u, p, der = { NULL, 0 };

    ck_assert_int_eq(credssp_asn1_password_creds_from_utf8(
                         "D\xc3\xb6m\xc3\xa4in", "\xe7\x94\xa8\xe6\x88\xb7",
                         "p\xf0\x9f\x98\x80ss", &pwd),
                     0);
    assert_hex(&pwd.domain_name, "4400f6006d00e40069006e00");
    assert_hex(&pwd.user_name, "28753762");
    assert_hex(&pwd.password, "70003dd800de73007300");
    ck_assert_int_eq(credssp_asn1_encode_password_creds(&pwd, &der), 0);
    assert_hex(&der, "3026a00e040c4400f6006d00e40069006e00a10604042875"
                     "3762a20c040a70003dd800de73007300");
    ck_assert_int_eq(credssp_asn1_password_creds_to_utf8(&pwd, &d, &u, &p),
                     0);
    ck_assert_str_eq((const char *)d.data, "D\xc3\xb6m\xc3\xa4in");
    ck_assert_str_eq((const char *)u.data, "\xe7\x94\xa8\xe6\x88\xb7");
    ck_assert_str_eq((const char *)p.data, "p\xf0\x9f\x98\x80ss");
    credssp_buf_wipe_free(&p);
    credssp_buf_wipe_free(&u);
    credssp_buf_wipe_free(&d);
    credssp_buf_wipe_free(&der);
    credssp_asn1_password_creds_free(&pwd);

    /* Invalid UTF-8 and UTF-16 are refused, outputs left empty. */
    ck_assert_int_eq(
        credssp_asn1_password_creds_from_utf8("", "\xc0\x80", "", &pwd),
        CREDSSP_ERR_UTF8);
    ck_assert_ptr_null(pwd.domain_name.data);
    ck_assert_uint_eq(pwd.user_name.len, 0);
    pwd.domain_name = hexbuf("");
    pwd.user_name = hexbuf("00d8");
    pwd.password = hexbuf("");
    ck_assert_int_eq(credssp_asn1_password_creds_to_utf8(&pwd, &d, &u, &p),
                     CREDSSP_ERR_UTF16);
    ck_assert_ptr_null(d.data);
    ck_assert_ptr_null(u.data);
    ck_assert_ptr_null(p.data);
    credssp_asn1_password_creds_free(&pwd);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Round trips                                                         */
/* ------------------------------------------------------------------ */

/* A TSRequest shape: sizes of its fields (SIZE_MAX: absent). */
struct request_spec {
    const char *name;
    uint32_t version;
    size_t ntokens; /* SIZE_MAX: NegoData absent */
    size_t token_len;
    size_t auth_len;
    size_t pub_len;
    int has_error_code;
    uint32_t error_code;
    int nonce;
};

#define ABSENT SIZE_MAX

static const struct request_spec request_specs[] = {
    { "all absent", 0, ABSENT, 0, ABSENT, ABSENT, 0, 0, 0 },
    { "empty NegoData", 2, 0, 0, ABSENT, ABSENT, 0, 0, 0 },
    { "one empty token", 3, 1, 0, ABSENT, ABSENT, 0, 0, 0 },
    { "present but empty", 6, 1, 0, 0, 0, 1, 0, 1 },
    { "maximal token and pubKeyAuth", 0xFFFFFFFFu, 1,
      CREDSSP_ASN1_MAX_NEGO_TOKEN, ABSENT, CREDSSP_ASN1_MAX_PUB_KEY_AUTH, 1,
      0xFFFFFFFFu, 1 },
    { "maximal number of tokens", 6, CREDSSP_ASN1_MAX_NEGO_TOKENS, 1000,
      ABSENT, ABSENT, 1, 0x80000000u, 1 },
    { "maximal authInfo", 6, ABSENT, 0, CREDSSP_ASN1_MAX_AUTH_INFO, ABSENT, 1,
      0x7FFFFFFFu, 1 },
    { "errorCode 0", 6, ABSENT, 0, ABSENT, ABSENT, 1, 0, 0 },
};

START_TEST(test_asn1_ts_request_round_trip)
{
    const struct request_spec *s = &request_specs[_i];
    struct credssp_ts_request in, dec;
    struct credssp_buf out = { NULL, 0 }, again = { NULL, 0 };
    size_t i;

    memset(&in, 0, sizeof(in));
    in.version = s->version;
    if (s->ntokens != ABSENT) {
        in.nego_tokens.present = 1;
        in.nego_tokens.count = s->ntokens;
        in.nego_tokens.tokens = calloc(s->ntokens + 1, sizeof(struct
                                                              credssp_buf));
        ck_assert_ptr_nonnull(in.nego_tokens.tokens);
        for (i = 0; i < s->ntokens; i++) {
            in.nego_tokens.tokens[i] = fill(s->token_len, (uint8_t)i);
        }
    }
    if (s->auth_len != ABSENT) {
        in.auth_info.present = 1;
        in.auth_info.value = fill(s->auth_len, 0xa1);
    }
    if (s->pub_len != ABSENT) {
        in.pub_key_auth.present = 1;
        in.pub_key_auth.value = fill(s->pub_len, 0xb2);
    }
    in.has_error_code = s->has_error_code;
    in.error_code = s->error_code;
    if (s->nonce) {
        in.client_nonce.present = 1;
        in.client_nonce.value = fill(CREDSSP_ASN1_NONCE_LEN, 0xc3);
    }

    ck_assert_int_eq(credssp_asn1_encode_ts_request(&in, &out), 0);
    ck_assert_int_eq(credssp_asn1_decode_ts_request(out.data, out.len, &dec),
                     0);
    assert_ts_request_eq(&dec, &in);
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&dec, &again), 0);
    assert_buf(&again, &out);

    credssp_buf_free(&again);
    credssp_buf_free(&out);
    credssp_asn1_ts_request_free(&dec);
    credssp_asn1_ts_request_free(&in);
}
END_TEST

/* TSCredentials: each known type, empty and maximal credentials. */
static const struct {
    uint32_t cred_type;
    size_t len;
} credentials_specs[] = {
    { 1, 0 },
    { 2, 1 },
    { 6, CREDSSP_ASN1_MAX_CREDENTIALS },
};

START_TEST(test_asn1_ts_credentials_round_trip)
{
    struct credssp_ts_credentials in, dec;
    struct credssp_buf out = { NULL, 0 }, again = { NULL, 0 };

    in.cred_type = credentials_specs[_i].cred_type;
    in.credentials = fill(credentials_specs[_i].len, 0x5a);
    ck_assert_int_eq(credssp_asn1_encode_ts_credentials(&in, &out), 0);
    ck_assert_int_eq(
        credssp_asn1_decode_ts_credentials(out.data, out.len, &dec), 0);
    ck_assert_uint_eq(dec.cred_type, in.cred_type);
    assert_buf(&dec.credentials, &in.credentials);
    ck_assert_int_eq(credssp_asn1_encode_ts_credentials(&dec, &again), 0);
    assert_buf(&again, &out);
    credssp_buf_wipe_free(&again);
    credssp_buf_wipe_free(&out);
    credssp_asn1_ts_credentials_free(&dec);
    credssp_asn1_ts_credentials_free(&in);
}
END_TEST

/* TSPasswordCreds: UTF-8 strings, or a repeat count for maximal ones. */
static const struct {
    const char *domain, *user, *password;
    size_t repeat; /* > 0: each string is "x" * repeat instead */
} password_specs[] = {
    { "", "", "", 0 },
    { "D\xc3\xb6m\xc3\xa4in", "\xe7\x94\xa8\xe6\x88\xb7",
      "p\xf0\x9f\x98\x80ss", 0 },
    { "EXAMPLE.COM", "Administrator", "correct horse battery staple", 0 },
    { NULL, NULL, NULL, CREDSSP_ASN1_MAX_NAME / 2 },
};

START_TEST(test_asn1_password_creds_round_trip)
{
    struct credssp_password_creds in, dec;
    struct credssp_buf out = { NULL, 0 }, again = { NULL, 0 };
    char *big = NULL;
    size_t n = password_specs[_i].repeat;

    if (n > 0) {
        big = malloc(n + 1);
        ck_assert_ptr_nonnull(big);
        memset(big, 'x', n);
        big[n] = '\0';
        ck_assert_int_eq(
            credssp_asn1_password_creds_from_utf8(big, big, big, &in), 0);
        ck_assert_uint_eq(in.password.len, CREDSSP_ASN1_MAX_SECRET);
    } else {
        ck_assert_int_eq(credssp_asn1_password_creds_from_utf8(
                             password_specs[_i].domain,
                             password_specs[_i].user,
                             password_specs[_i].password, &in),
                         0);
    }
    ck_assert_int_eq(credssp_asn1_encode_password_creds(&in, &out), 0);
    ck_assert_int_eq(
        credssp_asn1_decode_password_creds(out.data, out.len, &dec), 0);
    assert_buf(&dec.domain_name, &in.domain_name);
    assert_buf(&dec.user_name, &in.user_name);
    assert_buf(&dec.password, &in.password);
    ck_assert_int_eq(credssp_asn1_encode_password_creds(&dec, &again), 0);
    assert_buf(&again, &out);
    credssp_buf_wipe_free(&again);
    credssp_buf_wipe_free(&out);
    credssp_asn1_password_creds_free(&dec);
    credssp_asn1_password_creds_free(&in);
    free(big);
}
END_TEST

/* TSSmartCardCreds: 0 all OPTIONALs absent and everything empty, 1 all
 * present but empty, 2 all maximal, 3 non-ASCII names. */
START_TEST(test_asn1_smart_card_creds_round_trip)
{
    struct credssp_smart_card_creds in, dec;
    struct credssp_buf out = { NULL, 0 }, again = { NULL, 0 };
    struct credssp_asn1_opt *opts[6];
    size_t i;

    memset(&in, 0, sizeof(in));
    opts[0] = &in.csp_data.card_name;
    opts[1] = &in.csp_data.reader_name;
    opts[2] = &in.csp_data.container_name;
    opts[3] = &in.csp_data.csp_name;
    opts[4] = &in.user_hint;
    opts[5] = &in.domain_hint;
    switch (_i) {
    case 0:
        break;
    case 1:
        in.csp_data.key_spec = 2;
        for (i = 0; i < COUNT_OF(opts); i++) {
            opts[i]->present = 1;
        }
        break;
    case 2:
        in.csp_data.key_spec = 0xFFFFFFFFu;
        in.pin = fill(CREDSSP_ASN1_MAX_SECRET, 0x39);
        for (i = 0; i < COUNT_OF(opts); i++) {
            opts[i]->present = 1;
            opts[i]->value = fill(CREDSSP_ASN1_MAX_NAME, (uint8_t)(0x41 + i));
        }
        break;
    default:
        in.csp_data.key_spec = 1;
        in.pin = u16("1\xe2\x82\xac");
        opts[0]->present = 1;
        opts[0]->value = u16("\xe5\x8d\xa1");
        opts[1]->present = 1;
        opts[1]->value = u16("Lecteur \xc3\xbc");
        opts[3]->present = 1;
        opts[3]->value = u16("CSP \xf0\x9f\x94\x91");
        opts[5]->present = 1;
        opts[5]->value = u16("D\xc3\xb6m\xc3\xa4in");
        break;
    }
    ck_assert_int_eq(credssp_asn1_encode_smart_card_creds(&in, &out), 0);
    ck_assert_int_eq(
        credssp_asn1_decode_smart_card_creds(out.data, out.len, &dec), 0);
    assert_smart_card_eq(&dec, &in);
    ck_assert_int_eq(credssp_asn1_encode_smart_card_creds(&dec, &again), 0);
    assert_buf(&again, &out);
    if (_i == 0) {
        assert_hex(&out, "300da0020400a1073005a003020100");
    }
    credssp_buf_wipe_free(&again);
    credssp_buf_wipe_free(&out);
    credssp_asn1_smart_card_creds_free(&dec);
    credssp_asn1_smart_card_creds_free(&in);
}
END_TEST

/* TSRemoteGuardCreds: 0 no supplementalCreds, 1 present and empty,
 * 2 maximal count, 3 maximal logon credBuffer, 4 non-ASCII names. */
START_TEST(test_asn1_remote_guard_creds_round_trip)
{
    struct credssp_remote_guard_creds in, dec;
    struct credssp_buf out = { NULL, 0 }, again = { NULL, 0 };
    size_t i;

    memset(&in, 0, sizeof(in));
    in.logon_cred.package_name = u16("Kerberos");
    in.logon_cred.cred_buffer = fill(16, 0x10);
    switch (_i) {
    case 0:
        break;
    case 1:
        in.has_supplemental = 1;
        break;
    case 2:
        in.has_supplemental = 1;
        in.supplemental_count = CREDSSP_ASN1_MAX_SUPPLEMENTAL;
        in.supplemental = calloc(CREDSSP_ASN1_MAX_SUPPLEMENTAL,
                                 sizeof(*in.supplemental));
        ck_assert_ptr_nonnull(in.supplemental);
        for (i = 0; i < in.supplemental_count; i++) {
            in.supplemental[i].package_name = u16("NTLM");
            in.supplemental[i].cred_buffer = fill(i, (uint8_t)i);
        }
        break;
    case 3:
        credssp_buf_free(&in.logon_cred.cred_buffer);
        in.logon_cred.cred_buffer = fill(CREDSSP_ASN1_MAX_CRED_BUFFER, 0x77);
        credssp_buf_free(&in.logon_cred.package_name);
        in.logon_cred.package_name = fill(CREDSSP_ASN1_MAX_NAME, 0x4b);
        break;
    default:
        credssp_buf_free(&in.logon_cred.package_name);
        in.logon_cred.package_name = u16("Paket \xc3\xa4\xf0\x9f\x98\x80");
        in.has_supplemental = 1;
        in.supplemental_count = 1;
        in.supplemental = calloc(1, sizeof(*in.supplemental));
        ck_assert_ptr_nonnull(in.supplemental);
        in.supplemental[0].package_name = u16("\xe7\x94\xa8");
        break;
    }
    ck_assert_int_eq(credssp_asn1_encode_remote_guard_creds(&in, &out), 0);
    ck_assert_int_eq(
        credssp_asn1_decode_remote_guard_creds(out.data, out.len, &dec), 0);
    assert_remote_guard_eq(&dec, &in);
    ck_assert_int_eq(credssp_asn1_encode_remote_guard_creds(&dec, &again),
                     0);
    assert_buf(&again, &out);
    credssp_buf_wipe_free(&again);
    credssp_buf_wipe_free(&out);
    credssp_asn1_remote_guard_creds_free(&dec);
    credssp_asn1_remote_guard_creds_free(&in);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Malformed input                                                     */
/* ------------------------------------------------------------------ */

struct malformed_vector {
    const char *name;
    enum msg_kind kind;
    const char *der;
    int code;
};

static const struct malformed_vector malformed_vectors[] = {
    { "empty input", MSG_TS_REQUEST, "", CREDSSP_ERR_ASN1_TRUNCATED },
    { "tag only", MSG_TS_REQUEST, "30", CREDSSP_ERR_ASN1_TRUNCATED },
    { "short content", MSG_TS_REQUEST, "3005a0030201",
      CREDSSP_ERR_ASN1_TRUNCATED },
    { "inner length beyond its container", MSG_TS_REQUEST,
      "3005a004020106", CREDSSP_ERR_ASN1_TRUNCATED },
    { "length of nine bytes", MSG_TS_REQUEST, "3089010000000000000000",
      CREDSSP_ERR_ASN1_TRUNCATED },
    { "BER long form where short fits", MSG_TS_REQUEST, "308105a003020106",
      CREDSSP_ERR_ASN1_NOT_DER },
    { "non-minimal long form", MSG_TS_REQUEST, "30820005a003020106",
      CREDSSP_ERR_ASN1_NOT_DER },
    { "inner long form where short fits", MSG_TS_REQUEST,
      "3006a08103020106", CREDSSP_ERR_ASN1_NOT_DER },
    { "indefinite length", MSG_TS_REQUEST, "3080a0030201060000",
      CREDSSP_ERR_ASN1_NOT_DER },
    { "inner indefinite length", MSG_TS_REQUEST, "3007a0800201060000",
      CREDSSP_ERR_ASN1_NOT_DER },
    { "non-minimal INTEGER", MSG_TS_REQUEST, "3006a00402020006",
      CREDSSP_ERR_ASN1_NOT_DER },
    { "non-minimal negative INTEGER", MSG_TS_REQUEST, "3006a0040202ff80",
      CREDSSP_ERR_ASN1_NOT_DER },
    { "reserved length byte", MSG_TS_REQUEST, "30ff",
      CREDSSP_ERR_ASN1_MALFORMED },
    { "empty INTEGER", MSG_TS_REQUEST, "3004a0020200",
      CREDSSP_ERR_ASN1_MALFORMED },
    { "explicit tag around two TLVs", MSG_TS_REQUEST, "3008a006020106020106",
      CREDSSP_ERR_ASN1_MALFORMED },
    { "empty explicit tag", MSG_TS_REQUEST, "3002a000",
      CREDSSP_ERR_ASN1_MALFORMED },
    { "trailing byte", MSG_TS_REQUEST, "3005a00302010600",
      CREDSSP_ERR_ASN1_TRAILING },
    { "two messages", MSG_TS_REQUEST, "3005a0030201063005a003020106",
      CREDSSP_ERR_ASN1_TRAILING },
    { "outer tag SET", MSG_TS_REQUEST, "3105a003020106",
      CREDSSP_ERR_ASN1_TAG },
    { "outer tag OCTET STRING", MSG_TS_REQUEST, "0405a003020106",
      CREDSSP_ERR_ASN1_TAG },
    { "high-tag-number form", MSG_TS_REQUEST, "3f05a003020106",
      CREDSSP_ERR_ASN1_TAG },
    { "context tag [7]", MSG_TS_REQUEST, "3005a703020106",
      CREDSSP_ERR_ASN1_TAG },
    { "context tag [6] after version", MSG_TS_REQUEST,
      "300aa003020106a603020101", CREDSSP_ERR_ASN1_TAG },
    { "primitive context tag", MSG_TS_REQUEST, "3003800106",
      CREDSSP_ERR_ASN1_TAG },
    { "version as OCTET STRING", MSG_TS_REQUEST, "3005a003040106",
      CREDSSP_ERR_ASN1_TAG },
    { "fields out of order", MSG_TS_REQUEST,
      "3011a003020106a40302010aa2050403616263", CREDSSP_ERR_ASN1_TAG },
    { "field twice", MSG_TS_REQUEST, "300aa003020106a003020106",
      CREDSSP_ERR_ASN1_TAG },
    { "NegoData element not a SEQUENCE", MSG_TS_REQUEST,
      "3009a003020106a1020400", CREDSSP_ERR_ASN1_TAG },
    { "negoToken under [1]", MSG_TS_REQUEST,
      "300fa003020106a10830063004a1020400", CREDSSP_ERR_ASN1_TAG },
    { "constructed OCTET STRING", MSG_TS_REQUEST, "3009a003020106a2022400",
      CREDSSP_ERR_ASN1_TAG },
    { "clientNonce as INTEGER", MSG_TS_REQUEST, "300aa003020106a503020100",
      CREDSSP_ERR_ASN1_TAG },
    { "missing version", MSG_TS_REQUEST, "300ba10930073005a003040141",
      CREDSSP_ERR_ASN1_MISSING },
    { "empty TSRequest", MSG_TS_REQUEST, "3000", CREDSSP_ERR_ASN1_MISSING },
    { "NegoData element without negoToken", MSG_TS_REQUEST,
      "300ba003020106a10430023000", CREDSSP_ERR_ASN1_MISSING },
    { "version -1", MSG_TS_REQUEST, "3005a0030201ff",
      CREDSSP_ERR_ASN1_RANGE },
    { "version -128", MSG_TS_REQUEST, "3005a003020180",
      CREDSSP_ERR_ASN1_RANGE },
    { "version 2^32", MSG_TS_REQUEST, "3009a00702050100000000",
      CREDSSP_ERR_ASN1_RANGE },
    { "errorCode 2^32", MSG_TS_REQUEST, "300ea003020106a40702050100000000",
      CREDSSP_ERR_ASN1_RANGE },
    { "errorCode -2^31-1", MSG_TS_REQUEST, "300ea003020106a4070205ff7fffffff",
      CREDSSP_ERR_ASN1_RANGE },
    { "errorCode of 6 bytes", MSG_TS_REQUEST,
      "300fa003020106a4080206010000000000", CREDSSP_ERR_ASN1_RANGE },
    { "empty clientNonce", MSG_TS_REQUEST, "3009a003020106a5020400",
      CREDSSP_ERR_BAD_NONCE },
    { "TSCredentials without credentials", MSG_TS_CREDENTIALS,
      "3005a003020101", CREDSSP_ERR_ASN1_MISSING },
    { "credType as OCTET STRING", MSG_TS_CREDENTIALS,
      "3009a003040101a1020400", CREDSSP_ERR_ASN1_TAG },
    { "credType 2^32", MSG_TS_CREDENTIALS, "300da00702050100000000a1020400",
      CREDSSP_ERR_ASN1_RANGE },
    { "TSCredentials BER length", MSG_TS_CREDENTIALS,
      "30810ba003020101a10404024142", CREDSSP_ERR_ASN1_NOT_DER },
    { "TSPasswordCreds without password", MSG_PASSWORD,
      "3008a0020400a1020400", CREDSSP_ERR_ASN1_MISSING },
    { "TSPasswordCreds without userName", MSG_PASSWORD,
      "3008a0020400a2020400", CREDSSP_ERR_ASN1_MISSING },
    { "TSPasswordCreds with [3]", MSG_PASSWORD,
      "3010a0020400a1020400a2020400a3020400", CREDSSP_ERR_ASN1_TAG },
    { "TSPasswordCreds trailing byte", MSG_PASSWORD,
      "300ca0020400a1020400a202040000", CREDSSP_ERR_ASN1_TRAILING },
    { "domainName as INTEGER", MSG_PASSWORD,
      "300da003020100a1020400a2020400", CREDSSP_ERR_ASN1_TAG },
    { "TSSmartCardCreds without cspData", MSG_SMART_CARD, "3004a0020400",
      CREDSSP_ERR_ASN1_MISSING },
    { "TSCspDataDetail without keySpec", MSG_SMART_CARD,
      "3008a0020400a1023000", CREDSSP_ERR_ASN1_MISSING },
    { "keySpec 2^32", MSG_SMART_CARD,
      "3011a0020400a10b3009a00702050100000000", CREDSSP_ERR_ASN1_RANGE },
    { "TSRemoteGuardCreds without logonCred", MSG_REMOTE_GUARD, "3000",
      CREDSSP_ERR_ASN1_MISSING },
    { "logonCred as OCTET STRING", MSG_REMOTE_GUARD, "3006a00404024142",
      CREDSSP_ERR_ASN1_TAG },
    { "supplemental cred without credBuffer", MSG_REMOTE_GUARD,
      "3016a00a3008a0020400a1020400a10830063004a0020400",
      CREDSSP_ERR_ASN1_MISSING },
    { "supplementalCreds not a SEQUENCE OF", MSG_REMOTE_GUARD,
      "3010a00a3008a0020400a1020400a1020400", CREDSSP_ERR_ASN1_TAG },
};

START_TEST(test_asn1_decode_rejects_malformed)
{
    const struct malformed_vector *v = &malformed_vectors[_i];
    struct credssp_buf der = hexbuf(v->der);
    int ret = decode_msg(v->kind, der.data, der.len);

    ck_assert_msg(ret == v->code, "%s: got %s (%d), want %s", v->name,
                  credssp_err_name(ret) != NULL ? credssp_err_name(ret) : "?",
                  ret, credssp_err_name(v->code));
    credssp_buf_free(&der);
}
END_TEST

/* V4 cut at every length, the empty prefix included. */
START_TEST(test_asn1_ts_request_rejects_every_truncation)
{
    struct credssp_buf der = hexbuf(v4_hex);

    ck_assert_uint_lt((size_t)_i, der.len);
    ck_assert_int_eq(decode_msg(MSG_TS_REQUEST, der.data, (size_t)_i),
                     CREDSSP_ERR_ASN1_TRUNCATED);
    credssp_buf_free(&der);
}
END_TEST

/* The same for a message of every other type (V5, V8 and the
 * TSRequest of V6 with errorCode). */
START_TEST(test_asn1_decoders_reject_every_truncation)
{
    static const struct {
        enum msg_kind kind;
        const char *der;
    } bases[] = {
        { MSG_TS_REQUEST,
          "3065a003020106a332043001000000d8b30c7e37512184000000006c47c8e302"
          "599219d199dfbd0ff571613adf7403effca52316233755ff9120d8a4060204c0"
          "0700eaa5220420f88dd4b7559a94e5e87f2b2f94c23858a984fc07697df85776"
          "c957a31512eb32" },
        { MSG_TS_CREDENTIALS, "301ba003020101a11404123010a0020400a10404026100"
                              "a20404023100" },
        { MSG_PASSWORD, "3010a0020400a10404026100a20404023100" },
        { MSG_SMART_CARD, "3027a00a04083100320033003400a1133011a003020101a2"
                          "0404025200a40404024300a30404024400" },
        { MSG_REMOTE_GUARD, "3025a01f301da01404125000610063006b00610067006500"
                            "20003100a1050403313233a1023000" },
    };
    struct credssp_buf der;
    size_t b, n;

    for (b = 0; b < COUNT_OF(bases); b++) {
        der = hexbuf(bases[b].der);
        ck_assert_int_eq(decode_msg(bases[b].kind, der.data, der.len), 0);
        for (n = 0; n < der.len; n++) {
            ck_assert_msg(decode_msg(bases[b].kind, der.data, n) ==
                              CREDSSP_ERR_ASN1_TRUNCATED,
                          "base %zu cut at %zu", b, n);
        }
        credssp_buf_free(&der);
    }
    der = build_v8();
    for (n = 0; n < der.len; n++) {
        ck_assert_msg(decode_msg(MSG_REMOTE_GUARD, der.data, n) ==
                          CREDSSP_ERR_ASN1_TRUNCATED,
                      "V8 cut at %zu", n);
    }
    credssp_buf_free(&der);
}
END_TEST

/* clientNonce of 31 and 33 bytes, decoded and encoded. */
START_TEST(test_asn1_ts_request_rejects_bad_nonce_length)
{
    static const size_t lens[] = { 31, 33 };
    struct credssp_ts_request req;
    struct credssp_buf der, out = { NULL, 0 };
    size_t i;

    for (i = 0; i < COUNT_OF(lens); i++) {
        der = tlv(0x30, cat(ctx(0, int6()), ctx(5, octets(fill(lens[i], 7)))));
        ck_assert_int_eq(
            credssp_asn1_decode_ts_request(der.data, der.len, &req),
            CREDSSP_ERR_BAD_NONCE);
        credssp_buf_free(&der);

        memset(&req, 0, sizeof(req));
        req.version = 6;
        req.client_nonce.present = 1;
        req.client_nonce.value = fill(lens[i], 7);
        ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out),
                         CREDSSP_ERR_BAD_NONCE);
        ck_assert_ptr_null(out.data);
        credssp_asn1_ts_request_free(&req);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* Size limits                                                         */
/* ------------------------------------------------------------------ */

struct limit_vector {
    const char *name;
    enum msg_kind kind;
    struct credssp_buf (*build)(int which, size_t n);
    int which;
    size_t limit;
};

static const struct limit_vector limit_vectors[] = {
    { "negoToken", MSG_TS_REQUEST, build_request, 0,
      CREDSSP_ASN1_MAX_NEGO_TOKEN },
    { "NegoData elements", MSG_TS_REQUEST, build_request, 1,
      CREDSSP_ASN1_MAX_NEGO_TOKENS },
    { "authInfo", MSG_TS_REQUEST, build_request, 2,
      CREDSSP_ASN1_MAX_AUTH_INFO },
    { "pubKeyAuth", MSG_TS_REQUEST, build_request, 3,
      CREDSSP_ASN1_MAX_PUB_KEY_AUTH },
    { "credentials", MSG_TS_CREDENTIALS, build_credentials, 0,
      CREDSSP_ASN1_MAX_CREDENTIALS },
    { "domainName", MSG_PASSWORD, build_password, 0, CREDSSP_ASN1_MAX_NAME },
    { "userName", MSG_PASSWORD, build_password, 1, CREDSSP_ASN1_MAX_NAME },
    { "password", MSG_PASSWORD, build_password, 2, CREDSSP_ASN1_MAX_SECRET },
    { "pin", MSG_SMART_CARD, build_smart_card, 0, CREDSSP_ASN1_MAX_SECRET },
    { "cardName", MSG_SMART_CARD, build_smart_card, 1,
      CREDSSP_ASN1_MAX_NAME },
    { "readerName", MSG_SMART_CARD, build_smart_card, 2,
      CREDSSP_ASN1_MAX_NAME },
    { "containerName", MSG_SMART_CARD, build_smart_card, 3,
      CREDSSP_ASN1_MAX_NAME },
    { "cspName", MSG_SMART_CARD, build_smart_card, 4, CREDSSP_ASN1_MAX_NAME },
    { "userHint", MSG_SMART_CARD, build_smart_card, 5,
      CREDSSP_ASN1_MAX_NAME },
    { "domainHint", MSG_SMART_CARD, build_smart_card, 6,
      CREDSSP_ASN1_MAX_NAME },
    { "logon packageName", MSG_REMOTE_GUARD, build_remote_guard, 0,
      CREDSSP_ASN1_MAX_NAME },
    { "logon credBuffer", MSG_REMOTE_GUARD, build_remote_guard, 1,
      CREDSSP_ASN1_MAX_CRED_BUFFER },
    { "supplementalCreds elements", MSG_REMOTE_GUARD, build_remote_guard, 2,
      CREDSSP_ASN1_MAX_SUPPLEMENTAL },
    { "supplemental packageName", MSG_REMOTE_GUARD, build_remote_guard, 3,
      CREDSSP_ASN1_MAX_NAME },
    { "supplemental credBuffer", MSG_REMOTE_GUARD, build_remote_guard, 4,
      CREDSSP_ASN1_MAX_CRED_BUFFER },
};

/* Row _i / 2; even _i: exactly at the limit (accepted and re-encoded to
 * the same bytes); odd _i: one above (CREDSSP_ERR_ASN1_FIELD_SIZE). */
START_TEST(test_asn1_decode_enforces_field_limits)
{
    const struct limit_vector *v = &limit_vectors[_i / 2];
    int above = _i % 2;
    struct credssp_buf der = v->build(v->which, v->limit + (size_t)above);
    struct credssp_buf out = { NULL, 0 };
    struct credssp_ts_request req;
    struct credssp_ts_credentials creds;
    struct credssp_password_creds pwd;
    struct credssp_smart_card_creds sc;
    struct credssp_remote_guard_creds rg;
    int ret;

    if (above) {
        ret = decode_msg(v->kind, der.data, der.len);
        ck_assert_msg(ret == CREDSSP_ERR_ASN1_FIELD_SIZE, "%s: got %d",
                      v->name, ret);
        credssp_buf_free(&der);
        return;
    }
    switch (v->kind) {
    case MSG_TS_REQUEST:
        ck_assert_int_eq(
            credssp_asn1_decode_ts_request(der.data, der.len, &req), 0);
        ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out), 0);
        credssp_asn1_ts_request_free(&req);
        break;
    case MSG_TS_CREDENTIALS:
        ck_assert_int_eq(
            credssp_asn1_decode_ts_credentials(der.data, der.len, &creds), 0);
        ck_assert_int_eq(credssp_asn1_encode_ts_credentials(&creds, &out), 0);
        credssp_asn1_ts_credentials_free(&creds);
        break;
    case MSG_PASSWORD:
        ck_assert_int_eq(
            credssp_asn1_decode_password_creds(der.data, der.len, &pwd), 0);
        ck_assert_int_eq(credssp_asn1_encode_password_creds(&pwd, &out), 0);
        credssp_asn1_password_creds_free(&pwd);
        break;
    case MSG_SMART_CARD:
        ck_assert_int_eq(
            credssp_asn1_decode_smart_card_creds(der.data, der.len, &sc), 0);
        ck_assert_int_eq(credssp_asn1_encode_smart_card_creds(&sc, &out), 0);
        credssp_asn1_smart_card_creds_free(&sc);
        break;
    default:
        ck_assert_int_eq(
            credssp_asn1_decode_remote_guard_creds(der.data, der.len, &rg),
            0);
        ck_assert_int_eq(credssp_asn1_encode_remote_guard_creds(&rg, &out),
                         0);
        credssp_asn1_remote_guard_creds_free(&rg);
        break;
    }
    assert_buf(&out, &der);
    credssp_buf_wipe_free(&out);
    credssp_buf_free(&der);
}
END_TEST

/* Encoders refuse a field one byte above its limit. */
START_TEST(test_asn1_encode_enforces_field_limits)
{
    struct credssp_buf out = { NULL, 0 }, token;
    struct credssp_ts_request req;
    struct credssp_ts_credentials creds;
    struct credssp_password_creds pwd;
    struct credssp_smart_card_creds sc;
    struct credssp_remote_guard_creds rg;

    memset(&req, 0, sizeof(req));
    token = fill(CREDSSP_ASN1_MAX_NEGO_TOKEN + 1, 1);
    req.nego_tokens.present = 1;
    req.nego_tokens.count = 1;
    req.nego_tokens.tokens = &token;
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    credssp_buf_free(&token);
    memset(&req, 0, sizeof(req));
    req.auth_info.present = 1;
    req.auth_info.value = fill(CREDSSP_ASN1_MAX_AUTH_INFO + 1, 1);
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    credssp_asn1_ts_request_free(&req);
    req.pub_key_auth.present = 1;
    req.pub_key_auth.value = fill(CREDSSP_ASN1_MAX_PUB_KEY_AUTH + 1, 1);
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    credssp_asn1_ts_request_free(&req);

    creds.cred_type = 1;
    creds.credentials = fill(CREDSSP_ASN1_MAX_CREDENTIALS + 1, 1);
    ck_assert_int_eq(credssp_asn1_encode_ts_credentials(&creds, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    credssp_asn1_ts_credentials_free(&creds);

    memset(&pwd, 0, sizeof(pwd));
    pwd.user_name = fill(CREDSSP_ASN1_MAX_NAME + 1, 1);
    ck_assert_int_eq(credssp_asn1_encode_password_creds(&pwd, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    credssp_asn1_password_creds_free(&pwd);
    pwd.password = fill(CREDSSP_ASN1_MAX_SECRET + 1, 1);
    ck_assert_int_eq(credssp_asn1_encode_password_creds(&pwd, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    credssp_asn1_password_creds_free(&pwd);

    memset(&sc, 0, sizeof(sc));
    sc.csp_data.reader_name.present = 1;
    sc.csp_data.reader_name.value = fill(CREDSSP_ASN1_MAX_NAME + 1, 1);
    ck_assert_int_eq(credssp_asn1_encode_smart_card_creds(&sc, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    credssp_asn1_smart_card_creds_free(&sc);

    memset(&rg, 0, sizeof(rg));
    rg.logon_cred.cred_buffer = fill(CREDSSP_ASN1_MAX_CRED_BUFFER + 1, 1);
    ck_assert_int_eq(credssp_asn1_encode_remote_guard_creds(&rg, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    credssp_asn1_remote_guard_creds_free(&rg);
    rg.has_supplemental = 1;
    rg.supplemental_count = CREDSSP_ASN1_MAX_SUPPLEMENTAL + 1;
    rg.supplemental = calloc(rg.supplemental_count, sizeof(*rg.supplemental));
    ck_assert_ptr_nonnull(rg.supplemental);
    ck_assert_int_eq(credssp_asn1_encode_remote_guard_creds(&rg, &out),
                     CREDSSP_ERR_ASN1_FIELD_SIZE);
    credssp_asn1_remote_guard_creds_free(&rg);

    ck_assert_int_eq(credssp_asn1_password_creds_from_utf8(
                         "", "", "", &pwd), 0);
    credssp_asn1_password_creds_free(&pwd);
    ck_assert_ptr_null(out.data);
    ck_assert_uint_eq(out.len, 0);
}
END_TEST

/* A whole TSRequest of exactly CREDSSP_ASN1_MAX_MESSAGE bytes is
 * accepted; one byte more is CREDSSP_ERR_TOO_LARGE, decoding and
 * encoding. */
START_TEST(test_asn1_ts_request_message_limit)
{
    struct credssp_buf der = build_big_request(4059), out = { NULL, 0 };
    struct credssp_ts_request req;
    struct credssp_buf *token;

    ck_assert_uint_eq(der.len, CREDSSP_ASN1_MAX_MESSAGE);
    ck_assert_int_eq(credssp_asn1_decode_ts_request(der.data, der.len, &req),
                     0);
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out), 0);
    assert_buf(&out, &der);
    credssp_buf_free(&out);

    /* One more token byte makes the encoding one byte too long. */
    token = &req.nego_tokens.tokens[0];
    credssp_buf_free(token);
    *token = fill(4060, 0x41);
    ck_assert_int_eq(credssp_asn1_encode_ts_request(&req, &out),
                     CREDSSP_ERR_TOO_LARGE);
    ck_assert_ptr_null(out.data);
    credssp_asn1_ts_request_free(&req);
    credssp_buf_free(&der);

    der = build_big_request(4060);
    ck_assert_uint_eq(der.len, CREDSSP_ASN1_MAX_MESSAGE + 1);
    ck_assert_int_eq(decode_msg(MSG_TS_REQUEST, der.data, der.len),
                     CREDSSP_ERR_TOO_LARGE);
    credssp_buf_free(&der);
}
END_TEST

/* Every decoder refuses input above the message limit before looking at
 * it; at the limit the same bytes are parsed (30 30 30 ...: the first
 * element announces 48 bytes where 46 remain). */
START_TEST(test_asn1_decoders_refuse_oversize_input)
{
    struct credssp_buf junk = fill(CREDSSP_ASN1_MAX_MESSAGE + 1, 0x30);

    ck_assert_int_eq(decode_msg((enum msg_kind)_i, junk.data, junk.len),
                     CREDSSP_ERR_TOO_LARGE);
    ck_assert_int_eq(decode_msg((enum msg_kind)_i, junk.data,
                                CREDSSP_ASN1_MAX_MESSAGE),
                     CREDSSP_ERR_ASN1_TRUNCATED);
    credssp_buf_free(&junk);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Suite                                                               */
/* ------------------------------------------------------------------ */

static Suite *
asn1_suite(void)
{
    Suite *s = suite_create("asn1");
    TCase *tc;

    tc = tcase_create("decode_valid");
    tcase_add_loop_test(tc, test_asn1_ts_request_vectors, 0,
                        COUNT_OF(ts_request_vectors));
    tcase_add_test(tc, test_asn1_ts_request_v4_nonce_is_refused);
    tcase_add_loop_test(tc, test_asn1_ts_credentials_vectors, 0,
                        COUNT_OF(creds_vectors));
    tcase_add_test(tc, test_asn1_remote_guard_v8);
    suite_add_tcase(s, tc);

    tc = tcase_create("encode");
    tcase_add_test(tc, test_asn1_ts_request_encodes_nego_data_presence);
    tcase_add_test(tc, test_asn1_ts_request_encode_rejects_bad_input);
    tcase_add_test(tc, test_asn1_ts_credentials_rejects_unknown_cred_type);
    tcase_add_test(tc, test_asn1_password_creds_utf8_helpers);
    suite_add_tcase(s, tc);

    tc = tcase_create("round_trip");
    tcase_add_loop_test(tc, test_asn1_ts_request_round_trip, 0,
                        COUNT_OF(request_specs));
    tcase_add_loop_test(tc, test_asn1_ts_credentials_round_trip, 0,
                        COUNT_OF(credentials_specs));
    tcase_add_loop_test(tc, test_asn1_password_creds_round_trip, 0,
                        COUNT_OF(password_specs));
    tcase_add_loop_test(tc, test_asn1_smart_card_creds_round_trip, 0, 4);
    tcase_add_loop_test(tc, test_asn1_remote_guard_creds_round_trip, 0, 5);
    suite_add_tcase(s, tc);

    tc = tcase_create("decode_malformed");
    tcase_add_loop_test(tc, test_asn1_decode_rejects_malformed, 0,
                        COUNT_OF(malformed_vectors));
    tcase_add_loop_test(tc, test_asn1_ts_request_rejects_every_truncation, 0,
                        (sizeof(v4_hex) - 1) / 2);
    tcase_add_test(tc, test_asn1_decoders_reject_every_truncation);
    tcase_add_test(tc, test_asn1_ts_request_rejects_bad_nonce_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_loop_test(tc, test_asn1_decode_enforces_field_limits, 0,
                        2 * COUNT_OF(limit_vectors));
    tcase_add_test(tc, test_asn1_encode_enforces_field_limits);
    tcase_add_test(tc, test_asn1_ts_request_message_limit);
    tcase_add_loop_test(tc, test_asn1_decoders_refuse_oversize_input,
                        MSG_TS_REQUEST, MSG_REMOTE_GUARD + 1);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return check_main_run(asn1_suite());
}
