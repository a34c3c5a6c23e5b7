/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Typed DER codec of the MS-CSSP messages: TSRequest (MS-CSSP 2.2.1),
 * NegoData (2.2.1.1), TSCredentials (2.2.1.2), TSPasswordCreds
 * (2.2.1.2.1), TSSmartCardCreds (2.2.1.2.2), TSCspDataDetail
 * (2.2.1.2.2.1), TSRemoteGuardCreds (2.2.1.2.3) and
 * TSRemoteGuardPackageCred (2.2.1.2.3.1).
 *
 * libtasn1 does the encoding and decoding, driven by the table generated
 * from asn1/credssp.asn; no asn1_node leaves this file.  Before libtasn1
 * sees an input, a strict DER pre-walk checks it against a small "shape"
 * of each message (which universal tag, which context tags in which
 * order, which are OPTIONAL, how long each field may be).  The walk gives
 * every class of malformed input one deterministic code (libtasn1's codes
 * are too coarse: a missing field and a wrong tag look alike), enforces
 * the field limits before anything is allocated, and keeps partially
 * decoded credentials out of libtasn1's error path, which frees its tree
 * without wiping it.  The shapes mirror credssp.asn; the known-answer
 * tests fail if the two drift apart.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libtasn1.h>

#include "asn1/codec.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/utf16.h"
#include "common/zap.h"

/* The definitions table asn1Parser generates from credssp.asn. */
extern const asn1_static_node credssp_asn1_tab[];

/* Oldest libtasn1 with ASN1_DECODE_FLAG_STRICT_DER (configure.ac agrees). */
#define MIN_LIBTASN1_VERSION "4.9"

/* Type names in the definitions tree. */
#define TYPE_TS_REQUEST "CredSSP.TSRequest"
#define TYPE_TS_CREDENTIALS "CredSSP.TSCredentials"
#define TYPE_PASSWORD_CREDS "CredSSP.TSPasswordCreds"
#define TYPE_SMART_CARD_CREDS "CredSSP.TSSmartCardCreds"
#define TYPE_REMOTE_GUARD_CREDS "CredSSP.TSRemoteGuardCreds"

/* Node paths, relative to the message node.  The _FMT paths take the
 * 1-based index of a SEQUENCE OF element, or the path of a
 * TSRemoteGuardPackageCred. */
#define PATH_VERSION "version"
#define PATH_NEGO_TOKENS "negoTokens"
#define PATH_NEGO_TOKEN_FMT "negoTokens.?%zu.negoToken"
#define PATH_NEGO_TOKEN_LAST "negoTokens.?LAST.negoToken"
#define PATH_AUTH_INFO "authInfo"
#define PATH_PUB_KEY_AUTH "pubKeyAuth"
#define PATH_ERROR_CODE "errorCode"
#define PATH_CLIENT_NONCE "clientNonce"
#define PATH_CRED_TYPE "credType"
#define PATH_CREDENTIALS "credentials"
#define PATH_DOMAIN_NAME "domainName"
#define PATH_USER_NAME "userName"
#define PATH_PASSWORD "password"
#define PATH_PIN "pin"
#define PATH_KEY_SPEC "cspData.keySpec"
#define PATH_CARD_NAME "cspData.cardName"
#define PATH_READER_NAME "cspData.readerName"
#define PATH_CONTAINER_NAME "cspData.containerName"
#define PATH_CSP_NAME "cspData.cspName"
#define PATH_USER_HINT "userHint"
#define PATH_DOMAIN_HINT "domainHint"
#define PATH_LOGON_CRED "logonCred"
#define PATH_SUPPLEMENTAL "supplementalCreds"
#define PATH_SUPPLEMENTAL_FMT "supplementalCreds.?%zu"
#define PATH_SUPPLEMENTAL_LAST "supplementalCreds.?LAST"
#define PATH_PACKAGE_NAME_FMT "%s.packageName"
#define PATH_CRED_BUFFER_FMT "%s.credBuffer"

/* Room for the longest path above with a 20-digit index. */
#define PATH_MAX_LEN 96

/* DER identifier octets. */
#define DER_TAG_INTEGER 0x02
#define DER_TAG_OCTET_STRING 0x04
#define DER_TAG_SEQUENCE 0x30
#define DER_CONTEXT_CONSTRUCTED 0xa0
#define DER_CLASS_FORM_MASK 0xe0
#define DER_TAG_NUMBER_MASK 0x1f

/* An INTEGER we accept has at most 5 content bytes: [-2^31, 2^32-1]. */
#define INT_MAX_CONTENT 5

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Message shapes for the pre-walk (mirror credssp.asn) ---------- */

enum shape_kind {
    SHAPE_INTEGER,
    SHAPE_OCTETS,     /* max: content bytes */
    SHAPE_SEQUENCE,   /* field i carries the explicit tag [i] */
    SHAPE_SEQUENCE_OF /* max: number of elements */
};

struct shape;

struct shape_field {
    const struct shape *shape;
    int optional;
};

struct shape {
    enum shape_kind kind;
    size_t max;
    const struct shape_field *fields;
    size_t nfields;
    const struct shape *elem;
};

#define OCTETS_SHAPE(limit)                                                  \
    {                                                                        \
        SHAPE_OCTETS, (limit), NULL, 0, NULL                                 \
    }
#define SEQUENCE_SHAPE(f)                                                    \
    {                                                                        \
        SHAPE_SEQUENCE, 0, (f), COUNT_OF(f), NULL                            \
    }
#define SEQUENCE_OF_SHAPE(limit, e)                                          \
    {                                                                        \
        SHAPE_SEQUENCE_OF, (limit), NULL, 0, (e)                             \
    }

static const struct shape shape_integer = { SHAPE_INTEGER, 0, NULL, 0, NULL };
static const struct shape shape_name = OCTETS_SHAPE(CREDSSP_ASN1_MAX_NAME);
static const struct shape shape_secret =
    OCTETS_SHAPE(CREDSSP_ASN1_MAX_SECRET);
static const struct shape shape_nego_token =
    OCTETS_SHAPE(CREDSSP_ASN1_MAX_NEGO_TOKEN);
static const struct shape shape_auth_info =
    OCTETS_SHAPE(CREDSSP_ASN1_MAX_AUTH_INFO);
static const struct shape shape_pub_key_auth =
    OCTETS_SHAPE(CREDSSP_ASN1_MAX_PUB_KEY_AUTH);
/* Any clientNonce length other than 32 is CREDSSP_ERR_BAD_NONCE, decided
 * after the walk; the message limit bounds it. */
static const struct shape shape_nonce = OCTETS_SHAPE(SIZE_MAX);
static const struct shape shape_credentials =
    OCTETS_SHAPE(CREDSSP_ASN1_MAX_CREDENTIALS);
static const struct shape shape_cred_buffer =
    OCTETS_SHAPE(CREDSSP_ASN1_MAX_CRED_BUFFER);

/* NegoDataItem, NegoData (MS-CSSP 2.2.1.1) */
static const struct shape_field nego_data_item_fields[] = {
    { &shape_nego_token, 0 },
};
static const struct shape shape_nego_data_item =
    SEQUENCE_SHAPE(nego_data_item_fields);
static const struct shape shape_nego_data =
    SEQUENCE_OF_SHAPE(CREDSSP_ASN1_MAX_NEGO_TOKENS, &shape_nego_data_item);

/* TSRequest (MS-CSSP 2.2.1) */
static const struct shape_field ts_request_fields[] = {
    { &shape_integer, 0 },      /* version */
    { &shape_nego_data, 1 },    /* negoTokens */
    { &shape_auth_info, 1 },    /* authInfo */
    { &shape_pub_key_auth, 1 }, /* pubKeyAuth */
    { &shape_integer, 1 },      /* errorCode */
    { &shape_nonce, 1 },        /* clientNonce */
};
static const struct shape shape_ts_request =
    SEQUENCE_SHAPE(ts_request_fields);

/* TSCredentials (MS-CSSP 2.2.1.2) */
static const struct shape_field ts_credentials_fields[] = {
    { &shape_integer, 0 },     /* credType */
    { &shape_credentials, 0 }, /* credentials */
};
static const struct shape shape_ts_credentials =
    SEQUENCE_SHAPE(ts_credentials_fields);

/* TSPasswordCreds (MS-CSSP 2.2.1.2.1) */
static const struct shape_field password_creds_fields[] = {
    { &shape_name, 0 },   /* domainName */
    { &shape_name, 0 },   /* userName */
    { &shape_secret, 0 }, /* password */
};
static const struct shape shape_password_creds =
    SEQUENCE_SHAPE(password_creds_fields);

