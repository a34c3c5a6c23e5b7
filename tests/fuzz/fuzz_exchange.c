/* Target functions: credssp_init_sec_context and credssp_accept_sec_context
 * fed a hostile token at every state of a real NTLM exchange */
/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * A genuine CredSSP exchange (inner NTLMSSP through gss-ntlmssp, password
 * delegated) is driven in process up to token N; token N is replaced by
 * the input and the exchange goes on for as long as both sides accept
 * what they get.  The first input byte chooses:
 *
 *   bits 0-3  N, the token replaced (0: the initiator's first token; odd
 *             tokens go to the initiator, even ones to the acceptor);
 *   bit 4     the initiator's highest version: 6, or 2 when set;
 *   bit 5     how the rest of the input becomes token N: as the plaintext
 *             of a TLS record sealed by the sender's own session (so the
 *             receiver's TSRequest decoding, state table and inner
 *             NTLMSSP see it), or, when set or when the sender has no
 *             session that can seal, as the token's raw bytes.
 *
 * Invariants checked: a GSS error always carries a minor code, a failed
 * first call leaves no context, an exchange ends within GSSTEST-like
 * bounds.  The NTLM account lives in a user file this target writes into
 * a temporary directory once per process (NTLM_USER_FILE); the mechanism
 * configuration is one of two files written there too (CREDSSP_CONFIG is
 * pointed at each while the two initiator credentials are acquired).
 * Nothing needs a KDC, so make check replays the corpus without a realm.
 * Without gss-ntlmssp the credentials cannot be acquired and every input
 * is ignored (the replay still passes; the corpus then exercises nothing,
 * which tests/fuzz/README says).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "include/gssapi/gssapi_credssp.h"
#include "mech/ctx.h"
#include "mech/mech.h"
#include "mech/tls.h"
#include "tests/fuzz/fuzz.h"

/* More tokens than any exchange takes (9 with TLS 1.2): a loop. */
#define MAX_TOKENS 16

#define FUZZ_USER "alice"
#define FUZZ_DOMAIN "FUZZ"
#define FUZZ_PASSWORD "fuzz-exchange-password"

struct fixture {
    int ready;
    gss_cred_id_t icred[2]; /* highest version 6, 2 */
    gss_cred_id_t acred;
    gss_name_t target;
    char dir[32];
    char users[64], acceptor[64]; /* read again while fuzzing */
};

static struct fixture fx = { .dir = "/tmp/credssp-fuzz-XXXXXX" };

static int write_file(const char *dir, const char *name, const char *text,
                      char *path, size_t size);
static void cleanup(void);
static int acquire_initiator(const char *config, gss_cred_id_t *cred);
static int setup(void);
static OM_uint32 step(struct credssp_ctx **ctx, int initiator, int version2,
                      const struct credssp_buf *in, struct credssp_buf *out,
                      int first);
static void dump(unsigned int selector, const void *data, size_t len);
static int seal(struct credssp_ctx *sender, const struct credssp_buf *prev,
                const uint8_t *data, size_t size, struct credssp_buf *out,
                unsigned int selector);

