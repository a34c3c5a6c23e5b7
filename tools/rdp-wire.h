/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * What credssp-rdp-check and credssp-rdp-server share: TCP on a deadline,
 * the X.224 connection request and confirm that open an RDP connection
 * (MS-RDPBCGR 2.2.1.1 and 2.2.1.2, inside TPKT, RFC 1006), TLS record
 * framing of the stream after them, and the GSS helpers both tools print
 * with.  Nothing here knows CredSSP beyond the public GSS-API and
 * <gssapi/gssapi_credssp.h>.
 */
#ifndef CREDSSP_TOOLS_RDP_WIRE_H
#define CREDSSP_TOOLS_RDP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <gssapi/gssapi.h>

/* requestedProtocols / selectedProtocol bits (MS-RDPBCGR 2.2.1.1.1). */
#define RDP_PROTOCOL_RDP 0x00000000u
#define RDP_PROTOCOL_SSL 0x00000001u
#define RDP_PROTOCOL_HYBRID 0x00000002u
#define RDP_PROTOCOL_HYBRID_EX 0x00000008u

/* RDP_NEG_FAILURE failureCode: the server wants NLA (2.2.1.2.2). */
#define RDP_FAILURE_HYBRID_REQUIRED 0x00000005u

/* Early User Authorization Result of HYBRID_EX (2.2.10.2). */
#define RDP_AUTHZ_SUCCESS 0x00000000u
#define RDP_AUTHZ_ACCESS_DENIED 0x00000005u

/* Largest X.224 TPDU and TLS record either tool reads. */
#define RDP_TPKT_MAX 4096
#define RDP_RECORD_MAX (5 + 16384 + 2048)

/* A TCP connection whose every read and write ends by a deadline. */
struct rdp_conn {
    int fd;
    int timeout_ms; /* for each wait on the socket */
};

/* Exit codes of both tools. */
#define RDP_EXIT_OK 0
#define RDP_EXIT_REFUSED 1
#define RDP_EXIT_ERROR 2

/* Print "PROGRAM: error: ..." to stderr. */
void rdp_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --timeout SECONDS (1 to 3600) into *ms: 0, or -1 after rdp_error. */
int rdp_parse_timeout(const char *text, int *ms);

/* The program name rdp_error prints (set once by main). */
extern const char *rdp_program;

/* Connect to host:port (numeric or names): 0, or -1 after rdp_error. */
int rdp_connect(const char *host, const char *port, int timeout_ms,
                struct rdp_conn *conn);

/* A listening socket on addr:port (port "0": any free one), *bound the
 * port it got: its fd, or -1 after rdp_error. */
int rdp_listen(const char *addr, const char *port, unsigned int *bound);

/* Accept one connection within timeout_ms (< 0: wait for ever): 0, or -1
 * after rdp_error. */
int rdp_accept(int listener, int timeout_ms, struct rdp_conn *conn);

void rdp_close(struct rdp_conn *conn);

/* Write all len bytes: 0, or -1 after rdp_error. */
int rdp_write(struct rdp_conn *conn, const void *data, size_t len);

/* Read at least one and at most max bytes: their count, 0 at end of
 * stream, -1 after rdp_error (timeout included). */
long rdp_read_some(struct rdp_conn *conn, void *buf, size_t max);

/* Read exactly len bytes: 0, or -1 after rdp_error (an early end of
 * stream included). */
int rdp_read_exact(struct rdp_conn *conn, void *buf, size_t len);

/* One TLS record (header and body) from the stream into buf (at least
 * RDP_RECORD_MAX bytes): its length, or -1 after rdp_error. */
long rdp_read_record(struct rdp_conn *conn, uint8_t *buf);

/* The X.224 Connection Request with an RDP_NEG_REQ for protocols. */
int rdp_send_request(struct rdp_conn *conn, uint32_t protocols);

/* Read a Connection Confirm: 0 with *selected from RDP_NEG_RSP, 1 with
 * *failure from RDP_NEG_FAILURE, -1 after rdp_error.  A confirm without
 * either means standard RDP security (*selected = 0). */
int rdp_read_confirm(struct rdp_conn *conn, uint32_t *selected,
                     uint32_t *failure);

/* Read a Connection Request: 0 with *requested (0 without RDP_NEG_REQ),
 * -1 after rdp_error. */
int rdp_read_request(struct rdp_conn *conn, uint32_t *requested);

/* Send a Connection Confirm: RDP_NEG_RSP selecting selected, or, when
 * failure is not 0, RDP_NEG_FAILURE with that code. */
int rdp_send_confirm(struct rdp_conn *conn, uint32_t selected,
                     uint32_t failure);

/* "HYBRID_EX", "HYBRID", "SSL", "RDP" or "0x...". */
const char *rdp_protocol_name(uint32_t protocol, char *buf, size_t size);

/* gss_display_status of both codes into buf, "; "-separated. */
const char *rdp_status_text(OM_uint32 major, OM_uint32 minor, char *buf,
                            size_t size);

/*
 * Print what a complete CredSSP context tells: "credssp-version: N",
 * "inner-mech: krb5|ntlmssp|...", "tls: VERSION CIPHER" and, with
 * cert_fingerprint, "server-cert-sha256: AA:BB:...".  Inquiries a context
 * cannot answer are skipped.
 */
void rdp_print_context(gss_ctx_id_t ctx, int cert_fingerprint);

/* The credType of the delegated credential: "password", "smartcard",
 * "remote-guard" or "none". */
const char *rdp_delegated_type(gss_ctx_id_t ctx);

#endif /* CREDSSP_TOOLS_RDP_WIRE_H */
