// ncursesw with its wide-character API. SwiftPM drops pkg-config's -D flags, so the feature
// macros are defined here, before any system header (see platform notes).
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncurses.h>

// Macros do not import into Swift: wrap the ones the backend needs.
static inline int dp_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int dp_attr_bold(void) { return (int)A_BOLD; }
static inline int dp_attr_dim(void) { return (int)A_DIM; }
static inline int dp_attr_reverse(void) { return (int)A_REVERSE; }
static inline int dp_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int dp_attr_normal(void) { return (int)A_NORMAL; }
static inline int dp_key_resize(void) { return KEY_RESIZE; }
static inline int dp_key_up(void) { return KEY_UP; }
static inline int dp_key_down(void) { return KEY_DOWN; }
static inline int dp_key_left(void) { return KEY_LEFT; }
static inline int dp_key_right(void) { return KEY_RIGHT; }
static inline int dp_key_backspace(void) { return KEY_BACKSPACE; }
static inline int dp_key_enter(void) { return KEY_ENTER; }
static inline int dp_key_home(void) { return KEY_HOME; }
static inline int dp_key_end(void) { return KEY_END; }
static inline int dp_key_npage(void) { return KEY_NPAGE; }
static inline int dp_key_ppage(void) { return KEY_PPAGE; }
static inline int dp_ok(void) { return OK; }
static inline int dp_err(void) { return ERR; }
static inline int dp_key_btab(void) { return KEY_BTAB; }
static inline int dp_key_dc(void) { return KEY_DC; }

// Calls that are macros in some ncurses builds, on stdscr.
static inline int dp_getch(void) { return wgetch(stdscr); }
static inline void dp_timeout(int milliseconds) { wtimeout(stdscr, milliseconds); }
static inline int dp_keypad(int on) { return keypad(stdscr, on ? TRUE : FALSE); }
static inline int dp_put(int y, int x, const char *text) { return mvwaddstr(stdscr, y, x, text); }
static inline int dp_attr_set(int attributes, int pair) { return wattr_set(stdscr, (attr_t)attributes, (short)pair, NULL); }
static inline int dp_refresh(void) { return wrefresh(stdscr); }
static inline int dp_erase(void) { return werase(stdscr); }
static inline int dp_clearok(void) { return clearok(stdscr, TRUE); }
static inline int dp_cols(void) { return COLS; }
static inline int dp_lines(void) { return LINES; }
static inline int dp_colors(void) { return COLORS; }
static inline int dp_color_pairs(void) { return COLOR_PAIRS; }

// SIGINT, SIGTERM and SIGHUP: the one piece of process-wide mutable state in the program. A signal
// handler can only set a flag; the UI loop takes it between key polls and shuts down in order,
// restoring the terminal. Installed before initscr so ncurses leaves these signals to us. The
// signals are also unblocked: a parent may hand us a mask that blocks them (seen under some
// process supervisors and in tmux servers started from them), and a blocked SIGHUP would leave a
// UI whose terminal is gone running forever.
#include <signal.h>
#include <string.h>
static volatile sig_atomic_t dp_pending_signal = 0;
static void dp_on_signal(int signal_number) { dp_pending_signal = signal_number; }
static inline void dp_install_signal_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = dp_on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGHUP);
    sigprocmask(SIG_UNBLOCK, &wanted, NULL);
}
static inline int dp_take_signal(void) {
    int signal_number = dp_pending_signal;
    dp_pending_signal = 0;
    return signal_number;
}

// While curses owns the screen, standard error goes to an anonymous file: a message written there
// (the Swift runtime's "Fatal error: ..." before a trap, a library's warning) would land on the
// alternate screen and vanish with it. Leaving curses mode, normally or from the crash handler,
// points descriptor 2 back at the terminal and copies what was captured after the restored screen.
// Only async-signal-safe calls (dup2, lseek, read, write, close) run on the crash path. Like the
// pending signal above, these two descriptors are process-wide state owned by the one UI session.
#include <stdio.h>
#include <unistd.h>
static int dp_saved_stderr = -1;
static int dp_captured_stderr = -1;
static inline void dp_capture_stderr(void) {
    if (dp_saved_stderr >= 0) return;
    FILE *file = tmpfile();
    if (file == NULL) return;
    int captured = dup(fileno(file));
    fclose(file);
    if (captured < 0) return;
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    if (saved < 0 || dup2(captured, STDERR_FILENO) < 0) {
        if (saved >= 0) close(saved);
        close(captured);
        return;
    }
    dp_saved_stderr = saved;
    dp_captured_stderr = captured;
}
static void dp_release_stderr(void) {
    if (dp_saved_stderr < 0) return;
    dup2(dp_saved_stderr, STDERR_FILENO);
    close(dp_saved_stderr);
    dp_saved_stderr = -1;
    if (lseek(dp_captured_stderr, 0, SEEK_SET) == 0) {
        char buffer[4096];
        ssize_t count;
        while ((count = read(dp_captured_stderr, buffer, sizeof buffer)) > 0) {
            ssize_t written = 0;
            while (written < count) {
                ssize_t n = write(STDERR_FILENO, buffer + written, (size_t)(count - written));
                if (n <= 0) break;
                written += n;
            }
        }
    }
    close(dp_captured_stderr);
    dp_captured_stderr = -1;
}

// A crash (a Swift trap is SIGILL or SIGTRAP) must not leave the terminal in curses mode: leave it,
// show what was written to standard error meanwhile, then let the signal take its default course.
// endwin is what ncurses' own handlers call.
static void dp_on_crash(int signal_number) {
    endwin();
    dp_release_stderr();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}
static inline void dp_install_crash_handlers(void) {
    int signals[] = {SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = dp_on_crash;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        sigaction(signals[i], &action, NULL);
    }
    sigset_t crashes;
    sigemptyset(&crashes);
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaddset(&crashes, signals[i]);
    sigprocmask(SIG_UNBLOCK, &crashes, NULL);
}
