/// `/assets/site.css`: one small stylesheet for every page. Light and dark themes from `prefers-color-scheme`,
/// fluid layout from phone to desktop, visible keyboard focus, wide tables scroll inside their box.
enum Stylesheet {
    static let css = """
        :root {
          color-scheme: light dark;
          --bg: #f7f7f9; --surface: #ffffff; --fg: #16181d; --muted: #5d6470; --line: #e2e4ea; --accent: #3b5bdb;
          --accent-fg: #ffffff; --link: #2f4ac0; --good: #1f7a3f; --good-bg: #e3f4e8; --bad: #b42318; --bad-bg: #fdecea;
          --warn: #8a5a00; --warn-bg: #fff4d6; --info: #1f5fa8; --info-bg: #e6f0fb; --top: #7a4d00; --top-bg: #fff0c2;
          --plain-bg: #eef0f4; --focus: #f59f00; --code-bg: #f1f2f6;
          --radius: 10px; --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0f1115; --surface: #171a21; --fg: #e7e9ee; --muted: #9aa2b1; --line: #2a2f3a; --accent: #7b93ff;
            --accent-fg: #0f1115; --link: #9db0ff; --good: #6fd08f; --good-bg: #133322; --bad: #ff8a7f; --bad-bg: #3a1714;
            --warn: #ffcf66; --warn-bg: #33280f; --info: #8cc2ff; --info-bg: #132a44; --top: #ffd166; --top-bg: #3a2e0c;
            --plain-bg: #232833; --focus: #ffc04d; --code-bg: #202531; --shadow: none;
          }
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        a { color: var(--link); text-underline-offset: 2px; }
        a:hover { text-decoration-thickness: 2px; }
        :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
        code { background: var(--code-bg); padding: .05em .35em; border-radius: 4px; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--code-bg); padding: .75rem; border-radius: 8px; margin: .4rem 0; max-height: 32rem; overflow: auto; }
        h1 { font-size: 1.7rem; line-height: 1.25; margin: 1.2rem 0 .6rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 .5rem; }
        h4 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: .8rem 0 .3rem; }
        h4 code, h4 .muted { text-transform: none; letter-spacing: 0; font-size: .85rem; color: var(--fg); }
        .wrap { max-width: 76rem; margin: 0 auto; padding: 0 1rem; }
        .skip { position: absolute; left: -999px; top: .5rem; background: var(--accent); color: var(--accent-fg); padding: .5rem .8rem; border-radius: 6px; z-index: 10; }
        .skip:focus { left: .5rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        header.site { background: var(--surface); border-bottom: 1px solid var(--line); }
        header.site nav { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; min-height: 3.5rem; }
        header.site ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; }
        header.site ul a { display: block; padding: .4rem .7rem; border-radius: 8px; color: var(--fg); text-decoration: none; }
        header.site ul a:hover { background: var(--plain-bg); }
        header.site ul a[aria-current="page"] { background: var(--accent); color: var(--accent-fg); }
        .brand { display: inline-flex; align-items: center; gap: .45rem; font-weight: 700; font-size: 1.1rem; color: var(--fg); text-decoration: none; }
        .brand svg { color: var(--accent); }
        main { padding-bottom: 2rem; }
        main:focus { outline: none; }
        footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; }
        .lead { color: var(--muted); font-size: 1.02rem; margin-top: 0; }
        .muted { color: var(--muted); }
        .small { font-size: .85rem; }
        .big { font-size: 1.35rem; font-weight: 700; font-variant-numeric: tabular-nums; }
        .crumbs { margin: 1rem 0 0; font-size: .88rem; color: var(--muted); }
        .empty { padding: 1rem 1.2rem; background: var(--surface); border: 1px dashed var(--line); border-radius: var(--radius); color: var(--muted); }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(11.5rem, 1fr)); gap: .75rem; list-style: none; padding: 0; margin: 1rem 0; }
        .tile { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: .8rem 1rem; box-shadow: var(--shadow); display: flex; flex-direction: column; gap: .15rem; min-width: 0; }
        .tile .label { font-size: .78rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
        .tile .value { font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
        .tile .sub { font-size: .82rem; color: var(--muted); }
        .toolbar { display: flex; flex-wrap: wrap; align-items: end; justify-content: space-between; gap: .75rem; margin-bottom: .5rem; }
        .tabs { display: inline-flex; background: var(--plain-bg); border-radius: 9px; padding: 3px; }
        .tabs a { padding: .35rem .9rem; border-radius: 7px; text-decoration: none; color: var(--fg); }
        .tabs a[aria-current="page"] { background: var(--surface); box-shadow: var(--shadow); font-weight: 600; }
        form.search { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; }
        .toolbar form.search { margin-left: auto; width: min(100%, 28rem); flex-wrap: wrap; }
        .toolbar form.search input[type="search"] { flex: 1; min-width: 0; }
        form.search label { flex-basis: 100%; font-size: .8rem; color: var(--muted); }
        input[type="search"] { font: inherit; padding: .45rem .65rem; border: 1px solid var(--line); border-radius: 8px; background: var(--surface); color: var(--fg); min-width: 14rem; }
        button { font: inherit; cursor: pointer; border-radius: 8px; border: 1px solid var(--line); background: var(--surface); color: var(--fg); padding: .4rem .8rem; }
        form.search button { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
        .count { color: var(--muted); font-size: .88rem; margin: .3rem 0; }
        .table-wrap { overflow-x: auto; background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); }
        table.data { border-collapse: collapse; width: 100%; font-size: .92rem; }
        table.data th, table.data td { padding: .55rem .7rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        table.data thead th { font-size: .76rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: var(--surface); white-space: nowrap; }
        table.data thead th a { text-transform: none; letter-spacing: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        table.data tbody tr:last-child > * { border-bottom: 0; }
        table.data tbody tr:hover { background: var(--plain-bg); }
        .num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .rank { font-weight: 700; }
        a.agent { font-weight: 600; overflow-wrap: break-word; }
        table.board td:nth-child(2) { min-width: 10rem; }
        .hotkey { display: inline-flex; align-items: center; gap: .35rem; white-space: nowrap; }
        .hotkey a { text-decoration: none; }
        .hotkey a:hover code { text-decoration: underline; }
        .copy { font-size: .72rem; padding: .1rem .45rem; border-radius: 6px; color: var(--muted); }
        .copy.done { color: var(--good); border-color: var(--good); }
        .badge { display: inline-block; padding: .08rem .55rem; border-radius: 999px; font-size: .78rem; font-weight: 600; white-space: nowrap; background: var(--plain-bg); color: var(--fg); }
        .s-top { background: var(--top-bg); color: var(--top); }
        .s-eligible, .s-success, .s-complete { background: var(--good-bg); color: var(--good); }
        .s-qualifier, .s-running, .s-claimed, .s-queued, .s-received, .s-pending { background: var(--info-bg); color: var(--info); }
        .s-eliminated, .s-failed, .s-timed-out, .s-stale, .s-discarded, .s-flag { background: var(--bad-bg); color: var(--bad); }
        .s-cancelled, .s-skipped { background: var(--plain-bg); color: var(--muted); }
        .pager { display: flex; gap: 1rem; align-items: center; justify-content: center; margin: 1rem 0; }
        dl.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: .6rem; margin: 1rem 0; }
        dl.facts > div { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: .6rem .85rem; min-width: 0; }
        dl.facts dt { font-size: .76rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
        dl.facts dd { margin: .15rem 0 0; overflow-wrap: anywhere; }
        dl.kv { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: .3rem .8rem; margin: .5rem 0; font-size: .88rem; }
        dl.kv dt { color: var(--muted); font-size: .78rem; }
        dl.kv dd { margin: 0; font-variant-numeric: tabular-nums; }
        .panel { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: .9rem 1.1rem; box-shadow: var(--shadow); }
        .panel h2 { margin-top: 0; font-size: 1.05rem; }
        .notice { padding: .7rem 1rem; border-radius: var(--radius); background: var(--info-bg); color: var(--fg); border: 1px solid var(--line); }
        .notice.bad { background: var(--bad-bg); }
        .notice.warn { background: var(--warn-bg); }
        details.components { margin: .8rem 0; }
        details summary { cursor: pointer; font-weight: 600; }
        .progress-line { margin: .2rem 0 .6rem; }
        progress { width: min(100%, 22rem); height: .7rem; vertical-align: middle; accent-color: var(--accent); }
        .runs-live { list-style: none; padding: 0; display: grid; gap: .4rem; }
        .runs-live li { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem; background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: .5rem .8rem; }
        .pulse { display: inline-block; width: .55rem; height: .55rem; border-radius: 50%; background: var(--good); margin-left: .4rem; animation: pulse 1.6s ease-in-out infinite; }
        @keyframes pulse { 50% { opacity: .25; } }
        @media (prefers-reduced-motion: reduce) { .pulse { animation: none; } }
        table.matrix td.cell { padding: 0; }
        table.matrix td.cell a, table.matrix td.cell > span { display: flex; gap: .35rem; padding: .45rem .6rem; text-decoration: none; color: var(--fg); font-variant-numeric: tabular-nums; white-space: nowrap; font-size: .85rem; }
        table.matrix .o { font-weight: 700; }
        table.matrix .t { color: var(--muted); }
        table.matrix th[scope="row"] { font-weight: 400; min-width: 16rem; max-width: 34rem; }
        .c-pass { background: var(--good-bg); }
        .c-miss { background: var(--surface); }
        .c-failed, .c-timed-out { background: var(--bad-bg); }
        .c-running, .c-pending { background: var(--info-bg); }
        .cat { display: inline-block; font-size: .7rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); border: 1px solid var(--line); border-radius: 5px; padding: 0 .35rem; margin-right: .25rem; }
        blockquote.request { margin: .6rem 0 1rem; padding: .8rem 1.1rem; background: var(--surface); border-left: 4px solid var(--accent); border-radius: 0 var(--radius) var(--radius) 0; white-space: pre-wrap; overflow-wrap: anywhere; }
        blockquote.request p { margin: 0; }
        .verdicts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: .8rem; }
        .explanation { white-space: pre-wrap; overflow-wrap: anywhere; }
        .agree { color: var(--good); font-weight: 600; }
        .disagree { color: var(--bad); font-weight: 700; }
        .findings { padding-left: 1.1rem; margin: .4rem 0; font-size: .9rem; }
        .flag { color: var(--bad); }
        ol.steps { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; }
        li.step { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: .6rem 1.1rem 1rem; box-shadow: var(--shadow); min-width: 0; }
        li.step.flagged { border-color: var(--bad); border-left-width: 5px; }
        li.step > header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .4rem 1rem; }
        li.step > header h3 { margin: .4rem 0; }
        li.step > header time { color: var(--muted); font-size: .85rem; }
        ul.marks { margin: .3rem 0; padding: .5rem .8rem .5rem 1.8rem; background: var(--bad-bg); border-radius: 8px; color: var(--fg); font-size: .9rem; }
        .call { border-top: 1px solid var(--line); margin-top: .6rem; padding-top: .2rem; }
        dl.args { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: .3rem 0; font-size: .9rem; }
        dl.args div { display: contents; }
        dl.args dt { color: var(--muted); }
        dl.args dd { margin: 0; overflow-wrap: anywhere; }
        ul.products { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .5rem; }
        li.product { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .65rem; display: flex; flex-direction: column; gap: .2rem; font-size: .85rem; background: var(--bg); min-width: 0; }
        .pid { font-family: ui-monospace, monospace; font-size: .75rem; color: var(--muted); }
        .ptitle { font-weight: 600; overflow-wrap: anywhere; }
        .psvc { font-size: .75rem; color: var(--good); }
        .pdetails { font-size: .78rem; color: var(--muted); overflow-wrap: anywhere; }
        details.proxy { margin-top: .7rem; }
        table.proxy-calls { font-size: .84rem; }
        table.proxy-calls tr.flagged { background: var(--bad-bg); }
        .chart-box { margin: .5rem 0; background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: .6rem .8rem; }
        .chart-box figcaption { font-size: .82rem; color: var(--muted); }
        svg.chart { width: 100%; max-width: 760px; height: auto; display: block; color: var(--accent); }
        svg.chart .grid { stroke: var(--line); stroke-width: 1; }
        svg.chart .axis { fill: var(--muted); font-size: 11px; }
        svg.chart .value { fill: var(--fg); font-size: 11px; font-weight: 600; }
        svg.chart .line { fill: none; stroke: currentColor; stroke-width: 2.5; }
        svg.chart .dot { fill: currentColor; stroke: var(--surface); stroke-width: 2; }
        svg.chart .bar { fill: currentColor; }
        tr.winner { background: var(--top-bg); }
        @media (max-width: 640px) {
          body { font-size: 14px; }
          h1 { font-size: 1.35rem; }
          .tiles { grid-template-columns: 1fr 1fr; }
          .tile .value { font-size: 1.05rem; }
          input[type="search"] { min-width: 0; flex: 1; }
          table.data th, table.data td { padding: .45rem .5rem; }
          dl.facts { grid-template-columns: 1fr 1fr; }
        }
        """
}
