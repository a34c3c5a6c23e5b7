/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * TCP with deadlines, X.224 negotiation and TLS record framing for the RDP
 * tools (rdp-wire.h).  Every wait on a socket is a poll() bounded by the
 * connection's timeout; every length read from the peer is checked before
 * it is used.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "include/gssapi/gssapi_credssp.h"
#include "tools/rdp-wire.h"

/* TPKT version 3 (RFC 1006); X.224 TPDU codes (ITU-T X.224 13.3-13.4). */
#define TPKT_VERSION 0x03
#define X224_CR 0xe0
#define X224_CC 0xd0
/* The fixed part of a CR/CC TPDU after its length indicator. */
#define X224_FIXED 6
/* RDP_NEG_REQ / RSP / FAILURE: type, flags, length 8 (LE), a uint32. */
#define NEG_REQ 0x01
#define NEG_RSP 0x02
#define NEG_FAILURE 0x03
#define NEG_LEN 8

const char *rdp_program = "credssp-rdp";

static int wait_fd(struct rdp_conn *conn, short events);
static void put_le32(uint8_t *p, uint32_t v);
static uint32_t get_le32(const uint8_t *p);
static int send_tpdu(struct rdp_conn *conn, uint8_t code, const uint8_t *neg);
static long read_tpdu(struct rdp_conn *conn, uint8_t code, uint8_t *buf,
                      const uint8_t **var, size_t *var_len);
static int inquire(gss_ctx_id_t ctx, char *oid_bytes,
                   gss_buffer_set_t *set);

void
rdp_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: error: ", rdp_program);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int
rdp_parse_timeout(const char *text, int *ms)
{
    char *end;
    long v = strtol(text, &end, 10);

    if (*text == '\0' || *end != '\0' || v < 1 || v > 3600) {
        rdp_error("--timeout takes 1 to 3600 seconds");
        return -1;
    }
    *ms = (int)v * 1000;
    return 0;
}

/* ------------------------------------------------------------------ */
/* TCP                                                                 */
/* ------------------------------------------------------------------ */

/* 0 when the socket is ready for events, -1 after rdp_error. */
static int
wait_fd(struct rdp_conn *conn, short events)
{
    struct pollfd p = { conn->fd, events, 0 };
    int n;

    do {
        n = poll(&p, 1, conn->timeout_ms);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        rdp_error("poll: %s", strerror(errno));
        return -1;
    }
    if (n == 0) {
        rdp_error("no answer from the peer within %d ms",
                  conn->timeout_ms);
        return -1;
    }
    return 0;
}

int
rdp_connect(const char *host, const char *port, int timeout_ms,
            struct rdp_conn *conn)
{
    struct addrinfo hints, *res = NULL, *ai;
    int rc, fd = -1, err = 0;
    socklen_t len = sizeof(err);

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        rdp_error("%s port %s: %s", host, port, gai_strerror(rc));
        return -1;
    }
    conn->timeout_ms = timeout_ms;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
                                       SOCK_NONBLOCK,
                    ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        conn->fd = fd;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
            (errno == EINPROGRESS && wait_fd(conn, POLLOUT) == 0 &&
             getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
             err == 0)) {
            break;
        }
        if (err == 0) {
            err = errno;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        rdp_error("cannot connect to %s port %s: %s", host, port,
                  strerror(err != 0 ? err : ECONNREFUSED));
        return -1;
    }
    conn->fd = fd;
    return 0;
}

int
rdp_listen(const char *addr, const char *port, unsigned int *bound)
{
    struct addrinfo hints, *res = NULL;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int rc, fd, one = 1;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    rc = getaddrinfo(addr, port, &hints, &res);
    if (rc != 0) {
        rdp_error("%s port %s: %s", addr, port, gai_strerror(rc));
        return -1;
    }
    fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC,
                res->ai_protocol);
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 8) != 0) {
        rdp_error("cannot listen on %s port %s: %s", addr, port,
                  strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd >= 0 && getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        *bound = ntohs(ss.ss_family == AF_INET6
                           ? ((struct sockaddr_in6 *)&ss)->sin6_port
                           : ((struct sockaddr_in *)&ss)->sin_port);
    }
    return fd;
}

