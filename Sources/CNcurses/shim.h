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
