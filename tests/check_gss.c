/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * End-to-end CredSSP contexts through the real mechglue of libgssapi_krb5
 * (GSS_MECH_CONFIG names the built plugin and gss-ntlmssp), against the
 * throwaway realm: Kerberos and NTLM inner contexts, delegation, versions,
 * wrong passwords, per-message protection.  Initiator and acceptor run in
 * one process; tokens are handed over in memory.
 */
#include "config.h"

#include <dlfcn.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>

#include "include/gssapi/gssapi_credssp.h"
#include "tests/check_main.h"
#include "tests/gsstest.h"
#include "tests/realm.h"

#define TCASE_TIMEOUT 60
#define MAX_LEGS GSSTEST_MAX_LEGS

static gss_cred_id_t password_cred(const char *name, const char *user,
                                   OM_uint32 *major, OM_uint32 *minor);
static void run_exchange(gss_cred_id_t icred, gss_cred_id_t acred,
                         const char *target, OM_uint32 flags,
                         struct gsstest_exchange *x);
static void assert_complete(const struct gsstest_exchange *x);
static size_t inquire(gss_ctx_id_t ctx, unsigned char which, uint8_t *out,
                      size_t max);
static OM_uint32 accept_in_pieces(struct gsstest_exchange *x,
                                  const gss_buffer_t tok, size_t chunk,
                                  int *first, gss_buffer_t out);
static OM_uint32 init_in_pieces(struct gsstest_exchange *x,
                                gss_cred_id_t icred, gss_name_t target,
                                const gss_buffer_t tok, size_t chunk,
                                gss_buffer_t out);
static Suite *gss_suite(void);

/* A CredSSP initiator credential for name with user's realm password. */
static gss_cred_id_t
password_cred(const char *name, const char *user, OM_uint32 *major,
              OM_uint32 *minor)
{
    char *password = test_realm_password(user);
    gss_cred_id_t cred;

    ck_assert_ptr_nonnull(password);
    *major = gsstest_password_cred(minor, name, password, GSS_C_NO_OID,
                                   &cred);
    free(password);
    return cred;
}

/* Drive both sides until both finish or one fails (bounded). */
static void
run_exchange(gss_cred_id_t icred, gss_cred_id_t acred, const char *target,
             OM_uint32 flags, struct gsstest_exchange *x)
{
    gss_name_t tname;
    OM_uint32 major, minor;
    int ret;

    major = gsstest_import_name(&minor, target, GSS_C_NT_HOSTBASED_SERVICE,
                                &tname);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ret = gsstest_exchange(x, icred, acred, tname, GSS_C_NO_OID, flags);
    gss_release_name(&minor, &tname);
    ck_assert_int_eq(ret, 0);
}

/* Both ends established. */
static void
assert_complete(const struct gsstest_exchange *x)
{
    ck_assert_msg(x->init_major == GSS_S_COMPLETE, "init %08x/%08x",
                  x->init_major, x->init_minor);
    ck_assert_msg(x->accept_major == GSS_S_COMPLETE, "accept %08x/%08x",
                  x->accept_major, x->accept_minor);
}

/* ------------------------------------------------------------------ */