int
rdp_accept(int listener, int timeout_ms, struct rdp_conn *conn)
{
    struct pollfd p = { listener, POLLIN, 0 };
    int n, fd;

    do {
        n = poll(&p, 1, timeout_ms);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        rdp_error("no connection within %d ms", timeout_ms);
        return -1;
    }
    fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
        rdp_error("accept: %s", strerror(errno));
        return -1;
    }
    conn->fd = fd;
    return 0;
}

void
rdp_close(struct rdp_conn *conn)
{
    if (conn->fd >= 0) {
        close(conn->fd);
        conn->fd = -1;
    }
}

int
rdp_write(struct rdp_conn *conn, const void *data, size_t len)
{
    const uint8_t *p = data;
    ssize_t n;

    while (len > 0) {
        n = send(conn->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_fd(conn, POLLOUT) != 0) {
                return -1;
            }
            continue;
        }
        if (n < 0) {
            rdp_error("send: %s", strerror(errno));
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

long
rdp_read_some(struct rdp_conn *conn, void *buf, size_t max)
{
    ssize_t n;

    for (;;) {
        if (wait_fd(conn, POLLIN) != 0) {
            return -1;
        }
        n = recv(conn->fd, buf, max, 0);
        if (n >= 0) {
            return (long)n;
        }
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            rdp_error("recv: %s", strerror(errno));
            return -1;
        }
    }
}

int
rdp_read_exact(struct rdp_conn *conn, void *buf, size_t len)
{
    uint8_t *p = buf;
    long n;

    while (len > 0) {
        n = rdp_read_some(conn, p, len);
        if (n < 0) {
            return -1;
        }
        if (n == 0) {
            rdp_error("the peer closed the connection");
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

long
rdp_read_record(struct rdp_conn *conn, uint8_t *buf)
{
    size_t len;

    if (rdp_read_exact(conn, buf, 5) != 0) {
        return -1;
    }
    len = (size_t)buf[3] << 8 | buf[4];
    if (buf[0] < 20 || buf[0] > 24 || buf[1] != 3 || 5 + len > RDP_RECORD_MAX) {
        rdp_error("not a TLS record from the peer");
        return -1;
    }
    if (rdp_read_exact(conn, buf + 5, len) != 0) {
        return -1;
    }
    return (long)(5 + len);
}

/* ------------------------------------------------------------------ */
/* X.224                                                               */
/* ------------------------------------------------------------------ */

static void
put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t
get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* TPKT + X.224 TPDU code with no references, class 0, and the 8-byte
 * negotiation structure neg. */
static int
send_tpdu(struct rdp_conn *conn, uint8_t code, const uint8_t *neg)
{
    uint8_t pdu[4 + 1 + X224_FIXED + NEG_LEN];

    memset(pdu, 0, sizeof(pdu));
    pdu[0] = TPKT_VERSION;
    pdu[3] = (uint8_t)sizeof(pdu);
    pdu[4] = X224_FIXED + NEG_LEN;
    pdu[5] = code;
    memcpy(pdu + 4 + 1 + X224_FIXED, neg, NEG_LEN);
    return rdp_write(conn, pdu, sizeof(pdu));
}

/* One TPKT holding an X.224 TPDU of code into buf (RDP_TPKT_MAX): *var is
 * its variable part.  Its length, or -1 after rdp_error. */
static long
read_tpdu(struct rdp_conn *conn, uint8_t code, uint8_t *buf,
          const uint8_t **var, size_t *var_len)
{
    size_t len;

    if (rdp_read_exact(conn, buf, 4) != 0) {
        return -1;
    }
    len = (size_t)buf[2] << 8 | buf[3];
    if (buf[0] != TPKT_VERSION || len < 4 + 1 + X224_FIXED ||
        len > RDP_TPKT_MAX) {
        rdp_error("not an X.224 connection packet (TPKT %02x, length %zu)",
                  buf[0], len);
        return -1;
    }
    if (rdp_read_exact(conn, buf + 4, len - 4) != 0) {
        return -1;
    }
    if ((buf[5] & 0xf0) != code || buf[4] < X224_FIXED ||
        (size_t)buf[4] + 5 > len) {
        rdp_error("unexpected X.224 TPDU (code %02x, indicator %u)", buf[5],
                  buf[4]);
        return -1;
    }
    *var = buf + 5 + X224_FIXED;
    *var_len = (size_t)buf[4] - X224_FIXED;
    return (long)len;
}

int
rdp_send_request(struct rdp_conn *conn, uint32_t protocols)
{
    uint8_t neg[NEG_LEN] = { NEG_REQ, 0, NEG_LEN, 0 };

    put_le32(neg + 4, protocols);
    return send_tpdu(conn, X224_CR, neg);
}

int
rdp_read_confirm(struct rdp_conn *conn, uint32_t *selected,
                 uint32_t *failure)
{
    uint8_t buf[RDP_TPKT_MAX];
    const uint8_t *var;
    size_t var_len;

    *selected = RDP_PROTOCOL_RDP;
    *failure = 0;
    if (read_tpdu(conn, X224_CC, buf, &var, &var_len) < 0) {
        return -1;
    }
    if (var_len == 0) {
        return 0;
    }
    if (var_len < NEG_LEN || var[2] != NEG_LEN || var[3] != 0 ||
        (var[0] != NEG_RSP && var[0] != NEG_FAILURE)) {
        rdp_error("malformed RDP negotiation response");
        return -1;
    }
    if (var[0] == NEG_FAILURE) {
        *failure = get_le32(var + 4);
        return 1;
    }
    *selected = get_le32(var + 4);
    return 0;
}

int
rdp_read_request(struct rdp_conn *conn, uint32_t *requested)
{
    uint8_t buf[RDP_TPKT_MAX];
    const uint8_t *var, *crlf;
    size_t var_len;

    *requested = 0;
    if (read_tpdu(conn, X224_CR, buf, &var, &var_len) < 0) {
        return -1;
    }
    /* A cookie or routing token ends with CR LF (2.2.1.1). */
    if (var_len > 0 && var[0] != NEG_REQ) {
        crlf = NULL;
        for (size_t i = 0; i + 1 < var_len; i++) {
            if (var[i] == '\r' && var[i + 1] == '\n') {
                crlf = var + i;
                break;
            }
        }
        if (crlf == NULL) {
            rdp_error("malformed X.224 connection request (cookie)");
            return -1;
        }
        var_len -= (size_t)(crlf + 2 - var);
        var = crlf + 2;
    }
    if (var_len >= NEG_LEN && var[0] == NEG_REQ && var[2] == NEG_LEN &&
        var[3] == 0) {
        *requested = get_le32(var + 4);
    }
    return 0;
}

int
rdp_send_confirm(struct rdp_conn *conn, uint32_t selected, uint32_t failure)
{
    uint8_t neg[NEG_LEN] = { NEG_RSP, 0, NEG_LEN, 0 };

    if (failure != 0) {
        neg[0] = NEG_FAILURE;
        put_le32(neg + 4, failure);
    } else {
        put_le32(neg + 4, selected);
    }
    return send_tpdu(conn, X224_CC, neg);
}

const char *
rdp_protocol_name(uint32_t protocol, char *buf, size_t size)
{
    switch (protocol) {
    case RDP_PROTOCOL_HYBRID_EX:
        return "HYBRID_EX";
    case RDP_PROTOCOL_HYBRID:
        return "HYBRID";
    case RDP_PROTOCOL_SSL:
        return "SSL";
    case RDP_PROTOCOL_RDP:
        return "RDP";
    default:
        snprintf(buf, size, "0x%08x", protocol);
        return buf;
    }
}

/* ------------------------------------------------------------------ */
/* GSS                                                                 */
/* ------------------------------------------------------------------ */

const char *
rdp_status_text(OM_uint32 major, OM_uint32 minor, char *buf, size_t size)
{
    gss_buffer_desc text;
    OM_uint32 more, tmp;
    size_t used = 0;
    int round;

    buf[0] = '\0';
    for (round = 0; round < 2; round++) {
        more = 0;
        do {
            text.length = 0;
            text.value = NULL;
            if (GSS_ERROR(gss_display_status(
                    &tmp, round == 0 ? GSS_ROUTINE_ERROR(major) : minor,
                    round == 0 ? GSS_C_GSS_CODE : GSS_C_MECH_CODE,
                    GSS_CREDSSP_MECH_OID, &more, &text))) {
                break;
            }
            if (text.length > 0 && used < size) {
                used += (size_t)snprintf(buf + used, size - used, "%s%.*s",
                                         used > 0 ? "; " : "",
                                         (int)text.length,
                                         (const char *)text.value);
            }
            (void)gss_release_buffer(&tmp, &text);
        } while (more != 0);
        if (round == 0 && minor == 0) {
            break;
        }
    }
    return buf;
}

/* One context inquiry: 0 with a set of at least one buffer, else -1. */
static int
inquire(gss_ctx_id_t ctx, char *oid_bytes, gss_buffer_set_t *set)
{
    gss_OID_desc oid = { GSS_CREDSSP_INQ_CONTEXT_LENGTH, oid_bytes };
    OM_uint32 minor;

    *set = GSS_C_NO_BUFFER_SET;
    if (GSS_ERROR(gss_inquire_sec_context_by_oid(&minor, ctx, &oid, set)) ||
        *set == GSS_C_NO_BUFFER_SET) {
        return -1;
    }
    if ((*set)->count == 0) {
        (void)gss_release_buffer_set(&minor, set);
        return -1;
    }
    return 0;
}

void
rdp_print_context(gss_ctx_id_t ctx, int cert_fingerprint)
{
    static char v_oid[] = GSS_CREDSSP_INQ_VERSION_BYTES;
    static char m_oid[] = GSS_CREDSSP_INQ_INNER_MECH_BYTES;
    static char t_oid[] = GSS_CREDSSP_INQ_TLS_VERSION_BYTES;
    static char c_oid[] = GSS_CREDSSP_INQ_TLS_CIPHER_BYTES;
    static char s_oid[] = GSS_CREDSSP_INQ_SERVER_CERT_BYTES;
    static const uint8_t krb5[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                    0x12, 0x01, 0x02, 0x02 };
    static const uint8_t ntlm[] = { 0x2b, 0x06, 0x01, 0x04, 0x01,
                                    0x82, 0x37, 0x02, 0x02, 0x0a };
    gss_buffer_set_t set, set2;
    gss_buffer_t b;
    uint8_t hash[32];
    OM_uint32 minor;
    size_t i;

    if (inquire(ctx, v_oid, &set) == 0) {
        b = &set->elements[0];
        if (b->length == 1) {
            printf("credssp-version: %u\n", *(const uint8_t *)b->value);
        }
        (void)gss_release_buffer_set(&minor, &set);
    }
    if (inquire(ctx, m_oid, &set) == 0) {
        b = &set->elements[0];
        if (b->length == sizeof(krb5) &&
            memcmp(b->value, krb5, sizeof(krb5)) == 0) {
            printf("inner-mech: krb5\n");
        } else if (b->length == sizeof(ntlm) &&
                   memcmp(b->value, ntlm, sizeof(ntlm)) == 0) {
            printf("inner-mech: ntlmssp\n");
        } else {
            printf("inner-mech: other\n");
        }
        (void)gss_release_buffer_set(&minor, &set);
    }
    if (inquire(ctx, t_oid, &set) == 0) {
        if (inquire(ctx, c_oid, &set2) == 0) {
            printf("tls: %.*s %.*s\n", (int)set->elements[0].length,
                   (const char *)set->elements[0].value,
                   (int)set2->elements[0].length,
                   (const char *)set2->elements[0].value);
            (void)gss_release_buffer_set(&minor, &set2);
        }
        (void)gss_release_buffer_set(&minor, &set);
    }
    if (cert_fingerprint && inquire(ctx, s_oid, &set) == 0) {
        b = &set->elements[0];
        if (gnutls_hash_fast(GNUTLS_DIG_SHA256, b->value, b->length, hash) ==
            0) {
            printf("server-cert-sha256: ");
            for (i = 0; i < sizeof(hash); i++) {
                printf("%02X%s", hash[i], i + 1 < sizeof(hash) ? ":" : "\n");
            }
        }
        (void)gss_release_buffer_set(&minor, &set);
    }
}

const char *
rdp_delegated_type(gss_ctx_id_t ctx)
{
    static char d_oid[] = GSS_CREDSSP_INQ_DELEGATION_BYTES;
    gss_buffer_set_t set;
    OM_uint32 minor;
    const char *type = "none";

    if (inquire(ctx, d_oid, &set) == 0) {
        if (set->elements[0].length == 1) {
            switch (*(const uint8_t *)set->elements[0].value) {
            case 1:
                type = "password";
                break;
            case 2:
                type = "smartcard";
                break;
            case 6:
                type = "remote-guard";
                break;
            default:
                break;
            }
        }
        (void)gss_release_buffer_set(&minor, &set);
    }
    return type;
}
