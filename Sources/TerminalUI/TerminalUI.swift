// TerminalUI: pure rendering to a Screen, key map, themes, and the ncurses backend.
