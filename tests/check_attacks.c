/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Hostile tokens at every state of real CredSSP contexts (MS-CSSP.md 1.3,
 * 1.4, 1.5, 3, 5): truncation, bit flips, replays and cross-fed legs,
 * a man-in-the-middle relay that forges TSRequests inside the right TLS
 * channel, garbage and wrong credentials.  Contexts run through the real
 * mechglue of libgssapi_krb5 (GSS_MECH_CONFIG from tests/realm.sh, both
 * ends in this process); the relay uses the internal TLS channel, codec
 * and framing of libcredssp_core.  Every failure asserts its exact major
 * and minor, and every context is deleted afterwards.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "asn1/codec.h"
#include "include/gssapi/gssapi_credssp.h"
#include "mech/ctx.h"
#include "mech/mech.h"
#include "mech/tls.h"
#include "mech/token.h"
#include "tests/check_main.h"
#include "tests/gsstest.h"
#include "tests/realm.h"

#define TCASE_TIMEOUT 300
#define MAX_LEGS GSSTEST_MAX_LEGS
/* TLS records per token we look at. */
#define MAX_RECORDS 16
#define TARGET "TERMSRV@localhost"
#define NT_LOGON_FAILURE 0xC000006Du

enum mech {
    KRB5,
    NTLM
};

/* Who reported the first failure of an exchange. */
enum side {
    NONE,
    ACCEPTOR,
    INITIATOR
};

/* Two ends of one exchange, driven one token at a time.  Token n goes to
 * the acceptor when n is even, to the initiator when it is odd. */
struct pair {
    gss_cred_id_t icred;
    gss_name_t target;
    OM_uint32 flags;
    gss_ctx_id_t ictx, actx;
    OM_uint32 imaj, imin, amaj, amin;
    gss_name_t src;
    gss_cred_id_t deleg;
    int next;            /* index of the token in tok */
    gss_buffer_desc tok; /* the token to deliver next */
};

/* The first failure of an exchange. */
struct outcome {
    enum side side;
    OM_uint32 major, minor;
    OM_uint32 imaj, imin; /* the initiator's last status */
};

struct flip_case;

/* One TLS record inside a token. */
struct record {
    size_t off, len; /* header included */
};

static gss_cred_id_t mech_cred(enum mech mech);
static void append(gss_buffer_t to, const void *data, size_t len);
static void pair_init(struct pair *p, gss_cred_id_t icred, OM_uint32 flags);
static OM_uint32 pair_feed(struct pair *p, const void *data, size_t len,
                           gss_buffer_t out);
static void pair_advance(struct pair *p, gss_buffer_t out);
static OM_uint32 pair_deliver(struct pair *p);
static void pair_run(struct pair *p, int upto, struct outcome *o);
static void pair_free(struct pair *p);
static size_t header_len(const gss_buffer_t tok, int index);
static int find_records(const gss_buffer_t tok, int index,
                        struct record *rec, int max);
static const char *err_name(OM_uint32 minor);
static void assert_codes(OM_uint32 major, OM_uint32 minor,
                         OM_uint32 want_major, OM_uint32 want_minor);
static void assert_text(OM_uint32 minor, const char *text);
static void deliver_cut(struct pair *p, size_t cut);
static const struct flip_case *find_flip(int token, int record,
                                         int in_body);
static int context_version(gss_ctx_id_t ctx);
static void fill_random(uint8_t *buf, size_t len);
static Suite *attacks_suite(void);

/* alice, authenticated by Kerberos or by NTLM. */
static gss_cred_id_t
mech_cred(enum mech mech)
{
    char *password = test_realm_password("alice");
    gss_cred_id_t cred;
    OM_uint32 major, minor;

    ck_assert_ptr_nonnull(password);
    major = gsstest_password_cred(&minor,
                                  mech == KRB5 ? "alice@" TEST_REALM
                                               : TEST_NTLM_DOMAIN "\\alice",
                                  password, GSS_C_NO_OID, &cred);
    free(password);
    ck_assert_msg(major == GSS_S_COMPLETE, "acquire %08x/%08x", major,
                  minor);
    return cred;
}

/* Append len bytes to a gss buffer of our own (malloc). */
static void
append(gss_buffer_t to, const void *data, size_t len)
{
    char *joined;

    if (len == 0) {
        return;
    }
    joined = realloc(to->value, to->length + len);
    ck_assert_ptr_nonnull(joined);
    memcpy(joined + to->length, data, len);
    to->value = joined;
    to->length += len;
}

/* A fresh pair; tok holds the initiator's first token. */
static void
pair_init(struct pair *p, gss_cred_id_t icred, OM_uint32 flags)
{
    memset(p, 0, sizeof(*p));
    p->icred = icred;
    p->flags = flags;
    ck_assert_uint_eq(gsstest_import_name(&p->imin, TARGET,
                                          GSS_C_NT_HOSTBASED_SERVICE,
                                          &p->target),
                      GSS_S_COMPLETE);
    p->imaj = gss_init_sec_context(&p->imin, icred, &p->ictx, p->target,
                                   GSS_CREDSSP_MECH_OID, flags, 0,
                                   GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER,
                                   NULL, &p->tok, NULL, NULL);
    ck_assert_msg(p->imaj == GSS_S_CONTINUE_NEEDED, "init %08x/%08x",
                  p->imaj, p->imin);
    ck_assert_uint_gt(p->tok.length, 0);
}

/* Hand len bytes to the receiver of token p->next; its output token (a
 * gss buffer of the mechglue) into *out.  Returns the receiver's major. */
static OM_uint32
pair_feed(struct pair *p, const void *data, size_t len, gss_buffer_t out)
{
    gss_buffer_desc in;
    OM_uint32 tmp;

    in.value = (void *)(uintptr_t)data;
    in.length = len;
    out->value = NULL;
    out->length = 0;
    if (p->next % 2 == 0) {
        gss_release_name(&tmp, &p->src);
        gss_release_cred(&tmp, &p->deleg);
        p->amaj = gss_accept_sec_context(&p->amin, &p->actx,
                                         GSS_C_NO_CREDENTIAL, &in,
                                         GSS_C_NO_CHANNEL_BINDINGS, &p->src,
                                         NULL, out, NULL, NULL, &p->deleg);
        return p->amaj;
    }
    p->imaj = gss_init_sec_context(&p->imin, p->icred, &p->ictx, p->target,
                                   GSS_CREDSSP_MECH_OID, p->flags, 0,
                                   GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, out,
                                   NULL, NULL);
    return p->imaj;
}

/* The next token is *out (taken over). */
static void
pair_advance(struct pair *p, gss_buffer_t out)
{
    OM_uint32 tmp;

    gss_release_buffer(&tmp, &p->tok);
    p->tok = *out;
    out->value = NULL;
    out->length = 0;
    p->next++;
}

/* Deliver the whole next token and advance. */
static OM_uint32
pair_deliver(struct pair *p)
{
    gss_buffer_desc out;
    OM_uint32 major;

    major = pair_feed(p, p->tok.value, p->tok.length, &out);
    pair_advance(p, &out);
    return major;
}

/* Deliver tokens until token upto is next, a side fails or nothing is
 * left to say; o (may be NULL) gets the first failure.  A failing
 * acceptor's last token (an errorCode or alert) still goes to the
 * initiator, as a peer would send it. */
static void
pair_run(struct pair *p, int upto, struct outcome *o)
{
    OM_uint32 major;
    int to_acceptor, legs;

    for (legs = 0; legs < MAX_LEGS && p->next < upto && p->tok.length > 0;
         legs++) {
        to_acceptor = p->next % 2 == 0;
        major = pair_deliver(p);
        if (!GSS_ERROR(major)) {
            continue;
        }
        if (o != NULL && o->side == NONE) {
            o->side = to_acceptor ? ACCEPTOR : INITIATOR;
            o->major = major;
            o->minor = to_acceptor ? p->amin : p->imin;
        }
        if (to_acceptor && p->tok.length > 0 &&
            p->imaj == GSS_S_CONTINUE_NEEDED) {
            (void)pair_deliver(p);
        }
        break;
    }
    ck_assert_int_lt(legs, MAX_LEGS);
    if (o != NULL) {
        o->imaj = p->imaj;
        o->imin = p->imin;
    }
}

static void
pair_free(struct pair *p)
{
    OM_uint32 tmp;

    if (p->ictx != GSS_C_NO_CONTEXT) {
        ck_assert_uint_eq(gss_delete_sec_context(&tmp, &p->ictx,
                                                 GSS_C_NO_BUFFER),
                          GSS_S_COMPLETE);
    }
    if (p->actx != GSS_C_NO_CONTEXT) {
        ck_assert_uint_eq(gss_delete_sec_context(&tmp, &p->actx,
                                                 GSS_C_NO_BUFFER),
                          GSS_S_COMPLETE);
    }
    ck_assert_ptr_eq(p->ictx, GSS_C_NO_CONTEXT);
    ck_assert_ptr_eq(p->actx, GSS_C_NO_CONTEXT);
    gss_release_name(&tmp, &p->src);
    gss_release_cred(&tmp, &p->deleg);
    gss_release_name(&tmp, &p->target);
    gss_release_buffer(&tmp, &p->tok);
}

