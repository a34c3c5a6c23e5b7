/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * SPN patterns of the delegation policy and their matcher (MS-CSSP.md
 * 6.2).  The grammar is written out in policy/policy.h; each production
 * has one scanner here, and matching works on the parsed parts only.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "policy/policy.h"

#define SERVICE_MAX 64
#define LABEL_MAX 63
#define NAME_MAX_LEN 253
#define IPV6_TEXT_MAX 45

static char lower_ascii(char c);
static int equal_nocase(const char *a, const char *b, size_t n);
static int is_digit(char c);
static int is_label_char(char c);
static int scan_service(const char *p, size_t len);
static int scan_name(const char *p, size_t len, int *all_digits);
static int scan_ipv4(const char *p, size_t len, unsigned char addr[4]);
static int scan_ipv6(const char *p, size_t len, unsigned char addr[16]);
static int scan_port(const char *p, size_t len, unsigned int *port);
static int scan_host(const char *p, size_t len,
                     struct credssp_policy_spn *out);
static int scan_host_pattern(const char *p, size_t len,
                             struct credssp_policy_spn *out);
static int split_host_port(const char *p, size_t len, size_t *host_len);
static int scan_spn(const char *text, int wildcards,
                    struct credssp_policy_spn *out);
static int match_host(const struct credssp_policy_spn *pattern,
                      const struct credssp_policy_spn *target);

/* ASCII only, whatever the locale. */
static char
lower_ascii(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return (char)(c - 'A' + 'a');
    }
    return c;
}

static int
equal_nocase(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (lower_ascii(a[i]) != lower_ascii(b[i])) {
            return 0;
        }
    }
    return 1;
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ALPHA / DIGIT / "-" / "_": the characters of a label and a service. */
static int
is_label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           c == '-' || c == '_';
}

/* service = 1*64( ALPHA / DIGIT / "-" / "_" ) */
static int
scan_service(const char *p, size_t len)
{
    size_t i;

    if (len == 0 || len > SERVICE_MAX) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (!is_label_char(p[i])) {
            return 0;
        }
    }
    return 1;
}

/* label *( "." label ), labels of 1..63 characters, at most 253 in all.
 * *all_digits tells whether every label is made of digits only. */
static int
scan_name(const char *p, size_t len, int *all_digits)
{
    size_t i, label_len = 0;
    int digits = 1;

    if (len == 0 || len > NAME_MAX_LEN) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (p[i] == '.') {
            if (label_len == 0) {
                return 0;
            }
            label_len = 0;
        } else if (is_label_char(p[i])) {
            if (++label_len > LABEL_MAX) {
                return 0;
            }
            digits = digits && is_digit(p[i]);
        } else {
            return 0;
        }
    }
    if (label_len == 0) {
        return 0;
    }
    *all_digits = digits;
    return 1;
}

/* ipv4 = dec-octet 3( "." dec-octet ), 0-255 without leading zeros. */
static int
scan_ipv4(const char *p, size_t len, unsigned char addr[4])
{
    size_t i = 0, start;
    unsigned int value, octet;

    for (octet = 0; octet < 4; octet++) {
        if (octet > 0) {
            if (i >= len || p[i] != '.') {
                return 0;
            }
            i++;
        }
        start = i;
        value = 0;
        while (i < len && is_digit(p[i]) && i - start < 3) {
            value = value * 10 + (unsigned int)(p[i] - '0');
            i++;
        }
        if (i == start || value > 255 || (p[start] == '0' && i - start > 1)) {
            return 0;
        }
        addr[octet] = (unsigned char)value;
    }
    return i == len;
}

/* The text between the brackets of "[" ipv6 "]". */
static int
scan_ipv6(const char *p, size_t len, unsigned char addr[16])
{
    char text[IPV6_TEXT_MAX + 1];
    struct in6_addr a;

    if (len == 0 || len > IPV6_TEXT_MAX) {
        return 0;
    }
    memcpy(text, p, len);
    text[len] = '\0';
    if (inet_pton(AF_INET6, text, &a) != 1) {
        return 0;
    }
    memcpy(addr, &a, 16);
    return 1;
}

/* port = %x31-39 0*4DIGIT, 1-65535. */
static int
scan_port(const char *p, size_t len, unsigned int *port)
{
    unsigned int value = 0;
    size_t i;

    if (len == 0 || len > 5 || p[0] == '0') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (!is_digit(p[i])) {
            return 0;
        }
        value = value * 10 + (unsigned int)(p[i] - '0');
    }
    if (value > 65535) {
        return 0;
    }
    *port = value;
    return 1;
}

/* host = name / ipv4 / "[" ipv6 "]"; sets form, host, host_len, addr. */
static int
scan_host(const char *p, size_t len, struct credssp_policy_spn *out)
{
    int all_digits = 0;

    out->host = p;
    out->host_len = len;
    if (len >= 2 && p[0] == '[' && p[len - 1] == ']') {
        out->form = CREDSSP_POLICY_SPN_IPV6;
        return scan_ipv6(p + 1, len - 2, out->addr);
    }
    if (!scan_name(p, len, &all_digits)) {
        return 0;
    }
    if (all_digits) {
        out->form = CREDSSP_POLICY_SPN_IPV4;
        return scan_ipv4(p, len, out->addr);
    }
    out->form = CREDSSP_POLICY_SPN_NAME;
    return 1;
}