/* TSCspDataDetail (MS-CSSP 2.2.1.2.2.1) */
static const struct shape_field csp_data_fields[] = {
    { &shape_integer, 0 }, /* keySpec */
    { &shape_name, 1 },    /* cardName */
    { &shape_name, 1 },    /* readerName */
    { &shape_name, 1 },    /* containerName */
    { &shape_name, 1 },    /* cspName */
};
static const struct shape shape_csp_data = SEQUENCE_SHAPE(csp_data_fields);

/* TSSmartCardCreds (MS-CSSP 2.2.1.2.2) */
static const struct shape_field smart_card_creds_fields[] = {
    { &shape_secret, 0 },   /* pin */
    { &shape_csp_data, 0 }, /* cspData */
    { &shape_name, 1 },     /* userHint */
    { &shape_name, 1 },     /* domainHint */
};
static const struct shape shape_smart_card_creds =
    SEQUENCE_SHAPE(smart_card_creds_fields);

/* TSRemoteGuardPackageCred (MS-CSSP 2.2.1.2.3.1) and the
 * supplementalCreds list */
static const struct shape_field package_cred_fields[] = {
    { &shape_name, 0 },        /* packageName */
    { &shape_cred_buffer, 0 }, /* credBuffer */
};
static const struct shape shape_package_cred =
    SEQUENCE_SHAPE(package_cred_fields);
static const struct shape shape_package_creds =
    SEQUENCE_OF_SHAPE(CREDSSP_ASN1_MAX_SUPPLEMENTAL, &shape_package_cred);

/* TSRemoteGuardCreds (MS-CSSP 2.2.1.2.3) */
static const struct shape_field remote_guard_creds_fields[] = {
    { &shape_package_cred, 0 },  /* logonCred */
    { &shape_package_creds, 1 }, /* supplementalCreds */
};
static const struct shape shape_remote_guard_creds =
    SEQUENCE_SHAPE(remote_guard_creds_fields);

/* ---- Message descriptors ------------------------------------------- */

/*
 * What the generic decode_message() and encode_message() need to know
 * about one public message type.  read fills a zeroed struct of the type
 * and may leave it half filled on failure; release frees (wiping) what a
 * struct of the type owns and leaves it zeroed.  wipe != 0 for messages
 * that hold credentials: their encodings are built in wiped memory.
 */
struct message_desc {
    const char *type;
    const struct shape *shape;
    size_t size;
    int wipe;
    int (*read)(asn1_node node, void *out);
    int (*write)(asn1_node node, const void *in);
    void (*release)(void *msg);
};

/* Room for a decoded message of any type while decode_message() reads
 * it: every struct a message_desc describes is a member. */
union any_message {
    struct credssp_ts_request ts_request;
    struct credssp_ts_credentials ts_credentials;
    struct credssp_password_creds password_creds;
    struct credssp_smart_card_creds smart_card_creds;
    struct credssp_remote_guard_creds remote_guard_creds;
};

/* ---- The definitions tree ------------------------------------------ */

static pthread_once_t definitions_once = PTHREAD_ONCE_INIT;
static asn1_node definitions;
static int definitions_status;

/* ---- Prototypes of the static helpers ------------------------------ */

/* DER pre-walk */
static int read_header(struct credssp_in *in, uint8_t *tag, size_t *len);
static int check_integer(const uint8_t *content, size_t len);
static int check_tlv(struct credssp_in *in, const struct shape *shape);
static int check_sequence(const uint8_t *content, size_t len,
                          const struct shape *shape);
static int check_sequence_of(const uint8_t *content, size_t len,
                             const struct shape *shape);
static int check_message(const uint8_t *der, size_t len,
                         const struct shape *shape);

/* libtasn1 plumbing */
static int credssp_asn1_err(int rc, char *description);
static int size_to_int(size_t len, int *out);
static void init_definitions(void);
static void free_definitions(void) __attribute__((destructor));
static int new_node(const char *type, asn1_node *node);
static void delete_node(asn1_node *node);
static int decode_node(const char *type, const struct shape *shape,
                       const uint8_t *der, size_t len, asn1_node *node);
static int encode_node(asn1_node node, int wipe, struct credssp_buf *out);

/* Typed field access */
static int format_path(char *path, const char *fmt, const char *prefix,
                       size_t index);
static int read_octets(asn1_node node, const char *path, size_t max,
                       int optional, int *present, struct credssp_buf *out);
static int read_opt(asn1_node node, const char *path, size_t max,
                    struct credssp_asn1_opt *out);
static int read_integer(asn1_node node, const char *path, int optional,
                        int *present, int64_t *value);
static int read_int32(asn1_node node, const char *path, int optional,
                      int *present, uint32_t *value);
static int read_list_count(asn1_node node, const char *path, size_t max,
                           int *present, size_t *count);
static int check_buf(const struct credssp_buf *b, size_t max);
static int write_octets(asn1_node node, const char *path,
                        const struct credssp_buf *value, size_t max);
static int write_opt(asn1_node node, const char *path,
                     const struct credssp_asn1_opt *opt, size_t max);
static const uint8_t *der_integer(int64_t value, uint8_t buf[8],
                                  size_t *len);
static int write_integer(asn1_node node, const char *path, int64_t value);
static int write_absent(asn1_node node, const char *path);
static int write_new_element(asn1_node node, const char *path);
static int write_list_start(asn1_node node, const char *path, int present,
                            size_t count, const void *elems, size_t max);

/* Message parts */
static void free_opt(struct credssp_asn1_opt *opt);
static void free_nego_data(struct credssp_nego_data *nego);
static void free_package_cred(struct credssp_remote_guard_package_cred *pc);
static int read_nego_data(asn1_node node, struct credssp_nego_data *out);
static int read_csp_data(asn1_node node, struct credssp_csp_data_detail *out);
static int write_csp_data(asn1_node node,
                          const struct credssp_csp_data_detail *in);
static int read_package_cred(asn1_node node, const char *prefix,
                             struct credssp_remote_guard_package_cred *out);
static int
write_package_cred(asn1_node node, const char *prefix,
                   const struct credssp_remote_guard_package_cred *in);
static int read_supplemental(asn1_node node,
                             struct credssp_remote_guard_creds *out);
static int write_supplemental(asn1_node node,
                              const struct credssp_remote_guard_creds *in);

/* Whole messages: the struct message_desc members of each type, which
 * take the message struct as void * */
static int read_ts_request(asn1_node node, void *msg);
static void free_ts_request(void *msg);
static int read_ts_credentials(asn1_node node, void *msg);
static void free_ts_credentials(void *msg);
static int read_password_creds(asn1_node node, void *msg);
static void free_password_creds(void *msg);
static int read_smart_card_creds(asn1_node node, void *msg);
static int write_smart_card_creds(asn1_node node, const void *msg);
static void free_smart_card_creds(void *msg);
static int read_remote_guard_creds(asn1_node node, void *msg);
static int write_remote_guard_creds(asn1_node node, const void *msg);
static void free_remote_guard_creds(void *msg);
static int decode_message(const struct message_desc *desc, const uint8_t *der,
                          size_t len, void *out);
static int encode_message(const struct message_desc *desc, const void *in,
                          struct credssp_buf *out);

/* ---- One descriptor per public message type ------------------------ */

static const struct message_desc ts_request_message = {
    .type = TYPE_TS_REQUEST,
    .shape = &shape_ts_request,
    .size = sizeof(struct credssp_ts_request),
    .wipe = 0,
    .read = read_ts_request,
    .write = NULL, /* by hand: encode_ts_request_der */
    .release = free_ts_request,
};

static const struct message_desc ts_credentials_message = {
    .type = TYPE_TS_CREDENTIALS,
    .shape = &shape_ts_credentials,
    .size = sizeof(struct credssp_ts_credentials),
    .wipe = 1,
    .read = read_ts_credentials,
    .write = NULL, /* by hand: encode_ts_credentials_der */
    .release = free_ts_credentials,
};

static const struct message_desc password_creds_message = {
    .type = TYPE_PASSWORD_CREDS,
    .shape = &shape_password_creds,
    .size = sizeof(struct credssp_password_creds),
    .wipe = 1,
    .read = read_password_creds,
    .write = NULL, /* by hand: encode_password_creds_der */
    .release = free_password_creds,
};

static const struct message_desc smart_card_creds_message = {
    .type = TYPE_SMART_CARD_CREDS,
    .shape = &shape_smart_card_creds,
    .size = sizeof(struct credssp_smart_card_creds),
    .wipe = 1,
    .read = read_smart_card_creds,
    .write = write_smart_card_creds,
    .release = free_smart_card_creds,
};

