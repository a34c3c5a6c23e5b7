/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * credssp-rdp-check(1): Network Level Authentication against an RDP
 * server, and nothing else.  X.224 negotiation asking for
 * PROTOCOL_HYBRID and HYBRID_EX, then CredSSP over the raw TCP stream with
 * gss_init_sec_context on the gss-credssp mechanism in raw wire mode,
 * then, for HYBRID_EX, the Early User Authorization Result.  Built on the
 * public GSS-API and <gssapi/gssapi_credssp.h> only: the mechanism is
 * whatever the mechglue loads (/etc/gss/mech.d or GSS_MECH_CONFIG).
 *
 * Exit codes: 0 NLA succeeded, 1 the credentials were refused (by the
 * server, or by the KDC for a Kerberos password), 2 anything else.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "include/gssapi/gssapi_credssp.h"
#include "tools/rdp-wire.h"

#define PROGRAM "credssp-rdp-check"
#define DEFAULT_PORT "3389"
#define DEFAULT_TIMEOUT 10
/* More tokens than any CredSSP exchange takes: a peer looping. */
#define MAX_LEGS 32
/* Records read before the Early User Authorization Result at most. */
#define MAX_EUAR_RECORDS 16
#define PASSWORD_MAX 1024

struct options {
    const char *host;
    const char *port;
    const char *user;
    const char *password_file;
    const char *inner;
    const char *target;
    int delegate;
    int timeout_ms;
};

static void usage(FILE *f);
static int parse_options(int argc, char **argv, struct options *o);
static int read_password(const char *path, char *buf, size_t size);
static int acquire(const struct options *o, gss_cred_id_t *cred);
static int import_target(const struct options *o, gss_name_t *name);
static int refusal(OM_uint32 minor);
static int run_credssp(struct rdp_conn *conn, const struct options *o,
                       gss_cred_id_t cred, gss_name_t target,
                       gss_ctx_id_t *ctx);
static int read_authorization(struct rdp_conn *conn, gss_ctx_id_t ctx);

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: " PROGRAM " [--port N] [--user DOMAIN\\\\USER "
            "--password-file FILE]\n"
            "         [--delegate] [--inner auto|spnego|krb5|ntlmssp] "
            "[--target SPN]\n"
            "         [--timeout SECONDS] HOST\n"
            "\n"
            "Network Level Authentication (CredSSP) against the RDP server "
            "HOST.\n"
            "Without --user the default credentials are used (a Kerberos "
            "ticket cache).\n"
            "The target is TERMSRV@HOST unless --target names another "
            "(service/host,\n"
            "service@host, or a host name).  Exit 0: NLA succeeded; 1: the "
            "credentials\n"
            "were refused; 2: any other error.\n");
}

static int
parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {
        { "port", required_argument, NULL, 'p' },
        { "user", required_argument, NULL, 'u' },
        { "password-file", required_argument, NULL, 'P' },
        { "delegate", no_argument, NULL, 'd' },
        { "inner", required_argument, NULL, 'i' },
        { "target", required_argument, NULL, 't' },
        { "host", required_argument, NULL, 'H' },
        { "timeout", required_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    memset(o, 0, sizeof(*o));
    o->port = DEFAULT_PORT;
    o->inner = "auto";
    o->timeout_ms = DEFAULT_TIMEOUT * 1000;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'p':
            o->port = optarg;
            break;
        case 'u':
            o->user = optarg;
            break;
        case 'P':
            o->password_file = optarg;
            break;
        case 'd':
            o->delegate = 1;
            break;
        case 'i':
            if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "spnego") != 0 &&
                strcmp(optarg, "krb5") != 0 && strcmp(optarg, "ntlmssp") != 0) {
                rdp_error("--inner takes auto, spnego, krb5 or ntlmssp");
                return -1;
            }
            o->inner = optarg;
            break;
        case 't':
            o->target = optarg;
            break;
        case 'H':
            o->host = optarg;
            break;
        case 'T':
            if (rdp_parse_timeout(optarg, &o->timeout_ms) != 0) {
                return -1;
            }
            break;
        case 'h':
            usage(stdout);
            exit(RDP_EXIT_OK);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (optind < argc && o->host == NULL) {
        o->host = argv[optind++];
    }
    if (optind != argc || o->host == NULL) {
        usage(stderr);
        return -1;
    }
    if ((o->user == NULL) != (o->password_file == NULL)) {
        rdp_error("--user and --password-file go together");
        return -1;
    }
    return 0;
}

/* The first line of path into buf, without its line end. */
static int
read_password(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t len;

    if (f == NULL) {
        rdp_error("%s: %s", path, strerror(errno));
        return -1;
    }
    if (fgets(buf, (int)size, f) == NULL) {
        buf[0] = '\0';
    }
    fclose(f);
    len = strcspn(buf, "\r\n");
    if (len == size - 1) {
        explicit_bzero(buf, size);
        rdp_error("%s: the password is too long", path);
        return -1;
    }
    buf[len] = '\0';
    return 0;
}