/* Bytes of GSS header in front of the TLS records of token index. */
static size_t
header_len(const gss_buffer_t tok, int index)
{
    const uint8_t *b = tok->value;
    size_t n;

    if (index != 0) {
        return 0;
    }
    ck_assert_uint_eq(b[0], 0x60);
    n = b[1] < 0x80 ? 2 : 2 + (size_t)(b[1] & 0x7f);
    ck_assert_uint_eq(b[n], 0x06);
    return n + 2 + b[n + 1];
}

/* The TLS records of a token: their count, at most max. */
static int
find_records(const gss_buffer_t tok, int index, struct record *rec, int max)
{
    const uint8_t *b = tok->value;
    size_t off = header_len(tok, index), len;
    int n = 0;

    while (off + 5 <= tok->length && n < max) {
        len = 5 + ((size_t)b[off + 3] << 8 | b[off + 4]);
        ck_assert_uint_le(off + len, tok->length);
        rec[n].off = off;
        rec[n].len = len;
        n++;
        off += len;
    }
    ck_assert_uint_eq(off, tok->length);
    return n;
}

/* For messages: the symbolic name of a minor code. */
static const char *
err_name(OM_uint32 minor)
{
    static char buf[4][32];
    static int slot;
    const char *name = credssp_err_name((long)minor);

    if (name != NULL) {
        return name;
    }
    slot = (slot + 1) % 4;
    snprintf(buf[slot], sizeof(buf[slot]), "0x%08x", minor);
    return buf[slot];
}

/* Both codes exactly, and the major is the table's default for minor. */
static void
assert_codes(OM_uint32 major, OM_uint32 minor, OM_uint32 want_major,
             OM_uint32 want_minor)
{
    ck_assert_msg(major == want_major && minor == want_minor,
                  "got %08x/%s, want %08x/%s", major, err_name(minor),
                  want_major, err_name(want_minor));
    if (credssp_err_is_ours((int)minor)) {
        ck_assert_uint_eq(credssp_err_major((int)minor), major);
    }
}

/* gss_display_status of minor, on this thread, is exactly text. */
static void
assert_text(OM_uint32 minor, const char *text)
{
    char *got = gsstest_status_text(minor);

    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, text);
    free(got);
}

/* ------------------------------------------------------------------ */
/* 1. Truncation                                                       */
/* ------------------------------------------------------------------ */

#define FLAGS (GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG)

/* Where a cut of the first (framed) token falls. */
enum region {
    CUT_EMPTY,     /* nothing at all */
    CUT_IN_HEADER, /* inside the RFC 2743 header */
    CUT_IN_BODY    /* header whole, TLS records cut short */
};

struct first_cut_case {
    enum region region;
    OM_uint32 major, minor;
};

/* The acceptor never sees a first token as a partial one: the mechglue
 * reads the header to pick the mechanism, and our header check insists
 * on its announced length.  An empty first token never reaches us: the
 * mechglue hands it to its default mechanism, SPNEGO, which answers
 * CONTINUE_NEEDED with its acceptor hints in a context of its own. */
static const struct first_cut_case first_cut_cases[] = {
    { CUT_EMPTY, GSS_S_CONTINUE_NEEDED, 0 },
    { CUT_IN_HEADER, GSS_S_DEFECTIVE_TOKEN, 0 },
    { CUT_IN_BODY, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TOKEN_HEADER },
};

/* The first token, cut to every length, to fresh acceptors: rejected
 * with no context left behind; the whole token then works. */
START_TEST(test_attacks_first_token_cut)
{
    gss_cred_id_t icred = mech_cred((enum mech)_i);
    gss_buffer_desc out;
    struct pair p;
    size_t cut, hdr;
    enum region region;
    OM_uint32 tmp;

    pair_init(&p, icred, FLAGS);
    hdr = header_len(&p.tok, 0);
    for (cut = 0; cut < p.tok.length; cut++) {
        region = cut == 0 ? CUT_EMPTY : cut < hdr ? CUT_IN_HEADER
                                                  : CUT_IN_BODY;
        (void)pair_feed(&p, p.tok.value, cut, &out);
        ck_assert_msg(p.amaj == first_cut_cases[region].major &&
                          p.amin == first_cut_cases[region].minor,
                      "cut %zu/%zu: %08x/%s", cut, p.tok.length, p.amaj,
                      err_name(p.amin));
        assert_codes(p.amaj, p.amin, first_cut_cases[region].major,
                     first_cut_cases[region].minor);
        if (region == CUT_EMPTY) {
            /* The mechglue's default mechanism (SPNEGO) answered with
             * its acceptor hints; drop its context. */
            ck_assert_uint_gt(out.length, 0);
            ck_assert_ptr_ne(p.actx, GSS_C_NO_CONTEXT);
            ck_assert_uint_eq(gss_delete_sec_context(&tmp, &p.actx,
                                                     GSS_C_NO_BUFFER),
                              GSS_S_COMPLETE);
        }
        ck_assert_uint_eq(region == CUT_EMPTY ? 0 : out.length, 0);
        ck_assert_ptr_eq(p.actx, GSS_C_NO_CONTEXT);
        gss_release_buffer(&tmp, &out);
    }
    pair_run(&p, MAX_LEGS, NULL);
    ck_assert_uint_eq(p.imaj, GSS_S_COMPLETE);
    ck_assert_uint_eq(p.amaj, GSS_S_COMPLETE);
    pair_free(&p);
    gss_release_cred(&tmp, &icred);
}
END_TEST

/* Token p->next cut at cut: the first part must give CONTINUE with
 * nothing to send (the receiver waits for the rest of the record), an
 * empty part is refused without harm; then the rest. */
static void
deliver_cut(struct pair *p, size_t cut)
{
    gss_buffer_desc first, rest, joined = GSS_C_EMPTY_BUFFER;
    struct record rec[MAX_RECORDS];
    const uint8_t *b = p->tok.value;
    int n, to_acceptor = p->next % 2 == 0;
    OM_uint32 major, tmp;

    n = find_records(&p->tok, p->next, rec, MAX_RECORDS);
    ck_assert_int_gt(n, 0);
    major = pair_feed(p, b, cut, &first);
    if (cut == 0) {
        assert_codes(major, to_acceptor ? p->amin : p->imin,
                     GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_SHORT_INPUT);
    } else {
        ck_assert_msg(major == GSS_S_CONTINUE_NEEDED,
                      "token %d cut %zu: %08x/%s", p->next, cut, major,
                      err_name(to_acceptor ? p->amin : p->imin));
    }
    /* Inside the first record nobody can say anything.  Past it, only
     * the TLS 1.3 client speaks early: its compatibility
     * ChangeCipherSpec once it has seen ServerHello. */
    if (cut < rec[0].len || p->next != 1) {
        ck_assert_msg(first.length == 0, "token %d cut %zu: %zu bytes out",
                      p->next, cut, first.length);
    }
    append(&joined, first.value, first.length);
    gss_release_buffer(&tmp, &first);
    major = pair_feed(p, b + cut, p->tok.length - cut, &rest);
    ck_assert_msg(!GSS_ERROR(major), "token %d rest after %zu: %08x",
                  p->next, cut, major);
    append(&joined, rest.value, rest.length);
    gss_release_buffer(&tmp, &rest);
    pair_advance(p, &joined);
}

/* Every later token, both directions, cut at every length and then
 * completed: one exchange per cut length, all tokens cut alike. */