static int
write_file(const char *dir, const char *name, const char *text, char *path,
           size_t size)
{
    FILE *f;
    int ok;

    if ((size_t)snprintf(path, size, "%s/%s", dir, name) >= size) {
        return -1;
    }
    f = fopen(path, "w");
    if (f == NULL) {
        return -1;
    }
    ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* At exit: remove the files setup() wrote. */
static void
cleanup(void)
{
    (void)unlink(fx.users);
    (void)unlink(fx.acceptor);
    (void)rmdir(fx.dir);
}

/* The initiator's credential: the target's own NTLM account, or, to dump
 * seeds of a Kerberos exchange inside a test realm, the user named by
 * CREDSSP_FUZZ_USER with the password in CREDSSP_FUZZ_PASSWORD_FILE. */
static int
acquire_initiator(const char *config, gss_cred_id_t *cred)
{
    gss_key_value_element_desc el[4] = {
        { GSS_CREDSSP_STORE_USERNAME, FUZZ_DOMAIN "\\" FUZZ_USER },
        { GSS_CREDSSP_STORE_PASSWORD, FUZZ_PASSWORD },
        { GSS_CREDSSP_STORE_INNER, "ntlmssp" },
        { GSS_CREDSSP_STORE_WIRE, "raw" },
    };
    gss_key_value_set_desc store = { 4, el };
    const char *user = getenv("CREDSSP_FUZZ_USER");
    const char *file = getenv("CREDSSP_FUZZ_PASSWORD_FILE");
    char password[256] = "";
    OM_uint32 minor, major;
    FILE *f;

    if (user != NULL && file != NULL) {
        f = fopen(file, "r");
        if (f == NULL || fgets(password, sizeof(password), f) == NULL) {
            if (f != NULL) {
                fclose(f);
            }
            return -1;
        }
        fclose(f);
        password[strcspn(password, "\r\n")] = '\0';
        el[0].value = user;
        el[1].value = password;
        el[2].value = "auto";
    }
    if (setenv("CREDSSP_CONFIG", config, 1) != 0) {
        return -1;
    }
    major = credssp_acquire_cred_from(&minor, GSS_C_NO_NAME,
                                      GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                                      GSS_C_INITIATE, &store, cred, NULL,
                                      NULL);
    memset(password, 0, sizeof(password));
    return major == GSS_S_COMPLETE ? 0 : -1;
}

/* Once per process; 0 when everything needed is there. */
static int
setup(void)
{
    static int tried;
    static char target[] = "TERMSRV@localhost";
    char *dir = fx.dir;
    char conf6[256], conf2[256];
    gss_key_value_element_desc wire = { GSS_CREDSSP_STORE_WIRE, "raw" };
    gss_key_value_set_desc store = { 1, &wire };
    gss_buffer_desc name = { sizeof(target) - 1, target };
    OM_uint32 minor;

    if (tried) {
        return fx.ready ? 0 : -1;
    }
    tried = 1;
    if (mkdtemp(dir) == NULL || atexit(cleanup) != 0 ||
        write_file(dir, "users",
                   FUZZ_DOMAIN ":" FUZZ_USER ":" FUZZ_PASSWORD "\n",
                   fx.users, sizeof(fx.users)) != 0 ||
        write_file(dir, "v6.conf", "[credssp]\n max_version = 6\n", conf6,
                   sizeof(conf6)) != 0 ||
        write_file(dir, "v2.conf", "[credssp]\n max_version = 2\n"
                   "[delegation]\n AllowEncryptionOracle = 2\n", conf2,
                   sizeof(conf2)) != 0 ||
        write_file(dir, "acceptor.conf",
                   "[delegation]\n AllowFreshCredentials = TERMSRV/*\n",
                   fx.acceptor, sizeof(fx.acceptor)) != 0 ||
        (getenv("CREDSSP_FUZZ_USER") == NULL &&
         setenv("NTLM_USER_FILE", fx.users, 1) != 0)) {
        return -1;
    }
    if (acquire_initiator(conf6, &fx.icred[0]) != 0 ||
        acquire_initiator(conf2, &fx.icred[1]) != 0 ||
        setenv("CREDSSP_CONFIG", fx.acceptor, 1) != 0 ||
        credssp_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                  GSS_C_NO_OID_SET, GSS_C_ACCEPT, &store,
                                  &fx.acred, NULL, NULL) != GSS_S_COMPLETE ||
        credssp_import_name(&minor, &name, GSS_C_NT_HOSTBASED_SERVICE,
                            &fx.target) != GSS_S_COMPLETE) {
        return -1;
    }
    /* The files were read when the credentials were acquired; the
     * password file is read again by gss-ntlmssp on every accept. */
    (void)unlink(conf6);
    (void)unlink(conf2);
    fx.ready = 1;
    return 0;
}

/* One call of one side; *out gets its output token (maybe empty). */
static OM_uint32
step(struct credssp_ctx **ctx, int initiator, int version2,
     const struct credssp_buf *in, struct credssp_buf *out, int first)
{
    gss_buffer_desc inb = { in != NULL ? in->len : 0,
                            in != NULL ? in->data : NULL };
    gss_buffer_desc outb = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t handle = (gss_ctx_id_t)*ctx;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, minor = 0, tmp;

    if (initiator) {
        major = credssp_init_sec_context(
            &minor, fx.icred[version2], &handle, fx.target, GSS_C_NO_OID,
            GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, 0,
            GSS_C_NO_CHANNEL_BINDINGS, in != NULL ? &inb : GSS_C_NO_BUFFER,
            NULL, &outb, NULL, NULL);
    } else {
        major = credssp_accept_sec_context(
            &minor, &handle, fx.acred, &inb, GSS_C_NO_CHANNEL_BINDINGS, NULL,
            NULL, &outb, NULL, NULL, &deleg);
    }
    FUZZ_CHECK(!GSS_ERROR(major) || minor != 0);
    FUZZ_CHECK(!first || !GSS_ERROR(major) || handle == GSS_C_NO_CONTEXT);
    *ctx = (struct credssp_ctx *)handle;
    if (outb.length > 0 && credssp_buf_dup(out, outb.value, outb.length) != 0) {
        major = GSS_S_FAILURE;
    }
    (void)gss_release_buffer(&tmp, &outb);
    (void)credssp_release_cred(&tmp, &deleg);
    return major;
}

