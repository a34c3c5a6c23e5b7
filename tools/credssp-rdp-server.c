/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * credssp-rdp-server(1): an RDP Network Level Authentication endpoint.  It
 * answers the X.224 Connection Request selecting HYBRID_EX when offered
 * (else HYBRID), runs CredSSP with gss_accept_sec_context on the
 * gss-credssp mechanism in raw wire mode, reports who authenticated and
 * what was delegated (never a secret), sends the Early User Authorization
 * Result for HYBRID_EX and closes the connection: it is not a desktop.
 * Built on the public GSS-API and <gssapi/gssapi_credssp.h> only.
 *
 * With --once it serves one connection and exits 0 when NLA succeeded, 1
 * when the client's credentials were refused, 2 on any other error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "include/gssapi/gssapi_credssp.h"
#include "tools/rdp-wire.h"

#define PROGRAM "credssp-rdp-server"
#define DEFAULT_TIMEOUT 10
#define MAX_LEGS 32
/* How long a closing connection may still deliver bytes we drop. */
#define DRAIN_MS 1000

struct options {
    const char *listen;
    const char *port;
    const char *certificate;
    const char *key;
    const char *keytab;
    int once;
    int timeout_ms;
};

static void usage(FILE *f);
static int parse_options(int argc, char **argv, struct options *o);
static int acquire(const struct options *o, gss_cred_id_t *cred);
static int refusal(OM_uint32 minor);
static int run_credssp(struct rdp_conn *conn, gss_cred_id_t cred,
                       gss_ctx_id_t *ctx, gss_name_t *client,
                       gss_cred_id_t *deleg);
static int send_authorization(struct rdp_conn *conn, gss_ctx_id_t ctx);
static void finish(struct rdp_conn *conn);
static int serve(struct rdp_conn *conn, gss_cred_id_t cred);

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: " PROGRAM " [--listen ADDRESS] [--port N] [--once]\n"
            "         [--certificate FILE --key FILE] [--keytab FILE] "
            "[--timeout SECONDS]\n"
            "\n"
            "An RDP Network Level Authentication (CredSSP) endpoint: "
            "authenticates each\n"
            "client, prints who it was and what it delegated, and closes "
            "the connection.\n"
            "Listens on 127.0.0.1 port 3389 unless told otherwise (port 0: "
            "any free\n"
            "port; the \"listening:\" line names it).  With --once: exit 0 "
            "when NLA\n"
            "succeeded, 1 when the credentials were refused, 2 on other "
            "errors.\n");
}

static int
parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {
        { "listen", required_argument, NULL, 'l' },
        { "port", required_argument, NULL, 'p' },
        { "once", no_argument, NULL, 'o' },
        { "certificate", required_argument, NULL, 'c' },
        { "key", required_argument, NULL, 'k' },
        { "keytab", required_argument, NULL, 'K' },
        { "timeout", required_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    memset(o, 0, sizeof(*o));
    o->listen = "127.0.0.1";
    o->port = "3389";
    o->timeout_ms = DEFAULT_TIMEOUT * 1000;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'l':
            o->listen = optarg;
            break;
        case 'p':
            o->port = optarg;
            break;
        case 'o':
            o->once = 1;
            break;
        case 'c':
            o->certificate = optarg;
            break;
        case 'k':
            o->key = optarg;
            break;
        case 'K':
            o->keytab = optarg;
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
    if (optind != argc) {
        usage(stderr);
        return -1;
    }
    if ((o->certificate == NULL) != (o->key == NULL)) {
        rdp_error("--certificate and --key go together");
        return -1;
    }
    return 0;
}

/* The acceptor credential: raw wire, the certificate if given. */
static int
acquire(const struct options *o, gss_cred_id_t *cred)
{
    gss_OID_set_desc mechs = { 1, GSS_CREDSSP_MECH_OID };
    gss_key_value_element_desc el[3];
    gss_key_value_set_desc store = { 0, el };
    OM_uint32 major, minor;
    char text[512];

    if (o->keytab != NULL && setenv("KRB5_KTNAME", o->keytab, 1) != 0) {
        rdp_error("setenv: %s", strerror(errno));
        return -1;
    }
    el[store.count].key = GSS_CREDSSP_STORE_WIRE;
    el[store.count++].value = "raw";
    if (o->certificate != NULL) {
        el[store.count].key = GSS_CREDSSP_STORE_CERTIFICATE;
        el[store.count++].value = o->certificate;
        el[store.count].key = GSS_CREDSSP_STORE_KEY;
        el[store.count++].value = o->key;
    }
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                  &mechs, GSS_C_ACCEPT, &store, cred, NULL,
                                  NULL);
    if (GSS_ERROR(major)) {
        rdp_error("cannot acquire the acceptor credential: %s",
                  rdp_status_text(major, minor, text, sizeof(text)));
        return -1;
    }
    return 0;
}

