/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The CredSSP TLS channel: a GnuTLS session over in-memory queues
 * (STYLE.md 4.9).  Implements MS-CSSP.md 1.1 (TLS 1.2/1.3, no client
 * certificate request, no resumption or tickets, self-signed server
 * certificate), 3.1 (the subjectPublicKey bytes pubKeyAuth binds) and 7.1
 * (tls-server-end-point, tls-unique, tls-exporter).
 *
 * Peer bytes wait in an input queue; the pull callback hands GnuTLS only
 * whole records, so a partial record stays visibly queued.  Everything
 * GnuTLS writes goes through the push callback into an output queue that
 * the caller takes as the next token.  GnuTLS error codes are turned into
 * ours in one place, map_gnutls_error().  This file is also the one seam
 * for GnuTLS version differences.  GnuTLS >= 3.7 initialises itself when
 * loaded, so there is no global init here.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/file.h"
#include "common/zap.h"
#include "mech/tls.h"

/* TLS record header: type, version (2), length (2). */
#define RECORD_HEADER_LEN 5
/* Largest TLSCiphertext fragment any version allows (RFC 5246 6.2.3). */
#define RECORD_BODY_MAX (16384 + 2048)
/* Plaintext bytes per gnutls_record_send()/recv() call. */
#define RECORD_PLAINTEXT_MAX 16384
/* Padding of the record that carries an empty message (TLS 1.3). */
#define EMPTY_RECORD_PADDING 1

/* Consecutive non-fatal GnuTLS results tolerated in one call. */
#define NONFATAL_MAX 32

#define SELF_SIGNED_CN "gss-credssp"
#define SELF_SIGNED_DAYS 365
#define SELF_SIGNED_BACKDATE 3600
#define SELF_SIGNED_SERIAL_LEN 16
#define HOST_NAME_LEN 256
/* A certificate chain or key file: PEM, a few KiB; refused above this. */
#define CERT_FILE_MAX (1024 * 1024)

enum phase {
    PHASE_SETUP,      /* session creation */
    PHASE_HANDSHAKE,  /* gnutls_handshake */
    PHASE_RECORD,     /* application data */
    PHASE_QUERY       /* read-only questions; never fail the session */
};

struct credssp_tls {
    gnutls_session_t session;
    gnutls_certificate_credentials_t own_cred;  /* NULL when shared */
    struct file_cert *file_cert; /* the configured files, shared */
    enum credssp_tls_role role;
    /* Input queue: data[pos, len) is unconsumed, data[pos, ready) is made
     * of whole records (or of bytes that are not TLS at all). */
    uint8_t *in_data;
    size_t in_len;
    size_t in_pos;
    size_t in_ready;
    int in_raw;                 /* stop looking for record boundaries */
    size_t in_limit;            /* most unconsumed bytes held */
    struct credssp_out out;     /* records to send */
    int io_error;               /* ENOMEM from the push callback */
    int failed;                 /* sticky error of a failed session */
    int established;
    const char *error_text;     /* static GnuTLS text of the last error */
};

/* The process-wide self-signed certificates, one per key type. */
static pthread_mutex_t self_signed_lock = PTHREAD_MUTEX_INITIALIZER;
static gnutls_certificate_credentials_t self_signed[2];

/*
 * The configured certificate and key, loaded once per process and kept
 * while the files stay the same (parsing a key costs more than the rest
 * of an ECDSA handshake).  A session holds a reference; files whose
 * device, inode, size or modification time changed are read anew, and
 * the old entry lives until its last session ends.
 */
struct file_cert {
    unsigned int refs; /* the cache's, plus one per session */
    char *cert_file;
    char *key_file;
    struct stat cert_st; /* of the bytes that were parsed */
    struct stat key_st;
    gnutls_certificate_credentials_t cred;
    struct file_cert *next;
};

#define FILE_CERTS_MAX 8
static pthread_mutex_t file_certs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct file_cert *file_certs; /* newest first */

/* Priority strings, compiled once per process and shared by sessions
 * (compiling one costs as much as a TLS record of 16 KiB). */
struct priority_cache {
    char *text;
    gnutls_priority_t prio;
    struct priority_cache *next;
};

#define PRIORITIES_MAX 16
static pthread_mutex_t priorities_lock = PTHREAD_MUTEX_INITIALIZER;
static struct priority_cache *priorities;
static size_t priorities_count;

static int to_gnutls_uint(size_t len, unsigned int *out);
static int plausible_header(const uint8_t *p, size_t avail);
static void scan_records(struct credssp_tls *tls);
static ssize_t push_records(gnutls_transport_ptr_t ptr, const void *data,
                            size_t len);
static ssize_t pull_records(gnutls_transport_ptr_t ptr, void *data,
                            size_t len);
static int pull_timeout(gnutls_transport_ptr_t ptr, unsigned int ms);
static int map_gnutls_error(struct credssp_tls *tls, int rc, enum phase ph);
static int fail_session(struct credssp_tls *tls, int rc, enum phase ph);
static int fail_not_tls(struct credssp_tls *tls, enum phase ph);
static int der_take(struct credssp_in *in, uint8_t tag,
                    struct credssp_in *value);
static int spki_fields_key(struct credssp_in *seq, struct credssp_buf *key);
static void host_name(char *buf, size_t size);
static int generate_key(enum credssp_tls_key_type type,
                        gnutls_x509_privkey_t *out);
static int fill_certificate(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
                            enum credssp_tls_key_type type);
static int make_self_signed(enum credssp_tls_key_type type,
                            gnutls_certificate_credentials_t *out);
static int get_self_signed(enum credssp_tls_key_type type,
                           gnutls_certificate_credentials_t *out);
static void free_shared_credentials(void) __attribute__((destructor));
static int load_cert_files(const struct credssp_tls_config *config,
                           gnutls_certificate_credentials_t *out,
                           struct stat *cert_st, struct stat *key_st);
static int same_file(const struct stat *a, const struct stat *b);
static void file_cert_unref(struct file_cert *fc);
static void file_cert_insert(struct file_cert *fc);
static int get_file_cert(const struct credssp_tls_config *config,
                         struct file_cert **out);
static void release_file_cert(struct file_cert **fc);
static int set_priority(gnutls_session_t session, const char *text);
static int setup_credentials(struct credssp_tls *tls,
                             const struct credssp_tls_config *config);
static int setup_session(struct credssp_tls *tls,
                         const struct credssp_tls_config *config);
static int server_cert_datum(struct credssp_tls *tls,
                             const gnutls_datum_t **out);

