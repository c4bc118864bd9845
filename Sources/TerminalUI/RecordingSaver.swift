import Foundation
import Recording

/// What the save and export keys write: trajectory files and asciinema recordings.
public enum RecordingSaver {
    /// Writes each lane to `base` (lane 2 gets "-2" before the extension); returns a status message.
    public static func save(_ replays: [Replay], base: String) -> String {
        var written: [String] = []
        for (index, replay) in replays.enumerated() {
            let path = index == 0 ? base : base.replacingOccurrences(of: ".jsonl", with: "") + "-\(index + 1).jsonl"
            do {
                let writer = try TrajectoryWriter(path: path)
                var header = replay.header
                // A branch saved beside its parent names the parent's file.
                if index > 0, header.branch != nil, header.branch?.parentFile == nil {
                    header.branch?.parentFile = URL(fileURLWithPath: base).lastPathComponent
                }
                try writer.write(header)
                for step in replay.steps { try writer.write(step) }
                if let end = replay.end { try writer.write(end) }
                written.append(path)
            } catch {
                return "could not save \(path): \(error)"
            }
        }
        return "saved " + written.joined(separator: ", ")
    }

    /// Renders every step received so far into an asciinema recording at the current size.
    public static func exportCast(_ state: PlaygroundState, theme: Theme, size: TerminalSize, path: String) -> String {
        var options = CastExport.Options()
        options.size = TerminalSize(columns: max(size.columns, TerminalSize.minimum.columns), rows: max(size.rows, TerminalSize.minimum.rows))
        options.showGhosts = state.showGhosts
        options.cursor = state.cursor
        do {
            let text = try CastExport.cast(lanes: state.lanes.map(\.replay), label: state.sourceLabel, theme: theme, options: options)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return "exported \(path)"
        } catch {
            return "could not export \(path): \(error)"
        }
    }
}
