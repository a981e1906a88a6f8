import Crypto
import Foundation

/// The dashboard's one stylesheet, served by the server itself (no outside host is ever asked
/// for anything), and versioned by its content so browsers may cache it.
enum DashboardStyle {
    /// Where pages link the stylesheet; the query changes whenever the CSS does.
    static let path = "/static/dashboard.css"
    /// The link with its version.
    static let href = path + "?v=" + SHA256.hash(data: Data(css.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()

    /// The CSS.
    static let css = """
        :root { --ink: #1d2430; --muted: #5b6576; --line: #dde2ea; --paper: #ffffff; --wash: #f5f7fa;
          --ok: #1f8f4e; --fail: #cf3b3b; --run: #2f6fd0; --wait: #b7791f; --queue: #8592a6; --cancel: #4f5868; --skip: #b9c1cd;
          --accent: #2f6fd0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          font-size: 15px; color: var(--ink); background: var(--wash); }
        * { box-sizing: border-box; }
        body { margin: 0; }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        header.top { display: flex; align-items: center; gap: 1.5rem; padding: .7rem 1.5rem; background: #18202c; color: #fff; }
        header.top .brand { font-weight: 700; letter-spacing: .02em; color: #fff; }
        header.top nav { display: flex; gap: 1rem; flex: 1; }
        header.top nav a { color: #c8d2e0; }
        header.top nav a[aria-current] { color: #fff; font-weight: 600; }
        header.top form { margin: 0; }
        header.top button { background: transparent; color: #c8d2e0; border: 1px solid #4a5568; }
        main { max-width: 1180px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
        h1 { font-size: 1.35rem; margin: .2rem 0 1rem; display: flex; align-items: center; gap: .6rem; flex-wrap: wrap; }
        h2 { font-size: 1.05rem; margin: 1.6rem 0 .6rem; }
        h3 { font-size: 1rem; margin: 0; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
        .card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.1rem; margin-bottom: 1rem; }
        table { width: 100%; border-collapse: collapse; background: var(--paper); border: 1px solid var(--line); border-radius: 8px; }
        th, td { text-align: left; padding: .5rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: var(--wash); }
        tr:last-child td { border-bottom: 0; }
        code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .85rem; }
        .muted { color: var(--muted); }
        .nowrap { white-space: nowrap; }
        ul.plain { list-style: none; margin: 0; padding: 0; }
        .status { display: inline-block; padding: .1rem .5rem; border-radius: 999px; font-size: .78rem; font-weight: 600; color: #fff; background: var(--queue); }
        .status.succeeded { background: var(--ok); } .status.failed { background: var(--fail); } .status.running { background: var(--run); }
        .status.waiting { background: var(--wait); } .status.cancelled { background: var(--cancel); } .status.skipped { background: var(--skip); color: var(--ink); }
        .counts { display: flex; gap: .35rem; flex-wrap: wrap; }
        .counts a { font-size: .8rem; padding: .1rem .45rem; border-radius: 4px; background: var(--wash); border: 1px solid var(--line); }
        .counts a.failed { color: var(--fail); border-color: #f0c4c4; } .counts a.succeeded { color: var(--ok); }
        form.filters { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)) auto; gap: .6rem; align-items: end; }
        label { display: flex; flex-direction: column; gap: .25rem; font-size: .8rem; color: var(--muted); }
        input, select { font: inherit; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: var(--ink); min-width: 0; }
        button { font: inherit; padding: .42rem .9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: #fff; color: var(--fail); border-color: var(--fail); }
        button[disabled] { opacity: .45; cursor: not-allowed; }
        .actions { display: flex; gap: .5rem; margin-left: auto; }
        .actions form { margin: 0; }
        .notice, .problem { padding: .7rem 1rem; border-radius: 6px; margin-bottom: 1rem; }
        .notice { background: #e8f3ec; border: 1px solid #b9dcc6; }
        .problem { background: #fbecec; border: 1px solid #f0c4c4; color: #8f2323; }
        .problem ul { margin: .3rem 0 0; padding-left: 1.2rem; }
        pre.error { white-space: pre-wrap; word-break: break-word; background: #fbecec; border-left: 3px solid var(--fail); padding: .5rem .7rem; margin: .5rem 0; color: #7a1d1d; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: .35rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); font-size: .85rem; } dl.facts dd { margin: 0; }
        .pager { display: flex; justify-content: space-between; margin-top: .8rem; }
        .timeline { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1rem .8rem; }
        .timeline .axis, .timeline .row { display: grid; grid-template-columns: 13rem 1fr 10rem; gap: .8rem; align-items: center; }
        .timeline .axis { font-size: .75rem; color: var(--muted); border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-bottom: .3rem; }
        .timeline .axis .scale { display: flex; justify-content: space-between; }
        .timeline .row { min-height: 1.7rem; }
        .timeline .row .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .timeline .row.attempt .label { padding-left: 1.2rem; font-size: .82rem; color: var(--muted); }
        .timeline .track { position: relative; height: 1.1rem; background: var(--wash); border-radius: 3px; }
        .timeline .row.attempt .track { height: .7rem; }
        .timeline .bar { position: absolute; top: 0; bottom: 0; border-radius: 3px; background: var(--queue); min-width: 3px; }
        .timeline .bar.succeeded { background: var(--ok); } .timeline .bar.failed { background: var(--fail); }
        .timeline .bar.running { background: var(--run); } .timeline .bar.waiting { background: var(--wait); }
        .timeline .bar.cancelled { background: var(--cancel); } .timeline .bar.skipped { background: var(--skip); }
        .timeline .row.not-run .label, .timeline .row.pending .label, .timeline .row.skipped .label { color: var(--muted); }
        .timeline .time { font-size: .78rem; color: var(--muted); text-align: right; white-space: nowrap; }
        .legend { display: flex; gap: 1rem; font-size: .78rem; color: var(--muted); margin-top: .5rem; }
        .legend span::before { content: ""; display: inline-block; width: .7rem; height: .7rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; background: var(--queue); }
        .legend .succeeded::before { background: var(--ok); } .legend .failed::before { background: var(--fail); }
        .legend .running::before { background: var(--run); } .legend .waiting::before { background: var(--wait); }
        .legend .cancelled::before { background: var(--cancel); }
        section.step { border-left: 4px solid var(--queue); }
        section.step.succeeded { border-left-color: var(--ok); } section.step.failed { border-left-color: var(--fail); }
        section.step.running { border-left-color: var(--run); } section.step.waiting { border-left-color: var(--wait); }
        section.step.cancelled { border-left-color: var(--cancel); } section.step.skipped { border-left-color: var(--skip); }
        section.step table { margin-top: .6rem; font-size: .85rem; }
        details.json { margin: .5rem 0; }
        details.json > summary { cursor: pointer; font-weight: 600; font-size: .88rem; }
        .json-tree { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .82rem; background: var(--wash);
          border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; margin-top: .4rem; overflow-x: auto; }
        .json-tree details { display: inline; } .json-tree details > summary { display: inline; cursor: pointer; list-style: none; }
        .json-tree details > summary::-webkit-details-marker { display: none; }
        .json-tree details:not([open]) > summary::after { content: " … "; color: var(--muted); }
        .json-tree details[open] > summary .c { display: none; }
        .json-tree details:not([open])::details-content { display: none; }
        .json-tree ol { list-style: none; margin: 0; padding-left: 1.3rem; }
        .json-tree .k { color: #7c3aad; } .json-tree .s { color: #1f7a3e; white-space: pre-wrap; word-break: break-word; }
        .json-tree .n { color: #b35c00; } .json-tree .b, .json-tree .z { color: #2f6fd0; } .json-tree .c { color: var(--muted); }
        .signin { max-width: 26rem; margin: 4rem auto; }
        .signin form { display: flex; flex-direction: column; gap: .8rem; }
        @media (max-width: 900px) { form.filters { grid-template-columns: 1fr 1fr; } dl.facts { grid-template-columns: max-content 1fr; }
          .timeline .axis, .timeline .row { grid-template-columns: 8rem 1fr 6rem; } }
        """
}