START_TEST(test_gss_kerberos_with_delegation)
{
    gss_cred_id_t icred;
    gss_buffer_set_t parts = GSS_C_NO_BUFFER_SET;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    char *who, *password = test_realm_password("alice");

    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    assert_complete(&x);
    who = gsstest_display_name(x.src);
    ck_assert_str_eq(who, "alice@" TEST_REALM);
    free(who);
    ck_assert_uint_eq(x.init_flags & GSS_C_MUTUAL_FLAG, GSS_C_MUTUAL_FLAG);
    ck_assert_uint_eq(x.init_flags & GSS_C_DELEG_FLAG, GSS_C_DELEG_FLAG);
    ck_assert_uint_eq(x.accept_flags & GSS_C_DELEG_FLAG, GSS_C_DELEG_FLAG);
    ck_assert_uint_eq(x.init_flags & (GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG),
                      GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG);
    /* Kerberos: 3 tokens of TLS 1.3 + AP-REQ, AP-REP, pubKeyAuth,
     * pubKeyAuth, authInfo. */
    ck_assert_int_eq(x.legs_in, 4);
    ck_assert_int_eq(x.legs_out, 3);

    ck_assert_ptr_ne(x.deleg, GSS_C_NO_CREDENTIAL);
    major = gss_inquire_cred_by_oid(&minor, x.deleg,
                                    GSS_CREDSSP_INQ_PASSWORD_CREDS, &parts);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_uint_eq(parts->count, 3);
    ck_assert_uint_eq(parts->elements[0].length, 0);
    ck_assert_uint_eq(parts->elements[1].length,
                      strlen("alice@" TEST_REALM));
    ck_assert_mem_eq(parts->elements[1].value, "alice@" TEST_REALM,
                     strlen("alice@" TEST_REALM));
    ck_assert_uint_eq(parts->elements[2].length, strlen(password));
    ck_assert_mem_eq(parts->elements[2].value, password, strlen(password));
    gss_release_buffer_set(&minor, &parts);
    free(password);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

START_TEST(test_gss_ntlm_without_delegation)
{
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    char *who;

    icred = password_cred(TEST_NTLM_DOMAIN "\\alice", "alice", &major,
                          &minor);
    ck_assert_msg(major == GSS_S_COMPLETE, "acquire %08x/%08x", major,
                  minor);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    assert_complete(&x);
    who = gsstest_display_name(x.src);
    ck_assert_str_eq(who, TEST_NTLM_DOMAIN "\\alice");
    free(who);
    /* Nothing delegated: empty TSPasswordCreds went. */
    ck_assert_ptr_eq(x.deleg, GSS_C_NO_CREDENTIAL);
    ck_assert_uint_eq(x.init_flags & GSS_C_DELEG_FLAG, 0);
    ck_assert_uint_eq(x.accept_flags & GSS_C_DELEG_FLAG, 0);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* A v4 acceptor: refused by default (AllowEncryptionOracle 1: no
 * pre-2018 fallback), accepted with the echo form at level 2. */
START_TEST(test_gss_version_floor)
{
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    OM_uint32 major, minor;

    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    test_realm_write_config("acceptor-v4.conf",
                            "[credssp]\n max_version = 4\n");
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    ck_assert_uint_eq(x.init_major, GSS_S_FAILURE);
    ck_assert_uint_eq(x.init_minor, CREDSSP_ERR_ENCRYPTION_ORACLE);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);

    test_realm_write_config("initiator-v2.conf",
                            "[delegation]\n AllowEncryptionOracle = 2\n");
    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    test_realm_write_config("acceptor-v4.conf",
                            "[credssp]\n max_version = 4\n");
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    assert_complete(&x);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* Feed len bytes to the acceptor in pieces of chunk bytes; the first
 * piece of the exchange is framed with the public helper.  Returns the
 * acceptor's last major; *out gets its output (from the last piece). */
static OM_uint32
accept_in_pieces(struct gsstest_exchange *x, const gss_buffer_t tok,
                 size_t chunk, int *first, gss_buffer_t out)
{
    gss_buffer_desc piece, framed = GSS_C_EMPTY_BUFFER;
    OM_uint32 major = GSS_S_FAILURE, tmp;
    size_t off;

    for (off = 0; off < tok->length; off += chunk) {
        piece.value = (char *)tok->value + off;
        piece.length = tok->length - off < chunk ? tok->length - off : chunk;
        if (*first) {
            ck_assert_uint_eq(gss_credssp_frame_first_token(&tmp, &piece,
                                                            &framed),
                              GSS_S_COMPLETE);
            piece = framed;
            *first = 0;
        }
        gss_release_buffer(&tmp, out);
        major = gss_accept_sec_context(&x->accept_minor, &x->actx,
                                       GSS_C_NO_CREDENTIAL, &piece,
                                       GSS_C_NO_CHANNEL_BINDINGS, &x->src,
                                       NULL, out, &x->accept_flags, NULL,
                                       &x->deleg);
        gss_release_buffer(&tmp, &framed);
        if (GSS_ERROR(major)) {
            return major;
        }
        if (off + chunk < tok->length) {
            /* Inside a leg: nothing to say yet. */
            ck_assert_uint_eq(major, GSS_S_CONTINUE_NEEDED);
            ck_assert_uint_eq(out->length, 0);
        }
    }
    return major;
}

/* The same for the initiator. */
static OM_uint32
init_in_pieces(struct gsstest_exchange *x, gss_cred_id_t icred,
               gss_name_t target, const gss_buffer_t tok, size_t chunk,
               gss_buffer_t out)
{
    gss_buffer_desc piece, part = GSS_C_EMPTY_BUFFER;
    OM_uint32 major = GSS_S_FAILURE, tmp;
    size_t off;
    char *joined;

    /* The initiator may speak before a leg is complete (TLS 1.3 sends its
     * compatibility ChangeCipherSpec on seeing ServerHello): collect. */
    for (off = 0; off < tok->length; off += chunk) {
        piece.value = (char *)tok->value + off;
        piece.length = tok->length - off < chunk ? tok->length - off : chunk;
        major = gss_init_sec_context(&x->init_minor, icred, &x->ictx, target,
                                     GSS_CREDSSP_MECH_OID,
                                     GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, 0,
                                     GSS_C_NO_CHANNEL_BINDINGS, &piece, NULL,
                                     &part, &x->init_flags, NULL);
        if (GSS_ERROR(major)) {
            gss_release_buffer(&tmp, &part);
            return major;
        }
        if (part.length > 0) {
            joined = realloc(out->value, out->length + part.length);
            ck_assert_ptr_nonnull(joined);
            memcpy(joined + out->length, part.value, part.length);
            out->value = joined;
            out->length += part.length;
        }
        gss_release_buffer(&tmp, &part);
        if (off + chunk < tok->length) {
            ck_assert_uint_eq(major, GSS_S_CONTINUE_NEEDED);
        }
    }
    return major;
}

static const size_t chunk_sizes[] = { 1, 7, 100, 100000 };

/* Raw wire mode (no GSS header, as MS-CSSP peers send it), every token cut
 * into pieces of 1, 7, 100 bytes (and whole): the mechanism collects
 * partial TLS records and partial TSRequests and answers only once a leg
 * is complete. */
START_TEST(test_gss_raw_wire_in_pieces)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_cred_id_t icred;
    gss_name_t target;
    struct gsstest_exchange x;
    OM_uint32 major, minor, amajor = GSS_S_CONTINUE_NEEDED;
    char *password = test_realm_password("alice"), *who;
    const char *store[] = { "username", "alice@" TEST_REALM, "password",
                            password, "wire", "raw", NULL };
    int legs, first = 1;

    major = gsstest_import_name(&minor, "TERMSRV@localhost",
                                GSS_C_NT_HOSTBASED_SERVICE, &target);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    major = gsstest_store_cred(&minor, store, &icred);
    ck_assert_msg(major == GSS_S_COMPLETE, "acquire %08x/%08x", major,
                  minor);
    memset(&x, 0, sizeof(x));
    major = gss_init_sec_context(&x.init_minor, icred, &x.ictx, target,
                                 GSS_CREDSSP_MECH_OID,
                                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, 0,
                                 GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER,
                                 NULL, &itok, &x.init_flags, NULL);
    ck_assert_uint_eq(major, GSS_S_CONTINUE_NEEDED);
    /* Raw: the first token is a TLS handshake record, no 0x60 header. */
    ck_assert_uint_eq(((const uint8_t *)itok.value)[0], 0x16);
    for (legs = 0; legs < MAX_LEGS && itok.length > 0; legs++) {
        amajor = accept_in_pieces(&x, &itok, chunk_sizes[_i], &first, &atok);
        ck_assert_msg(!GSS_ERROR(amajor), "accept %08x/%08x", amajor,
                      x.accept_minor);
        gss_release_buffer(&minor, &itok);
        if (atok.length == 0) {
            break;
        }
        major = init_in_pieces(&x, icred, target, &atok, chunk_sizes[_i],
                               &itok);
        ck_assert_msg(!GSS_ERROR(major), "init %08x/%08x", major,
                      x.init_minor);
        gss_release_buffer(&minor, &atok);
    }
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_uint_eq(amajor, GSS_S_COMPLETE);
    who = gsstest_display_name(x.src);
    ck_assert_str_eq(who, "alice@" TEST_REALM);
    free(who);
    ck_assert_ptr_ne(x.deleg, GSS_C_NO_CREDENTIAL);
    gss_release_buffer(&minor, &itok);
    gss_release_buffer(&minor, &atok);
    gss_release_name(&minor, &target);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
    free(password);
}
END_TEST

/* After establishment: wrap/unwrap both ways are TLS records, MICs both
 * ways verify, and tampering is caught. */
START_TEST(test_gss_per_message)
{
    gss_cred_id_t icred;
    char text[] = "hello world";
    gss_buffer_desc msg = { 11, text };
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc big;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    int conf = 0;

    icred = password_cred(TEST_NTLM_DOMAIN "\\alice", "alice", &major,
                          &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "host@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    ck_assert_uint_eq(x.init_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(x.accept_major, GSS_S_COMPLETE);

    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, &msg,
                               &conf, &tok),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(conf, 1);
    /* One TLS 1.3 application-data record. */
    ck_assert_uint_eq(((const uint8_t *)tok.value)[0], 0x17);
    ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &tok, &out, &conf, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(out.length, msg.length);
    ck_assert_mem_eq(out.value, msg.value, msg.length);
    gss_release_buffer(&minor, &tok);
    gss_release_buffer(&minor, &out);

    ck_assert_uint_eq(gss_get_mic(&minor, x.actx, GSS_C_QOP_DEFAULT, &msg,
                                  &tok),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(tok.length, 40);
    ck_assert_uint_eq(gss_verify_mic(&minor, x.ictx, &msg, &tok, NULL),
                      GSS_S_COMPLETE);
    /* The same MIC again: a replay. */
    ck_assert_uint_eq(gss_verify_mic(&minor, x.ictx, &msg, &tok, NULL),
                      GSS_S_COMPLETE | GSS_S_DUPLICATE_TOKEN);
    ((uint8_t *)tok.value)[20] ^= 1;
    major = gss_verify_mic(&minor, x.ictx, &msg, &tok, NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_MIC_BAD);
    gss_release_buffer(&minor, &tok);

    /* 1 MiB in one token, both ways (more than a handshake leg may be). */
    big.length = 1024 * 1024;
    big.value = calloc(1, big.length);
    ck_assert_ptr_nonnull(big.value);
    ((uint8_t *)big.value)[big.length - 1] = 0x5a;
    ck_assert_uint_eq(gss_wrap(&minor, x.actx, 1, GSS_C_QOP_DEFAULT, &big,
                               &conf, &tok),
                      GSS_S_COMPLETE);
    ck_assert_uint_gt(tok.length, big.length);
    ck_assert_uint_eq(gss_unwrap(&minor, x.ictx, &tok, &out, &conf, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(out.length, big.length);
    ck_assert_mem_eq(out.value, big.value, big.length);
    gss_release_buffer(&minor, &tok);
    gss_release_buffer(&minor, &out);
    free(big.value);

    /* A wrap token with a flipped bit. */
    ck_assert_uint_eq(gss_wrap(&minor, x.actx, 1, GSS_C_QOP_DEFAULT, &msg,
                               &conf, &tok),
                      GSS_S_COMPLETE);
    ((uint8_t *)tok.value)[tok.length - 3] ^= 0x40;
    major = gss_unwrap(&minor, x.ictx, &tok, &out, &conf, NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_TLS_RECORD);
    gss_release_buffer(&minor, &tok);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* The TLS records of a wrap token: their count; each is application data
 * (0x17 03 03) and, under TLS 1.3 with an AEAD suite, 22 bytes longer
 * than its share of the message (header 5, content type 1, tag 16); an
 * empty message is one record with a byte of padding besides. */
static size_t
wrap_records(const gss_buffer_desc *tok, size_t msg_len)
{
    const uint8_t *p = tok->value;
    size_t off = 0, n = 0, body;

    while (off < tok->length) {
        ck_assert_uint_ge(tok->length - off, 5);
        ck_assert_mem_eq(p + off, "\x17\x03\x03", 3);
        body = ((size_t)p[off + 3] << 8) | p[off + 4];
        ck_assert_uint_le(body, tok->length - off - 5);
        off += 5 + body;
        n++;
    }
    ck_assert_uint_eq(tok->length, msg_len + 22 * n + (msg_len == 0));
    return n;
}

/*
 * gss_wrap/gss_unwrap through the mechglue at 0, 1, 16383, 16384, 16385
 * bytes and 1 MiB: one TLS record per started 16384 bytes (an empty
 * message is one padded record), conf_state 1 whether or not
 * confidentiality was asked (TLS has no integrity-only records), the
 * exact bytes back, qop 0.  _i bit 0: acceptor to initiator; bit 1:
 * conf_req_flag 0.
 */
START_TEST(test_gss_wrap_sizes)
{
    static const size_t sizes[] = { 0, 1, 16383, 16384, 16385,
                                    1024 * 1024 };
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    gss_buffer_desc msg, tok, out;
    gss_ctx_id_t from, to;
    gss_qop_t qop;
    OM_uint32 major, minor;
    size_t k, b;
    int conf;

    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    assert_complete(&x);
    from = (_i & 1) ? x.actx : x.ictx;
    to = (_i & 1) ? x.ictx : x.actx;
    for (k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
        msg.length = sizes[k];
        msg.value = malloc(msg.length + 1);
        ck_assert_ptr_nonnull(msg.value);
        for (b = 0; b < msg.length; b++) {
            ((uint8_t *)msg.value)[b] = (uint8_t)(b * 7 + k);
        }
        conf = -1;
        major = gss_wrap(&minor, from, (_i & 2) ? 0 : 1, GSS_C_QOP_DEFAULT,
                         &msg, &conf, &tok);
        ck_assert_msg(major == GSS_S_COMPLETE, "wrap %zu: %08x/%08x",
                      msg.length, major, minor);
        ck_assert_int_eq(conf, 1);
        ck_assert_uint_eq(wrap_records(&tok, msg.length),
                          msg.length == 0 ? 1 : (msg.length + 16383) / 16384);
        conf = -1;
        qop = 99;
        major = gss_unwrap(&minor, to, &tok, &out, &conf, &qop);
        ck_assert_msg(major == GSS_S_COMPLETE, "unwrap %zu: %08x/%08x",
                      msg.length, major, minor);
        ck_assert_int_eq(conf, 1);
        ck_assert_uint_eq(qop, GSS_C_QOP_DEFAULT);
        ck_assert_uint_eq(out.length, msg.length);
        if (msg.length > 0) {
            ck_assert_mem_eq(out.value, msg.value, msg.length);
        }
        gss_release_buffer(&minor, &tok);
        gss_release_buffer(&minor, &out);
        free(msg.value);
    }
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/*
 * The empty message.  TLS 1.3 (_i 0): one record holding a byte of
 * padding (23 bytes), from gss_wrap and from gss_wrap_iov (HEADER 5,
 * TRAILER 18), unwrapped to nothing.  TLS 1.2 (_i 1) has no such record
 * and GnuTLS sends no empty one: refused with CREDSSP_ERR_WRAP_EMPTY
 * before anything is sealed.  Either way the session stays in step.
 */
START_TEST(test_gss_wrap_empty)
{
    char text[] = "after";
    gss_buffer_desc empty = { 0, NULL }, msg = { 5, text };
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_iov_buffer_desc iov[3];
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    char *s;

    if (_i == 1) {
        test_realm_write_config("empty12.conf",
                                "[tls]\n priority = NORMAL:-VERS-ALL:"
                                "+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM\n");
    }
    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    assert_complete(&x);
    memset(iov, 0, sizeof(iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    iov[2].type = GSS_IOV_BUFFER_TYPE_TRAILER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
    major = gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, &empty, NULL,
                     &tok);
    if (_i == 1) {
        ck_assert_uint_eq(major, GSS_S_FAILURE);
        ck_assert_uint_eq(minor, CREDSSP_ERR_WRAP_EMPTY);
        ck_assert_uint_eq(tok.length, 0);
        s = gsstest_status_text(minor);
        ck_assert_str_eq(s, "An empty message cannot be wrapped under "
                            "TLS 1.2 (GnuTLS sends no empty records)");
        free(s);
        major = gss_wrap_iov(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, NULL,
                             iov, 3);
        ck_assert_uint_eq(major, GSS_S_FAILURE);
        ck_assert_uint_eq(minor, CREDSSP_ERR_WRAP_EMPTY);
    } else {
        ck_assert_uint_eq(major, GSS_S_COMPLETE);
        ck_assert_uint_eq(tok.length, 23);
        ck_assert_mem_eq(tok.value, "\x17\x03\x03\x00\x12", 5);
        ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &tok, &out, NULL,
                                     NULL),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(out.length, 0);
        /* gss_release_buffer frees nothing of length 0. */
        ck_assert_ptr_null(out.value);
        gss_release_buffer(&minor, &out);
        gss_release_buffer(&minor, &tok);
        ck_assert_uint_eq(gss_wrap_iov(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT,
                                       NULL, iov, 3),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(iov[0].buffer.length, 5);
        ck_assert_uint_eq(iov[2].buffer.length, 18);
        tok.length = 23;
        tok.value = malloc(23);
        ck_assert_ptr_nonnull(tok.value);
        memcpy(tok.value, iov[0].buffer.value, 5);
        memcpy((uint8_t *)tok.value + 5, iov[2].buffer.value, 18);
        ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &tok, &out, NULL,
                                     NULL),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(out.length, 0);
        /* gss_release_buffer frees nothing of length 0. */
        ck_assert_ptr_null(out.value);
        gss_release_buffer(&minor, &out);
        free(tok.value);
        tok.value = NULL;
        tok.length = 0;
    }
    gss_release_iov_buffer(&minor, iov, 3);
    /* In step: a message each way. */
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, &msg,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &tok, &out, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(out.length, 5);
    ck_assert_mem_eq(out.value, text, 5);
    gss_release_buffer(&minor, &out);
    gss_release_buffer(&minor, &tok);
    ck_assert_uint_eq(gss_wrap(&minor, x.actx, 1, GSS_C_QOP_DEFAULT, &msg,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_unwrap(&minor, x.ictx, &tok, &out, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(out.length, 5);
    gss_release_buffer(&minor, &out);
    gss_release_buffer(&minor, &tok);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
    test_realm_reset_config();
}
END_TEST

/*
 * MICs through the mechglue, in the order RFC 2743 1.2.3 names: in order
 * (COMPLETE), one skipped (GAP_TOKEN), the skipped one late
 * (UNSEQ_TOKEN), one again (DUPLICATE_TOKEN), one more than 64 back
 * (OLD_TOKEN); a MIC over another message, from the other direction or
 * from another context is BAD_SIG.  gss_pseudo_random: equal on both
 * ends for both key modes, different across contexts and modes, any
 * length up to 64 KiB.
 */
START_TEST(test_gss_mic_sequence_and_prf)
{
    char text[] = "mic message", other[] = "mic massage";
    gss_buffer_desc msg = { 11, text }, msg2 = { 11, other };
    gss_buffer_desc in = { 4, (void *)(uintptr_t)"seed" };
    gss_buffer_desc mic[70], bad = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc p1 = GSS_C_EMPTY_BUFFER, p2 = GSS_C_EMPTY_BUFFER;
    gss_cred_id_t icred;
    struct gsstest_exchange x, y;
    OM_uint32 major, minor;
    int i, mode;

    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    assert_complete(&x);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &y);
    assert_complete(&y);
    for (i = 0; i < 70; i++) {
        ck_assert_uint_eq(gss_get_mic(&minor, x.ictx, GSS_C_QOP_DEFAULT,
                                      &msg, &mic[i]),
                          GSS_S_COMPLETE);
    }
    ck_assert_uint_eq(gss_verify_mic(&minor, x.actx, &msg, &mic[0], NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_verify_mic(&minor, x.actx, &msg, &mic[2], NULL),
                      GSS_S_GAP_TOKEN);
    ck_assert_uint_eq(gss_verify_mic(&minor, x.actx, &msg, &mic[1], NULL),
                      GSS_S_UNSEQ_TOKEN);
    ck_assert_uint_eq(gss_verify_mic(&minor, x.actx, &msg, &mic[1], NULL),
                      GSS_S_DUPLICATE_TOKEN);
    ck_assert_uint_eq(gss_verify_mic(&minor, x.actx, &msg, &mic[3], NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_verify_mic(&minor, x.actx, &msg, &mic[69], NULL),
                      GSS_S_GAP_TOKEN);
    ck_assert_uint_eq(gss_verify_mic(&minor, x.actx, &msg, &mic[4], NULL),
                      GSS_S_OLD_TOKEN);
    ck_assert_uint_eq(gss_verify_mic(&minor, x.actx, &msg, &mic[10], NULL),
                      GSS_S_UNSEQ_TOKEN);
    /* Another message, the wrong direction, another context. */
    major = gss_verify_mic(&minor, x.actx, &msg2, &mic[11], NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_MIC_BAD);
    major = gss_verify_mic(&minor, x.ictx, &msg, &mic[12], NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_MIC_BAD);
    major = gss_verify_mic(&minor, y.actx, &msg, &mic[13], NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_MIC_BAD);
    /* A token of the wrong length. */
    bad.value = mic[14].value;
    bad.length = mic[14].length - 1;
    major = gss_verify_mic(&minor, x.actx, &msg, &bad, NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_MIC_BAD);
    for (i = 0; i < 70; i++) {
        gss_release_buffer(&minor, &mic[i]);
    }

    for (mode = 0; mode < 2; mode++) {
        int key = mode == 0 ? GSS_C_PRF_KEY_FULL : GSS_C_PRF_KEY_PARTIAL;

        ck_assert_uint_eq(gss_pseudo_random(&minor, x.ictx, key, &in, 65536,
                                            &p1),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(gss_pseudo_random(&minor, x.actx, key, &in, 65536,
                                            &p2),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(p1.length, 65536);
        ck_assert_uint_eq(p2.length, 65536);
        ck_assert_mem_eq(p1.value, p2.value, 65536);
        gss_release_buffer(&minor, &p2);
        ck_assert_uint_eq(gss_pseudo_random(&minor, y.ictx, key, &in, 65536,
                                            &p2),
                          GSS_S_COMPLETE);
        ck_assert_int_ne(memcmp(p1.value, p2.value, 32), 0);
        gss_release_buffer(&minor, &p1);
        gss_release_buffer(&minor, &p2);
    }
    gsstest_exchange_free(&y);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/*
 * The inquiry calls through the mechglue on both ends: gss_inquire_context
 * (names, mechanism, flags, who initiated, open), gss_context_time (the
 * inner context's: the Kerberos ticket's lifetime, bounded), the
 * initiator credential (gss_inquire_cred, gss_inquire_cred_by_mech),
 * gss_duplicate_name, gss_inquire_names_for_mech, gss_wrap_size_limit
 * (the largest message whose token fits, for several sizes), and
 * gss_export_sec_context, which a TLS session cannot do
 * (GSS_S_UNAVAILABLE, the context still usable).
 */
START_TEST(test_gss_context_and_cred_inquiries)
{
    static const OM_uint32 limits[] = { 100, 16384 + 22, 16384 + 200,
                                        3 * 16406, 1024 * 1024 };
    const OM_uint32 want_flags = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG |
                                 GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG |
                                 GSS_C_SEQUENCE_FLAG | GSS_C_PROT_READY_FLAG |
                                 GSS_C_TRANS_FLAG;
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    gss_name_t src, targ, dup, cname;
    gss_OID mech;
    gss_OID_set mechs = GSS_C_NO_OID_SET, types = GSS_C_NO_OID_SET;
    gss_cred_usage_t usage;
    gss_buffer_desc msg, tok, exported = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t sides[2];
    OM_uint32 major, minor, life, flags, ilife, alife, max_in;
    int initiated, open, equal, present, i;
    size_t k;
    char *who;

    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    assert_complete(&x);
    sides[0] = x.ictx;
    sides[1] = x.actx;
    for (i = 0; i < 2; i++) {
        major = gss_inquire_context(&minor, sides[i], &src, &targ, &life,
                                    &mech, &flags, &initiated, &open);
        ck_assert_msg(major == GSS_S_COMPLETE, "inquire_context %08x/%08x",
                      major, minor);
        ck_assert_int_eq(gss_oid_equal(mech, GSS_CREDSSP_MECH_OID), 1);
        ck_assert_uint_eq(flags & want_flags, want_flags);
        ck_assert_uint_eq(flags & GSS_C_DELEG_FLAG, 0);
        ck_assert_int_eq(initiated, i == 0);
        ck_assert_int_eq(open, 1);
        ck_assert_uint_gt(life, 0);
        ck_assert_uint_eq(gss_compare_name(&minor, src, x.src, &equal),
                          GSS_S_COMPLETE);
        ck_assert_int_eq(equal, 1);
        who = gsstest_display_name(targ);
        ck_assert_ptr_nonnull(who);
        ck_assert_ptr_nonnull(strstr(who, "localhost"));
        free(who);
        gss_release_name(&minor, &src);
        gss_release_name(&minor, &targ);
        /* The Kerberos ticket's lifetime (the realm's: 24 h at most). */
        ck_assert_uint_eq(gss_context_time(&minor, sides[i], &life),
                          GSS_S_COMPLETE);
        ck_assert_uint_gt(life, 0);
        ck_assert_uint_le(life, 24 * 3600 + 300);
    }

    /* The initiator credential. */
    ck_assert_uint_eq(gss_inquire_cred(&minor, icred, &cname, &life, &usage,
                                       &mechs),
                      GSS_S_COMPLETE);
    who = gsstest_display_name(cname);
    ck_assert_str_eq(who, "alice@" TEST_REALM);
    free(who);
    gss_release_name(&minor, &cname);
    ck_assert_int_eq(usage, GSS_C_INITIATE);
    ck_assert_uint_eq(gss_test_oid_set_member(&minor, GSS_CREDSSP_MECH_OID,
                                              mechs, &present),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(present, 1);
    gss_release_oid_set(&minor, &mechs);
    ck_assert_uint_eq(gss_inquire_cred_by_mech(&minor, icred,
                                               GSS_CREDSSP_MECH_OID, &cname,
                                               &ilife, &alife, &usage),
                      GSS_S_COMPLETE);
    who = gsstest_display_name(cname);
    ck_assert_str_eq(who, "alice@" TEST_REALM);
    free(who);
    gss_release_name(&minor, &cname);
    ck_assert_int_eq(usage, GSS_C_INITIATE);
    ck_assert_uint_gt(ilife, 0);

    /* Names. */
    ck_assert_uint_eq(gss_duplicate_name(&minor, x.src, &dup),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_compare_name(&minor, dup, x.src, &equal),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(equal, 1);
    gss_release_name(&minor, &dup);
    ck_assert_uint_eq(gss_inquire_names_for_mech(&minor,
                                                 GSS_CREDSSP_MECH_OID,
                                                 &types),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_test_oid_set_member(&minor, GSS_C_NT_USER_NAME,
                                              types, &present),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(present, 1);
    ck_assert_uint_eq(gss_test_oid_set_member(&minor,
                                              GSS_C_NT_HOSTBASED_SERVICE,
                                              types, &present),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(present, 1);
    gss_release_oid_set(&minor, &types);

    /* gss_wrap_size_limit: a message of the size it gives fits. */
    for (k = 0; k < sizeof(limits) / sizeof(*limits); k++) {
        ck_assert_uint_eq(gss_wrap_size_limit(&minor, x.ictx, 1,
                                              GSS_C_QOP_DEFAULT, limits[k],
                                              &max_in),
                          GSS_S_COMPLETE);
        ck_assert_uint_gt(max_in, 0);
        ck_assert_uint_lt(max_in, limits[k]);
        if (k < 2) {
            /* One TLS 1.3 AEAD record: exactly 22 bytes of overhead. */
            ck_assert_uint_eq(max_in, limits[k] - 22);
        }
        msg.length = max_in;
        msg.value = calloc(1, max_in);
        ck_assert_ptr_nonnull(msg.value);
        ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT,
                                   &msg, NULL, &tok),
                          GSS_S_COMPLETE);
        ck_assert_uint_le(tok.length, limits[k]);
        gss_release_buffer(&minor, &tok);
        free(msg.value);
    }

    /* Contexts cannot move between processes. */
    major = gss_export_sec_context(&minor, &x.actx, &exported);
    ck_assert_uint_eq(major, GSS_S_UNAVAILABLE);
    ck_assert_ptr_ne(x.actx, GSS_C_NO_CONTEXT);
    ck_assert_uint_eq(exported.length, 0);
    ck_assert_uint_eq(gss_context_time(&minor, x.actx, &life),
                      GSS_S_COMPLETE);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/*
 * iconv descriptors open in this process.  gss-ntlmssp opens two for each
 * NTLM context (UTF-8 to UTF-16LE and back, about 64 KB together); the
 * test program exports these two functions (Makefile.am; default
 * visibility, as the build hides symbols), so that the plugin's
 * dlopen()ed gss-ntlmssp calls them, and they count.
 */
static int iconv_descriptors;

__attribute__((visibility("default"))) iconv_t
iconv_open(const char *tocode, const char *fromcode)
{
    static iconv_t (*real)(const char *, const char *);
    iconv_t cd;

    if (real == NULL) {
        *(void **)&real = dlsym(RTLD_NEXT, "iconv_open");
    }
    cd = real(tocode, fromcode);
    if (cd != (iconv_t)-1) {
        __atomic_add_fetch(&iconv_descriptors, 1, __ATOMIC_SEQ_CST);
    }
    return cd;
}

__attribute__((visibility("default"))) int
iconv_close(iconv_t cd)
{
    static int (*real)(iconv_t);
    int ret;

    if (real == NULL) {
        *(void **)&real = dlsym(RTLD_NEXT, "iconv_close");
    }
    ret = real(cd);
    if (ret == 0) {
        __atomic_sub_fetch(&iconv_descriptors, 1, __ATOMIC_SEQ_CST);
    }
    return ret;
}

static int
open_iconv_descriptors(void)
{
    return __atomic_load_n(&iconv_descriptors, __ATOMIC_SEQ_CST);
}

/*
 * An NTLM inner context is released once CredSSP is established, and the
 * inquiries answer as before.  Control: a bare gss-ntlmssp context holds
 * two iconv descriptors while it lives.  Then a CredSSP exchange with
 * NTLM inside holds none once both ends are established, and
 * gss_inquire_context and gss_context_time give the same answers before
 * and after a message each way: the client's name on both ends, the
 * service's name on the initiator, none on an acceptor with the default
 * credential (gss-ntlmssp crashes when asked for that one), and the NTLM
 * context's lifetime (gss-ntlmssp's 36 hours, counting down).
 */
START_TEST(test_gss_ntlm_inner_released)
{
    gss_cred_id_t icred, ncred;
    gss_name_t target, src, targ;
    gss_ctx_id_t nctx = GSS_C_NO_CONTEXT, sides[2];
    gss_buffer_desc msg = { 5, (void *)(uintptr_t)"hello" }, tok, out;
    struct gsstest_exchange x;
    OM_uint32 major, minor, life, life2, flags, last[2] = { 0, 0 };
    int initiated, open, equal, base, i, round;
    char *password, *who;

    /* The control: a bare gss-ntlmssp initiator context. */
    password = test_realm_password("alice");
    ck_assert_ptr_nonnull(password);
    ck_assert_uint_eq(gsstest_password_cred(&minor,
                                            TEST_NTLM_DOMAIN "\\alice",
                                            password, &gsstest_ntlmssp_oid,
                                            &ncred),
                      GSS_S_COMPLETE);
    free(password);
    ck_assert_uint_eq(gsstest_import_name(&minor, "TERMSRV@localhost",
                                          GSS_C_NT_HOSTBASED_SERVICE,
                                          &target),
                      GSS_S_COMPLETE);
    base = open_iconv_descriptors();
    major = gss_init_sec_context(&minor, ncred, &nctx, target,
                                 &gsstest_ntlmssp_oid, 0, 0,
                                 GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER,
                                 NULL, &tok, NULL, NULL);
    ck_assert_uint_eq(major, GSS_S_CONTINUE_NEEDED);
    ck_assert_int_eq(open_iconv_descriptors(), base + 2);
    gss_release_buffer(&minor, &tok);
    gss_delete_sec_context(&minor, &nctx, GSS_C_NO_BUFFER);
    ck_assert_int_eq(open_iconv_descriptors(), base);
    gss_release_name(&minor, &target);
    gss_release_cred(&minor, &ncred);

    icred = password_cred(TEST_NTLM_DOMAIN "\\alice", "alice", &major,
                          &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    base = open_iconv_descriptors();
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    assert_complete(&x);
    ck_assert_int_eq(open_iconv_descriptors(), base);
    sides[0] = x.ictx;
    sides[1] = x.actx;
    for (round = 0; round < 2; round++) {
        for (i = 0; i < 2; i++) {
            major = gss_inquire_context(&minor, sides[i], &src, &targ,
                                        &life, NULL, &flags, &initiated,
                                        &open);
            ck_assert_msg(major == GSS_S_COMPLETE,
                          "inquire_context %08x/%08x", major, minor);
            ck_assert_int_eq(initiated, i == 0);
            ck_assert_int_eq(open, 1);
            ck_assert_uint_eq(flags & GSS_C_DELEG_FLAG, GSS_C_DELEG_FLAG);
            who = gsstest_display_name(src);
            ck_assert_str_eq(who, TEST_NTLM_DOMAIN "\\alice");
            free(who);
            ck_assert_uint_eq(gss_compare_name(&minor, src, x.src, &equal),
                              GSS_S_COMPLETE);
            ck_assert_int_eq(equal, 1);
            if (i == 0) {
                who = gsstest_display_name(targ);
                ck_assert_str_eq(who, "TERMSRV/localhost");
                free(who);
            } else {
                ck_assert_ptr_eq(targ, GSS_C_NO_NAME);
            }
            gss_release_name(&minor, &src);
            gss_release_name(&minor, &targ);
            ck_assert_uint_eq(gss_context_time(&minor, sides[i], &life2),
                              GSS_S_COMPLETE);
            ck_assert_uint_gt(life, 36 * 3600 - 300);
            ck_assert_uint_le(life, 36 * 3600);
            ck_assert_uint_le(life2, life);
            ck_assert_uint_ge(life2 + 2, life);
            if (round > 0) {
                ck_assert_uint_le(life2, last[i]);
            }
            last[i] = life2;
        }
        /* A message each way, then the same answers. */
        ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT,
                                   &msg, NULL, &tok),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &tok, &out, NULL, NULL),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(out.length, msg.length);
        ck_assert_mem_eq(out.value, msg.value, msg.length);
        gss_release_buffer(&minor, &tok);
        gss_release_buffer(&minor, &out);
    }
    gsstest_exchange_free(&x);
    ck_assert_int_eq(open_iconv_descriptors(), base);
    gss_release_cred(&minor, &icred);
}
END_TEST

/*
 * Replayed, reordered and altered wrap tokens.  A replay of one of the
 * last tokens is GSS_S_DUPLICATE_TOKEN (CREDSSP_ERR_WRAP_REPLAY) with no
 * output, and the session goes on (the next token unwraps).  A token
 * unwrapped before the one sent ahead of it, or altered, is a TLS record
 * error (GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD), after which the session
 * refuses everything with that code.  _i: 0 Kerberos, 1 NTLM inner.
 */
START_TEST(test_gss_wrap_replay_reorder)
{
    char one[] = "first", two[] = "second", three[] = "third";
    gss_buffer_desc m1 = { 5, one }, m2 = { 6, two }, m3 = { 5, three };
    gss_buffer_desc t1, t2, t3, out;
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    OM_uint32 major, minor;

    icred = password_cred(_i == 0 ? "alice@" TEST_REALM
                                  : TEST_NTLM_DOMAIN "\\alice",
                          "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    assert_complete(&x);
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, 0, &m1, NULL, &t1),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, 0, &m2, NULL, &t2),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, 0, &m3, NULL, &t3),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &t1, &out, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(out.length, 5);
    gss_release_buffer(&minor, &out);

    /* Replay of t1: refused, nothing out, the session intact. */
    major = gss_unwrap(&minor, x.actx, &t1, &out, NULL, NULL);
    ck_assert_uint_eq(major, GSS_S_DUPLICATE_TOKEN);
    ck_assert_uint_eq(minor, CREDSSP_ERR_WRAP_REPLAY);
    ck_assert_uint_eq(out.length, 0);
    gss_release_buffer(&minor, &out);
    ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &t2, &out, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(out.length, 6);
    ck_assert_mem_eq(out.value, two, 6);
    gss_release_buffer(&minor, &out);
    major = gss_unwrap(&minor, x.actx, &t2, &out, NULL, NULL);
    ck_assert_uint_eq(major, GSS_S_DUPLICATE_TOKEN);
    ck_assert_uint_eq(minor, CREDSSP_ERR_WRAP_REPLAY);
    gss_release_buffer(&minor, &out);

    /* Reorder, the other way: t3 wrapped after t2 unwrapped first. */
    gss_release_buffer(&minor, &t1);
    gss_release_buffer(&minor, &t2);
    ck_assert_uint_eq(gss_wrap(&minor, x.actx, 1, 0, &m1, NULL, &t1),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_wrap(&minor, x.actx, 1, 0, &m2, NULL, &t2),
                      GSS_S_COMPLETE);
    major = gss_unwrap(&minor, x.ictx, &t2, &out, NULL, NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_TLS_RECORD);
    ck_assert_uint_eq(out.length, 0);
    major = gss_unwrap(&minor, x.ictx, &t1, &out, NULL, NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_TLS_RECORD);

    /* Altered: one bit of t3's ciphertext. */
    ((uint8_t *)t3.value)[7] ^= 0x01;
    major = gss_unwrap(&minor, x.actx, &t3, &out, NULL, NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_TLS_RECORD);
    ck_assert_uint_eq(out.length, 0);

    gss_release_buffer(&minor, &t1);
    gss_release_buffer(&minor, &t2);
    gss_release_buffer(&minor, &t3);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* An RDP client sends its first RDP data right behind authInfo, often in
 * the same token: the acceptor completes, and its first gss_unwrap hands
 * that data over ahead of the next token's. */
START_TEST(test_gss_data_behind_last_token)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    char early_text[] = "early", late_text[] = "late";
    gss_buffer_desc early = { 5, early_text }, late = { 4, late_text };
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_name_t target = GSS_C_NO_NAME;
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    uint8_t *joined;
    size_t total;
    int legs;

    ck_assert_uint_eq(gsstest_import_name(&minor, "host@localhost",
                                          GSS_C_NT_HOSTBASED_SERVICE,
                                          &target),
                      GSS_S_COMPLETE);
    icred = password_cred(TEST_NTLM_DOMAIN "\\alice", "alice", &major,
                          &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    memset(&x, 0, sizeof(x));
    for (legs = 0; legs < GSSTEST_MAX_LEGS; legs++) {
        major = gss_init_sec_context(&x.init_minor, icred, &x.ictx, target,
                                     GSS_CREDSSP_MECH_OID, GSS_C_MUTUAL_FLAG,
                                     0, GSS_C_NO_CHANNEL_BINDINGS, &atok,
                                     NULL, &itok, NULL, NULL);
        gss_release_buffer(&minor, &atok);
        ck_assert_msg(!GSS_ERROR(major), "init %08x/%08x", major,
                      x.init_minor);
        if (major == GSS_S_COMPLETE) {
            break;
        }
        x.accept_major = gss_accept_sec_context(
            &x.accept_minor, &x.actx, GSS_C_NO_CREDENTIAL, &itok,
            GSS_C_NO_CHANNEL_BINDINGS, &x.src, NULL, &atok, NULL, NULL,
            &x.deleg);
        gss_release_buffer(&minor, &itok);
        ck_assert_uint_eq(x.accept_major, GSS_S_CONTINUE_NEEDED);
    }
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    /* The last token (authInfo) and a wrap token, in one. */
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, &early,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    total = itok.length + tok.length;
    joined = malloc(total);
    ck_assert_ptr_nonnull(joined);
    memcpy(joined, itok.value, itok.length);
    memcpy(joined + itok.length, tok.value, tok.length);
    gss_release_buffer(&minor, &tok);
    gss_release_buffer(&minor, &itok);
    tok.value = joined;
    tok.length = total;
    x.accept_major = gss_accept_sec_context(
        &x.accept_minor, &x.actx, GSS_C_NO_CREDENTIAL, &tok,
        GSS_C_NO_CHANNEL_BINDINGS, &x.src, NULL, &atok, NULL, NULL,
        &x.deleg);
    free(joined);
    ck_assert_msg(x.accept_major == GSS_S_COMPLETE, "accept %08x/%08x",
                  x.accept_major, x.accept_minor);
    ck_assert_uint_eq(atok.length, 0);
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, &late,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    major = gss_unwrap(&minor, x.actx, &tok, &out, NULL, NULL);
    ck_assert_msg(major == GSS_S_COMPLETE, "unwrap %08x/%08x", major, minor);
    ck_assert_uint_eq(out.length, 9);
    ck_assert_mem_eq(out.value, "earlylate", 9);
    gss_release_buffer(&minor, &out);
    gss_release_buffer(&minor, &tok);
    /* Handed over once. */
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, &late,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &tok, &out, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(out.length, 4);
    ck_assert_mem_eq(out.value, "late", 4);
    gss_release_buffer(&minor, &out);
    gss_release_buffer(&minor, &tok);
    gss_release_name(&minor, &target);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

struct inner_case {
    const char *user;
    const char *inner; /* the "inner" cred-store key */
    const char *mech;  /* what the acceptor's trace must name */
    int legs_in, legs_out;
};

static const struct inner_case inner_cases[] = {
    { "alice@" TEST_REALM, "auto", "krb5", 4, 3 },
    { "alice@" TEST_REALM, "spnego", "krb5", 4, 3 },
    { "alice@" TEST_REALM, "krb5", "krb5", 4, 3 },
    { TEST_NTLM_DOMAIN "\\alice", "auto", "NTLMSSP", 4, 3 },
    /* NTLM inside SPNEGO: the last SPNEGO token (mechListMIC) of each
     * side travels with its pubKeyAuth. */
    { TEST_NTLM_DOMAIN "\\alice", "spnego", "NTLMSSP", 4, 3 },
    { TEST_NTLM_DOMAIN "\\alice", "ntlmssp", "NTLMSSP", 4, 3 },
};

/* Every inner mode through the cred store, with delegation. */
START_TEST(test_gss_inner_modes)
{
    const struct inner_case *c = &inner_cases[_i];
    gss_cred_id_t icred;
    char *password = test_realm_password("alice");
    const char *store[] = { "username", c->user, "password", password,
                            "inner", c->inner, NULL };
    struct gsstest_exchange x;
    OM_uint32 major, minor;

    major = gsstest_store_cred(&minor, store, &icred);
    ck_assert_msg(major == GSS_S_COMPLETE, "acquire %08x/%08x", major,
                  minor);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    assert_complete(&x);
    ck_assert_ptr_ne(x.deleg, GSS_C_NO_CREDENTIAL);
    ck_assert_int_eq(x.legs_in, c->legs_in);
    ck_assert_int_eq(x.legs_out, c->legs_out);
    fprintf(stderr, "inner %s/%s: %d tokens, %zu bytes -> ; %d tokens, "
                    "%zu bytes <-\n",
            c->user, c->inner, x.legs_in, x.bytes_in, x.legs_out,
            x.bytes_out);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
    free(password);
}
END_TEST

struct policy_case {
    const char *user;   /* krb5 principal or NTLM name */
    const char *config; /* the initiator's [delegation] section */
    OM_uint32 init_major;
    OM_uint32 init_minor;
    int delegated; /* the acceptor received a password */
    const char *text; /* gss_display_status of a refusal */
};

static const struct policy_case policy_cases[] = {
    /* OS defaults: fresh credentials to TERMSRV/\x2a go. */
    { "alice@" TEST_REALM, "", GSS_S_COMPLETE, 0, 1, NULL },
    { TEST_NTLM_DOMAIN "\\alice", "", GSS_S_COMPLETE, 0, 1, NULL },
    /* Deny beats the default Allow. */
    { "alice@" TEST_REALM,
      "[delegation]\n DenyFreshCredentials = TERMSRV/localhost\n",
      GSS_S_FAILURE, CREDSSP_ERR_DELEGATION_POLICY, 0,
      "Credential delegation refused by policy (SEC_E_DELEGATION_POLICY): "
      "delegation of fresh credentials to TERMSRV/localhost denied: "
      "DenyFreshCredentials entry TERMSRV/localhost" },
    /* An Allow list that does not name the target. */
    { "alice@" TEST_REALM,
      "[delegation]\n AllowFreshCredentials = TERMSRV/other.example\n"
      " ConcatenateDefaults_AllowFresh = 0\n",
      GSS_S_FAILURE, CREDSSP_ERR_DELEGATION_POLICY, 0,
      "Credential delegation refused by policy (SEC_E_DELEGATION_POLICY): "
      "delegation of fresh credentials to TERMSRV/localhost denied: "
      "no AllowFreshCredentials entry matches" },
    /* Kerberos-only permission; the server is NTLM-authenticated. */
    { TEST_NTLM_DOMAIN "\\alice",
      "[delegation]\n AllowFreshCredentials = TERMSRV/\x2a\n"
      " AllowFreshCredentialsWhenNTLMOnly = \"\"\n",
      GSS_S_FAILURE, CREDSSP_ERR_POLICY_NTLM_ONLY, 0,
      "Credential delegation refused: server authenticated by NTLM only "
      "(SEC_E_POLICY_NLTM_ONLY): delegation of fresh credentials to "
      "TERMSRV/localhost denied: AllowFreshCredentialsWhenNTLMOnly is "
      "disabled (the server was authenticated by NTLM only)" },
    /* Restricted Admin: the exchange completes, nothing is delegated. */
    { "alice@" TEST_REALM,
      "[delegation]\n RestrictedRemoteAdministration = 1\n",
      GSS_S_COMPLETE, 0, 0, NULL },
};

/* Delegation policy decides before any credential is encrypted: on a
 * refusal the acceptor never sees an authInfo (it is still waiting). */
START_TEST(test_gss_delegation_policy)
{
    const struct policy_case *c = &policy_cases[_i];
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    char *text;

    test_realm_write_config("initiator.conf", c->config);
    icred = password_cred(c->user, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    test_realm_reset_config();
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    ck_assert_msg(x.init_major == c->init_major, "init %08x/%08x",
                  x.init_major, x.init_minor);
    ck_assert_uint_eq(x.init_minor, c->init_minor);
    if (c->init_major == GSS_S_COMPLETE) {
        ck_assert_uint_eq(x.accept_major, GSS_S_COMPLETE);
        ck_assert_int_eq(x.deleg != GSS_C_NO_CREDENTIAL, c->delegated);
        ck_assert_uint_eq((x.accept_flags & GSS_C_DELEG_FLAG) != 0,
                          (OM_uint32)c->delegated);
    } else {
        /* The acceptor answered pubKeyAuth and waits for authInfo. */
        ck_assert_uint_eq(x.accept_major, GSS_S_CONTINUE_NEEDED);
        ck_assert_ptr_eq(x.deleg, GSS_C_NO_CREDENTIAL);
        /* The status text names the rule and the SPN. */
        text = gsstest_status_text(x.init_minor);
        ck_assert_str_eq(text, c->text);
        free(text);
    }
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* strict_mutual_auth: an NTLM-only server is refused, Kerberos passes. */
START_TEST(test_gss_strict_mutual_auth)
{
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    OM_uint32 major, minor;

    test_realm_write_config("strict.conf",
                            "[credssp]\n strict_mutual_auth = true\n");
    icred = password_cred(_i == 0 ? TEST_NTLM_DOMAIN "\\alice"
                                  : "alice@" TEST_REALM,
                          "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    test_realm_reset_config();
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    if (_i == 0) {
        ck_assert_uint_eq(x.init_major, GSS_S_FAILURE);
        ck_assert_uint_eq(x.init_minor, CREDSSP_ERR_MUTUAL_AUTH_FAILED);
        ck_assert_uint_eq(x.accept_major, GSS_S_CONTINUE_NEEDED);
    } else {
        ck_assert_uint_eq(x.init_major, GSS_S_COMPLETE);
        ck_assert_uint_eq(x.init_flags & GSS_C_MUTUAL_FLAG,
                          GSS_C_MUTUAL_FLAG);
    }
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

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

/* A channel-binding inquiry the channel cannot answer: GSS_S_UNAVAILABLE
 * with CREDSSP_ERR_TLS_CB_UNAVAILABLE and its text, no buffer set. */
static void
assert_cb_unavailable(gss_ctx_id_t ctx, unsigned char which)
{
    char der[] = GSS_CREDSSP_INQ_CONTEXT_OID("?");
    gss_OID_desc oid = { GSS_CREDSSP_INQ_CONTEXT_LENGTH, der };
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    OM_uint32 major, minor;
    char *text;

    der[GSS_CREDSSP_INQ_CONTEXT_LENGTH - 1] = (char)which;
    major = gss_inquire_sec_context_by_oid(&minor, ctx, &oid, &set);
    ck_assert_uint_eq(major, GSS_S_UNAVAILABLE);
    ck_assert_uint_eq(minor, CREDSSP_ERR_TLS_CB_UNAVAILABLE);
    ck_assert_ptr_eq(set, GSS_C_NO_BUFFER_SET);
    text = gsstest_status_text(minor);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(strstr(text, "Channel binding type") != NULL, "%s", text);
    free(text);
}

/* The inquiries of gssapi_credssp.h on both ends, the PRF and the SASL
 * name, through the mechglue. */
START_TEST(test_gss_inquiries)
{
    static const uint8_t krb5_der[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                        0x12, 0x01, 0x02, 0x02 };
    gss_cred_id_t icred;
    gss_buffer_desc in = { 5, (void *)(uintptr_t)"seed!" };
    gss_buffer_desc p1 = GSS_C_EMPTY_BUFFER, p2 = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc sasl = GSS_C_EMPTY_BUFFER, name = GSS_C_EMPTY_BUFFER;
    gss_OID mech = GSS_C_NO_OID;
    struct gsstest_exchange x;
    uint8_t a[4096], b[4096];
    OM_uint32 major, minor;
    size_t la, lb;
    gss_ctx_id_t sides[2];
    int i;

    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    ck_assert_uint_eq(x.init_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(x.accept_major, GSS_S_COMPLETE);
    sides[0] = x.ictx;
    sides[1] = x.actx;
    for (i = 0; i < 2; i++) {
        ck_assert_uint_eq(inquire(sides[i], 1, a, sizeof(a)), 1);
        ck_assert_uint_eq(a[0], 6);
        ck_assert_uint_eq(inquire(sides[i], 2, a, sizeof(a)),
                          sizeof(krb5_der));
        ck_assert_mem_eq(a, krb5_der, sizeof(krb5_der));
        la = inquire(sides[i], 3, a, sizeof(a));
        ck_assert_uint_eq(la, 6);
        ck_assert_mem_eq(a, "TLS1.3", 6);
        ck_assert_uint_gt(inquire(sides[i], 4, a, sizeof(a)), 10);
        ck_assert_uint_eq(inquire(sides[i], 7, a, sizeof(a)), 0);
        ck_assert_uint_eq(inquire(sides[i], 8, a, sizeof(a)), 1);
        ck_assert_uint_eq(a[0], 1);
        /* tls-unique does not exist in TLS 1.3. */
        assert_cb_unavailable(sides[i], 10);
    }
    /* Both ends agree on the certificate, key and bindings. */
    for (i = 5; i <= 11; i++) {
        if (i == 7 || i == 8 || i == 10) {
            continue;
        }
        la = inquire(x.ictx, (unsigned char)i, a, sizeof(a));
        lb = inquire(x.actx, (unsigned char)i, b, sizeof(b));
        ck_assert_uint_gt(la, 0);
        ck_assert_uint_eq(la, lb);
        ck_assert_mem_eq(a, b, la);
    }
    la = inquire(x.ictx, 9, a, sizeof(a));
    ck_assert_uint_eq(la, 21 + 32);
    ck_assert_mem_eq(a, "tls-server-end-point:", 21);
    ck_assert_uint_eq(inquire(x.ictx, 11, a, sizeof(a)), 13 + 32);
    ck_assert_mem_eq(a, "tls-exporter:", 13);

    /* RFC 4401: equal on both ends, different per key mode. */
    ck_assert_uint_eq(gss_pseudo_random(&minor, x.ictx, GSS_C_PRF_KEY_FULL,
                                        &in, 64, &p1),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_pseudo_random(&minor, x.actx, GSS_C_PRF_KEY_FULL,
                                        &in, 64, &p2),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(p1.length, 64);
    ck_assert_mem_eq(p1.value, p2.value, 64);
    gss_release_buffer(&minor, &p2);
    ck_assert_uint_eq(gss_pseudo_random(&minor, x.actx,
                                        GSS_C_PRF_KEY_PARTIAL, &in, 64, &p2),
                      GSS_S_COMPLETE);
    ck_assert_int_ne(memcmp(p1.value, p2.value, 64), 0);
    gss_release_buffer(&minor, &p1);
    gss_release_buffer(&minor, &p2);

    ck_assert_uint_eq(gss_inquire_saslname_for_mech(&minor,
                                                    GSS_CREDSSP_MECH_OID,
                                                    &sasl, &name, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(sasl.length, strlen(GSS_CREDSSP_SASL_NAME));
    ck_assert_mem_eq(sasl.value, "GS2-DXL4YFR5QEW", sasl.length);
    ck_assert_mem_eq(name.value, "credssp", name.length);
    ck_assert_uint_eq(gss_inquire_mech_for_saslname(&minor, &sasl, &mech),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(gss_oid_equal(mech, GSS_CREDSSP_MECH_OID), 1);
    gss_release_buffer(&minor, &sasl);
    gss_release_buffer(&minor, &name);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* gss_store_cred_into of cred into the cache ccname, overwriting. */
static OM_uint32
store_into(gss_cred_id_t cred, const char *ccname, OM_uint32 overwrite,
           OM_uint32 *minor, gss_OID_set *stored)
{
    gss_key_value_element_desc el = { "ccache", ccname };
    gss_key_value_set_desc store = { 1, &el };
    gss_cred_usage_t usage = GSS_C_BOTH;
    OM_uint32 major;

    major = gss_store_cred_into(minor, cred, GSS_C_INITIATE,
                                GSS_CREDSSP_MECH_OID, overwrite, 0, &store,
                                stored, &usage);
    if (major == GSS_S_COMPLETE) {
        ck_assert_int_eq(usage, GSS_C_INITIATE);
    }
    return major;
}

/* The cache ccname holds a TGT krbtgt/REALM for alice; its ticket flags
 * have TKT_FLG_FORWARDED set exactly when forwarded is 1. */
static void
assert_cache_tgt(const char *ccname, int forwarded)
{
    krb5_context kctx;
    krb5_ccache cc;
    krb5_principal princ, server;
    krb5_creds mcreds, creds;
    char *name;

    ck_assert_int_eq(krb5_init_context(&kctx), 0);
    ck_assert_int_eq(krb5_cc_resolve(kctx, ccname, &cc), 0);
    ck_assert_int_eq(krb5_cc_get_principal(kctx, cc, &princ), 0);
    ck_assert_int_eq(krb5_unparse_name(kctx, princ, &name), 0);
    ck_assert_str_eq(name, "alice@" TEST_REALM);
    krb5_free_unparsed_name(kctx, name);
    ck_assert_int_eq(krb5_build_principal(kctx, &server, strlen(TEST_REALM),
                                          TEST_REALM, "krbtgt", TEST_REALM,
                                          (char *)NULL),
                     0);
    memset(&mcreds, 0, sizeof(mcreds));
    mcreds.client = princ;
    mcreds.server = server;
    ck_assert_int_eq(krb5_cc_retrieve_cred(kctx, cc, 0, &mcreds, &creds), 0);
    ck_assert_int_eq((creds.ticket_flags & TKT_FLG_FORWARDED) != 0,
                     forwarded);
    krb5_free_cred_contents(kctx, &creds);
    krb5_free_principal(kctx, server);
    krb5_free_principal(kctx, princ);
    krb5_cc_close(kctx, cc);
    krb5_free_context(kctx);
}

/* A plain krb5 context to host@localhost from the cache ccname alone (no
 * kinit, no password): the acceptor sees alice. */
static void
krb5_hop_from(const char *ccname)
{
    gss_key_value_element_desc el = { "ccache", ccname };
    gss_key_value_set_desc store = { 1, &el };
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    gss_cred_id_t hop = GSS_C_NO_CREDENTIAL;
    gss_name_t target = GSS_C_NO_NAME;
    struct gsstest_exchange y;
    OM_uint32 major, minor;
    char *who;

    ck_assert_int_eq(gss_create_empty_oid_set(&minor, &mechs),
                     GSS_S_COMPLETE);
    ck_assert_int_eq(gss_add_oid_set_member(&minor, gss_mech_krb5, &mechs),
                     GSS_S_COMPLETE);
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                  mechs, GSS_C_INITIATE, &store, &hop, NULL,
                                  NULL);
    ck_assert_msg(major == GSS_S_COMPLETE, "acquire %08x/%08x", major,
                  minor);
    ck_assert_uint_eq(gsstest_import_name(&minor, "host@localhost",
                                          GSS_C_NT_HOSTBASED_SERVICE,
                                          &target),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(gsstest_exchange(&y, hop, GSS_C_NO_CREDENTIAL, target,
                                      gss_mech_krb5, GSS_C_MUTUAL_FLAG),
                     0);
    ck_assert_uint_eq(y.init_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(y.accept_major, GSS_S_COMPLETE);
    who = gsstest_display_name(y.src);
    ck_assert_str_eq(who, "alice@" TEST_REALM);
    free(who);
    gsstest_exchange_free(&y);
    gss_release_name(&minor, &target);
    gss_release_oid_set(&minor, &mechs);
    gss_release_cred(&minor, &hop);
}

/*
 * The delegated password as a TGT: gss_store_cred_into writes
 * krbtgt/REALM for alice into the named cache, which then serves a plain
 * krb5 context to host@localhost (a second hop); storing again without
 * overwrite is refused.  Kerberos (_i 0) and NTLM (_i 1) inner.
 */
START_TEST(test_gss_store_delegated)
{
    gss_cred_id_t icred;
    gss_OID_set stored = GSS_C_NO_OID_SET;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    char ccname[512];
    int present = 0;

    snprintf(ccname, sizeof(ccname), "FILE:%s/stored-%d", test_realm_dir(),
             _i);
    icred = password_cred(_i == 0 ? "alice@" TEST_REALM
                                  : TEST_NTLM_DOMAIN "\\alice",
                          "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    assert_complete(&x);
    ck_assert_ptr_ne(x.deleg, GSS_C_NO_CREDENTIAL);

    major = store_into(x.deleg, ccname, 1, &minor, &stored);
    ck_assert_msg(major == GSS_S_COMPLETE, "store %08x/%08x", major, minor);
    ck_assert_int_eq(gss_test_oid_set_member(&minor, gss_mech_krb5, stored,
                                             &present),
                     GSS_S_COMPLETE);
    ck_assert_int_eq(present, 1);
    gss_release_oid_set(&minor, &stored);

    /* The cache holds alice's TGT, from an AS exchange (not forwarded). */
    assert_cache_tgt(ccname, 0);

    /* Without overwrite the full cache is left alone. */
    ck_assert_uint_eq(store_into(x.deleg, ccname, 0, &minor, NULL),
                      GSS_S_DUPLICATE_ELEMENT);
    ck_assert_uint_eq(minor, CREDSSP_ERR_STORE_EXISTS);

    /* The second hop: krb5 from that cache to host@localhost. */
    krb5_hop_from(ccname);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/*
 * Delegation of default credentials: the client's forwardable TGT (in the
 * cache its "ccache" cred-store key names; no password anywhere) is
 * forwarded in the inner Kerberos
 * context under AllowDefaultCredentials.  Both ends report the Kerberos
 * delegation; gss_store_cred_into stores that very ticket (its forwarded
 * flag set) in the named cache, which then serves a plain krb5 context.
 * The delegated credential also initiates a second CredSSP hop as alice
 * (HTTP@localhost), which forwards the TGT again.
 */
START_TEST(test_gss_store_forwarded)
{
    gss_cred_id_t pwcred, icred = GSS_C_NO_CREDENTIAL;
    struct gsstest_exchange x, y;
    OM_uint32 major, minor;
    char src[512], dst[512], *who;
    const char *store[] = { "ccache", src, NULL };
    uint8_t a[16];

    snprintf(src, sizeof(src), "FILE:%s/forward-src", test_realm_dir());
    snprintf(dst, sizeof(dst), "FILE:%s/forward-dst", test_realm_dir());
    /* alice's TGT (forwardable by the realm's krb5.conf) in src. */
    pwcred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_uint_eq(store_into(pwcred, src, 1, &minor, NULL),
                      GSS_S_COMPLETE);
    gss_release_cred(&minor, &pwcred);

    test_realm_write_config("forward.conf",
                            "[delegation]\n"
                            " AllowDefaultCredentials = TERMSRV/localhost\n"
                            " AllowDefaultCredentials = HTTP/localhost\n");
    ck_assert_uint_eq(gsstest_store_cred(&minor, store, &icred),
                      GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    assert_complete(&x);
    who = gsstest_display_name(x.src);
    ck_assert_str_eq(who, "alice@" TEST_REALM);
    free(who);
    ck_assert_uint_ne(x.init_flags & GSS_C_DELEG_FLAG, 0);
    ck_assert_uint_ne(x.accept_flags & GSS_C_DELEG_FLAG, 0);
    ck_assert_uint_eq(inquire(x.ictx, 8, a, sizeof(a)), 1);
    ck_assert_uint_eq(a[0], GSS_CREDSSP_DELEGATED_KERBEROS);
    ck_assert_uint_eq(inquire(x.actx, 8, a, sizeof(a)), 1);
    ck_assert_uint_eq(a[0], GSS_CREDSSP_DELEGATED_KERBEROS);
    ck_assert_ptr_ne(x.deleg, GSS_C_NO_CREDENTIAL);

    ck_assert_uint_eq(store_into(x.deleg, dst, 1, &minor, NULL),
                      GSS_S_COMPLETE);
    assert_cache_tgt(dst, 1);
    ck_assert_uint_eq(store_into(x.deleg, dst, 0, &minor, NULL),
                      GSS_S_DUPLICATE_ELEMENT);
    ck_assert_uint_eq(minor, CREDSSP_ERR_STORE_EXISTS);
    krb5_hop_from(dst);

    /* Second CredSSP hop from the forwarded TGT alone. */
    run_exchange(x.deleg, GSS_C_NO_CREDENTIAL, "HTTP@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &y);
    assert_complete(&y);
    who = gsstest_display_name(y.src);
    ck_assert_str_eq(who, "alice@" TEST_REALM);
    free(who);
    ck_assert_uint_eq(inquire(y.actx, 8, a, sizeof(a)), 1);
    ck_assert_uint_eq(a[0], GSS_CREDSSP_DELEGATED_KERBEROS);
    ck_assert_uint_eq(store_into(y.deleg, dst, 1, &minor, NULL),
                      GSS_S_COMPLETE);
    assert_cache_tgt(dst, 1);
    gsstest_exchange_free(&y);
    /* The policy still rules the forwarded TGT: not to WSMAN. */
    run_exchange(x.deleg, GSS_C_NO_CREDENTIAL, "WSMAN@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &y);
    ck_assert_uint_eq(y.init_major, GSS_S_FAILURE);
    ck_assert_uint_eq(y.init_minor, CREDSSP_ERR_DELEGATION_POLICY);
    gsstest_exchange_free(&y);

    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
    test_realm_reset_config();
}
END_TEST

/*
 * Double hop: the acceptor's delegated credential initiates a CredSSP
 * context of its own to a third service, which sees the original user
 * and receives the password in turn (the policy of the middle service
 * allows TERMSRV and HTTP).  Kerberos (_i 0) and NTLM (_i 1) first hops.
 */
START_TEST(test_gss_double_hop)
{
    gss_cred_id_t icred;
    struct gsstest_exchange x, y;
    OM_uint32 major, minor;
    char *who;

    test_realm_write_config("double-hop.conf",
                            "[delegation]\n"
                            " AllowFreshCredentials = TERMSRV/localhost\n"
                            " AllowFreshCredentials = HTTP/localhost\n"
                            " AllowFreshCredentialsWhenNTLMOnly = "
                            "TERMSRV/localhost\n"
                            " AllowFreshCredentialsWhenNTLMOnly = "
                            "HTTP/localhost\n");
    icred = password_cred(_i == 0 ? "alice@" TEST_REALM
                                  : TEST_NTLM_DOMAIN "\\alice",
                          "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    assert_complete(&x);
    ck_assert_ptr_ne(x.deleg, GSS_C_NO_CREDENTIAL);
    run_exchange(x.deleg, GSS_C_NO_CREDENTIAL, "HTTP@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &y);
    assert_complete(&y);
    who = gsstest_display_name(y.src);
    ck_assert_str_eq(who, _i == 0 ? "alice@" TEST_REALM
                                  : TEST_NTLM_DOMAIN "\\alice");
    free(who);
    ck_assert_ptr_ne(y.deleg, GSS_C_NO_CREDENTIAL);
    gsstest_exchange_free(&y);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
    test_realm_reset_config();
}
END_TEST

/*
 * Names through the mechglue: an authenticated client's name exports as
 * an RFC 2743 token with our mechanism OID, imports back equal to it,
 * and maps to a local user through the inner name (krb5 auth_to_local:
 * alice@CREDSSP.TEST is "alice").
 */
START_TEST(test_gss_export_name)
{
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    gss_buffer_desc exported = GSS_C_EMPTY_BUFFER, local = GSS_C_EMPTY_BUFFER;
    gss_name_t back = GSS_C_NO_NAME;
    OM_uint32 major, minor;
    int equal = 0;
    const unsigned char *p;

    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    assert_complete(&x);
    major = gss_export_name(&minor, x.src, &exported);
    ck_assert_msg(major == GSS_S_COMPLETE, "export %08x/%08x", major, minor);
    /* 04 01, OID length, 06 len OID, name length, name. */
    p = exported.value;
    ck_assert_uint_ge(exported.length, 4 + 2 + GSS_CREDSSP_MECH_OID_LENGTH + 4);
    ck_assert_mem_eq(p, "\x04\x01", 2);
    ck_assert_uint_eq(p[4], 0x06);
    ck_assert_uint_eq(p[5], GSS_CREDSSP_MECH_OID_LENGTH);
    ck_assert_mem_eq(p + 6, GSS_CREDSSP_MECH_OID_BYTES,
                     GSS_CREDSSP_MECH_OID_LENGTH);
    ck_assert_uint_eq(gss_import_name(&minor, &exported, GSS_C_NT_EXPORT_NAME,
                                      &back),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_compare_name(&minor, back, x.src, &equal),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(equal, 1);
    major = gss_localname(&minor, x.src, GSS_CREDSSP_MECH_OID, &local);
    ck_assert_msg(major == GSS_S_COMPLETE, "localname %08x/%08x", major,
                  minor);
    ck_assert_uint_eq(local.length, 5);
    ck_assert_mem_eq(local.value, "alice", 5);
    gss_release_buffer(&minor, &local);
    gss_release_name(&minor, &back);
    gss_release_buffer(&minor, &exported);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* iov[0..2] as HEADER, DATA and TRAILER over a wrap token, in place. */
static void
split_token(gss_iov_buffer_desc *iov, gss_buffer_t tok, size_t header,
            size_t len, size_t trailer)
{
    uint8_t *p = tok->value;

    ck_assert_uint_eq(tok->length, header + len + trailer);
    memset(iov, 0, 3 * sizeof(*iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
    iov[0].buffer.value = p;
    iov[0].buffer.length = header;
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    iov[1].buffer.value = p + header;
    iov[1].buffer.length = len;
    iov[2].type = GSS_IOV_BUFFER_TYPE_TRAILER;
    iov[2].buffer.value = p + header + len;
    iov[2].buffer.length = trailer;
}

/*
 * gss_wrap_iov / gss_unwrap_iov / gss_wrap_iov_length, the SSPI stream
 * shape: HEADER | DATA | TRAILER is one TLS record, so gss_unwrap takes
 * it; a gss_wrap token splits into the three for gss_unwrap_iov, or goes
 * whole as STREAM.  _i / 5: TLS 1.3 (header 5, trailer 17) or TLS 1.2
 * (AES-GCM: header 13, trailer 16); _i % 5 picks the data size.
 */
START_TEST(test_gss_wrap_iov)
{
    static const size_t sizes[] = { 1, 100, 1000, 16383, 16384 };
    size_t len = sizes[_i % 5], want_h = _i < 5 ? 5 : 13,
           want_t = _i < 5 ? 17 : 16;
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    gss_iov_buffer_desc iov[4];
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc in;
    OM_uint32 major, minor;
    uint8_t *data, *copy, *joined;
    int conf = 0;
    size_t i;

    if (_i >= 5) {
        test_realm_write_config("iov12.conf",
                                "[tls]\n priority = NORMAL:-VERS-ALL:"
                                "+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM\n");
    }
    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    assert_complete(&x);
    data = malloc(len);
    copy = malloc(len);
    ck_assert_ptr_nonnull(data);
    ck_assert_ptr_nonnull(copy);
    for (i = 0; i < len; i++) {
        data[i] = (uint8_t)(i * 7 + 3);
    }

    /* Lengths first, then wrap_iov into buffers it allocates. */
    memset(iov, 0, sizeof(iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    iov[1].buffer.length = len;
    iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
    iov[3].type = GSS_IOV_BUFFER_TYPE_TRAILER;
    ck_assert_uint_eq(gss_wrap_iov_length(&minor, x.ictx, 1,
                                          GSS_C_QOP_DEFAULT, &conf, iov, 4),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(iov[0].buffer.length, want_h);
    ck_assert_uint_eq(iov[2].buffer.length, 0);
    ck_assert_uint_eq(iov[3].buffer.length, want_t);
    memcpy(copy, data, len);
    iov[0].type |= GSS_IOV_BUFFER_FLAG_ALLOCATE;
    iov[1].buffer.value = copy;
    iov[3].type |= GSS_IOV_BUFFER_FLAG_ALLOCATE;
    conf = 0;
    major = gss_wrap_iov(&minor, x.ictx, 0, GSS_C_QOP_DEFAULT, &conf, iov, 4);
    ck_assert_msg(major == GSS_S_COMPLETE, "wrap_iov %08x/%08x", major,
                  minor);
    ck_assert_int_eq(conf, 1);
    ck_assert_uint_eq(iov[0].buffer.length, want_h);
    ck_assert_uint_eq(iov[3].buffer.length, want_t);
    ck_assert_uint_eq(((uint8_t *)iov[0].buffer.value)[0], 23);
    /* The concatenation is one record: gss_unwrap returns the data. */
    joined = malloc(want_h + len + want_t);
    ck_assert_ptr_nonnull(joined);
    memcpy(joined, iov[0].buffer.value, want_h);
    memcpy(joined + want_h, copy, len);
    memcpy(joined + want_h + len, iov[3].buffer.value, want_t);
    in.value = joined;
    in.length = want_h + len + want_t;
    ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &in, &out, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(out.length, len);
    ck_assert_mem_eq(out.value, data, len);
    gss_release_buffer(&minor, &out);
    gss_release_iov_buffer(&minor, iov, 4);

    /* A gss_wrap token, split, through gss_unwrap_iov in place. */
    in.value = data;
    in.length = len;
    ck_assert_uint_eq(gss_wrap(&minor, x.actx, 1, GSS_C_QOP_DEFAULT, &in,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(tok.length, want_h + len + want_t);
    split_token(iov, &tok, want_h, len, want_t);
    ck_assert_uint_eq(gss_unwrap_iov(&minor, x.ictx, &conf, NULL, iov, 3),
                      GSS_S_COMPLETE);
    ck_assert_mem_eq(iov[1].buffer.value, data, len);
    gss_release_buffer(&minor, &tok);

    /* STREAM: the whole token, DATA pointing into it. */
    ck_assert_uint_eq(gss_wrap(&minor, x.actx, 1, GSS_C_QOP_DEFAULT, &in,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    memset(iov, 0, sizeof(iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
    iov[0].buffer = tok;
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    ck_assert_uint_eq(gss_unwrap_iov(&minor, x.ictx, &conf, NULL, iov, 2),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(iov[1].buffer.length, len);
    ck_assert_mem_eq(iov[1].buffer.value, data, len);
    gss_release_buffer(&minor, &tok);

    /* A flipped bit in the trailer (then in the data) is a bad record. */
    ck_assert_uint_eq(gss_wrap(&minor, x.actx, 1, GSS_C_QOP_DEFAULT, &in,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    ((uint8_t *)tok.value)[tok.length - 1] ^= 0x01;
    split_token(iov, &tok, want_h, len, want_t);
    ck_assert_uint_eq(gss_unwrap_iov(&minor, x.ictx, &conf, NULL, iov, 3),
                      GSS_S_BAD_SIG);
    ck_assert_uint_eq(minor, CREDSSP_ERR_TLS_RECORD);
    gss_release_buffer(&minor, &tok);

    free(joined);
    free(copy);
    free(data);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
    test_realm_reset_config();
}
END_TEST

/* What wrap_iov refuses, before any record is made: more data than one
 * record holds, a caller's header too small, no trailer; and the session
 * stays usable after each. */
START_TEST(test_gss_wrap_iov_refusals)
{
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    gss_iov_buffer_desc iov[3];
    gss_buffer_desc in = { 5, (void *)(uintptr_t)"hello" };
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    uint8_t big[16385], header[4], trailer[32];
    OM_uint32 minor;

    icred = password_cred("alice@" TEST_REALM, "alice", &minor, &minor);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    assert_complete(&x);
    memset(big, 0x5a, sizeof(big));
    memset(iov, 0, sizeof(iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    iov[1].buffer.value = big;
    iov[1].buffer.length = sizeof(big);
    iov[2].type = GSS_IOV_BUFFER_TYPE_TRAILER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
    ck_assert_uint_eq(gss_wrap_iov(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT,
                                   NULL, iov, 3),
                      GSS_S_FAILURE);
    ck_assert_uint_eq(minor, CREDSSP_ERR_TOO_LARGE);
    iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
    iov[0].buffer.value = header;
    iov[0].buffer.length = sizeof(header);
    iov[1].buffer.length = 10;
    iov[2].type = GSS_IOV_BUFFER_TYPE_TRAILER;
    iov[2].buffer.value = trailer;
    iov[2].buffer.length = sizeof(trailer);
    ck_assert_uint_eq(gss_wrap_iov(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT,
                                   NULL, iov, 3),
                      GSS_S_FAILURE);
    ck_assert_uint_eq(minor, CREDSSP_ERR_IOV_TOO_SMALL);
    ck_assert_uint_eq(gss_wrap_iov(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT,
                                   NULL, iov, 2),
                      GSS_S_FAILURE);
    ck_assert_uint_eq(minor, CREDSSP_ERR_IOV_LAYOUT);
    /* Nothing was sealed: the next message still goes through. */
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, &in,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_unwrap(&minor, x.actx, &tok, &out, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(out.length, 5);
    gss_release_buffer(&minor, &out);
    gss_release_buffer(&minor, &tok);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/*
 * What gss_store_cred_into refuses, each with its own minor code: a
 * credential without a password (default credentials), a password the
 * KDC refuses, a KDC that cannot be reached (a krb5.conf naming a closed
 * port), another mechanism.
 */
START_TEST(test_gss_store_errors)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, minor;
    char ccname[512], conf[512], *old, *text;
    FILE *f;

    snprintf(ccname, sizeof(ccname), "FILE:%s/store-errors",
             test_realm_dir());
    ck_assert_uint_eq(gss_acquire_cred(&minor, GSS_C_NO_NAME,
                                       GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                                       GSS_C_INITIATE, &cred, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(store_into(cred, ccname, 1, &minor, NULL),
                      GSS_S_UNAVAILABLE);
    ck_assert_uint_eq(minor, CREDSSP_ERR_STORE_NO_PASSWORD);
    gss_release_cred(&minor, &cred);

    /* NTLM accepts any password at acquisition; the KDC does not. */
    ck_assert_uint_eq(gsstest_password_cred(&minor, TEST_NTLM_DOMAIN "\\alice",
                                            "not-alices-password",
                                            GSS_C_NO_OID, &cred),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(store_into(cred, ccname, 1, &minor, NULL),
                      GSS_S_NO_CRED);
    ck_assert_uint_eq(minor, CREDSSP_ERR_PASSWORD_REFUSED);
    text = gsstest_status_text(minor);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(strncmp(text, "Kerberos refused the user name or "
                                "password: ", 42) == 0,
                  "%s", text);
    free(text);

    snprintf(conf, sizeof(conf), "%s/unreachable.conf", test_realm_dir());
    f = fopen(conf, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "[libdefaults]\n default_realm = %s\n"
               "[realms]\n %s = {\n  kdc = 127.0.0.1:1\n }\n",
            TEST_REALM, TEST_REALM);
    ck_assert_int_eq(fclose(f), 0);
    old = strdup(getenv("KRB5_CONFIG"));
    ck_assert_ptr_nonnull(old);
    setenv("KRB5_CONFIG", conf, 1);
    major = store_into(cred, ccname, 1, &minor, NULL);
    setenv("KRB5_CONFIG", old, 1);
    free(old);
    ck_assert_uint_eq(major, GSS_S_NO_CRED);
    ck_assert_uint_eq(minor, CREDSSP_ERR_KDC_UNREACHABLE);
    gss_release_cred(&minor, &cred);
}
END_TEST

/*
 * The channel-binding inquiries on a TLS 1.2 channel: tls-unique exists
 * there (12 bytes of Finished, RFC 5929 3), tls-exporter too (GnuTLS
 * negotiates the extended master secret, RFC 9266 2), and both ends
 * compute the same values; the 1.3 case is in test_gss_inquiries.
 */
START_TEST(test_gss_inquiries_tls12)
{
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    uint8_t a[256], b[256];
    OM_uint32 major, minor;
    size_t la, lb;
    unsigned char which;

    test_realm_write_config("tls12.conf",
                            "[tls]\n priority = NORMAL:-VERS-ALL:"
                            "+VERS-TLS1.2\n");
    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    ck_assert_uint_eq(x.init_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(x.accept_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(inquire(x.ictx, 3, a, sizeof(a)), 6);
    ck_assert_mem_eq(a, "TLS1.2", 6);
    la = inquire(x.ictx, 10, a, sizeof(a));
    ck_assert_uint_eq(la, 11 + 12);
    ck_assert_mem_eq(a, "tls-unique:", 11);
    for (which = 9; which <= 11; which++) {
        la = inquire(x.ictx, which, a, sizeof(a));
        lb = inquire(x.actx, which, b, sizeof(b));
        ck_assert_uint_gt(la, 0);
        ck_assert_uint_eq(la, lb);
        ck_assert_mem_eq(a, b, la);
    }
    ck_assert_uint_eq(inquire(x.ictx, 11, a, sizeof(a)), 13 + 32);
    ck_assert_mem_eq(a, "tls-exporter:", 13);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
    test_realm_reset_config();
}
END_TEST

/*
 * The encryption-oracle matrix (AllowEncryptionOracle, MS-CSSP.md 6.5),
 * end to end: client level 0/1/2 x server level 0/1/2 x the older side's
 * maximum version 2..6, with either the acceptor or the initiator being
 * the older side.  Clients at 0 and 1 refuse an effective version below
 * 5; servers at 0 refuse clients below 5.
 */
START_TEST(test_gss_oracle_matrix)
{
    int old_acceptor = _i / 45, c = (_i / 15) % 3, sv = (_i / 5) % 3;
    int v = 2 + _i % 5, client_ok, server_ok;
    char ccfg[160], scfg[160];
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    OM_uint32 major, minor;

    snprintf(ccfg, sizeof(ccfg),
             "[credssp]\n max_version = %d\n"
             "[delegation]\n AllowEncryptionOracle = %d\n",
             old_acceptor ? 6 : v, c);
    snprintf(scfg, sizeof(scfg),
             "[credssp]\n max_version = %d\n"
             "[delegation]\n AllowEncryptionOracle = %d\n",
             old_acceptor ? v : 6, sv);
    test_realm_write_config("oracle-client.conf", ccfg);
    icred = password_cred("alice@" TEST_REALM, "alice", &major, &minor);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    test_realm_write_config("oracle-server.conf", scfg);
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG, &x);
    server_ok = old_acceptor || sv != 0 || v >= 5;
    client_ok = c == 2 || v >= 5;
    if (!server_ok) {
        /* The acceptor refuses the client's first TSRequest. */
        ck_assert_uint_eq(x.accept_major, GSS_S_FAILURE);
        ck_assert_uint_eq(x.accept_minor, CREDSSP_ERR_ENCRYPTION_ORACLE);
        ck_assert_uint_eq(x.init_major, GSS_S_CONTINUE_NEEDED);
    } else if (!client_ok) {
        ck_assert_uint_eq(x.init_major, GSS_S_FAILURE);
        ck_assert_uint_eq(x.init_minor, CREDSSP_ERR_ENCRYPTION_ORACLE);
    } else {
        ck_assert_msg(x.init_major == GSS_S_COMPLETE &&
                          x.accept_major == GSS_S_COMPLETE,
                      "cell %d: init %08x/%08x accept %08x/%08x", _i,
                      x.init_major, x.init_minor, x.accept_major,
                      x.accept_minor);
    }
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

struct saved_case {
    int mode;           /* of the saved-credentials file */
    const char *entries; /* its lines; "%s" is alice's password */
    const char *config;  /* the initiator's configuration */
    OM_uint32 major, minor;
    int delegated;
};

static const struct saved_case saved_cases[] = {
    /* The entry for the target is used and delegated (the OS default
     * allows saved credentials to TERMSRV/\x2a). */
    { 0600, "# saved\nHTTP/other bob nope\nTERMSRV/localhost alice@"
      TEST_REALM " %s\n", "", GSS_S_COMPLETE, 0, 1 },
    { 0600, "termsrv/LOCALHOST alice@" TEST_REALM " %s\n",
      "[delegation]\n DenySavedCredentials = TERMSRV/localhost\n",
      GSS_S_FAILURE, CREDSSP_ERR_DELEGATION_POLICY, 0 },
    /* Readable by others: refused before anything is sent. */
    { 0644, "TERMSRV/localhost alice@" TEST_REALM " %s\n", "",
      GSS_S_NO_CRED, CREDSSP_ERR_SAVED_CREDS_FILE, 0 },
    /* A line without a password. */
    { 0600, "TERMSRV/localhost alice@" TEST_REALM "\n", "", GSS_S_NO_CRED,
      CREDSSP_ERR_SAVED_CREDS_FILE, 0 },
};

/* Saved credentials: a default credential with a saved-credentials file
 * uses the entry of the target, under the "saved" policy lists. */
START_TEST(test_gss_saved_credentials)
{
    const struct saved_case *c = &saved_cases[_i];
    gss_cred_id_t icred;
    char *password = test_realm_password("alice");
    char path[4096], text[1024];
    const char *store[] = { "saved_credentials", path, NULL };
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    FILE *f;

    snprintf(path, sizeof(path), "%s/saved-%d", test_realm_dir(), _i);
    snprintf(text, sizeof(text), c->entries, password);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    ck_assert_int_eq(chmod(path, (mode_t)c->mode), 0);
    test_realm_write_config("saved.conf", c->config);
    /* No ticket cache: the credential is settled per target. */
    major = gsstest_store_cred(&minor, store, &icred);
    ck_assert_msg(major == GSS_S_COMPLETE, "acquire %08x/%08x", major,
                  minor);
    test_realm_reset_config();
    run_exchange(icred, GSS_C_NO_CREDENTIAL, "TERMSRV@localhost",
                 GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, &x);
    ck_assert_msg(x.init_major == c->major, "init %08x/%08x", x.init_major,
                  x.init_minor);
    ck_assert_uint_eq(x.init_minor, c->minor);
    ck_assert_int_eq(x.deleg != GSS_C_NO_CREDENTIAL, c->delegated);
    if (c->major == GSS_S_NO_CRED) {
        /* Nothing left the initiator. */
        ck_assert_int_eq(x.legs_in, 0);
    }
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
    free(password);
}
END_TEST

static Suite *
gss_suite(void)
{
    Suite *s = suite_create("gss");
    TCase *tc;

    tc = test_realm_tcase(s, "exchange", TCASE_TIMEOUT);
    tcase_add_test(tc, test_gss_kerberos_with_delegation);
    tcase_add_test(tc, test_gss_ntlm_without_delegation);
    tcase_add_test(tc, test_gss_version_floor);
    tcase_add_test(tc, test_gss_per_message);
    tcase_add_test(tc, test_gss_data_behind_last_token);
    tcase_add_test(tc, test_gss_inquiries);
    tcase_add_test(tc, test_gss_inquiries_tls12);
    tcase_add_loop_test(tc, test_gss_store_delegated, 0, 2);
    tcase_add_loop_test(tc, test_gss_wrap_sizes, 0, 4);
    tcase_add_loop_test(tc, test_gss_wrap_replay_reorder, 0, 2);
    tcase_add_loop_test(tc, test_gss_wrap_empty, 0, 2);
    tcase_add_test(tc, test_gss_mic_sequence_and_prf);
    tcase_add_test(tc, test_gss_context_and_cred_inquiries);
    tcase_add_test(tc, test_gss_ntlm_inner_released);
    tcase_add_test(tc, test_gss_store_forwarded);
    tcase_add_test(tc, test_gss_store_errors);
    tcase_add_loop_test(tc, test_gss_double_hop, 0, 2);
    tcase_add_test(tc, test_gss_export_name);
    tcase_add_loop_test(tc, test_gss_wrap_iov, 0, 10);
    tcase_add_test(tc, test_gss_wrap_iov_refusals);
    tcase_add_loop_test(tc, test_gss_saved_credentials, 0,
                        sizeof(saved_cases) / sizeof(*saved_cases));
    tcase_add_loop_test(tc, test_gss_oracle_matrix, 0, 90);
    tcase_add_loop_test(tc, test_gss_strict_mutual_auth, 0, 2);
    tcase_add_loop_test(tc, test_gss_inner_modes, 0,
                        sizeof(inner_cases) / sizeof(*inner_cases));
    tcase_add_loop_test(tc, test_gss_delegation_policy, 0,
                        sizeof(policy_cases) / sizeof(*policy_cases));
    tcase_add_loop_test(tc, test_gss_raw_wire_in_pieces, 0,
                        sizeof(chunk_sizes) / sizeof(*chunk_sizes));
    return s;
}

int
main(void)
{
    return check_main_run(gss_suite());
}