static const struct message_desc remote_guard_creds_message = {
    .type = TYPE_REMOTE_GUARD_CREDS,
    .shape = &shape_remote_guard_creds,
    .size = sizeof(struct credssp_remote_guard_creds),
    .wipe = 1,
    .read = read_remote_guard_creds,
    .write = write_remote_guard_creds,
    .release = free_remote_guard_creds,
};

/* ---- DER pre-walk --------------------------------------------------- */

/*
 * Read one identifier and length.  Only single-byte tags exist in
 * credssp.asn, so the high-tag-number form is an unexpected tag.  The
 * declared length must fit in what remains of in.
 */
static int
read_header(struct credssp_in *in, uint8_t *tag, size_t *len)
{
    const uint8_t *p;
    size_t n, i, value;

    if (in->len < 2) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_TRUNCATED);
    }
    *tag = credssp_in_u8(in);
    if ((*tag & DER_TAG_NUMBER_MASK) == DER_TAG_NUMBER_MASK) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_TAG);
    }
    n = credssp_in_u8(in);
    if (n < 0x80) {
        value = n;
    } else if (n == 0x80) {
        /* Indefinite length: BER only. */
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_NOT_DER);
    } else if (n == 0xff) {
        /* Reserved by X.690 8.1.3.5. */
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_MALFORMED);
    } else {
        n &= 0x7f;
        p = credssp_in_bytes(in, n);
        if (p == NULL) {
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_TRUNCATED);
        }
        if (p[0] == 0) {
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_NOT_DER);
        }
        if (n > sizeof(size_t)) {
            /* Non-zero leading byte: longer than any input can be. */
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_TRUNCATED);
        }
        value = 0;
        for (i = 0; i < n; i++) {
            value = (value << 8) | p[i];
        }
        if (value < 0x80) {
            /* The short form would have done. */
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_NOT_DER);
        }
    }
    if (value > in->len) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_TRUNCATED);
    }
    *len = value;
    return 0;
}

/* X.690 8.3: at least one byte; the first nine bits not all equal. */
static int
check_integer(const uint8_t *content, size_t len)
{
    if (len == 0) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_MALFORMED);
    }
    if (len > 1 && ((content[0] == 0x00 && (content[1] & 0x80) == 0) ||
                    (content[0] == 0xff && (content[1] & 0x80) != 0))) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_NOT_DER);
    }
    return 0;
}

/* One TLV of the given shape at the cursor; the cursor moves past it. */
static int
check_tlv(struct credssp_in *in, const struct shape *shape)
{
    const uint8_t *content;
    uint8_t tag, want;
    size_t len;
    int ret;

    ret = read_header(in, &tag, &len);
    if (ret != 0) {
        return ret;
    }
    switch (shape->kind) {
    case SHAPE_INTEGER:
        want = DER_TAG_INTEGER;
        break;
    case SHAPE_OCTETS:
        want = DER_TAG_OCTET_STRING;
        break;
    default:
        want = DER_TAG_SEQUENCE;
        break;
    }
    if (tag != want) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_TAG);
    }
    content = credssp_in_bytes(in, len);
    switch (shape->kind) {
    case SHAPE_INTEGER:
        return check_integer(content, len);
    case SHAPE_OCTETS:
        if (len > shape->max) {
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_FIELD_SIZE);
        }
        return 0;
    case SHAPE_SEQUENCE:
        return check_sequence(content, len, shape);
    default:
        return check_sequence_of(content, len, shape);
    }
}

/*
 * The content of a SEQUENCE whose field i is [i] EXPLICIT: context tags
 * strictly increasing, each wrapping exactly one TLV of the field's
 * shape, no mandatory field skipped.
 */
static int
check_sequence(const uint8_t *content, size_t len, const struct shape *shape)
{
    struct credssp_in in, inner;
    size_t next = 0, number, i, inner_len;
    uint8_t tag;
    int ret;

    credssp_in_init(&in, content, len);
    while (in.len > 0) {
        ret = read_header(&in, &tag, &inner_len);
        if (ret != 0) {
            return ret;
        }
        number = tag & DER_TAG_NUMBER_MASK;
        if ((tag & DER_CLASS_FORM_MASK) != DER_CONTEXT_CONSTRUCTED ||
            number >= shape->nfields || number < next) {
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_TAG);
        }
        for (i = next; i < number; i++) {
            if (!shape->fields[i].optional) {
                return CREDSSP_ERR(CREDSSP_ERR_ASN1_MISSING);
            }
        }
        if (inner_len == 0) {
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_MALFORMED);
        }
        credssp_in_init(&inner, credssp_in_bytes(&in, inner_len), inner_len);
        ret = check_tlv(&inner, shape->fields[number].shape);
        if (ret != 0) {
            return ret;
        }
        if (inner.len != 0) {
            /* An explicit tag wraps exactly one TLV. */
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_MALFORMED);
        }
        next = number + 1;
    }
    for (i = next; i < shape->nfields; i++) {
        if (!shape->fields[i].optional) {
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_MISSING);
        }
    }
    return 0;
}

/* The content of a SEQUENCE OF: at most shape->max elements. */
static int
check_sequence_of(const uint8_t *content, size_t len,
                  const struct shape *shape)
{
    struct credssp_in in;
    size_t count = 0;
    int ret;

    credssp_in_init(&in, content, len);
    while (in.len > 0) {
        if (count == shape->max) {
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_FIELD_SIZE);
        }
        ret = check_tlv(&in, shape->elem);
        if (ret != 0) {
            return ret;
        }
        count++;
    }
    return 0;
}

/* A whole message: one TLV of the shape and nothing after it. */
static int
check_message(const uint8_t *der, size_t len, const struct shape *shape)
{
    struct credssp_in in;
    int ret;

    credssp_in_init(&in, der, len);
    ret = check_tlv(&in, shape);
    if (ret != 0) {
        return ret;
    }
    if (in.len != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_TRAILING);
    }
    return 0;
}

/* ---- libtasn1 plumbing ---------------------------------------------- */

/*
 * The one mapping of libtasn1 results to ours (STYLE.md 4.4, 4.8).  The
 * description libtasn1 wrote (element names, never values) is cleared
 * here: it is not part of any result.  The origin hook of CREDSSP_ERR()
 * records where the failure was seen.
 */
static int
credssp_asn1_err(int rc, char *description)
{
    if (description != NULL) {
        description[0] = '\0';
    }
    switch (rc) {
    case ASN1_SUCCESS:
        return 0;
    case ASN1_MEM_ALLOC_ERROR:
        return ENOMEM;
    case ASN1_TAG_ERROR:
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_TAG);
    case ASN1_DER_ERROR:
    case ASN1_DER_OVERFLOW:
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_MALFORMED);
    case ASN1_ELEMENT_NOT_FOUND:
    case ASN1_VALUE_NOT_FOUND:
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_MISSING);
    default:
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL);
    }
}

/* libtasn1 takes int lengths. */
static int
size_to_int(size_t len, int *out)
{
    if (len > INT_MAX) {
        return CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
    }
    *out = (int)len;
    return 0;
}

static void
init_definitions(void)
{
    char description[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
    int rc;

    if (asn1_check_version(MIN_LIBTASN1_VERSION) == NULL) {
        definitions_status = CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL);
        return;
    }
    rc = asn1_array2tree(credssp_asn1_tab, &definitions, description);
    if (rc != ASN1_SUCCESS) {
        definitions_status = credssp_asn1_err(rc, description);
        if (definitions_status != ENOMEM) {
            definitions_status = CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL);
        }
        definitions = NULL;
    }
}

static void
free_definitions(void)
{
    if (definitions != NULL) {
        asn1_delete_structure(&definitions);
    }
}

/* An empty node of the named type. */
static int
new_node(const char *type, asn1_node *node)
{
    int rc;

    if (pthread_once(&definitions_once, init_definitions) != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL);
    }
    if (definitions_status != 0) {
        return definitions_status;
    }
    rc = asn1_create_element(definitions, type, node);
    return credssp_asn1_err(rc, NULL);
}

/* Every tree is deleted zeroized: most of them hold credentials. */
static void
delete_node(asn1_node *node)
{
    if (*node != NULL) {
        (void)asn1_delete_structure2(node, ASN1_DELETE_FLAG_ZEROIZE);
        *node = NULL;
    }
}

/*
 * Size check, pre-walk, then strict DER decoding of the whole input into
 * a new node of the type.  *node is written only on success.
 */