/* Minor codes that mean "the client's credentials were refused". */
static int
refusal(OM_uint32 minor)
{
    switch (minor) {
    case CREDSSP_ERR_INNER_AUTH:
    case CREDSSP_ERR_DELEGATED_USER_MISMATCH:
    case CREDSSP_ERR_CB_REQUIRED:
    case CREDSSP_ERR_CB_MISMATCH:
    case CREDSSP_ERR_SERVICE_NAME:
    case CREDSSP_ERR_SERVICE_NAME_REQUIRED:
        return 1;
    default:
        return minor >= CREDSSP_ERR_NT_LOGON_FAILURE &&
               minor <= CREDSSP_ERR_NT_OTHER;
    }
}

/* The CredSSP exchange: 0, or an exit code.  The first bytes read are
 * framed for the mechglue; the rest go as they come. */
static int
run_credssp(struct rdp_conn *conn, gss_cred_id_t cred, gss_ctx_id_t *ctx,
            gss_name_t *client, gss_cred_id_t *deleg)
{
    static uint8_t buf[65536];
    gss_buffer_desc in, framed = GSS_C_EMPTY_BUFFER, out;
    OM_uint32 major, minor, tmp;
    char text[1024];
    int legs;
    long n;

    for (legs = 0; legs < MAX_LEGS; legs++) {
        n = rdp_read_some(conn, buf, sizeof(buf));
        if (n < 0) {
            return RDP_EXIT_ERROR;
        }
        if (n == 0) {
            rdp_error("the client closed the connection during CredSSP");
            return RDP_EXIT_ERROR;
        }
        in.value = buf;
        in.length = (size_t)n;
        if (legs == 0) {
            if (gss_credssp_frame_first_token(&minor, &in, &framed) !=
                GSS_S_COMPLETE) {
                rdp_error("out of memory");
                return RDP_EXIT_ERROR;
            }
            in = framed;
        }
        out.length = 0;
        out.value = NULL;
        major = gss_accept_sec_context(&minor, ctx, cred, &in,
                                       GSS_C_NO_CHANNEL_BINDINGS, client,
                                       NULL, &out, NULL, NULL, deleg);
        (void)gss_release_buffer(&tmp, &framed);
        if (out.length > 0 && rdp_write(conn, out.value, out.length) != 0) {
            (void)gss_release_buffer(&tmp, &out);
            return RDP_EXIT_ERROR;
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
    }
    rdp_error("CredSSP took more than %d tokens", MAX_LEGS);
    return RDP_EXIT_ERROR;
}

/* HYBRID_EX: the Early User Authorization Result, success. */
static int
send_authorization(struct rdp_conn *conn, gss_ctx_id_t ctx)
{
    uint8_t result[4] = { 0, 0, 0, 0 }; /* RDP_AUTHZ_SUCCESS, LE */
    gss_buffer_desc in = { sizeof(result), result }, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, tmp;
    char text[512];
    int ret;

    major = gss_wrap(&minor, ctx, 1, GSS_C_QOP_DEFAULT, &in, NULL, &out);
    if (GSS_ERROR(major)) {
        rdp_error("Early User Authorization Result: %s",
                  rdp_status_text(major, minor, text, sizeof(text)));
        return -1;
    }
    ret = rdp_write(conn, out.value, out.length);
    (void)gss_release_buffer(&tmp, &out);
    return ret;
}

/* Close our half, let the peer see it, drop what it still sends. */
static void
finish(struct rdp_conn *conn)
{
    static uint8_t sink[4096];
    int saved = conn->timeout_ms, i;

    (void)shutdown(conn->fd, SHUT_WR);
    conn->timeout_ms = DRAIN_MS;
    for (i = 0; i < 64; i++) {
        if (rdp_read_some(conn, sink, sizeof(sink)) <= 0) {
            break;
        }
    }
    conn->timeout_ms = saved;
    rdp_close(conn);
}

/* One connection: an exit code. */
static int
serve(struct rdp_conn *conn, gss_cred_id_t cred)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_name_t client = GSS_C_NO_NAME;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    gss_buffer_desc name = GSS_C_EMPTY_BUFFER;
    uint32_t requested, selected;
    OM_uint32 minor;
    char pbuf[16];
    int ret = RDP_EXIT_ERROR;

    if (rdp_read_request(conn, &requested) != 0) {
        goto done;
    }
    if ((requested & RDP_PROTOCOL_HYBRID_EX) != 0) {
        selected = RDP_PROTOCOL_HYBRID_EX;
    } else if ((requested & RDP_PROTOCOL_HYBRID) != 0) {
        selected = RDP_PROTOCOL_HYBRID;
    } else {
        (void)rdp_send_confirm(conn, 0, RDP_FAILURE_HYBRID_REQUIRED);
        rdp_error("the client does not offer Network Level Authentication "
                  "(requested protocols 0x%08x)",
                  requested);
        goto done;
    }
    if (rdp_send_confirm(conn, selected, 0) != 0) {
        goto done;
    }
    printf("protocol: %s\n", rdp_protocol_name(selected, pbuf, sizeof(pbuf)));
    ret = run_credssp(conn, cred, &ctx, &client, &deleg);
    if (ret != 0) {
        goto done;
    }
    if (client != GSS_C_NO_NAME &&
        !GSS_ERROR(gss_display_name(&minor, client, &name, NULL))) {
        printf("client: %.*s\n", (int)name.length, (const char *)name.value);
        (void)gss_release_buffer(&minor, &name);
    }
    rdp_print_context(ctx, 0);
    printf("delegated: %s\n", rdp_delegated_type(ctx));
    if (selected == RDP_PROTOCOL_HYBRID_EX &&
        send_authorization(conn, ctx) != 0) {
        ret = RDP_EXIT_ERROR;
        goto done;
    }
    printf("result: ok\n");

done:
    if (conn->fd >= 0) {
        finish(conn);
    }
    (void)gss_release_cred(&minor, &deleg);
    (void)gss_release_name(&minor, &client);
    (void)gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
    return ret;
}

int
main(int argc, char **argv)
{
    struct options o;
    struct rdp_conn conn = { -1, 0 };
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;
    int listener, ret = RDP_EXIT_ERROR;
    unsigned int port = 0;

    rdp_program = PROGRAM;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (parse_options(argc, argv, &o) != 0 || acquire(&o, &cred) != 0) {
        (void)gss_release_cred(&minor, &cred);
        return RDP_EXIT_ERROR;
    }
    listener = rdp_listen(o.listen, o.port, &port);
    if (listener < 0) {
        (void)gss_release_cred(&minor, &cred);
        return RDP_EXIT_ERROR;
    }
    printf("listening: %s port %u\n", o.listen, port);
    for (;;) {
        if (rdp_accept(listener, -1, &conn) != 0) {
            if (o.once) {
                break;
            }
            continue;
        }
        conn.timeout_ms = o.timeout_ms;
        ret = serve(&conn, cred);
        if (o.once) {
            break;
        }
    }
    close(listener);
    (void)gss_release_cred(&minor, &cred);
    return ret;
}