/* With CREDSSP_FUZZ_DUMP=DIR, write a genuine token (or plaintext) with
 * the selector byte that substitutes it: how the seed corpus was made. */
static void
dump(unsigned int selector, const void *data, size_t len)
{
    const char *dir = getenv("CREDSSP_FUZZ_DUMP");
    char path[512];
    FILE *f;

    if (dir == NULL || len == 0 ||
        (size_t)snprintf(path, sizeof(path), "%s/%s-v%u-token%u.bin", dir,
                         (selector & 0x20) != 0 ? "raw" : "sealed",
                         (selector & 0x10) != 0 ? 2u : 6u,
                         selector & 0x0f) >= sizeof(path) ||
        (f = fopen(path, "wb")) == NULL) {
        return;
    }
    (void)fputc((int)selector, f);
    (void)fwrite(data, 1, len, f);
    (void)fclose(f);
}

/* Token N made of the input and sealed by the side that would have sent
 * it: that side's TLS session reads token N-1 (finishing its handshake if
 * it was still running), then seals the input as application data; its
 * state machine is bypassed, so the sequence numbers the receiver
 * expects are the right ones.  0, or -1 when the session cannot seal
 * (the token is then the input's raw bytes). */
static int
seal(struct credssp_ctx *sender, const struct credssp_buf *prev,
     const uint8_t *data, size_t size, struct credssp_buf *out,
     unsigned int selector)
{
    struct credssp_buf plain = { NULL, 0 };
    int ret = -1;

    if (sender == NULL || sender->tls == NULL ||
        credssp_tls_feed(sender->tls, prev->data, prev->len) != 0 ||
        credssp_tls_handshake(sender->tls) != 0 ||
        credssp_tls_decrypt(sender->tls, &plain) != 0 ||
        credssp_tls_encrypt(sender->tls, data, size) != 0 ||
        credssp_tls_take_output(sender->tls, out) != 0) {
        goto done;
    }
    dump(selector, plain.data, plain.len);
    ret = 0;

done:
    credssp_buf_wipe_free(&plain);
    return ret;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct credssp_ctx *side[2] = { NULL, NULL }; /* initiator, acceptor */
    struct credssp_buf token = { NULL, 0 }, next = { NULL, 0 };
    OM_uint32 major[2] = { GSS_S_CONTINUE_NEEDED, GSS_S_CONTINUE_NEEDED };
    unsigned int n, version2, raw, k;
    OM_uint32 minor;

    if (size < 1 || size > FUZZ_MAX_INPUT || setup() != 0) {
        return 0;
    }
    n = data[0] & 0x0f;
    version2 = (data[0] >> 4) & 1;
    raw = (data[0] >> 5) & 1;
    data++;
    size--;

    /* Token k goes from side k % 2 (0: initiator) to the other side. */
    for (k = 0; k < MAX_TOKENS; k++) {
        unsigned int from = k % 2, to = 1 - from;

        if (k == 0 && n == 0) {
            if (credssp_buf_dup(&token, data, size) != 0) {
                break;
            }
        } else if (k == 0) {
            major[0] = step(&side[0], 1, version2, NULL, &token, 1);
            if (GSS_ERROR(major[0])) {
                break;
            }
        }
        if (token.len == 0) {
            break;
        }
        if (k != n) {
            dump(k | (version2 << 4) | 0x20, token.data, token.len);
        }
        if (k + 1 == n && !raw) {
            /* The plaintext of token k, in the dump, substitutes it. */
            int sealed = seal(side[to], &token, data, size, &next,
                              k | (version2 << 4));

            credssp_buf_free(&token);
            if (sealed != 0) {
                credssp_buf_free(&next);
                if (credssp_buf_dup(&next, data, size) != 0) {
                    break;
                }
            }
        } else {
            major[to] = step(&side[to], to == 0, version2, &token, &next,
                             side[to] == NULL);
            credssp_buf_free(&token);
            if (k + 1 == n) {
                credssp_buf_free(&next);
                if (credssp_buf_dup(&next, data, size) != 0) {
                    break;
                }
            }
        }
        token = next;
        next.data = NULL;
        next.len = 0;
        if (GSS_ERROR(major[to]) ||
            (major[0] == GSS_S_COMPLETE && major[1] == GSS_S_COMPLETE)) {
            break;
        }
    }
    FUZZ_CHECK(k < MAX_TOKENS);

    credssp_buf_free(&token);
    credssp_buf_free(&next);
    for (k = 0; k < 2; k++) {
        gss_ctx_id_t handle = (gss_ctx_id_t)side[k];

        (void)credssp_delete_sec_context(&minor, &handle, GSS_C_NO_BUFFER);
    }
    return 0;
}