static int
decode_node(const char *type, const struct shape *shape, const uint8_t *der,
            size_t len, asn1_node *node)
{
    char description[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
    asn1_node tmp = NULL;
    int ilen = 0, rc, ret;

    if (der == NULL && len != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (len > CREDSSP_ASN1_MAX_MESSAGE) {
        return CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
    }
    ret = check_message(der, len, shape);
    if (ret != 0) {
        goto done;
    }
    ret = size_to_int(len, &ilen);
    if (ret != 0) {
        goto done;
    }
    ret = new_node(type, &tmp);
    if (ret != 0) {
        goto done;
    }
    rc = asn1_der_decoding2(&tmp, der, &ilen, ASN1_DECODE_FLAG_STRICT_DER,
                            description);
    if (rc != ASN1_SUCCESS) {
        /* libtasn1 has already deleted the tree. */
        tmp = NULL;
        ret = credssp_asn1_err(rc, description);
        goto done;
    }
    if (ilen < 0 || (size_t)ilen != len) {
        ret = CREDSSP_ERR(CREDSSP_ERR_ASN1_TRAILING);
        goto done;
    }
    *node = tmp;
    tmp = NULL;

done:
    delete_node(&tmp);
    return ret;
}

/*
 * DER of a complete node into a new buffer of exactly the right size.
 * wipe != 0: the buffer is wiped if anything fails after it was filled.
 */
static int
encode_node(asn1_node node, int wipe, struct credssp_buf *out)
{
    char description[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
    uint8_t *der = NULL;
    size_t len = 0;
    int ilen = 0, rc, ret;

    rc = asn1_der_coding(node, "", NULL, &ilen, description);
    if (rc != ASN1_MEM_ERROR) {
        ret = rc == ASN1_SUCCESS ? CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL)
                                 : credssp_asn1_err(rc, description);
        goto done;
    }
    if (ilen <= 0) {
        ret = CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL);
        goto done;
    }
    if ((size_t)ilen > CREDSSP_ASN1_MAX_MESSAGE) {
        ret = CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
        goto done;
    }
    len = (size_t)ilen;
    der = malloc(len);
    if (der == NULL) {
        ret = ENOMEM;
        goto done;
    }
    rc = asn1_der_coding(node, "", der, &ilen, description);
    if (rc != ASN1_SUCCESS) {
        ret = credssp_asn1_err(rc, description);
        goto done;
    }
    if ((size_t)ilen != len) {
        ret = CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL);
        goto done;
    }
    out->data = der;
    out->len = len;
    der = NULL;
    ret = 0;

done:
    if (wipe) {
        credssp_zapfree(der, len);
    } else {
        free(der);
    }
    return ret;
}

/* ---- Typed field access ---------------------------------------------- */

/* Expand a _FMT path that takes either a prefix or an index. */
static int
format_path(char *path, const char *fmt, const char *prefix, size_t index)
{
    int n;

    if (prefix != NULL) {
        n = snprintf(path, PATH_MAX_LEN, fmt, prefix);
    } else {
        n = snprintf(path, PATH_MAX_LEN, fmt, index);
    }
    if (n < 0 || n >= PATH_MAX_LEN) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL);
    }
    return 0;
}

/*
 * Size query, limit check, allocation, read (STYLE.md 4.8).  An absent
 * OPTIONAL field sets *present = 0 and leaves out empty; a mandatory
 * field that is absent is CREDSSP_ERR_ASN1_MISSING.  present may be NULL
 * for mandatory fields.
 */
static int
read_octets(asn1_node node, const char *path, size_t max, int optional,
            int *present, struct credssp_buf *out)
{
    uint8_t *data = NULL;
    size_t len = 0;
    int ilen = 0, rc, ret;

    out->data = NULL;
    out->len = 0;
    if (present != NULL) {
        *present = 0;
    }
    rc = asn1_read_value(node, path, NULL, &ilen);
    if (rc == ASN1_ELEMENT_NOT_FOUND && optional) {
        return 0;
    }
    if (rc != ASN1_SUCCESS && rc != ASN1_MEM_ERROR) {
        return credssp_asn1_err(rc, NULL);
    }
    if (ilen < 0) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL);
    }
    len = (size_t)ilen;
    if (len > max) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_FIELD_SIZE);
    }
    if (len > 0) {
        data = malloc(len);
        if (data == NULL) {
            return ENOMEM;
        }
        rc = asn1_read_value(node, path, data, &ilen);
        if (rc != ASN1_SUCCESS || (size_t)ilen != len) {
            ret = rc != ASN1_SUCCESS ? credssp_asn1_err(rc, NULL)
                                     : CREDSSP_ERR(CREDSSP_ERR_ASN1_INTERNAL);
            credssp_zapfree(data, len);
            return ret;
        }
    }
    out->data = data;
    out->len = len;
    if (present != NULL) {
        *present = 1;
    }
    return 0;
}

static int
read_opt(asn1_node node, const char *path, size_t max,
         struct credssp_asn1_opt *out)
{
    return read_octets(node, path, max, 1, &out->present, &out->value);
}

/*
 * An INTEGER in [-2^31, 2^32-1] (at most five content bytes, the walk has
 * checked it is minimal); anything wider is CREDSSP_ERR_ASN1_RANGE.
 */
static int
read_integer(asn1_node node, const char *path, int optional, int *present,
             int64_t *value)
{
    uint8_t bytes[8];
    uint64_t acc;
    int ilen = (int)sizeof(bytes), rc, i;

    if (present != NULL) {
        *present = 0;
    }
    rc = asn1_read_value(node, path, bytes, &ilen);
    if (rc == ASN1_ELEMENT_NOT_FOUND && optional) {
        return 0;
    }
    if (rc == ASN1_MEM_ERROR) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_RANGE);
    }
    if (rc != ASN1_SUCCESS) {
        return credssp_asn1_err(rc, NULL);
    }
    if (ilen < 1) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_MALFORMED);
    }
    if (ilen > INT_MAX_CONTENT) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_RANGE);
    }
    acc = (bytes[0] & 0x80) != 0 ? UINT64_MAX : 0;
    for (i = 0; i < ilen; i++) {
        acc = (acc << 8) | bytes[i];
    }
    *value = (int64_t)acc;
    if (*value < INT32_MIN || *value > (int64_t)UINT32_MAX) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_RANGE);
    }
    if (present != NULL) {
        *present = 1;
    }
    return 0;
}

/* A 32-bit value sent signed or unsigned: negative values become their
 * two's complement (0xC000006D arrives as -1073741715 or 3221225581). */
static int
read_int32(asn1_node node, const char *path, int optional, int *present,
           uint32_t *value)
{
    int64_t v = 0;
    int ret;

    ret = read_integer(node, path, optional, present, &v);
    if (ret != 0) {
        return ret;
    }
    *value = (uint32_t)v;
    return 0;
}

/*
 * The number of elements of an OPTIONAL SEQUENCE OF, at most max (the
 * walk has checked it; this keeps the allocation bounded on its own).
 * An absent field sets *present = 0 and *count = 0.
 */
static int
read_list_count(asn1_node node, const char *path, size_t max, int *present,
                size_t *count)
{
    int n = 0, rc;

    *present = 0;
    *count = 0;
    rc = asn1_number_of_elements(node, path, &n);
    if (rc == ASN1_ELEMENT_NOT_FOUND) {
        return 0;
    }
    if (rc != ASN1_SUCCESS) {
        return credssp_asn1_err(rc, NULL);
    }
    if (n < 0 || (size_t)n > max) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_FIELD_SIZE);
    }
    *present = 1;
    *count = (size_t)n;
    return 0;
}

/* A caller-supplied byte string: consistent and within its limit. */
static int
check_buf(const struct credssp_buf *b, size_t max)
{
    if (b->len != 0 && b->data == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (b->len > max) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_FIELD_SIZE);
    }
    return 0;
}

static int
write_octets(asn1_node node, const char *path,
             const struct credssp_buf *value, size_t max)
{
    static const char empty[] = "";
    int ilen = 0, ret;

    ret = check_buf(value, max);
    if (ret != 0) {
        return ret;
    }
    ret = size_to_int(value->len, &ilen);
    if (ret != 0) {
        return ret;
    }
    /* For OCTET STRING, libtasn1 reads a zero length as "use strlen()";
     * an empty C string gives the empty value. */
    if (value->len == 0) {
        return credssp_asn1_err(asn1_write_value(node, path, empty, 0),
                                NULL);
    }
    return credssp_asn1_err(asn1_write_value(node, path, value->data, ilen),
                            NULL);
}

static int
write_opt(asn1_node node, const char *path,
          const struct credssp_asn1_opt *opt, size_t max)
{
    if (!opt->present) {
        return write_absent(node, path);
    }
    return write_octets(node, path, &opt->value, max);
}

/* The minimal two's complement form of value (X.690 8.3): *len bytes at
 * the pointer returned, inside buf. */
