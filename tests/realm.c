/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The C side of the throwaway test realm: runs tests/realm.sh, imports
 * DIR/env into this process, and makes sure the KDC is stopped however the
 * program ends (teardown, exit, or a terminating signal).
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <check.h>

#include "tests/realm.h"

/* Upper bound for one run of realm.sh (its own waits are shorter). */
#define REALM_SCRIPT_TIMEOUT "120"

/* Short enough that DIR/<file> always fits in PATH_MAX. */
static char realm_dir[1024];
static int realm_running;
static int realm_setup_ok;
static pid_t realm_owner;
static volatile sig_atomic_t realm_kdc_pid;
static volatile sig_atomic_t realm_script_pid;
static int realm_hooks_installed;

static const int realm_signals[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGABRT, SIGSEGV, SIGBUS,
};
static struct sigaction
    realm_old_actions[sizeof(realm_signals) / sizeof(*realm_signals)];

/* Last resort on a fatal signal: kill the KDC (async-signal-safe calls
 * only), then let the previous disposition (Check's handler, or the
 * default action) take over.  Forked test children inherit this handler
 * but not the ownership of the KDC. */
static void
realm_on_signal(int sig)
{
    size_t i;

    if (getpid() == realm_owner) {
        /* A realm.sh still starting stops what it started on SIGTERM. */
        if (realm_script_pid > 0)
            kill((pid_t)realm_script_pid, SIGTERM);
        if (realm_kdc_pid > 0)
            kill((pid_t)realm_kdc_pid, SIGTERM);
    }
    for (i = 0; i < sizeof(realm_signals) / sizeof(*realm_signals); i++) {
        if (realm_signals[i] != sig)
            continue;
        sigaction(sig, &realm_old_actions[i], NULL);
        if (realm_old_actions[i].sa_handler != SIG_DFL &&
            realm_old_actions[i].sa_handler != SIG_IGN &&
            !(realm_old_actions[i].sa_flags & SA_SIGINFO)) {
            realm_old_actions[i].sa_handler(sig);
            return;
        }
    }
    raise(sig);
}

static void
realm_at_exit(void)
{
    if (getpid() == realm_owner)
        test_realm_stop();
}

static void
realm_install_hooks(void)
{
    struct sigaction sa;
    size_t i;

    if (realm_hooks_installed)
        return;
    realm_hooks_installed = 1;
    atexit(realm_at_exit);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = realm_on_signal;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof(realm_signals) / sizeof(*realm_signals); i++)
        sigaction(realm_signals[i], &sa, &realm_old_actions[i]);
}

static const char *
realm_script(void)
{
    static char path[PATH_MAX];
    const char *srcdir = getenv("top_srcdir");

#ifdef TEST_TOP_SRCDIR
    if (srcdir == NULL || *srcdir == '\0')
        srcdir = TEST_TOP_SRCDIR;
#endif
    if (srcdir == NULL || *srcdir == '\0')
        srcdir = ".";
    snprintf(path, sizeof(path), "%s/tests/realm.sh", srcdir);
    return path;
}

/*
 * Run "timeout --foreground 120 bash realm.sh VERB DIR" with no stdin; its
 * exit status, or -1.  --foreground keeps the script in our process group,
 * so a Ctrl-C or Check's killpg reaches it (the KDC itself runs in a
 * group of its own and is stopped only through its PID).
 */
static int
realm_run_script(const char *verb)
{
    char prog[] = "timeout", fg[] = "--foreground";
    char limit[] = REALM_SCRIPT_TIMEOUT, bash[] = "bash";
    char script[PATH_MAX], verbbuf[16], dir[PATH_MAX];
    char *argv[] = {prog, fg, limit, bash, script, verbbuf, dir, NULL};
    int status, fd;
    pid_t pid;

    snprintf(script, sizeof(script), "%s", realm_script());
    snprintf(verbbuf, sizeof(verbbuf), "%s", verb);
    snprintf(dir, sizeof(dir), "%s", realm_dir);
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        perror("test realm: fork");
        return -1;
    }
    if (pid == 0) {
        fd = open("/dev/null", O_RDONLY);
        if (fd >= 0 && fd != STDIN_FILENO) {
            dup2(fd, STDIN_FILENO);
            close(fd);
        }
        execvp(prog, argv);
        perror("test realm: exec timeout");
        _exit(127);
    }
    realm_script_pid = pid;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("test realm: waitpid");
            realm_script_pid = 0;
            return -1;
        }
    }
    realm_script_pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Read DIR/NAME into a fresh buffer (NUL-terminated), or NULL. */