/* ------------------------------------------------------------------ */
/* Leaf helpers                                                        */
/* ------------------------------------------------------------------ */

/* The one conversion of our size_t lengths to GnuTLS's unsigned int. */
static int
to_gnutls_uint(size_t len, unsigned int *out)
{
    if (len > INT_MAX) {
        return CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
    }
    *out = (unsigned int)len;
    return 0;
}

/* 1 when the avail (> 0) bytes at p may start a TLS record header, 0
 * when they certainly do not.  SSLv2-format ClientHellos count as not
 * TLS: no CredSSP peer sends them. */
static int
plausible_header(const uint8_t *p, size_t avail)
{
    size_t body;

    /* change_cipher_spec(20) .. heartbeat(24) */
    if (p[0] < 20 || p[0] > 24) {
        return 0;
    }
    if (avail >= 2 && p[1] != 3) {
        return 0;
    }
    if (avail >= RECORD_HEADER_LEN) {
        body = ((size_t)p[3] << 8) | p[4];
        if (body > RECORD_BODY_MAX) {
            return 0;
        }
    }
    return 1;
}

/* Advance in_ready over every whole record queued after it. */
static void
scan_records(struct credssp_tls *tls)
{
    const uint8_t *p;
    size_t avail, body;

    while (!tls->in_raw && tls->in_ready < tls->in_len) {
        p = tls->in_data + tls->in_ready;
        avail = tls->in_len - tls->in_ready;
        if (!plausible_header(p, avail)) {
            /* Not TLS: let GnuTLS see it and fail. */
            tls->in_raw = 1;
            break;
        }
        if (avail < RECORD_HEADER_LEN) {
            return;
        }
        body = ((size_t)p[3] << 8) | p[4];
        if (body > avail - RECORD_HEADER_LEN) {
            return;
        }
        tls->in_ready += RECORD_HEADER_LEN + body;
    }
    if (tls->in_raw) {
        tls->in_ready = tls->in_len;
    }
}

static ssize_t
push_records(gnutls_transport_ptr_t ptr, const void *data, size_t len)
{
    struct credssp_tls *tls = ptr;

    if (len > SSIZE_MAX) {
        gnutls_transport_set_errno(tls->session, EINVAL);
        return -1;
    }
    credssp_out_add(&tls->out, data, len);
    if (tls->out.status != 0) {
        tls->io_error = tls->out.status;
        gnutls_transport_set_errno(tls->session, ENOMEM);
        return -1;
    }
    return (ssize_t)len;
}

static ssize_t
pull_records(gnutls_transport_ptr_t ptr, void *data, size_t len)
{
    struct credssp_tls *tls = ptr;
    size_t n = tls->in_ready - tls->in_pos;

    if (n == 0) {
        gnutls_transport_set_errno(tls->session, EAGAIN);
        return -1;
    }
    if (n > len) {
        n = len;
    }
    if (n > SSIZE_MAX) {
        n = SSIZE_MAX;
    }
    memcpy(data, tls->in_data + tls->in_pos, n);
    tls->in_pos += n;
    return (ssize_t)n;
}

/* Never wait: data is either queued now or comes with the next token. */
static int
pull_timeout(gnutls_transport_ptr_t ptr, unsigned int ms)
{
    struct credssp_tls *tls = ptr;

    (void)ms;
    return tls->in_ready > tls->in_pos ? 1 : 0;
}

/*
 * The one translation of GnuTLS codes into ours.  Records the GnuTLS text
 * (or the received alert's name) for the trace.
 */
static int
map_gnutls_error(struct credssp_tls *tls, int rc, enum phase ph)
{
    tls->error_text = gnutls_strerror(rc);
    switch (rc) {
    case GNUTLS_E_MEMORY_ERROR:
        return ENOMEM;
    case GNUTLS_E_PUSH_ERROR:
        return tls->io_error != 0 ? tls->io_error
                                  : CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
    case GNUTLS_E_FATAL_ALERT_RECEIVED:
        tls->error_text = gnutls_alert_get_name(gnutls_alert_get(
            tls->session));
        if (tls->error_text == NULL) {
            tls->error_text = "unknown alert";
        }
        return CREDSSP_ERR(CREDSSP_ERR_TLS_ALERT);
    case GNUTLS_E_DECRYPTION_FAILED:
        return CREDSSP_ERR(CREDSSP_ERR_TLS_RECORD);
    case GNUTLS_E_PREMATURE_TERMINATION:
    case GNUTLS_E_SESSION_EOF:
        return CREDSSP_ERR(CREDSSP_ERR_TLS_CLOSED);
    case GNUTLS_E_CHANNEL_BINDING_NOT_AVAILABLE:
    case GNUTLS_E_UNIMPLEMENTED_FEATURE:
        if (ph == PHASE_QUERY) {
            return CREDSSP_ERR(CREDSSP_ERR_TLS_CB_UNAVAILABLE);
        }
        break;
    case GNUTLS_E_INVALID_REQUEST:
    case GNUTLS_E_INTERNAL_ERROR:
    case GNUTLS_E_RANDOM_FAILED:
        return CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
    default:
        break;
    }
    switch (ph) {
    case PHASE_HANDSHAKE:
        return CREDSSP_ERR(CREDSSP_ERR_TLS_HANDSHAKE);
    case PHASE_RECORD:
        return CREDSSP_ERR(CREDSSP_ERR_TLS_RECORD);
    default:
        return CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
    }
}

/* Map rc, make the session fail for good, and queue the fatal alert that
 * tells the peer why when the peer is the one at fault. */
static int
fail_session(struct credssp_tls *tls, int rc, enum phase ph)
{
    int ret = map_gnutls_error(tls, rc, ph);

    tls->failed = ret;
    if (ret == CREDSSP_ERR_TLS_HANDSHAKE || ret == CREDSSP_ERR_TLS_RECORD) {
        (void)gnutls_alert_send_appropriate(tls->session, rc);
    }
    return ret;
}

/*
 * The peer sent bytes that cannot be a TLS record header (scan_records set
 * in_raw) and GnuTLS, having taken them all, still waits for a whole
 * header.  More input cannot help: fail now, as GnuTLS would later, and
 * tell the peer with a decode_error alert.
 */
