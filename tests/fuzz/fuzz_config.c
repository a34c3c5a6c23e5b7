/* Target functions: credssp_config_load_file, credssp_config_policy,
 * credssp_ep_parse */
/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * credssp.conf (mech/conf.h) from hostile text: the krb5 profile parser,
 * our section and key checks, and the [delegation] and
 * [extended_protection] sections handed to their policy parsers, as the
 * mechanism does when it acquires a credential.
 *
 * The input becomes a file in memory (memfd_create), read through its
 * /proc/self/fd path, so nothing touches the disk and every input gets a
 * fresh file: the profile library caches files by name and time stamp
 * while they are open, never across a release.
 *
 * Properties checked: an error names itself (code CREDSSP_ERR_CONFIG with
 * a NUL-terminated text, or ENOMEM); a loaded configuration has values in
 * range.  Inputs are bounded below the reader's own limit: each list
 * relation is located by a scan of the text, so a large file of many
 * relations is slow by design, not a bug worth timing out on.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gssapi/gssapi_credssp_err.h>

#include "mech/conf.h"
#include "policy/ep.h"
#include "tests/fuzz/fuzz.h"

#define MAX_CONFIG_INPUT (32 * 1024)

static int write_memfd(const uint8_t *data, size_t size);
static void check_config(const struct credssp_config *cfg);
static void parse_sections(const struct credssp_config *cfg);

/* A memory file holding the input, or -1. */
static int
write_memfd(const uint8_t *data, size_t size)
{
    size_t done = 0;
    ssize_t n;
    int fd;

    fd = memfd_create("fuzz_config", MFD_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    while (done < size) {
        n = write(fd, data + done, size - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    return fd;
}

static void
check_config(const struct credssp_config *cfg)
{
    size_t i;

    FUZZ_CHECK(cfg->present == 1);
    FUZZ_CHECK(cfg->max_version >= 2 && cfg->max_version <= 6);
    FUZZ_CHECK(cfg->wire == CREDSSP_WIRE_FRAMED ||
               cfg->wire == CREDSSP_WIRE_RAW);
    FUZZ_CHECK(cfg->inner <= CREDSSP_INNER_NTLMSSP);
    FUZZ_CHECK(cfg->inner_channel_binding <= CREDSSP_INNER_CB_EXPORTER);
    FUZZ_CHECK((cfg->certificate == NULL) == (cfg->key == NULL));
    for (i = 0; i < cfg->delegation_count; i++) {
        FUZZ_CHECK(cfg->delegation[i].key != NULL &&
                   cfg->delegation[i].value != NULL);
    }
    for (i = 0; i < cfg->extended_protection_count; i++) {
        FUZZ_CHECK(cfg->extended_protection[i].key != NULL &&
                   cfg->extended_protection[i].value != NULL);
    }
}

/* [delegation] and [extended_protection] through their parsers. */
static void
parse_sections(const struct credssp_config *cfg)
{
    struct credssp_policy_entry *entries = NULL;
    struct credssp_policy_error err;
    struct credssp_policy *policy = NULL;
    struct credssp_ep_policy *ep = NULL;
    size_t i;
    int ret;

    ret = credssp_config_policy(cfg, &policy, &err);
    FUZZ_CHECK(ret == 0 || ret == CREDSSP_ERR_CONFIG ||
               ret == CREDSSP_ERR_POLICY_PATTERN || ret == ENOMEM);
    FUZZ_CHECK((ret == 0) == (policy != NULL));
    credssp_policy_free(&policy);

    entries = calloc(cfg->extended_protection_count + 1, sizeof(*entries));
    if (entries == NULL) {
        return;
    }
    for (i = 0; i < cfg->extended_protection_count; i++) {
        entries[i].key = cfg->extended_protection[i].key;
        entries[i].value = cfg->extended_protection[i].value;
        entries[i].file = cfg->file;
        entries[i].line = cfg->extended_protection[i].line;
    }
    ret = credssp_ep_parse(entries, cfg->extended_protection_count, &ep,
                           &err);
    FUZZ_CHECK(ret == 0 || ret == CREDSSP_ERR_CONFIG || ret == ENOMEM);
    credssp_ep_free(&ep);
    free(entries);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct credssp_config *cfg = NULL;
    struct credssp_config_error err;
    char path[64];
    int fd, ret;

    if (size > MAX_CONFIG_INPUT) {
        return 0;
    }
    fd = write_memfd(data, size);
    if (fd < 0) {
        return 0;
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    ret = credssp_config_load_file(path, &cfg, &err);
    if (ret == 0) {
        check_config(cfg);
        parse_sections(cfg);
    } else {
        FUZZ_CHECK(cfg == NULL);
        FUZZ_CHECK(ret == CREDSSP_ERR_CONFIG || ret == ENOMEM);
        FUZZ_CHECK(memchr(err.text, '\0', sizeof(err.text)) != NULL);
    }
    credssp_config_free(&cfg);
    close(fd);
    return 0;
}
