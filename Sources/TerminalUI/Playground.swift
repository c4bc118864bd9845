import Recording

/// What the run loop must do after a key.
public enum PlaygroundEffect: Sendable, Equatable {
    /// Send a control to the source of `lane` (every lane: nil).
    case control(PlaybackControl, lane: Int?)
    /// Write what has been decoded to a trajectory file.
    case save
    /// Write the replay so far as an asciinema recording.
    case export
    /// Fork the first lane's decode at this step into a new lane (deterministic re-simulation).
    case branch(atStep: Int)
    case quit
}

/// The playground's behaviour: takes source updates, keys and the clock, changes `state`, and
/// returns effects for the run loop. No I/O here, so it is tested without a terminal.
public struct Playground: Sendable {
    public var state = PlaygroundState()
    public let keyMap: KeyMap
    /// Decoders a live source can switch to.
    public var decoders: [String] = []
    private var lastAdvance: Double?
    /// A live single step was requested while paused: show it when it arrives.
    private var showNextArrival = false
    /// Steps PgUp and PgDn move.
    static let jump = 10

    public init(keyMap: KeyMap = .standard, sourceLabel: String, isLive: Bool) {
        self.keyMap = keyMap
        state.sourceLabel = sourceLabel
        state.isLive = isLive
    }

    // MARK: Sources

    public mutating func receive(_ updates: [SourceUpdate], lane: Int) {
        for update in updates {
            switch update {
            case .start(let header):
                let fresh = Lane(replay: Replay(header: header))
                if lane < state.lanes.count { state.lanes[lane] = fresh } else { state.lanes.append(fresh) }
                if lane == 0 { state.viewedStep = 0; state.following = true }
                if lane == state.editLane { state.pendingEdits = [:] }
                clampCursor()
            case .step(let step):
                guard lane < state.lanes.count else { continue }
                if !state.lanes[lane].replay.append(step), let note = state.lanes[lane].replay.note { addNote(note) }
                if lane == state.editLane {
                    for case .parameterChange(let change) in step.events where state.pendingEdits[change.key] == change.newValue {
                        state.pendingEdits[change.key] = nil
                    }
                }
                if showNextArrival, lane == 0 {
                    showNextArrival = false
                    state.viewedStep = state.totalSteps
                    state.following = true
                }
            case .end(let end):
                guard lane < state.lanes.count else { continue }
                state.lanes[lane].replay.finish(end)
            case .note(let note):
                addNote(note)
                state.message = note
            case .stopped(let note):
                addNote(note)
                if lane < state.lanes.count { state.lanes[lane].replay.stop(note) }
            case .failed(let reason):
                addNote(reason)
                state.message = reason
            case .parameters(let descriptors):
                if lane == state.editLane { state.parameterDescriptors = descriptors }
            case .refused(let key, let reason):
                if lane == state.editLane { state.pendingEdits[key] = nil }
                state.message = "\(key) not changed: \(reason)"
                addNote(state.message!)
            }
        }
    }

    private mutating func addNote(_ note: String) {
        if state.notes.last != note { state.notes.append(note) }
    }

    /// Advances playback by the clock (seconds): one step per 1/speed seconds while playing.
    public mutating func tick(now: Double) {
        let total = state.totalSteps
        guard state.playing, state.viewedStep < total else {
            lastAdvance = now
            if state.viewedStep >= total { state.following = true }
            return
        }
        let speed = state.stepsPerSecond
        let last = lastAdvance ?? now
        if speed.isInfinite {
            state.viewedStep = total
        } else {
            let due = Int(((now - last) * speed).rounded(.down))
            guard due > 0 || lastAdvance == nil else { return }
            state.viewedStep = min(total, state.viewedStep + max(1, due))
        }
        lastAdvance = now
        state.following = state.viewedStep >= total
    }

    // MARK: Keys

    public mutating func handle(_ key: KeyPress, size: TerminalSize) -> [PlaygroundEffect] {
        if state.input != nil { return editInput(key) }
        if state.showHelp, key == .escape || key == .character("?") {
            state.showHelp = false
            return []
        }
        guard let action = keyMap.action(for: key) else { return [] }
        state.message = nil
        if action.isLiveOnly && !state.isLive {
            state.message = "\(keyMap.bindings.first { $0.action == action }?.description ?? "that") needs live play (a model)"
            return []
        }
        return perform(action, size: size)
    }

