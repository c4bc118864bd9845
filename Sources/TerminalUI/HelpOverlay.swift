/// The `?` overlay: the key map, drawn as a box over the middle of the screen.
struct HelpOverlay {
    let keyMap: KeyMap
    let isLive: Bool

    func draw(into screen: inout Screen) {
        let keyWidth = min(14, keyMap.bindings.map { DisplayWidth.of(KeyMap.label($0)) }.max() ?? 8)
        let width = min(screen.width - 4, 70)
        let rows = keyMap.bindings.count + 2
        let height = min(screen.height, rows)
        let x = (screen.width - width) / 2
        let y = max(0, (screen.height - height) / 2)
        screen.clear(x: x, y: y, width: width, height: height, background: .helpBox)
        screen.put(" keys ", x: x + 2, y: y, foreground: .title, background: .helpBox)
        var row = y + 1
        for binding in keyMap.bindings where row < y + height - 1 {
            let unavailable = binding.action.isLiveOnly && !isLive
            let end = screen.put(Format.fit(KeyMap.label(binding), keyWidth), x: x + 2, y: row, foreground: .key, background: .helpBox)
            let text = binding.description + (unavailable ? " (live play only)" : "")
            screen.put("  " + text, x: end, y: row, foreground: unavailable ? .muted : .help, background: .helpBox, limit: x + width - 1)
            row += 1
        }
        screen.put("? or Esc closes this help", x: x + 2, y: y + height - 1, foreground: .muted, background: .helpBox, limit: x + width - 1)
    }
}