static const uint8_t *
der_integer(int64_t value, uint8_t buf[8], size_t *len)
{
    size_t i, start = 0;

    for (i = 0; i < 8; i++) {
        buf[7 - i] = (uint8_t)((uint64_t)value >> (8 * i));
    }
    while (start < 7 &&
           ((buf[start] == 0x00 && (buf[start + 1] & 0x80) == 0) ||
            (buf[start] == 0xff && (buf[start + 1] & 0x80) != 0))) {
        start++;
    }
    *len = 8 - start;
    return buf + start;
}

static int
write_integer(asn1_node node, const char *path, int64_t value)
{
    uint8_t buf[8];
    const uint8_t *bytes;
    size_t len;

    bytes = der_integer(value, buf, &len);
    return credssp_asn1_err(asn1_write_value(node, path, bytes, (int)len),
                            NULL);
}

/* Mark an OPTIONAL field absent. */
static int
write_absent(asn1_node node, const char *path)
{
    return credssp_asn1_err(asn1_write_value(node, path, NULL, 0), NULL);
}

/* Append an element to a SEQUENCE OF. */
static int
write_new_element(asn1_node node, const char *path)
{
    return credssp_asn1_err(asn1_write_value(node, path, "NEW", 1), NULL);
}

/*
 * Start writing a caller-supplied OPTIONAL SEQUENCE OF: present == 0
 * needs count == 0 and marks the field absent; otherwise count is at most
 * max and elems is not NULL when count > 0.  The caller then appends the
 * count elements; with none appended the field encodes as a1 02 30 00.
 */
static int
write_list_start(asn1_node node, const char *path, int present, size_t count,
                 const void *elems, size_t max)
{
    if (!present) {
        if (count != 0) {
            return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
        }
        return write_absent(node, path);
    }
    if (count > max) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_FIELD_SIZE);
    }
    if (count > 0 && elems == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    return 0;
}

/* ---- Message parts ---------------------------------------------------- */

static void
free_opt(struct credssp_asn1_opt *opt)
{
    credssp_buf_wipe_free(&opt->value);
    opt->present = 0;
}

static void
free_nego_data(struct credssp_nego_data *nego)
{
    size_t i;

    if (nego->tokens != NULL) {
        for (i = 0; i < nego->count; i++) {
            credssp_buf_wipe_free(&nego->tokens[i]);
        }
        free(nego->tokens);
    }
    nego->tokens = NULL;
    nego->count = 0;
    nego->present = 0;
}

static void
free_package_cred(struct credssp_remote_guard_package_cred *pc)
{
    credssp_buf_wipe_free(&pc->package_name);
    credssp_buf_wipe_free(&pc->cred_buffer);
}

/* NegoData (MS-CSSP 2.2.1.1); out is zeroed by the caller. */
static int
read_nego_data(asn1_node node, struct credssp_nego_data *out)
{
    char path[PATH_MAX_LEN];
    size_t count = 0, i;
    int ret;

    ret = read_list_count(node, PATH_NEGO_TOKENS, CREDSSP_ASN1_MAX_NEGO_TOKENS,
                          &out->present, &count);
    if (ret != 0 || count == 0) {
        return ret;
    }
    out->tokens = calloc(count, sizeof(*out->tokens));
    if (out->tokens == NULL) {
        return ENOMEM;
    }
    out->count = count;
    for (i = 0; i < out->count; i++) {
        ret = format_path(path, PATH_NEGO_TOKEN_FMT, NULL, i + 1);
        if (ret != 0) {
            return ret;
        }
        ret = read_octets(node, path, CREDSSP_ASN1_MAX_NEGO_TOKEN, 0, NULL,
                          &out->tokens[i]);
        if (ret != 0) {
            return ret;
        }
    }
    return 0;
}

/* TSCspDataDetail (MS-CSSP 2.2.1.2.2.1) */
static int
read_csp_data(asn1_node node, struct credssp_csp_data_detail *out)
{
    int ret;

    ret = read_int32(node, PATH_KEY_SPEC, 0, NULL, &out->key_spec);
    if (ret != 0) {
        return ret;
    }
    ret = read_opt(node, PATH_CARD_NAME, CREDSSP_ASN1_MAX_NAME,
                   &out->card_name);
    if (ret != 0) {
        return ret;
    }
    ret = read_opt(node, PATH_READER_NAME, CREDSSP_ASN1_MAX_NAME,
                   &out->reader_name);
    if (ret != 0) {
        return ret;
    }
    ret = read_opt(node, PATH_CONTAINER_NAME, CREDSSP_ASN1_MAX_NAME,
                   &out->container_name);
    if (ret != 0) {
        return ret;
    }
    return read_opt(node, PATH_CSP_NAME, CREDSSP_ASN1_MAX_NAME,
                    &out->csp_name);
}

static int
write_csp_data(asn1_node node, const struct credssp_csp_data_detail *in)
{
    int ret;

    ret = write_integer(node, PATH_KEY_SPEC, (int32_t)in->key_spec);
    if (ret != 0) {
        return ret;
    }
    ret = write_opt(node, PATH_CARD_NAME, &in->card_name,
                    CREDSSP_ASN1_MAX_NAME);
    if (ret != 0) {
        return ret;
    }
    ret = write_opt(node, PATH_READER_NAME, &in->reader_name,
                    CREDSSP_ASN1_MAX_NAME);
    if (ret != 0) {
        return ret;
    }
    ret = write_opt(node, PATH_CONTAINER_NAME, &in->container_name,
                    CREDSSP_ASN1_MAX_NAME);
    if (ret != 0) {
        return ret;
    }
    return write_opt(node, PATH_CSP_NAME, &in->csp_name,
                     CREDSSP_ASN1_MAX_NAME);
}

/* TSRemoteGuardPackageCred (MS-CSSP 2.2.1.2.3.1) at path prefix */
static int
read_package_cred(asn1_node node, const char *prefix,
                  struct credssp_remote_guard_package_cred *out)
{
    char path[PATH_MAX_LEN];
    int ret;

    ret = format_path(path, PATH_PACKAGE_NAME_FMT, prefix, 0);
    if (ret != 0) {
        return ret;
    }
    ret = read_octets(node, path, CREDSSP_ASN1_MAX_NAME, 0, NULL,
                      &out->package_name);
    if (ret != 0) {
        return ret;
    }
    ret = format_path(path, PATH_CRED_BUFFER_FMT, prefix, 0);
    if (ret != 0) {
        return ret;
    }
    return read_octets(node, path, CREDSSP_ASN1_MAX_CRED_BUFFER, 0, NULL,
                       &out->cred_buffer);
}

static int
write_package_cred(asn1_node node, const char *prefix,
                   const struct credssp_remote_guard_package_cred *in)
{
    char path[PATH_MAX_LEN];
    int ret;

    ret = format_path(path, PATH_PACKAGE_NAME_FMT, prefix, 0);
    if (ret != 0) {
        return ret;
    }
    ret = write_octets(node, path, &in->package_name, CREDSSP_ASN1_MAX_NAME);
    if (ret != 0) {
        return ret;
    }
    ret = format_path(path, PATH_CRED_BUFFER_FMT, prefix, 0);
    if (ret != 0) {
        return ret;
    }
    return write_octets(node, path, &in->cred_buffer,
                        CREDSSP_ASN1_MAX_CRED_BUFFER);
}

/* supplementalCreds (MS-CSSP 2.2.1.2.3); out is zeroed by the caller. */
static int
read_supplemental(asn1_node node, struct credssp_remote_guard_creds *out)
{
    char path[PATH_MAX_LEN];
    size_t count = 0, i;
    int ret;

    ret = read_list_count(node, PATH_SUPPLEMENTAL,
                          CREDSSP_ASN1_MAX_SUPPLEMENTAL,
                          &out->has_supplemental, &count);
    if (ret != 0 || count == 0) {
        return ret;
    }
    out->supplemental = calloc(count, sizeof(*out->supplemental));
    if (out->supplemental == NULL) {
        return ENOMEM;
    }
    out->supplemental_count = count;
    for (i = 0; i < out->supplemental_count; i++) {
        ret = format_path(path, PATH_SUPPLEMENTAL_FMT, NULL, i + 1);
        if (ret != 0) {
            return ret;
        }
        ret = read_package_cred(node, path, &out->supplemental[i]);
        if (ret != 0) {
            return ret;
        }
    }
    return 0;
}

static int
write_supplemental(asn1_node node, const struct credssp_remote_guard_creds *in)
{
    size_t i;
    int ret;

    ret = write_list_start(node, PATH_SUPPLEMENTAL, in->has_supplemental,
                           in->supplemental_count, in->supplemental,
                           CREDSSP_ASN1_MAX_SUPPLEMENTAL);
    if (ret != 0) {
        return ret;
    }
    for (i = 0; i < in->supplemental_count; i++) {
        ret = write_new_element(node, PATH_SUPPLEMENTAL);
        if (ret != 0) {
            return ret;
        }
        ret = write_package_cred(node, PATH_SUPPLEMENTAL_LAST,
                                 &in->supplemental[i]);
        if (ret != 0) {
            return ret;
        }
    }
    return 0;
}

