/* splitvm-system's monitor (see cli_monitor.h). */
#include "cli_monitor.h"

#include <stdio.h>
#include <string.h>

static void say(const char *s)
{
    fputs(s, stdout);
    fflush(stdout);
}

static void prompt(void) { say("(qemu) "); }

void monitor_toggle(monitor *mon)
{
    mon->active = !mon->active;
    mon->len = 0;
    if (mon->active) {
        say("\nsplitvm monitor - type 'help' for more information\n");
        prompt();
    } else {
        say("\n");
    }
}

int monitor_key(monitor *mon, unsigned char c)
{
    if (c == '\r' || c == '\n') {
        say("\n");
        mon->line[mon->len] = 0;
        memcpy(mon->command, mon->line, mon->len + 1);
        mon->len = 0;
        mon->pending = 1;
        return 1;
    }
    if (c == 0x7f || c == 0x08) { /* backspace */
        if (mon->len) {
            mon->len--;
            say("\b \b");
        }
        return 0;
    }
    if (c == 0x15) { /* Ctrl-U: the whole line */
        while (mon->len) {
            mon->len--;
            say("\b \b");
        }
        return 0;
    }
    if (c >= 0x20 && c < 0x7f && mon->len + 1 < sizeof(mon->line)) {
        mon->line[mon->len++] = (char)c;
        char echo[2] = {(char)c, 0};
        say(echo);
    }
    return 0;
}

static void help(void)
{
    say("cont|c -- resume emulation\n"
        "help|? -- show this help\n"
        "info status -- show the VM's state\n"
        "migrate file:PATH -- save the machine's state to PATH (restore with -incoming file:PATH)\n"
        "quit|q -- quit the emulator\n"
        "stop -- stop emulation\n");
}

void monitor_run(monitor *mon, svm_machine *m)
{
    if (!mon->pending)
        return;
    mon->pending = 0;
    char *words[3] = {NULL, NULL, NULL};
    unsigned n = 0;
    for (char *tok = strtok(mon->command, " \t"); tok && n < 3; tok = strtok(NULL, " \t"))
        words[n++] = tok;
    const char *cmd = words[0];
    if (!cmd) {
        /* an empty line */
    } else if (!strcmp(cmd, "help") || !strcmp(cmd, "?") || !strcmp(cmd, "h")) {
        help();
    } else if (!strcmp(cmd, "info") && words[1] && !strcmp(words[1], "status")) {
        printf("VM status: %s\n", !mon->paused ? "running" : mon->postmigrate ? "paused (postmigrate)" : "paused");
    } else if (!strcmp(cmd, "info")) {
        say("info: splitvm's monitor knows 'info status'\n");
    } else if (!strcmp(cmd, "stop")) {
        mon->paused = 1;
        mon->postmigrate = 0;
    } else if (!strcmp(cmd, "cont") || !strcmp(cmd, "c")) {
        mon->paused = 0;
        mon->postmigrate = 0;
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "q")) {
        mon->quit = 1;
        return;
    } else if (!strcmp(cmd, "migrate")) {
        /* QEMU's "-d" (detach) makes no difference here: saving is synchronous. */
        const char *uri = words[1] && !strcmp(words[1], "-d") ? words[2] : words[1];
        if (!uri || strncmp(uri, "file:", 5) || !uri[5]) {
            say("migrate: splitvm saves to a file only: migrate file:PATH\n");
        } else if (svm_snapshot_save(m, uri + 5) != SVM_OK) {
            printf("migrate: %s\n", svm_error(m));
        } else {
            /* As in QEMU, the guest stays stopped after a migration ('cont' resumes it). */
            mon->paused = 1;
            mon->postmigrate = 1;
        }
    } else if (!strcmp(cmd, "savevm") || !strcmp(cmd, "loadvm")) {
        printf("%s: splitvm keeps no snapshots inside disk images; use migrate file:PATH and -incoming file:PATH\n",
               cmd);
    } else {
        printf("unknown command: '%s'\n", cmd);
    }
    prompt();
}