static int
fail_not_tls(struct credssp_tls *tls, enum phase ph)
{
    tls->error_text = "peer data is not a TLS record";
    tls->failed = ph == PHASE_HANDSHAKE
                      ? CREDSSP_ERR(CREDSSP_ERR_TLS_HANDSHAKE)
                      : CREDSSP_ERR(CREDSSP_ERR_TLS_RECORD);
    (void)gnutls_alert_send(tls->session, GNUTLS_AL_FATAL,
                            GNUTLS_A_DECODE_ERROR);
    return tls->failed;
}

/*
 * Strict DER: read one TLV with the given tag from in into value (definite,
 * minimal length of at most four octets).
 */
static int
der_take(struct credssp_in *in, uint8_t tag, struct credssp_in *value)
{
    uint8_t t, first, b;
    size_t len = 0, i, n;
    const uint8_t *p;

    t = credssp_in_u8(in);
    first = credssp_in_u8(in);
    if (in->status != 0 || t != tag) {
        return CREDSSP_ERR(CREDSSP_ERR_TLS_NO_PEER_CERT);
    }
    if (first < 0x80) {
        len = first;
    } else {
        n = first & 0x7f;
        if (n == 0 || n > 4) {
            return CREDSSP_ERR(CREDSSP_ERR_TLS_NO_PEER_CERT);
        }
        for (i = 0; i < n; i++) {
            b = credssp_in_u8(in);
            if (i == 0 && b == 0) {
                return CREDSSP_ERR(CREDSSP_ERR_TLS_NO_PEER_CERT);
            }
            len = (len << 8) | b;
        }
        if (in->status != 0 || len < 0x80) {
            return CREDSSP_ERR(CREDSSP_ERR_TLS_NO_PEER_CERT);
        }
    }
    p = credssp_in_bytes(in, len);
    if (p == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_TLS_NO_PEER_CERT);
    }
    credssp_in_init(value, p, len);
    return 0;
}

/* The host name for the self-signed certificate, or SELF_SIGNED_CN. */
static void
host_name(char *buf, size_t size)
{
    if (gethostname(buf, size) != 0) {
        buf[0] = '\0';
    }
    buf[size - 1] = '\0';
    if (buf[0] == '\0') {
        (void)strncpy(buf, SELF_SIGNED_CN, size - 1);
    }
}

/* ------------------------------------------------------------------ */
/* Server credentials                                                  */
/* ------------------------------------------------------------------ */

static int
generate_key(enum credssp_tls_key_type type, gnutls_x509_privkey_t *out)
{
    gnutls_x509_privkey_t key = NULL;
    int rc;

    rc = gnutls_x509_privkey_init(&key);
    if (rc < 0) {
        return rc == GNUTLS_E_MEMORY_ERROR ? ENOMEM
                                           : CREDSSP_ERR(CREDSSP_ERR_TLS_CERT);
    }
    if (type == CREDSSP_TLS_KEY_RSA_2048) {
        rc = gnutls_x509_privkey_generate(key, GNUTLS_PK_RSA, 2048, 0);
    } else {
        rc = gnutls_x509_privkey_generate(
            key, GNUTLS_PK_ECDSA,
            GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
    }
    if (rc < 0) {
        gnutls_x509_privkey_deinit(key);
        return CREDSSP_ERR(CREDSSP_ERR_TLS_CERT);
    }
    *out = key;
    return 0;
}

/* Fill and self-sign crt for key: CN = host name, valid one year from an
 * hour ago, random serial, digitalSignature (+keyEncipherment for RSA),
 * serverAuth, not a CA. */
static int
fill_certificate(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
                 enum credssp_tls_key_type type)
{
    uint8_t serial[SELF_SIGNED_SERIAL_LEN];
    char host[HOST_NAME_LEN];
    unsigned int usage = GNUTLS_KEY_DIGITAL_SIGNATURE, host_len;
    time_t now = time(NULL);
    int rc, ret;

    if (type == CREDSSP_TLS_KEY_RSA_2048) {
        usage |= GNUTLS_KEY_KEY_ENCIPHERMENT;
    }
    host_name(host, sizeof(host));
    ret = to_gnutls_uint(strlen(host), &host_len);
    if (ret != 0) {
        return ret;
    }
    rc = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
    /* A positive INTEGER without a leading zero octet. */
    serial[0] = (uint8_t)((serial[0] & 0x3f) | 0x40);
    if (rc >= 0) {
        rc = gnutls_x509_crt_set_version(crt, 3);
    }
    if (rc >= 0) {
        rc = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
    }
    if (rc >= 0) {
        rc = gnutls_x509_crt_set_activation_time(crt,
                                                 now - SELF_SIGNED_BACKDATE);
    }
    if (rc >= 0) {
        rc = gnutls_x509_crt_set_expiration_time(
            crt, now + (time_t)SELF_SIGNED_DAYS * 24 * 3600);
    }
    if (rc >= 0) {
        rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME,
                                           0, host, host_len);
    }
    if (rc >= 0) {
        rc = gnutls_x509_crt_set_key(crt, key);
    }
    if (rc >= 0) {
        rc = gnutls_x509_crt_set_basic_constraints(crt, 0, -1);
    }
    if (rc >= 0) {
        rc = gnutls_x509_crt_set_key_usage(crt, usage);
    }
    if (rc >= 0) {
        rc = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER,
                                                 0);
    }
    if (rc >= 0) {
        rc = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0);
    }
    if (rc == GNUTLS_E_MEMORY_ERROR) {
        return ENOMEM;
    }
    return rc < 0 ? CREDSSP_ERR(CREDSSP_ERR_TLS_CERT) : 0;
}

static int
make_self_signed(enum credssp_tls_key_type type,
                 gnutls_certificate_credentials_t *out)
{
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_certificate_credentials_t cred = NULL;
    int rc, ret;

    ret = generate_key(type, &key);
    if (ret != 0) {
        goto done;
    }
    rc = gnutls_x509_crt_init(&crt);
    if (rc < 0) {
        crt = NULL;
        ret = CREDSSP_ERR(CREDSSP_ERR_TLS_CERT);
        goto done;
    }
    ret = fill_certificate(crt, key, type);
    if (ret != 0) {
        goto done;
    }
    rc = gnutls_certificate_allocate_credentials(&cred);
    if (rc < 0) {
        cred = NULL;
        ret = ENOMEM;
        goto done;
    }
    /* Copies both; ours are released below. */
    rc = gnutls_certificate_set_x509_key(cred, &crt, 1, key);
    if (rc < 0) {
        ret = CREDSSP_ERR(CREDSSP_ERR_TLS_CERT);
        goto done;
    }
    *out = cred;
    cred = NULL;

done:
    if (cred != NULL) {
        gnutls_certificate_free_credentials(cred);
    }
    if (crt != NULL) {
        gnutls_x509_crt_deinit(crt);
    }
    if (key != NULL) {
        gnutls_x509_privkey_deinit(key);
    }
    return ret;
}