/* host-pattern = "*" / "*." suffix / host */
static int
scan_host_pattern(const char *p, size_t len, struct credssp_policy_spn *out)
{
    int all_digits;

    if (len == 1 && p[0] == '*') {
        out->form = CREDSSP_POLICY_SPN_ANY_HOST;
        out->host = p;
        out->host_len = 0;
        return 1;
    }
    if (len >= 2 && p[0] == '*' && p[1] == '.') {
        out->form = CREDSSP_POLICY_SPN_SUFFIX;
        out->host = p + 2;
        out->host_len = len - 2;
        return scan_name(p + 2, len - 2, &all_digits);
    }
    return scan_host(p, len, out);
}

/* Length of the host part of "host [":" port]": up to the "]" of an IPv6
 * literal, else up to the first ":".  0 when a "[" is not closed. */
static int
split_host_port(const char *p, size_t len, size_t *host_len)
{
    const char *end;

    if (len > 0 && p[0] == '[') {
        end = memchr(p, ']', len);
        if (end == NULL) {
            return 0;
        }
        *host_len = (size_t)(end - p) + 1;
        return 1;
    }
    end = memchr(p, ':', len);
    *host_len = end != NULL ? (size_t)(end - p) : len;
    return 1;
}

/* pattern (wildcards != 0) or target (wildcards == 0). */
static int
scan_spn(const char *text, int wildcards, struct credssp_policy_spn *out)
{
    const char *slash, *host;
    size_t len, host_part, host_len;

    memset(out, 0, sizeof(*out));
    len = strnlen(text, CREDSSP_POLICY_SPN_MAX + 1);
    if (len > CREDSSP_POLICY_SPN_MAX) {
        return 0;
    }
    if (wildcards && len == 1 && text[0] == '*') {
        out->form = CREDSSP_POLICY_SPN_ANY;
        return 1;
    }
    slash = memchr(text, '/', len);
    if (slash == NULL || !scan_service(text, (size_t)(slash - text))) {
        return 0;
    }
    out->service = text;
    out->service_len = (size_t)(slash - text);
    host = slash + 1;
    host_part = len - out->service_len - 1;
    if (!split_host_port(host, host_part, &host_len)) {
        return 0;
    }
    if (host_len < host_part) {
        if (host[host_len] != ':' ||
            !scan_port(host + host_len + 1, host_part - host_len - 1,
                       &out->port)) {
            return 0;
        }
    }
    if (wildcards) {
        return scan_host_pattern(host, host_len, out);
    }
    return scan_host(host, host_len, out);
}

/* The host rules of the matcher (policy.h). */
static int
match_host(const struct credssp_policy_spn *pattern,
           const struct credssp_policy_spn *target)
{
    const char *tail;

    switch (pattern->form) {
    case CREDSSP_POLICY_SPN_ANY:
    case CREDSSP_POLICY_SPN_ANY_HOST:
        return 1;
    case CREDSSP_POLICY_SPN_SUFFIX:
        /* target = 1*( label "." ) suffix: since the target is a valid
         * name, a "." right before the suffix leaves whole labels. */
        if (target->form != CREDSSP_POLICY_SPN_NAME ||
            target->host_len < pattern->host_len + 2) {
            return 0;
        }
        tail = target->host + (target->host_len - pattern->host_len);
        return tail[-1] == '.' &&
               equal_nocase(tail, pattern->host, pattern->host_len);
    case CREDSSP_POLICY_SPN_NAME:
        return target->form == CREDSSP_POLICY_SPN_NAME &&
               target->host_len == pattern->host_len &&
               equal_nocase(target->host, pattern->host, pattern->host_len);
    case CREDSSP_POLICY_SPN_IPV4:
        return target->form == CREDSSP_POLICY_SPN_IPV4 &&
               memcmp(target->addr, pattern->addr, 4) == 0;
    case CREDSSP_POLICY_SPN_IPV6:
        return target->form == CREDSSP_POLICY_SPN_IPV6 &&
               memcmp(target->addr, pattern->addr, 16) == 0;
    }
    return 0;
}

/* text is borrowed and must outlive *out, which points into it.  Returns
 * 0 or CREDSSP_ERR_POLICY_PATTERN. */
int
credssp_policy_spn_parse_pattern(const char *text,
                                 struct credssp_policy_spn *out)
{
    if (text == NULL || out == NULL || !scan_spn(text, 1, out)) {
        return CREDSSP_ERR(CREDSSP_ERR_POLICY_PATTERN);
    }
    return 0;
}

/* As above for a target (no wildcards); 0 or CREDSSP_ERR_BAD_NAME. */
int
credssp_policy_spn_parse_target(const char *text,
                                struct credssp_policy_spn *out)
{
    if (text == NULL || out == NULL || !scan_spn(text, 0, out)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_NAME);
    }
    return 0;
}

/*
 * pattern comes from credssp_policy_spn_parse_pattern() and target from
 * credssp_policy_spn_parse_target(); both are only read.  Returns 1 on a
 * match, 0 otherwise.
 */
int
credssp_policy_spn_match(const struct credssp_policy_spn *pattern,
                         const struct credssp_policy_spn *target)
{
    if (pattern->form == CREDSSP_POLICY_SPN_ANY) {
        return 1;
    }
    if (pattern->service_len != target->service_len ||
        !equal_nocase(pattern->service, target->service,
                      pattern->service_len)) {
        return 0;
    }
    if (pattern->port != 0 && pattern->port != target->port) {
        return 0;
    }
    return match_host(pattern, target);
}