/* ---- Whole messages --------------------------------------------------- */

/* TSRequest (MS-CSSP 2.2.1); msg is zeroed by the caller. */
static int
read_ts_request(asn1_node node, void *msg)
{
    struct credssp_ts_request *out = msg;
    int64_t version = 0;
    int ret;

    ret = read_integer(node, PATH_VERSION, 0, NULL, &version);
    if (ret != 0) {
        return ret;
    }
    if (version < 0) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_RANGE);
    }
    out->version = (uint32_t)version;
    ret = read_nego_data(node, &out->nego_tokens);
    if (ret != 0) {
        return ret;
    }
    ret = read_opt(node, PATH_AUTH_INFO, CREDSSP_ASN1_MAX_AUTH_INFO,
                   &out->auth_info);
    if (ret != 0) {
        return ret;
    }
    ret = read_opt(node, PATH_PUB_KEY_AUTH, CREDSSP_ASN1_MAX_PUB_KEY_AUTH,
                   &out->pub_key_auth);
    if (ret != 0) {
        return ret;
    }
    ret = read_int32(node, PATH_ERROR_CODE, 1, &out->has_error_code,
                     &out->error_code);
    if (ret != 0) {
        return ret;
    }
    ret = read_opt(node, PATH_CLIENT_NONCE, CREDSSP_ASN1_MAX_MESSAGE,
                   &out->client_nonce);
    if (ret != 0) {
        return ret;
    }
    if (out->client_nonce.present &&
        out->client_nonce.value.len != CREDSSP_ASN1_NONCE_LEN) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_NONCE);
    }
    return 0;
}

/* Release everything a TSRequest owns, wiped; accepts NULL; leaves it
 * zeroed. */
static void
free_ts_request(void *msg)
{
    struct credssp_ts_request *req = msg;

    if (req == NULL) {
        return;
    }
    free_nego_data(&req->nego_tokens);
    free_opt(&req->auth_info);
    free_opt(&req->pub_key_auth);
    free_opt(&req->client_nonce);
    memset(req, 0, sizeof(*req));
}

/* TSCredentials (MS-CSSP 2.2.1.2); the credentials stay unparsed bytes.
 * credssp_asn1_encode_ts_credentials() checks credType before encoding. */
static int
read_ts_credentials(asn1_node node, void *msg)
{
    struct credssp_ts_credentials *out = msg;
    int ret;

    ret = read_int32(node, PATH_CRED_TYPE, 0, NULL, &out->cred_type);
    if (ret != 0) {
        return ret;
    }
    return read_octets(node, PATH_CREDENTIALS, CREDSSP_ASN1_MAX_CREDENTIALS,
                       0, NULL, &out->credentials);
}

static void
free_ts_credentials(void *msg)
{
    struct credssp_ts_credentials *creds = msg;

    if (creds == NULL) {
        return;
    }
    credssp_buf_wipe_free(&creds->credentials);
    memset(creds, 0, sizeof(*creds));
}

/* TSPasswordCreds (MS-CSSP 2.2.1.2.1) */
static int
read_password_creds(asn1_node node, void *msg)
{
    struct credssp_password_creds *out = msg;
    int ret;

    ret = read_octets(node, PATH_DOMAIN_NAME, CREDSSP_ASN1_MAX_NAME, 0, NULL,
                      &out->domain_name);
    if (ret != 0) {
        return ret;
    }
    ret = read_octets(node, PATH_USER_NAME, CREDSSP_ASN1_MAX_NAME, 0, NULL,
                      &out->user_name);
    if (ret != 0) {
        return ret;
    }
    return read_octets(node, PATH_PASSWORD, CREDSSP_ASN1_MAX_SECRET, 0, NULL,
                       &out->password);
}

static void
free_password_creds(void *msg)
{
    struct credssp_password_creds *creds = msg;

    if (creds == NULL) {
        return;
    }
    credssp_buf_wipe_free(&creds->domain_name);
    credssp_buf_wipe_free(&creds->user_name);
    credssp_buf_wipe_free(&creds->password);
}

/* TSSmartCardCreds (MS-CSSP 2.2.1.2.2) */
static int
read_smart_card_creds(asn1_node node, void *msg)
{
    struct credssp_smart_card_creds *out = msg;
    int ret;

    ret = read_octets(node, PATH_PIN, CREDSSP_ASN1_MAX_SECRET, 0, NULL,
                      &out->pin);
    if (ret != 0) {
        return ret;
    }
    ret = read_csp_data(node, &out->csp_data);
    if (ret != 0) {
        return ret;
    }
    ret = read_opt(node, PATH_USER_HINT, CREDSSP_ASN1_MAX_NAME,
                   &out->user_hint);
    if (ret != 0) {
        return ret;
    }
    return read_opt(node, PATH_DOMAIN_HINT, CREDSSP_ASN1_MAX_NAME,
                    &out->domain_hint);
}

static int
write_smart_card_creds(asn1_node node, const void *msg)
{
    const struct credssp_smart_card_creds *in = msg;
    int ret;

    ret = write_octets(node, PATH_PIN, &in->pin, CREDSSP_ASN1_MAX_SECRET);
    if (ret != 0) {
        return ret;
    }
    ret = write_csp_data(node, &in->csp_data);
    if (ret != 0) {
        return ret;
    }
    ret = write_opt(node, PATH_USER_HINT, &in->user_hint,
                    CREDSSP_ASN1_MAX_NAME);
    if (ret != 0) {
        return ret;
    }
    return write_opt(node, PATH_DOMAIN_HINT, &in->domain_hint,
                     CREDSSP_ASN1_MAX_NAME);
}

static void
free_smart_card_creds(void *msg)
{
    struct credssp_smart_card_creds *creds = msg;

    if (creds == NULL) {
        return;
    }
    credssp_buf_wipe_free(&creds->pin);
    free_opt(&creds->csp_data.card_name);
    free_opt(&creds->csp_data.reader_name);
    free_opt(&creds->csp_data.container_name);
    free_opt(&creds->csp_data.csp_name);
    free_opt(&creds->user_hint);
    free_opt(&creds->domain_hint);
    memset(creds, 0, sizeof(*creds));
}

/* TSRemoteGuardCreds (MS-CSSP 2.2.1.2.3); msg is zeroed by the caller. */
static int
read_remote_guard_creds(asn1_node node, void *msg)
{
    struct credssp_remote_guard_creds *out = msg;
    int ret;

    ret = read_package_cred(node, PATH_LOGON_CRED, &out->logon_cred);
    if (ret != 0) {
        return ret;
    }
    return read_supplemental(node, out);
}

static int
write_remote_guard_creds(asn1_node node, const void *msg)
{
    const struct credssp_remote_guard_creds *in = msg;
    int ret;

    ret = write_package_cred(node, PATH_LOGON_CRED, &in->logon_cred);
    if (ret != 0) {
        return ret;
    }
    return write_supplemental(node, in);
}

static void
free_remote_guard_creds(void *msg)
{
    struct credssp_remote_guard_creds *creds = msg;
    size_t i;

    if (creds == NULL) {
        return;
    }
    free_package_cred(&creds->logon_cred);
    if (creds->supplemental != NULL) {
        for (i = 0; i < creds->supplemental_count; i++) {
            free_package_cred(&creds->supplemental[i]);
        }
        free(creds->supplemental);
    }
    memset(creds, 0, sizeof(*creds));
}

/*
 * Decode one message of type desc into *out, a struct of that type.  The
 * message is read into a zeroed temporary and moved into *out only when
 * complete; on failure the temporary is released (wiped) and *out is
 * left zeroed.
 */
static int
decode_message(const struct message_desc *desc, const uint8_t *der,
               size_t len, void *out)
{
    union any_message tmp;
    asn1_node node = NULL;
    int ret;

    memset(&tmp, 0, sizeof(tmp));
    memset(out, 0, desc->size);
    ret = decode_node(desc->type, desc->shape, der, len, &node);
    if (ret != 0) {
        goto done;
    }
    ret = desc->read(node, &tmp);
    if (ret != 0) {
        goto done;
    }
    memcpy(out, &tmp, desc->size);
    memset(&tmp, 0, sizeof(tmp));

done:
    desc->release(&tmp);
    delete_node(&node);
    return ret;
}

/*
 * Encode *in, a struct of type desc, into *out: empty first, the DER on
 * success.  The buffer is wiped on failure when desc->wipe says so.
 */