/* The shared self-signed credentials of type, made on first use. */
static int
get_self_signed(enum credssp_tls_key_type type,
                gnutls_certificate_credentials_t *out)
{
    size_t slot = type == CREDSSP_TLS_KEY_RSA_2048 ? 1 : 0;
    int ret = 0;

    if (pthread_mutex_lock(&self_signed_lock) != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
    }
    if (self_signed[slot] == NULL) {
        ret = make_self_signed(type, &self_signed[slot]);
    }
    if (ret == 0) {
        *out = self_signed[slot];
    }
    (void)pthread_mutex_unlock(&self_signed_lock);
    return ret;
}

static void
free_shared_credentials(void)
{
    size_t i;

    for (i = 0; i < sizeof(self_signed) / sizeof(*self_signed); i++) {
        if (self_signed[i] != NULL) {
            gnutls_certificate_free_credentials(self_signed[i]);
            self_signed[i] = NULL;
        }
    }
    while (file_certs != NULL) {
        struct file_cert *fc = file_certs;

        file_certs = fc->next;
        file_cert_unref(fc);
    }
    while (priorities != NULL) {
        struct priority_cache *pc = priorities;

        priorities = pc->next;
        gnutls_priority_deinit(pc->prio);
        free(pc->text);
        free(pc);
    }
    priorities_count = 0;
}

/* The configured certificate chain and key, read by common/file.h (never
 * waiting on a FIFO); the key's bytes are wiped once GnuTLS has parsed
 * them. */
static int
load_cert_files(const struct credssp_tls_config *config,
                gnutls_certificate_credentials_t *out, struct stat *cert_st,
                struct stat *key_st)
{
    gnutls_certificate_credentials_t cred = NULL;
    struct credssp_buf cert = { NULL, 0 }, key = { NULL, 0 };
    gnutls_datum_t cert_d, key_d;
    const char *path = config->cert_file, *why = NULL;
    char detail[600];
    int rc, ret;

    ret = credssp_file_read(path, 0, CERT_FILE_MAX, &cert, cert_st, &why);
    if (ret == 0) {
        path = config->key_file;
        ret = credssp_file_read(path, 0, CERT_FILE_MAX, &key, key_st, &why);
    }
    if (ret == ENOMEM) {
        goto done;
    }
    if (ret != 0) {
        /* Which file, and why: shown by gss_display_status. */
        snprintf(detail, sizeof(detail), "%s: cannot read: %s", path,
                 why != NULL ? why : strerror(ret));
        credssp_err_set_detail(CREDSSP_ERR_TLS_CERT, detail);
        ret = CREDSSP_ERR(CREDSSP_ERR_TLS_CERT);
        goto done;
    }
    rc = gnutls_certificate_allocate_credentials(&cred);
    if (rc < 0) {
        cred = NULL;
        ret = ENOMEM;
        goto done;
    }
    cert_d.data = cert.data;
    cert_d.size = (unsigned int)cert.len;
    key_d.data = key.data;
    key_d.size = (unsigned int)key.len;
    rc = gnutls_certificate_set_x509_key_mem(cred, &cert_d, &key_d,
                                             GNUTLS_X509_FMT_PEM);
    if (rc == GNUTLS_E_MEMORY_ERROR) {
        ret = ENOMEM;
        goto done;
    }
    if (rc < 0) {
        snprintf(detail, sizeof(detail), "%s with %s: %s", config->cert_file,
                 config->key_file, gnutls_strerror(rc));
        credssp_err_set_detail(CREDSSP_ERR_TLS_CERT, detail);
        ret = CREDSSP_ERR(CREDSSP_ERR_TLS_CERT);
        goto done;
    }
    *out = cred;
    cred = NULL;

done:
    if (cred != NULL) {
        gnutls_certificate_free_credentials(cred);
    }
    credssp_buf_free(&cert);
    credssp_buf_wipe_free(&key);
    return ret;
}

static int
same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Drop one reference; file_certs_lock held. */
static void
file_cert_unref(struct file_cert *fc)
{
    if (--fc->refs > 0) {
        return;
    }
    gnutls_certificate_free_credentials(fc->cred);
    free(fc->cert_file);
    free(fc->key_file);
    free(fc);
}

/* Cache fc (taking the cache's reference), in place of an older entry for
 * the same files, within FILE_CERTS_MAX entries; file_certs_lock held. */
static void
file_cert_insert(struct file_cert *fc)
{
    struct file_cert **p, *old;
    size_t n = 1;

    fc->next = file_certs;
    file_certs = fc;
    p = &fc->next;
    while (*p != NULL) {
        old = *p;
        if (n >= FILE_CERTS_MAX ||
            (strcmp(old->cert_file, fc->cert_file) == 0 &&
             strcmp(old->key_file, fc->key_file) == 0)) {
            *p = old->next;
            file_cert_unref(old);
            continue;
        }
        n++;
        p = &old->next;
    }
}

/* The credentials of the configured files, from the cache while the
 * files are unchanged, else read and parsed now. */
static int
get_file_cert(const struct credssp_tls_config *config,
              struct file_cert **out)
{
    struct file_cert *fc;
    struct stat cert_st, key_st;
    int ret;

    if (stat(config->cert_file, &cert_st) == 0 &&
        stat(config->key_file, &key_st) == 0) {
        if (pthread_mutex_lock(&file_certs_lock) != 0) {
            return CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
        }
        for (fc = file_certs; fc != NULL; fc = fc->next) {
            if (strcmp(fc->cert_file, config->cert_file) == 0 &&
                strcmp(fc->key_file, config->key_file) == 0 &&
                same_file(&fc->cert_st, &cert_st) &&
                same_file(&fc->key_st, &key_st)) {
                fc->refs++;
                break;
            }
        }
        (void)pthread_mutex_unlock(&file_certs_lock);
        if (fc != NULL) {
            *out = fc;
            return 0;
        }
    }
    fc = calloc(1, sizeof(*fc));
    if (fc == NULL) {
        return ENOMEM;
    }
    fc->cert_file = strdup(config->cert_file);
    fc->key_file = strdup(config->key_file);
    if (fc->cert_file == NULL || fc->key_file == NULL) {
        ret = ENOMEM;
        goto fail;
    }
    ret = load_cert_files(config, &fc->cred, &fc->cert_st, &fc->key_st);
    if (ret != 0) {
        goto fail;
    }
    fc->refs = 2;
    if (pthread_mutex_lock(&file_certs_lock) != 0) {
        fc->refs = 1; /* not cached: the caller's alone */
    } else {
        file_cert_insert(fc);
        (void)pthread_mutex_unlock(&file_certs_lock);
    }
    *out = fc;
    return 0;

fail:
    free(fc->cert_file);
    free(fc->key_file);
    free(fc);
    return ret;
}

