/// The `?` overlay: the key map in a box over the middle of the screen; in two columns when one
/// does not fit the height. Keys that need live play are starred in replay.
struct HelpOverlay {
    let keyMap: KeyMap
    let isLive: Bool

    func draw(into screen: inout Screen) {
        let bindings = keyMap.bindings
        let keyWidth = min(10, bindings.map { DisplayWidth.of(KeyMap.label($0)) }.max() ?? 8)
        let columns = bindings.count + 2 <= screen.height ? 1 : 2
        let perColumn = (bindings.count + columns - 1) / columns
        let width = columns == 1 ? min(screen.width - 4, 60) : screen.width
        let height = min(screen.height, perColumn + 2)
        let x = (screen.width - width) / 2
        let y = max(0, (screen.height - height) / 2)
        let columnWidth = (width - 2) / columns
        screen.clear(x: x, y: y, width: width, height: height, background: .helpBox)
        screen.put(" keys ", x: x + 2, y: y, foreground: .title, background: .helpBox)
        for (index, binding) in bindings.enumerated() {
            let column = index / perColumn, row = y + 1 + index % perColumn
            guard row < y + height - 1 else { continue }
            let left = x + 1 + column * columnWidth
            let unavailable = binding.action.isLiveOnly && !isLive
            let end = screen.put(Format.fit(KeyMap.label(binding), keyWidth), x: left, y: row, foreground: .key, background: .helpBox)
            screen.put(" " + binding.description + (unavailable ? "*" : ""), x: end, y: row,
                       foreground: unavailable ? .muted : .help, background: .helpBox, limit: left + columnWidth)
        }
        let footer = isLive ? "? or Esc closes this help" : "? or Esc closes this help · * live play only"
        screen.put(footer, x: x + 2, y: y + height - 1, foreground: .muted, background: .helpBox, limit: x + width - 1)
    }
}