START_TEST(test_attacks_truncated_legs)
{
    gss_cred_id_t icred = mech_cred((enum mech)_i);
    struct pair p;
    size_t cut, maxlen = 0;
    int legs;
    OM_uint32 major, tmp;

    pair_init(&p, icred, FLAGS);
    while (p.tok.length > 0 && p.next < MAX_LEGS) {
        if (p.next > 0 && p.tok.length > maxlen) {
            maxlen = p.tok.length;
        }
        ck_assert(!GSS_ERROR(pair_deliver(&p)));
    }
    ck_assert_int_eq(p.next, 7);
    pair_free(&p);
    for (cut = 0; cut < maxlen; cut++) {
        pair_init(&p, icred, FLAGS);
        for (legs = 0; p.tok.length > 0 && legs < MAX_LEGS; legs++) {
            if (p.next > 0 && cut < p.tok.length) {
                deliver_cut(&p, cut);
            } else {
                major = pair_deliver(&p);
                ck_assert_msg(!GSS_ERROR(major), "cut %zu: %08x", cut,
                              major);
            }
        }
        ck_assert_uint_eq(p.imaj, GSS_S_COMPLETE);
        ck_assert_uint_eq(p.amaj, GSS_S_COMPLETE);
        pair_free(&p);
    }
    gss_release_cred(&tmp, &icred);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 2. Bit flips                                                        */
/* ------------------------------------------------------------------ */

struct flip_case {
    int token;   /* index in the exchange */
    int record;  /* TLS record in the token */
    int in_body; /* 0: content type bit 0x02; 1: a bit mid-body */
    enum side side;
    OM_uint32 major, minor;
};

/* Observed with GnuTLS 3.7.9 (TLS 1.3), MIT krb5 1.20, gss-ntlmssp 1.2.
 * Token 0: ClientHello; 1: ServerHello, ChangeCipherSpec and the
 * encrypted EncryptedExtensions, Certificate, CertificateVerify,
 * Finished; 2: ChangeCipherSpec, Finished, TSRequest; later ones one
 * TSRequest record each.  Plaintext handshake records fail the handshake
 * (TLS_HANDSHAKE, and the peer then reads the alert: TLS_ALERT); a
 * flipped bit in a protected record fails its AEAD tag (TLS_RECORD).
 * The outer content type of a protected record (0x17 -> 0x15) goes
 * unnoticed: TLS 1.3 carries the real type inside the encryption and
 * GnuTLS builds the additional data with the constant outer type, so
 * the payload still authenticates and the exchange completes (NONE).
 * Kerberos and NTLM inner contexts give the same outcomes. */
static const struct flip_case flip_cases[] = {
    { 0, 0, 0, ACCEPTOR, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TLS_HANDSHAKE },
    { 0, 0, 1, ACCEPTOR, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TLS_HANDSHAKE },
    { 1, 0, 0, INITIATOR, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TLS_HANDSHAKE },
    { 1, 0, 1, INITIATOR, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TLS_HANDSHAKE },
    { 1, 1, 0, INITIATOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 1, 1, INITIATOR, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TLS_HANDSHAKE },
    { 1, 2, 0, NONE, 0, 0 },
    { 1, 2, 1, INITIATOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 3, 0, NONE, 0, 0 },
    { 1, 3, 1, INITIATOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 4, 0, NONE, 0, 0 },
    { 1, 4, 1, INITIATOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 5, 0, NONE, 0, 0 },
    { 1, 5, 1, INITIATOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 2, 0, 0, ACCEPTOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 2, 0, 1, ACCEPTOR, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TLS_HANDSHAKE },
    { 2, 1, 0, NONE, 0, 0 },
    { 2, 1, 1, ACCEPTOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 2, 2, 0, NONE, 0, 0 },
    { 2, 2, 1, ACCEPTOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 3, 0, 0, NONE, 0, 0 },
    { 3, 0, 1, INITIATOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 4, 0, 0, NONE, 0, 0 },
    { 4, 0, 1, ACCEPTOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 5, 0, 0, NONE, 0, 0 },
    { 5, 0, 1, INITIATOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 6, 0, 0, NONE, 0, 0 },
    { 6, 0, 1, ACCEPTOR, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
};

static const struct flip_case *
find_flip(int token, int record, int in_body)
{
    size_t i;

    for (i = 0; i < sizeof(flip_cases) / sizeof(*flip_cases); i++) {
        if (flip_cases[i].token == token && flip_cases[i].record == record &&
            flip_cases[i].in_body == in_body) {
            return &flip_cases[i];
        }
    }
    return NULL;
}

/* One bit flipped in the header and in the body of every TLS record of
 * every token, both directions: the first failure, by whom, exactly. */
START_TEST(test_attacks_bit_flips)
{
    enum mech mech = (enum mech)_i;
    gss_cred_id_t icred = mech_cred(mech);
    const struct flip_case *want;
    struct record rec[MAX_RECORDS];
    struct outcome o;
    struct pair p;
    uint8_t *b, type;
    size_t len;
    int token, r, n, in_body, bad = 0, done = 0;
    OM_uint32 tmp;

    for (token = 0; !done && token < MAX_LEGS; token++) {
        for (r = 0, n = 1; r < n; r++) {
            for (in_body = 0; in_body < 2; in_body++) {
                pair_init(&p, icred, FLAGS);
                pair_run(&p, token, NULL);
                if (p.tok.length == 0) {
                    done = 1;
                    pair_free(&p);
                    break;
                }
                n = find_records(&p.tok, token, rec, MAX_RECORDS);
                b = p.tok.value;
                if (in_body) {
                    b[rec[r].off + 5 + (rec[r].len - 5) / 2] ^= 0x10;
                } else {
                    b[rec[r].off] ^= 0x02;
                }
                type = b[rec[r].off];
                len = rec[r].len;
                memset(&o, 0, sizeof(o));
                pair_run(&p, MAX_LEGS, &o);
                want = find_flip(token, r, in_body);
                if (want == NULL || want->side != o.side ||
                    want->major != o.major || want->minor != o.minor) {
                    fprintf(stderr,
                            "    { %d, %d, %d, %s, 0x%08x, %s }, "
                            "/* %s: type %02x, %zu bytes; "
                            "init %08x/%s */\n",
                            token, r, in_body,
                            o.side == NONE       ? "NONE"
                            : o.side == ACCEPTOR ? "ACCEPTOR"
                                                 : "INITIATOR",
                            o.major, err_name(o.minor),
                            mech == KRB5 ? "KRB5" : "NTLM",
                            type ^ (in_body ? 0 : 0x02), len,
                            o.imaj, err_name(o.imin));
                    bad++;
                } else {
                    assert_codes(o.major, o.minor, want->major,
                                 want->minor);
                }
                /* Nobody completes on a tampered exchange, unless the
                 * table says the flip went unnoticed. */
                if (want == NULL) {
                    /* reported above */
                } else if (want->side == NONE) {
                    ck_assert_uint_eq(p.imaj, GSS_S_COMPLETE);
                    ck_assert_uint_eq(p.amaj, GSS_S_COMPLETE);
                } else {
                    ck_assert(p.imaj != GSS_S_COMPLETE ||
                              p.amaj != GSS_S_COMPLETE);
                }
                pair_free(&p);
            }
            if (done) {
                break;
            }
        }
    }
    ck_assert_int_eq(bad, 0);
    gss_release_cred(&tmp, &icred);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 3. Out of order                                                     */
/* ------------------------------------------------------------------ */

struct order_case {
    int cross;  /* 0: token replayed later; 1: token of another pair */
    int token;  /* the token index */
    OM_uint32 major, minor; /* of its receiver */
};

/* A replayed first token (framed ClientHello) is not a record of the
 * established channel: the handshake layer refuses it.  Every later
 * token, replayed or from another exchange, is protected under other
 * keys or sequence numbers: TLS_RECORD.  The TSRequest layer never sees
 * them, so CREDSSP_ERR_OUT_OF_ORDER cannot arise from replays.  Each
 * case runs with a Kerberos and with an NTLM inner context. */
static const struct order_case order_cases[] = {
    { 0, 0, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TLS_HANDSHAKE },
    { 0, 1, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 0, 2, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 0, 3, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 0, 4, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 1, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 2, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 3, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 4, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 5, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    { 1, 6, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
};
#define ORDER_CASES (sizeof(order_cases) / sizeof(*order_cases))

/* Replay: token t again where token t + 2 belongs (same receiver, which
 * has moved on).  Cross-feed: token t of an independent pair where this
 * pair's token t belongs. */
START_TEST(test_attacks_out_of_order)
{
    const struct order_case *c = &order_cases[(size_t)_i % ORDER_CASES];
    enum mech mech = (enum mech)((size_t)_i / ORDER_CASES);
    gss_cred_id_t icred = mech_cred(mech);
    gss_buffer_desc saved = GSS_C_EMPTY_BUFFER, out;
    struct pair p, q;
    OM_uint32 major, minor, tmp;

    pair_init(&p, icred, FLAGS);
    pair_run(&p, c->token, NULL);
    ck_assert_int_eq(p.next, c->token);
    if (c->cross) {
        pair_init(&q, icred, FLAGS);
        pair_run(&q, c->token, NULL);
        ck_assert_int_eq(q.next, c->token);
        append(&saved, q.tok.value, q.tok.length);
        pair_free(&q);
    } else {
        append(&saved, p.tok.value, p.tok.length);
        pair_run(&p, c->token + 2, NULL);
        ck_assert_int_eq(p.next, c->token + 2);
    }
    major = pair_feed(&p, saved.value, saved.length, &out);
    minor = p.next % 2 == 0 ? p.amin : p.imin;
    ck_assert_msg(major == c->major && minor == c->minor,
                  "%s %s token %d: %08x/%s", mech == KRB5 ? "KRB5" : "NTLM",
                  c->cross ? "cross" : "replay", c->token, major,
                  err_name(minor));
    assert_codes(major, minor, c->major, c->minor);
    gss_release_buffer(&tmp, &out);
    /* The failed context stays failed, and says so. */
    major = pair_feed(&p, saved.value, saved.length, &out);
    assert_codes(major, p.next % 2 == 0 ? p.amin : p.imin, GSS_S_FAILURE,
                 CREDSSP_ERR_CONTEXT_FAILED);
    ck_assert_uint_eq(out.length, 0);
    gss_release_buffer(&tmp, &out);
    free(saved.value);
    pair_free(&p);
    gss_release_cred(&tmp, &icred);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 4.-6. A man in the middle                                           */
/* ------------------------------------------------------------------ */

enum forge {
    FORGE_NONE,           /* relay every TSRequest unchanged */
    FORGE_REFLECT,        /* server pubKeyAuth := the client's own */
    FORGE_ERROR_CODE,     /* answer the first client leg with errorCode */
    FORGE_VERSION_1,      /* first server TSRequest at version 1 */
    FORGE_VERSION_CHANGE, /* second server TSRequest at version 5 */
    FORGE_NO_NONCE,       /* client pubKeyAuth leg without clientNonce */
    FORGE_SHORT_NONCE,    /* ... with a 31-byte clientNonce */
    FORGE_EARLY_PUBKEY    /* pubKeyAuth added to the first client leg */
};

struct relay_case {
    enum mech mech;
    enum forge forge;
    uint32_t value;       /* the errorCode */
    OM_uint32 amaj, amin; /* the acceptor's last status */
    OM_uint32 imaj, imin; /* the initiator's last status */
    const char *text;     /* gss_display_status of imin, or NULL */
};

/* The relay: TLS server s faces the initiator (its own RSA certificate),
 * TLS client t faces the acceptor; whole TSRequests in between. */
struct relay {
    const struct relay_case *c;
    struct pair p;
    struct credssp_tls *s, *t;
    struct credssp_buf plain_s, plain_t; /* partial TSRequests */
    gss_buffer_desc to_s, to_t;          /* tokens for s and for t */
    int client_msgs, server_msgs;
    int auth_info_seen;    /* the client ever sent authInfo */
    int init_failed;       /* the initiator failed ... */
    size_t init_fail_out;  /* ... with this much output */
    struct credssp_buf pka; /* the client's pubKeyAuth (reflection) */
    int reflect_pending;
};

static void end_token(struct relay *r, int initiator, const void *data,
                      size_t len);
static void relay_init(struct relay *r, const struct relay_case *c,
                       gss_cred_id_t icred);
static void relay_free(struct relay *r);
static void to_end(struct relay *r, int initiator, const uint8_t *der,
                   size_t len);
static void send_req(struct relay *r, int initiator,
                     struct credssp_ts_request *req);
static void send_pub_key_auth(struct relay *r, int initiator,
                              struct credssp_ts_request *req,
                              const void *data, size_t len);
static void send_short_nonce(struct relay *r,
                             struct credssp_ts_request *req);
static void client_message(struct relay *r, const uint8_t *der,
                           size_t len);
static void server_message(struct relay *r, const uint8_t *der,
                           size_t len);
static void drain(struct relay *r, struct credssp_tls *tls,
                  struct credssp_buf *plain, int from_client);
static void relay_run(struct relay *r);

/* Hand a protected token to the initiator (its answer goes to s) or to
 * the acceptor (its answer goes to t). */
static void
end_token(struct relay *r, int initiator, const void *data, size_t len)
{
    gss_buffer_desc out;
    OM_uint32 tmp;

    if (initiator) {
        ck_assert_int_eq(r->init_failed, 0);
    }
    r->p.next = initiator ? 1 : 0;
    (void)pair_feed(&r->p, data, len, &out);
    if (initiator && GSS_ERROR(r->p.imaj)) {
        r->init_failed = 1;
        r->init_fail_out = out.length;
    }
    append(initiator ? &r->to_s : &r->to_t, out.value, out.length);
    gss_release_buffer(&tmp, &out);
}

static void
relay_init(struct relay *r, const struct relay_case *c, gss_cred_id_t icred)
{
    struct credssp_tls_config tc;
    struct credssp_buf out = { NULL, 0 }, framed = { NULL, 0 };
    const uint8_t *body;
    size_t body_len;
    int isframed;

    memset(r, 0, sizeof(*r));
    r->c = c;
    memset(&tc, 0, sizeof(tc));
    tc.key_type = CREDSSP_TLS_KEY_RSA_2048;
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_SERVER, &tc, &r->s), 0);
    ck_assert_int_eq(credssp_tls_new(CREDSSP_TLS_CLIENT, NULL, &r->t), 0);

    /* TLS with the acceptor: ClientHello (framed), its flight, our
     * Finished (it answers nothing until a TSRequest comes). */
    ck_assert_int_eq(credssp_tls_handshake(r->t), CREDSSP_TLS_AGAIN);
    ck_assert_int_eq(credssp_tls_take_output(r->t, &out), 0);
    ck_assert_int_eq(credssp_token_add_header(&out, &framed), 0);
    credssp_buf_free(&out);
    pair_init(&r->p, icred, FLAGS);
    end_token(r, 0, framed.data, framed.len);
    credssp_buf_free(&framed);
    ck_assert_uint_eq(r->p.amaj, GSS_S_CONTINUE_NEEDED);
    ck_assert_int_eq(credssp_tls_feed(r->t, r->to_t.value, r->to_t.length),
                     0);
    free(r->to_t.value);
    r->to_t.value = NULL;
    r->to_t.length = 0;
    ck_assert_int_eq(credssp_tls_handshake(r->t), 0);
    ck_assert_int_eq(credssp_tls_take_output(r->t, &out), 0);
    end_token(r, 0, out.data, out.len);
    credssp_buf_free(&out);
    ck_assert_uint_eq(r->p.amaj, GSS_S_CONTINUE_NEEDED);
    ck_assert_uint_eq(r->to_t.length, 0);

    /* TLS with the initiator, from its first (framed) token. */
    ck_assert_int_eq(credssp_token_strip_header(r->p.tok.value,
                                                r->p.tok.length, &body,
                                                &body_len, &isframed),
                     0);
    ck_assert_int_eq(credssp_tls_feed(r->s, body, body_len), 0);
    ck_assert_int_eq(credssp_tls_handshake(r->s), CREDSSP_TLS_AGAIN);
    ck_assert_int_eq(credssp_tls_take_output(r->s, &out), 0);
    end_token(r, 1, out.data, out.len);
    credssp_buf_free(&out);
}

static void
relay_free(struct relay *r)
{
    credssp_tls_free(&r->s);
    credssp_tls_free(&r->t);
    credssp_buf_wipe_free(&r->plain_s);
    credssp_buf_wipe_free(&r->plain_t);
    credssp_buf_free(&r->pka);
    free(r->to_s.value);
    free(r->to_t.value);
    pair_free(&r->p);
}

/* A TSRequest to one end, inside the relay's TLS channel with it. */
static void
to_end(struct relay *r, int initiator, const uint8_t *der, size_t len)
{
    struct credssp_tls *tls = initiator ? r->s : r->t;
    struct credssp_buf out = { NULL, 0 };

    ck_assert_int_eq(credssp_tls_encrypt(tls, der, len), 0);
    ck_assert_int_eq(credssp_tls_take_output(tls, &out), 0);
    end_token(r, initiator, out.data, out.len);
    credssp_buf_free(&out);
}

/* Encode req (freed) and send it to one side. */
static void
send_req(struct relay *r, int initiator, struct credssp_ts_request *req)
{
    struct credssp_buf der = { NULL, 0 };

    ck_assert_int_eq(credssp_asn1_encode_ts_request(req, &der), 0);
    credssp_asn1_ts_request_free(req);
    to_end(r, initiator, der.data, der.len);
    credssp_buf_free(&der);
}

/* req (freed) with the pubKeyAuth data to one side. */
static void
send_pub_key_auth(struct relay *r, int initiator,
                  struct credssp_ts_request *req, const void *data,
                  size_t len)
{
    req->pub_key_auth.present = 1;
    ck_assert_int_eq(credssp_buf_dup(&req->pub_key_auth.value, data, len),
                     0);
    send_req(r, initiator, req);
}

/* req to the acceptor with a 31-byte clientNonce, which our encoder
 * refuses to write: [5] { OCTET STRING } appended by hand. */
static void
send_short_nonce(struct relay *r, struct credssp_ts_request *req)
{
    static const uint8_t nonce_hdr[] = { 0xa5, 0x21, 0x04, 0x1f };
    struct credssp_buf der = { NULL, 0 };
    uint8_t msg[4096];
    size_t hl, body, n;

    credssp_buf_free(&req->client_nonce.value);
    req->client_nonce.present = 0;
    ck_assert_int_eq(credssp_asn1_encode_ts_request(req, &der), 0);
    credssp_asn1_ts_request_free(req);
    hl = der.data[1] < 0x80 ? 2 : 2 + (size_t)(der.data[1] & 0x7f);
    body = der.len - hl + sizeof(nonce_hdr) + 31;
    ck_assert_uint_lt(body, 0x10000);
    msg[0] = 0x30;
    n = 1;
    if (body >= 0x100) {
        msg[n++] = 0x82;
        msg[n++] = (uint8_t)(body >> 8);
    } else if (body >= 0x80) {
        msg[n++] = 0x81;
    }
    msg[n++] = (uint8_t)body;
    ck_assert_uint_le(n + body, sizeof(msg));
    memcpy(msg + n, der.data + hl, der.len - hl);
    n += der.len - hl;
    memcpy(msg + n, nonce_hdr, sizeof(nonce_hdr));
    memset(msg + n + sizeof(nonce_hdr), 0x4e, 31);
    n += sizeof(nonce_hdr) + 31;
    credssp_buf_free(&der);
    to_end(r, 0, msg, n);
}

static void
client_message(struct relay *r, const uint8_t *der, size_t len)
{
    struct credssp_ts_request req;
    int first = r->client_msgs++ == 0;

    memset(&req, 0, sizeof(req));
    ck_assert_int_eq(credssp_asn1_decode_ts_request(der, len, &req), 0);
    r->auth_info_seen |= req.auth_info.present;
    switch (r->c->forge) {
    case FORGE_ERROR_CODE:
        if (first) {
            credssp_asn1_ts_request_free(&req);
            req.version = 6;
            req.has_error_code = 1;
            req.error_code = r->c->value;
            send_req(r, 1, &req);
            return;
        }
        break;
    case FORGE_VERSION_CHANGE:
        if (req.pub_key_auth.present) {
            credssp_asn1_ts_request_free(&req);
            req.version = 5;
            send_pub_key_auth(r, 1, &req, "forged pubKeyAuth", 17);
            return;
        }
        break;
    case FORGE_REFLECT:
        if (req.pub_key_auth.present) {
            ck_assert_int_eq(credssp_buf_dup(&r->pka,
                                             req.pub_key_auth.value.data,
                                             req.pub_key_auth.value.len),
                             0);
            credssp_buf_free(&req.pub_key_auth.value);
            req.pub_key_auth.present = 0;
            if (req.nego_tokens.present) {
                /* The acceptor answers the inner token alone, if it
                 * has anything to say (SPNEGO's mechListMIC). */
                r->reflect_pending = 1;
                send_req(r, 0, &req);
                if (r->to_t.length > 0) {
                    return;
                }
                r->reflect_pending = 0;
            }
            credssp_asn1_ts_request_free(&req);
            req.version = 6;
            send_pub_key_auth(r, 1, &req, r->pka.data, r->pka.len);
            return;
        }
        break;
    case FORGE_NO_NONCE:
        if (req.pub_key_auth.present) {
            ck_assert_int_eq(req.client_nonce.present, 1);
            credssp_buf_free(&req.client_nonce.value);
            req.client_nonce.present = 0;
            send_req(r, 0, &req);
            return;
        }
        break;
    case FORGE_SHORT_NONCE:
        if (req.pub_key_auth.present) {
            send_short_nonce(r, &req);
            return;
        }
        break;
    case FORGE_EARLY_PUBKEY:
        if (first) {
            ck_assert_int_eq(req.pub_key_auth.present, 0);
            send_pub_key_auth(r, 0, &req, "forged pubKeyAuth", 17);
            return;
        }
        break;
    default:
        break;
    }
    credssp_asn1_ts_request_free(&req);
    to_end(r, 0, der, len);
}

static void
server_message(struct relay *r, const uint8_t *der, size_t len)
{
    struct credssp_ts_request req;
    int first = r->server_msgs++ == 0;

    memset(&req, 0, sizeof(req));
    ck_assert_int_eq(credssp_asn1_decode_ts_request(der, len, &req), 0);
    if (r->c->forge == FORGE_VERSION_1 && first) {
        req.version = 1;
        send_req(r, 1, &req);
        return;
    }
    if (r->c->forge == FORGE_REFLECT && r->reflect_pending) {
        r->reflect_pending = 0;
        ck_assert_int_eq(req.pub_key_auth.present, 0);
        send_pub_key_auth(r, 1, &req, r->pka.data, r->pka.len);
        return;
    }
    credssp_asn1_ts_request_free(&req);
    to_end(r, 1, der, len);
}

/* Decrypt what tls holds and pass on every whole TSRequest. */
static void
drain(struct relay *r, struct credssp_tls *tls, struct credssp_buf *plain,
      int from_client)
{
    struct credssp_buf fresh = { NULL, 0 }, msg = { NULL, 0 }, rest;
    struct credssp_out joined;
    size_t total;

    ck_assert_int_eq(credssp_tls_decrypt(tls, &fresh), 0);
    credssp_out_init(&joined, 1, 0);
    credssp_out_add(&joined, plain->data, plain->len);
    credssp_out_add(&joined, fresh.data, fresh.len);
    credssp_buf_wipe_free(&fresh);
    credssp_buf_wipe_free(plain);
    ck_assert_int_eq(credssp_out_finish(&joined, plain), 0);
    while (plain->len > 0 &&
           credssp_token_der_length(plain->data, plain->len,
                                    CREDSSP_ASN1_MAX_MESSAGE, &total) == 0 &&
           total <= plain->len) {
        rest.data = NULL;
        rest.len = 0;
        ck_assert_int_eq(credssp_buf_dup(&msg, plain->data, total), 0);
        ck_assert_int_eq(credssp_buf_dup(&rest, plain->data + total,
                                         plain->len - total),
                         0);
        credssp_buf_wipe_free(plain);
        credssp_buf_move(plain, &rest);
        if (from_client) {
            client_message(r, msg.data, msg.len);
        } else {
            server_message(r, msg.data, msg.len);
        }
        credssp_buf_wipe_free(&msg);
    }
}

/* Pump tokens both ways until nobody has anything to say (bounded). */
static void
relay_run(struct relay *r)
{
    struct credssp_buf out = { NULL, 0 };
    struct credssp_tls *tls;
    gss_buffer_desc tok;
    int legs, from_client;

    for (legs = 0; legs < MAX_LEGS; legs++) {
        if (r->to_s.length > 0 && !r->init_failed) {
            from_client = 1;
            tok = r->to_s;
            r->to_s.value = NULL;
            r->to_s.length = 0;
        } else if (r->to_t.length > 0 && !GSS_ERROR(r->p.amaj)) {
            from_client = 0;
            tok = r->to_t;
            r->to_t.value = NULL;
            r->to_t.length = 0;
        } else {
            break;
        }
        tls = from_client ? r->s : r->t;
        ck_assert_int_eq(credssp_tls_feed(tls, tok.value, tok.length), 0);
        free(tok.value);
        /* Only s has a handshake to finish (relay_init did t's). */
        if (!credssp_tls_is_established(tls)) {
            ck_assert_int_eq(from_client, 1);
            ck_assert_int_eq(credssp_tls_handshake(tls), 0);
            ck_assert_int_eq(credssp_tls_take_output(tls, &out), 0);
            ck_assert_uint_eq(out.len, 0);
        }
        drain(r, tls, from_client ? &r->plain_s : &r->plain_t, from_client);
    }
    ck_assert_int_lt(legs, MAX_LEGS);
}

static const struct relay_case relay_cases[] = {
    /* 4. Relayed unchanged: the client bound the relay's key. */
    { KRB5, FORGE_NONE, 0, GSS_S_BAD_SIG, CREDSSP_ERR_PUBKEY_MISMATCH,
      GSS_S_CONTINUE_NEEDED, 0, NULL },
    { NTLM, FORGE_NONE, 0, GSS_S_BAD_SIG, CREDSSP_ERR_PUBKEY_MISMATCH,
      GSS_S_CONTINUE_NEEDED, 0, NULL },
    /* 5. Forged toward the initiator. */
    { KRB5, FORGE_REFLECT, 0, GSS_S_CONTINUE_NEEDED, 0, GSS_S_BAD_SIG,
      CREDSSP_ERR_PUBKEY_ECHO, NULL },
    { NTLM, FORGE_REFLECT, 0, GSS_S_CONTINUE_NEEDED, 0, GSS_S_BAD_SIG,
      CREDSSP_ERR_PUBKEY_ECHO, NULL },
    { KRB5, FORGE_ERROR_CODE, 0xC000006D, GSS_S_CONTINUE_NEEDED, 0,
      GSS_S_FAILURE, CREDSSP_ERR_NT_LOGON_FAILURE,
      "Server refused the logon (STATUS_LOGON_FAILURE)" },
    { NTLM, FORGE_ERROR_CODE, 0xC0000234, GSS_S_CONTINUE_NEEDED, 0,
      GSS_S_FAILURE, CREDSSP_ERR_NT_ACCOUNT_LOCKED_OUT,
      "Account is locked out (STATUS_ACCOUNT_LOCKED_OUT)" },
    { KRB5, FORGE_ERROR_CODE, 0xC0000071, GSS_S_CONTINUE_NEEDED, 0,
      GSS_S_FAILURE, CREDSSP_ERR_NT_PASSWORD_EXPIRED,
      "Password has expired (STATUS_PASSWORD_EXPIRED)" },
    { KRB5, FORGE_ERROR_CODE, 0x80090305, GSS_S_CONTINUE_NEEDED, 0,
      GSS_S_FAILURE, CREDSSP_ERR_NT_OTHER,
      "Server reported an error status (see the CredSSP trace)" },
    { KRB5, FORGE_VERSION_1, 0, GSS_S_CONTINUE_NEEDED, 0,
      GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_VERSION,
      "Unsupported CredSSP version" },
    { NTLM, FORGE_VERSION_1, 0, GSS_S_CONTINUE_NEEDED, 0,
      GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_VERSION, NULL },
    { KRB5, FORGE_VERSION_CHANGE, 0, GSS_S_CONTINUE_NEEDED, 0,
      GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_VERSION_CHANGED, NULL },
    { NTLM, FORGE_VERSION_CHANGE, 0, GSS_S_CONTINUE_NEEDED, 0,
      GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_VERSION_CHANGED, NULL },
    /* 6. Forged toward the acceptor. */
    { KRB5, FORGE_NO_NONCE, 0, GSS_S_DEFECTIVE_TOKEN,
      CREDSSP_ERR_NONCE_MISSING, GSS_S_CONTINUE_NEEDED, 0, NULL },
    { NTLM, FORGE_NO_NONCE, 0, GSS_S_DEFECTIVE_TOKEN,
      CREDSSP_ERR_NONCE_MISSING, GSS_S_CONTINUE_NEEDED, 0, NULL },
    { KRB5, FORGE_SHORT_NONCE, 0, GSS_S_DEFECTIVE_TOKEN,
      CREDSSP_ERR_BAD_NONCE, GSS_S_CONTINUE_NEEDED, 0, NULL },
    { NTLM, FORGE_SHORT_NONCE, 0, GSS_S_DEFECTIVE_TOKEN,
      CREDSSP_ERR_BAD_NONCE, GSS_S_CONTINUE_NEEDED, 0, NULL },
    /* Kerberos: the AP-REQ is the acceptor's final inner token, so a
     * pubKeyAuth beside it is taken to the pubKeyAuth row at once (by
     * design, state.c rows[]); the forged one lacks its clientNonce.
     * NTLM: NEGOTIATE is not final, the pubKeyAuth is early. */
    { KRB5, FORGE_EARLY_PUBKEY, 0, GSS_S_DEFECTIVE_TOKEN,
      CREDSSP_ERR_NONCE_MISSING, GSS_S_CONTINUE_NEEDED, 0, NULL },
    { NTLM, FORGE_EARLY_PUBKEY, 0, GSS_S_DEFECTIVE_TOKEN,
      CREDSSP_ERR_OUT_OF_ORDER, GSS_S_CONTINUE_NEEDED, 0, NULL },
};

START_TEST(test_attacks_relay)
{
    const struct relay_case *c = &relay_cases[_i];
    gss_cred_id_t icred = mech_cred(c->mech);
    OM_uint32 minor;
    struct relay r;
    char *text;

    relay_init(&r, c, icred);
    relay_run(&r);
    ck_assert_msg(r.p.amaj == c->amaj && r.p.amin == c->amin &&
                      r.p.imaj == c->imaj && r.p.imin == c->imin,
                  "case %d: acceptor %08x/%s initiator %08x/%s", _i,
                  r.p.amaj, err_name(r.p.amin), r.p.imaj,
                  err_name(r.p.imin));
    assert_codes(r.p.amaj, r.p.amin, c->amaj, c->amin);
    assert_codes(r.p.imaj, r.p.imin, c->imaj, c->imin);
    /* No credentials ever leave the client, and a failed client says
     * nothing more. */
    ck_assert_int_eq(r.auth_info_seen, 0);
    ck_assert_uint_ne(r.p.imaj, GSS_S_COMPLETE);
    ck_assert_uint_eq(r.init_fail_out, 0);
    if (c->text != NULL) {
        /* One message, exactly the text. */
        text = gsstest_status_text(r.p.imin);
        ck_assert_str_eq(text, c->text);
        free(text);
    }
    relay_free(&r);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* The same unchanged relay with both ends binding the inner context to
 * the CredSSP TLS channel ([credssp] inner_channel_binding): the client's
 * inner token is bound to its channel with the relay, so the acceptor
 * refuses it at once, before any pubKeyAuth is checked. */
START_TEST(test_attacks_relay_inner_binding)
{
    static const struct relay_case cases[] = {
        { KRB5, FORGE_NONE, 0, GSS_S_BAD_BINDINGS, CREDSSP_ERR_CB_MISMATCH,
          GSS_S_CONTINUE_NEEDED, 0, NULL },
        { NTLM, FORGE_NONE, 0, GSS_S_BAD_BINDINGS, CREDSSP_ERR_CB_MISMATCH,
          GSS_S_CONTINUE_NEEDED, 0, NULL },
    };
    const struct relay_case *c = &cases[_i];
    gss_cred_id_t icred;
    OM_uint32 minor;
    struct relay r;

    test_realm_write_config("inner-binding.conf",
                            "[credssp]\n inner_channel_binding = "
                            "tls-server-end-point\n");
    icred = mech_cred(c->mech);
    relay_init(&r, c, icred);
    relay_run(&r);
    ck_assert_msg(r.p.amaj == c->amaj && r.p.amin == c->amin &&
                      r.p.imaj == c->imaj && r.p.imin == c->imin,
                  "case %d: acceptor %08x/%s initiator %08x/%s", _i,
                  r.p.amaj, err_name(r.p.amin), r.p.imaj,
                  err_name(r.p.imin));
    ck_assert_int_eq(r.auth_info_seen, 0);
    relay_free(&r);
    gss_release_cred(&minor, &icred);
    test_realm_reset_config();
}
END_TEST

/* ------------------------------------------------------------------ */
/* 6b. A TLS alert at every state                                      */
/* ------------------------------------------------------------------ */

/*
 * The mechanism's own entry points are called directly here (the
 * mechglue hands out its own context handles), so the test can reach the
 * TLS session of the side that is about to send token n: that session
 * reads token n-1 as its state machine would, and answers with a
 * close_notify alert instead of the genuine token (the sequence numbers
 * stay right, so the receiver authenticates the alert).  Tokens 0 and 1
 * are plain handshake flights: there the alert is a fatal
 * handshake_failure record in the clear (as a raw first token it is not
 * even a ClientHello).  The receiver must fail with the code for what it
 * was waiting for (an initiator waiting for pubKeyAuth: the server hung
 * up after our authentication), send nothing but an alert, and stop.
 */
struct alert_case {
    enum mech mech;
    int n;           /* the token replaced */
    OM_uint32 major; /* the receiver's */
    OM_uint32 minor;
};

static const struct alert_case alert_cases[] = {
    { KRB5, 0, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TOKEN_HEADER },
    { KRB5, 1, GSS_S_FAILURE, CREDSSP_ERR_TLS_ALERT },
    { KRB5, 2, GSS_S_FAILURE, CREDSSP_ERR_TLS_CLOSED },
    { KRB5, 3, GSS_S_FAILURE, CREDSSP_ERR_TLS_CLOSED },
    { KRB5, 4, GSS_S_FAILURE, CREDSSP_ERR_TLS_CLOSED },
    { KRB5, 5, GSS_S_FAILURE, CREDSSP_ERR_CLOSED_AFTER_AUTH },
    { KRB5, 6, GSS_S_FAILURE, CREDSSP_ERR_TLS_CLOSED },
    { NTLM, 0, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_TOKEN_HEADER },
    { NTLM, 1, GSS_S_FAILURE, CREDSSP_ERR_TLS_ALERT },
    { NTLM, 2, GSS_S_FAILURE, CREDSSP_ERR_TLS_CLOSED },
    { NTLM, 3, GSS_S_FAILURE, CREDSSP_ERR_TLS_CLOSED },
    { NTLM, 4, GSS_S_FAILURE, CREDSSP_ERR_TLS_CLOSED },
    { NTLM, 5, GSS_S_FAILURE, CREDSSP_ERR_CLOSED_AFTER_AUTH },
    { NTLM, 6, GSS_S_FAILURE, CREDSSP_ERR_TLS_CLOSED },
};

/* One direct call of side `initiator` with token in (NULL: the first). */
static OM_uint32
direct_step(gss_ctx_id_t *ctx, int initiator, gss_cred_id_t icred,
            gss_cred_id_t acred, gss_name_t target,
            const struct credssp_buf *in, struct credssp_buf *out,
            OM_uint32 *minor)
{
    gss_buffer_desc inb = { in != NULL ? in->len : 0,
                            in != NULL ? in->data : NULL };
    gss_buffer_desc outb = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, tmp;

    if (initiator) {
        major = credssp_init_sec_context(
            minor, icred, ctx, target, GSS_C_NO_OID, GSS_C_MUTUAL_FLAG, 0,
            GSS_C_NO_CHANNEL_BINDINGS, in != NULL ? &inb : GSS_C_NO_BUFFER,
            NULL, &outb, NULL, NULL);
    } else {
        major = credssp_accept_sec_context(minor, ctx, acred, &inb,
                                           GSS_C_NO_CHANNEL_BINDINGS, NULL,
                                           NULL, &outb, NULL, NULL, NULL);
    }
    out->data = NULL;
    out->len = 0;
    if (outb.length > 0) {
        ck_assert_int_eq(credssp_buf_dup(out, outb.value, outb.length), 0);
    }
    gss_release_buffer(&tmp, &outb);
    return major;
}

START_TEST(test_attacks_alert_every_state)
{
    static const uint8_t fatal[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02,
                                     0x28 };
    const struct alert_case *c = &alert_cases[_i];
    gss_key_value_element_desc el[4];
    gss_key_value_set_desc store = { 4, el }, astore = { 1, el + 3 };
    gss_ctx_id_t side[2] = { GSS_C_NO_CONTEXT, GSS_C_NO_CONTEXT };
    gss_cred_id_t icred = GSS_C_NO_CREDENTIAL, acred = GSS_C_NO_CREDENTIAL;
    gss_buffer_desc name = { 17, (void *)(uintptr_t)"TERMSRV@localhost" };
    gss_name_t target = GSS_C_NO_NAME;
    struct credssp_buf tok = { NULL, 0 }, next = { NULL, 0 };
    struct credssp_buf plain = { NULL, 0 };
    struct credssp_ctx *sender;
    char *password = test_realm_password("alice");
    OM_uint32 major = GSS_S_COMPLETE, minor = 0;
    int k, to;

    ck_assert_ptr_nonnull(password);
    el[0].key = GSS_CREDSSP_STORE_USERNAME;
    el[0].value = c->mech == KRB5 ? "alice@" TEST_REALM
                                  : TEST_NTLM_DOMAIN "\\alice";
    el[1].key = GSS_CREDSSP_STORE_PASSWORD;
    el[1].value = password;
    el[2].key = GSS_CREDSSP_STORE_INNER;
    el[2].value = c->mech == KRB5 ? "auto" : "ntlmssp";
    el[3].key = GSS_CREDSSP_STORE_WIRE;
    el[3].value = "raw";
    ck_assert_uint_eq(credssp_acquire_cred_from(&minor, GSS_C_NO_NAME,
                                                GSS_C_INDEFINITE,
                                                GSS_C_NO_OID_SET,
                                                GSS_C_INITIATE, &store,
                                                &icred, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(credssp_acquire_cred_from(&minor, GSS_C_NO_NAME,
                                                GSS_C_INDEFINITE,
                                                GSS_C_NO_OID_SET,
                                                GSS_C_ACCEPT, &astore,
                                                &acred, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(credssp_import_name(&minor, &name,
                                          GSS_C_NT_HOSTBASED_SERVICE,
                                          &target),
                      GSS_S_COMPLETE);

    /* Token k goes from side k % 2 (0: initiator) to the other. */
    for (k = 0; k < c->n; k++) {
        if (k == 0) {
            major = direct_step(&side[0], 1, icred, acred, target, NULL,
                                &tok, &minor);
            ck_assert_uint_eq(major, GSS_S_CONTINUE_NEEDED);
        }
        to = 1 - k % 2;
        if (k + 1 == c->n && c->n >= 2) {
            /* The sender of token n reads token k with its TLS session
             * only, then closes the channel. */
            sender = (struct credssp_ctx *)side[to];
            ck_assert_int_eq(credssp_tls_feed(sender->tls, tok.data,
                                              tok.len),
                             0);
            ck_assert_int_eq(credssp_tls_handshake(sender->tls), 0);
            ck_assert_int_eq(credssp_tls_decrypt(sender->tls, &plain), 0);
            credssp_buf_wipe_free(&plain);
            ck_assert_int_eq(credssp_tls_close(sender->tls), 0);
            credssp_buf_free(&next);
            ck_assert_int_eq(credssp_tls_take_output(sender->tls, &next),
                             0);
        } else {
            major = direct_step(&side[to], to == 0, icred, acred, target,
                                &tok, &next, &minor);
            ck_assert_msg(major == GSS_S_CONTINUE_NEEDED,
                          "leg %d: %08x/%08x", k, major, minor);
        }
        credssp_buf_free(&tok);
        tok = next;
        next.data = NULL;
        next.len = 0;
    }
    if (c->n < 2) {
        /* A fatal alert in the clear instead of a handshake flight. */
        credssp_buf_free(&tok);
        ck_assert_int_eq(credssp_buf_dup(&tok, fatal, sizeof(fatal)), 0);
    }
    ck_assert_uint_gt(tok.len, 0);
    to = 1 - c->n % 2;
    major = direct_step(&side[to], to == 0, icred, acred, target, &tok,
                        &next, &minor);
    ck_assert_msg(major == c->major && minor == c->minor,
                  "case %d: %08x/%s", _i, major, err_name(minor));
    /* Nothing but (for a handshake failure) the TLS alert back. */
    ck_assert(next.len == 0 || next.data[0] == 0x15);

    credssp_buf_free(&tok);
    credssp_buf_free(&next);
    for (k = 0; k < 2; k++) {
        (void)credssp_delete_sec_context(&minor, &side[k], GSS_C_NO_BUFFER);
    }
    (void)credssp_release_name(&minor, &target);
    (void)credssp_release_cred(&minor, &icred);
    (void)credssp_release_cred(&minor, &acred);
    free(password);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 7. Garbage                                                          */
/* ------------------------------------------------------------------ */

enum garbage {
    RANDOM_TAIL,  /* 64 KiB of random bytes after token 2 */
    HUGE_TOKEN,   /* 16 MiB instead of token 2 */
    EMPTY_TOKEN,  /* zero bytes instead of token 2 (then token 2) */
    AFTER_DONE,   /* the last token again, after completion */
    AFTER_DONE_I, /* the same to the completed initiator */
    AFTER_FAILURE /* token 2 again after a failed token 2 */
};

struct garbage_case {
    enum garbage kind;
    OM_uint32 major, minor;
};

static const struct garbage_case garbage_cases[] = {
    /* The valid records go through; the garbage is no TLS record. */
    { RANDOM_TAIL, GSS_S_BAD_SIG, CREDSSP_ERR_TLS_RECORD },
    /* Over the 1 MiB input bound: refused before anything is kept. */
    { HUGE_TOKEN, GSS_S_FAILURE, CREDSSP_ERR_TOO_LARGE },
    { EMPTY_TOKEN, GSS_S_DEFECTIVE_TOKEN, CREDSSP_ERR_SHORT_INPUT },
    { AFTER_DONE, GSS_S_FAILURE, CREDSSP_ERR_CONTEXT_ESTABLISHED },
    { AFTER_DONE_I, GSS_S_FAILURE, CREDSSP_ERR_CONTEXT_ESTABLISHED },
    { AFTER_FAILURE, GSS_S_FAILURE, CREDSSP_ERR_CONTEXT_FAILED },
};

/* Deterministic filler (xorshift32). */
static void
fill_random(uint8_t *buf, size_t len)
{
    uint32_t x = 0x43535350;
    size_t i;

    for (i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)x;
    }
}

START_TEST(test_attacks_garbage)
{
    const struct garbage_case *c = &garbage_cases[_i];
    gss_cred_id_t icred = mech_cred(KRB5);
    gss_buffer_desc bad = GSS_C_EMPTY_BUFFER, out, last;
    struct pair p;
    OM_uint32 major, minor, tmp;

    pair_init(&p, icred, FLAGS);
    if (c->kind == AFTER_DONE || c->kind == AFTER_DONE_I) {
        pair_run(&p, 6, NULL);
        last.length = 0;
        last.value = NULL;
        append(&last, p.tok.value, p.tok.length);
        pair_run(&p, MAX_LEGS, NULL);
        assert_codes(p.amaj, p.amin, GSS_S_COMPLETE, 0);
        assert_codes(p.imaj, p.imin, GSS_S_COMPLETE, 0);
        p.next = c->kind == AFTER_DONE ? 0 : 1;
        major = pair_feed(&p, last.value, last.length, &out);
        free(last.value);
    } else {
        pair_run(&p, 2, NULL);
        if (c->kind == RANDOM_TAIL) {
            append(&bad, p.tok.value, p.tok.length);
            bad.value = realloc(bad.value, bad.length + 65536);
            ck_assert_ptr_nonnull(bad.value);
            fill_random((uint8_t *)bad.value + bad.length, 65536);
            bad.length += 65536;
        } else if (c->kind == HUGE_TOKEN) {
            bad.length = 16 * 1024 * 1024;
            bad.value = malloc(bad.length);
            ck_assert_ptr_nonnull(bad.value);
            memcpy(bad.value, p.tok.value, p.tok.length);
            fill_random((uint8_t *)bad.value + p.tok.length,
                        bad.length - p.tok.length);
        } else if (c->kind == AFTER_FAILURE) {
            append(&bad, p.tok.value, p.tok.length);
            ((uint8_t *)bad.value)[bad.length - 1] ^= 1;
            major = pair_feed(&p, bad.value, bad.length, &out);
            assert_codes(major, p.amin, GSS_S_BAD_SIG,
                         CREDSSP_ERR_TLS_RECORD);
            gss_release_buffer(&tmp, &out);
        }
        major = pair_feed(&p, bad.value, bad.length, &out);
    }
    minor = p.next % 2 == 0 ? p.amin : p.imin;
    ck_assert_msg(major == c->major && minor == c->minor,
                  "case %d: %08x/%s", _i, major, err_name(minor));
    assert_codes(major, minor, c->major, c->minor);
    gss_release_buffer(&tmp, &out);
    if (c->kind == EMPTY_TOKEN) {
        /* Refused before it reached the state machine: the exchange
         * goes on. */
        pair_run(&p, MAX_LEGS, NULL);
        assert_codes(p.amaj, p.amin, GSS_S_COMPLETE, 0);
        assert_codes(p.imaj, p.imin, GSS_S_COMPLETE, 0);
    }
    free(bad.value);
    pair_free(&p);
    gss_release_cred(&tmp, &icred);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 8. Wrong credentials; 6d. another user's credentials               */
/* ------------------------------------------------------------------ */

/* NTLM with a wrong password and with an unknown user: the acceptor's
 * inner context fails and it tells the client STATUS_LOGON_FAILURE. */
START_TEST(test_attacks_ntlm_bad_user)
{
    char *password = test_realm_password("alice");
    static char error_code_der[] = GSS_CREDSSP_INQ_ERROR_CODE_BYTES;
    gss_OID_desc error_code_oid = { GSS_CREDSSP_INQ_CONTEXT_LENGTH,
                                    error_code_der };
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    gss_cred_id_t icred;
    struct pair p;
    OM_uint32 major, minor;

    ck_assert_ptr_nonnull(password);
    major = gsstest_password_cred(&minor,
                                  _i == 0 ? TEST_NTLM_DOMAIN "\\alice"
                                          : TEST_NTLM_DOMAIN "\\mallory",
                                  _i == 0 ? "not-the-password" : password,
                                  GSS_C_NO_OID, &icred);
    free(password);
    assert_codes(major, minor, GSS_S_COMPLETE, 0);
    pair_init(&p, icred, FLAGS);
    pair_run(&p, MAX_LEGS, NULL);
    assert_codes(p.amaj, p.amin, GSS_S_FAILURE, CREDSSP_ERR_INNER_AUTH);
    /* The acceptor's text names the mechanism that refused, in
     * gss-ntlmssp's words: a wrong password, an unknown user. */
    assert_text(p.amin, _i == 0 ? "Inner authentication failed: NTLMSSP: "
                                  "Invalid argument"
                                : "Inner authentication failed: NTLMSSP: "
                                  "Permission denied");
    assert_codes(p.imaj, p.imin, GSS_S_FAILURE,
                 CREDSSP_ERR_NT_LOGON_FAILURE);
    /* The failed initiator context still tells the errorCode it got. */
    ck_assert_ptr_ne(p.ictx, GSS_C_NO_CONTEXT);
    ck_assert_uint_eq(gss_inquire_sec_context_by_oid(&minor, p.ictx,
                                                     &error_code_oid, &set),
                      GSS_S_COMPLETE);
    ck_assert_ptr_nonnull(set);
    ck_assert_uint_eq(set->count, 1);
    ck_assert_uint_eq(set->elements[0].length, 4);
    ck_assert_mem_eq(set->elements[0].value, "\xc0\x00\x00\x6d", 4);
    gss_release_buffer_set(&minor, &set);
    pair_free(&p);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* Kerberos checks the password when the credential is acquired: a KDC
 * that refuses it ends there, with no fallback to NTLM. */
START_TEST(test_attacks_krb5_wrong_password)
{
    gss_cred_id_t icred;
    OM_uint32 major, minor;

    major = gsstest_password_cred(&minor, "alice@" TEST_REALM,
                                  "not-the-password", GSS_C_NO_OID, &icred);
    assert_codes(major, minor, GSS_S_NO_CRED, CREDSSP_ERR_PASSWORD_REFUSED);
    assert_text(minor, "Kerberos refused the user name or password: "
                       "Preauthentication failed");
    ck_assert_ptr_eq(icred, GSS_C_NO_CREDENTIAL);
    major = gsstest_password_cred(&minor, "mallory@" TEST_REALM, "whatever",
                                  GSS_C_NO_OID, &icred);
    assert_codes(major, minor, GSS_S_NO_CRED, CREDSSP_ERR_PASSWORD_REFUSED);
    assert_text(minor, "Kerberos refused the user name or password: Client "
                       "'mallory@" TEST_REALM "' not found in Kerberos "
                       "database");
    ck_assert_ptr_eq(icred, GSS_C_NO_CREDENTIAL);
}
END_TEST

/* An acceptor without keytab or NTLM user file fails at once. */
START_TEST(test_attacks_no_acceptor_keys)
{
    gss_cred_id_t icred = mech_cred((enum mech)_i);
    char *ktname = NULL, *userfile = NULL;
    struct outcome o;
    struct pair p;
    OM_uint32 tmp;

    if (getenv("KRB5_KTNAME") != NULL) {
        ktname = strdup(getenv("KRB5_KTNAME"));
    }
    if (getenv("NTLM_USER_FILE") != NULL) {
        userfile = strdup(getenv("NTLM_USER_FILE"));
    }
    memset(&o, 0, sizeof(o));
    pair_init(&p, icred, FLAGS);
    setenv("KRB5_KTNAME", "FILE:/nonexistent/credssp.keytab", 1);
    unsetenv("NTLM_USER_FILE");
    /* The first call succeeds: the inner acceptor credential is only
     * used when the inner tokens arrive. */
    pair_run(&p, 1, NULL);
    assert_codes(p.amaj, p.amin, GSS_S_CONTINUE_NEEDED, 0);
    while (o.side == NONE && p.tok.length > 0 && p.next < MAX_LEGS) {
        pair_run(&p, p.next + 1, &o);
    }
    if (ktname != NULL) {
        setenv("KRB5_KTNAME", ktname, 1);
    } else {
        unsetenv("KRB5_KTNAME");
    }
    if (userfile != NULL) {
        setenv("NTLM_USER_FILE", userfile, 1);
    }
    free(ktname);
    free(userfile);
    ck_assert_int_eq(o.side, ACCEPTOR);
    assert_codes(o.major, o.minor, GSS_S_FAILURE, CREDSSP_ERR_INNER_AUTH);
    /* ... and the client learns STATUS_LOGON_FAILURE. */
    assert_codes(p.imaj, p.imin, GSS_S_FAILURE,
                 CREDSSP_ERR_NT_LOGON_FAILURE);
    pair_free(&p);
    gss_release_cred(&tmp, &icred);
}
END_TEST

/* Credentials for OTHER\alice over a Kerberos context of
 * alice@CREDSSP.TEST: the acceptor refuses them. */
START_TEST(test_attacks_delegated_user_mismatch)
{
    gss_cred_id_t icred;
    char *password = test_realm_password("alice");
    const char *store[] = { "username", "alice", "domain", "OTHER",
                            "password", password, NULL };
    struct pair p;
    OM_uint32 major, minor;

    major = gsstest_store_cred(&minor, store, &icred);
    free(password);
    assert_codes(major, minor, GSS_S_COMPLETE, 0);
    pair_init(&p, icred, FLAGS);
    pair_run(&p, MAX_LEGS, NULL);
    assert_codes(p.amaj, p.amin, GSS_S_FAILURE,
                 CREDSSP_ERR_DELEGATED_USER_MISMATCH);
    /* The client finished when it sent the credentials. */
    assert_codes(p.imaj, p.imin, GSS_S_COMPLETE, 0);
    ck_assert_ptr_eq(p.deleg, GSS_C_NO_CREDENTIAL);
    pair_free(&p);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 5e. A v5 peer                                                       */
/* ------------------------------------------------------------------ */

/* The version of a context, through the mechglue (inquiry 1). */
static int
context_version(gss_ctx_id_t ctx)
{
    char der[] = GSS_CREDSSP_INQ_CONTEXT_OID("?");
    gss_OID_desc oid = { GSS_CREDSSP_INQ_CONTEXT_LENGTH, der };
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    OM_uint32 major, minor;
    int version;

    der[GSS_CREDSSP_INQ_CONTEXT_LENGTH - 1] = 1;
    major = gss_inquire_sec_context_by_oid(&minor, ctx, &oid, &set);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_uint_eq(set->count, 1);
    ck_assert_uint_eq(set->elements[0].length, 1);
    version = ((const uint8_t *)set->elements[0].value)[0];
    gss_release_buffer_set(&minor, &set);
    return version;
}

/* An acceptor limited to version 5 (the hash form without errorCode):
 * both ends settle on 5 and complete. */
START_TEST(test_attacks_v5_acceptor)
{
    gss_cred_id_t icred = mech_cred((enum mech)_i);
    struct pair p;
    OM_uint32 tmp;

    test_realm_write_config("acceptor-v5.conf",
                            "[credssp]\n max_version = 5\n");
    pair_init(&p, icred, FLAGS);
    pair_run(&p, MAX_LEGS, NULL);
    assert_codes(p.imaj, p.imin, GSS_S_COMPLETE, 0);
    assert_codes(p.amaj, p.amin, GSS_S_COMPLETE, 0);
    ck_assert_int_eq(context_version(p.ictx), 5);
    ck_assert_int_eq(context_version(p.actx), 5);
    ck_assert_ptr_ne(p.deleg, GSS_C_NO_CREDENTIAL);
    pair_free(&p);
    gss_release_cred(&tmp, &icred);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *
attacks_suite(void)
{
    Suite *s = suite_create("attacks");
    TCase *tc;

    tc = test_realm_tcase(s, "truncation", TCASE_TIMEOUT);
    tcase_add_loop_test(tc, test_attacks_first_token_cut, KRB5, NTLM + 1);
    tcase_add_loop_test(tc, test_attacks_truncated_legs, KRB5, NTLM + 1);

    tc = test_realm_tcase(s, "tampering", TCASE_TIMEOUT);
    tcase_add_loop_test(tc, test_attacks_bit_flips, KRB5, NTLM + 1);
    tcase_add_loop_test(tc, test_attacks_v5_acceptor, KRB5, NTLM + 1);
    tcase_add_loop_test(tc, test_attacks_out_of_order, 0,
                        (int)(ORDER_CASES * (NTLM + 1)));
    tcase_add_loop_test(tc, test_attacks_relay_inner_binding, 0, 2);
    tcase_add_loop_test(tc, test_attacks_alert_every_state, 0,
                        sizeof(alert_cases) / sizeof(*alert_cases));
    tcase_add_loop_test(tc, test_attacks_relay, 0,
                        sizeof(relay_cases) / sizeof(*relay_cases));
    tcase_add_loop_test(tc, test_attacks_garbage, 0,
                        sizeof(garbage_cases) / sizeof(*garbage_cases));
    tcase_add_loop_test(tc, test_attacks_ntlm_bad_user, 0, 2);
    tcase_add_test(tc, test_attacks_krb5_wrong_password);
    tcase_add_loop_test(tc, test_attacks_no_acceptor_keys, KRB5, NTLM + 1);
    tcase_add_test(tc, test_attacks_delegated_user_mismatch);
    /* TCASES */
    return s;
}

int
main(void)
{
    return check_main_run(attacks_suite());
}