    private mutating func perform(_ action: Action, size: TerminalSize) -> [PlaygroundEffect] {
        switch action {
        case .togglePause:
            state.playing.toggle()
            lastAdvance = nil
            if state.playing && state.viewedStep >= state.totalSteps { state.following = true }
            return state.isLive ? [.control(state.playing ? .resume : .pause, lane: nil)] : []
        case .stepForward:
            // A single step pauses playback, and a live decode with it.
            let pause: [PlaygroundEffect] = state.isLive && state.playing ? [.control(.pause, lane: nil)] : []
            state.playing = false
            if state.viewedStep < state.totalSteps {
                state.viewedStep += 1
                state.following = state.viewedStep >= state.totalSteps
                return pause
            }
            guard state.isLive else { return [] }
            showNextArrival = true
            return pause + [.control(.singleStep, lane: nil)]
        case .stepBack:
            state.playing = false
            state.viewedStep = max(0, state.viewedStep - 1)
            state.following = false
        case .jumpForward, .jumpBack:
            state.playing = false
            let target = state.viewedStep + (action == .jumpForward ? Self.jump : -Self.jump)
            state.viewedStep = min(max(0, target), state.totalSteps)
            state.following = state.viewedStep >= state.totalSteps
        case .firstStep:
            state.playing = false
            state.viewedStep = 0
            state.following = false
        case .lastStep:
            state.viewedStep = state.totalSteps
            state.following = true
        case .speedUp:
            state.speedIndex = min(PlaygroundState.speeds.count - 1, state.speedIndex + 1)
        case .speedDown:
            state.speedIndex = max(0, state.speedIndex - 1)
        case .cursorLeft, .cursorRight:
            moveCursor(by: action == .cursorLeft ? -1 : 1)
            if state.lanes.count > 1 { state.compareShowsInspector = true }
        case .cursorUp, .cursorDown:
            moveCursorRow(by: action == .cursorUp ? -1 : 1, size: size)
            if state.lanes.count > 1 { state.compareShowsInspector = true }
        case .nextParameter:
            let list = parameterList()
            state.selectedParameter = list.isEmpty ? 0 : (state.selectedParameter + 1) % list.count
            if let row = list.indices.contains(state.selectedParameter) ? list[state.selectedParameter] : nil,
               let descriptor = state.parameterDescriptors.first(where: { $0.key == row.key }) {
                state.message = "\(row.key) = \(row.value) (\(descriptor.validText)); an edit takes effect \(phrase(descriptor.timing))"
            }
        case .decreaseParameter, .increaseParameter:
            return nudgeParameter(up: action == .increaseParameter)
        case .switchDecoder:
            guard let current = state.lanes.first?.label, !decoders.isEmpty else {
                state.message = "no other decoder to switch to"
                return []
            }
            let next = decoders[((decoders.firstIndex(of: current) ?? -1) + 1) % decoders.count]
            state.message = "switching to \(next)"
            return [.control(.switchDecoder(next), lane: 0)]
        case .editPrompt:
            state.input = LineInput(title: "prompt (Enter runs, Esc cancels)", text: state.lanes.first?.replay.header.promptText ?? "")
        case .restart:
            state.message = "restarting with a new seed"
            return [.control(.restart(seed: nil), lane: nil)]
        case .branch:
            guard state.lanes.count == 1 else {
                state.message = "branching needs a single lane (not compare mode or a branch already)"
                return []
            }
            let step = min(state.viewedStep, state.totalSteps)
            state.playing = false
            state.message = "branching at step \(step): re-simulating steps 1…\(step) with the recorded edits"
            return [.branch(atStep: step)]
        case .saveRecording:
            return state.lanes.isEmpty ? [] : [.save]
        case .exportCast:
            return state.lanes.isEmpty ? [] : [.export]
        case .toggleGhosts:
            state.showGhosts.toggle()
        case .toggleOrder:
            state.showOrder.toggle()
        case .toggleHistogram:
            state.histogram = state.histogram == .confidence ? .entropy : .confidence
        case .toggleInspector:
            state.compareShowsInspector.toggle()
        case .toggleHelp:
            state.showHelp.toggle()
        case .quit:
            if state.showHelp { state.showHelp = false; return [] }
            return [.quit]
        }
        return []
    }

    private mutating func editInput(_ key: KeyPress) -> [PlaygroundEffect] {
        guard var input = state.input else { return [] }
        switch key {
        case .escape:
            state.input = nil
        case .enter:
            state.input = nil
            state.message = "running the new prompt"
            return [.control(.editPrompt(input.text), lane: nil)]
        case .backspace:
            if !input.text.isEmpty { input.text.removeLast() }
            state.input = input
        case .character(let c):
            input.text.append(c)
            state.input = input
        default:
            break
        }
        return []
    }

    private mutating func moveCursor(by delta: Int) {
        guard let canvas = state.lanes.first?.replay.latest else { return }
        guard let cursor = state.cursor else { state.cursor = canvas.promptLength < canvas.count ? canvas.promptLength : 0; return }
        state.cursor = min(max(0, cursor + delta), canvas.count - 1)
    }

    private mutating func moveCursorRow(by delta: Int, size: TerminalSize) {
        guard let lane = state.lanes.first else { return }
        guard let cursor = state.cursor else { moveCursor(by: 0); return }
        let layout = PaneLayout(size: size, lanes: state.lanes.count)
        let frame = LaneFrame(lane: lane, viewedStep: state.viewedStep)
        let pane = CanvasPane(frame: frame, showGhosts: state.showGhosts, maskGlyph: "_", cursor: cursor, showOrder: state.showOrder)
        state.cursor = pane.position(from: cursor, rowDelta: delta, width: layout.laneWidth)
    }

    private mutating func clampCursor() {
        guard let cursor = state.cursor, let count = state.lanes.first?.replay.latest.count else { return }
        state.cursor = count == 0 ? nil : min(cursor, count - 1)
    }
}
