/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The main of a fuzz target when it is not linked with libFuzzer (STYLE.md
 * 4.16): make check runs every target over its seed corpus and its crash
 * reproducers, so an input that once crashed keeps being tried.
 *
 *   tests/fuzz/fuzz_<target>          replay every file of
 *                                     $top_srcdir/tests/fuzz/
 *                                     fuzz_<target>.in/ and .repro/
 *   tests/fuzz/fuzz_<target> PATH...  replay these files or directories
 *
 * The target name is the program's file name (a libtool "lt-" prefix
 * removed).  top_srcdir comes from the environment (make check sets it) or
 * else is the source directory configure saw.  Files whose names start
 * with "." or are called README are skipped; directories are read in
 * sorted order.  A .repro/ directory may be absent; a missing .in/ is an
 * error.  Prints "PASS: fuzz_<target> (N inputs)" and exits 0; a failing
 * input aborts inside the target.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_TOP_SRCDIR
#define FUZZ_TOP_SRCDIR "."
#endif

/* Read at most this much of a file: more than any target looks at. */
#define REPLAY_MAX_FILE (4 * FUZZ_MAX_INPUT)

/* Exit status automake's test driver reads as a hard error. */
#define EXIT_HARD_ERROR 99

static const char *target_name(const char *argv0);
static int skip_name(const char *name);
static int replay_file(const char *path, size_t *count);
static int replay_dir(const char *path, int optional, size_t *count);
static int replay_path(const char *path, size_t *count);

static const char *
target_name(const char *argv0)
{
    const char *base = strrchr(argv0, '/');

    base = base != NULL ? base + 1 : argv0;
    if (strncmp(base, "lt-", 3) == 0) {
        base += 3;
    }
    return base;
}

static int
skip_name(const char *name)
{
    return name[0] == '.' || strcmp(name, "README") == 0;
}

/* Feed one file to the target. */
static int
replay_file(const char *path, size_t *count)
{
    uint8_t *data = NULL, *exact;
    size_t len;
    FILE *f;
    int ret = -1;

    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    data = malloc(REPLAY_MAX_FILE);
    if (data == NULL) {
        fprintf(stderr, "replay: out of memory\n");
        goto done;
    }
    len = fread(data, 1, REPLAY_MAX_FILE, f);
    if (ferror(f)) {
        fprintf(stderr, "replay: %s: read error\n", path);
        goto done;
    }
    /* Shrink to exactly len bytes, so ASan sees reads past the input. */
    exact = realloc(data, len > 0 ? len : 1);
    if (exact == NULL) {
        fprintf(stderr, "replay: out of memory\n");
        goto done;
    }
    data = exact;
    (void)LLVMFuzzerTestOneInput(data, len);
    (*count)++;
    ret = 0;

done:
    free(data);
    fclose(f);
    return ret;
}

/* Feed every regular file of a directory, in sorted order. */
static int
replay_dir(const char *path, int optional, size_t *count)
{
    struct dirent **names = NULL;
    char file[PATH_MAX];
    int n, i, ret = 0;

    n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        if (optional && errno == ENOENT) {
            return 0;
        }
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (ret == 0 && !skip_name(names[i]->d_name)) {
            if (snprintf(file, sizeof(file), "%s/%s", path,
                         names[i]->d_name) >= (int)sizeof(file)) {
                fprintf(stderr, "replay: %s: path too long\n", path);
                ret = -1;
            } else {
                ret = replay_path(file, count);
            }
        }
        free(names[i]);
    }
    free(names);
    return ret;
}

static int
replay_path(const char *path, size_t *count)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        return replay_dir(path, 0, count);
    }
    if (!S_ISREG(st.st_mode)) {
        return 0;
    }
    return replay_file(path, count);
}

int
main(int argc, char **argv)
{
    const char *name = target_name(argv[0]);
    const char *top = getenv("top_srcdir");
    char dir[PATH_MAX];
    size_t count = 0;
    int i;

    if (argc > 1) {
        for (i = 1; i < argc; i++) {
            if (replay_path(argv[i], &count) != 0) {
                return EXIT_HARD_ERROR;
            }
        }
    } else {
        if (top == NULL || top[0] == '\0') {
            top = FUZZ_TOP_SRCDIR;
        }
        if (snprintf(dir, sizeof(dir), "%s/tests/fuzz/%s.in", top, name) >=
                (int)sizeof(dir) ||
            replay_dir(dir, 0, &count) != 0) {
            return EXIT_HARD_ERROR;
        }
        if (snprintf(dir, sizeof(dir), "%s/tests/fuzz/%s.repro", top,
                     name) >= (int)sizeof(dir) ||
            replay_dir(dir, 1, &count) != 0) {
            return EXIT_HARD_ERROR;
        }
    }
    printf("PASS: %s (%zu inputs)\n", name, count);
    return 0;
}
