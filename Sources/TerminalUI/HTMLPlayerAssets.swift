/// The page, styles and script of the HTML player (`HTMLExport`). Plain HTML, CSS and JavaScript
/// with no external references; the script reads the JSON data block, rebuilds the canvas of every
/// step from the per-step changes, and writes token text only through `textContent`, so nothing in
/// a trajectory can become markup.
enum HTMLPlayerAssets {
    static func page(title: String, css: String, json: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>\(css)</style>
        </head>
        <body>
        <header><h1 id="title"></h1><div id="status"></div></header>
        <nav>
        <button id="first" title="first step (Home)">«</button>
        <button id="back" title="step back (←)">◀</button>
        <button id="play" title="play / pause (space)">▶</button>
        <button id="forward" title="step forward (→)">▶|</button>
        <button id="last" title="last step (End)">»</button>
        <input id="scrub" type="range" min="0" max="0" value="0" aria-label="step">
        <label><input id="ghosts" type="checkbox"> ghosts</label>
        <label title="decode order (o): each written position as the step that wrote it"><input id="order" type="checkbox"> order</label>
        </nav>
        <main id="lanes"></main>
        <aside id="inspector">hover or click a token to inspect it</aside>
        <footer id="legend"></footer>
        <script type="application/json" id="data">\(json)</script>
        <script>\(script)</script>
        </body>
        </html>

        """
    }

    static func css(variables: String) -> String {
        """
        :root { \(variables) }
        body { background: var(--bg); color: var(--fg); font: 14px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; margin: 12px; }
        h1 { font-size: 15px; color: var(--title); margin: 0 0 4px; }
        #status, .meta, #inspector .dim { color: var(--muted); }
        nav { margin: 8px 0; display: flex; gap: 6px; align-items: center; }
        button { background: var(--block); color: var(--fg); border: 1px solid var(--muted); font: inherit; padding: 2px 8px; cursor: pointer; }
        #scrub { flex: 1; }
        .lane { margin: 10px 0; padding: 6px; border-top: 1px solid var(--muted); }
        .canvas { white-space: pre-wrap; word-break: break-all; }
        .canvas span { cursor: pointer; }
        .prompt { color: var(--prompt); }
        .mask { color: var(--mask); }
        .ghost { color: var(--ghost); font-style: italic; }
        .c0 { color: var(--c0); } .c1 { color: var(--c1); } .c2 { color: var(--c2); } .c3 { color: var(--c3); } .c4 { color: var(--c4); }
        .drafted { text-decoration: underline dotted var(--drafted); }
        .force-filled { color: var(--forced); }
        .remasked { color: var(--remasked); font-weight: bold; }
        .block { background: var(--block); }
        .cached { background: var(--cached); }
        .fresh { background: var(--fresh); }
        .selected { outline: 1px solid var(--fg); background: var(--cursor); }
        .events { color: var(--muted); min-height: 1.4em; }
        #inspector { border-top: 1px solid var(--muted); padding-top: 6px; white-space: pre-wrap; }
        #legend span { margin-right: 14px; }
        """
    }

    static let script = #"""
    "use strict";
    const data = JSON.parse(document.getElementById("data").textContent);
    const $ = (id) => document.getElementById(id);
    const clean = (s) => String(s).replace(/\n/g, "↵").replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
    for (const lane of data.lanes) {
      let cells = lane.initial.slice(), at = [];
      lane.states = [cells];
      lane.writtenAt = [at];  // writtenAt[s][p]: the step that last changed position p, as of step s
      for (const step of lane.steps) {
        cells = cells.slice();
        at = at.slice();
        for (const c of step.cells) { cells[c.p] = c; at[c.p] = step.n; }
        lane.states.push(cells);
        lane.writtenAt.push(at);
      }
    }
    const total = Math.max(0, ...data.lanes.map((l) => l.steps.length));
    let step = 0, playing = false, timer = null, selected = null;
    const text = (lane, id) => clean(lane.texts[id] !== undefined ? lane.texts[id] : "<" + id + ">");
    const pct = (x) => (x === undefined || x === null) ? "-" : (100 * x).toFixed(1) + " %";

    function cellClass(lane, cell, delta) {
      const classes = [];
      if (cell.s === "prompt") classes.push("prompt");
      else if (cell.s === "masked") classes.push(delta && delta.touched.includes(cell.p) ? "remasked" : "mask");
      else {
        classes.push("c" + Math.min(4, Math.floor((cell.c === undefined ? 1 : cell.c) * 5)));
        if (cell.s !== "committed") classes.push(cell.s);
      }
      if (delta && delta.block && cell.p >= delta.block[0] && cell.p < delta.block[1]) classes.push("block");
      else if (delta && delta.cached && cell.p >= delta.cached[0] && cell.p < delta.cached[1]) classes.push("cached");
      if (delta && cell.s !== "masked" && delta.touched.includes(cell.p)) classes.push("fresh");
      if (selected && selected.p === cell.p && selected.lane === lane) classes.push("selected");
      return classes.join(" ");
    }

    function render() {
      $("scrub").value = step;
      $("play").textContent = playing ? "⏸" : "▶";
      $("status").textContent = "step " + step + "/" + total;
      const root = $("lanes");
      root.textContent = "";
      const ghosts = $("ghosts").checked, order = $("order").checked;
      data.lanes.forEach((lane, index) => {
        const shown = Math.min(step, lane.steps.length);
        const cells = lane.states[shown];
        const delta = shown > 0 ? lane.steps[shown - 1] : null;
        const box = document.createElement("section");
        box.className = "lane";
        const meta = document.createElement("div");
        meta.className = "meta";
        const config = Object.keys(lane.config).sort().map((k) => k + "=" + lane.config[k]).join(" ");
        meta.textContent = lane.decoder + " · " + config + " · seed " + lane.seed + " · step " + shown + "/" + lane.steps.length +
          (delta && delta.forward ? " · " + delta.forward : "");
        box.appendChild(meta);
        const canvas = document.createElement("div");
        canvas.className = "canvas";
        for (const cell of cells) {
          const span = document.createElement("span");
          span.className = cellClass(lane, cell, delta);
          const at = lane.writtenAt[shown][cell.p];
          if (order && cell.s !== "prompt" && cell.s !== "masked" && at !== undefined) {
            // As the playground's o: the step, padded to the width of the shown step, coloured by
            // how late it came (early steps at the gradient's top).
            const lateness = shown > 1 ? (at - 1) / (shown - 1) : 0;
            const kept = span.className.split(" ").filter((c) => c && !/^(c[0-4]|drafted|force-filled)$/.test(c));
            span.className = kept.concat(["c" + Math.min(4, Math.floor((1 - lateness) * 5)), "order"]).join(" ");
            span.textContent = " " + String(at).padStart(String(Math.max(1, shown)).length);
          } else if (cell.s === "masked") {
            if (ghosts && cell.k && cell.k.length) { span.textContent = text(lane, cell.k[0]); span.className += " ghost"; }
            else span.textContent = data.maskGlyph;
          } else span.textContent = text(lane, cell.t);
          span.dataset.lane = index;
          span.dataset.p = cell.p;
          span.addEventListener("mouseenter", () => inspect(index, cell.p, false));
          span.addEventListener("click", () => inspect(index, cell.p, true));
          canvas.appendChild(span);
        }
        box.appendChild(canvas);
        const events = document.createElement("div");
        events.className = "events";
        events.textContent = delta ? delta.events.join(" · ") : "";
        box.appendChild(events);
        if (shown === lane.steps.length && lane.end) {
          const end = document.createElement("div");
          end.className = "meta end";
          end.textContent = clean(lane.end);
          box.appendChild(end);
        }
        root.appendChild(box);
      });
      if (selected) inspect(selected.index, selected.p, false, true);
    }

    function inspect(index, p, pin, keep) {
      if (pin) { selected = { index: index, lane: data.lanes[index], p: p }; render(); return; }
      if (selected && !keep && (selected.index !== index || selected.p !== p)) return;
      const lane = data.lanes[index];
      const shown = Math.min(step, lane.steps.length);
      const cell = lane.states[shown][p];
      const lines = ["position " + p + (p < lane.promptLength ? " (prompt)" : " (answer " + (p - lane.promptLength) + ")"),
        "state " + cell.s + (cell.s === "masked" ? "" : "  token " + JSON.stringify(text(lane, cell.t))),
        "confidence " + pct(cell.c) + "  entropy " + (cell.e === undefined || cell.e === null ? "-" : cell.e.toFixed(3)) +
          (cell.r ? "  reason " + cell.r : "")];
      if (cell.k && cell.k.length) {
        lines.push("top-k " + cell.k.map((id, i) => JSON.stringify(text(lane, id)) + " " + pct(cell.q[i])).join("  "));
      }
      const history = [];
      lane.steps.slice(0, shown).forEach((d) => {
        for (const c of d.cells) if (c.p === p && c.s !== "masked") history.push("step " + d.n + ": " + c.s + " " + JSON.stringify(text(lane, c.t)) + (c.r ? " (" + c.r + ")" : ""));
        if (d.touched.includes(p) && d.cells.some((c) => c.p === p && c.s === "masked")) history.push("step " + d.n + ": remasked");
      });
      lines.push("history " + (history.length ? "\n  " + history.join("\n  ") : "none yet"));
      $("inspector").textContent = lines.join("\n");
    }

    function go(n) { step = Math.max(0, Math.min(total, n)); render(); }
    function toggle() {
      playing = !playing && step < total;
      if (playing) timer = setInterval(() => { if (step >= total) { playing = false; clearInterval(timer); render(); } else go(step + 1); }, 350);
      else clearInterval(timer);
      render();
    }
    $("title").textContent = data.title;
    $("scrub").max = total;
    $("scrub").addEventListener("input", (e) => go(Number(e.target.value)));
    $("first").addEventListener("click", () => go(0));
    $("back").addEventListener("click", () => go(step - 1));
    $("forward").addEventListener("click", () => go(step + 1));
    $("last").addEventListener("click", () => go(total));
    $("play").addEventListener("click", toggle);
    $("ghosts").addEventListener("change", render);
    $("order").checked = data.order || /(^#|&)order\b/.test(location.hash);
    $("order").addEventListener("change", render);
    document.addEventListener("keydown", (e) => {
      if (e.key === " ") { e.preventDefault(); toggle(); }
      else if (e.key === "ArrowLeft") go(step - 1);
      else if (e.key === "ArrowRight") go(step + 1);
      else if (e.key === "Home") go(0);
      else if (e.key === "End") go(total);
      else if (e.key === "o") { $("order").checked = !$("order").checked; render(); }
    });
    const legend = [["mask", "mask"], ["c0", "low confidence"], ["c4", "high confidence"], ["fresh", "this step"],
      ["remasked", "remasked"], ["drafted", "drafted"], ["force-filled", "forced"], ["block", "active block"], ["cached", "cached"]];
    for (const [cls, label] of legend) {
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = "■ " + label;
      $("legend").appendChild(span);
    }
    const wanted = /step=(\d+|end)/.exec(location.hash);
    go(wanted ? (wanted[1] === "end" ? total : Number(wanted[1])) : 0);
    """#
}