static int
encode_message(const struct message_desc *desc, const void *in,
               struct credssp_buf *out)
{
    asn1_node node = NULL;
    int ret;

    out->data = NULL;
    out->len = 0;
    ret = new_node(desc->type, &node);
    if (ret != 0) {
        goto done;
    }
    ret = desc->write(node, in);
    if (ret != 0) {
        goto done;
    }
    ret = encode_node(node, desc->wipe, out);

done:
    delete_node(&node);
    return ret;
}

/* ---- Messages encoded by hand ------------------------------------------ */

/*
 * TSPasswordCreds and TSCredentials carry the password.  libtasn1's
 * asn1_der_coding() builds them in working buffers of its own that it
 * frees without wiping, so these two are written here instead, straight
 * into a wiping writer: the password exists only in memory we wipe.
 * TSRequest, the message of every leg, is written here too: building a
 * libtasn1 tree for it cost more than the rest of CredSSP's own work per
 * context.  The decoder and the known-answer tests (check_asn1) hold all
 * three to the same DER as the descriptor-built messages.
 */

/* Bytes of a DER length field for len. */
static size_t
der_length_size(size_t len)
{
    size_t n = 1;

    if (len < 0x80) {
        return 1;
    }
    for (; len > 0; len >>= 8) {
        n++;
    }
    return n;
}

/* Bytes of a whole TLV whose contents are len bytes. */
static size_t
der_tlv_size(size_t len)
{
    return 1 + der_length_size(len) + len;
}

static void
der_put_header(struct credssp_out *o, uint8_t tag, size_t len)
{
    size_t n = der_length_size(len) - 1, i;

    credssp_out_u8(o, tag);
    if (n == 0) {
        credssp_out_u8(o, (uint8_t)len);
        return;
    }
    credssp_out_u8(o, (uint8_t)(0x80 | n));
    for (i = n; i > 0; i--) {
        credssp_out_u8(o, (uint8_t)(len >> (8 * (i - 1))));
    }
}

/* [tag] EXPLICIT OCTET STRING value: its size, and written when o. */
static size_t
der_octet_field(struct credssp_out *o, unsigned int tag,
                const struct credssp_buf *value)
{
    size_t inner = der_tlv_size(value->len);

    if (o != NULL) {
        der_put_header(o, (uint8_t)(0xa0 | tag), inner);
        der_put_header(o, 0x04, value->len);
        credssp_out_add(o, value->data, value->len);
    }
    return der_tlv_size(inner);
}

/* [tag] EXPLICIT INTEGER value: its size, and written when o. */
static size_t
der_integer_field(struct credssp_out *o, unsigned int tag, int64_t value)
{
    uint8_t buf[8];
    const uint8_t *bytes;
    size_t len, inner;

    bytes = der_integer(value, buf, &len);
    inner = der_tlv_size(len);
    if (o != NULL) {
        der_put_header(o, (uint8_t)(0xa0 | tag), inner);
        der_put_header(o, 0x02, len);
        credssp_out_add(o, bytes, len);
    }
    return der_tlv_size(inner);
}

/* [1] NegoData, SEQUENCE OF SEQUENCE { negoToken [0] OCTET STRING }: its
 * size, and written when o. */
static size_t
der_nego_field(struct credssp_out *o, const struct credssp_nego_data *in)
{
    size_t list = 0, i;

    for (i = 0; i < in->count; i++) {
        list += der_tlv_size(der_octet_field(NULL, 0, &in->tokens[i]));
    }
    if (o != NULL) {
        der_put_header(o, 0xa1, der_tlv_size(list));
        der_put_header(o, 0x30, list);
        for (i = 0; i < in->count; i++) {
            der_put_header(o, 0x30, der_octet_field(NULL, 0, &in->tokens[i]));
            (void)der_octet_field(o, 0, &in->tokens[i]);
        }
    }
    return der_tlv_size(der_tlv_size(list));
}

/* Hand the writer's bytes over; the writer is left released. */
static int
der_finish(struct credssp_out *o, struct credssp_buf *out)
{
    if (o->status == 0 && o->len > CREDSSP_ASN1_MAX_MESSAGE) {
        credssp_out_free(o);
        return CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
    }
    return credssp_out_finish(o, out);
}

static int
encode_password_creds_der(const struct credssp_password_creds *in,
                          struct credssp_buf *out)
{
    struct credssp_out o;
    size_t body;
    int ret;

    ret = check_buf(&in->domain_name, CREDSSP_ASN1_MAX_NAME);
    if (ret == 0) {
        ret = check_buf(&in->user_name, CREDSSP_ASN1_MAX_NAME);
    }
    if (ret == 0) {
        ret = check_buf(&in->password, CREDSSP_ASN1_MAX_SECRET);
    }
    if (ret != 0) {
        return ret;
    }
    body = der_octet_field(NULL, 0, &in->domain_name) +
           der_octet_field(NULL, 1, &in->user_name) +
           der_octet_field(NULL, 2, &in->password);
    credssp_out_init(&o, 1, 0);
    der_put_header(&o, 0x30, body);
    (void)der_octet_field(&o, 0, &in->domain_name);
    (void)der_octet_field(&o, 1, &in->user_name);
    (void)der_octet_field(&o, 2, &in->password);
    return der_finish(&o, out);
}

static int
encode_ts_credentials_der(const struct credssp_ts_credentials *in,
                          struct credssp_buf *out)
{
    struct credssp_out o;
    size_t body;
    int ret;

    ret = check_buf(&in->credentials, CREDSSP_ASN1_MAX_CREDENTIALS);
    if (ret != 0) {
        return ret;
    }
    /* credType is non-negative: a leading 0 when its top bit is set. */
    body = der_integer_field(NULL, 0, (int64_t)in->cred_type) +
           der_octet_field(NULL, 1, &in->credentials);
    credssp_out_init(&o, 1, 0);
    der_put_header(&o, 0x30, body);
    (void)der_integer_field(&o, 0, (int64_t)in->cred_type);
    (void)der_octet_field(&o, 1, &in->credentials);
    return der_finish(&o, out);
}

/* An OPTIONAL OCTET STRING field of a TSRequest: absent, or at most max
 * bytes (else CREDSSP_ERR_ASN1_FIELD_SIZE). */
static int
check_opt(const struct credssp_asn1_opt *opt, size_t max)
{
    return opt->present ? check_buf(&opt->value, max) : 0;
}

/* TSRequest (MS-CSSP 2.2.1): fields [0] to [5] in order, the absent
 * OPTIONAL ones left out; an empty NegoData is a1 02 30 00. */
static int
encode_ts_request_der(const struct credssp_ts_request *in,
                      struct credssp_buf *out)
{
    const struct credssp_nego_data *nego = &in->nego_tokens;
    struct credssp_out o;
    size_t body, i;
    int ret = 0;

    if (in->client_nonce.present &&
        in->client_nonce.value.len != CREDSSP_ASN1_NONCE_LEN) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_NONCE);
    }
    if (!nego->present && nego->count != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (nego->count > CREDSSP_ASN1_MAX_NEGO_TOKENS) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_FIELD_SIZE);
    }
    if (nego->count > 0 && nego->tokens == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    for (i = 0; ret == 0 && i < nego->count; i++) {
        ret = check_buf(&nego->tokens[i], CREDSSP_ASN1_MAX_NEGO_TOKEN);
    }
    if (ret == 0) {
        ret = check_opt(&in->auth_info, CREDSSP_ASN1_MAX_AUTH_INFO);
    }
    if (ret == 0) {
        ret = check_opt(&in->pub_key_auth, CREDSSP_ASN1_MAX_PUB_KEY_AUTH);
    }
    if (ret == 0) {
        ret = check_opt(&in->client_nonce, CREDSSP_ASN1_NONCE_LEN);
    }
    if (ret != 0) {
        return ret;
    }
    body = der_integer_field(NULL, 0, in->version);
    if (nego->present) {
        body += der_nego_field(NULL, nego);
    }
    if (in->auth_info.present) {
        body += der_octet_field(NULL, 2, &in->auth_info.value);
    }
    if (in->pub_key_auth.present) {
        body += der_octet_field(NULL, 3, &in->pub_key_auth.value);
    }
    if (in->has_error_code) {
        /* NTSTATUS: always the signed 32-bit form (MS-CSSP 2.2.1). */
        body += der_integer_field(NULL, 4, (int32_t)in->error_code);
    }
    if (in->client_nonce.present) {
        body += der_octet_field(NULL, 5, &in->client_nonce.value);
    }
    credssp_out_init(&o, 0, 0);
    der_put_header(&o, 0x30, body);
    (void)der_integer_field(&o, 0, in->version);
    if (nego->present) {
        (void)der_nego_field(&o, nego);
    }
    if (in->auth_info.present) {
        (void)der_octet_field(&o, 2, &in->auth_info.value);
    }
    if (in->pub_key_auth.present) {
        (void)der_octet_field(&o, 3, &in->pub_key_auth.value);
    }
    if (in->has_error_code) {
        (void)der_integer_field(&o, 4, (int32_t)in->error_code);
    }
    if (in->client_nonce.present) {
        (void)der_octet_field(&o, 5, &in->client_nonce.value);
    }
    return der_finish(&o, out);
}