/* The initiator credential: raw wire, the inner choice, and the user's
 * password when one is given.  0, or an exit code. */
static int
acquire(const struct options *o, gss_cred_id_t *cred)
{
    gss_OID_set_desc mechs = { 1, GSS_CREDSSP_MECH_OID };
    gss_key_value_element_desc el[4];
    gss_key_value_set_desc store = { 0, el };
    char password[PASSWORD_MAX], text[512];
    OM_uint32 major, minor;

    el[store.count].key = GSS_CREDSSP_STORE_WIRE;
    el[store.count++].value = "raw";
    el[store.count].key = GSS_CREDSSP_STORE_INNER;
    el[store.count++].value = o->inner;
    if (o->user != NULL) {
        if (read_password(o->password_file, password, sizeof(password)) !=
            0) {
            return RDP_EXIT_ERROR;
        }
        el[store.count].key = GSS_CREDSSP_STORE_USERNAME;
        el[store.count++].value = o->user;
        el[store.count].key = GSS_CREDSSP_STORE_PASSWORD;
        el[store.count++].value = password;
    }
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                  &mechs, GSS_C_INITIATE, &store, cred, NULL,
                                  NULL);
    explicit_bzero(password, sizeof(password));
    if (GSS_ERROR(major)) {
        rdp_error("cannot acquire credentials: %s",
                  rdp_status_text(major, minor, text, sizeof(text)));
        return refusal(minor) ? RDP_EXIT_REFUSED : RDP_EXIT_ERROR;
    }
    return 0;
}

/* TERMSRV@HOST, or --target: "service/host", "service@host" or a host. */
static int
import_target(const struct options *o, gss_name_t *name)
{
    const char *t = o->target != NULL ? o->target : o->host;
    char text[512], status[512];
    gss_buffer_desc buf;
    OM_uint32 major, minor;
    int n;

    if (strchr(t, '/') != NULL) {
        n = snprintf(text, sizeof(text), "%s", t);
        if (n > 0 && (size_t)n < sizeof(text)) {
            *strchr(text, '/') = '@';
        }
    } else if (strchr(t, '@') != NULL) {
        n = snprintf(text, sizeof(text), "%s", t);
    } else {
        n = snprintf(text, sizeof(text), "TERMSRV@%s", t);
    }
    if (n < 0 || (size_t)n >= sizeof(text)) {
        rdp_error("target name too long");
        return -1;
    }
    buf.value = text;
    buf.length = strlen(text);
    major = gss_import_name(&minor, &buf, GSS_C_NT_HOSTBASED_SERVICE, name);
    if (GSS_ERROR(major)) {
        rdp_error("target %s: %s", text,
                  rdp_status_text(major, minor, status, sizeof(status)));
        return -1;
    }
    return 0;
}

/* Minor codes that mean "these credentials were refused": the server's
 * NTSTATUS, a server that closed the channel right after our
 * authentication (FreeRDP 2), a KDC refusing a Kerberos password. */
static int
refusal(OM_uint32 minor)
{
    return (minor >= CREDSSP_ERR_NT_LOGON_FAILURE &&
            minor <= CREDSSP_ERR_NT_OTHER) ||
           minor == CREDSSP_ERR_CLOSED_AFTER_AUTH ||
           minor == CREDSSP_ERR_PASSWORD_REFUSED;
}

/* The CredSSP exchange over the stream: 0, or an exit code. */
static int
run_credssp(struct rdp_conn *conn, const struct options *o,
            gss_cred_id_t cred, gss_name_t target, gss_ctx_id_t *ctx)
{
    static uint8_t buf[65536];
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out;
    OM_uint32 major, minor, tmp, flags;
    int legs, sent = 0, ret = RDP_EXIT_ERROR;
    char text[1024];
    long n;

    flags = GSS_C_MUTUAL_FLAG | (o->delegate ? GSS_C_DELEG_FLAG : 0);
    for (legs = 0; legs < MAX_LEGS; legs++) {
        out.length = 0;
        out.value = NULL;
        major = gss_init_sec_context(
            &minor, cred, ctx, target, GSS_CREDSSP_MECH_OID, flags, 0,
            GSS_C_NO_CHANNEL_BINDINGS, legs == 0 ? GSS_C_NO_BUFFER : &in,
            NULL, &out, NULL, NULL);
        if (out.length > 0) {
            if (rdp_write(conn, out.value, out.length) != 0) {
                (void)gss_release_buffer(&tmp, &out);
                return RDP_EXIT_ERROR;
            }
            sent++;
        }
        (void)gss_release_buffer(&tmp, &out);
        if (GSS_ERROR(major)) {
            rdp_status_text(major, minor, text, sizeof(text));
            if (refusal(minor)) {
                printf("result: refused: %s\n", text);
                return RDP_EXIT_REFUSED;
            }
            rdp_error("CredSSP failed: %s", text);
            return RDP_EXIT_ERROR;
        }
        if (major == GSS_S_COMPLETE) {
            return 0;
        }
        n = rdp_read_some(conn, buf, sizeof(buf));
        if (n < 0) {
            return RDP_EXIT_ERROR;
        }
        if (n == 0) {
            /* A server that refuses without an errorCode just closes,
             * once it has seen our authentication (the third token on). */
            if (sent >= 3) {
                printf("result: refused: the server closed the connection "
                       "after our authentication\n");
                ret = RDP_EXIT_REFUSED;
            } else {
                rdp_error("the server closed the connection during CredSSP");
            }
            return ret;
        }
        in.value = buf;
        in.length = (size_t)n;
    }
    rdp_error("CredSSP took more than %d tokens", MAX_LEGS);
    return RDP_EXIT_ERROR;
}