static void
release_file_cert(struct file_cert **fc)
{
    if (*fc == NULL) {
        return;
    }
    (void)pthread_mutex_lock(&file_certs_lock);
    file_cert_unref(*fc);
    (void)pthread_mutex_unlock(&file_certs_lock);
    *fc = NULL;
}

void
credssp_tls_fail(struct credssp_tls *tls, int code)
{
    if (tls == NULL || tls->failed != 0) {
        return;
    }
    tls->failed = code;
    tls->error_text = "failed by the CredSSP layer";
    free(tls->in_data);
    tls->in_data = NULL;
    tls->in_len = 0;
    tls->in_pos = 0;
    tls->in_ready = 0;
    tls->in_raw = 0;
}

int
credssp_tls_check_cert_files(const char *cert_file, const char *key_file)
{
    struct credssp_tls_config config;
    struct file_cert *fc = NULL;
    int ret;

    if (cert_file == NULL || cert_file[0] == '\0') {
        return 0;
    }
    memset(&config, 0, sizeof(config));
    config.cert_file = cert_file;
    config.key_file = key_file;
    /* Loaded into the cache: the first context finds them there. */
    ret = get_file_cert(&config, &fc);
    release_file_cert(&fc);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Session setup                                                       */
/* ------------------------------------------------------------------ */

static int
setup_credentials(struct credssp_tls *tls,
                  const struct credssp_tls_config *config)
{
    gnutls_certificate_credentials_t cred = NULL;
    int have_cert, have_key, ret, rc;

    have_cert = config->cert_file != NULL && config->cert_file[0] != '\0';
    have_key = config->key_file != NULL && config->key_file[0] != '\0';
    if (tls->role == CREDSSP_TLS_CLIENT) {
        /* No client certificate, no PKI check: pubKeyAuth binds the
         * server key (MS-CSSP.md 1.1, 3). */
        rc = gnutls_certificate_allocate_credentials(&tls->own_cred);
        if (rc < 0) {
            tls->own_cred = NULL;
            return ENOMEM;
        }
        cred = tls->own_cred;
    } else if (have_cert != have_key ||
               (config->key_type != CREDSSP_TLS_KEY_ECDSA_P256 &&
                config->key_type != CREDSSP_TLS_KEY_RSA_2048)) {
        return CREDSSP_ERR(CREDSSP_ERR_TLS_CONFIG);
    } else if (have_cert) {
        ret = get_file_cert(config, &tls->file_cert);
        if (ret != 0) {
            return ret;
        }
        cred = tls->file_cert->cred;
    } else {
        ret = get_self_signed(config->key_type, &cred);
        if (ret != 0) {
            return ret;
        }
    }
    rc = gnutls_credentials_set(tls->session, GNUTLS_CRD_CERTIFICATE, cred);
    if (rc < 0) {
        return map_gnutls_error(tls, rc, PHASE_SETUP);
    }
    return 0;
}

/* Set the priority text on session, compiled once per process (the first
 * PRIORITIES_MAX distinct texts; others each time).  A GnuTLS code. */
static int
set_priority(gnutls_session_t session, const char *text)
{
    struct priority_cache *pc;
    gnutls_priority_t prio = NULL;
    const char *err_pos = NULL;
    int rc;

    if (pthread_mutex_lock(&priorities_lock) != 0) {
        return gnutls_priority_set_direct(session, text, &err_pos);
    }
    for (pc = priorities; pc != NULL; pc = pc->next) {
        if (strcmp(pc->text, text) == 0) {
            prio = pc->prio;
            break;
        }
    }
    if (prio == NULL && priorities_count < PRIORITIES_MAX) {
        rc = gnutls_priority_init(&prio, text, &err_pos);
        if (rc < 0) {
            (void)pthread_mutex_unlock(&priorities_lock);
            return rc;
        }
        pc = calloc(1, sizeof(*pc));
        if (pc == NULL || (pc->text = strdup(text)) == NULL) {
            free(pc);
            gnutls_priority_deinit(prio);
            (void)pthread_mutex_unlock(&priorities_lock);
            return GNUTLS_E_MEMORY_ERROR;
        }
        pc->prio = prio;
        pc->next = priorities;
        priorities = pc;
        priorities_count++;
    }
    (void)pthread_mutex_unlock(&priorities_lock);
    if (prio == NULL) {
        return gnutls_priority_set_direct(session, text, &err_pos);
    }
    return gnutls_priority_set(session, prio);
}

static int
setup_session(struct credssp_tls *tls, const struct credssp_tls_config *config)
{
    const char *priority = config->priority;
    unsigned int flags = GNUTLS_NO_TICKETS;
    int rc;

    flags |= tls->role == CREDSSP_TLS_SERVER ? GNUTLS_SERVER : GNUTLS_CLIENT;
    rc = gnutls_init(&tls->session, flags);
    if (rc < 0) {
        tls->session = NULL;
        return rc == GNUTLS_E_MEMORY_ERROR
                   ? ENOMEM
                   : CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
    }
    if (priority == NULL || priority[0] == '\0') {
        priority = CREDSSP_TLS_DEFAULT_PRIORITY;
    }
    rc = set_priority(tls->session, priority);
    if (rc < 0) {
        tls->error_text = gnutls_strerror(rc);
        return rc == GNUTLS_E_MEMORY_ERROR
                   ? ENOMEM
                   : CREDSSP_ERR(CREDSSP_ERR_TLS_CONFIG);
    }
    gnutls_transport_set_ptr(tls->session, tls);
    gnutls_transport_set_push_function(tls->session, push_records);
    gnutls_transport_set_pull_function(tls->session, pull_records);
    gnutls_transport_set_pull_timeout_function(tls->session, pull_timeout);
    /* Legs may be minutes apart (a user typing a password). */
    gnutls_handshake_set_timeout(tls->session, 0);
    if (tls->role == CREDSSP_TLS_SERVER) {
        gnutls_certificate_server_set_request(tls->session,
                                              GNUTLS_CERT_IGNORE);
    }
    return setup_credentials(tls, config);
}

/* The DER of the server's leaf certificate, owned by the session. */
static int
server_cert_datum(struct credssp_tls *tls, const gnutls_datum_t **out)
{
    const gnutls_datum_t *list;
    unsigned int n = 0;

    if (tls == NULL || !tls->established) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (tls->role == CREDSSP_TLS_CLIENT) {
        list = gnutls_certificate_get_peers(tls->session, &n);
    } else {
        list = gnutls_certificate_get_ours(tls->session);
        n = list == NULL ? 0 : 1;
    }
    if (list == NULL || n == 0 || list[0].data == NULL ||
        list[0].size == 0) {
        return CREDSSP_ERR(CREDSSP_ERR_TLS_NO_PEER_CERT);
    }
    *out = &list[0];
    return 0;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

/*
 * Create a session: role, priority, credentials, memory transport.  *out
 * receives the session only on success.
 */
int
credssp_tls_new(enum credssp_tls_role role,
                const struct credssp_tls_config *config,
                struct credssp_tls **out)
{
    static const struct credssp_tls_config defaults = { NULL, NULL, NULL,
                                                        0 };
    struct credssp_tls *tls = NULL;
    int ret;

    if (out == NULL ||
        (role != CREDSSP_TLS_CLIENT && role != CREDSSP_TLS_SERVER)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (config == NULL) {
        config = &defaults;
    }
    tls = calloc(1, sizeof(*tls));
    if (tls == NULL) {
        return ENOMEM;
    }
    tls->role = role;
    tls->error_text = "";
    tls->in_limit = CREDSSP_TLS_INPUT_LIMIT;
    credssp_out_init(&tls->out, 0, 0);
    ret = setup_session(tls, config);
    if (ret != 0) {
        goto done;
    }
    *out = tls;
    tls = NULL;

done:
    credssp_tls_free(&tls);
    return ret;
}

void
credssp_tls_set_input_limit(struct credssp_tls *tls, size_t limit)
{
    tls->in_limit = limit;
}

/* Release the session, then the credentials it used (owned ones only). */
void
credssp_tls_free(struct credssp_tls **tls)
{
    struct credssp_tls *t;

    if (tls == NULL || *tls == NULL) {
        return;
    }
    t = *tls;
    if (t->session != NULL) {
        gnutls_deinit(t->session);
    }
    if (t->own_cred != NULL) {
        gnutls_certificate_free_credentials(t->own_cred);
    }
    release_file_cert(&t->file_cert);
    free(t->in_data);
    credssp_out_free(&t->out);
    free(t);
    *tls = NULL;
}

/*
 * Queue peer bytes: drop what GnuTLS consumed, grow, append, and find the
 * new record boundaries.
 */
int
credssp_tls_feed(struct credssp_tls *tls, const void *data, size_t len)
{
    size_t unconsumed;
    uint8_t *grown;

    if (tls == NULL || (data == NULL && len > 0)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (tls->failed != 0) {
        return tls->failed;
    }
    if (len == 0) {
        return 0;
    }
    unconsumed = tls->in_len - tls->in_pos;
    if (len > tls->in_limit - unconsumed) {
        return CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
    }
    if (tls->in_pos > 0) {
        memmove(tls->in_data, tls->in_data + tls->in_pos, unconsumed);
        tls->in_ready -= tls->in_pos;
        tls->in_len = unconsumed;
        tls->in_pos = 0;
    }
    grown = realloc(tls->in_data, unconsumed + len);
    if (grown == NULL) {
        return ENOMEM;
    }
    tls->in_data = grown;
    memcpy(tls->in_data + tls->in_len, data, len);
    tls->in_len += len;
    scan_records(tls);
    return 0;
}

size_t
credssp_tls_pending_input(const struct credssp_tls *tls)
{
    return tls == NULL ? 0 : tls->in_len - tls->in_pos;
}

/* Hand over the output queue and start a new one. */
int
credssp_tls_take_output(struct credssp_tls *tls, struct credssp_buf *buf)
{
    int ret;

    if (tls == NULL || buf == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    ret = credssp_out_finish(&tls->out, buf);
    credssp_out_init(&tls->out, 0, 0);
    return ret;
}

/*
 * Run gnutls_handshake until it completes, needs the peer, or fails.
 * Non-fatal results (warning alerts) each consume a record; a peer that
 * sends more than NONFATAL_MAX of them in a row fails the handshake.
 */
int
credssp_tls_handshake(struct credssp_tls *tls)
{
    int rc, nonfatal = 0;

    if (tls == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (tls->failed != 0) {
        return tls->failed;
    }
    if (tls->established) {
        return 0;
    }
    for (;;) {
        rc = gnutls_handshake(tls->session);
        if (rc == GNUTLS_E_SUCCESS) {
            tls->established = 1;
            return 0;
        }
        if (rc == GNUTLS_E_AGAIN && tls->in_raw) {
            return fail_not_tls(tls, PHASE_HANDSHAKE);
        }
        if (rc == GNUTLS_E_AGAIN) {
            return CREDSSP_TLS_AGAIN;
        }
        if (gnutls_error_is_fatal(rc) || ++nonfatal > NONFATAL_MAX) {
            return fail_session(tls, rc, PHASE_HANDSHAKE);
        }
    }
}

/* Queue close_notify; the session is finished for both directions. */
int
credssp_tls_close(struct credssp_tls *tls)
{
    int rc;

    if (tls == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (tls->failed != 0) {
        return tls->failed;
    }
    if (!tls->established) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    rc = gnutls_bye(tls->session, GNUTLS_SHUT_WR);
    tls->failed = CREDSSP_ERR_TLS_CLOSED;
    tls->error_text = "closed locally";
    if (rc < 0) {
        return map_gnutls_error(tls, rc, PHASE_RECORD);
    }
    return 0;
}

int
credssp_tls_is_established(const struct credssp_tls *tls)
{
    return tls != NULL && tls->established && tls->failed == 0;
}

/* Send data in pieces of at most one record's plaintext. */
int
credssp_tls_encrypt(struct credssp_tls *tls, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t off = 0, chunk;
    ssize_t sent;

    if (tls == NULL || (data == NULL && len > 0)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (tls->failed != 0) {
        return tls->failed;
    }
    if (!tls->established) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (len == 0) {
        /* GnuTLS sends no empty record; TLS 1.3 allows one that holds
         * only padding (RFC 8446 5.4), and a receiver skips it. */
        if (gnutls_protocol_get_version(tls->session) != GNUTLS_TLS1_3) {
            return CREDSSP_ERR(CREDSSP_ERR_WRAP_EMPTY);
        }
        sent = gnutls_record_send2(tls->session, "", 0,
                                   EMPTY_RECORD_PADDING, 0);
        if (sent < 0) {
            return fail_session(tls, (int)sent, PHASE_RECORD);
        }
        return 0;
    }
    while (off < len) {
        chunk = len - off;
        if (chunk > RECORD_PLAINTEXT_MAX) {
            chunk = RECORD_PLAINTEXT_MAX;
        }
        sent = gnutls_record_send(tls->session, p + off, chunk);
        if (sent == GNUTLS_E_INTERRUPTED) {
            continue;
        }
        if (sent <= 0) {
            /* The memory transport never blocks: AGAIN is a bug too. */
            return fail_session(tls, sent == 0 ? GNUTLS_E_INTERNAL_ERROR
                                               : (int)sent,
                                PHASE_RECORD);
        }
        off += (size_t)sent;
    }
    return 0;
}

/*
 * Read records until GnuTLS asks for more input.  Plaintext collects in a
 * wiping writer; the bounce buffer is wiped on every path.
 */
int
credssp_tls_decrypt(struct credssp_tls *tls, struct credssp_buf *plain)
{
    uint8_t chunk[RECORD_PLAINTEXT_MAX];
    struct credssp_out acc;
    size_t before, used = 0; /* bytes of chunk that ever held plaintext */
    ssize_t got;
    int ret = 0;

    if (tls == NULL || plain == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (tls->failed != 0) {
        return tls->failed;
    }
    if (!tls->established) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    credssp_out_init(&acc, 1, 0);
    for (;;) {
        before = tls->in_pos;
        got = gnutls_record_recv(tls->session, chunk, sizeof(chunk));
        if (got > 0) {
            credssp_out_add(&acc, chunk, (size_t)got);
            used = (size_t)got > used ? (size_t)got : used;
            continue;
        }
        if (got == GNUTLS_E_AGAIN && tls->in_raw) {
            ret = fail_not_tls(tls, PHASE_RECORD);
            goto done;
        }
        if (got == GNUTLS_E_AGAIN && tls->in_pos != before &&
            tls->in_ready > tls->in_pos) {
            /*
             * A post-handshake message (a TLS 1.3 NewSessionTicket, sent
             * by OpenSSL servers right after the handshake) was consumed
             * and GnuTLS says AGAIN although whole records are still
             * queued behind it: read on.
             */
            continue;
        }
        if (got == GNUTLS_E_AGAIN) {
            break;
        }
        if (got == 0) {
            tls->error_text = "close_notify";
            tls->failed = CREDSSP_ERR(CREDSSP_ERR_TLS_CLOSED);
            if (acc.len > 0) {
                /* Data, then close_notify in the same token (FreeRDP 3
                 * sends its errorCode so): hand over the data; the next
                 * call reports the closure. */
                break;
            }
            ret = tls->failed;
            goto done;
        }
        if (gnutls_error_is_fatal((int)got)) {
            ret = fail_session(tls, (int)got, PHASE_RECORD);
            goto done;
        }
        /* Warning alert, ignored renegotiation request: next record. */
    }
    ret = credssp_out_finish(&acc, plain);
    if (ret != 0) {
        /* Records were consumed and their plaintext lost. */
        tls->failed = ret;
    }

done:
    credssp_zap(chunk, used);
    credssp_out_free(&acc);
    return ret;
}

/*
 * Certificate DER -> subjectPublicKey contents, by the strict walker
 * alone: GnuTLS parsed the certificate during the handshake already, and
 * parsing it again with gnutls_pubkey_import_x509_raw cost more than the
 * rest of the CredSSP messages together.  RFC 5280 4.1: Certificate ::=
 * SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL,
 * serialNumber, signature, issuer, validity, subject,
 * subjectPublicKeyInfo, ... }, ... }.
 */
int
credssp_tls_server_public_key(struct credssp_tls *tls, struct credssp_buf *key)
{
    static const uint8_t skip[] = { 0x02, 0x30, 0x30, 0x30, 0x30 };
    const gnutls_datum_t *cert = NULL;
    struct credssp_in in, crt, tbs, field;
    size_t i;
    int ret;

    if (key == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    ret = server_cert_datum(tls, &cert);
    if (ret != 0) {
        return ret;
    }
    credssp_in_init(&in, cert->data, cert->size);
    ret = der_take(&in, 0x30, &crt);
    if (ret == 0) {
        ret = der_take(&crt, 0x30, &tbs);
    }
    if (ret == 0 && tbs.len > 0 && tbs.ptr[0] == 0xa0) {
        ret = der_take(&tbs, 0xa0, &field);
    }
    /* serialNumber, signature, issuer, validity, subject */
    for (i = 0; ret == 0 && i < sizeof(skip); i++) {
        ret = der_take(&tbs, skip[i], &field);
    }
    if (ret == 0) {
        ret = der_take(&tbs, 0x30, &field);
    }
    if (ret != 0) {
        return ret;
    }
    return spki_fields_key(&field, key);
}

int
credssp_tls_export(struct credssp_tls *tls, const char *label,
                   const uint8_t *context, size_t context_len, uint8_t *out,
                   size_t len)
{
    if (tls == NULL || !tls->established || label == NULL ||
        context_len > 0xffff) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (gnutls_prf_rfc5705(tls->session, strlen(label), label,
                           context != NULL ? context_len : 0,
                           (const char *)context, len, (char *)out) < 0) {
        return CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
    }
    return 0;
}

/* SEQUENCE { SEQUENCE algorithm, BIT STRING key }, nothing else. */
int
credssp_tls_spki_key(const uint8_t *spki, size_t len, struct credssp_buf *key)
{
    struct credssp_in in, seq;
    int ret;

    if (key == NULL || (spki == NULL && len > 0)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    credssp_in_init(&in, spki, len);
    ret = der_take(&in, 0x30, &seq);
    if (ret == 0 && in.len != 0) {
        ret = CREDSSP_ERR(CREDSSP_ERR_TLS_NO_PEER_CERT);
    }
    return ret != 0 ? ret : spki_fields_key(&seq, key);
}

/* The contents of a SubjectPublicKeyInfo: the algorithm, then the BIT
 * STRING whose octets after the unused-bits octet are the key. */
static int
spki_fields_key(struct credssp_in *seq, struct credssp_buf *key)
{
    struct credssp_in alg, bits;
    int ret;

    ret = der_take(seq, 0x30, &alg);
    if (ret == 0) {
        ret = der_take(seq, 0x03, &bits);
    }
    if (ret == 0 && seq->len != 0) {
        ret = CREDSSP_ERR(CREDSSP_ERR_TLS_NO_PEER_CERT);
    }
    if (ret != 0) {
        return ret;
    }
    /* Unused-bits octet 0, then at least one key octet. */
    if (credssp_in_u8(&bits) != 0 || bits.status != 0 || bits.len == 0) {
        return CREDSSP_ERR(CREDSSP_ERR_TLS_NO_PEER_CERT);
    }
    return credssp_buf_dup(key, bits.ptr, bits.len);
}

int
credssp_tls_server_certificate(struct credssp_tls *tls,
                               struct credssp_buf *cert)
{
    const gnutls_datum_t *datum = NULL;
    int ret;

    if (cert == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    ret = server_cert_datum(tls, &datum);
    if (ret != 0) {
        return ret;
    }
    return credssp_buf_dup(cert, datum->data, datum->size);
}

/* gnutls_session_channel_binding() in our terms; a query never fails the
 * session. */
int
credssp_tls_channel_binding(struct credssp_tls *tls,
                            enum credssp_tls_cb_type type,
                            struct credssp_buf *cb)
{
    gnutls_channel_binding_t gtype;
    gnutls_datum_t raw = { NULL, 0 };
    int rc, ret;

    if (tls == NULL || cb == NULL || !tls->established) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    switch (type) {
    case CREDSSP_TLS_CB_SERVER_END_POINT:
        gtype = GNUTLS_CB_TLS_SERVER_END_POINT;
        break;
    case CREDSSP_TLS_CB_UNIQUE:
        gtype = GNUTLS_CB_TLS_UNIQUE;
        break;
    case CREDSSP_TLS_CB_EXPORTER:
#if GNUTLS_VERSION_NUMBER >= 0x030702
        gtype = GNUTLS_CB_TLS_EXPORTER;
        break;
#else
        return CREDSSP_ERR(CREDSSP_ERR_TLS_CB_UNAVAILABLE);
#endif
    default:
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    rc = gnutls_session_channel_binding(tls->session, gtype, &raw);
    if (rc < 0) {
        return map_gnutls_error(tls, rc, PHASE_QUERY);
    }
    ret = credssp_buf_dup(cb, raw.data, raw.size);
    credssp_zap(raw.data, raw.size);
    gnutls_free(raw.data);
    return ret;
}

const char *
credssp_tls_cb_prefix(enum credssp_tls_cb_type type)
{
    switch (type) {
    case CREDSSP_TLS_CB_SERVER_END_POINT:
        return "tls-server-end-point:";
    case CREDSSP_TLS_CB_UNIQUE:
        return "tls-unique:";
    case CREDSSP_TLS_CB_EXPORTER:
        return "tls-exporter:";
    default:
        return NULL;
    }
}

int
credssp_tls_cb_compose(enum credssp_tls_cb_type type, const uint8_t *raw,
                       size_t raw_len, struct credssp_buf *app_data)
{
    const char *prefix = credssp_tls_cb_prefix(type);
    struct credssp_out out;

    if (prefix == NULL || app_data == NULL || (raw == NULL && raw_len > 0)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    credssp_out_init(&out, 0, 0);
    credssp_out_add(&out, prefix, strlen(prefix));
    credssp_out_add(&out, raw, raw_len);
    return credssp_out_finish(&out, app_data);
}

int
credssp_tls_cb_application_data(struct credssp_tls *tls,
                                enum credssp_tls_cb_type type,
                                struct credssp_buf *app_data)
{
    struct credssp_buf raw = { NULL, 0 };
    int ret;

    ret = credssp_tls_channel_binding(tls, type, &raw);
    if (ret == 0) {
        ret = credssp_tls_cb_compose(type, raw.data, raw.len, app_data);
    }
    credssp_buf_wipe_free(&raw);
    return ret;
}

int
credssp_tls_info(const struct credssp_tls *tls, struct credssp_tls_info *info)
{
    if (tls == NULL || info == NULL || !tls->established) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    info->version =
        gnutls_protocol_get_name(gnutls_protocol_get_version(tls->session));
    info->cipher = gnutls_ciphersuite_get(tls->session);
    if (info->version == NULL) {
        info->version = "unknown";
    }
    if (info->cipher == NULL) {
        info->cipher = "unknown";
    }
    return 0;
}

size_t
credssp_tls_record_overhead(const struct credssp_tls *tls)
{
    if (tls == NULL || !tls->established) {
        return 0;
    }
    return gnutls_record_overhead_size(tls->session);
}

int
credssp_tls_record_layout(const struct credssp_tls *tls, size_t data_len,
                          size_t *header, size_t *trailer)
{
    gnutls_cipher_algorithm_t cipher;
    size_t tag;

    if (tls == NULL || !tls->established) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    cipher = gnutls_cipher_get(tls->session);
    tag = gnutls_cipher_get_tag_size(cipher);
    switch (cipher) {
    case GNUTLS_CIPHER_AES_128_GCM:
    case GNUTLS_CIPHER_AES_256_GCM:
    case GNUTLS_CIPHER_AES_128_CCM:
    case GNUTLS_CIPHER_AES_256_CCM:
    case GNUTLS_CIPHER_CHACHA20_POLY1305:
        break;
    default:
        /* Block ciphers pad: the ciphertext is not the data's length. */
        return CREDSSP_ERR(CREDSSP_ERR_IOV_CIPHER);
    }
    if (gnutls_protocol_get_version(tls->session) == GNUTLS_TLS1_3) {
        /* Header; the inner content type (and for an empty message one
         * byte of padding) is encrypted after the data. */
        *header = 5;
        *trailer = 1 + tag + (data_len == 0 ? EMPTY_RECORD_PADDING : 0);
    } else if (data_len == 0) {
        return CREDSSP_ERR(CREDSSP_ERR_WRAP_EMPTY);
    } else {
        /* TLS 1.2: an 8-byte explicit nonce, except for ChaCha20. */
        *header = cipher == GNUTLS_CIPHER_CHACHA20_POLY1305 ? 5 : 5 + 8;
        *trailer = tag;
    }
    return 0;
}

const char *
credssp_tls_last_error_text(const struct credssp_tls *tls)
{
    return tls == NULL || tls->error_text == NULL ? "" : tls->error_text;
}