/* ---- Entry points ------------------------------------------------------ */

/*
 * Decode a TSRequest.  Inputs: len bytes at der (borrowed).  On success
 * *out owns copies of every field; on failure *out is zeroed.  Codes as
 * listed in codec.h.
 */
int
credssp_asn1_decode_ts_request(const uint8_t *der, size_t len,
                               struct credssp_ts_request *out)
{
    return decode_message(&ts_request_message, der, len, out);
}

/*
 * Encode a TSRequest.  Inputs: *in (borrowed).  On success *out owns the
 * DER; on failure it is empty.
 */
int
credssp_asn1_encode_ts_request(const struct credssp_ts_request *in,
                               struct credssp_buf *out)
{
    out->data = NULL;
    out->len = 0;
    return encode_ts_request_der(in, out);
}

/* Release everything *req owns, wiped; *req is left zeroed. */
void
credssp_asn1_ts_request_free(struct credssp_ts_request *req)
{
    free_ts_request(req);
}

/* 0 for the credential types MS-CSSP 2.2.1.2 defines, else
 * CREDSSP_ERR_BAD_CRED_TYPE. */
int
credssp_asn1_check_cred_type(uint32_t cred_type)
{
    switch (cred_type) {
    case CREDSSP_CRED_TYPE_PASSWORD:
    case CREDSSP_CRED_TYPE_SMART_CARD:
    case CREDSSP_CRED_TYPE_REMOTE_GUARD:
        return 0;
    default:
        return CREDSSP_ERR(CREDSSP_ERR_BAD_CRED_TYPE);
    }
}

/*
 * Decode a TSCredentials.  Any 32-bit credType is accepted; the inner
 * credentials are returned as bytes, unparsed.  Ownership as for
 * credssp_asn1_decode_ts_request().
 */
int
credssp_asn1_decode_ts_credentials(const uint8_t *der, size_t len,
                                   struct credssp_ts_credentials *out)
{
    return decode_message(&ts_credentials_message, der, len, out);
}

/*
 * Encode a TSCredentials of a known credType (else
 * CREDSSP_ERR_BAD_CRED_TYPE, checked before anything is built).  The
 * result is built in wiped memory and holds credentials: the caller
 * releases it with credssp_buf_wipe_free().
 */
int
credssp_asn1_encode_ts_credentials(const struct credssp_ts_credentials *in,
                                   struct credssp_buf *out)
{
    int ret;

    out->data = NULL;
    out->len = 0;
    ret = credssp_asn1_check_cred_type(in->cred_type);
    if (ret != 0) {
        return ret;
    }
    return encode_ts_credentials_der(in, out);
}

/* Release *creds, wiped; it is left zeroed. */
void
credssp_asn1_ts_credentials_free(struct credssp_ts_credentials *creds)
{
    free_ts_credentials(creds);
}

/* Decode a TSPasswordCreds; ownership as for the TSRequest decoder. */
int
credssp_asn1_decode_password_creds(const uint8_t *der, size_t len,
                                   struct credssp_password_creds *out)
{
    return decode_message(&password_creds_message, der, len, out);
}

/* Encode a TSPasswordCreds into wiped memory (release it with
 * credssp_buf_wipe_free()). */
int
credssp_asn1_encode_password_creds(const struct credssp_password_creds *in,
                                   struct credssp_buf *out)
{
    out->data = NULL;
    out->len = 0;
    return encode_password_creds_der(in, out);
}

/* Release *creds, wiped; it is left zeroed. */
void
credssp_asn1_password_creds_free(struct credssp_password_creds *creds)
{
    free_password_creds(creds);
}

/*
 * Build a TSPasswordCreds from three NUL-terminated UTF-8 strings.  On
 * success *out owns the UTF-16LE strings; on failure it is zeroed and
 * every intermediate buffer has been wiped.
 */
int
credssp_asn1_password_creds_from_utf8(const char *domain, const char *user,
                                      const char *password,
                                      struct credssp_password_creds *out)
{
    struct credssp_password_creds tmp;
    int ret;

    memset(&tmp, 0, sizeof(tmp));
    memset(out, 0, sizeof(*out));
    if (domain == NULL || user == NULL || password == NULL) {
        ret = CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
        goto done;
    }
    ret = credssp_utf8_to_utf16le(domain, strlen(domain), 1,
                                  &tmp.domain_name);
    if (ret != 0) {
        goto done;
    }
    ret = credssp_utf8_to_utf16le(user, strlen(user), 1, &tmp.user_name);
    if (ret != 0) {
        goto done;
    }
    ret = credssp_utf8_to_utf16le(password, strlen(password), 1,
                                  &tmp.password);
    if (ret != 0) {
        goto done;
    }
    if (tmp.domain_name.len > CREDSSP_ASN1_MAX_NAME ||
        tmp.user_name.len > CREDSSP_ASN1_MAX_NAME ||
        tmp.password.len > CREDSSP_ASN1_MAX_SECRET) {
        ret = CREDSSP_ERR(CREDSSP_ERR_ASN1_FIELD_SIZE);
        goto done;
    }
    *out = tmp;
    memset(&tmp, 0, sizeof(tmp));

done:
    credssp_asn1_password_creds_free(&tmp);
    return ret;
}

/*
 * Convert the strings of *in to NUL-terminated UTF-8.  On success the
 * caller owns the three buffers (release with credssp_buf_wipe_free());
 * on failure all three are empty.
 */
int
credssp_asn1_password_creds_to_utf8(const struct credssp_password_creds *in,
                                    struct credssp_buf *domain,
                                    struct credssp_buf *user,
                                    struct credssp_buf *password)
{
    struct credssp_buf d = { NULL, 0 }, u = { NULL, 0 }, p = { NULL, 0 };
    int ret;

    domain->data = user->data = password->data = NULL;
    domain->len = user->len = password->len = 0;
    ret = credssp_utf16le_to_utf8(in->domain_name.data, in->domain_name.len,
                                  1, &d);
    if (ret != 0) {
        goto done;
    }
    ret = credssp_utf16le_to_utf8(in->user_name.data, in->user_name.len, 1,
                                  &u);
    if (ret != 0) {
        goto done;
    }
    ret = credssp_utf16le_to_utf8(in->password.data, in->password.len, 1,
                                  &p);
    if (ret != 0) {
        goto done;
    }
    credssp_buf_move(domain, &d);
    credssp_buf_move(user, &u);
    credssp_buf_move(password, &p);

done:
    credssp_buf_wipe_free(&p);
    credssp_buf_wipe_free(&u);
    credssp_buf_wipe_free(&d);
    return ret;
}

/* Decode a TSSmartCardCreds; ownership as for the TSRequest decoder. */
int
credssp_asn1_decode_smart_card_creds(const uint8_t *der, size_t len,
                                     struct credssp_smart_card_creds *out)
{
    return decode_message(&smart_card_creds_message, der, len, out);
}

/* Encode a TSSmartCardCreds into wiped memory (release it with
 * credssp_buf_wipe_free()). */
int
credssp_asn1_encode_smart_card_creds(
    const struct credssp_smart_card_creds *in, struct credssp_buf *out)
{
    return encode_message(&smart_card_creds_message, in, out);
}

/* Release *creds, wiped; it is left zeroed. */
void
credssp_asn1_smart_card_creds_free(struct credssp_smart_card_creds *creds)
{
    free_smart_card_creds(creds);
}

/* Decode a TSRemoteGuardCreds; ownership as for the TSRequest decoder. */
int
credssp_asn1_decode_remote_guard_creds(const uint8_t *der, size_t len,
                                       struct credssp_remote_guard_creds *out)
{
    return decode_message(&remote_guard_creds_message, der, len, out);
}

/* Encode a TSRemoteGuardCreds into wiped memory (release it with
 * credssp_buf_wipe_free()). */
int
credssp_asn1_encode_remote_guard_creds(
    const struct credssp_remote_guard_creds *in, struct credssp_buf *out)
{
    return encode_message(&remote_guard_creds_message, in, out);
}

/* Release *creds, wiped; it is left zeroed. */
void
credssp_asn1_remote_guard_creds_free(struct credssp_remote_guard_creds *creds)
{
    free_remote_guard_creds(creds);
}