static char *
realm_read_file(const char *name)
{
    char path[PATH_MAX], *data;
    FILE *f;
    long len;

    snprintf(path, sizeof(path), "%s/%s", realm_dir, name);
    f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    data = malloc((size_t)len + 1);
    if (data != NULL && fread(data, 1, (size_t)len, f) != (size_t)len) {
        free(data);
        data = NULL;
    }
    if (data != NULL)
        data[len] = '\0';
    fclose(f);
    return data;
}

/* Import every "export NAME='VALUE'" line of DIR/env. */
static int
realm_import_env(void)
{
    char *text, *line, *next, *eq, *value;
    size_t len;
    int count = 0;

    text = realm_read_file("env");
    if (text == NULL) {
        fprintf(stderr, "test realm: cannot read %s/env\n", realm_dir);
        return -1;
    }
    for (line = text; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        if (strncmp(line, "export ", 7) != 0)
            continue;
        line += 7;
        eq = strchr(line, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        value = eq + 1;
        len = strlen(value);
        if (len >= 2 && value[0] == '\'' && value[len - 1] == '\'') {
            value[len - 1] = '\0';
            value++;
        }
        if (setenv(line, value, 1) != 0) {
            perror("test realm: setenv");
            free(text);
            return -1;
        }
        count++;
    }
    free(text);
    return count > 0 ? 0 : -1;
}

static int
realm_remove_entry(const char *path, const struct stat *st, int flag,
                   struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0)
        fprintf(stderr, "test realm: cannot remove %s: %s\n", path,
                strerror(errno));
    return 0;
}

int
test_realm_start(void)
{
    const char *tmp = getenv("TMPDIR");
    char *pidtext;

    if (realm_running)
        return 0;
    if (tmp == NULL || *tmp == '\0')
        tmp = "/tmp";
    snprintf(realm_dir, sizeof(realm_dir), "%s/credssp-realm.XXXXXX", tmp);
    if (mkdtemp(realm_dir) == NULL) {
        fprintf(stderr, "test realm: mkdtemp %s: %s\n", realm_dir,
                strerror(errno));
        realm_dir[0] = '\0';
        return -1;
    }
#ifdef TEST_TOP_BUILDDIR
    setenv("top_builddir", TEST_TOP_BUILDDIR, 0);
#endif
    realm_owner = getpid();
    realm_running = 1;
    realm_install_hooks();

    if (realm_run_script("start") != 0) {
        fprintf(stderr, "test realm: %s start %s failed\n", realm_script(),
                realm_dir);
        test_realm_stop();
        return -1;
    }
    pidtext = realm_read_file("kdc.pid");
    if (pidtext != NULL)
        realm_kdc_pid = atoi(pidtext);
    free(pidtext);
    if (realm_import_env() != 0) {
        test_realm_stop();
        return -1;
    }
    return 0;
}

void
test_realm_stop(void)
{
    if (!realm_running || getpid() != realm_owner)
        return;
    if (realm_run_script("stop") != 0)
        fprintf(stderr, "test realm: %s stop %s failed\n", realm_script(),
                realm_dir);
    realm_kdc_pid = 0;
    nftw(realm_dir, realm_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    realm_running = 0;
    realm_dir[0] = '\0';
}

void
test_realm_setup(void)
{
    realm_setup_ok = test_realm_start() == 0;
}

void
test_realm_teardown(void)
{
    test_realm_stop();
    realm_setup_ok = 0;
}

void
test_realm_require(void)
{
    ck_assert_msg(realm_setup_ok,
                  "the test realm did not start (see tests/realm.sh output)");
}

TCase *
test_realm_tcase(Suite *s, const char *name, int timeout)
{
    TCase *tc = tcase_create(name);

    tcase_set_timeout(tc, timeout);
    tcase_add_unchecked_fixture(tc, test_realm_setup, test_realm_teardown);
    tcase_add_checked_fixture(tc, test_realm_require,
                              test_realm_reset_config);
    suite_add_tcase(s, tc);
    return tc;
}

const char *
test_realm_dir(void)
{
    return realm_running ? realm_dir : NULL;
}

char *
test_realm_password(const char *user)
{
    char *text, *line, *next, *pw = NULL;
    size_t ulen = strlen(user), len;

    if (!realm_running)
        return NULL;
    text = realm_read_file("passwords");
    if (text == NULL)
        return NULL;
    len = strlen(text);
    for (line = text; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        if (strncmp(line, user, ulen) == 0 && line[ulen] == ':') {
            pw = strdup(line + ulen + 1);
            break;
        }
    }
    memset(text, 0, len);
    free(text);
    return pw;
}

void
test_realm_write_config(const char *name, const char *text)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", test_realm_dir(), name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    setenv("CREDSSP_CONFIG", path, 1);
}

void
test_realm_reset_config(void)
{
    unsetenv("CREDSSP_CONFIG");
}