/* HYBRID_EX: the 4-byte Early User Authorization Result, in the CredSSP
 * TLS channel.  0, or an exit code. */
static int
read_authorization(struct rdp_conn *conn, gss_ctx_id_t ctx)
{
    static uint8_t rec[RDP_RECORD_MAX];
    gss_buffer_desc in, out;
    OM_uint32 major, minor, tmp, value;
    char text[512];
    long n;
    int i;

    for (i = 0; i < MAX_EUAR_RECORDS; i++) {
        n = rdp_read_record(conn, rec);
        if (n < 0) {
            return RDP_EXIT_ERROR;
        }
        in.value = rec;
        in.length = (size_t)n;
        out.length = 0;
        out.value = NULL;
        major = gss_unwrap(&minor, ctx, &in, &out, NULL, NULL);
        if (GSS_ERROR(major)) {
            rdp_error("Early User Authorization Result: %s",
                      rdp_status_text(major, minor, text, sizeof(text)));
            return RDP_EXIT_ERROR;
        }
        if (out.length == 0) {
            /* A TLS 1.3 session ticket, consumed by the mechanism. */
            (void)gss_release_buffer(&tmp, &out);
            continue;
        }
        if (out.length != 4) {
            (void)gss_release_buffer(&tmp, &out);
            rdp_error("Early User Authorization Result of %zu bytes",
                      (size_t)out.length);
            return RDP_EXIT_ERROR;
        }
        value = (OM_uint32)((const uint8_t *)out.value)[0] |
                (OM_uint32)((const uint8_t *)out.value)[1] << 8 |
                (OM_uint32)((const uint8_t *)out.value)[2] << 16 |
                (OM_uint32)((const uint8_t *)out.value)[3] << 24;
        (void)gss_release_buffer(&tmp, &out);
        if (value == RDP_AUTHZ_SUCCESS) {
            printf("authorization: success\n");
            return 0;
        }
        printf("authorization: %s\n",
               value == RDP_AUTHZ_ACCESS_DENIED ? "access denied"
                                                : "refused");
        printf("result: refused: the server denied access (Early User "
               "Authorization Result 0x%08x)\n",
               value);
        return RDP_EXIT_REFUSED;
    }
    rdp_error("no Early User Authorization Result");
    return RDP_EXIT_ERROR;
}

int
main(int argc, char **argv)
{
    struct options o;
    struct rdp_conn conn = { -1, 0 };
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_name_t target = GSS_C_NO_NAME;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    uint32_t selected, failure;
    char pbuf[16];
    OM_uint32 minor;
    int ret = RDP_EXIT_ERROR, rc;

    rdp_program = PROGRAM;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (parse_options(argc, argv, &o) != 0) {
        return RDP_EXIT_ERROR;
    }
    ret = acquire(&o, &cred);
    if (ret != 0) {
        goto done;
    }
    ret = RDP_EXIT_ERROR;
    if (import_target(&o, &target) != 0 ||
        rdp_connect(o.host, o.port, o.timeout_ms, &conn) != 0 ||
        rdp_send_request(&conn, RDP_PROTOCOL_HYBRID |
                                    RDP_PROTOCOL_HYBRID_EX) != 0) {
        goto done;
    }
    rc = rdp_read_confirm(&conn, &selected, &failure);
    if (rc < 0) {
        goto done;
    }
    if (rc == 1) {
        rdp_error("the server refused the negotiation (failure code %u)",
                  failure);
        goto done;
    }
    if (selected != RDP_PROTOCOL_HYBRID && selected != RDP_PROTOCOL_HYBRID_EX) {
        rdp_error("the server selected %s: no Network Level Authentication",
                  rdp_protocol_name(selected, pbuf, sizeof(pbuf)));
        goto done;
    }
    printf("protocol: %s\n", rdp_protocol_name(selected, pbuf, sizeof(pbuf)));
    ret = run_credssp(&conn, &o, cred, target, &ctx);
    if (ctx != GSS_C_NO_CONTEXT && ret != RDP_EXIT_ERROR) {
        rdp_print_context(ctx, 1);
    }
    if (ret == 0 && selected == RDP_PROTOCOL_HYBRID_EX) {
        ret = read_authorization(&conn, ctx);
    }
    if (ret == 0) {
        printf("result: ok\n");
    }

done:
    rdp_close(&conn);
    (void)gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
    (void)gss_release_name(&minor, &target);
    (void)gss_release_cred(&minor, &cred);
    return ret;
}
